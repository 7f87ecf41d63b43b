/**
 * LSTM cell (the seed notes' form, no peepholes):
 *   c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩, x⟨t⟩] + b_c)
 *   Γu = σ(W_u [a⟨t−1⟩, x⟨t⟩] + b_u)   update (input) gate
 *   Γf = σ(W_f [a⟨t−1⟩, x⟨t⟩] + b_f)   forget gate
 *   Γo = σ(W_o [a⟨t−1⟩, x⟨t⟩] + b_o)   output gate
 *   c⟨t⟩ = Γu * c̃⟨t⟩ + Γf * c⟨t−1⟩;   a⟨t⟩ = Γo * tanh(c⟨t⟩)
 * Packed gate order (G = 4): [u, f, o, c̃] — the three sigmoid blocks, then the tanh block.
 * The forget-gate bias starts at 1 (remember by default); all other biases at 0.
 */
import type { Buf, Rng } from '../../tensor/index.js';
import { CellBase, sigm, type Cell, type CellConfig } from './cell.js';

export class LSTMCell extends CellBase implements Cell {
  readonly kind = 'lstm' as const;
  readonly gateNames = ['u', 'f', 'o', 'c~'] as const;
  readonly preResetGates = 4;
  readonly hasMemory = true;

  /** Wx [D, 4H], Wa [H, 4H], b [4H]; parameter count 4H·(D + H + 1). */
  constructor(name: string, inputSize: number, hiddenSize: number, rng: Rng) {
    super(name, inputSize, hiddenSize, 4, rng);
    const H = hiddenSize;
    this.b.value.fill(1, H, 2 * H);
  }

  stepForward(z: Buf, _aPrev: Buf, cPrev: Buf | null, a: Buf, c: Buf | null, rows: number): void {
    const H = this.hiddenSize, G4 = 4 * H;
    const cp = cPrev!, cc = c!;
    for (let b = 0; b < rows; b++) {
      const zu = b * G4, zf = zu + H, zo = zf + H, zc = zo + H, o = b * H;
      for (let j = 0; j < H; j++) {
        const u = sigm(z[zu + j]);
        const f = sigm(z[zf + j]);
        const og = sigm(z[zo + j]);
        const ct = Math.tanh(z[zc + j]);
        z[zu + j] = u;
        z[zf + j] = f;
        z[zo + j] = og;
        z[zc + j] = ct;
        const cv = u * ct + f * cp[o + j];
        cc[o + j] = cv;
        a[o + j] = og * Math.tanh(cv);
      }
    }
  }

  stepBackward(
    z: Buf, _aPrev: Buf, cPrev: Buf | null, _a: Buf, c: Buf | null,
    da: Buf, dc: Buf | null, daPrev: Buf, dcPrev: Buf | null, rows: number,
  ): void {
    const H = this.hiddenSize, G4 = 4 * H;
    const cp = cPrev!, cc = c!, dcc = dc!, dcp = dcPrev!;
    for (let b = 0; b < rows; b++) {
      const zu = b * G4, zf = zu + H, zo = zf + H, zc = zo + H, o = b * H;
      for (let j = 0; j < H; j++) {
        const u = z[zu + j], f = z[zf + j], og = z[zo + j], ct = z[zc + j];
        const tc = Math.tanh(cc[o + j]);
        const d = da[o + j];
        const dcTot = dcc[o + j] + d * og * (1 - tc * tc);
        z[zu + j] = dcTot * ct * u * (1 - u);
        z[zf + j] = dcTot * cp[o + j] * f * (1 - f);
        z[zo + j] = d * tc * og * (1 - og);
        z[zc + j] = dcTot * u * (1 - ct * ct);
        dcp[o + j] = dcTot * f;
        daPrev[o + j] = 0; // a⟨t−1⟩ reaches the step only through Wa (Recurrent's gemm)
      }
    }
  }

  getConfig(): CellConfig {
    return { type: 'LSTMCell.v1', name: this.name, inputSize: this.inputSize, hiddenSize: this.hiddenSize };
  }
}
