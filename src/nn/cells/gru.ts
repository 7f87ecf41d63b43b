/**
 * GRU cell (the seed notes' form, a⟨t⟩ = c⟨t⟩):
 *   Γr = σ(W_r [c⟨t−1⟩, x⟨t⟩] + b_r)                relevance (reset) gate
 *   Γu = σ(W_u [c⟨t−1⟩, x⟨t⟩] + b_u)                update gate
 *   c̃⟨t⟩ = tanh(W_c [Γr * c⟨t−1⟩, x⟨t⟩] + b_c)
 *   c⟨t⟩ = Γu * c̃⟨t⟩ + (1 − Γu) * c⟨t−1⟩
 * Packed gate order (G = 3): [r, u, c̃]. The first two blocks are pre-reset (P = 2); the c̃
 * block's recurrent product reads Γr * c⟨t−1⟩, so it runs after `resetForward`.
 */
import type { Buf, Rng } from '../../tensor/index.js';
import { CellBase, sigm, type Cell, type CellConfig } from './cell.js';

export class GRUCell extends CellBase implements Cell {
  readonly kind = 'gru' as const;
  readonly gateNames = ['r', 'u', 'c~'] as const;
  readonly preResetGates = 2;
  readonly hasMemory = false;

  /** Wx [D, 3H], Wa [H, 3H], b [3H]; parameter count 3H·(D + H + 1). */
  constructor(name: string, inputSize: number, hiddenSize: number, rng: Rng) {
    super(name, inputSize, hiddenSize, 3, rng);
  }

  resetForward(z: Buf, aPrev: Buf, ra: Buf, rows: number): void {
    const H = this.hiddenSize, G3 = 3 * H;
    for (let b = 0; b < rows; b++) {
      const zr = b * G3, zu = zr + H, o = b * H;
      for (let j = 0; j < H; j++) {
        const r = sigm(z[zr + j]);
        z[zr + j] = r;
        z[zu + j] = sigm(z[zu + j]);
        ra[o + j] = r * aPrev[o + j];
      }
    }
  }

  stepForward(z: Buf, aPrev: Buf, _cPrev: Buf | null, a: Buf, _c: Buf | null, rows: number): void {
    const H = this.hiddenSize, G3 = 3 * H;
    for (let b = 0; b < rows; b++) {
      const zu = b * G3 + H, zc = zu + H, o = b * H;
      for (let j = 0; j < H; j++) {
        const u = z[zu + j];
        const ct = Math.tanh(z[zc + j]);
        z[zc + j] = ct;
        a[o + j] = u * ct + (1 - u) * aPrev[o + j];
      }
    }
  }

  stepBackward(
    z: Buf, aPrev: Buf, _cPrev: Buf | null, _a: Buf, _c: Buf | null,
    da: Buf, _dc: Buf | null, daPrev: Buf, _dcPrev: Buf | null, rows: number,
  ): void {
    const H = this.hiddenSize, G3 = 3 * H;
    for (let b = 0; b < rows; b++) {
      const zu = b * G3 + H, zc = zu + H, o = b * H;
      for (let j = 0; j < H; j++) {
        const d = da[o + j];
        const u = z[zu + j];
        const ct = z[zc + j];
        z[zc + j] = d * u * (1 - ct * ct);
        z[zu + j] = d * (ct - aPrev[o + j]) * u * (1 - u);
        daPrev[o + j] = d * (1 - u);
      }
    }
  }

  resetBackward(z: Buf, aPrev: Buf, dra: Buf, daPrev: Buf, rows: number): void {
    const H = this.hiddenSize, G3 = 3 * H;
    for (let b = 0; b < rows; b++) {
      const zr = b * G3, o = b * H;
      for (let j = 0; j < H; j++) {
        const r = z[zr + j];
        const g = dra[o + j];
        z[zr + j] = g * aPrev[o + j] * r * (1 - r);
        daPrev[o + j] += g * r;
      }
    }
  }

  getConfig(): CellConfig {
    return { type: 'GRUCell.v1', name: this.name, inputSize: this.inputSize, hiddenSize: this.hiddenSize };
  }
}
