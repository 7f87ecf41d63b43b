/**
 * A deep recurrent encoder: N recurrent layers, each uni- or bidirectional, layer l's output
 * a⟨t⟩ being layer l+1's input x⟨t⟩, with (inverted) dropout between layers — not after the
 * last one (the caller decides what follows).
 *
 *   x [T·B, D] → layer 0 → dropout → layer 1 → … → layer N−1 → y [T·B, H·dirs]
 *
 * Parameter names: `${name}.l${i}.{Wx,Wa,b}` (unidirectional) or `${name}.l${i}.{fwd,bwd}.*`.
 * Count: Σ_l dirs·G·H·(D_l + H + 1) with D_0 = D, D_l = dirs·H — asserted at construction.
 */
import type { Buf, Rng } from '../tensor/index.js';
import type { Param } from './param.js';
import { Dropout } from './dropout.js';
import { cellParamCount, type CellKind } from './cells/cell.js';
import { gatesOf } from './cells/factory.js';
import { Recurrent, type ProjectFn, type SequenceLayer } from './recurrent.js';
import { Bidirectional } from './bidirectional.js';

export interface StackOptions {
  /** Cell of every layer. */
  cell: CellKind;
  /** D: input features. */
  inputSize: number;
  /** H: hidden units per direction. */
  hiddenSize: number;
  /** Number of layers, ≥ 1. */
  numLayers: number;
  /** Each layer bidirectional (outputs 2H) or left-to-right (H). */
  bidirectional: boolean;
  /** Dropout rate between layers, in [0, 1). Default 0. */
  dropout?: number;
  /** Time-shared (variational) dropout masks between layers instead of per element. Default false. */
  variationalDropout?: boolean;
}

export interface StackConfig extends Required<StackOptions> {
  type: 'Stack.v1';
  name: string;
}

export interface StackOutput {
  /** y [T·B, outputSize], 0 at padded steps; owned by the last layer (overwritten by its next forward). */
  y: Buf;
  /** dy [T·B, outputSize] → dx [T·B, D]; accumulates into every layer's parameter grads. */
  backward(dy: Buf): Buf;
}

export class Stack implements SequenceLayer {
  readonly layers: SequenceLayer[] = [];
  readonly dropouts: Dropout[] = [];
  readonly opts: Required<StackOptions>;
  /** Source of the dropout masks (save its state with a checkpoint for exact resume). */
  readonly dropoutRng: Rng;

  /**
   * @param rng  initialises the weights; unless `dropoutRng` is given, the dropout masks come
   *             from a generator forked from it after initialisation.
   */
  constructor(readonly name: string, options: StackOptions, rng: Rng, dropoutRng?: Rng) {
    const o: Required<StackOptions> = { dropout: 0, variationalDropout: false, ...options };
    if (!(Number.isInteger(o.numLayers) && o.numLayers >= 1)) throw new RangeError(`${name}: numLayers must be ≥ 1, got ${o.numLayers}`);
    this.opts = o;
    const dirs = o.bidirectional ? 2 : 1;
    let inDim = o.inputSize, want = 0;
    for (let l = 0; l < o.numLayers; l++) {
      const lname = `${name}.l${l}`;
      this.layers.push(o.bidirectional
        ? new Bidirectional(lname, o.cell, inDim, o.hiddenSize, rng)
        : Recurrent.create(o.cell, lname, inDim, o.hiddenSize, rng));
      want += dirs * cellParamCount(gatesOf(o.cell), inDim, o.hiddenSize);
      inDim = dirs * o.hiddenSize;
    }
    this.dropoutRng = dropoutRng ?? rng.fork();
    for (let l = 0; l + 1 < o.numLayers; l++) this.dropouts.push(new Dropout(o.dropout, this.dropoutRng));
    const n = this.params().reduce((s, p) => s + p.value.length, 0);
    if (n !== want) throw new Error(`${name}: ${n} parameters, expected ${want}`);
  }

  static fromConfig(c: StackConfig, rng: Rng): Stack {
    return new Stack(c.name, c, rng);
  }

  get inputSize(): number { return this.opts.inputSize; }
  get outputSize(): number { return (this.opts.bidirectional ? 2 : 1) * this.opts.hiddenSize; }

  params(): Param[] {
    return this.layers.flatMap((l) => l.params());
  }

  getConfig(): StackConfig {
    return { type: 'Stack.v1', name: this.name, ...this.opts };
  }

  /**
   * @param x        [T·B, D] time-major
   * @param lengths  [B]
   * @param opts.training  dropout on (true) or identity (false, default)
   * @param opts.project   input projections of the first layer (see RecurrentForwardOptions)
   */
  forward(x: Buf, T: number, B: number, lengths: Int32Array, opts: { training?: boolean; project?: ProjectFn } = {}): StackOutput {
    const training = opts.training ?? false;
    const backs: ((dy: Buf) => Buf)[] = [];
    let h = x;
    for (let l = 0; l < this.layers.length; l++) {
      if (l > 0) {
        const w = this.layers[l - 1].outputSize;
        const d = this.opts.variationalDropout
          ? this.dropouts[l - 1].forwardShared(h, T, B, w, training)
          : this.dropouts[l - 1].forward(h, T * B * w, training);
        h = d.y;
        backs.push(d.backward);
      }
      const out = this.layers[l].forward(h, T, B, lengths, { training, project: l === 0 ? opts.project : undefined });
      h = out.y;
      backs.push((dy) => out.backward(dy));
    }
    return {
      y: h,
      backward: (dy: Buf): Buf => {
        let g = dy;
        for (let i = backs.length - 1; i >= 0; i--) g = backs[i](g);
        return g;
      },
    };
  }
}
