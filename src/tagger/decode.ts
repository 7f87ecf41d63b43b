/**
 * Turning per-token tag scores into tag sequences and scored entities.
 */
import type { Buf } from '../tensor/index.js';
import type { TransitionMask } from '../data/schemes.js';

/**
 * Best tag sequence of one sentence under the scheme's constraints: maximises Σ_t log p_t(k_t)
 * over sequences whose every transition (including start and end) the scheme allows. With a
 * softmax decoder this is the most probable *well-formed* sequence under the per-token
 * independence the softmax assumes (plain argmax can emit e.g. `O E-PER`).
 *
 * @param probs  [T·B, K] row-major, time-major (row t·B + b)
 * @param b      which sequence of the batch; `len` its length
 * @param out    receives len tag ids
 */
export function constrainedViterbi(
  probs: Buf, B: number, b: number, len: number, K: number, mask: TransitionMask, out: Int32Array,
): void {
  if (len === 0) return;
  const prev = predecessorsOf(mask, K);
  const score = new Float64Array(len * K); // [len, K] best log-probability ending in tag k at t
  const back = new Int32Array(len * K); //    [len, K] its predecessor
  const lp = (t: number, k: number) => Math.log(Math.max(probs[(t * B + b) * K + k], 1e-30));
  for (let k = 0; k < K; k++) score[k] = mask.start[k] ? lp(0, k) : -Infinity;
  for (let t = 1; t < len; t++) {
    const o = (t - 1) * K;
    for (let k = 0; k < K; k++) {
      // Over the allowed predecessors j of k in increasing order, the first best (as a scan of all j would pick).
      let best = -Infinity, arg = 0;
      for (let q = prev.start[k], e = prev.start[k + 1]; q < e; q++) {
        const j = prev.list[q];
        const s = score[o + j];
        if (s > best) { best = s; arg = j; }
      }
      score[t * K + k] = best + lp(t, k);
      back[t * K + k] = arg;
    }
  }
  let best = -Infinity, arg = -1;
  for (let k = 0; k < K; k++) {
    const s = mask.end[k] ? score[(len - 1) * K + k] : -Infinity;
    if (s > best) { best = s; arg = k; }
  }
  if (arg < 0) {
    // No well-formed sequence (cannot happen with an O tag): fall back to per-token argmax.
    argmaxSequence(probs, B, b, len, K, out);
    return;
  }
  for (let t = len - 1; t >= 0; t--) {
    out[t] = arg;
    arg = back[t * K + arg];
  }
}

/** For each tag k, the tags j that may precede it (mask.allowed[j][k]), increasing: list[start[k] .. start[k+1]). */
interface Predecessors { start: Int32Array; list: Int32Array }

const predecessorCache = new WeakMap<TransitionMask, Predecessors>();

function predecessorsOf(mask: TransitionMask, K: number): Predecessors {
  let p = predecessorCache.get(mask);
  if (p === undefined || p.start.length !== K + 1) {
    const start = new Int32Array(K + 1), list: number[] = [];
    for (let k = 0; k < K; k++) {
      start[k] = list.length;
      for (let j = 0; j < K; j++) if (mask.allowed[j][k]) list.push(j);
    }
    start[K] = list.length;
    p = { start, list: Int32Array.from(list) };
    predecessorCache.set(mask, p);
  }
  return p;
}

/** Per-token argmax of one sequence. @param probs [T·B, K] */
export function argmaxSequence(probs: Buf, B: number, b: number, len: number, K: number, out: Int32Array): void {
  for (let t = 0; t < len; t++) {
    const o = (t * B + b) * K;
    let best = -Infinity, arg = 0;
    for (let k = 0; k < K; k++) if (probs[o + k] > best) { best = probs[o + k]; arg = k; }
    out[t] = arg;
  }
}

/**
 * Softmax decoder's entity confidence: the probability the model gives to the entity's exact
 * predicted tag sequence over [start, end), i.e. Π_t p_t(tag_t) — a joint probability under the
 * softmax's own independence assumption (the CRF decoder reports the exact span marginal).
 */
export function spanScore(probs: Buf, B: number, b: number, K: number, tagIds: Int32Array, start: number, end: number): number {
  let p = 1;
  for (let t = start; t < end; t++) p *= probs[(t * B + b) * K + tagIds[t]];
  return p;
}
