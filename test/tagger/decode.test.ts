import { describe, expect, it } from 'vitest';
import { constrainedViterbi } from '../../src/tagger/decode.js';
import { transitionMask, type TransitionMask } from '../../src/data/schemes.js';
import { wordKey, casingOf, unicodeCasing } from '../../src/tagger/features.js';
import { Rng } from '../../src/tensor/index.js';

/** The best well-formed sequence by enumerating all K^len of them (first best in lexicographic order on ties). */
function bruteForce(probs: Float32Array, B: number, b: number, len: number, K: number, mask: TransitionMask): number[] | null {
  let best = -Infinity, arg: number[] | null = null;
  const seq = new Array<number>(len).fill(0);
  const total = K ** len;
  for (let code = 0; code < total; code++) {
    let c = code;
    for (let t = len - 1; t >= 0; t--) { seq[t] = c % K; c = Math.floor(c / K); }
    if (!mask.start[seq[0]] || !mask.end[seq[len - 1]]) continue;
    let ok = true, s = 0;
    for (let t = 0; t < len && ok; t++) {
      if (t > 0 && !mask.allowed[seq[t - 1]][seq[t]]) ok = false;
      s += Math.log(Math.max(probs[(t * B + b) * K + seq[t]], 1e-30));
    }
    if (ok && s > best + 1e-9) { best = s; arg = [...seq]; }
  }
  return arg;
}

describe('constrainedViterbi', () => {
  for (const [scheme, tags] of [
    ['IOB1', ['O', 'I-PER', 'B-PER', 'I-LOC', 'B-LOC']],
    ['IOBES', ['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER', 'S-LOC']],
  ] as const) {
    it(`finds the most probable well-formed ${scheme} sequence (against enumerating all)`, () => {
      const mask = transitionMask(tags, scheme);
      const K = tags.length, B = 3, rng = new Rng(7);
      for (let trial = 0; trial < 20; trial++) {
        const T = 1 + (trial % 5);
        const probs = new Float32Array(T * B * K);
        for (let r = 0; r < T * B; r++) {
          let z = 0;
          for (let k = 0; k < K; k++) { probs[r * K + k] = Math.exp(3 * rng.float()); z += probs[r * K + k]; }
          for (let k = 0; k < K; k++) probs[r * K + k] /= z;
        }
        for (let b = 0; b < B; b++) {
          const len = T - (b % 2 === 1 && T > 1 ? 1 : 0);
          const out = new Int32Array(len);
          constrainedViterbi(probs, B, b, len, K, mask, out);
          expect(Array.from(out)).toEqual(bruteForce(probs, B, b, len, K, mask));
        }
      }
    });
  }
});

describe('token features', () => {
  const tokens = [
    'Angela', 'MERKEL', 'paris', '1996', '3rd', 'A4', '12-3', 'U.S.', "n't", '--', '.', 'e-mail', 'x1y2z3', '007a',
    'Zürich', 'ÉCOLE', 'naïve', '١٢٣', 'ΑΘΗΝΑ', 'Москва', '東京', 'Straße', 'ǅemal', '٣abc', 'İstanbul', '',
  ];
  it('wordKey: lower case, every decimal digit (any script) → 0', () => {
    for (const t of tokens) expect(wordKey(t)).toBe(t.toLowerCase().replace(/\p{Nd}/gu, '0'));
    expect(wordKey('Report-2003')).toBe('report-0000');
  });
  it('casingOf gives the classes of the Unicode rules for ASCII and other tokens alike', () => {
    const rng = new Rng(3);
    const alphabet = 'aZ09.-_ éÉ٣';
    const random = Array.from({ length: 500 }, () => Array.from({ length: 1 + Math.floor(rng.float() * 6) }, () => alphabet[Math.floor(rng.float() * alphabet.length)]).join(''));
    for (const t of [...tokens, ...random]) expect(casingOf(t), t).toBe(unicodeCasing(t));
    expect([casingOf('1996'), casingOf('A4'), casingOf('paris'), casingOf('NATO'), casingOf('Paris'), casingOf('x1y'), casingOf('.')])
      .toEqual([1, 5, 3, 4, 5, 6, 7]);
  });
});
