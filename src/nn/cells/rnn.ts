/**
 * Plain (Elman) RNN cell with tanh: a⟨t⟩ = tanh(W_a [a⟨t−1⟩, x⟨t⟩] + b_a).
 * One gate block (G = 1): z [B, H] = x·Wx + a⟨t−1⟩·Wa + b.
 */
import type { Buf, Rng } from '../../tensor/index.js';
import { tanhFast } from '../../tensor/backend.js';
import { CellBase, type Cell, type CellConfig } from './cell.js';

export class RNNCell extends CellBase implements Cell {
  readonly kind = 'rnn' as const;
  readonly gateNames = ['a'] as const;
  readonly preResetGates = 1;
  readonly hasMemory = false;

  /** Wx [D, H], Wa [H, H], b [H]; parameter count H·(D + H + 1). */
  constructor(name: string, inputSize: number, hiddenSize: number, rng: Rng) {
    super(name, inputSize, hiddenSize, 1, rng);
  }

  stepForward(z: Buf, _aPrev: Buf, _cPrev: Buf | null, a: Buf, _c: Buf | null, rows: number): void {
    const n = rows * this.hiddenSize;
    tanhFast(z, z, n);
    for (let i = 0; i < n; i++) a[i] = z[i];
  }

  stepBackward(
    z: Buf, _aPrev: Buf, _cPrev: Buf | null, _a: Buf, _c: Buf | null,
    da: Buf, _dc: Buf | null, daPrev: Buf, _dcPrev: Buf | null, rows: number,
  ): void {
    const n = rows * this.hiddenSize;
    for (let i = 0; i < n; i++) {
      const v = z[i];
      z[i] = da[i] * (1 - v * v);
      daPrev[i] = 0; // a⟨t−1⟩ reaches a⟨t⟩ only through Wa (Recurrent's gemm)
    }
  }

  getConfig(): CellConfig {
    return { type: 'RNNCell.v1', name: this.name, inputSize: this.inputSize, hiddenSize: this.hiddenSize };
  }
}
