/**
 * CoNLL column files: one token per line, columns separated by spaces or tabs, a blank line
 * between sentences, `-DOCSTART-` lines between documents.
 *
 *   EU NNP I-NP I-ORG        ← token in column 0, tag in the last column (both configurable)
 *   rejects VBZ I-VP O
 *                            ← blank (or whitespace-only) line: end of sentence
 *   -DOCSTART- -X- -X- O     ← document boundary: not a token; sets `docStart` on the next sentence
 *
 * Reading is streamed (see lines.ts). Tolerated: CRLF, a UTF-8 BOM, trailing whitespace, runs of
 * blank lines, a missing final newline or blank line. Errors are InputErrors `FILE:LINE: problem`.
 *
 * Comments: a line whose first field starts with `#` where a sentence would begin (at the start
 * of the file, after a blank line or after another comment) is a comment and skipped, e.g. the
 * CoNLL-U `# text = …` and `# sent_id = 1` lines — unless it is shaped like a token line: the
 * file's number of columns and, in a labelled file, a tag in the tag column (`# O` is the token
 * `#` tagged O). Inside a sentence, `#` lines are always tokens. Comments are not written back.
 *
 * Checks on labelled files: every tag must be a tag of some scheme (`O`, `B-PER`, a bare `PER`;
 * not `B_PER` or `I+X`), and when the tag column does not look like tags while another column
 * does (a file with the tag first, say), the error suggests `--tag-column`. Tokens are kept as
 * read: a U+FEFF or zero-width character inside a token stays part of it.
 *
 * Writing reproduces what was read: every column, the DOCSTART lines as they were, one blank
 * line between blocks (a block is a sentence or a DOCSTART line) and a newline after the last
 * line. For a file in that layout (the CoNLL-2003 files are) the output is byte-identical, once
 * a missing final newline is added to the original. The writer's normalisations are exactly:
 * columns joined by one `delimiter`, runs of blank lines collapsed to one, no blank lines before
 * the first block or after the last, leading/trailing whitespace of lines dropped, line endings
 * set to `eol`.
 */
import type { Sentence } from './types.js';
import { InputError } from '../errors.js';
import { readLines, splitLines, AtomicFileWriter, type TextEncoding } from './lines.js';
import { tagProblem, isPrefixedTag } from './schemes.js';

export const DOCSTART = '-DOCSTART-';

export interface ConllReadOptions {
  /** Column holding the token, 0-based; negative counts from the end (-1 = last). Default 0. */
  tokenColumn?: number;
  /** Column holding the tag, 0-based; negative counts from the end. Default -1 (the last). */
  tagColumn?: number;
  /** false for raw files without tags: `tags` = [], any number of columns. Default true. */
  labelled?: boolean;
  /**
   * Yield a `-DOCSTART-` that no sentence follows (an empty document, e.g. the last line of the
   * CoNLL-2003 files) as a sentence with no tokens, so that a writer can reproduce it.
   * Default false: empty documents are dropped.
   */
  keepEmptyDocuments?: boolean;
  /** Text encoding of the file: utf8 (default), latin1 or cp1252. */
  encoding?: TextEncoding;
}

/** Resolve a possibly negative column index against a line of `count` columns. */
function resolveColumn(index: number, count: number): number {
  return index < 0 ? count + index : index;
}

/** Split a line into columns: on tabs if it has any (fields trimmed), otherwise on runs of spaces. */
export function splitColumns(line: string): string[] {
  const trimmed = line.trim();
  if (trimmed === '') return [];
  if (trimmed.includes('\t')) return trimmed.split('\t').map((f) => f.trim());
  return trimmed.split(/ +/);
}

/**
 * The line-by-line state machine behind every reader: push lines in order, collect the
 * sentences it completes. Shared by the streaming file reader and the in-memory reader.
 */
export class ConllParser {
  private readonly tokenColumn: number;
  private readonly tagColumn: number;
  private readonly labelled: boolean;
  private readonly keepEmptyDocuments: boolean;
  private columnCount = -1;
  private columnCountLine = 0;
  private current: Sentence | null = null;
  private pendingDoc: string | null = null;
  private pendingDocLine = 0;
  /** Tags already checked by tagProblem. */
  private readonly goodTags = new Set<string>();
  /** The first token lines (their columns and line numbers), for the tag-column check. */
  private sample: { fields: string[]; line: number }[] | null = [];

  constructor(readonly file: string, options: ConllReadOptions = {}) {
    this.tokenColumn = options.tokenColumn ?? 0;
    this.tagColumn = options.tagColumn ?? -1;
    this.labelled = options.labelled ?? true;
    this.keepEmptyDocuments = options.keepEmptyDocuments ?? false;
  }

  /** Feed line `lineNo` (1-based); returns the sentence this line completes, if any. */
  push(line: string, lineNo: number): Sentence | null {
    const fields = splitColumns(line);
    if (fields.length === 0) return this.endSentence();
    if (line.trim().includes('\r')) {
      throw new InputError(this.file, lineNo, 'a carriage return (CR) inside the line: are the lines of this file ended by CR alone (old Mac format)? Convert them to LF, e.g. tr \'\\r\' \'\\n\'');
    }
    if (this.current === null && fields[0].startsWith('#') && this.isComment(fields)) return null;
    if (fields[0] === DOCSTART) {
      const done = this.endSentence() ?? this.emptyDocument();
      this.pendingDoc = line.trim();
      this.pendingDocLine = lineNo;
      return done;
    }
    if (this.columnCount < 0) {
      this.columnCount = fields.length;
      this.columnCountLine = lineNo;
      this.checkColumns(fields.length, lineNo);
    } else if (fields.length !== this.columnCount) {
      const mixed = line.trim().includes('\t') && line.trim().includes(' ')
        ? ' (this line has tabs, so only tabs separate its columns; spaces stay inside fields)'
        : '';
      throw new InputError(
        this.file,
        lineNo,
        `expected ${this.columnCount} columns (as on line ${this.columnCountLine}), found ${fields.length}${mixed}`,
      );
    }
    const token = fields[resolveColumn(this.tokenColumn, fields.length)];
    if (token === '') throw new InputError(this.file, lineNo, 'empty token');
    let sentence = this.current;
    if (sentence === null) {
      sentence = { tokens: [], tags: [], columns: [], line: lineNo };
      if (this.pendingDoc !== null) {
        sentence.docStart = true;
        sentence.docStartText = this.pendingDoc;
        this.pendingDoc = null;
      }
      this.current = sentence;
    }
    sentence.tokens.push(token);
    sentence.columns!.push(fields);
    if (this.labelled) {
      const tag = fields[resolveColumn(this.tagColumn, fields.length)];
      if (tag === '') throw new InputError(this.file, lineNo, 'empty tag');
      if (!this.goodTags.has(tag)) {
        const problem = tagProblem(tag);
        if (problem !== null) {
          // A word in the tag column (say `U.S.`) may mean the columns are swapped: say that first.
          if (this.sample !== null) {
            this.sample.push({ fields, line: lineNo });
            this.checkTagColumn();
          }
          throw new InputError(this.file, lineNo, problem);
        }
        if (this.goodTags.size < 10_000) this.goodTags.add(tag);
      }
      sentence.tags.push(tag);
      if (this.sample !== null) {
        this.sample.push({ fields, line: lineNo });
        if (this.sample.length >= 50) this.checkTagColumn();
      }
    }
    return null;
  }

  /** Is a `#` line at a sentence start a comment (rather than a token line)? See the module doc. */
  private isComment(fields: string[]): boolean {
    if (this.columnCount >= 0 && fields.length !== this.columnCount) return true;
    if (!this.labelled) return this.columnCount < 0 && fields.length > 1;
    if (fields.length < 2) return true;
    const tag = fields[resolveColumn(this.tagColumn, fields.length)];
    return tag === undefined || !isPrefixedTag(tag);
  }

  /**
   * Refuse a tag column that does not look like tags when another column does (a swapped
   * layout would otherwise train on words as tags), suggesting the options to use.
   */
  private checkTagColumn(): void {
    const rows = this.sample;
    this.sample = null;
    if (rows === null || rows.length === 0) return;
    const width = rows[0].fields.length;
    const share = (col: number) => rows.filter((r) => isPrefixedTag(r.fields[col])).length / rows.length;
    const tagCol = resolveColumn(this.tagColumn, width);
    if (share(tagCol) >= 0.5) return;
    let best = -1;
    let bestShare = 0.9;
    for (let c = 0; c < width; c++) {
      if (c === tagCol) continue;
      const sh = share(c);
      if (sh >= bestShare) { best = c; bestShare = sh; }
    }
    if (best < 0) return;
    const tokenCol = resolveColumn(this.tokenColumn, width);
    const examples = [...new Set(rows.map((r) => r.fields[tagCol]))].slice(0, 3).map((t) => `"${t}"`).join(', ');
    const fix = `--tag-column ${best}` + (best === tokenCol ? ` --token-column ${tagCol}` : '');
    throw new InputError(
      this.file,
      rows[0].line,
      `column ${tagCol} (the tag column) does not look like tags (${examples}, …) but column ${best} does: pass ${fix}`,
    );
  }

  /** Call after the last line: returns the last sentence (or kept empty document), if any. */
  finish(): Sentence | null {
    if (this.sample !== null && this.sample.length > 0) this.checkTagColumn();
    return this.endSentence() ?? this.emptyDocument();
  }

  private checkColumns(count: number, lineNo: number): void {
    const check = (index: number, what: string) => {
      const col = resolveColumn(index, count);
      if (col < 0 || col >= count) {
        throw new InputError(this.file, lineNo, `no ${what} column ${index}: the line has ${count} column(s)`);
      }
      return col;
    };
    const tokenCol = check(this.tokenColumn, 'token');
    if (this.labelled) {
      if (count < 2) {
        throw new InputError(this.file, lineNo, 'expected a token and a tag column, found one column (is the file unlabelled?)');
      }
      const tagCol = check(this.tagColumn, 'tag');
      if (tagCol === tokenCol) throw new InputError(this.file, lineNo, 'the token and tag columns are the same column');
    }
  }

  private endSentence(): Sentence | null {
    const s = this.current;
    this.current = null;
    return s;
  }

  private emptyDocument(): Sentence | null {
    if (this.pendingDoc === null) return null;
    const text = this.pendingDoc;
    this.pendingDoc = null;
    if (!this.keepEmptyDocuments) return null;
    return { tokens: [], tags: [], columns: [], line: this.pendingDocLine, docStart: true, docStartText: text };
  }
}

/** Stream the sentences of a CoNLL column file. */
export async function* readConll(file: string, options: ConllReadOptions = {}): AsyncGenerator<Sentence> {
  const parser = new ConllParser(file, options);
  let lineNo = 0;
  let unterminated = -1;
  for await (const line of readLines(file, { encoding: options.encoding, onUnterminated: (n) => { unterminated = n; } })) {
    lineNo++;
    let s: Sentence | null;
    try {
      s = parser.push(line, lineNo);
    } catch (err) {
      // The last line of a file that does not end with a line break: perhaps cut off.
      if (err instanceof InputError && err.line === lineNo && lineNo === unterminated && /^(expected|empty tag|tag ")/.test(err.problem)) {
        throw new InputError(file, lineNo, `${err.problem} (the file ends in the middle of this line: was it cut off?)`);
      }
      throw err;
    }
    if (s) yield s;
  }
  const last = parser.finish();
  if (last) yield last;
}

/** Read all sentences of a CoNLL file into memory (use readConll for large files). */
export async function readConllFile(file: string, options: ConllReadOptions = {}): Promise<Sentence[]> {
  const out: Sentence[] = [];
  for await (const s of readConll(file, options)) out.push(s);
  return out;
}

/** Parse CoNLL text held in memory; `name` stands for the file name in error messages. */
export function readConllString(text: string, name = '<string>', options: ConllReadOptions = {}): Sentence[] {
  const parser = new ConllParser(name, options);
  const out: Sentence[] = [];
  splitLines(text).forEach((line, i) => {
    if (line.includes('\0')) throw new InputError(name, i + 1, 'not a text file (contains NUL bytes)');
    const s = parser.push(line, i + 1);
    if (s) out.push(s);
  });
  const last = parser.finish();
  if (last) out.push(last);
  return out;
}

export interface ConllWriteOptions {
  /** Separator between columns. Default ' '. */
  delimiter?: string;
  /** Line terminator. Default '\n'. */
  eol?: '\n' | '\r\n';
  /** Column that `sentence.tags` are written to when the sentence keeps its columns. Default -1 (last). */
  tagColumn?: number;
  /** Column that `sentence.tokens` are written to when the sentence keeps its columns. Default 0. */
  tokenColumn?: number;
}

/**
 * The rows of one sentence. With `columns`, every column is kept and the token and tag columns
 * are replaced by `tokens` / `tags` (so converted tags are written in place); without, the rows
 * are `token tag` (or just `token` when unlabelled).
 */
export function sentenceRows(sentence: Sentence, options: ConllWriteOptions = {}): string[][] {
  const { tokens, tags, columns } = sentence;
  if (tags.length !== 0 && tags.length !== tokens.length) {
    throw new Error(`sentence has ${tokens.length} tokens but ${tags.length} tags`);
  }
  const rows: string[][] = [];
  for (let i = 0; i < tokens.length; i++) {
    const cols = columns?.[i];
    if (cols && cols.length > 0) {
      const row = cols.slice();
      row[resolveColumn(options.tokenColumn ?? 0, row.length)] = tokens[i];
      if (tags.length > 0) {
        const t = resolveColumn(options.tagColumn ?? -1, row.length);
        if (t < 0 || t >= row.length) throw new Error(`no tag column ${options.tagColumn} in a row of ${row.length} columns`);
        row[t] = tags[i];
      }
      rows.push(row);
    } else {
      rows.push(tags.length > 0 ? [tokens[i], tags[i]] : [tokens[i]]);
    }
  }
  return rows;
}

/** The DOCSTART line for a sentence: as read, or `-DOCSTART- -X- … O` with as many columns as its rows. */
function docStartLine(sentence: Sentence, delimiter: string): string {
  if (sentence.docStartText !== undefined) return sentence.docStartText;
  const n = sentence.columns?.[0]?.length ?? (sentence.tags.length > 0 ? 2 : 1);
  const fields = [DOCSTART];
  for (let i = 1; i < n - 1; i++) fields.push('-X-');
  if (n > 1) fields.push('O');
  return fields.join(delimiter);
}

/**
 * Incremental CoNLL writer: blocks (DOCSTART lines and sentences) separated by one blank line.
 * `sink` receives text pieces in order.
 */
export class ConllFormatter {
  private first = true;
  private readonly delimiter: string;
  private readonly eol: string;

  constructor(private readonly sink: (text: string) => void, private readonly options: ConllWriteOptions = {}) {
    this.delimiter = options.delimiter ?? ' ';
    this.eol = options.eol ?? '\n';
  }

  write(sentence: Sentence): void {
    if (sentence.docStart) this.block([docStartLine(sentence, this.delimiter)]);
    if (sentence.tokens.length > 0) {
      this.block(sentenceRows(sentence, this.options).map((r) => r.join(this.delimiter)));
    }
  }

  private block(lines: string[]): void {
    let text = this.first ? '' : this.eol;
    this.first = false;
    for (const l of lines) text += l + this.eol;
    this.sink(text);
  }
}

/** Format sentences as CoNLL text (in memory). */
export function formatConll(sentences: Iterable<Sentence>, options: ConllWriteOptions = {}): string {
  const parts: string[] = [];
  const f = new ConllFormatter((t) => parts.push(t), options);
  for (const s of sentences) f.write(s);
  return parts.join('');
}

/**
 * Streaming CoNLL file writer: writes to a temporary file renamed over `file` by `close()`,
 * so a failure part-way never leaves a half-written output (call `abort()` on failure).
 */
export class ConllWriter {
  private readonly out: AtomicFileWriter;
  private readonly formatter: ConllFormatter;

  constructor(readonly file: string, options: ConllWriteOptions = {}) {
    this.out = new AtomicFileWriter(file);
    this.formatter = new ConllFormatter((t) => this.out.write(t), options);
  }

  write(sentence: Sentence): void {
    this.formatter.write(sentence);
  }

  close(): void {
    this.out.close();
  }

  abort(): void {
    this.out.abort();
  }
}

/** Write sentences (an array or a stream) to a CoNLL file, atomically. Returns the number written. */
export async function writeConll(
  file: string,
  sentences: Iterable<Sentence> | AsyncIterable<Sentence>,
  options: ConllWriteOptions = {},
): Promise<number> {
  const w = new ConllWriter(file, options);
  let n = 0;
  try {
    for await (const s of sentences) {
      w.write(s);
      n++;
    }
  } catch (err) {
    w.abort();
    throw err;
  }
  w.close();
  return n;
}
