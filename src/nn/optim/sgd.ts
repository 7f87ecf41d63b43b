/**
 * Stochastic gradient descent with optional (Nesterov) momentum and L2 weight decay.
 *
 * Per element, with g the accumulated gradient:
 *   g ← g + wd · w                       (L2 regularisation, *coupled*: it passes through momentum)
 *   v ← μ · v + g                        (only when μ > 0; v starts at 0)
 *   d = g + μ · v  (Nesterov)  |  v  (classical momentum)  |  g  (μ = 0)
 *   w ← w − lr · d
 * This is the formulation of PyTorch's SGD (dampening 0). Sparse parameters (sparseRows set) are
 * updated lazily: only listed rows, whose velocity alone moves.
 */
import { zeros, type Buf } from '../../tensor/index.js';
import type { Param } from '../param.js';
import {
  checkStateParams, checkUniqueNames, forEachRange, restoreBuffer, type Optimizer, type OptimizerState,
} from './optimizer.js';

export interface SGDOptions {
  /** Learning rate. */
  lr: number;
  /** Momentum μ ∈ [0, 1). Default 0 (plain SGD). */
  momentum?: number;
  /** Nesterov momentum (needs μ > 0). Default false. */
  nesterov?: boolean;
  /** L2 penalty coefficient wd (adds wd·w to the gradient). Default 0. */
  weightDecay?: number;
}

interface SGDJson {
  type: 'SGD';
  steps: number;
  lr: number;
  params: string[];
}

export class SGD implements Optimizer {
  lr: number;
  readonly momentum: number;
  readonly nesterov: boolean;
  readonly weightDecay: number;
  /** Number of steps taken. */
  steps = 0;
  private readonly velocity: Buf[];

  constructor(readonly params: readonly Param[], opts: SGDOptions) {
    checkUniqueNames(params, 'SGD');
    this.lr = opts.lr;
    this.momentum = opts.momentum ?? 0;
    this.nesterov = opts.nesterov ?? false;
    this.weightDecay = opts.weightDecay ?? 0;
    if (!(this.momentum >= 0 && this.momentum < 1)) throw new RangeError(`SGD: momentum must be in [0, 1), got ${this.momentum}`);
    if (this.nesterov && this.momentum === 0) throw new RangeError('SGD: Nesterov momentum needs momentum > 0');
    if (!(this.weightDecay >= 0)) throw new RangeError(`SGD: weightDecay must be ≥ 0, got ${this.weightDecay}`);
    this.velocity = this.momentum > 0 ? params.map((p) => zeros(p.value.length)) : [];
  }

  /** Hyperparameters as JSON (for run records). */
  getConfig(): { type: 'SGD.v1'; lr: number; momentum: number; nesterov: boolean; weightDecay: number } {
    return { type: 'SGD.v1', lr: this.lr, momentum: this.momentum, nesterov: this.nesterov, weightDecay: this.weightDecay };
  }

  step(): void {
    const lr = this.lr, mu = this.momentum, wd = this.weightDecay, nesterov = this.nesterov;
    this.params.forEach((p, pi) => {
      const w = p.value, gr = p.grad;
      const v = mu > 0 ? this.velocity[pi] : null;
      forEachRange(p, (s, e) => {
        for (let i = s; i < e; i++) {
          const g = gr[i] + wd * w[i];
          if (v === null) {
            w[i] -= lr * g;
          } else {
            const vi = mu * v[i] + g;
            v[i] = vi;
            w[i] -= lr * (nesterov ? g + mu * vi : vi);
          }
        }
      });
    });
    this.steps++;
  }

  getState(): OptimizerState {
    const json: SGDJson = { type: 'SGD', steps: this.steps, lr: this.lr, params: this.params.map((p) => p.name) };
    const buffers: Record<string, Buf> = {};
    if (this.momentum > 0) this.params.forEach((p, i) => (buffers[`${p.name}.velocity`] = this.velocity[i]));
    return { json, buffers };
  }

  setState(state: OptimizerState): void {
    const j = state.json as SGDJson;
    if (j?.type !== 'SGD') throw new Error(`SGD.setState: not an SGD state (type ${String(j?.type)})`);
    checkStateParams('SGD', j.params, this.params);
    if (this.momentum > 0) this.params.forEach((p, i) => restoreBuffer('SGD', state, `${p.name}.velocity`, this.velocity[i]));
    this.steps = j.steps;
    this.lr = j.lr;
  }
}
