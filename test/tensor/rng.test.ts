import { describe, expect, it } from 'vitest';
import { Rng, orthogonalInit, softmaxRows, logSoftmaxRows, sigmoid } from '../../src/tensor/index.js';

describe('Rng', () => {
  it('is reproducible: same seed, same sequence; different seeds differ', () => {
    const a = new Rng(42), b = new Rng(42), c = new Rng(43);
    const sa = Array.from({ length: 100 }, () => a.uint32());
    const sb = Array.from({ length: 100 }, () => b.uint32());
    const sc = Array.from({ length: 100 }, () => c.uint32());
    expect(sa).toEqual(sb);
    expect(sa).not.toEqual(sc);
  });

  it('restores its state exactly (for resume)', () => {
    const a = new Rng(5);
    a.normal();
    const st = a.getState();
    const next = [a.normal(), a.float(), a.int(10)];
    const b = new Rng(999);
    b.setState(JSON.parse(JSON.stringify(st)));
    expect([b.normal(), b.float(), b.int(10)]).toEqual(next);
  });

  it('produces sane uniform and normal moments', () => {
    const r = new Rng(1);
    let s = 0, s2 = 0;
    const n = 20000;
    for (let i = 0; i < n; i++) { const v = r.normal(); s += v; s2 += v * v; }
    expect(Math.abs(s / n)).toBeLessThan(0.03);
    expect(Math.abs(s2 / n - 1)).toBeLessThan(0.05);
    const counts = new Array(5).fill(0);
    for (let i = 0; i < n; i++) counts[r.int(5)]++;
    for (const c of counts) expect(Math.abs(c / n - 0.2)).toBeLessThan(0.02);
  });
});

describe('initialisers and row ops', () => {
  it('orthogonalInit gives orthonormal rows (wide) and columns (tall)', () => {
    for (const [rows, cols] of [[4, 9], [9, 4], [6, 6]]) {
      const w = new Float64Array(rows * cols) as unknown as Float32Array;
      orthogonalInit(w, rows, cols, new Rng(3));
      const short = Math.min(rows, cols);
      for (let a = 0; a < short; a++) for (let b = 0; b < short; b++) {
        let d = 0;
        for (let k = 0; k < Math.max(rows, cols); k++)
          d += rows <= cols ? w[a * cols + k] * w[b * cols + k] : w[k * cols + a] * w[k * cols + b];
        expect(d).toBeCloseTo(a === b ? 1 : 0, 9);
      }
    }
  });

  it('softmax and log-softmax are stable for large inputs and agree', () => {
    const x = new Float64Array([1000, 1001, 999, -1e4, 0, 3]) as unknown as Float32Array;
    const p = new Float64Array(6) as unknown as Float32Array;
    const lp = new Float64Array(6) as unknown as Float32Array;
    softmaxRows(x, 2, 3, p);
    logSoftmaxRows(x, 2, 3, lp);
    for (let i = 0; i < 6; i++) if (p[i] > 0) expect(Math.log(p[i])).toBeCloseTo(lp[i], 9);
    expect(lp[3]).toBeCloseTo(-1e4 - Math.log(1 + Math.exp(3)), 6); // finite where softmax underflows
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 12);
    const s = new Float64Array([-800, 800, 0]) as unknown as Float32Array;
    sigmoid(s);
    expect(Array.from(s)).toEqual([0, 1, 0.5]);
  });
});

describe('Rng.bernoulliMask', () => {
  it('draws exactly what float() would, element by element, and leaves the same state', () => {
    for (const [n, p] of [[0, 0.5], [1, 0.5], [1000, 0.3], [4097, 0.9]] as const) {
      const a = new Rng(42), b = new Rng(42);
      a.uint32(); b.uint32();
      const mask = new Float32Array(n);
      a.bernoulliMask(mask, n, p, 2.5);
      const want = Float32Array.from({ length: n }, () => (b.float() < p ? 0 : 2.5));
      expect(Array.from(mask)).toEqual(Array.from(want));
      expect(a.getState()).toEqual(b.getState());
      expect(a.uint32()).toBe(b.uint32());
    }
  });
});
