/**
 * Embedding lookup: ids [N] → rows of a table W [V, D].
 *
 * Gradients are sparse: backward adds into the rows of `weight.grad` that the batch used and
 * records them in `weight.sparseRows`, so optimizers, clipping and `zeroGrad` touch only those
 * rows (vocabularies have 20k–400k rows; a batch uses a few hundred). Invariant kept by this
 * layer (and relied on by `optim/`): rows of `weight.grad` not listed in `sparseRows` are zero.
 */
import { glorotUniform, normalInit, uniformInit, gatherRows, scatterAddRows, type Buf, type Rng } from '../tensor/index.js';
import { makeParam, type Module, type Param } from './param.js';
import { Scratch, staleBackward } from './dense.js';

/**
 * Initial values of the table:
 * - `uniform` (default): U(−√(3/D), √(3/D)), the scheme of Ma & Hovy (2016) (unit variance per vector);
 * - `normal`: N(0, 1/D), the same variance as `uniform`;
 * - `glorot`: Glorot-uniform with fanIn = V, fanOut = D (what Dense [V, D] on one-hot inputs gets);
 * - `zeros`.
 */
export type EmbeddingInit = 'uniform' | 'normal' | 'glorot' | 'zeros';

export interface EmbeddingOptions {
  /** Initial values; default `uniform` (see EmbeddingInit). */
  init?: EmbeddingInit;
  /** This row is set to zero and never receives a gradient (padding token). Default: none. */
  paddingIdx?: number;
  /** No gradient at all (e.g. fixed pretrained vectors). Default false. */
  frozen?: boolean;
}

export interface EmbeddingConfig {
  type: 'Embedding.v1';
  name: string;
  vocabSize: number;
  dim: number;
  init: EmbeddingInit;
  paddingIdx: number | null;
  frozen: boolean;
}

export interface EmbeddingOutput {
  /** y [N, D], owned by the layer: overwritten by its next forward. */
  y: Buf;
  /**
   * Adds dy's rows into the used rows of `weight.grad` (repeated ids accumulate) and records
   * them in `weight.sparseRows`. No-op when frozen; skips `paddingIdx`.
   * @param dy [N, D]
   */
  backward(dy: Buf): void;
}

/**
 * Parameter: `${name}.weight` [V, D], always with `sparseRows` set (a frozen table keeps it
 * empty, so optimizers never move it, while it is still listed by `params()` and saved).
 */
export class Embedding implements Module {
  private table: Param;
  readonly init: EmbeddingInit;
  readonly paddingIdx: number | null;
  readonly frozen: boolean;
  private readonly yBuf = new Scratch();
  private generation = 0;

  constructor(
    readonly name: string,
    readonly vocabSize: number,
    readonly dim: number,
    rng: Rng,
    opts: EmbeddingOptions = {},
  ) {
    if (!(Number.isInteger(vocabSize) && vocabSize > 0 && Number.isInteger(dim) && dim > 0)) {
      throw new RangeError(`Embedding ${name}: sizes must be positive integers, got ${vocabSize}×${dim}`);
    }
    this.init = opts.init ?? 'uniform';
    this.paddingIdx = opts.paddingIdx ?? null;
    this.frozen = opts.frozen ?? false;
    if (this.paddingIdx !== null && !(Number.isInteger(this.paddingIdx) && this.paddingIdx >= 0 && this.paddingIdx < vocabSize)) {
      throw new RangeError(`Embedding ${name}: paddingIdx ${this.paddingIdx} is outside [0, ${vocabSize})`);
    }
    this.table = makeParam(`${name}.weight`, [vocabSize, dim]);
    this.table.sparseRows = new Set();
    const w = this.weight.value;
    switch (this.init) {
      case 'uniform': {
        const a = Math.sqrt(3 / dim);
        uniformInit(w, -a, a, rng);
        break;
      }
      case 'normal':
        normalInit(w, 1 / Math.sqrt(dim), rng);
        break;
      case 'glorot':
        glorotUniform(w, vocabSize, dim, rng);
        break;
      case 'zeros':
        break;
      default:
        throw new RangeError(`Embedding ${name}: unknown init '${String(this.init)}'`);
    }
    if (this.paddingIdx !== null) w.fill(0, this.paddingIdx * dim, (this.paddingIdx + 1) * dim);
  }

  /** The table [V, D]. */
  get weight(): Param {
    return this.table;
  }

  /**
   * Reads the rows from `table` [V, D] from now on instead of this layer's own buffer: a view of
   * the same weights held by another thread (a tagging worker reading the calling thread's copy
   * in its shared WebAssembly memory, so that a large vocabulary is in memory once). Inference
   * only — the table belongs to its owner, which must keep it alive and unchanged meanwhile.
   */
  shareTable(table: Buf): void {
    this.table = makeParam(this.table.name, this.table.shape, table);
    this.table.sparseRows = new Set();
  }

  static fromConfig(c: EmbeddingConfig, rng: Rng): Embedding {
    return new Embedding(c.name, c.vocabSize, c.dim, rng, {
      init: c.init, paddingIdx: c.paddingIdx ?? undefined, frozen: c.frozen,
    });
  }

  getConfig(): EmbeddingConfig {
    return {
      type: 'Embedding.v1', name: this.name, vocabSize: this.vocabSize, dim: this.dim, init: this.init,
      paddingIdx: this.paddingIdx, frozen: this.frozen,
    };
  }

  params(): Param[] {
    return [this.weight];
  }

  /** Overwrites row i with `vector` [D] (e.g. a pretrained word vector). */
  setRow(i: number, vector: ArrayLike<number>): void {
    this.checkId(i);
    if (vector.length !== this.dim) {
      throw new RangeError(`Embedding ${this.name}: row vector has ${vector.length} values, expected ${this.dim}`);
    }
    const w = this.weight.value, o = i * this.dim;
    for (let j = 0; j < this.dim; j++) w[o + j] = vector[j];
  }

  /** A view [D] of row i of the table (live: writes change the table). */
  row(i: number): Buf {
    this.checkId(i);
    return this.weight.value.subarray(i * this.dim, (i + 1) * this.dim);
  }

  /**
   * @param ids [N] row indices in [0, V); must stay unchanged until `backward` has run.
   * @param n N, default ids.length
   */
  forward(ids: Int32Array, n: number = ids.length): EmbeddingOutput {
    const D = this.dim, V = this.vocabSize, w = this.weight.value;
    for (let i = 0; i < n; i++) {
      const id = ids[i];
      if (!(id >= 0 && id < V)) this.checkId(id);
    }
    const y = this.yBuf.get(n * D);
    gatherRows(y, w, ids, n, D);
    const gen = ++this.generation;
    return {
      y,
      backward: (dy: Buf): void => {
        if (gen !== this.generation) throw staleBackward(`Embedding ${this.name}`);
        if (this.frozen) return;
        if (dy.length < n * D) throw new RangeError(`Embedding ${this.name}: dy has ${dy.length} elements, need ${n}×${D}`);
        const g = this.weight.grad, pad = this.paddingIdx;
        const rows = this.weight.sparseRows ?? (this.weight.sparseRows = new Set());
        for (let i = 0; i < n; i++) if (ids[i] !== pad) rows.add(ids[i]);
        scatterAddRows(g, dy, ids, n, D, pad ?? -1);
      },
    };
  }

  private checkId(i: number): void {
    if (!(Number.isInteger(i) && i >= 0 && i < this.vocabSize)) {
      throw new RangeError(`Embedding ${this.name}: id ${i} is outside [0, ${this.vocabSize})`);
    }
  }
}
