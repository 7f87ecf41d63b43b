/**
 * Splitting a training batch across threads, so that the shards together compute exactly what
 * the whole batch computes on one thread.
 *
 * - Sentences: every sentence (a column b of the time-major batch) goes to one shard; a shard is
 *   an ordinary, smaller batch of its sentences (T_s = its longest sentence, B_s sentences).
 * - Loss: each shard's summed loss is scaled by 1 / (real tokens of the whole batch), so the
 *   shards' gradients add up to the gradient of the whole batch's mean (SequenceTagger.trainShard).
 * - Dropout: on one thread, every dropout layer draws one uniform per element of its input
 *   [T·B, w] (row t·B + b, element order), one layer after another, from the model's dropout
 *   Rng. Each thread replays that whole stream from the Rng's state at the start of the step
 *   (`shardUniforms`) and keeps the uniforms of its own sentences' rows, in its shard's layout,
 *   so every element of every sentence gets the mask it gets on one thread. The main thread's
 *   Rng ends where the single-threaded run's ends (exact resume from a checkpoint).
 */
import type { RngState } from '../tensor/index.js';
import type { SequenceTagger, TaggerBatch } from '../tagger/model.js';

/**
 * Which sentences go to which shard: sentences by decreasing length, dealt round-robin (so the
 * shards get nearly equal tokens and equal longest sentences). Shards beyond the number of
 * sentences are empty.
 * @param lengths [B] sentence lengths
 * @returns per shard, its columns b in increasing order
 */
export function assignShards(lengths: Int32Array, shards: number): Int32Array[] {
  const B = lengths.length;
  const order = Array.from({ length: B }, (_, b) => b).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const lists: number[][] = Array.from({ length: shards }, () => []);
  order.forEach((b, i) => lists[i % shards].push(b));
  return lists.map((l) => Int32Array.from(l.sort((a, b) => a - b)));
}

/** The batch of the sentences in columns `cols` (increasing) of `batch`, in that order. */
export function subBatch(batch: TaggerBatch, cols: Int32Array): TaggerBatch {
  const { T: Tf, B: Bf } = batch;
  const B = cols.length;
  const lengths = new Int32Array(B);
  let T = 0, N = 0;
  for (let c = 0; c < B; c++) {
    lengths[c] = batch.lengths[cols[c]];
    if (lengths[c] > T) T = lengths[c];
    N += lengths[c];
  }
  // Index of each real row of the whole batch in its realRows/charIds lists.
  const realIndex = new Int32Array(Tf * Bf).fill(-1);
  for (let i = 0; i < batch.realRows.length; i++) realIndex[batch.realRows[i]] = i;
  const wordIds = new Int32Array(T * B), caseIds = new Int32Array(T * B);
  const gold = batch.gold ? new Int32Array(T * B).fill(-1) : undefined;
  const realRows = new Int32Array(N);
  const charIds: Int32Array[] = new Array(N);
  let n = 0;
  for (let t = 0; t < T; t++) {
    for (let c = 0; c < B; c++) {
      if (t >= lengths[c]) continue;
      const row = t * B + c, src = t * Bf + cols[c];
      wordIds[row] = batch.wordIds[src];
      caseIds[row] = batch.caseIds[src];
      if (gold) gold[row] = batch.gold![src];
      realRows[n] = row;
      charIds[n] = batch.charIds[realIndex[src]];
      n++;
    }
  }
  return { T, B, lengths, wordIds, caseIds, realRows, charIds, gold };
}

/** A batch as plain arrays for postMessage (the ragged character ids flattened). */
export interface PackedBatch {
  T: number;
  B: number;
  lengths: Int32Array;
  wordIds: Int32Array;
  caseIds: Int32Array;
  realRows: Int32Array;
  gold?: Int32Array;
  /** All tokens' character ids back to back, and where each token's start [N + 1]. */
  chars: Int32Array;
  charStarts: Int32Array;
}

export function packBatch(b: TaggerBatch): PackedBatch {
  const N = b.charIds.length;
  const charStarts = new Int32Array(N + 1);
  for (let i = 0; i < N; i++) charStarts[i + 1] = charStarts[i] + b.charIds[i].length;
  const chars = new Int32Array(charStarts[N]);
  for (let i = 0; i < N; i++) chars.set(b.charIds[i], charStarts[i]);
  return { T: b.T, B: b.B, lengths: b.lengths, wordIds: b.wordIds, caseIds: b.caseIds, realRows: b.realRows, gold: b.gold, chars, charStarts };
}

export function unpackBatch(p: PackedBatch): TaggerBatch {
  const N = p.charStarts.length - 1;
  const charIds: Int32Array[] = new Array(N);
  for (let i = 0; i < N; i++) charIds[i] = p.chars.subarray(p.charStarts[i], p.charStarts[i + 1]);
  return { T: p.T, B: p.B, lengths: p.lengths, wordIds: p.wordIds, caseIds: p.caseIds, realRows: p.realRows, gold: p.gold, charIds };
}

/**
 * Widths w of the dropout layers a training forward pass draws from, in drawing order: the
 * encoder input (D), each gap between stacked layers (dirs·H), the encoder output (dirs·H).
 * Empty when the rate is 0 (nothing is drawn). Must follow SequenceTagger.forward.
 */
export function dropoutWidths(model: SequenceTagger): number[] {
  if (model.inDrop.rate === 0) return [];
  const sign = model.arch.variationalDropout === true ? -1 : 1; // negative: a time-shared mask [B, w]
  return [model.inputDim, ...model.encoder.dropouts.map((_, l) => model.encoder.layers[l].outputSize), model.out.inDim].map((w) => sign * w);
}

/** Uniforms a shard replays: Σ_w T_s·B_s·w (a time-shared layer, w < 0: B_s·|w|). */
export function shardUniformCount(widths: readonly number[], Ts: number, Bs: number): number {
  let n = 0;
  for (const w of widths) n += w < 0 ? Bs * -w : Ts * Bs * w;
  return n;
}

/**
 * Replays the dropout stream of a whole batch [T, B] from the generator state `state` (the
 * xoshiro128** of tensor/rng.ts, with identical output) and writes the uniforms of the columns
 * `cols` into `out` in the shard's own layout: per dropout layer, [T_s·B_s, w] with row
 * t·B_s + c for column cols[c]. Rows t ≥ T_s (padding beyond the shard's longest sentence) are
 * not kept. About 8 times faster than drawing through Rng.float.
 * @returns the generator state after the whole stream (what Rng.float would leave)
 */
export function shardUniforms(
  state: RngState, T: number, B: number, widths: readonly number[], cols: Int32Array, Ts: number, out: Float64Array,
): RngState {
  const Bs = cols.length;
  const colOf = new Int32Array(B).fill(-1);
  for (let c = 0; c < Bs; c++) colOf[cols[c]] = c;
  let s0 = state.s[0] | 0, s1 = state.s[1] | 0, s2 = state.s[2] | 0, s3 = state.s[3] | 0;
  let base = 0;
  for (const wSigned of widths) {
    if (wSigned < 0) {
      // A time-shared mask [B, w]: row b's w numbers, rows in order.
      const w = -wSigned;
      for (let b = 0; b < B; b++) {
        const c = colOf[b];
        let o = base + c * w;
        for (let j = 0; j < w; j++) {
          if (c >= 0) {
            const m = Math.imul(s1, 5);
            out[o++] = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) / 4294967296;
          }
          const x = s1 << 9;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = (s3 << 11) | (s3 >>> 21);
        }
      }
      base += Bs * w;
      continue;
    }
    const w = wSigned;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const c = t < Ts ? colOf[b] : -1;
        if (c < 0) {
          for (let j = 0; j < w; j++) {
            const x = s1 << 9;
            s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = (s3 << 11) | (s3 >>> 21);
          }
          continue;
        }
        let o = base + (t * Bs + c) * w;
        for (let j = 0; j < w; j++) {
          const m = Math.imul(s1, 5);
          out[o++] = (Math.imul((m << 7) | (m >>> 25), 9) >>> 0) / 4294967296;
          const x = s1 << 9;
          s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= x; s3 = (s3 << 11) | (s3 >>> 21);
        }
      }
    }
    base += Ts * Bs * w;
  }
  return { s: [s0 >>> 0, s1 >>> 0, s2 >>> 0, s3 >>> 0], spare: state.spare };
}
