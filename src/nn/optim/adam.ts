/**
 * Adam (Kingma & Ba 2015) with bias correction, and decoupled weight decay (AdamW, Loshchilov &
 * Hutter 2019) when `weightDecay` > 0.
 *
 * Per element, at step t (1-based), with g the accumulated gradient:
 *   m ← β1·m + (1−β1)·g            v ← β2·v + (1−β2)·g²
 *   m̂ = m / (1−β1ᵗ)                 v̂ = v / (1−β2ᵗ)
 *   w ← w − lr·wd·w                 (decoupled decay: not seen by the moments)
 *   w ← w − lr · m̂ / (√v̂ + ε)
 *
 * Lazy Adam for sparse parameters (sparseRows set, i.e. embedding tables): only the listed rows
 * are updated — their moments, their decay and their values; rows absent from the batch are left
 * exactly as they are (their moments do not decay). Bias correction uses the global step t for
 * every row (as TensorFlow's LazyAdam). This is what makes a step cost O(rows used), not O(V).
 */
import { zeros, type Buf } from '../../tensor/index.js';
import { activeKernels, kernelsFor } from '../../tensor/backend.js';
import type { KernelExports } from '../../tensor/wasm.js';
import type { Param } from '../param.js';
import {
  checkStateParams, checkUniqueNames, restoreBuffer, rowSize, sparseRowIds, type Optimizer, type OptimizerState,
} from './optimizer.js';

export interface AdamOptions {
  /** Learning rate. Default 0.001. */
  lr?: number;
  /** Decay of the first moment. Default 0.9. */
  beta1?: number;
  /** Decay of the second moment. Default 0.999. */
  beta2?: number;
  /** Added to √v̂. Default 1e-8. */
  eps?: number;
  /** Decoupled weight decay coefficient (AdamW). Default 0. */
  weightDecay?: number;
}

interface AdamJson {
  type: 'Adam';
  t: number;
  lr: number;
  params: string[];
}

export class Adam implements Optimizer {
  lr: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly eps: number;
  readonly weightDecay: number;
  /** Steps taken (t of the last update). */
  t = 0;
  private readonly m: Buf[];
  private readonly v: Buf[];

  constructor(readonly params: readonly Param[], opts: AdamOptions = {}) {
    checkUniqueNames(params, 'Adam');
    this.lr = opts.lr ?? 0.001;
    this.beta1 = opts.beta1 ?? 0.9;
    this.beta2 = opts.beta2 ?? 0.999;
    this.eps = opts.eps ?? 1e-8;
    this.weightDecay = opts.weightDecay ?? 0;
    for (const [k, b] of [['beta1', this.beta1], ['beta2', this.beta2]] as const) {
      if (!(b >= 0 && b < 1)) throw new RangeError(`Adam: ${k} must be in [0, 1), got ${b}`);
    }
    if (!(this.eps > 0)) throw new RangeError(`Adam: eps must be > 0, got ${this.eps}`);
    if (!(this.weightDecay >= 0)) throw new RangeError(`Adam: weightDecay must be ≥ 0, got ${this.weightDecay}`);
    this.m = params.map((p) => zeros(p.value.length));
    this.v = params.map((p) => zeros(p.value.length));
  }

  /** Hyperparameters as JSON (for run records). */
  getConfig(): { type: 'Adam.v1'; lr: number; beta1: number; beta2: number; eps: number; weightDecay: number } {
    return { type: 'Adam.v1', lr: this.lr, beta1: this.beta1, beta2: this.beta2, eps: this.eps, weightDecay: this.weightDecay };
  }

  step(): void {
    const t = ++this.t;
    const b1 = this.beta1, b2 = this.beta2, lr = this.lr;
    const h: AdamConstants = {
      lr, b1, b2, eps: this.eps, bc1: 1 - Math.pow(b1, t), bc2: 1 - Math.pow(b2, t), decay: 1 - lr * this.weightDecay,
    };
    this.params.forEach((p, pi) => {
      const w = p.value, gr = p.grad, m = this.m[pi], v = this.v[pi];
      if (p.sparseRows === undefined) adamElements(w, gr, m, v, 0, w.length, h);
      else adamRows(w, gr, m, v, sparseRowIds(p), rowSize(p), h);
    });
  }

  getState(): OptimizerState {
    const json: AdamJson = { type: 'Adam', t: this.t, lr: this.lr, params: this.params.map((p) => p.name) };
    const buffers: Record<string, Buf> = {};
    this.params.forEach((p, i) => {
      buffers[`${p.name}.m`] = this.m[i];
      buffers[`${p.name}.v`] = this.v[i];
    });
    return { json, buffers };
  }

  /** Restores moments, step count and lr (hyperparameters stay those of the constructor). */
  setState(state: OptimizerState): void {
    const j = state.json as AdamJson;
    if (j?.type !== 'Adam') throw new Error(`Adam.setState: not an Adam state (type ${String(j?.type)})`);
    checkStateParams('Adam', j.params, this.params);
    this.params.forEach((p, i) => {
      restoreBuffer('Adam', state, `${p.name}.m`, this.m[i]);
      restoreBuffer('Adam', state, `${p.name}.v`, this.v[i]);
    });
    this.t = j.t;
    this.lr = j.lr;
  }
}

/** One Adam step's constants: learning rate, betas, epsilon, bias corrections 1 − βᵗ, decoupled decay factor. */
export interface AdamConstants {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  bc1: number;
  bc2: number;
  decay: number;
}

/**
 * `adamElements` on the rows ids of D elements (an embedding's listed rows): one WASM call for
 * all of them when the four buffers are in the heap (each row through the same kernel, so the
 * same bits as row by row), else row by row.
 */
export function adamRows(w: Buf, gr: Buf, m: Buf, v: Buf, ids: Int32Array, D: number, h: AdamConstants): void {
  const n = ids.length;
  if (n === 0 || D <= 0) return;
  const k = kernelsFor(w, gr, m, v);
  if (k !== null) {
    const { lr, b1, b2, eps, bc1, bc2, decay } = h;
    k.adamRows(w.byteOffset, gr.byteOffset, m.byteOffset, v.byteOffset, activeKernels()!.stageIds(ids, n), n, D,
      lr, b1, b2, 1 - b1, 1 - b2, eps, bc1, bc2, decay);
    return;
  }
  for (let i = 0; i < n; i++) adamElements(w, gr, m, v, ids[i] * D, (ids[i] + 1) * D, h, null);
}

/**
 * Adam's update of the elements [s, e) of one parameter: m ← β1·m + (1−β1)·g,
 * v ← β2·v + (1−β2)·g², w ← w·decay − lr·(m/bc1)/(√(v/bc2) + ε). Shared by `Adam.step` and the
 * data-parallel update, which applies it to ranges of the parameters from several threads.
 * Through the WASM kernel `k` (default: the active kernels when all four buffers are in their
 * heap; single precision, the same bits for an element whatever range it falls in), else a JS
 * loop in double precision.
 */
export function adamElements(w: Buf, gr: Buf, m: Buf, v: Buf, s: number, e: number, h: AdamConstants,
  k: KernelExports | null = kernelsFor(w, gr, m, v)): void {
  const { lr, b1, b2, eps, bc1, bc2, decay } = h;
  if (k !== null) {
    if (e > s) k.adamUpdate(w.byteOffset + 4 * s, gr.byteOffset + 4 * s, m.byteOffset + 4 * s, v.byteOffset + 4 * s, e - s, lr, b1, b2, 1 - b1, 1 - b2, eps, bc1, bc2, decay);
    return;
  }
  for (let i = s; i < e; i++) {
    const g = gr[i];
    const mi = b1 * m[i] + (1 - b1) * g;
    const vi = b2 * v[i] + (1 - b2) * g * g;
    m[i] = mi;
    v[i] = vi;
    w[i] = w[i] * decay - (lr * (mi / bc1)) / (Math.sqrt(vi / bc2) + eps);
  }
}
