/**
 * LSTM cell (the seed notes' form, no peepholes):
 *   c̃⟨t⟩ = tanh(W_c [a⟨t−1⟩, x⟨t⟩] + b_c)
 *   Γu = σ(W_u [a⟨t−1⟩, x⟨t⟩] + b_u)   update (input) gate
 *   Γf = σ(W_f [a⟨t−1⟩, x⟨t⟩] + b_f)   forget gate
 *   Γo = σ(W_o [a⟨t−1⟩, x⟨t⟩] + b_o)   output gate
 *   c⟨t⟩ = Γu * c̃⟨t⟩ + Γf * c⟨t−1⟩;   a⟨t⟩ = Γo * tanh(c⟨t⟩)
 * Packed gate order (G = 4): [c̃, u, f, o] — the layout of the tensor floor's fused LSTM kernels
 * (`lstmGatesForward`/`lstmGatesBackward`: WASM SIMD when the buffers live in the wasm heap,
 * the TypeScript reference otherwise, e.g. in float64 gradient checks).
 * The forget-gate bias starts at 1 (remember by default); all other biases at 0.
 */
import type { Buf, Rng } from '../../tensor/index.js';
import { lstmGatesForward, lstmGatesBackward, zeroRange } from '../../tensor/backend.js';
import { CellBase, type Cell, type CellConfig } from './cell.js';

export class LSTMCell extends CellBase implements Cell {
  readonly kind = 'lstm' as const;
  readonly gateNames = ['c~', 'u', 'f', 'o'] as const;
  readonly preResetGates = 4;
  readonly hasMemory = true;

  /** Wx [D, 4H], Wa [H, 4H], b [4H]; parameter count 4H·(D + H + 1). */
  constructor(name: string, inputSize: number, hiddenSize: number, rng: Rng) {
    super(name, inputSize, hiddenSize, 4, rng);
    const H = hiddenSize;
    this.b.value.fill(1, 2 * H, 3 * H); // forget block
  }

  stepForward(z: Buf, _aPrev: Buf, cPrev: Buf | null, a: Buf, c: Buf | null, rows: number): void {
    lstmGatesForward(rows, this.hiddenSize, z, cPrev!, z, c!, a);
  }

  stepBackward(
    z: Buf, _aPrev: Buf, cPrev: Buf | null, _a: Buf, c: Buf | null,
    da: Buf, dc: Buf | null, daPrev: Buf, dcPrev: Buf | null, rows: number,
  ): void {
    lstmGatesBackward(rows, this.hiddenSize, z, cPrev!, c!, da, dc!, z, dcPrev!);
    // a⟨t−1⟩ reaches the step only through Wa (Recurrent's gemm adds that part)
    zeroRange(daPrev, 0, rows * this.hiddenSize);
  }

  getConfig(): CellConfig {
    return { type: 'LSTMCell.v1', name: this.name, inputSize: this.inputSize, hiddenSize: this.hiddenSize };
  }
}
