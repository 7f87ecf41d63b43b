/**
 * One-hot input through a Dense layer, without materialising the one-hot vectors.
 *
 * The seed notes encode a token as a one-hot vector o [V] (1 at its id) and feed it to a Dense
 * layer: y = o·W + b with W [V, D]. Since o·W is row `id` of W, the product is a row lookup;
 * this layer computes exactly that function (and its gradients: dW[id] += dy, db += dy) in
 * O(N·D) instead of O(N·V·D). It is the same function as Embedding plus a bias, and gets the same
 * initialisation as Dense(V, D) (Glorot, zero bias), so both parameterisations are interchangeable.
 *
 * Dims: N rows (= T·B), V one-hot size, D outputs.
 */
import { glorotUniform, type Buf, type Rng } from '../tensor/index.js';
import { makeParam, type Module, type Param } from './param.js';
import { Scratch, staleBackward } from './dense.js';

export interface OneHotDenseOptions {
  /** Add a learned bias b [D]. Default true (as Dense). */
  bias?: boolean;
}

export interface OneHotDenseConfig {
  type: 'OneHotDense.v1';
  name: string;
  vocabSize: number;
  outDim: number;
  bias: boolean;
}

export interface OneHotDenseOutput {
  /** y [N, D] = onehot(ids) [N, V] · W [V, D] + b, owned by the layer (overwritten by its next forward). */
  y: Buf;
  /**
   * dW[ids[i]] += dy[i] (rows recorded in `weight.sparseRows`), db += Σ_i dy[i]. The one-hot input
   * has no gradient to return.
   * @param dy [N, D]
   */
  backward(dy: Buf): void;
}

/** Parameters: `${name}.weight` [V, D] (sparse rows), `${name}.bias` [D]. */
export class OneHotDense implements Module {
  readonly weight: Param;
  readonly bias: Param | null;
  private readonly yBuf = new Scratch();
  private generation = 0;

  constructor(readonly name: string, readonly vocabSize: number, readonly outDim: number, rng: Rng, opts: OneHotDenseOptions = {}) {
    if (!(Number.isInteger(vocabSize) && vocabSize > 0 && Number.isInteger(outDim) && outDim > 0)) {
      throw new RangeError(`OneHotDense ${name}: sizes must be positive integers, got ${vocabSize}×${outDim}`);
    }
    this.weight = makeParam(`${name}.weight`, [vocabSize, outDim]);
    this.weight.sparseRows = new Set();
    glorotUniform(this.weight.value, vocabSize, outDim, rng);
    this.bias = opts.bias === false ? null : makeParam(`${name}.bias`, [outDim]);
  }

  static fromConfig(c: OneHotDenseConfig, rng: Rng): OneHotDense {
    return new OneHotDense(c.name, c.vocabSize, c.outDim, rng, { bias: c.bias });
  }

  getConfig(): OneHotDenseConfig {
    return { type: 'OneHotDense.v1', name: this.name, vocabSize: this.vocabSize, outDim: this.outDim, bias: this.bias !== null };
  }

  params(): Param[] {
    return this.bias ? [this.weight, this.bias] : [this.weight];
  }

  /**
   * @param ids [N] the hot index of each row, in [0, V); must stay unchanged until `backward`.
   * @param n N, default ids.length
   */
  forward(ids: Int32Array, n: number = ids.length): OneHotDenseOutput {
    const V = this.vocabSize, D = this.outDim, w = this.weight.value;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < V)) throw new RangeError(`OneHotDense ${this.name}: id ${id} is outside [0, ${V})`);
    }
    const y = this.yBuf.get(n * D);
    const b = this.bias?.value;
    for (let i = 0; i < n; i++) {
      const src = ids[i] * D, dst = i * D;
      if (b) for (let j = 0; j < D; j++) y[dst + j] = w[src + j] + b[j];
      else for (let j = 0; j < D; j++) y[dst + j] = w[src + j];
    }
    const gen = ++this.generation;
    return {
      y,
      backward: (dy: Buf): void => {
        if (gen !== this.generation) throw staleBackward(`OneHotDense ${this.name}`);
        if (dy.length < n * D) throw new RangeError(`OneHotDense ${this.name}: dy has ${dy.length} elements, need ${n}×${D}`);
        const g = this.weight.grad, gb = this.bias?.grad;
        const rows = this.weight.sparseRows ?? (this.weight.sparseRows = new Set());
        for (let i = 0; i < n; i++) {
          const id = ids[i];
          rows.add(id);
          const dst = id * D, src = i * D;
          for (let j = 0; j < D; j++) g[dst + j] += dy[src + j];
          if (gb) for (let j = 0; j < D; j++) gb[j] += dy[src + j];
        }
      },
    };
  }
}
