/**
 * Softmax cross-entropy over the real (unmasked) time steps of a padded, time-major batch, and
 * the softmax / argmax used for prediction.
 *
 * Dims: T time steps, B sequences, K classes (tags); rows are r = t·B + b (time-major), so
 * logits are [T·B, K] and gold ids [T·B].
 */
import { zeros, softmaxRows, type Buf } from '../tensor/index.js';
import { Scratch } from './dense.js';

/**
 * Which rows count: either an explicit mask [T·B] (non-zero = real token), or the lengths [B]
 * of the sequences with T (mask[t, b] = t < lengths[b]).
 */
export type Mask = Uint8Array | { lengths: Int32Array; T: number };

/** mask [T·B] (1 = real token) of a time-major batch with these lengths [B]. */
export function maskFromLengths(lengths: Int32Array, T: number): Uint8Array {
  const B = lengths.length;
  const m = new Uint8Array(T * B);
  for (let t = 0; t < T; t++) for (let b = 0; b < B; b++) m[t * B + b] = t < lengths[b] ? 1 : 0;
  return m;
}

/** Number of rows of a mask (T·B). */
export function maskRows(mask: Mask): number {
  return mask instanceof Uint8Array ? mask.length : mask.T * mask.lengths.length;
}

export type Reduction = 'mean' | 'sum';

export interface CrossEntropyResult {
  /** Mean NLL over the real tokens of the batch (0 when there are none). */
  loss: number;
  /** Summed NLL over the real tokens. */
  sum: number;
  /** Number of real tokens. */
  count: number;
  /**
   * dlogits [T·B, K]: ∂(loss)/∂logits with reduction `mean` (default), ∂(sum)/∂logits with `sum`;
   * zero on masked rows. A buffer owned by the SoftmaxCrossEntropy instance (or fresh, from the
   * plain function), overwritten by its next call.
   */
  dlogits: Buf;
}

/**
 * Softmax cross-entropy with a mask. For each real row r: NLL_r = log Σ_k exp(z_rk) − z_r,gold
 * (stable log-sum-exp) and dNLL_r/dz_rk = softmax(z_r)_k − [k = gold_r].
 * Keeps its dlogits buffer from call to call.
 */
export class SoftmaxCrossEntropy {
  private readonly dBuf = new Scratch();

  /** @param reduction which of mean/sum the returned dlogits differentiate (default `mean`). */
  constructor(readonly reduction: Reduction = 'mean') {}

  /**
   * @param logits [T·B, K]
   * @param gold   [T·B] class ids in [0, K) (ignored on masked rows, e.g. −1 there)
   * @param K      number of classes
   * @param mask   which rows are real tokens (see Mask)
   */
  compute(logits: Buf, gold: Int32Array, K: number, mask: Mask): CrossEntropyResult {
    const rows = maskRows(mask);
    return crossEntropyInto(logits, gold, K, mask, rows, this.reduction, this.dBuf.get(rows * K));
  }
}

/** As `SoftmaxCrossEntropy.compute`, with a freshly allocated dlogits [T·B, K]. */
export function softmaxCrossEntropy(
  logits: Buf, gold: Int32Array, K: number, mask: Mask, reduction: Reduction = 'mean',
): CrossEntropyResult {
  const rows = maskRows(mask);
  return crossEntropyInto(logits, gold, K, mask, rows, reduction, zeros(rows * K));
}

function crossEntropyInto(
  logits: Buf, gold: Int32Array, K: number, mask: Mask, rows: number, reduction: Reduction, d: Buf,
): CrossEntropyResult {
  if (logits.length < rows * K) throw new RangeError(`softmax cross-entropy: logits have ${logits.length} elements, need ${rows}×${K}`);
  if (gold.length < rows) throw new RangeError(`softmax cross-entropy: ${gold.length} gold ids for ${rows} rows`);
  const explicit = mask instanceof Uint8Array ? mask : null;
  const lengths = explicit ? null : (mask as { lengths: Int32Array }).lengths;
  const B = explicit ? 1 : lengths!.length;
  // First pass: count real rows (for the mean's scale).
  let count = 0;
  for (let r = 0; r < rows; r++) if (isReal(r)) count++;
  const scale = reduction === 'mean' ? (count > 0 ? 1 / count : 0) : 1;
  let sum = 0;
  for (let r = 0; r < rows; r++) {
    const o = r * K;
    if (!isReal(r)) {
      d.fill(0, o, o + K);
      continue;
    }
    const g = gold[r];
    if (!(g >= 0 && g < K)) throw new RangeError(`softmax cross-entropy: gold id ${g} at row ${r} is outside [0, ${K})`);
    let m = -Infinity;
    for (let k = 0; k < K; k++) if (logits[o + k] > m) m = logits[o + k];
    let s = 0;
    for (let k = 0; k < K; k++) {
      const e = Math.exp(logits[o + k] - m);
      d[o + k] = e;
      s += e;
    }
    const lse = m + Math.log(s);
    sum += lse - logits[o + g];
    const inv = scale / s;
    for (let k = 0; k < K; k++) d[o + k] *= inv;
    d[o + g] -= scale;
  }
  return { loss: count > 0 ? sum / count : 0, sum, count, dlogits: d };

  function isReal(r: number): boolean {
    if (explicit) return explicit[r] !== 0;
    const t = Math.floor(r / B), b = r - t * B;
    return t < lengths![b];
  }
}

/**
 * Row-wise softmax probabilities for prediction (max-shifted, stable).
 * @param logits [N, K]
 * @param out    [N, K] destination (default: a new buffer); may be `logits` itself
 * @returns probs [N, K]
 */
export function softmaxProbs(logits: Buf, rows: number, K: number, out: Buf = zeros(rows * K)): Buf {
  softmaxRows(logits, rows, K, out);
  return out;
}

/**
 * Index of the largest value of each row (the first one on ties).
 * @param x [N, K]
 * @returns [N] class ids
 */
export function argmaxRows(x: Buf, rows: number, K: number, out: Int32Array = new Int32Array(rows)): Int32Array {
  for (let r = 0; r < rows; r++) {
    const o = r * K;
    let best = 0;
    for (let k = 1; k < K; k++) if (x[o + k] > x[o + best]) best = k;
    out[r] = best;
  }
  return out;
}
