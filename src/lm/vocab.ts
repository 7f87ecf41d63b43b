/**
 * The symbols of a language model and the text ⇄ id-stream conversion.
 *
 * Two levels:
 * - `char`: a symbol is one Unicode code point; line ends are the symbol "\n" itself.
 * - `word`: a symbol is a whitespace-separated token; every line ends with `<eos>`.
 *
 * Index 0 is `<unk>` (symbols unseen in training, or rarer than `minCount`), then, at word level,
 * index 1 is `<eos>`; the rest follow by falling frequency (ties in code-point order).
 *
 * The stream of a text always starts with the BOUNDARY symbol ("\n" for char, `<eos>` for word),
 * as if the text followed a line end: the first real symbol is then predicted like any other line
 * start, and sampling without a prime starts from it too.
 */
import { UserError } from '../errors.js';

export type LmLevel = 'char' | 'word';

export const UNK = '<unk>';
export const EOS = '<eos>';

export interface LmVocab {
  level: LmLevel;
  /** Symbol of every id; symbols[0] = `<unk>` (and symbols[1] = `<eos>` at word level). */
  symbols: string[];
}

/** The symbol that starts every stream and ends every line. */
export function boundarySymbol(level: LmLevel): string {
  return level === 'char' ? '\n' : EOS;
}

/** Line ends normalised to "\n"; a final line end added when missing (char level). */
function normalise(text: string): string {
  let t = text.replace(/\r\n?/g, '\n');
  if (t.length > 0 && !t.endsWith('\n')) t += '\n';
  return t;
}

/** The symbols of a text, in order, without the leading boundary. */
export function tokenize(text: string, level: LmLevel): string[] {
  const t = normalise(text);
  if (level === 'char') return Array.from(t);
  const out: string[] = [];
  for (const line of t.split('\n').slice(0, -1)) {
    for (const w of line.split(/\s+/)) if (w !== '') out.push(w);
    out.push(EOS);
  }
  return out;
}

/**
 * The vocabulary of a training text.
 * @param minCount  symbols seen fewer times become `<unk>` (default 1: keep all)
 */
export function buildVocab(text: string, level: LmLevel, minCount = 1): LmVocab {
  const counts = new Map<string, number>();
  for (const s of tokenize(text, level)) counts.set(s, (counts.get(s) ?? 0) + 1);
  const fixed = level === 'char' ? [UNK, '\n'] : [UNK, EOS];
  for (const f of fixed) counts.delete(f);
  const rest = [...counts.entries()]
    .filter(([, c]) => c >= minCount)
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
    .map(([s]) => s);
  // "\n" is always a symbol at char level (the boundary); it keeps index 1 like <eos>.
  return { level, symbols: [...fixed, ...rest] };
}

/** Lookup of a vocabulary: id of a symbol (0 = `<unk>` for unknown ones). */
export class SymbolTable {
  private readonly index: Map<string, number>;
  readonly boundaryId: number;

  constructor(readonly vocab: LmVocab) {
    const { symbols, level } = vocab;
    if (symbols[0] !== UNK) throw new Error(`LM vocabulary: symbols[0] must be ${UNK}`);
    this.index = new Map(symbols.map((s, i) => [s, i]));
    if (this.index.size !== symbols.length) throw new Error('LM vocabulary: duplicate symbols');
    const b = this.index.get(boundarySymbol(level));
    if (b === undefined) throw new Error(`LM vocabulary: no boundary symbol ${JSON.stringify(boundarySymbol(level))}`);
    this.boundaryId = b;
  }

  get size(): number {
    return this.vocab.symbols.length;
  }

  id(symbol: string): number {
    return this.index.get(symbol) ?? 0;
  }

  /**
   * The id stream of a text: [boundary, s1, …, sN] ([N+1]), and how many symbols were unknown.
   */
  encode(text: string): { ids: Int32Array; unknown: number } {
    const syms = tokenize(text, this.vocab.level);
    const ids = new Int32Array(syms.length + 1);
    ids[0] = this.boundaryId;
    let unknown = 0;
    for (let i = 0; i < syms.length; i++) {
      const id = this.id(syms[i]);
      if (id === 0) unknown++;
      ids[i + 1] = id;
    }
    return { ids, unknown };
  }

  /** Symbols of a prime text, without the trailing line end `encode` would add. */
  encodePrime(prime: string): Int32Array {
    const t = prime.replace(/\r\n?/g, '\n');
    const syms = this.vocab.level === 'char' ? Array.from(t) : t.split(/(\n)/).flatMap((part) =>
      part === '\n' ? [EOS] : part.split(/\s+/).filter((w) => w !== ''));
    return Int32Array.from(syms, (s) => this.id(s));
  }

  /** Text of a symbol sequence: chars concatenated; words joined by spaces, `<eos>` as a line end. */
  decode(ids: ArrayLike<number>): string {
    const { symbols, level } = this.vocab;
    if (level === 'char') {
      let s = '';
      for (let i = 0; i < ids.length; i++) s += symbols[ids[i]];
      return s;
    }
    let s = '', lineStart = true;
    for (let i = 0; i < ids.length; i++) {
      const w = symbols[ids[i]];
      if (w === EOS) { s += '\n'; lineStart = true; continue; }
      s += (lineStart ? '' : ' ') + w;
      lineStart = false;
    }
    return s;
  }
}

/** Checks a level given by a user. */
export function checkLevel(level: string): LmLevel {
  if (level !== 'char' && level !== 'word') throw new UserError(`level must be "char" or "word", got "${level}"`);
  return level;
}
