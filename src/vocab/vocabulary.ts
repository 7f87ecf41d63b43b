/**
 * Vocabularies: the tables between symbols (words, characters, tags) and the integer ids the
 * model works with.
 *
 * An id is a row of an embedding table. The first ids are reserved: `<pad>` = 0 (padding of
 * short sequences in a batch) and, for words and characters, `<unk>` = 1 (every symbol not in
 * the table). The other entries follow in a deterministic order: count descending, then the
 * symbol's UTF-16 code-unit order, so the same data always gives the same ids.
 *
 * A word vocabulary may normalise forms before counting and before lookup: lower-casing and
 * mapping every decimal digit (any script, `\p{Nd}`) to `0`, as GloVe-style tables need
 * ("1996" and "2003" then share the entry "0000").
 */
import { zeros, type Buf } from '../tensor/alloc.js';

export const PAD = '<pad>';
export const UNK = '<unk>';

export interface Normalization {
  /** Lower-case every symbol (`String#toLowerCase`, locale-independent). Default false. */
  lowercase?: boolean;
  /** Map every decimal digit to `0`. Default false. */
  digitsToZero?: boolean;
}

export interface VocabOptions extends Normalization {
  /** Keep symbols seen at least this often. Default 1. */
  minCount?: number;
  /** At most this many entries in all, the reserved ones included. Default: no limit. */
  maxSize?: number;
  /** Reserved entries at the start, in order. Default [`<pad>`, `<unk>`]. */
  specials?: string[];
}

const DIGIT = /\p{Nd}/gu;

/** The normalising function of `n` (identity when nothing is set). */
export function normalizer(n: Normalization): (s: string) => string {
  const lower = n.lowercase ?? false;
  const digits = n.digitsToZero ?? false;
  if (lower && digits) return (s) => s.toLowerCase().replace(DIGIT, '0');
  if (lower) return (s) => s.toLowerCase();
  if (digits) return (s) => s.replace(DIGIT, '0');
  return (s) => s;
}

/** Order of entries: count descending, then UTF-16 code-unit order. */
export function byCountThenCodeUnits(a: [string, number], b: [string, number]): number {
  if (a[1] !== b[1]) return b[1] - a[1];
  return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0;
}

/** One-hot rows in sparse form: row t has a single 1, in column `indices[t]`. */
export interface SparseOneHot {
  /** Number of rows (T). */
  rows: number;
  /** Number of columns (V, the vocabulary size). */
  cols: number;
  /** [T] the column of each row's 1. */
  indices: Int32Array;
}

/** What a vocabulary is made of, as saved: entries in id order with their counts. */
export interface VocabData extends Normalization {
  specials: string[];
  entries: [string, number][];
}

/** A symbol table: entries in id order, their training counts, lookup with normalisation. */
export class Vocabulary {
  readonly items: readonly string[];
  readonly counts: readonly number[];
  readonly specials: readonly string[];
  readonly lowercase: boolean;
  readonly digitsToZero: boolean;
  /** Id of symbols not in the table, or -1 when the vocabulary has no `<unk>` (tags). */
  readonly unkId: number;
  readonly normalize: (s: string) => string;
  private readonly ids: Map<string, number>;

  constructor(data: VocabData) {
    this.lowercase = data.lowercase ?? false;
    this.digitsToZero = data.digitsToZero ?? false;
    this.normalize = normalizer(this);
    this.specials = [...data.specials];
    this.items = data.entries.map((e) => e[0]);
    this.counts = data.entries.map((e) => e[1]);
    this.ids = new Map();
    this.items.forEach((w, i) => {
      if (this.ids.has(w)) throw new Error(`vocabulary: duplicate entry ${JSON.stringify(w)}`);
      this.ids.set(w, i);
    });
    for (let i = 0; i < this.specials.length; i++) {
      if (this.items[i] !== this.specials[i]) throw new Error(`vocabulary: entry ${i} must be ${this.specials[i]}`);
    }
    this.unkId = this.specials.includes(UNK) ? this.ids.get(UNK)! : -1;
  }

  /**
   * Build from symbol counts (already normalised, see `countSymbols`): keep the symbols seen at
   * least `minCount` times, most frequent first, at most `maxSize` entries with the reserved ones.
   */
  static fromCounts(counts: ReadonlyMap<string, number>, options: VocabOptions = {}): Vocabulary {
    const specials = options.specials ?? [PAD, UNK];
    const minCount = options.minCount ?? 1;
    const maxSize = options.maxSize ?? Infinity;
    if (maxSize < specials.length) throw new RangeError(`maxSize ${maxSize} leaves no room for the ${specials.length} reserved entries`);
    const reserved = new Set(specials);
    const kept = [...counts].filter(([w, c]) => c >= minCount && !reserved.has(w)).sort(byCountThenCodeUnits);
    const room = maxSize - specials.length;
    const entries: [string, number][] = specials.map((s) => [s, 0]);
    for (let i = 0; i < kept.length && i < room; i++) entries.push(kept[i]);
    return new Vocabulary({ specials, entries, lowercase: options.lowercase, digitsToZero: options.digitsToZero });
  }

  /** Number of entries, the reserved ones included. */
  get size(): number {
    return this.items.length;
  }

  /** True when the (normalised) symbol has its own entry. */
  has(symbol: string): boolean {
    return this.ids.has(this.normalize(symbol));
  }

  /** The id of a symbol after normalisation: its entry, else `unkId` (-1 when there is no `<unk>`). */
  id(symbol: string): number {
    return this.ids.get(this.normalize(symbol)) ?? this.unkId;
  }

  /** The entry with id `i`. */
  item(i: number): string {
    if (!Number.isInteger(i) || i < 0 || i >= this.items.length) throw new RangeError(`vocabulary: no id ${i} (size ${this.items.length})`);
    return this.items[i];
  }

  /** [T] ids of a sequence; a symbol with no entry in a vocabulary without `<unk>` is an error. */
  encode(symbols: readonly string[]): Int32Array {
    const out = new Int32Array(symbols.length);
    for (let t = 0; t < symbols.length; t++) {
      const id = this.id(symbols[t]);
      if (id < 0) throw new RangeError(`vocabulary: unknown symbol ${JSON.stringify(symbols[t])}`);
      out[t] = id;
    }
    return out;
  }

  /** Symbols of a sequence of ids (the normalised forms; unknown ones come back as `<unk>`). */
  decode(ids: ArrayLike<number>): string[] {
    const out: string[] = new Array(ids.length);
    for (let t = 0; t < ids.length; t++) out[t] = this.item(ids[t]);
    return out;
  }

  /** x: [T, V] one-hot rows (row t has a 1 in column id(symbols[t])), row-major. */
  oneHot(symbols: readonly string[]): Buf {
    const ids = this.encode(symbols);
    const V = this.size;
    const x = zeros(ids.length * V);
    for (let t = 0; t < ids.length; t++) x[t * V + ids[t]] = 1;
    return x;
  }

  /** The same one-hot rows in sparse form: the column of each row's 1. */
  oneHotSparse(symbols: readonly string[]): SparseOneHot {
    return { rows: symbols.length, cols: this.size, indices: this.encode(symbols) };
  }

  /** Symbols of one-hot (or score) rows x: [T, V]: the column of each row's largest value. */
  decodeOneHot(x: ArrayLike<number>, rows = x.length / this.size): string[] {
    const V = this.size;
    if (!Number.isInteger(rows) || rows * V > x.length) throw new RangeError(`vocabulary: ${x.length} values are not ${rows} rows of ${V}`);
    const out: string[] = new Array(rows);
    for (let t = 0; t < rows; t++) {
      let best = 0;
      for (let v = 1; v < V; v++) if (x[t * V + v] > x[t * V + best]) best = v;
      out[t] = this.items[best];
    }
    return out;
  }

  /** Symbols of a sparse one-hot form. */
  decodeSparse(s: SparseOneHot): string[] {
    if (s.cols !== this.size) throw new RangeError(`vocabulary: one-hot width ${s.cols} is not the vocabulary size ${this.size}`);
    return this.decode(s.indices);
  }

  /** The saved form (see store.ts). */
  toData(): VocabData {
    return {
      specials: [...this.specials],
      entries: this.items.map((w, i) => [w, this.counts[i]]),
      lowercase: this.lowercase,
      digitsToZero: this.digitsToZero,
    };
  }
}

/** Coverage of a corpus by a vocabulary: how many tokens and distinct forms have their own entry. */
export interface Coverage {
  tokens: number;
  coveredTokens: number;
  /** Distinct forms after the vocabulary's normalisation. */
  types: number;
  coveredTypes: number;
  /** coveredTokens / tokens (1 for an empty corpus). */
  tokenRate: number;
  /** coveredTypes / types (1 for an empty corpus). */
  typeRate: number;
}

/** Tally symbols for `coverage` or `Vocabulary.fromCounts`. */
export function coverageOf(vocab: Vocabulary, counts: ReadonlyMap<string, number>): Coverage {
  let tokens = 0, coveredTokens = 0, coveredTypes = 0;
  const reserved = new Set(vocab.specials);
  const types = new Map<string, number>();
  for (const [w, c] of counts) {
    const k = vocab.normalize(w);
    types.set(k, (types.get(k) ?? 0) + c);
  }
  for (const [k, c] of types) {
    tokens += c;
    if (vocab.has(k) && !reserved.has(k)) {
      coveredTokens += c;
      coveredTypes++;
    }
  }
  return {
    tokens, coveredTokens, types: types.size, coveredTypes,
    tokenRate: tokens === 0 ? 1 : coveredTokens / tokens,
    typeRate: types.size === 0 ? 1 : coveredTypes / types.size,
  };
}
