/**
 * Truncated-BPTT batching of one long id stream.
 *
 * The stream ids [N+1] (boundary first) holds N next-symbol predictions: input ids[i] → target
 * ids[i+1]. They are cut into B contiguous parallel streams (so every symbol of the text is
 * predicted exactly once): stream b covers inputs ids[start_b … start_{b+1}), with start_0 = 0,
 * start_B = N, and start_b near b·⌈N/B⌉ — moved forward to the next boundary symbol when one is
 * given, so that every stream starts at a line start from a zero state, as the text itself and
 * every sample do (otherwise the model would only ever see a zero state mid-line). The streams
 * are processed side by side in segments of `bptt` steps: segment k holds steps
 * t ∈ [k·bptt, min((k+1)·bptt, L)) of every stream, L the longest stream, as a time-major batch
 * (row t·B + b) with lengths [B] (a stream that has ended has length < T there; the recurrent
 * layers keep its state, the loss skips its rows).
 *
 *   stream 0: ids[start_0 … start_1)   segment 0 │ segment 1 │ …
 *   stream 1: ids[start_1 … start_2)   segment 0 │ segment 1 │ …
 *
 * The hidden state at the end of segment k of stream b is the initial state of segment k+1 of
 * the same stream (carried by the caller), so the model reads each stream as one sequence.
 */

export interface LmBatch {
  /** Segment index k (0 starts a pass over the stream: the carried state is reset). */
  index: number;
  T: number;
  B: number;
  /** Real steps of each stream in this segment [B]. */
  lengths: Int32Array;
  /** Input ids [T·B] (0 at padding). */
  inputs: Int32Array;
  /** Target ids [T·B] (−1 at padding). */
  targets: Int32Array;
  /** Number of real (predicted) steps: Σ lengths. */
  count: number;
}

export class StreamBatches {
  /** N: predictions in the stream. */
  readonly predictions: number;
  /** start_b of every stream and start_B = N: [B+1]. */
  readonly starts: Int32Array;
  /** L: predictions of the longest stream. */
  readonly streamLength: number;
  /** Number of segments of one pass. */
  readonly segments: number;

  /**
   * @param ids         [N+1] the id stream (boundary first), N ≥ 1
   * @param B           parallel streams, ≥ 1
   * @param bptt        steps per segment (truncation length), ≥ 1
   * @param boundaryId  when given, streams start at this symbol (a line start)
   */
  constructor(readonly ids: Int32Array, readonly B: number, readonly bptt: number, boundaryId?: number) {
    if (!(Number.isInteger(B) && B >= 1)) throw new RangeError(`StreamBatches: B must be ≥ 1, got ${B}`);
    if (!(Number.isInteger(bptt) && bptt >= 1)) throw new RangeError(`StreamBatches: bptt must be ≥ 1, got ${bptt}`);
    if (ids.length < 2) throw new RangeError('StreamBatches: the stream holds no prediction (fewer than 2 ids)');
    const N = (this.predictions = ids.length - 1);
    const chunk = Math.ceil(N / B);
    const starts = (this.starts = new Int32Array(B + 1));
    starts[B] = N;
    for (let b = 1; b < B; b++) {
      let p = Math.max(starts[b - 1], Math.min(N, b * chunk));
      if (boundaryId !== undefined) while (p < N && ids[p] !== boundaryId) p++;
      starts[b] = p;
    }
    let L = 0;
    for (let b = 0; b < B; b++) L = Math.max(L, starts[b + 1] - starts[b]);
    this.streamLength = L;
    this.segments = Math.ceil(L / bptt);
  }

  /** Predictions of stream b: len_b. */
  streamLen(b: number): number {
    return this.starts[b + 1] - this.starts[b];
  }

  /** Predictions in segment k (its token count). */
  segmentSize(k: number): number {
    let n = 0;
    for (let b = 0; b < this.B; b++) n += this.stepsIn(k, b);
    return n;
  }

  /** Token count of every segment, in order. */
  sizes(): number[] {
    return Array.from({ length: this.segments }, (_, k) => this.segmentSize(k));
  }

  /** Segment k as a time-major batch. */
  segment(k: number): LmBatch {
    if (!(Number.isInteger(k) && k >= 0 && k < this.segments)) throw new RangeError(`segment ${k} outside [0, ${this.segments})`);
    const B = this.B, t0 = k * this.bptt;
    const T = Math.min(this.bptt, this.streamLength - t0);
    const lengths = new Int32Array(B);
    const inputs = new Int32Array(T * B);
    const targets = new Int32Array(T * B).fill(-1);
    let count = 0;
    for (let b = 0; b < B; b++) {
      const n = this.stepsIn(k, b);
      lengths[b] = n;
      count += n;
      const base = this.starts[b] + t0;
      for (let t = 0; t < n; t++) {
        inputs[t * B + b] = this.ids[base + t];
        targets[t * B + b] = this.ids[base + t + 1];
      }
    }
    return { index: k, T, B, lengths, inputs, targets, count };
  }

  private stepsIn(k: number, b: number): number {
    return Math.max(0, Math.min(this.bptt, this.streamLen(b) - k * this.bptt));
  }
}

/** One pass over the segments in order (the trainer's `batches` hook for a language model). */
export function orderedBatches(sizes: readonly number[]): number[][] {
  return sizes.map((_, k) => [k]);
}
