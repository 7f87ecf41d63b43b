/**
 * Naive reference implementations of the recurrent equations of ARCHITECTURE.md, on plain
 * number arrays, one sequence at a time, written straight from the equations (no gemm, no
 * batching, no masks) — the oracle the batched layers are compared with.
 * The packed layouts they read: Wx [D, G·H], Wa [H, G·H], b [G·H], gate blocks in the cell's
 * documented order (RNN [a], GRU [r, u, c̃], LSTM [c̃, u, f, o]).
 */
import type { Buf } from '../../src/tensor/index.js';
import type { CellKind } from '../../src/nn/cells/index.js';

export interface RefWeights { Wx: ArrayLike<number>; Wa: ArrayLike<number>; b: ArrayLike<number>; D: number; H: number; G: number }

const sig = (v: number) => 1 / (1 + Math.exp(-v));

/** W_g [s, x] + b_g for gate block g, where s is the state part (a⟨t−1⟩ or Γr * c⟨t−1⟩). */
function affine(w: RefWeights, g: number, s: number[], x: number[]): number[] {
  const { D, H, G } = w, GH = G * H;
  const out: number[] = [];
  for (let j = 0; j < H; j++) {
    let v = w.b[g * H + j];
    for (let i = 0; i < H; i++) v += s[i] * w.Wa[i * GH + g * H + j];
    for (let i = 0; i < D; i++) v += x[i] * w.Wx[i * GH + g * H + j];
    out.push(v);
  }
  return out;
}

/** One step of the given cell: returns [a⟨t⟩, c⟨t⟩]. */
export function refStep(kind: CellKind, w: RefWeights, x: number[], aPrev: number[], cPrev: number[]): [number[], number[]] {
  const H = w.H;
  if (kind === 'rnn') {
    const a = affine(w, 0, aPrev, x).map(Math.tanh);
    return [a, a];
  }
  if (kind === 'gru') {
    const c0 = aPrev;
    const r = affine(w, 0, c0, x).map(sig);
    const u = affine(w, 1, c0, x).map(sig);
    const ct = affine(w, 2, c0.map((v, j) => r[j] * v), x).map(Math.tanh);
    const c = ct.map((v, j) => u[j] * v + (1 - u[j]) * c0[j]);
    return [c, c];
  }
  const ct = affine(w, 0, aPrev, x).map(Math.tanh);
  const u = affine(w, 1, aPrev, x).map(sig);
  const f = affine(w, 2, aPrev, x).map(sig);
  const o = affine(w, 3, aPrev, x).map(sig);
  const c: number[] = [];
  const a: number[] = [];
  for (let j = 0; j < H; j++) {
    c.push(u[j] * ct[j] + f[j] * cPrev[j]);
    a.push(o[j] * Math.tanh(c[j]));
  }
  return [a, c];
}

/**
 * Runs one sequence xs (L vectors of D) from the zero state, left-to-right or right-to-left.
 * Returns the outputs in TIME order (ys[t] = a⟨t⟩) and the final state.
 */
export function refRun(kind: CellKind, w: RefWeights, xs: number[][], reverse: boolean):
  { ys: number[][]; a: number[]; c: number[] } {
  const L = xs.length;
  let a = new Array<number>(w.H).fill(0), c = new Array<number>(w.H).fill(0);
  const ys: number[][] = new Array(L);
  for (let k = 0; k < L; k++) {
    const t = reverse ? L - 1 - k : k;
    [a, c] = refStep(kind, w, xs[t], a, c);
    ys[t] = a;
  }
  return { ys, a, c };
}

/** Row (t·B + b) of a time-major [T·B, W] buffer, columns [off, off + n). */
export function rowOf(buf: Buf, t: number, B: number, b: number, W: number, off = 0, n = W - off): number[] {
  const o = (t * B + b) * W + off;
  return Array.from(buf.subarray(o, o + n));
}
