/**
 * Gradient utilities: zeroing, global-norm and by-value clipping, non-finite detection.
 * All of them respect `sparseRows` (only listed rows can be non-zero, so only those are visited).
 */
import type { Param } from '../param.js';
import { forEachRange, rowSize, sparseRowIds } from './optimizer.js';
import { scaleRange, scaleRows, sumSquaresRange, sumSquaresRows, zeroRange, zeroRows } from '../../tensor/backend.js';

/**
 * Sets every gradient to zero and empties `sparseRows` (the Set is kept, so the parameter stays
 * sparse). For sparse parameters only the listed rows are cleared (the others are zero already).
 */
export function zeroGrad(params: readonly Param[]): void {
  for (const p of params) {
    if (p.sparseRows === undefined) {
      zeroRange(p.grad);
      continue;
    }
    zeroRows(p.grad, sparseRowIds(p), rowSize(p));
    p.sparseRows.clear();
  }
}

/** √(Σ over all parameters of Σ grad²), accumulated in double precision (WASM SIMD for heap buffers). */
export function globalGradNorm(params: readonly Param[]): number {
  let ss = 0;
  for (const p of params) {
    const g = p.grad;
    ss += p.sparseRows === undefined ? sumSquaresRange(g, 0, g.length) : sumSquaresRows(g, sparseRowIds(p), rowSize(p));
  }
  return Math.sqrt(ss);
}

/**
 * Clips by global norm: when the norm N of all gradients together exceeds maxNorm, scales every
 * gradient by maxNorm / N (so the new norm is maxNorm); otherwise leaves them alone.
 * A non-finite norm is returned without touching the gradients (the caller decides).
 * @param maxNorm > 0; Infinity just measures.
 * @returns N, the norm before clipping
 */
export function clipGlobalNorm(params: readonly Param[], maxNorm: number): number {
  const norm = globalGradNorm(params);
  if (Number.isFinite(norm) && norm > maxNorm) {
    const c = maxNorm / norm;
    for (const p of params) {
      const g = p.grad;
      if (p.sparseRows === undefined) scaleRange(g, 0, g.length, c);
      else scaleRows(g, sparseRowIds(p), rowSize(p), c);
    }
  }
  return norm;
}

/**
 * Clamps every gradient element into [−v, v] (NaN stays NaN).
 * @returns the number of elements that were clamped
 */
export function clipByValue(params: readonly Param[], v: number): number {
  if (!(v > 0)) throw new RangeError(`clipByValue: bound must be > 0, got ${v}`);
  let clipped = 0;
  for (const p of params) {
    const g = p.grad;
    forEachRange(p, (s, e) => {
      for (let i = s; i < e; i++) {
        if (g[i] > v) { g[i] = v; clipped++; }
        else if (g[i] < -v) { g[i] = -v; clipped++; }
      }
    });
  }
  return clipped;
}

/**
 * The name of the first parameter whose gradient (or, with `what = 'value'`, value) holds a NaN
 * or ±Infinity, or null when all are finite. Sparse parameters' gradients are checked on their
 * listed rows only.
 */
export function findNonFinite(params: readonly Param[], what: 'grad' | 'value' = 'grad'): string | null {
  for (const p of params) {
    const x = what === 'grad' ? p.grad : p.value;
    let bad = false;
    const check = (s: number, e: number): void => {
      for (let i = s; i < e && !bad; i++) if (!Number.isFinite(x[i])) bad = true;
    };
    if (what === 'grad') forEachRange(p, check);
    else check(0, x.length);
    if (bad) return p.name;
  }
  return null;
}
