/**
 * Forward–backward of a linear-chain CRF in log space: α, β, log Z, and from them the token,
 * pair and span marginals. The CRF layer (crf.ts) owns the parameters and calls these kernels.
 *
 * Dims: T time steps, B sequences, K tags. Emissions are time-major [T·B, K] (row t·B + b);
 * α and β share that layout. For a sequence of length L with tags y₀ … y_{L−1}:
 *
 *   score(y) = start[y₀] + Σ_{t<L} e_t[y_t] + Σ_{0<t<L} trans[y_{t−1}, y_t] + end[y_{L−1}]
 *   α_0[k] = start[k] + e_0[k]          α_t[k] = e_t[k] + log Σ_j exp(α_{t−1}[j] + trans[j, k])
 *   β_{L−1}[j] = end[j]                 β_t[j] = log Σ_k exp(trans[j, k] + e_{t+1}[k] + β_{t+1}[k])
 *   log Z = log Σ_k exp(α_{L−1}[k] + end[k])
 *   P(y_t = k) = exp(α_t[k] + β_t[k] − log Z)
 *   P(y_{t−1} = j, y_t = k) = exp(α_{t−1}[j] + trans[j, k] + e_t[k] + β_t[k] − log Z)
 *
 * Forbidden transitions are truly masked: the sums run over the allowed neighbours only (CSR
 * lists), so no large negative constant ever enters an exp. A state that no allowed path reaches
 * has α = −∞ (likewise β).
 *
 * Each step's log-sum-exp over [K] × [K, K] is a max-shifted product in probability space:
 *   log Σ_j exp(α[j] + trans[j, k]) = m + c_k + log Σ_j exp(α[j] − m) · exp(trans[j, k] − c_k)
 * with m = max_j α[j] and c_k = max_j trans[j, k] over the allowed j, so every factor is ≤ 1, a
 * step costs K exps and K² multiply-adds (the exp(trans − c) table is built once per call), and
 * nothing overflows. When a sum falls below 1e-250 (the dominant α and the dominant transition
 * disagree by hundreds of nats) that entry is recomputed exactly, shifted by its own maximum, so
 * long sentences with emission scores in the thousands stay exact.
 *
 * α and β are Float64Array workspaces whatever the dtype: log-space sums over long sentences
 * want the precision, and they never leave this floor (outputs go through `zeros`).
 */
import { zeros, type Buf } from '../tensor/index.js';

/** Emission scores as read by the kernels: a Buf (Float32Array, or Float64Array in float64 mode). */
export type Scores = Float32Array | Float64Array;

/**
 * The effective scores of a CRF at one moment: parameter values with −∞ at forbidden entries,
 * plus the allowed-neighbour lists. Built once per mask (`makeChain`), values refreshed from the
 * parameters before each use (`refreshChain`).
 */
export interface Chain {
  readonly K: number;
  /** Column maxima c_k = max_{allowed j} trans[j, k] [K] (−∞ if k has no predecessor). */
  readonly colMax: Float64Array;
  /** Row maxima r_j = max_{allowed k} trans[j, k] [K] (−∞ if j has no successor). */
  readonly rowMax: Float64Array;
  /** exp(trans[prevIdx[p], k] − c_k), aligned with prevIdx. */
  readonly prevExp: Float64Array;
  /** exp(trans[j, nextIdx[n]] − r_j), aligned with nextIdx. */
  readonly nextExp: Float64Array;
  /** Workspaces [K] of the kernels. */
  readonly u: Float64Array;
  readonly v: Float64Array;
  /** Workspace aligned with prevIdx: pair sums in CSR order (contiguous in the inner loop). */
  readonly pairSum: Float64Array;
  /** [K, K] prev → cur; −∞ where forbidden. */
  readonly trans: Float64Array;
  /** [K]; −∞ where a sequence may not start with the tag. */
  readonly start: Float64Array;
  /** [K]; −∞ where a sequence may not end with the tag. */
  readonly end: Float64Array;
  /** [K·K], [K], [K]: 1 = allowed. */
  readonly transOk: Uint8Array;
  readonly startOk: Uint8Array;
  readonly endOk: Uint8Array;
  /** Allowed predecessors of k: prevIdx[prevPtr[k] .. prevPtr[k+1]). */
  readonly prevPtr: Int32Array;
  readonly prevIdx: Int32Array;
  /** Allowed successors of j: nextIdx[nextPtr[j] .. nextPtr[j+1]). */
  readonly nextPtr: Int32Array;
  readonly nextIdx: Int32Array;
}

/**
 * @param transOk [K·K] row-major, transOk[j·K + k] = may k follow j
 * @param startOk [K], endOk [K]
 */
export function makeChain(K: number, transOk: Uint8Array, startOk: Uint8Array, endOk: Uint8Array): Chain {
  const prevPtr = new Int32Array(K + 1), nextPtr = new Int32Array(K + 1);
  const prev: number[] = [], next: number[] = [];
  for (let k = 0; k < K; k++) {
    for (let j = 0; j < K; j++) if (transOk[j * K + k]) prev.push(j);
    prevPtr[k + 1] = prev.length;
  }
  for (let j = 0; j < K; j++) {
    for (let k = 0; k < K; k++) if (transOk[j * K + k]) next.push(k);
    nextPtr[j + 1] = next.length;
  }
  return {
    K, transOk, startOk, endOk,
    trans: new Float64Array(K * K), start: new Float64Array(K), end: new Float64Array(K),
    prevPtr, prevIdx: Int32Array.from(prev), nextPtr, nextIdx: Int32Array.from(next),
    colMax: new Float64Array(K), rowMax: new Float64Array(K),
    prevExp: new Float64Array(prev.length), nextExp: new Float64Array(next.length),
    u: new Float64Array(K), v: new Float64Array(K), pairSum: new Float64Array(prev.length),
  };
}

/** A copy of the chain's scores with its own workspaces (the mask arrays are shared). */
export function copyChain(c: Chain): Chain {
  return {
    ...c,
    trans: Float64Array.from(c.trans), start: Float64Array.from(c.start), end: Float64Array.from(c.end),
    colMax: Float64Array.from(c.colMax), rowMax: Float64Array.from(c.rowMax),
    prevExp: Float64Array.from(c.prevExp), nextExp: Float64Array.from(c.nextExp),
    u: new Float64Array(c.K), v: new Float64Array(c.K), pairSum: new Float64Array(c.prevIdx.length),
  };
}

/** Below this a shifted probability-space sum is recomputed exactly in log space. */
const TINY = 1e-250;

/** Copies parameter values into the chain, −∞ at forbidden entries. trans [K, K], start/end [K]. */
export function refreshChain(c: Chain, trans: Scores, start: Scores, end: Scores): void {
  const K = c.K;
  for (let i = 0; i < K * K; i++) c.trans[i] = c.transOk[i] ? trans[i] : -Infinity;
  for (let k = 0; k < K; k++) {
    c.start[k] = c.startOk[k] ? start[k] : -Infinity;
    c.end[k] = c.endOk[k] ? end[k] : -Infinity;
  }
  for (let k = 0; k < K; k++) {
    let m = -Infinity;
    for (let p = c.prevPtr[k]; p < c.prevPtr[k + 1]; p++) m = Math.max(m, c.trans[c.prevIdx[p] * K + k]);
    c.colMax[k] = m;
    for (let p = c.prevPtr[k]; p < c.prevPtr[k + 1]; p++) c.prevExp[p] = Math.exp(c.trans[c.prevIdx[p] * K + k] - m);
  }
  for (let j = 0; j < K; j++) {
    let m = -Infinity;
    for (let n = c.nextPtr[j]; n < c.nextPtr[j + 1]; n++) m = Math.max(m, c.trans[j * K + c.nextIdx[n]]);
    c.rowMax[j] = m;
    for (let n = c.nextPtr[j]; n < c.nextPtr[j + 1]; n++) c.nextExp[n] = Math.exp(c.trans[j * K + c.nextIdx[n]] - m);
  }
}

/** m = max of x[o .. o+K); u[i] = exp(x[o+i] − m) (0 for −∞). Returns m (−∞ if all are −∞). */
function shiftedExp(x: Float64Array, o: number, K: number, u: Float64Array): number {
  let m = -Infinity;
  for (let i = 0; i < K; i++) if (x[o + i] > m) m = x[o + i];
  if (m === -Infinity) u.fill(0);
  else for (let i = 0; i < K; i++) u[i] = Math.exp(x[o + i] - m);
  return m;
}

/** Checks lengths [B] against T. */
export function checkLengths(who: string, T: number, B: number, lengths: Int32Array): void {
  if (lengths.length !== B) throw new RangeError(`${who}: ${lengths.length} lengths for a batch of ${B}`);
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (!(Number.isInteger(L) && L >= 0 && L <= T)) throw new RangeError(`${who}: length ${L} of sequence ${b} is outside [0, ${T}]`);
  }
}

/**
 * Forward algorithm. Fills α [T·B, K] on the real steps (padded rows are left untouched) and
 * log Z [B] (0 for an empty sequence: the empty path has probability 1).
 * @param em emissions [T·B, K]
 */
export function forwardLog(
  c: Chain, em: Scores, T: number, B: number, lengths: Int32Array, alpha: Float64Array, logZ: Float64Array,
): void {
  const K = c.K, trans = c.trans, start = c.start, prevPtr = c.prevPtr, prevIdx = c.prevIdx;
  const prevExp = c.prevExp, colMax = c.colMax, u = c.u;
  const BK = B * K;
  for (let b = 0; b < B; b++) {
    if (lengths[b] === 0) continue;
    const o = b * K;
    for (let k = 0; k < K; k++) alpha[o + k] = start[k] + em[o + k];
  }
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const o = t * BK + b * K, po = o - BK;
      const ma = shiftedExp(alpha, po, K, u);
      for (let k = 0; k < K; k++) {
        const p1 = prevPtr[k + 1];
        let s = 0;
        for (let p = prevPtr[k]; p < p1; p++) s += u[prevIdx[p]] * prevExp[p];
        alpha[o + k] = (s > TINY ? ma + colMax[k] + Math.log(s) : exactInto(alpha, po, trans, k, K, prevPtr[k], p1, prevIdx)) + em[o + k];
      }
    }
  }
  const end = c.end;
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L === 0) {
      logZ[b] = 0;
      continue;
    }
    const o = (L - 1) * BK + b * K;
    let m = -Infinity;
    for (let k = 0; k < K; k++) {
      const v = alpha[o + k] + end[k];
      if (v > m) m = v;
    }
    if (m === -Infinity) {
      logZ[b] = -Infinity;
      continue;
    }
    let s = 0;
    for (let k = 0; k < K; k++) s += Math.exp(alpha[o + k] + end[k] - m);
    logZ[b] = m + Math.log(s);
  }
}

/**
 * Backward algorithm. Fills β [T·B, K] on the real steps (padded rows untouched).
 * @param em emissions [T·B, K]
 */
export function backwardLog(c: Chain, em: Scores, T: number, B: number, lengths: Int32Array, beta: Float64Array): void {
  const K = c.K, trans = c.trans, nextPtr = c.nextPtr, nextIdx = c.nextIdx;
  const nextExp = c.nextExp, rowMax = c.rowMax, w = c.u, v = c.v;
  const BK = B * K;
  for (let b = 0; b < B; b++) {
    const L = lengths[b];
    if (L === 0) continue;
    const o = (L - 1) * BK + b * K;
    for (let k = 0; k < K; k++) beta[o + k] = c.end[k];
  }
  for (let t = T - 2; t >= 0; t--) {
    for (let b = 0; b < B; b++) {
      if (t + 1 >= lengths[b]) continue;
      const o = t * BK + b * K, no = o + BK;
      for (let k = 0; k < K; k++) w[k] = em[no + k] + beta[no + k];
      const mw = shiftedExp(w, 0, K, v);
      for (let j = 0; j < K; j++) {
        const n1 = nextPtr[j + 1];
        let s = 0;
        for (let n = nextPtr[j]; n < n1; n++) s += nextExp[n] * v[nextIdx[n]];
        if (s > TINY) {
          beta[o + j] = mw + rowMax[j] + Math.log(s);
          continue;
        }
        // exact: log Σ_k exp(trans[j, k] + w[k]), shifted by its own maximum
        let m = -Infinity;
        for (let n = nextPtr[j]; n < n1; n++) {
          const k = nextIdx[n];
          const x = trans[j * K + k] + w[k];
          if (x > m) m = x;
        }
        if (m === -Infinity) {
          beta[o + j] = -Infinity;
          continue;
        }
        let e = 0;
        for (let n = nextPtr[j]; n < n1; n++) {
          const k = nextIdx[n];
          e += Math.exp(trans[j * K + k] + w[k] - m);
        }
        beta[o + j] = m + Math.log(e);
      }
    }
  }
}

/**
 * Token marginals P(y_t = k) into out [T·B, K]; padded rows are set to 0.
 * @param alpha, beta [T·B, K] from forwardLog / backwardLog; logZ [B]
 */
export function tokenMarginals(
  K: number, T: number, B: number, lengths: Int32Array,
  alpha: Float64Array, beta: Float64Array, logZ: Float64Array, out: Buf,
): void {
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const o = (t * B + b) * K;
      if (t >= lengths[b]) {
        out.fill(0, o, o + K);
        continue;
      }
      const z = logZ[b];
      for (let k = 0; k < K; k++) out[o + k] = Math.exp(alpha[o + k] + beta[o + k] - z);
    }
  }
}

/**
 * Expected transition counts: acc[j·K + k] += Σ_b Σ_{0<t<L_b} P(y_{t−1} = j, y_t = k).
 * Only allowed pairs are visited (forbidden entries of acc stay as they are).
 * @param em emissions [T·B, K]; alpha, beta [T·B, K]; logZ [B]; acc [K·K]; w workspace [K]
 */
export function accumulatePairMarginals(
  c: Chain, em: Scores, T: number, B: number, lengths: Int32Array,
  alpha: Float64Array, beta: Float64Array, logZ: Float64Array, acc: Float64Array,
): void {
  const K = c.K, trans = c.trans, prevPtr = c.prevPtr, prevIdx = c.prevIdx;
  const prevExp = c.prevExp, colMax = c.colMax, u = c.u, ps = c.pairSum;
  const BK = B * K;
  ps.fill(0);
  for (let t = 1; t < T; t++) {
    for (let b = 0; b < B; b++) {
      if (t >= lengths[b]) continue;
      const o = t * BK + b * K, po = o - BK;
      const z = logZ[b];
      // ξ(j, k) = exp(α[j] − m) · exp(trans[j, k] − c_k) · exp(e[k] + β[k] − log Z + m + c_k); the
      // last factor is P(y_t = k) / Σ_j(first two factors), finite unless that sum is tiny.
      const ma = shiftedExp(alpha, po, K, u);
      for (let k = 0; k < K; k++) {
        const wk = em[o + k] + beta[o + k] - z;
        const g = wk + ma + colMax[k];
        if (!(g > -Infinity)) continue;
        const p1 = prevPtr[k + 1];
        if (g < 600) {
          const f = Math.exp(g);
          for (let p = prevPtr[k]; p < p1; p++) ps[p] += u[prevIdx[p]] * prevExp[p] * f;
        } else {
          for (let p = prevPtr[k]; p < p1; p++) {
            const j = prevIdx[p];
            ps[p] += Math.exp(alpha[po + j] + trans[j * K + k] + wk);
          }
        }
      }
    }
  }
  for (let k = 0; k < K; k++) for (let p = prevPtr[k]; p < prevPtr[k + 1]; p++) acc[prevIdx[p] * K + k] += ps[p];
}

/** log Σ_{j ∈ prev list} exp(x[o + j] + trans[j, k]), shifted by its own maximum (−∞ if empty). */
function exactInto(
  x: Float64Array, o: number, trans: Float64Array, k: number, K: number, p0: number, p1: number, prevIdx: Int32Array,
): number {
  let m = -Infinity;
  for (let p = p0; p < p1; p++) {
    const j = prevIdx[p];
    const v = x[o + j] + trans[j * K + k];
    if (v > m) m = v;
  }
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let p = p0; p < p1; p++) {
    const j = prevIdx[p];
    s += Math.exp(x[o + j] + trans[j * K + k] - m);
  }
  return m + Math.log(s);
}

/**
 * The forward–backward lattice of one sentence, kept for asking many questions about it: token
 * marginals, and the probability that a span carries a given tag sequence (per-entity
 * confidence). Holds its own copies (emissions, scores, α, β), so it stays valid while the CRF
 * keeps working — but reflects the parameters at the time it was built.
 */
export class ChainLattice {
  /** log Z of the sentence (−∞ if no tag sequence satisfies the mask). */
  readonly logZ: number;
  private readonly em: Float64Array;
  private readonly alpha: Float64Array;
  private readonly beta: Float64Array;
  private readonly chain: Chain;

  /**
   * @param chain scores (copied)
   * @param emissions [T·B, K] time-major; the sentence is sequence `b` of the batch, of length T
   *                  (rows t·B + b for t < T). B = 1, b = 0 for a single sentence [T, K].
   */
  constructor(chain: Chain, emissions: Scores, readonly T: number, B = 1, b = 0) {
    const K = chain.K;
    if (!(Number.isInteger(b) && b >= 0 && b < B)) throw new RangeError(`CRF lattice: sequence ${b} outside a batch of ${B}`);
    if (emissions.length < ((T - 1) * B + b + 1) * K) {
      throw new RangeError(`CRF lattice: emissions have ${emissions.length} elements, need rows up to ${(T - 1) * B + b} of ${K}`);
    }
    this.chain = copyChain(chain);
    const em = new Float64Array(T * K);
    for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) em[t * K + k] = emissions[(t * B + b) * K + k];
    this.em = em;
    this.alpha = new Float64Array(T * K);
    this.beta = new Float64Array(T * K);
    const lengths = Int32Array.of(T);
    const logZ = new Float64Array(1);
    forwardLog(this.chain, em, T, 1, lengths, this.alpha, logZ);
    backwardLog(this.chain, em, T, 1, lengths, this.beta);
    this.logZ = logZ[0];
  }

  get K(): number {
    return this.chain.K;
  }

  /** P(y_t = k). */
  tokenMarginal(t: number, k: number): number {
    this.checkPos(t, k);
    return Math.exp(this.alpha[t * this.K + k] + this.beta[t * this.K + k] - this.logZ);
  }

  /** P(y_t = k) for every t, k: out [T, K] (default: a new buffer). */
  marginals(out: Buf = zeros(this.T * this.K)): Buf {
    tokenMarginals(this.K, this.T, 1, Int32Array.of(this.T), this.alpha, this.beta, Float64Array.of(this.logZ), out);
    return out;
  }

  /**
   * log of `sequenceProbability` (−∞ when the constrained set of paths is empty).
   */
  logSequenceProbability(start: number, end: number, tagsInSpan: ArrayLike<number>, nextNotIn?: ArrayLike<number>): number {
    const { K, T } = this;
    const c = this.chain;
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && start < end && end <= T)) {
      throw new RangeError(`CRF sequenceProbability: span [${start}, ${end}) is not a non-empty span of a sentence of ${T}`);
    }
    if (tagsInSpan.length !== end - start) {
      throw new RangeError(`CRF sequenceProbability: ${tagsInSpan.length} tags for a span of ${end - start} tokens`);
    }
    for (let i = 0; i < tagsInSpan.length; i++) this.checkPos(start, tagsInSpan[i]);
    // Σ over all prefixes ending in tags[0] at `start` is α; then the span's own path score.
    let s = this.alpha[start * K + tagsInSpan[0]];
    for (let t = start + 1; t < end; t++) {
      const prev = tagsInSpan[t - 1 - start], cur = tagsInSpan[t - start];
      s += c.trans[prev * K + cur] + this.em[t * K + cur];
    }
    if (s === -Infinity) return -Infinity;
    const last = tagsInSpan[end - 1 - start];
    if (end === T) return s + c.end[last] - this.logZ; // the sentence ends: no constraint on a next token
    if (nextNotIn === undefined || nextNotIn.length === 0) return s + this.beta[(end - 1) * K + last] - this.logZ;
    // Σ over the next tag k ∉ nextNotIn and every suffix after it.
    let m = -Infinity;
    const n1 = c.nextPtr[last + 1];
    for (let n = c.nextPtr[last]; n < n1; n++) {
      const k = c.nextIdx[n];
      if (isIn(nextNotIn, k)) continue;
      const v = c.trans[last * K + k] + this.em[end * K + k] + this.beta[end * K + k];
      if (v > m) m = v;
    }
    if (m === -Infinity) return -Infinity;
    let sum = 0;
    for (let n = c.nextPtr[last]; n < n1; n++) {
      const k = c.nextIdx[n];
      if (isIn(nextNotIn, k)) continue;
      sum += Math.exp(c.trans[last * K + k] + this.em[end * K + k] + this.beta[end * K + k] - m);
    }
    return s + m + Math.log(sum) - this.logZ;
  }

  /**
   * The probability under the CRF that tokens [start, end) carry exactly `tagsInSpan` and, if
   * `nextNotIn` is given and end < T, that token `end` takes none of the tags in `nextNotIn`
   * (at the end of the sentence that condition holds trivially):
   *
   *   p = Σ_{paths y with y[start..end) = tags, y_end ∉ nextNotIn} exp(score(y)) / Z
   *     = exp(α_start[tags₀] + Σ_{start<t<end}(trans[tags_{t−1}, tags_t] + e_t[tags_t]) + tail − log Z)
   *
   * where tail = β_{end−1}[last] without the condition, or log Σ_{k ∉ nextNotIn} exp(trans[last, k]
   * + e_end[k] + β_end[k]) with it. E.g. an IOB2 entity `B-X I-X I-X` is the span [s, s+3) with
   * nextNotIn = [I-X]; an IOBES entity `B-X I-X E-X` needs no nextNotIn. Clamped to [0, 1].
   */
  sequenceProbability(start: number, end: number, tagsInSpan: ArrayLike<number>, nextNotIn?: ArrayLike<number>): number {
    const lp = this.logSequenceProbability(start, end, tagsInSpan, nextNotIn);
    return Math.min(1, Math.exp(lp));
  }

  private checkPos(t: number, k: number): void {
    if (!(Number.isInteger(t) && t >= 0 && t < this.T)) throw new RangeError(`CRF lattice: step ${t} outside [0, ${this.T})`);
    if (!(Number.isInteger(k) && k >= 0 && k < this.K)) throw new RangeError(`CRF lattice: tag ${k} outside [0, ${this.K})`);
  }
}

function isIn(list: ArrayLike<number>, k: number): boolean {
  for (let i = 0; i < list.length; i++) if (list[i] === k) return true;
  return false;
}
