import type { Buf } from './alloc.js';
import { sigmoid, tanh } from './ops.js';

/**
 * TypeScript reference implementations of the WASM element-wise kernels (asm/kernels.ts).
 * They define the contract, run whenever a buffer is outside the wasm heap (plain arrays,
 * float64 gradient checks, `BILSTM_NER_BACKEND=js`), and are the oracle of the kernel tests.
 *
 * LSTM gate layout: each row of the [B, 4H] pre-activations / gates holds four blocks of H,
 * in the order [c̃ | Γu | Γf | Γo] (candidate cell, update, forget, output).
 */

/** out[i] = σ(x[i]) for i < n; out may be x (the plain TypeScript kernel of ops.ts). */
export const sigmoidRef = sigmoid;

/** out[i] = tanh(x[i]) for i < n; out may be x (the plain TypeScript kernel of ops.ts). */
export const tanhRef = tanh;

function sig(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/**
 * Forward of one LSTM step for a batch:
 *   c̃ = tanh(z_c), Γu = σ(z_u), Γf = σ(z_f), Γo = σ(z_o),
 *   c = Γu·c̃ + Γf·c_prev, a = Γo·tanh(c).
 *
 * z: [B, 4H] pre-activations (W·[a_prev, x] + b); cPrev: [B, H];
 * gates: [B, 4H] out, the activated gates kept for backward (may be z);
 * c: [B, H] out (may be cPrev); a: [B, H] out.
 */
export function lstmGatesForwardRef(B: number, H: number, z: Buf, cPrev: Buf, gates: Buf, c: Buf, a: Buf): void {
  for (let b = 0; b < B; b++) {
    const g = b * 4 * H;
    const r = b * H;
    for (let h = 0; h < H; h++) {
      const ct = Math.tanh(z[g + h]);
      const u = sig(z[g + H + h]);
      const f = sig(z[g + 2 * H + h]);
      const o = sig(z[g + 3 * H + h]);
      const cc = u * ct + f * cPrev[r + h];
      gates[g + h] = ct;
      gates[g + H + h] = u;
      gates[g + 2 * H + h] = f;
      gates[g + 3 * H + h] = o;
      c[r + h] = cc;
      a[r + h] = o * Math.tanh(cc);
    }
  }
}

/**
 * Backward of one LSTM step. With tc = tanh(c):
 *   dct = dc + da·Γo·(1 − tc²)
 *   dz_c = dct·Γu·(1 − c̃²), dz_u = dct·c̃·Γu(1 − Γu), dz_f = dct·c_prev·Γf(1 − Γf),
 *   dz_o = da·tc·Γo(1 − Γo), dc_prev = dct·Γf.
 *
 * gates: [B, 4H] from forward; cPrev, c: [B, H] from forward; da: [B, H] ∂L/∂a;
 * dc: [B, H] ∂L/∂c from step t+1 (zeros at the last step); dz: [B, 4H] out (may be gates);
 * dcPrev: [B, H] out (may be dc).
 */
export function lstmGatesBackwardRef(
  B: number, H: number, gates: Buf, cPrev: Buf, c: Buf, da: Buf, dc: Buf, dz: Buf, dcPrev: Buf,
): void {
  for (let b = 0; b < B; b++) {
    const g = b * 4 * H;
    const r = b * H;
    for (let h = 0; h < H; h++) {
      const ct = gates[g + h];
      const u = gates[g + H + h];
      const f = gates[g + 2 * H + h];
      const o = gates[g + 3 * H + h];
      const tc = Math.tanh(c[r + h]);
      const dah = da[r + h];
      const dct = dc[r + h] + dah * o * (1 - tc * tc);
      const cp = cPrev[r + h];
      dz[g + h] = dct * u * (1 - ct * ct);
      dz[g + H + h] = dct * ct * u * (1 - u);
      dz[g + 2 * H + h] = dct * cp * f * (1 - f);
      dz[g + 3 * H + h] = dah * tc * o * (1 - o);
      dcPrev[r + h] = dct * f;
    }
  }
}
