/**
 * Recurrent: runs any `Cell` over a padded, time-major batch, forward in time or reversed.
 *
 * Layout: x [T, B, D] row-major (row t·B + b), lengths [B]; step t of sequence b is real when
 * t < lengths[b]. Outputs at padded steps are 0 and gradients given for them are ignored.
 *
 * Masking rule (one rule for both directions): a padded step keeps the state unchanged.
 * Left-to-right, a sequence's state therefore freezes after its last token (the final state is
 * a⟨L−1⟩). Right-to-left (`reverse: true`) t runs from T−1 down to 0, so the padded steps
 * T−1…L come first and keep the INITIAL state: a sequence of length L sees L−1, …, 0 starting
 * from the initial state, exactly as if it were run alone — no sequence is copied or reversed.
 *
 * Work per call: one gemm for the input projections of all steps; per step one gemm over the
 * rows that are active at that step (rows outside the smallest row range holding every active
 * row are skipped, so batches sorted by length skip finished sequences), the cell's
 * element-wise math, and masking; backward mirrors this, then one gemm each for dWa (over all
 * saved states), dWx and dx. Work buffers are grow-only and reused across calls: the result of
 * `forward` (y, final, backward) is valid until the next `forward` call on the same layer, and
 * `backward` may be called once.
 */
import { gemm, fillRows, zeroRange, LOCAL_EXEC, type Buf, type KernelExec } from '../tensor/index.js';
import type { Module, Param } from './param.js';
import { ensureBuf, activeRanges, type Cell, type CellConfig, type CellKind } from './cells/cell.js';
import { createCell, cellFromConfig } from './cells/factory.js';
import type { Rng } from '../tensor/index.js';

/** Recurrent state of a batch: a [B, H]; c [B, H] for cells with memory (LSTM), else null. */
export interface RecurrentState {
  a: Buf;
  c: Buf | null;
}

/** Gradient w.r.t. a state; omitted/null parts count as zero. */
export interface RecurrentStateGrad {
  a?: Buf | null;
  c?: Buf | null;
}

/** Where to write y: columns [0, H) of rows with stride `ld` of `buf` (pass a subarray to offset columns). */
export interface StridedOutput {
  buf: Buf;
  ld: number;
}

export interface RecurrentForwardOptions {
  /** Unused by the layer itself (no dropout inside); kept for a uniform layer API. */
  training?: boolean;
  /** Initial state a [B, H] (and c [B, H] for LSTM); zeros when omitted. */
  initialState?: { a: Buf; c?: Buf | null };
  /**
   * Write y into a caller's wider buffer (e.g. one direction's half of [T·B, 2H]); the backward
   * closure then reads dy with the same stride. Default: the layer's own [T·B, H] buffer.
   */
  output?: StridedOutput;
  /**
   * Inference shortcut: writes the input projections Z = X·Wx + b [T·B, G·H] into z instead of
   * the layer's own product (e.g. from a cache of per-word projections); `x` is still the input.
   * The caller guarantees the same values up to float rounding.
   */
  project?: ProjectFn;
  /**
   * Where the kernel calls of an LSTM's one-call loops go (forward and the backward it returns):
   * LOCAL_EXEC (default) runs them now; a KernelRecorder records them for another thread (see
   * Bidirectional). Only for an LSTM on the WASM backend with every buffer in its heap.
   */
  exec?: KernelExec;
}

/** Writes Z = x·Wx + b [T·B, G·H] of `layer` into z (see RecurrentForwardOptions.project). */
export type ProjectFn = (z: Buf, x: Buf, T: number, B: number, layer: Recurrent) => void;

export interface RecurrentOutput {
  /** y [T·B, H] (or the caller's strided buffer): a⟨t⟩ at real steps, 0 at padded ones. */
  y: Buf;
  /** Final state after the last processed step: a⟨L−1⟩ left-to-right, a⟨0⟩ right-to-left. */
  final: RecurrentState;
  /**
   * BPTT. dy [T·B, H] (same stride as y; null = no gradient through y), dFinal: gradient w.r.t.
   * `final`. Accumulates into the cell's parameter grads and returns dx [T·B, D] (0 at padding).
   */
  backward(dy: Buf | null, dFinal?: RecurrentStateGrad): Buf;
  /** After backward: the gradient w.r.t. the initial state ([B, H] each). */
  initialGrad(): RecurrentState;
}

/** Anything mapping a padded batch x [T·B, inputSize] to y [T·B, outputSize]. */
export interface SequenceLayer extends Module {
  readonly inputSize: number;
  readonly outputSize: number;
  forward(x: Buf, T: number, B: number, lengths: Int32Array, opts?: { training?: boolean; project?: ProjectFn }):
    { y: Buf; backward(dy: Buf): Buf };
  getConfig(): { type: string };
}

export interface RecurrentConfig {
  type: 'Recurrent.v1';
  cell: CellConfig;
  reverse: boolean;
}

export class Recurrent implements SequenceLayer {
  readonly reverse: boolean;
  // workspaces (grow-only)
  private z: Buf | null = null; //   [T·B, G·H] pre-activations → activations → dz
  private s: Buf | null = null; //   [(T+1)·B, H] hidden states in time order incl. the initial block
  private cm: Buf | null = null; //  [(T+1)·B, H] memory states (LSTM)
  private ra: Buf | null = null; //  [T·B, H] Γr * a⟨t−1⟩ (GRU)
  private yOwn: Buf | null = null; // [T·B, H]
  private dx: Buf | null = null; //  [T·B, D]
  private g: Buf | null = null; //   [5·B·H]: two da and two dc ping-pong buffers, dra
  private lo = new Int32Array(0);
  private hi = new Int32Array(0);
  private generation = 0;
  private readonly waPost: Buf | null;
  private readonly dWaPost: Buf | null;

  /** @param cell  the step math and weights (D → H); the layer's params are the cell's. */
  constructor(readonly cell: Cell, opts: { reverse?: boolean } = {}) {
    this.reverse = opts.reverse ?? false;
    const PH = cell.preResetGates * cell.hiddenSize;
    this.waPost = cell.preResetGates < cell.gates ? cell.Wa.value.subarray(PH) : null;
    this.dWaPost = cell.preResetGates < cell.gates ? cell.Wa.grad.subarray(PH) : null;
  }

  /** A layer with a fresh cell of the given kind. */
  static create(kind: CellKind, name: string, inputSize: number, hiddenSize: number, rng: Rng,
    opts: { reverse?: boolean } = {}): Recurrent {
    return new Recurrent(createCell(kind, name, inputSize, hiddenSize, rng), opts);
  }

  static fromConfig(cfg: RecurrentConfig, rng: Rng): Recurrent {
    return new Recurrent(cellFromConfig(cfg.cell, rng), { reverse: cfg.reverse });
  }

  get inputSize(): number { return this.cell.inputSize; }
  get outputSize(): number { return this.cell.hiddenSize; }

  params(): Param[] {
    return this.cell.params();
  }

  getConfig(): RecurrentConfig {
    return { type: 'Recurrent.v1', cell: this.cell.getConfig(), reverse: this.reverse };
  }

  /**
   * @param x        [T·B, D] time-major input (kept by reference until backward)
   * @param lengths  [B], 0 ≤ lengths[b] ≤ T
   * @returns        y [T·B, H], final state [B, H], backward
   */
  forward(x: Buf, T: number, B: number, lengths: Int32Array, opts: RecurrentForwardOptions = {}): RecurrentOutput {
    const cell = this.cell;
    const D = cell.inputSize, H = cell.hiddenSize, G = cell.gates, P = cell.preResetGates;
    const GH = G * H, PH = P * H, TB = T * B, BH = B * H;
    const mem = cell.hasMemory, hasReset = P < G;
    if (x.length < TB * D) throw new RangeError(`${cell.name}: x has ${x.length} elements, need T·B·D = ${TB * D}`);
    if (lengths.length !== B) throw new RangeError(`${cell.name}: lengths has ${lengths.length} entries, B = ${B}`);
    for (let b = 0; b < B; b++) {
      if (!(lengths[b] >= 0 && lengths[b] <= T)) throw new RangeError(`${cell.name}: lengths[${b}] = ${lengths[b]} outside [0, ${T}]`);
    }
    const gen = ++this.generation;
    const z = (this.z = ensureBuf(this.z, TB * GH));
    const s = (this.s = ensureBuf(this.s, (T + 1) * BH));
    const cm = mem ? (this.cm = ensureBuf(this.cm, (T + 1) * BH)) : null;
    const ra = hasReset ? (this.ra = ensureBuf(this.ra, TB * H)) : null;
    let y: Buf, ld: number;
    if (opts.output) {
      y = opts.output.buf;
      ld = opts.output.ld;
      if (ld < H || (TB > 0 && y.length < (TB - 1) * ld + H)) throw new RangeError(`${cell.name}: output buffer too small`);
    } else {
      y = this.yOwn = ensureBuf(this.yOwn, TB * H);
      ld = H;
    }

    // Active row range [lo[t], hi[t]) per step: the smallest range holding every b with t < lengths[b].
    if (this.lo.length < T) { this.lo = new Int32Array(T); this.hi = new Int32Array(T); }
    const lo = this.lo, hi = this.hi;
    activeRanges(T, B, lengths, lo, hi);

    const ex = opts.exec ?? LOCAL_EXEC;
    const lstm = cell.kind === 'lstm' && cm !== null && !hasReset;
    if (ex !== LOCAL_EXEC && !lstm) throw new Error(`${cell.name}: a kernel recorder serves LSTM layers only`);

    // Input projections of all steps, one gemm: Z = X·Wx + b.
    if (opts.project) opts.project(z, x, T, B, this);
    else {
      ex.fillRows(z, cell.b.value, TB, GH);
      ex.gemm(false, false, TB, GH, D, 1, x, D, cell.Wx.value, GH, 1, z, GH);
    }

    // Initial state block: 0 left-to-right, T right-to-left (states are stored in time order).
    const initBlock = this.reverse ? T : 0;
    const init = opts.initialState;
    fillBlock(s, initBlock * BH, BH, init ? init.a : null);
    if (cm) fillBlock(cm, initBlock * BH, BH, init?.c ?? null);

    // Per-step views, built before a JS loop (the loop itself allocates nothing); the one-call
    // WASM loops of an LSTM need none.
    const g = (this.g = ensureBuf(this.g, 5 * BH));
    let stepViews: StepViews | null = null;
    const viewsNow = (): StepViews => (stepViews ??= this.stepViews(T, B, z, s, cm, ra, g));
    const Wa = cell.Wa.value, waPost = this.waPost;

    // An LSTM runs its whole time loop in one wasm call when the kernels are on (same arithmetic).
    const fused = lstm && ex.lstmSequenceForward(T, B, H, this.reverse, z, Wa, s, cm, y, ld, lo, hi, lengths);
    if (!fused && ex !== LOCAL_EXEC) throw new Error(`${cell.name}: the recorded LSTM loop cannot run`);
    const views = fused ? null : viewsNow();
    for (let k = 0; k < (views ? T : 0); k++) {
      const t = this.reverse ? T - 1 - k : k;
      const p = this.reverse ? t + 1 : t; // block of a⟨t−1⟩ (the previous state in processing order)
      const o = this.reverse ? t : t + 1; // block of a⟨t⟩
      const l = lo[t], rows = hi[t] - l;
      if (rows > 0) {
        const zt = views!.z[t], aPrev = views!.sFrom[t], aOut = views!.sTo[t];
        const cPrev = cm ? views!.cFrom[t] : null, cOut = cm ? views!.cTo[t] : null;
        gemm(false, false, rows, PH, H, 1, aPrev, H, Wa, GH, 1, zt, GH);
        if (hasReset) {
          cell.resetForward!(zt, aPrev, views!.ra[t], rows);
          gemm(false, false, rows, GH - PH, H, 1, views!.ra[t], H, waPost!, GH, 1, views!.zPost[t], GH);
        }
        cell.stepForward(zt, aPrev, cPrev, aOut, cOut, rows);
      }
      // Masks: padded rows keep the state, output 0; real rows copy a⟨t⟩ to y.
      const pOff = p * BH, oOff = o * BH;
      for (let b = 0; b < B; b++) {
        const yo = (t * B + b) * ld, so = oOff + b * H;
        if (t < lengths[b]) {
          for (let j = 0; j < H; j++) y[yo + j] = s[so + j];
        } else {
          const sp = pOff + b * H;
          for (let j = 0; j < H; j++) { s[so + j] = s[sp + j]; y[yo + j] = 0; }
          if (cm) for (let j = 0; j < H; j++) cm[so + j] = cm[sp + j];
          // ra rows feed the dWa gemm (times dz = 0); keep them finite whatever a stale buffer held
          if (ra && (b < l || b >= hi[t])) zeroRange(ra, (t * B + b) * H, (t * B + b + 1) * H);
        }
      }
    }

    const finalBlock = this.reverse ? 0 : T;
    const final: RecurrentState = {
      a: s.subarray(finalBlock * BH, (finalBlock + 1) * BH),
      c: cm ? cm.subarray(finalBlock * BH, (finalBlock + 1) * BH) : null,
    };
    let used = false;
    let dInit: RecurrentState | null = null;

    const backward = (dy: Buf | null, dFinal?: RecurrentStateGrad): Buf => {
      if (gen !== this.generation) throw new Error(`${cell.name}: backward of a stale forward (another forward ran since)`);
      if (used) throw new Error(`${cell.name}: backward called twice for one forward`);
      used = true;
      // Two ping-pong pairs: gradient w.r.t. the state after the step (da, dc) and before it.
      let cur = 0;
      fillBlock(g, 0, BH, dFinal?.a ?? null);
      fillBlock(g, 2 * BH, BH, dFinal?.c ?? null);
      const fusedBack = lstm ? ex.lstmSequenceBackward(T, B, H, this.reverse, z, Wa, cm, dy, ld, lo, hi, lengths, g, 0) : null;
      if (fusedBack === null && ex !== LOCAL_EXEC) throw new Error(`${cell.name}: the recorded LSTM loop cannot run`);
      if (fusedBack !== null) cur = fusedBack;
      const views = fusedBack === null ? viewsNow() : null;
      const dra = views?.dra;

      for (let k = T - 1; k >= (views ? 0 : T); k--) {
        const t = this.reverse ? T - 1 - k : k;
        const l = lo[t], h = hi[t], rows = h - l;
        const da = views!.g[cur][0], daPrev = views!.g[1 - cur][0];
        const dc = views!.g[2 + cur][0], dcPrev = views!.g[3 - cur][0];
        if (dy) {
          for (let b = l; b < h; b++) {
            if (t >= lengths[b]) continue;
            const yo = (t * B + b) * ld, d0 = b * H;
            for (let j = 0; j < H; j++) da[d0 + j] += dy[yo + j];
          }
        }
        const zt = views!.z[t];
        const dapl = views!.g[1 - cur][1 + t]; // daPrev from row l on
        if (rows > 0) {
          cell.stepBackward(zt, views!.sFrom[t], cm ? views!.cFrom[t] : null, views!.sTo[t], cm ? views!.cTo[t] : null,
            views!.g[cur][1 + t], cm ? views!.g[2 + cur][1 + t] : null, dapl, cm ? views!.g[3 - cur][1 + t] : null, rows);
          if (hasReset) {
            gemm(false, true, rows, H, GH - PH, 1, views!.zPost[t], GH, waPost!, GH, 0, dra!, H);
            cell.resetBackward!(zt, views!.sFrom[t], dra!, dapl, rows);
          }
        }
        // Padded rows: the state gradient passes through unchanged, dz = 0.
        const zRow0 = t * B;
        for (let b = 0; b < B; b++) {
          if (t < lengths[b]) continue;
          const d0 = b * H;
          for (let j = 0; j < H; j++) daPrev[d0 + j] = da[d0 + j];
          if (cm) for (let j = 0; j < H; j++) dcPrev[d0 + j] = dc[d0 + j];
          zeroRange(z, (zRow0 + b) * GH, (zRow0 + b + 1) * GH);
        }
        if (rows > 0) gemm(false, true, rows, H, PH, 1, zt, GH, Wa, GH, 1, dapl, H);
        cur = 1 - cur;
      }

      // Weight gradients over all steps at once.
      const sPrev = this.reverse ? s.subarray(BH) : s; // row t·B + b holds a⟨t−1⟩ of that row
      ex.gemm(true, false, H, PH, TB, 1, sPrev, H, z, GH, 1, cell.Wa.grad, GH);
      if (hasReset) gemm(true, false, H, GH - PH, TB, 1, ra!, H, z.subarray(PH), GH, 1, this.dWaPost!, GH);
      ex.gemm(true, false, D, GH, TB, 1, x, D, z, GH, 1, cell.Wx.grad, GH);
      ex.sumRowsInto(z, TB, GH, cell.b.grad);
      const dx = (this.dx = ensureBuf(this.dx, TB * D));
      ex.gemm(false, true, TB, D, GH, 1, z, GH, cell.Wx.value, GH, 0, dx, D);
      dInit = { a: g.subarray(cur * BH, (cur + 1) * BH), c: cm ? g.subarray((2 + cur) * BH, (3 + cur) * BH) : null };
      return dx.subarray(0, TB * D);
    };

    return {
      y: opts.output ? y : y.subarray(0, TB * H),
      final,
      backward,
      initialGrad: () => {
        if (!dInit) throw new Error(`${cell.name}: initialGrad() before backward`);
        return dInit;
      },
    };
  }

  /** Views of the work buffers per time step (rows of the active range only). */
  private stepViews(T: number, B: number, z: Buf, s: Buf, cm: Buf | null, ra: Buf | null, g: Buf): StepViews {
    const H = this.cell.hiddenSize, GH = this.cell.gates * H, PH = this.cell.preResetGates * H, BH = B * H;
    const v: StepViews = { z: [], zPost: [], sFrom: [], sTo: [], cFrom: [], cTo: [], ra: [], g: [], dra: g.subarray(4 * BH, 5 * BH) };
    // g[i][0]: the whole [B, H] gradient buffer i (da0, da1, dc0, dc1); g[i][1 + t]: from row lo[t] on.
    for (let i = 0; i < 4; i++) {
      const whole = g.subarray(i * BH, (i + 1) * BH);
      const list = [whole];
      for (let t = 0; t < T; t++) list.push(whole.subarray(this.lo[t] * H));
      v.g.push(list);
    }
    for (let t = 0; t < T; t++) {
      const l = this.lo[t];
      const p = this.reverse ? t + 1 : t, o = this.reverse ? t : t + 1;
      v.z.push(z.subarray((t * B + l) * GH));
      v.zPost.push(z.subarray((t * B + l) * GH + PH));
      v.sFrom.push(s.subarray((p * B + l) * H));
      v.sTo.push(s.subarray((o * B + l) * H));
      if (cm) { v.cFrom.push(cm.subarray((p * B + l) * H)); v.cTo.push(cm.subarray((o * B + l) * H)); }
      if (ra) v.ra.push(ra.subarray((t * B + l) * H));
    }
    return v;
  }
}

interface StepViews {
  z: Buf[]; zPost: Buf[]; sFrom: Buf[]; sTo: Buf[]; cFrom: Buf[]; cTo: Buf[]; ra: Buf[];
  g: Buf[][]; dra: Buf;
}

/** dst[off … off+n) = src (first n elements) or 0. */
function fillBlock(dst: Buf, off: number, n: number, src: Buf | null): void {
  if (src) {
    if (src.length < n) throw new RangeError(`state buffer has ${src.length} elements, need ${n}`);
    for (let i = 0; i < n; i++) dst[off + i] = src[i];
  } else zeroRange(dst, off, off + n);
}
