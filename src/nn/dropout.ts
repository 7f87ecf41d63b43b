/**
 * Inverted dropout: in training, each element is kept with probability 1 − p and scaled by
 * 1 / (1 − p) (so the expected value is unchanged and inference needs no rescaling); at
 * inference the layer is the identity and returns its input buffer itself (no copy).
 *
 * The mask is drawn from the layer's own Rng, element by element in index order, so a run is
 * reproducible from the Rng state (save it with the checkpoint for exact resume).
 */
import { dropoutForwardFast, mulFast, mulRowsFast, type Buf, type Rng } from '../tensor/index.js';
import { Scratch, staleBackward } from './dense.js';
import type { Module, Param } from './param.js';

export interface DropoutConfig {
  type: 'Dropout.v1';
  rate: number;
}

export interface DropoutOutput {
  /** y [n]: x itself at inference (or rate 0), else a layer-owned buffer overwritten by the next forward. */
  y: Buf;
  /**
   * dx [n] = dy · mask: a layer-owned buffer in training; dy itself at inference (or rate 0).
   * @param dy [n]
   */
  backward(dy: Buf): Buf;
}

/**
 * One instance per place in the network: the mask and output buffers are reused by the next
 * forward of the same instance (a stale backward throws).
 */
export class Dropout implements Module {
  private readonly maskBuf = new Scratch();
  private readonly yBuf = new Scratch();
  private readonly dxBuf = new Scratch();
  private generation = 0;

  /**
   * @param rate p ∈ [0, 1): the probability of zeroing an element.
   * @param rng  the source of the masks (owned by the caller, who saves its state).
   */
  constructor(readonly rate: number, readonly rng: Rng) {
    if (!(rate >= 0 && rate < 1)) throw new RangeError(`Dropout: rate must be in [0, 1), got ${rate}`);
  }

  static fromConfig(c: DropoutConfig, rng: Rng): Dropout {
    return new Dropout(c.rate, rng);
  }

  getConfig(): DropoutConfig {
    return { type: 'Dropout.v1', rate: this.rate };
  }

  params(): Param[] {
    return [];
  }

  /**
   * Variational (time-shared) dropout: one mask per sequence and feature, the same at every time
   * step (Gal & Ghahramani 2016). x [T·B, D] time-major (row t·B + b); the mask [B, D] is drawn
   * row b by row b (B·D numbers of the Rng, in that order); y[t·B + b, :] = x[t·B + b, :] ·
   * mask[b, :]. At inference (or rate 0) the identity, as `forward`.
   */
  forwardShared(x: Buf, T: number, B: number, D: number, training: boolean): DropoutOutput {
    const n = T * B * D;
    if (!training || this.rate === 0) return this.forward(x, n, training);
    if (x.length < n) throw new RangeError(`Dropout: x has ${x.length} elements, need ${n}`);
    const gen = ++this.generation;
    const p = this.rate, scale = 1 / (1 - p), BD = B * D;
    const mask = this.maskBuf.get(BD), y = this.yBuf.get(n);
    this.rng.bernoulliMask(mask, BD, p, scale);
    mulRowsFast(x, mask, y, T, BD);
    return {
      y,
      backward: (dy: Buf): Buf => {
        if (gen !== this.generation) throw staleBackward('Dropout');
        if (dy.length < n) throw new RangeError(`Dropout: dy has ${dy.length} elements, need ${n}`);
        const dx = this.dxBuf.get(n);
        mulRowsFast(dy, mask, dx, T, BD);
        return dx;
      },
    };
  }

  /**
   * @param x [n] any shape, seen flat (e.g. [T, B, D] with n = T·B·D); must stay unchanged only
   *          as long as the caller needs y at inference (y is x then).
   * @param n number of elements
   * @param training draw a mask (true) or act as the identity (false)
   */
  forward(x: Buf, n: number, training: boolean): DropoutOutput {
    if (x.length < n) throw new RangeError(`Dropout: x has ${x.length} elements, need ${n}`);
    const gen = ++this.generation;
    if (!training || this.rate === 0) {
      const y = n === x.length ? x : x.subarray(0, n);
      return { y, backward: (dy: Buf): Buf => dy };
    }
    const p = this.rate, scale = 1 / (1 - p), rng = this.rng;
    const mask = this.maskBuf.get(n), y = this.yBuf.get(n);
    // The numbers n calls of rng.float() would draw: in WASM when it can, else in bulk here.
    if (!(rng.bulkDraws() && dropoutForwardFast(x, y, mask, n, p, scale, rng))) {
      rng.bernoulliMask(mask, n, p, scale);
      for (let i = 0; i < n; i++) y[i] = x[i] * mask[i];
    }
    return {
      y,
      backward: (dy: Buf): Buf => {
        if (gen !== this.generation) throw staleBackward('Dropout');
        if (dy.length < n) throw new RangeError(`Dropout: dy has ${dy.length} elements, need ${n}`);
        const dx = this.dxBuf.get(n);
        mulFast(dy, mask, dx, n);
        return dx;
      },
    };
  }
}
