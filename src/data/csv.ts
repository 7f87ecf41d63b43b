/**
 * CSV / TSV files in the "one token per row" layout, read with fast-csv:
 *
 *   Sentence #,Word,POS,Tag        ← header row (column names configurable, auto-detected)
 *   Sentence: 1,Thousands,NNS,O    ← a sentence id starts a sentence...
 *   ,of,IN,O                       ← ...and rows with an empty id (or the same id) continue it
 *   Sentence: 2,Families,NNS,O
 *
 * Quoted fields (RFC 4180: `"a,b"`, `""` for a quote), CRLF, a UTF-8 BOM and blank lines are
 * accepted. Input is streamed. Errors are InputErrors `FILE:LINE: problem`, where LINE is the
 * line of the row at fault (rows spanning several lines are counted line by line).
 */
import { Readable } from 'node:stream';
import { parse, format } from 'fast-csv';
import type { Sentence } from './types.js';
import { InputError, UserError } from '../errors.js';
import { readLines, splitLines, AtomicFileWriter, type TextEncoding } from './lines.js';
import { tagProblem } from './schemes.js';

/** Header names recognised when a column is not named explicitly (compared case-insensitively). */
export const CSV_COLUMN_NAMES = {
  sentence: ['sentence #', 'sentence_id', 'sentence id', 'sentence', 'sentence_idx', 'sent_id'],
  token: ['word', 'token', 'words', 'tokens'],
  tag: ['tag', 'label', 'ner', 'ner_tag', 'labels', 'tags'],
} as const;

export interface CsvReadOptions {
  /** Field separator, e.g. ',' or '\t'. Default ','. */
  delimiter?: string;
  /** Header of the sentence-id column. Default: auto-detect (`Sentence #`, `sentence_id`, …). */
  sentenceColumn?: string;
  /** Header of the token column. Default: auto-detect (`Word`, `token`, …). */
  tokenColumn?: string;
  /** Header of the tag column. Default: auto-detect (`Tag`, `label`, …). */
  tagColumn?: string;
  /** false for files without tags: `tags` = [] and no tag column needed. Default true. */
  labelled?: boolean;
  /** Text encoding of the file: utf8 (default), latin1 or cp1252. */
  encoding?: TextEncoding;
}

interface Layout {
  width: number;
  sentence: number;
  token: number;
  tag: number;
}

function findColumn(header: string[], given: string | undefined, candidates: readonly string[], what: string, file: string): number {
  const lower = header.map((h) => h.trim().toLowerCase());
  if (given !== undefined) {
    const i = lower.indexOf(given.toLowerCase());
    if (i < 0) throw new InputError(file, 1, `no column named "${given}" in the header (${header.join(', ')})`);
    return i;
  }
  for (const c of candidates) {
    const i = lower.indexOf(c);
    if (i >= 0) return i;
  }
  throw new InputError(
    file,
    1,
    `no ${what} column in the header (${header.join(', ')}): expected one of ${candidates.map((c) => `"${c}"`).join(', ')}, or name it in the options`,
  );
}

/**
 * Find the line of the first CSV syntax error in `lines` (quote handling as RFC 4180):
 * a closing quote followed by something other than the delimiter or the line end, or a quoted
 * field that is never closed (reported at the line where it opened).
 */
function locateSyntaxError(lines: Iterable<string>, delimiter: string, quote = '"'): number | null {
  let inQuotes = false;
  let openedAt = 0;
  let lineNo = 0;
  for (const line of lines) {
    lineNo++;
    let i = 0;
    let fieldStart = !inQuotes;
    while (i < line.length) {
      const ch = line[i];
      if (inQuotes) {
        if (ch === quote) {
          if (line[i + 1] === quote) { i += 2; continue; }
          inQuotes = false;
          const next = line.slice(i + 1, i + 1 + delimiter.length);
          if (i + 1 < line.length && next !== delimiter) return lineNo;
        }
        i++;
      } else if (fieldStart && ch === quote) {
        inQuotes = true;
        openedAt = lineNo;
        fieldStart = false;
        i++;
      } else if (line.startsWith(delimiter, i)) {
        fieldStart = true;
        i += delimiter.length;
      } else {
        fieldStart = false;
        i++;
      }
    }
  }
  return inQuotes ? openedAt : null;
}

/** Build sentences from rows; shared by the file and string readers. */
class CsvSentenceBuilder {
  private layout: Layout | null = null;
  private current: Sentence | null = null;
  private currentId = '';
  private lineNo = 0;
  private readonly goodTags = new Set<string>();

  constructor(private readonly file: string, private readonly options: CsvReadOptions) {}

  /** Feed the next row; returns a sentence it completes, if any. */
  push(row: string[]): Sentence | null {
    const line = this.lineNo + 1;
    // A row spans one line plus one per line break inside its fields.
    for (const f of row) for (let i = f.indexOf('\n'); i >= 0; i = f.indexOf('\n', i + 1)) this.lineNo++;
    this.lineNo++;
    if (row.length === 0 || (row.length === 1 && row[0].trim() === '')) return null;
    if (this.layout === null) {
      this.layout = this.readHeader(row);
      return null;
    }
    const L = this.layout;
    if (row.length !== L.width) {
      throw new InputError(this.file, line, `expected ${L.width} fields (as in the header), found ${row.length}`);
    }
    const id = row[L.sentence].trim();
    const token = row[L.token];
    if (token === '') throw new InputError(this.file, line, 'empty token');
    let done: Sentence | null = null;
    if (this.current === null || (id !== '' && id !== this.currentId)) {
      if (id === '') throw new InputError(this.file, line, 'the first row has no sentence id');
      done = this.current;
      this.current = { tokens: [], tags: [], columns: [], line, id };
      this.currentId = id;
    }
    this.current.tokens.push(token);
    this.current.columns!.push(row);
    if (L.tag >= 0) {
      const tag = row[L.tag].trim();
      if (tag === '') throw new InputError(this.file, line, 'empty tag');
      if (!this.goodTags.has(tag)) {
        const problem = tagProblem(tag);
        if (problem !== null) throw new InputError(this.file, line, problem);
        if (this.goodTags.size < 10_000) this.goodTags.add(tag);
      }
      this.current.tags.push(tag);
    }
    return done;
  }

  finish(): Sentence | null {
    if (this.layout === null) throw new InputError(this.file, null, 'empty file: no header row');
    const s = this.current;
    this.current = null;
    return s;
  }

  private readHeader(header: string[]): Layout {
    const o = this.options;
    const sentence = findColumn(header, o.sentenceColumn, CSV_COLUMN_NAMES.sentence, 'sentence-id', this.file);
    const token = findColumn(header, o.tokenColumn, CSV_COLUMN_NAMES.token, 'token', this.file);
    const tag = o.labelled === false ? -1 : findColumn(header, o.tagColumn, CSV_COLUMN_NAMES.tag, 'tag', this.file);
    return { width: header.length, sentence, token, tag };
  }
}

/** Text of the file in ~64 KiB pieces, checked for NUL bytes / invalid UTF-8 line by line. */
async function* textPieces(file: string, encoding?: TextEncoding): AsyncGenerator<string> {
  let buf: string[] = [];
  let size = 0;
  for await (const line of readLines(file, { encoding })) {
    buf.push(line, '\n');
    size += line.length + 1;
    if (size >= 1 << 16) {
      yield buf.join('');
      buf = [];
      size = 0;
    }
  }
  if (buf.length > 0) yield buf.join('');
}

function csvParser(options: CsvReadOptions) {
  return parse({ headers: false, delimiter: options.delimiter ?? ',', quote: '"', ignoreEmpty: false });
}

async function syntaxError(file: string, err: Error, lines: () => AsyncIterable<string> | Iterable<string>, delimiter: string): Promise<InputError> {
  const collected: string[] = [];
  let line: number | null = null;
  try {
    for await (const l of lines()) collected.push(l);
    line = locateSyntaxError(collected, delimiter);
  } catch {
    /* keep line unknown */
  }
  let msg = err.message.replace(/^Parse Error:\s*/, '').replace(/\s+at '[\s\S]*$/, '').replace(/\s+in line:[\s\S]*$/, '');
  if (/^missing closing/.test(msg)) msg = 'a quoted field is never closed (a " is missing)';
  return new InputError(file, line, `CSV syntax error: ${msg}`);
}

async function* sentencesFromRows(
  file: string,
  source: Readable,
  options: CsvReadOptions,
  relines: () => AsyncIterable<string> | Iterable<string>,
): AsyncGenerator<Sentence> {
  const parser = csvParser(options);
  source.on('error', (e) => parser.destroy(e));
  source.pipe(parser);
  const builder = new CsvSentenceBuilder(file, options);
  try {
    for await (const row of parser as AsyncIterable<string[]>) {
      const s = builder.push(row);
      if (s) yield s;
    }
  } catch (err) {
    if (err instanceof UserError) throw err;
    if (err instanceof Error && /^Parse Error/.test(err.message)) {
      throw await syntaxError(file, err, relines, options.delimiter ?? ',');
    }
    throw err;
  } finally {
    source.destroy();
  }
  const last = builder.finish();
  if (last) yield last;
}

/** Stream the sentences of a one-token-per-row CSV/TSV file. */
export function readCsv(file: string, options: CsvReadOptions = {}): AsyncGenerator<Sentence> {
  return sentencesFromRows(file, Readable.from(textPieces(file, options.encoding)), options, () => readLines(file, { encoding: options.encoding }));
}

/** Read all sentences of a CSV/TSV file into memory. */
export async function readCsvFile(file: string, options: CsvReadOptions = {}): Promise<Sentence[]> {
  const out: Sentence[] = [];
  for await (const s of readCsv(file, options)) out.push(s);
  return out;
}

/** Parse CSV text held in memory; `name` stands for the file name in messages. */
export async function readCsvString(text: string, name = '<string>', options: CsvReadOptions = {}): Promise<Sentence[]> {
  const lines = splitLines(text);
  const out: Sentence[] = [];
  const source = Readable.from([lines.map((l) => l + '\n').join('')]);
  for await (const s of sentencesFromRows(name, source, options, () => lines)) out.push(s);
  return out;
}

export interface CsvWriteOptions {
  /** Field separator. Default ','. */
  delimiter?: string;
  /** Header names of the sentence-id, token and tag columns. Default ['sentence_id', 'token', 'tag']. */
  header?: [sentence: string, token: string, tag: string];
  /**
   * Write the sentence id only on a sentence's first row (the Kaggle layout) instead of on
   * every row. Default false.
   */
  idOnFirstRowOnly?: boolean;
  /** Line terminator. Default '\n'. */
  eol?: '\n' | '\r\n';
}

/** Rows (header first) for sentences; a sentence without `id` gets its 1-based position. */
function* csvRows(sentences: Iterable<Sentence>, options: CsvWriteOptions): Generator<string[]> {
  yield options.header ?? ['sentence_id', 'token', 'tag'];
  let n = 0;
  for (const s of sentences) {
    n++;
    if (s.tags.length !== s.tokens.length) throw new Error(`sentence ${n} has ${s.tokens.length} tokens but ${s.tags.length} tags`);
    const id = s.id ?? String(n);
    for (let i = 0; i < s.tokens.length; i++) {
      yield [i > 0 && options.idOnFirstRowOnly ? '' : id, s.tokens[i], s.tags[i]];
    }
  }
}

function formatterOptions(options: CsvWriteOptions) {
  return {
    delimiter: options.delimiter ?? ',',
    rowDelimiter: options.eol ?? '\n',
    includeEndRowDelimiter: true,
    headers: false as const,
  };
}

/** Format sentences (with tags) as CSV text: `sentence_id,token,tag` rows after a header. */
export async function formatCsv(sentences: Iterable<Sentence>, options: CsvWriteOptions = {}): Promise<string> {
  const stream = format<string[], string[]>(formatterOptions(options));
  const parts: string[] = [];
  stream.on('data', (d: Buffer | string) => parts.push(d.toString()));
  const done = new Promise<void>((resolve, reject) => { stream.on('end', resolve); stream.on('error', reject); });
  for (const row of csvRows(sentences, options)) stream.write(row);
  stream.end();
  await done;
  return parts.join('');
}

/** Write predictions as CSV, atomically (temporary file renamed over `file`). Returns the number of sentences. */
export async function writeCsv(
  file: string,
  sentences: Iterable<Sentence> | AsyncIterable<Sentence>,
  options: CsvWriteOptions = {},
): Promise<number> {
  const out = new AtomicFileWriter(file);
  let n = 0;
  try {
    let batch: Sentence[] = [];
    let first = true;
    const flush = async () => {
      let text = await formatCsv(batch, { ...options });
      // Only the first batch carries the header; ids continue across batches.
      if (!first) text = text.slice(text.indexOf(options.eol ?? '\n') + (options.eol ?? '\n').length);
      out.write(text);
      first = false;
      batch = [];
    };
    for await (const s of sentences) {
      n++;
      batch.push(s.id === undefined ? { ...s, id: String(n) } : s);
      if (batch.length >= 1000) await flush();
    }
    if (batch.length > 0 || first) await flush();
  } catch (err) {
    out.abort();
    throw err;
  }
  out.close();
  return n;
}
