/**
 * 1-D convolution over time with "same" zero padding, and max-pooling over time — the CNN
 * character encoder's parts (Ma & Hovy 2016), on the time-major padded layout.
 *
 * Conv1d, window w, p = ⌊(w − 1)/2⌋ positions of padding before and w − 1 − p after:
 *   y⟨t⟩ [F] = b + Σ_{k<w} x̂⟨t + k − p⟩ · W_k,     W_k = W[k·C : (k+1)·C, :] ∈ [C, F]
 * where x̂⟨s⟩ = x⟨s⟩ for 0 ≤ s < length, else 0 (the padding of each sequence starts at ITS
 * length, not at T). Outputs at padded steps are 0.
 * Time-major rows make a shift in time a shift by B rows, so no im2col copy is needed: per
 * output step t and tap k one gemm over the batch rows active at t,
 *   Y[rows of t] += X̂[rows of t + k − p] · W_k,
 * skipping the padding of finished sequences (a suffix of the rows when the batch is sorted
 * longest first).
 */
import { gemm, fillRows, sumRowsFast, zeroRange, glorotUniform, maskRowsByLength, maxPoolTime, maxPoolTimeBackward, type Buf, type Rng } from '../tensor/index.js';
import { makeParam, type Module, type Param } from './param.js';
import { ensureBuf, activeRanges } from './cells/cell.js';

export interface Conv1dConfig {
  type: 'Conv1d.v1';
  name: string;
  /** C: input channels per step. */
  inChannels: number;
  /** F: output channels (filters). */
  filters: number;
  /** w: window (taps) in steps. */
  window: number;
}

export interface Conv1dOutput {
  /** y [T·B, F], 0 at padded steps; layer-owned (overwritten by the next forward). */
  y: Buf;
  /** dy [T·B, F] (padded rows ignored) → dx [T·B, C] (0 at padded rows); accumulates dW, db. */
  backward(dy: Buf): Buf;
}

export class Conv1d implements Module {
  /** W [w·C, F] (tap k, channel c at row k·C + c). */
  readonly W: Param;
  /** b [F]. */
  readonly b: Param;
  private xm: Buf | null = null;
  private yBuf: Buf | null = null;
  private dyBuf: Buf | null = null;
  private dxBuf: Buf | null = null;
  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  private generation = 0;

  /** Glorot-uniform W (fan-in w·C, fan-out F), zero b. Parameter count (w·C + 1)·F. */
  constructor(readonly name: string, readonly inChannels: number, readonly filters: number, readonly window: number, rng: Rng) {
    for (const [k, v] of [['inChannels', inChannels], ['filters', filters], ['window', window]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`Conv1d ${name}: ${k} must be a positive integer, got ${v}`);
    }
    this.W = makeParam(`${name}.W`, [window * inChannels, filters]);
    this.b = makeParam(`${name}.b`, [filters]);
    glorotUniform(this.W.value, window * inChannels, filters, rng);
    const n = this.W.value.length + this.b.value.length;
    if (n !== (window * inChannels + 1) * filters) throw new Error(`Conv1d ${name}: ${n} parameters, expected (w·C+1)·F`);
  }

  static fromConfig(c: Conv1dConfig, rng: Rng): Conv1d {
    return new Conv1d(c.name, c.inChannels, c.filters, c.window, rng);
  }

  getConfig(): Conv1dConfig {
    return { type: 'Conv1d.v1', name: this.name, inChannels: this.inChannels, filters: this.filters, window: this.window };
  }

  params(): Param[] {
    return [this.W, this.b];
  }

  /**
   * @param x        [T·B, C] time-major (copied: the layer keeps a masked copy for backward)
   * @param lengths  [B]
   */
  forward(x: Buf, T: number, B: number, lengths: Int32Array): Conv1dOutput {
    const C = this.inChannels, F = this.filters, w = this.window, p = (w - 1) >> 1, TB = T * B;
    if (x.length < TB * C) throw new RangeError(`Conv1d ${this.name}: x has ${x.length} elements, need T·B·C = ${TB * C}`);
    if (lengths.length !== B) throw new RangeError(`Conv1d ${this.name}: lengths has ${lengths.length} entries, B = ${B}`);
    const gen = ++this.generation;
    const xm = (this.xm = ensureBuf(this.xm, TB * C));
    maskRowsByLength(xm, x, T, B, C, lengths);
    // Active row range [lo[t], hi[t]) per output step (a prefix when lengths are sorted
    // longest first, as the char encoder does): padded rows are neither computed nor read.
    if (this.lo.length < T) { this.lo = new Int32Array(T); this.hi = new Int32Array(T); }
    const lo = this.lo, hi = this.hi;
    activeRanges(T, B, lengths, lo, hi);
    const y = (this.yBuf = ensureBuf(this.yBuf, TB * F));
    fillRows(y, this.b.value, TB, F); // the bias; the window gemms below add into it
    const W = this.W.value;
    for (let t = 0; t < T; t++) {
      const l = lo[t], rows = hi[t] - l;
      if (rows <= 0) continue;
      const yt = y.subarray((t * B + l) * F);
      for (let k = 0; k < w; k++) {
        const src = t + k - p; // output step t reads input step t + k − p
        if (src < 0 || src >= T) continue;
        gemm(false, false, rows, F, C, 1, xm.subarray((src * B + l) * C), C, W.subarray(k * C * F), F, 1, yt, F);
      }
    }
    maskRowsByLength(y, y, T, B, F, lengths);

    return {
      y: y.subarray(0, TB * F),
      backward: (dyIn: Buf): Buf => {
        if (gen !== this.generation) throw new Error(`Conv1d ${this.name}: backward of a stale forward`);
        const dy = (this.dyBuf = ensureBuf(this.dyBuf, TB * F));
        if (dyIn.length < TB * F) throw new RangeError(`Conv1d ${this.name}: dy has ${dyIn.length} elements, need T·B·F = ${TB * F}`);
        maskRowsByLength(dy, dyIn, T, B, F, lengths);
        sumRowsFast(dy, TB, F, this.b.grad);
        const dx = (this.dxBuf = ensureBuf(this.dxBuf, TB * C));
        zeroRange(dx, 0, TB * C);
        const dW = this.W.grad;
        for (let t = 0; t < T; t++) {
          const l = lo[t], rows = hi[t] - l;
          if (rows <= 0) continue;
          const dyt = dy.subarray((t * B + l) * F);
          for (let k = 0; k < w; k++) {
            const src = t + k - p;
            if (src < 0 || src >= T) continue;
            const o = (src * B + l) * C;
            gemm(true, false, C, F, rows, 1, xm.subarray(o), C, dyt, F, 1, dW.subarray(k * C * F), F);
            gemm(false, true, rows, C, F, 1, dyt, F, W.subarray(k * C * F), F, 1, dx.subarray(o), C);
          }
        }
        maskRowsByLength(dx, dx, T, B, C, lengths);
        return dx.subarray(0, TB * C);
      },
    };
  }
}

export interface MaxPoolOutput {
  /** y [B, F]: per sequence and channel the max over its real steps (0 for an empty sequence). */
  y: Buf;
  /** dy [B, F] → dx [T·B, F]: dy routed to the arg-max step (first one on ties), 0 elsewhere. */
  backward(dy: Buf): Buf;
}

/**
 * Max-pooling over time of a padded, time-major x [T·B, F] → [B, F], over each sequence's real
 * steps only. One instance per place in the network (buffers are reused by the next forward).
 */
export class MaxPoolTime {
  private yBuf: Buf | null = null;
  private dxBuf: Buf | null = null;
  /** [B, F]: the step each maximum came from (a float; −1 for an empty sequence). */
  private argBuf: Buf | null = null;
  private generation = 0;

  forward(x: Buf, T: number, B: number, F: number, lengths: Int32Array): MaxPoolOutput {
    const gen = ++this.generation;
    const y = (this.yBuf = ensureBuf(this.yBuf, B * F));
    const arg = (this.argBuf = ensureBuf(this.argBuf, B * F));
    maxPoolTime(x, T, B, F, lengths, y, arg); // WASM SIMD in the heap, else the same loop in TypeScript
    return {
      y: y.subarray(0, B * F),
      backward: (dy: Buf): Buf => {
        if (gen !== this.generation) throw new Error('MaxPoolTime: backward of a stale forward');
        const dx = (this.dxBuf = ensureBuf(this.dxBuf, T * B * F));
        zeroRange(dx, 0, T * B * F);
        maxPoolTimeBackward(dy, arg, T, B, F, dx);
        return dx.subarray(0, T * B * F);
      },
    };
  }
}

