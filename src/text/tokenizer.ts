/**
 * Word tokenizer with character offsets, in the style of CoNLL-2003 (Penn Treebank conventions):
 *
 *   He said "no." → He · said · " · no · . · "        U.S. · 1996-08-22 · 3,000.50 stay whole
 *   O'Neil's → O'Neil · 's        wasn't → was · n't  punctuation, quotes and brackets separate
 *
 * Built on natural's TreebankWordTokenizer, which returns strings only and whose rules are
 * written for ASCII (`\w`). We therefore run it on a *mask* of the input with exactly the same
 * length in UTF-16 code units:
 *   - letters, marks and digits of any script become `x` (so `café`, `straße`, `中国` are words),
 *   - separators (see chars.ts) become a space, the typographic apostrophe ’ becomes `'`,
 *   - everything else is left as it is.
 * natural only inserts spaces and splits on whitespace, so its tokens appear in the mask in
 * order; walking the mask once recovers each token's offsets, and the token's `text` is the
 * ORIGINAL slice. A few rules then repair what natural's rules miss (a pair of UTF-16 surrogates
 * or an emoji sequence cut apart, `3:30`, a trailing comma or quote at the end of the input, the
 * period of a sentence's last word before a closing quote, `wait...`).
 *
 * Invariants, for every input: `text.slice(t.start, t.end) === t.text`; tokens are in order and
 * do not overlap; a token is never empty; every non-separator character is inside a token.
 * Offsets are UTF-16 code-unit offsets (JavaScript string indices). Time is linear in the input.
 */
import { createRequire } from 'node:module';
import { isSeparatorAt } from './chars.js';

/** A token and its place in the input: `input.slice(start, end) === text`. */
export interface Token {
  text: string;
  /** Offset of the first UTF-16 code unit. */
  start: number;
  /** Offset just past the last UTF-16 code unit. */
  end: number;
}

interface NaturalTokenizer {
  tokenize(text: string): string[];
}

// Imported by path: `import 'natural'` loads database back-ends and prints a dotenv banner.
const require = createRequire(import.meta.url);
const TreebankWordTokenizer = require('natural/lib/natural/tokenizers/treebank_word_tokenizer') as new () => NaturalTokenizer;
const treebank = new TreebankWordTokenizer();

const WORD_CP = /^[\p{L}\p{M}\p{N}]/u;
const MARK_CP = /^\p{M}/u;
const maskCache = new Map<string, string>();

/** Mask of one non-printable-ASCII code point `m` (one or two code units); `afterWord` is true
 *  when the previous character was masked as a word character. */
function maskCodePoint(m: string, afterWord: boolean): string {
  if (m.length === 1 && isSeparatorAt(m, 0)) return m === '\n' || m === '\u2028' || m === '\u2029' ? '\n' : ' ';
  if (m === '\u2019' || m === '\u2018') return "'";
  // Joiners and combining marks continue a word; after a symbol (emoji + U+FE0F) they stay
  // as they are and are glued back to the symbol after tokenization.
  if (m === '\u200C' || m === '\u200D' || m === '\u00AD') return afterWord ? 'x' : m;
  let cls = maskCache.get(m);
  if (cls === undefined) {
    cls = WORD_CP.test(m) ? (MARK_CP.test(m) ? 'm' : 'w') : 'o';
    if (maskCache.size < 4096) maskCache.set(m, cls);
  }
  if (cls === 'w' || (cls === 'm' && afterWord)) return m.length === 1 ? 'x' : 'xx';
  return m;
}

const NON_PRINTABLE_ASCII = /[^\x20-\x7e]/gu;

/** The mask described above: same length as `text`, ASCII word characters unchanged. */
export function maskForTreebank(text: string): string {
  return text.replace(NON_PRINTABLE_ASCII, (m: string, offset: number) => {
    let afterWord = false;
    if (offset > 0) {
      const p = text.charCodeAt(offset - 1);
      if (p < 0x80) afterWord = (p >= 0x30 && p <= 0x39) || ((p | 0x20) >= 0x61 && (p | 0x20) <= 0x7a) || p === 0x5f;
      else {
        const lo = offset - 1;
        const prev = p >= 0xdc00 && p <= 0xdfff && lo > 0 ? text.slice(lo - 1, offset) : text[lo];
        afterWord = WORD_CP.test(prev) || prev === '\u200C' || prev === '\u200D' || prev === '\u00AD';
      }
    }
    const r = maskCodePoint(m, afterWord);
    // Newlines: natural splits a period before one; our sentence splitter decides instead.
    return r === '\n' ? ' ' : r;
  });
}

/** Offsets of natural's tokens in the mask (natural only inserts spaces, so one walk suffices). */
function align(mask: string, pieces: string[], base: number, into: number[][]): void {
  let p = 0;
  for (const piece of pieces) {
    while (p < mask.length && mask.charCodeAt(p) === 0x20) p++;
    if (!mask.startsWith(piece, p)) {
      const q = mask.indexOf(piece, p);
      if (q < 0) throw new Error(`tokenizer: cannot align ${JSON.stringify(piece)} at offset ${base + p}`);
      p = q;
    }
    into.push([base + p, base + p + piece.length]);
    p += piece.length;
  }
}

const isHigh = (c: number) => c >= 0xd800 && c <= 0xdbff;
const isLow = (c: number) => c >= 0xdc00 && c <= 0xdfff;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const CLUSTER_CONT = /^[\p{M}\u200D\u{1F3FB}-\u{1F3FF}\u{E0020}-\u{E007F}]/u;
const REGIONAL = /^[\u{1F1E6}-\u{1F1FF}]$/u;

/** True when a boundary at `i` (with nothing between) would cut a character or an emoji sequence. */
function insideCluster(text: string, i: number, prevStart: number): boolean {
  const c = text.charCodeAt(i);
  if (isLow(c) && isHigh(text.charCodeAt(i - 1))) return true;
  if (text.charCodeAt(i - 1) === 0x200d) return true;
  if (CLUSTER_CONT.test(text.slice(i, i + 2))) return true;
  // A flag is a pair of regional indicators.
  return REGIONAL.test(text.slice(prevStart, i)) && REGIONAL.test(text.slice(i, i + 2));
}

const CLOSERS = new Set(['"', "'", ')', ']', '}', '\u201d', '\u2019', '\u00bb', '\u203a']);
const CLITIC = /^(?:['\u2019](?:s|re|ve|ll|m|d)|n['\u2019]t)$/i;

/**
 * Tokenize `text.slice(start, end)` as ONE sentence (no sentence splitting): the period of its
 * last word is split off, `U.S.` inside it is kept whole. Offsets refer to `text`.
 * Most callers want `tokenize` (sentences.ts), which splits sentences first.
 */
export function tokenizeSentence(text: string, start = 0, end = text.length): Token[] {
  if (end <= start) return [];
  const slice = start === 0 && end === text.length ? text : text.slice(start, end);
  const mask = maskForTreebank(slice);
  const raw: number[][] = [];
  align(mask, treebank.tokenize(mask), start, raw);

  // 1. Glue back what must not be cut: surrogate pairs, emoji sequences, `3:30`, `..` + `.`.
  const glued: number[][] = [];
  for (const r of raw) {
    const prev = glued[glued.length - 1];
    if (prev && prev[1] === r[0]) {
      const i = r[0];
      if (insideCluster(text, i, prev[0])) { prev[1] = r[1]; continue; }
      if (text.charCodeAt(i - 1) === 0x2e && /^\.+$/.test(text.slice(r[0], r[1]))) { prev[1] = r[1]; continue; }
    }
    // CoNLL keeps `cannot` and currency symbols like `C$`, `US$`, `HK$` whole.
    if (prev && prev[1] === r[0]) {
      const left = text.slice(prev[0], prev[1]);
      const right = text.slice(r[0], r[1]);
      if ((right === '$' && /^[A-Z]{1,3}$/.test(left)) || (/^can$/i.test(left) && /^not$/i.test(right))) {
        prev[1] = r[1];
        continue;
      }
    }
    // digit ':' digit (times, scores): natural split the colon off.
    const before = glued[glued.length - 2];
    if (before && prev && before[1] === prev[0] && prev[1] === r[0] && prev[1] - prev[0] === 1 &&
        text.charCodeAt(prev[0]) === 0x3a && isDigit(text.charCodeAt(prev[0] - 1)) && isDigit(text.charCodeAt(r[0]))) {
      glued.pop();
      before[1] = r[1];
      continue;
    }
    glued.push([r[0], r[1]]);
  }

  // 2. Split what natural leaves attached at the edges of the input.
  let last = glued.length - 1; // the sentence's last word: skip closing quotes and brackets
  while (last >= 0 && glued[last][1] - glued[last][0] === 1 && CLOSERS.has(text[glued[last][0]])) last--;
  const out: Token[] = [];
  const push = (a: number, b: number) => { if (b > a) out.push({ text: text.slice(a, b), start: a, end: b }); };
  for (let k = 0; k < glued.length; k++) {
    let [a, b] = glued[k];
    const tail: number[][] = [];
    if (b - a > 1) {
      const tok = text.slice(a, b);
      if (!CLITIC.test(tok)) {
        // leading apostrophe used as a quote ('quoted'), but not '96 or a clitic
        const c0 = tok[0];
        if ((c0 === "'" || c0 === '\u2018' || c0 === '\u2019') && !isDigit(tok.charCodeAt(1)) && b - a > 1) {
          push(a, a + 1);
          a++;
        }
        // trailing comma, quote, or ellipsis; the sentence-final period of the last word
        while (b - a > 1) {
          const cl = text[b - 1];
          if (cl === ',' || cl === "'" || cl === '\u2019') {
            tail.unshift([b - 1, b]);
            b--;
          } else if (cl === '.') {
            let q = b - 1;
            while (q > a && text.charCodeAt(q - 1) === 0x2e) q--;
            if (q === a) break; // all periods
            if (b - q >= 2) { tail.unshift([q, b]); b = q; } // wait... → wait ...
            else if (k === last) { tail.unshift([b - 1, b]); b--; } // U.S. at the end → U.S .
            break;
          } else break;
        }
      }
    }
    push(a, b);
    for (const [x, y] of tail) push(x, y);
  }
  return out;
}
