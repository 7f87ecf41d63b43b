/**
 * Dense (fully connected, linear) layer, plus the small scratch-buffer helper the layers of this
 * floor use to reuse their output buffers from one training step to the next.
 *
 * Dims: N rows (N = T·B for a time-major batch [T, B, ·] seen as a matrix), D inputs, O outputs.
 */
import { zeros, getDType, gemm, fillRows, sumRowsFast, glorotUniform, type Buf, type DType, type Rng } from '../tensor/index.js';
import { makeParam, type Module, type Param } from './param.js';

/**
 * A growable buffer owned by a layer: `get(n)` returns a view of n elements whose contents are
 * unspecified (the caller overwrites every element). The buffer only grows, so a layer called
 * step after step with batches of similar size stops allocating after the first few steps.
 * It is re-allocated when the dtype changes (float64 gradient checks).
 */
export class Scratch {
  private buf: Buf | null = null;
  private dtype: DType = 'float32';

  /** A view [n] into the buffer (contents unspecified), valid until the next `get`. */
  get(n: number): Buf {
    const dt = getDType();
    if (this.buf === null || this.buf.length < n || this.dtype !== dt) {
      const grown = this.buf !== null && this.dtype === dt ? Math.ceil(this.buf.length * 1.25) : 0;
      this.buf = zeros(Math.max(n, grown));
      this.dtype = dt;
    }
    return this.buf.length === n ? this.buf : this.buf.subarray(0, n);
  }
}

/**
 * Guards against a classic bug of buffer reuse: calling `backward` of a forward pass after a later
 * forward pass of the same layer instance has overwritten the buffers it reads.
 * @internal
 */
export function staleBackward(layer: string): Error {
  return new Error(
    `${layer}: backward called after a later forward of the same layer instance, whose buffers ` +
      `it reuses; use one layer instance per place in the network`,
  );
}

export interface DenseOptions {
  /** Add a learned bias b [O]. Default true. */
  bias?: boolean;
}

export interface DenseConfig {
  type: 'Dense.v1';
  name: string;
  inDim: number;
  outDim: number;
  bias: boolean;
}

export interface DenseOutput {
  /** y [N, O], owned by the layer: overwritten by its next forward. */
  y: Buf;
  /**
   * Accumulates dW += xᵀ·dy and db += Σ_rows dy into the parameter gradients and returns
   * dx = dy·Wᵀ [N, D] (a layer-owned buffer, overwritten by the next backward).
   * @param dy [N, O]
   */
  backward(dy: Buf): Buf;
}

/**
 * y [N, O] = x [N, D] · W [D, O] + b [O]. Linear (no activation). W is Glorot-uniform initialised,
 * b starts at zero. Parameters: `${name}.weight` [D, O], `${name}.bias` [O].
 */
export class Dense implements Module {
  readonly weight: Param;
  readonly bias: Param | null;
  private readonly yBuf = new Scratch();
  private readonly dxBuf = new Scratch();
  private generation = 0;

  constructor(
    readonly name: string,
    readonly inDim: number,
    readonly outDim: number,
    rng: Rng,
    opts: DenseOptions = {},
  ) {
    if (!(Number.isInteger(inDim) && inDim > 0 && Number.isInteger(outDim) && outDim > 0)) {
      throw new RangeError(`Dense ${name}: dimensions must be positive integers, got ${inDim}×${outDim}`);
    }
    this.weight = makeParam(`${name}.weight`, [inDim, outDim]);
    glorotUniform(this.weight.value, inDim, outDim, rng);
    this.bias = opts.bias === false ? null : makeParam(`${name}.bias`, [outDim]);
  }

  static fromConfig(c: DenseConfig, rng: Rng): Dense {
    return new Dense(c.name, c.inDim, c.outDim, rng, { bias: c.bias });
  }

  getConfig(): DenseConfig {
    return { type: 'Dense.v1', name: this.name, inDim: this.inDim, outDim: this.outDim, bias: this.bias !== null };
  }

  params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /**
   * @param x [N, D] (row-major; only the first N·D elements are read). Must stay unchanged until
   *          `backward` has run, which reads it for dW.
   * @param rows N
   */
  forward(x: Buf, rows: number): DenseOutput {
    const D = this.inDim, O = this.outDim;
    if (x.length < rows * D) throw new RangeError(`Dense ${this.name}: x has ${x.length} elements, need ${rows}×${D}`);
    const y = this.yBuf.get(rows * O);
    if (this.bias) fillRows(y, this.bias.value, rows, O);
    gemm(false, false, rows, O, D, 1, x, D, this.weight.value, O, this.bias ? 1 : 0, y, O);
    const gen = ++this.generation;
    return {
      y,
      backward: (dy: Buf): Buf => {
        if (gen !== this.generation) throw staleBackward(`Dense ${this.name}`);
        if (dy.length < rows * O) throw new RangeError(`Dense ${this.name}: dy has ${dy.length} elements, need ${rows}×${O}`);
        gemm(true, false, D, O, rows, 1, x, D, dy, O, 1, this.weight.grad, O);
        if (this.bias) sumRowsFast(dy, rows, O, this.bias.grad);
        const dx = this.dxBuf.get(rows * D);
        gemm(false, true, rows, D, O, 1, dy, O, this.weight.value, O, 0, dx, D);
        return dx;
      },
    };
  }
}
