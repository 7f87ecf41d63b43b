import type { Buf } from './alloc.js';
import type { Rng } from './rng.js';

/**
 * Weight initialisers. Shapes are [rows, cols] row-major, with the convention that a weight
 * matrix W maps an input of size `fanIn` to `fanOut` outputs.
 */

/** Glorot/Xavier uniform: U(−l, l), l = √(6 / (fanIn + fanOut)). */
let skipping = 0;

/**
 * Runs `build` with every initializer of this module doing nothing (the arrays stay as
 * allocated, zeros): for layers whose weights are loaded right after (a saved model, a worker's
 * replica), where drawing them would only cost time (orthogonal init is O(H³) per gate block).
 */
export function withoutInit<T>(build: () => T): T {
  skipping++;
  try {
    return build();
  } finally {
    skipping--;
  }
}

export function glorotUniform(w: Buf, fanIn: number, fanOut: number, rng: Rng, n = w.length): void {
  if (skipping > 0) return;
  const l = Math.sqrt(6 / (fanIn + fanOut));
  for (let i = 0; i < n; i++) w[i] = rng.uniform(-l, l);
}

/** U(lo, hi) for every element. */
export function uniformInit(w: Buf, lo: number, hi: number, rng: Rng, n = w.length): void {
  if (skipping > 0) return;
  for (let i = 0; i < n; i++) w[i] = rng.uniform(lo, hi);
}

/** N(0, std²) for every element. */
export function normalInit(w: Buf, std: number, rng: Rng, n = w.length): void {
  if (skipping > 0) return;
  for (let i = 0; i < n; i++) w[i] = std * rng.normal();
}

/**
 * Orthogonal initialisation of w [rows, cols] (row-major): a random Gaussian matrix
 * orthonormalised by modified Gram–Schmidt (in float64), so rows (if rows ≤ cols) or columns
 * (if rows > cols) are orthonormal, times `gain`. Used for recurrent weights.
 */
export function orthogonalInit(w: Buf, rows: number, cols: number, rng: Rng, gain = 1): void {
  if (skipping > 0) return;
  // Orthonormalise the shorter side: vectors of length `len`, `count` of them.
  const transposed = rows > cols;
  const count = transposed ? cols : rows;
  const len = transposed ? rows : cols;
  const v = new Float64Array(count * len);
  for (let i = 0; i < v.length; i++) v[i] = rng.normal();
  for (let i = 0; i < count; i++) {
    const vi = i * len;
    for (let pass = 0; pass < 2; pass++) {
      // re-orthogonalise twice for numerical safety
      for (let j = 0; j < i; j++) {
        const vj = j * len;
        let d = 0;
        for (let k = 0; k < len; k++) d += v[vi + k] * v[vj + k];
        for (let k = 0; k < len; k++) v[vi + k] -= d * v[vj + k];
      }
    }
    let nrm = 0;
    for (let k = 0; k < len; k++) nrm += v[vi + k] * v[vi + k];
    nrm = Math.sqrt(nrm) || 1;
    for (let k = 0; k < len; k++) v[vi + k] /= nrm;
  }
  for (let r = 0; r < rows; r++)
    for (let c = 0; c < cols; c++) w[r * cols + c] = gain * (transposed ? v[c * len + r] : v[r * len + c]);
}
