import type { Buf } from './alloc.js';

/**
 * Element-wise and row-wise kernels on Buf views. Conventions: `n` elements starting at index 0
 * of each view (pass subarrays for offsets); `out` may alias the input unless stated.
 * Matrices are row-major [rows, cols].
 */

/** out[i] = σ(x[i]) = 1 / (1 + e^(−x[i])), computed without overflow for large |x|. */
export function sigmoid(x: Buf, out: Buf = x, n = x.length): void {
  for (let i = 0; i < n; i++) {
    const v = x[i];
    if (v >= 0) out[i] = 1 / (1 + Math.exp(-v));
    else {
      const e = Math.exp(v);
      out[i] = e / (1 + e);
    }
  }
}

/** out[i] = tanh(x[i]). */
export function tanh(x: Buf, out: Buf = x, n = x.length): void {
  for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
}

/** Given y = σ(x): dx[i] = dy[i] · y[i] · (1 − y[i]). */
export function sigmoidBackward(y: Buf, dy: Buf, dx: Buf, n = y.length): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i] * y[i] * (1 - y[i]);
}

/** Given y = tanh(x): dx[i] = dy[i] · (1 − y[i]²). */
export function tanhBackward(y: Buf, dy: Buf, dx: Buf, n = y.length): void {
  for (let i = 0; i < n; i++) dx[i] = dy[i] * (1 - y[i] * y[i]);
}

/** Row-wise softmax of x [rows, cols] into out [rows, cols] (max-shifted, stable). */
export function softmaxRows(x: Buf, rows: number, cols: number, out: Buf = x): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (x[o + j] > m) m = x[o + j];
    let s = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp(x[o + j] - m);
      out[o + j] = e;
      s += e;
    }
    const inv = 1 / s;
    for (let j = 0; j < cols; j++) out[o + j] *= inv;
  }
}

/** Row-wise log-softmax of x [rows, cols] into out [rows, cols] (log-sum-exp, stable). */
export function logSoftmaxRows(x: Buf, rows: number, cols: number, out: Buf = x): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    let m = -Infinity;
    for (let j = 0; j < cols; j++) if (x[o + j] > m) m = x[o + j];
    let s = 0;
    for (let j = 0; j < cols; j++) s += Math.exp(x[o + j] - m);
    const lse = m + Math.log(s);
    for (let j = 0; j < cols; j++) out[o + j] = x[o + j] - lse;
  }
}

/** log Σ exp(x[i]) over n elements, stable. */
export function logSumExp(x: Buf, n = x.length): number {
  let m = -Infinity;
  for (let i = 0; i < n; i++) if (x[i] > m) m = x[i];
  if (m === -Infinity) return -Infinity;
  let s = 0;
  for (let i = 0; i < n; i++) s += Math.exp(x[i] - m);
  return m + Math.log(s);
}

/** Σ x[i]. */
export function sum(x: Buf, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i];
  return s;
}

/** Σ x[i]·y[i]. */
export function dot(x: Buf, y: Buf, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * y[i];
  return s;
}

/** Σ x[i]². */
export function sumSquares(x: Buf, n = x.length): number {
  let s = 0;
  for (let i = 0; i < n; i++) s += x[i] * x[i];
  return s;
}

/** max |x[i]|. */
export function maxAbs(x: Buf, n = x.length): number {
  let m = 0;
  for (let i = 0; i < n; i++) {
    const a = Math.abs(x[i]);
    if (a > m) m = a;
  }
  return m;
}

/** y[i] += a · x[i]. */
export function axpy(a: number, x: Buf, y: Buf, n = x.length): void {
  for (let i = 0; i < n; i++) y[i] += a * x[i];
}

/** x[i] *= a. */
export function scale(x: Buf, a: number, n = x.length): void {
  for (let i = 0; i < n; i++) x[i] *= a;
}

/** out[i] = x[i] · y[i]. */
export function mul(x: Buf, y: Buf, out: Buf, n = x.length): void {
  for (let i = 0; i < n; i++) out[i] = x[i] * y[i];
}

/** out[i] = x[i] + y[i]. */
export function add(x: Buf, y: Buf, out: Buf, n = x.length): void {
  for (let i = 0; i < n; i++) out[i] = x[i] + y[i];
}

/** Adds bias b [cols] to every row of x [rows, cols]. */
export function addRowVector(x: Buf, b: Buf, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) x[o + j] += b[j];
  }
}

/**
 * x[r, :] = b for every row r < rows (x [rows, cols], b [cols]): a bias written first, so that
 * a following gemm with beta = 1 adds the product to it (cheaper than adding the bias after).
 */
export function fillRows(x: Buf, b: Buf, rows: number, cols: number): void {
  if (rows <= 0 || cols <= 0) return;
  x.set(b.subarray(0, cols), 0);
  // Doubling copies: log2(rows) native copies instead of one per row.
  for (let done = 1; done < rows; done *= 2) {
    const n = Math.min(done, rows - done);
    x.copyWithin(done * cols, 0, n * cols);
  }
}

/** db[j] += Σ_r dy[r, j] — the bias gradient of addRowVector. */
export function sumRowsInto(dy: Buf, rows: number, cols: number, db: Buf): void {
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) db[j] += dy[o + j];
  }
}

/** True when every element is finite. */
export function allFinite(x: Buf, n = x.length): boolean {
  for (let i = 0; i < n; i++) if (!Number.isFinite(x[i])) return false;
  return true;
}
