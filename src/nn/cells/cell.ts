/**
 * The one cell interface shared by RNN, GRU and LSTM.
 *
 * A cell owns its weights and the element-wise math of one time step. It does no matrix
 * products: the time loop, the masks and every gemm live in `Recurrent`, so that
 *  (a) the input projection of ALL time steps is one gemm  X [T·B, D] · Wx [D, G·H] → Z [T·B, G·H],
 *  (b) each step adds one recurrent gemm over the batch    a⟨t−1⟩ [B, H] · Wa [H, G·H],
 *  (c) backward through time accumulates dWa and dWx with one gemm each over all steps.
 *
 * Packed weights. G gate blocks of H columns each, in the order of `gateNames`:
 *   Wx [D, G·H]   input weights      (the x-part of the seed notes' W [a, x])
 *   Wa [H, G·H]   recurrent weights  (the a-part)
 *   b  [G·H]      biases
 * The pre-activation of one step for B rows is
 *   z [B, G·H] = x⟨t⟩·Wx + b + a⟨t−1⟩·Wa[:, 0 : P·H] | (Γr * a⟨t−1⟩)·Wa[:, P·H : G·H]
 * where the first P blocks ("pre-reset") read the previous state directly and the remaining
 * G − P blocks read the reset-scaled state Γr * a⟨t−1⟩ (only the GRU has such a block, c̃;
 * RNN and LSTM have P = G). A cell with P < G implements `resetForward`/`resetBackward`.
 *
 * One step, as `Recurrent` drives it (rows = the batch rows being computed; all buffers are
 * row-major views starting at the first such row):
 *   forward:  z += aPrev·Wa[:, pre]            (gemm, by Recurrent)
 *             [resetForward(z, aPrev, ra)      activates the pre-reset gates, ra = Γr * aPrev
 *              z[:, post] += ra·Wa[:, post]]   (gemm, by Recurrent)
 *             stepForward(z, aPrev, cPrev, a, c): activates the rest; writes a⟨t⟩ (and c⟨t⟩)
 *   After the forward step z holds the gate ACTIVATIONS; the backward step overwrites them in
 *   place with the gradients w.r.t. the pre-activations (dz), which Recurrent then uses for all
 *   weight gradients. So a forward result supports exactly one backward.
 *   backward: stepBackward(z, …, da, dc, daPrev, dcPrev): dz for the post-reset and update
 *             blocks (all blocks if P = G); daPrev/dcPrev = the element-wise parts of the
 *             gradient w.r.t. the previous state (overwritten, not accumulated)
 *             [dra = dz[:, post]·Wa[:, post]ᵀ      (gemm, by Recurrent)
 *              resetBackward(z, aPrev, dra, daPrev): dz of the reset gate; daPrev += dra * Γr]
 *             daPrev += dz[:, pre]·Wa[:, pre]ᵀ     (gemm, by Recurrent)
 */
import { getDType, zeros, glorotUniform, orthogonalInit, type Buf, type Rng } from '../../tensor/index.js';
import { makeParam, type Module, type Param } from '../param.js';

export type CellKind = 'rnn' | 'gru' | 'lstm';

/** Plain-JSON description of a cell. */
export interface CellConfig {
  type: 'RNNCell.v1' | 'GRUCell.v1' | 'LSTMCell.v1';
  name: string;
  inputSize: number;
  hiddenSize: number;
}

export interface Cell extends Module {
  readonly kind: CellKind;
  /** Parameter-name prefix. */
  readonly name: string;
  /** D: input features per step. */
  readonly inputSize: number;
  /** H: hidden units. */
  readonly hiddenSize: number;
  /** G: gate blocks in the packed matrices. */
  readonly gates: number;
  /** Names of the G gate blocks, in packed column order. */
  readonly gateNames: readonly string[];
  /** P: leading gate blocks whose recurrent product reads a⟨t−1⟩ itself (P = G except GRU). */
  readonly preResetGates: number;
  /** True when the cell carries a memory c⟨t⟩ besides a⟨t⟩ (LSTM). */
  readonly hasMemory: boolean;
  /** Wx [D, G·H]. */
  readonly Wx: Param;
  /** Wa [H, G·H]. */
  readonly Wa: Param;
  /** b [G·H]. */
  readonly b: Param;

  /**
   * Finishes one step for `rows` rows. z [rows, G·H]: pre-activations in (all blocks complete),
   * activations out. aPrev, cPrev [rows, H] the previous state; a, c [rows, H] written.
   * cPrev/c are null for cells without memory.
   */
  stepForward(z: Buf, aPrev: Buf, cPrev: Buf | null, a: Buf, c: Buf | null, rows: number): void;

  /**
   * Backward of one step for `rows` rows. z [rows, G·H]: activations in, dz out (for the
   * pre-reset blocks of a GRU: the reset block is left to resetBackward). da, dc [rows, H]:
   * gradients w.r.t. a⟨t⟩, c⟨t⟩ (read only). daPrev, dcPrev [rows, H]: written with the
   * element-wise part of the gradient w.r.t. a⟨t−1⟩, c⟨t−1⟩.
   */
  stepBackward(
    z: Buf, aPrev: Buf, cPrev: Buf | null, a: Buf, c: Buf | null,
    da: Buf, dc: Buf | null, daPrev: Buf, dcPrev: Buf | null, rows: number,
  ): void;

  /** P < G only. z [rows, G·H]: activates the P pre-reset blocks; ra [rows, H] = Γr * aPrev. */
  resetForward?(z: Buf, aPrev: Buf, ra: Buf, rows: number): void;

  /** P < G only. dra [rows, H] = dL/d(Γr * aPrev): writes dz of the reset block, daPrev += dra * Γr. */
  resetBackward?(z: Buf, aPrev: Buf, dra: Buf, daPrev: Buf, rows: number): void;

  getConfig(): CellConfig;
}

/** Number of parameters of a cell, closed form: G·H·(D + H + 1). */
export function cellParamCount(gates: number, inputSize: number, hiddenSize: number): number {
  return gates * hiddenSize * (inputSize + hiddenSize + 1);
}

/**
 * Shared construction: packed parameters, initialisation, parameter-count assertion.
 * Init: Glorot/Xavier uniform for Wx with fan-in D and fan-out H (each gate block is its own
 * matrix), an independent orthogonal [H, H] matrix per gate block of Wa, zero biases
 * (subclasses adjust, e.g. the LSTM forget bias).
 */
export abstract class CellBase {
  readonly Wx: Param;
  readonly Wa: Param;
  readonly b: Param;

  constructor(
    readonly name: string,
    readonly inputSize: number,
    readonly hiddenSize: number,
    readonly gates: number,
    rng: Rng,
  ) {
    if (!(Number.isInteger(inputSize) && inputSize > 0)) throw new RangeError(`${name}: bad inputSize ${inputSize}`);
    if (!(Number.isInteger(hiddenSize) && hiddenSize > 0)) throw new RangeError(`${name}: bad hiddenSize ${hiddenSize}`);
    const D = inputSize, H = hiddenSize, GH = gates * hiddenSize;
    this.Wx = makeParam(`${name}.Wx`, [D, GH]);
    this.Wa = makeParam(`${name}.Wa`, [H, GH]);
    this.b = makeParam(`${name}.b`, [GH]);
    glorotUniform(this.Wx.value, D, H, rng);
    const block = zeros(H * H);
    for (let g = 0; g < gates; g++) {
      orthogonalInit(block, H, H, rng);
      for (let r = 0; r < H; r++) for (let j = 0; j < H; j++) this.Wa.value[r * GH + g * H + j] = block[r * H + j];
    }
    const n = this.params().reduce((s, p) => s + p.value.length, 0);
    const want = cellParamCount(gates, D, H);
    if (n !== want) throw new Error(`${name}: ${n} parameters, expected G·H·(D+H+1) = ${want}`);
  }

  params(): Param[] {
    return [this.Wx, this.Wa, this.b];
  }
}

// ---- helpers shared by the recurrent layers (Recurrent, Conv1d, CharEncoder) ----

/** σ(v) without overflow. */
export function sigm(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * Grow-only workspace buffers: returns `buf` when it holds at least n elements of the current
 * dtype, else a fresh zero buffer of at least n elements (from `zeros`, so it lives wherever the
 * backend allocates). Contents are unspecified when reused.
 */
export function ensureBuf(buf: Buf | null, n: number): Buf {
  const same = buf !== null && (buf instanceof Float64Array) === (getDType() === 'float64');
  if (same && buf.length >= n) return buf;
  // At least a quarter more than before: batches of rising size (tagging a file) would each
  // leave a block behind otherwise, which goes back to the wasm heap only when V8 collects the
  // old view (with the default model, ~290 MB of dropped workspaces over eng.train instead of ~80).
  return zeros(Math.max(n, same ? Math.ceil(buf.length * 1.25) : 1));
}

/** [lo[t], hi[t]): the smallest row range holding every b with t < lengths[b] (empty: 0, 0). */
export function activeRanges(T: number, B: number, lengths: Int32Array, lo: Int32Array, hi: Int32Array): void {
  for (let t = 0; t < T; t++) {
    let l = B, h = 0;
    for (let b = 0; b < B; b++) if (t < lengths[b]) { if (b < l) l = b; h = b + 1; }
    lo[t] = h > 0 ? l : 0;
    hi[t] = h;
  }
}
