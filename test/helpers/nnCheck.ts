/**
 * Helpers for the nn layer tests: gradient-check targets for inputs, assertions on results.
 */
import { expect } from 'vitest';
import { zeros, Rng, type Buf } from '../../src/tensor/index.js';
import type { Param } from '../../src/nn/param.js';
import type { GradCheckResult, GradTarget } from './gradcheck.js';

/** A gradient-check target for an input buffer; `accumulate(dx)` adds a computed gradient into it. */
export function inputTarget(name: string, value: Buf): GradTarget & { accumulate(dx: Buf): void } {
  const grad = zeros(value.length);
  return {
    name, value, grad,
    accumulate(dx: Buf) {
      for (let i = 0; i < value.length; i++) grad[i] += dx[i];
    },
  };
}

/** Params as gradient-check targets. */
export function paramTargets(params: Param[]): GradTarget[] {
  return params.map((p) => ({ name: p.name, value: p.value, grad: p.grad }));
}

/** Fails when any target's error reaches `tol`; returns the largest error (for reporting). */
export function expectGradsOk(results: GradCheckResult[], tol = 1e-6, label = ''): number {
  let worst = 0;
  for (const r of results) {
    expect(r.checked, `${label} ${r.name}: nothing checked`).toBeGreaterThan(0);
    expect(r.maxError, `${label} ${r.name}`).toBeLessThan(tol);
    worst = Math.max(worst, r.maxError);
  }
  if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] ${label}: max rel. error ${worst.toExponential(2)}`);
  return worst;
}

/** Randomises parameter values (so gates are not stuck near their init) — U(lo, hi). */
export function randomizeParams(params: Param[], rng: Rng, lo = -0.8, hi = 0.8): void {
  for (const p of params) for (let i = 0; i < p.value.length; i++) p.value[i] = rng.uniform(lo, hi);
}

export function sumParams(params: Param[]): number {
  return params.reduce((s, p) => s + p.value.length, 0);
}
