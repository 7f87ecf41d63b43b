/**
 * Linear-chain CRF output layer (Lafferty et al. 2001; as a BiLSTM output layer, Huang et al.
 * 2015, Lample et al. 2016): training by the exact negative log-likelihood, decoding by Viterbi,
 * k-best Viterbi, token and span marginals.
 *
 * Dims: T time steps, B sequences, K tags. Emission scores are time-major padded batches
 * [T·B, K] (row t·B + b), lengths [B] (steps t ≥ lengths[b] are padding), gold tags [T·B].
 * Parameters: `${name}.transitions` [K, K] (prev → cur), `${name}.start` [K], `${name}.end` [K].
 *
 *   score(y) = start[y₀] + Σ_t e_t[y_t] + Σ_{t>0} trans[y_{t−1}, y_t] + end[y_{L−1}]
 *   P(y | e) = exp(score(y)) / Z,   Z = Σ_y exp(score(y))   (forward algorithm, crfMarginals.ts)
 *
 * Forbidden transitions (the `allowed` mask, e.g. derived from the tag scheme: `O → I-PER` in
 * IOB2) are impossible in training and decoding: they are left out of every sum and max (not
 * given a large negative score), and their parameters get exactly zero gradient.
 */
import { zeros, type Buf, type Rng } from '../tensor/index.js';
import { makeParam, type Module, type Param } from './param.js';
import { Scratch, staleBackward } from './dense.js';
import {
  ChainLattice, accumulatePairMarginals, backwardLog, checkLengths, forwardLog, makeChain, refreshChain,
  tokenMarginals, type Chain, type Scores,
} from './crfMarginals.js';

export { ChainLattice } from './crfMarginals.js';

/** Which transitions are possible. Absent: all of them. */
export interface CRFAllowed {
  /** [K][K]: transitions[prev][cur] — may tag `cur` follow tag `prev`? */
  transitions: boolean[][];
  /** [K]: may a sentence begin with the tag? */
  start: boolean[];
  /** [K]: may a sentence end with the tag? */
  end: boolean[];
}

export interface CRFOptions {
  /**
   * Transition constraints. A scheme's `TransitionMask` (data/schemes.ts) converts as
   * `{ transitions: m.allowed, start: m.start, end: m.end }`. Default: everything allowed.
   */
  allowed?: CRFAllowed;
}

export interface CRFConfig {
  type: 'CRF.v1';
  name: string;
  /** K */
  numTags: number;
  /** The mask, or null when every transition is allowed. */
  allowed: CRFAllowed | null;
}

export type CRFReduction = 'mean' | 'sum';

export interface CRFLossResult {
  /** sum / count with reduction `mean` (the default: mean NLL per sentence), sum with `sum`. */
  loss: number;
  /** Σ over the non-empty sequences of −log P(gold | emissions). */
  sum: number;
  /** Number of non-empty sequences. */
  count: number;
  /** Number of real tokens. */
  tokens: number;
  /** log Z per sequence [B] (0 for empty ones); owned by the CRF, overwritten by its next nll. */
  logZ: Float64Array;
  /**
   * Accumulates (+=) dLoss·∂loss/∂{transitions, start, end} into the parameter gradients and
   * returns demissions = dLoss·∂loss/∂emissions [T·B, K] (zero on padded rows), a buffer owned by
   * the CRF, overwritten by its next backward. The emissions and gold passed to `nll` must be
   * unchanged.
   * Must run before the next nll/marginals/logPartition call on this CRF (else it throws).
   */
  backward(dLoss?: number): Buf;
}

/** One of the k best label sequences of a sentence. */
export interface ScoredPath {
  /** [T] tag ids. */
  tags: Int32Array;
  /** Unnormalised score(y). */
  score: number;
  /** P(y | emissions) = exp(score − log Z). */
  prob: number;
}

/** A grow-only Float64Array workspace. */
function grow64(buf: Float64Array, n: number): Float64Array {
  return buf.length >= n ? buf : new Float64Array(Math.max(n, Math.ceil(buf.length * 1.25)));
}

function growI32(buf: Int32Array, n: number): Int32Array {
  return buf.length >= n ? buf : new Int32Array(Math.max(n, Math.ceil(buf.length * 1.25)));
}

export class CRF implements Module {
  readonly transitions: Param;
  readonly start: Param;
  readonly end: Param;
  /** The mask as given (a copy), or null. */
  readonly allowed: CRFAllowed | null;
  private readonly chain: Chain;
  private generation = 0;
  // Workspaces, grow-only.
  private alpha: Float64Array = new Float64Array(0);
  private beta: Float64Array = new Float64Array(0);
  private logZ: Float64Array = new Float64Array(0);
  private readonly pairAcc: Float64Array;
  private delta: Float64Array = new Float64Array(0);
  private backptr: Int32Array = new Int32Array(0);
  private readonly dBuf = new Scratch();

  /**
   * @param K   number of tags
   * @param rng initialises the allowed scores U(−0.1, 0.1); forbidden entries are 0 and unused.
   */
  constructor(readonly name: string, readonly K: number, rng: Rng, opts: CRFOptions = {}) {
    if (!(Number.isInteger(K) && K > 0)) throw new RangeError(`CRF ${name}: number of tags must be a positive integer, got ${K}`);
    const transOk = new Uint8Array(K * K).fill(1), startOk = new Uint8Array(K).fill(1), endOk = new Uint8Array(K).fill(1);
    const a = opts.allowed;
    if (a) {
      const bad = (what: string) => new RangeError(`CRF ${name}: allowed.${what} must be ${what === 'transitions' ? `[${K}][${K}]` : `[${K}]`} booleans`);
      if (!Array.isArray(a.transitions) || a.transitions.length !== K) throw bad('transitions');
      for (let j = 0; j < K; j++) {
        const row = a.transitions[j];
        if (!Array.isArray(row) || row.length !== K || row.some((x) => typeof x !== 'boolean')) throw bad('transitions');
        for (let k = 0; k < K; k++) transOk[j * K + k] = row[k] ? 1 : 0;
      }
      for (const [what, src, dst] of [['start', a.start, startOk], ['end', a.end, endOk]] as const) {
        if (!Array.isArray(src) || src.length !== K || src.some((x) => typeof x !== 'boolean')) throw bad(what);
        for (let k = 0; k < K; k++) dst[k] = src[k] ? 1 : 0;
      }
      if (!startOk.some((x) => x === 1) || !endOk.some((x) => x === 1)) {
        throw new RangeError(`CRF ${name}: the mask allows no tag at the start or at the end of a sentence`);
      }
      this.allowed = { transitions: a.transitions.map((r) => [...r]), start: [...a.start], end: [...a.end] };
    } else {
      this.allowed = null;
    }
    this.chain = makeChain(K, transOk, startOk, endOk);
    this.transitions = makeParam(`${name}.transitions`, [K, K]);
    this.start = makeParam(`${name}.start`, [K]);
    this.end = makeParam(`${name}.end`, [K]);
    for (let i = 0; i < K * K; i++) this.transitions.value[i] = transOk[i] ? rng.uniform(-0.1, 0.1) : 0;
    for (let k = 0; k < K; k++) this.start.value[k] = startOk[k] ? rng.uniform(-0.1, 0.1) : 0;
    for (let k = 0; k < K; k++) this.end.value[k] = endOk[k] ? rng.uniform(-0.1, 0.1) : 0;
    const count = this.params().reduce((n, p) => n + p.value.length, 0);
    if (count !== K * K + 2 * K) throw new Error(`CRF ${name}: ${count} parameters, expected K² + 2K = ${K * K + 2 * K}`);
    this.pairAcc = new Float64Array(K * K);
  }

  static fromConfig(c: CRFConfig, rng: Rng): CRF {
    if (c.type !== 'CRF.v1') throw new Error(`CRF.fromConfig: expected type CRF.v1, got ${String(c.type)}`);
    return new CRF(c.name, c.numTags, rng, c.allowed ? { allowed: c.allowed } : {});
  }

  getConfig(): CRFConfig {
    const a = this.allowed;
    return {
      type: 'CRF.v1', name: this.name, numTags: this.K,
      allowed: a ? { transitions: a.transitions.map((r) => [...r]), start: [...a.start], end: [...a.end] } : null,
    };
  }

  params(): Param[] {
    return [this.transitions, this.start, this.end];
  }

  /** Is the transition prev → cur allowed by the mask? */
  isAllowed(prev: number, cur: number): boolean {
    return this.chain.transOk[prev * this.K + cur] === 1;
  }

  /**
   * Negative log-likelihood of the gold paths: −log P(gold_b | emissions_b) = log Z_b − score(gold_b),
   * summed over the batch (`sum`) and reported as the mean per non-empty sentence (`loss`, with
   * reduction `mean`) or the sum (reduction `sum`). Empty sequences contribute nothing.
   *
   * Throws if a gold path uses a forbidden transition (convert the data to the CRF's scheme).
   *
   * @param emissions [T·B, K], read again by `backward`
   * @param gold      [T·B] tag ids (ignored on padded rows)
   * @param lengths   [B]
   */
  nll(emissions: Buf, gold: Int32Array, T: number, B: number, lengths: Int32Array, reduction: CRFReduction = 'mean'): CRFLossResult {
    const K = this.K;
    this.checkBatch('nll', emissions, T, B, lengths);
    if (gold.length < T * B) throw new RangeError(`CRF ${this.name}: ${gold.length} gold ids for ${T}×${B} rows`);
    const c = this.refresh();
    const n = T * B * K;
    const alpha = (this.alpha = grow64(this.alpha, n));
    const logZ = (this.logZ = grow64(this.logZ, B));
    forwardLog(c, emissions, T, B, lengths, alpha, logZ);
    let sum = 0, count = 0, tokens = 0;
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      if (L === 0) continue;
      count++;
      tokens += L;
      const g = this.goldScore(c, emissions, gold, B, b, L);
      sum += logZ[b] - g;
    }
    const loss = reduction === 'mean' ? (count > 0 ? sum / count : 0) : sum;
    const gen = ++this.generation;
    return {
      loss, sum, count, tokens, logZ: logZ.subarray(0, B),
      backward: (dLoss = 1): Buf => {
        if (gen !== this.generation) throw staleBackward(`CRF ${this.name}`);
        const scale = dLoss * (reduction === 'mean' ? (count > 0 ? 1 / count : 0) : 1);
        return this.backwardInto(c, emissions, gold, T, B, lengths, scale);
      },
    };
  }

  /** The gradient pass of `nll`: β, marginals minus gold indicators, pair marginals minus gold counts. */
  private backwardInto(c: Chain, em: Buf, gold: Int32Array, T: number, B: number, lengths: Int32Array, scale: number): Buf {
    const K = this.K, n = T * B * K;
    const alpha = this.alpha, logZ = this.logZ;
    const beta = (this.beta = grow64(this.beta, n));
    backwardLog(c, em, T, B, lengths, beta);
    const d = this.dBuf.get(n);
    // ∂/∂e_t[k] = P(y_t = k) − [gold_t = k]
    tokenMarginals(K, T, B, lengths, alpha, beta, logZ, d);
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        if (t >= lengths[b]) continue;
        const o = (t * B + b) * K;
        for (let k = 0; k < K; k++) d[o + k] *= scale;
        d[o + gold[t * B + b]] -= scale;
      }
    }
    // start / end: the same quantities at the first / last real step.
    const sg = this.start.grad, eg = this.end.grad;
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      if (L === 0) continue;
      const o0 = b * K, o1 = ((L - 1) * B + b) * K;
      for (let k = 0; k < K; k++) {
        if (c.startOk[k]) sg[k] += d[o0 + k];
        if (c.endOk[k]) eg[k] += d[o1 + k];
      }
    }
    // transitions: expected pair counts − gold pair counts
    const acc = this.pairAcc;
    acc.fill(0);
    accumulatePairMarginals(c, em, T, B, lengths, alpha, beta, logZ, acc);
    for (let b = 0; b < B; b++) {
      for (let t = 1; t < lengths[b]; t++) acc[gold[(t - 1) * B + b] * K + gold[t * B + b]] -= 1;
    }
    const tg = this.transitions.grad;
    for (let i = 0; i < K * K; i++) if (c.transOk[i]) tg[i] += scale * acc[i];
    return d;
  }

  /**
   * log Z of every sequence [B] (0 for empty ones, −∞ when no tag sequence of that length
   * satisfies the mask). @param emissions [T·B, K]
   */
  logPartition(emissions: Buf, T: number, B: number, lengths: Int32Array): Float64Array {
    this.checkBatch('logPartition', emissions, T, B, lengths);
    const c = this.refresh();
    this.alpha = grow64(this.alpha, T * B * this.K);
    const logZ = new Float64Array(B);
    this.generation++;
    forwardLog(c, emissions, T, B, lengths, this.alpha, logZ);
    return logZ;
  }

  /**
   * Unnormalised score(y) of given paths [B] (−∞ where a path uses a forbidden transition).
   * @param emissions [T·B, K]; tags [T·B]
   */
  score(emissions: Buf, tags: Int32Array, T: number, B: number, lengths: Int32Array): Float64Array {
    this.checkBatch('score', emissions, T, B, lengths);
    const c = this.refresh();
    const out = new Float64Array(B);
    for (let b = 0; b < B; b++) out[b] = lengths[b] === 0 ? 0 : this.pathScore(c, emissions, tags, B, b, lengths[b]);
    return out;
  }

  /**
   * Token marginals P(y_t = k | emissions) by forward–backward.
   * @param emissions [T·B, K]
   * @param out       [T·B, K] destination (default: a new buffer); padded rows are set to 0
   */
  marginals(emissions: Buf, T: number, B: number, lengths: Int32Array, out: Buf = zeros(T * B * this.K)): Buf {
    this.checkBatch('marginals', emissions, T, B, lengths);
    const c = this.refresh();
    const n = T * B * this.K;
    const alpha = (this.alpha = grow64(this.alpha, n));
    const beta = (this.beta = grow64(this.beta, n));
    const logZ = (this.logZ = grow64(this.logZ, B));
    this.generation++;
    forwardLog(c, emissions, T, B, lengths, alpha, logZ);
    for (let b = 0; b < B; b++) if (logZ[b] === -Infinity) throw this.noPath(b, lengths[b]);
    backwardLog(c, emissions, T, B, lengths, beta);
    tokenMarginals(this.K, T, B, lengths, alpha, beta, logZ, out);
    return out;
  }

  /**
   * Forward–backward lattice of one sentence, for its token marginals and any number of span
   * probabilities (`lattice.sequenceProbability(start, end, tags, nextNotIn?)`). The sentence is
   * sequence `b` of a time-major batch of B (default: a single sentence, emissions [T, K]).
   */
  lattice(emissions: Buf, T: number, B = 1, b = 0): ChainLattice {
    const lat = new ChainLattice(this.refresh(), emissions, T, B, b);
    if (lat.logZ === -Infinity && T > 0) throw this.noPath(b, T);
    return lat;
  }

  /**
   * P(tokens [start, end) carry exactly `tagsInSpan`, and token `end` — if any — takes none of
   * `nextNotIn`) under the CRF, for a single sentence emissions [T, K]. This is the per-entity
   * confidence: for many entities of one sentence, build `lattice` once and ask it instead.
   */
  sequenceProbability(
    emissions: Buf, T: number, start: number, end: number, tagsInSpan: ArrayLike<number>, nextNotIn?: ArrayLike<number>,
  ): number {
    return this.lattice(emissions, T).sequenceProbability(start, end, tagsInSpan, nextNotIn);
  }

  /**
   * Best path of every sequence (Viterbi), respecting the mask.
   * @param emissions [T·B, K]
   * @param out       [T·B] tag ids; padded rows are set to −1
   * @param scores    if given, receives score(best path) [B] (0 for empty sequences)
   * @returns out
   */
  viterbi(
    emissions: Buf, T: number, B: number, lengths: Int32Array,
    out: Int32Array = new Int32Array(T * B), scores?: Float64Array,
  ): Int32Array {
    this.checkBatch('viterbi', emissions, T, B, lengths);
    if (out.length < T * B) throw new RangeError(`CRF ${this.name}: viterbi output has ${out.length} elements, need ${T * B}`);
    const c = this.refresh();
    const K = this.K, BK = B * K;
    const { trans, prevPtr, prevIdx } = c;
    // delta: two rows [B, K] (t − 1 and t), alternating; backptr [T·B, K]
    const delta = (this.delta = grow64(this.delta, 2 * BK));
    const bp = (this.backptr = growI32(this.backptr, T * BK));
    for (let b = 0; b < B; b++) for (let k = 0; k < K; k++) delta[b * K + k] = c.start[k] + emissions[b * K + k];
    for (let t = 1; t < T; t++) {
      const cur = (t & 1) * BK, prev = BK - cur;
      for (let b = 0; b < B; b++) {
        if (t >= lengths[b]) continue;
        const o = t * BK + b * K;
        for (let k = 0; k < K; k++) {
          let best = -Infinity, arg = -1;
          const p1 = prevPtr[k + 1];
          for (let p = prevPtr[k]; p < p1; p++) {
            const j = prevIdx[p];
            const v = delta[prev + b * K + j] + trans[j * K + k];
            if (v > best) { best = v; arg = j; }
          }
          delta[cur + b * K + k] = best + emissions[o + k];
          bp[o + k] = arg;
        }
      }
    }
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      for (let t = L; t < T; t++) out[t * B + b] = -1;
      if (L === 0) {
        if (scores) scores[b] = 0;
        continue;
      }
      const last = ((L - 1) & 1) * BK + b * K;
      let best = -Infinity, arg = -1;
      for (let k = 0; k < K; k++) {
        const v = delta[last + k] + c.end[k];
        if (v > best) { best = v; arg = k; }
      }
      if (arg < 0) throw this.noPath(b, L);
      if (scores) scores[b] = best;
      for (let t = L - 1; t >= 0; t--) {
        out[t * B + b] = arg;
        if (t > 0) arg = bp[(t * B + b) * K + arg];
      }
    }
    return out;
  }

  /**
   * The k best tag sequences of one sentence, best first, with their probabilities: exact k-best
   * Viterbi (the k best partial paths into every state at every step). Fewer than k when fewer
   * paths satisfy the mask. Ties keep the order of discovery (lower previous tag first).
   * @param emissions [T·B, K]: the sentence is sequence `b` of a batch of B (default: [T, K])
   */
  topK(emissions: Buf, T: number, k: number, B = 1, b = 0): ScoredPath[] {
    if (!(Number.isInteger(k) && k >= 1)) throw new RangeError(`CRF ${this.name}: topK needs k ≥ 1, got ${k}`);
    if (!(Number.isInteger(b) && b >= 0 && b < B)) throw new RangeError(`CRF ${this.name}: sequence ${b} outside a batch of ${B}`);
    if (T === 0) return [{ tags: new Int32Array(0), score: 0, prob: 1 }];
    const K = this.K;
    if (emissions.length < ((T - 1) * B + b + 1) * K) throw new RangeError(`CRF ${this.name}: emissions too short for ${T} steps`);
    const c = this.refresh();
    const e = (t: number, tag: number) => emissions[(t * B + b) * K + tag];
    // sc/bp [T, K, k]: the score and the origin (prevTag·k + prevRank) of rank r into (t, tag)
    const sc = new Float64Array(T * K * k), bp = new Int32Array(T * K * k), cnt = new Int32Array(T * K);
    for (let tag = 0; tag < K; tag++) {
      if (!c.startOk[tag]) continue;
      sc[tag * k] = c.start[tag] + e(0, tag);
      cnt[tag] = 1;
    }
    for (let t = 1; t < T; t++) {
      for (let tag = 0; tag < K; tag++) {
        const base = (t * K + tag) * k;
        let n = 0;
        for (let p = c.prevPtr[tag]; p < c.prevPtr[tag + 1]; p++) {
          const j = c.prevIdx[p];
          const pb = ((t - 1) * K + j) * k;
          const tr = c.trans[j * K + tag];
          for (let r = 0; r < cnt[(t - 1) * K + j]; r++) n = insertTop(sc, bp, base, n, k, sc[pb + r] + tr, j * k + r);
        }
        cnt[t * K + tag] = n;
        const et = e(t, tag);
        for (let r = 0; r < n; r++) sc[base + r] += et;
      }
    }
    // final ranking over (last tag, rank)
    const fs = new Float64Array(k), fo = new Int32Array(k);
    let n = 0;
    for (let tag = 0; tag < K; tag++) {
      if (!c.endOk[tag]) continue;
      const base = ((T - 1) * K + tag) * k;
      for (let r = 0; r < cnt[(T - 1) * K + tag]; r++) n = insertTop(fs, fo, 0, n, k, sc[base + r] + c.end[tag], tag * k + r);
    }
    const logZ = new Float64Array(1);
    forwardLog(c, rowsOf(emissions, T, B, b, K), T, 1, Int32Array.of(T), new Float64Array(T * K), logZ);
    const paths: ScoredPath[] = [];
    for (let i = 0; i < n; i++) {
      const tags = new Int32Array(T);
      let tag = Math.floor(fo[i] / k), r = fo[i] % k;
      for (let t = T - 1; t >= 0; t--) {
        tags[t] = tag;
        if (t > 0) {
          const o = bp[(t * K + tag) * k + r];
          tag = Math.floor(o / k);
          r = o % k;
        }
      }
      paths.push({ tags, score: fs[i], prob: Math.min(1, Math.exp(fs[i] - logZ[0])) });
    }
    return paths;
  }

  /** Effective scores from the current parameter values. */
  private refresh(): Chain {
    refreshChain(this.chain, this.transitions.value, this.start.value, this.end.value);
    return this.chain;
  }

  private checkBatch(who: string, emissions: Buf, T: number, B: number, lengths: Int32Array): void {
    if (!(Number.isInteger(T) && T >= 0 && Number.isInteger(B) && B >= 0)) throw new RangeError(`CRF ${this.name}.${who}: bad T×B = ${T}×${B}`);
    if (emissions.length < T * B * this.K) {
      throw new RangeError(`CRF ${this.name}.${who}: emissions have ${emissions.length} elements, need ${T}×${B}×${this.K}`);
    }
    checkLengths(`CRF ${this.name}.${who}`, T, B, lengths);
  }

  private pathScore(c: Chain, em: Scores, tags: Int32Array, B: number, b: number, L: number): number {
    const K = this.K;
    let prev = tags[b];
    this.checkTag(prev, 0, b);
    let s = c.start[prev] + em[b * K + prev];
    for (let t = 1; t < L; t++) {
      const cur = tags[t * B + b];
      this.checkTag(cur, t, b);
      s += c.trans[prev * K + cur] + em[(t * B + b) * K + cur];
      prev = cur;
    }
    return s + c.end[prev];
  }

  /** score(gold_b), throwing if the gold path is impossible under the mask. */
  private goldScore(c: Chain, em: Scores, gold: Int32Array, B: number, b: number, L: number): number {
    const s = this.pathScore(c, em, gold, B, b, L);
    if (s === -Infinity) {
      const K = this.K;
      let where = `starts with tag ${gold[b]}`;
      if (c.startOk[gold[b]]) {
        where = `ends with tag ${gold[(L - 1) * B + b]}`;
        for (let t = 1; t < L; t++) {
          const p = gold[(t - 1) * B + b], q = gold[t * B + b];
          if (!c.transOk[p * K + q]) { where = `has the transition ${p} → ${q} at step ${t}`; break; }
        }
      }
      throw new RangeError(`CRF ${this.name}: the gold path of sequence ${b} ${where}, which the transition mask forbids`);
    }
    return s;
  }

  private checkTag(k: number, t: number, b: number): void {
    if (!(k >= 0 && k < this.K)) throw new RangeError(`CRF ${this.name}: tag id ${k} at step ${t} of sequence ${b} is outside [0, ${this.K})`);
  }

  private noPath(b: number, L: number): Error {
    return new Error(`CRF ${this.name}: no tag sequence of length ${L} (sequence ${b}) satisfies the transition mask`);
  }
}

/**
 * Inserts (v, origin) into the descending list s/o[base .. base+n) capped at k entries; returns
 * the new length. Equal scores keep the earlier entry first.
 */
function insertTop(s: Float64Array, o: Int32Array, base: number, n: number, k: number, v: number, origin: number): number {
  if (v === -Infinity) return n;
  if (n === k && !(v > s[base + n - 1])) return n;
  let i = n < k ? n : k - 1;
  while (i > 0 && v > s[base + i - 1]) {
    s[base + i] = s[base + i - 1];
    o[base + i] = o[base + i - 1];
    i--;
  }
  s[base + i] = v;
  o[base + i] = origin;
  return n < k ? n + 1 : n;
}

/** Rows of sequence b of a time-major batch, as one sentence [T, K]. */
function rowsOf(em: Buf, T: number, B: number, b: number, K: number): Float64Array {
  if (B === 1) return Float64Array.from(em.subarray(0, T * K));
  const out = new Float64Array(T * K);
  for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) out[t * K + k] = em[(t * B + b) * K + k];
  return out;
}
