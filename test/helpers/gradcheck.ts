/**
 * Finite-difference gradient checking, shared by every layer's tests.
 *
 * Run it in float64 (`useFloat64()` in a describe block): all buffers allocated through
 * `zeros` are then Float64Array, so central differences with eps = 1e-6 are accurate to ~1e-9
 * and the comparison can be strict.
 *
 * Error measure per element: |analytic − numeric| / max(|analytic|, |numeric|, floor), i.e.
 * relative error, turning into absolute error (scaled by 1/floor) for gradients below `floor`
 * (default 1e-3), where a relative measure only sees rounding noise.
 */
import { afterAll, beforeAll } from 'vitest';
import { setDType, zeros, Rng, type Buf } from '../../src/tensor/index.js';

export interface GradTarget {
  name: string;
  value: Buf;
  grad: Buf;
}

export interface GradCheckOptions {
  /** Parameters and inputs whose gradients are checked. */
  targets: GradTarget[];
  /** Full forward pass returning the scalar loss (deterministic: same inputs ⇒ same value). */
  loss: () => number;
  /** Runs forward + backward, accumulating analytic gradients into every target's `grad`. */
  backward: () => void;
  eps?: number;
  floor?: number;
  /** Check at most this many randomly chosen elements per target (all when omitted). */
  maxPerTarget?: number;
  seed?: number;
}

export interface GradCheckResult {
  name: string;
  maxError: number;
  checked: number;
}

export function gradCheck(o: GradCheckOptions): GradCheckResult[] {
  const eps = o.eps ?? 1e-6;
  const floor = o.floor ?? 1e-3;
  for (const t of o.targets) t.grad.fill(0);
  o.backward();
  const analytic = o.targets.map((t) => Float64Array.from(t.grad));
  const rng = new Rng(o.seed ?? 7);
  return o.targets.map((t, ti) => {
    let idx = Array.from({ length: t.value.length }, (_, i) => i);
    if (o.maxPerTarget !== undefined && idx.length > o.maxPerTarget) idx = rng.shuffle(idx).slice(0, o.maxPerTarget);
    let maxError = 0;
    for (const i of idx) {
      const v = t.value[i];
      t.value[i] = v + eps;
      const lp = o.loss();
      t.value[i] = v - eps;
      const lm = o.loss();
      t.value[i] = v;
      const numeric = (lp - lm) / (2 * eps);
      const a = analytic[ti][i];
      const err = Math.abs(a - numeric) / Math.max(Math.abs(a), Math.abs(numeric), floor);
      if (!(err <= maxError)) maxError = Number.isNaN(err) ? Infinity : Math.max(maxError, err);
    }
    return { name: t.name, maxError, checked: idx.length };
  });
}

/** Switch allocation to float64 for the enclosing describe block. */
export function useFloat64(): void {
  beforeAll(() => setDType('float64'));
  afterAll(() => setDType('float32'));
}

/**
 * A fixed random projection turning an output y into a scalar loss L = Σ y[i]·r[i], so that
 * dL/dy = r: exercises every output element with a different weight.
 */
export function projection(n: number, seed = 11): { r: Buf; loss: (y: Buf) => number } {
  const rng = new Rng(seed);
  const r = zeros(n);
  for (let i = 0; i < n; i++) r[i] = rng.uniform(-1, 1);
  return {
    r,
    loss: (y: Buf) => {
      let s = 0;
      for (let i = 0; i < n; i++) s += y[i] * r[i];
      return s;
    },
  };
}

/** A buffer of uniform random values in [lo, hi). */
export function randomBuf(n: number, rng: Rng, lo = -1, hi = 1): Buf {
  const b = zeros(n);
  for (let i = 0; i < n; i++) b[i] = rng.uniform(lo, hi);
  return b;
}
