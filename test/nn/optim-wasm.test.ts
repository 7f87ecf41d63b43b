import { afterAll, describe, expect, it } from 'vitest';
import { useJs, useWasm, sumSquaresRange, scaleRange, kernelsFor } from '../../src/tensor/backend.js';
import { zeros, Rng } from '../../src/tensor/index.js';
import { adamElements, type AdamConstants } from '../../src/nn/optim/adam.js';

afterAll(() => useJs());

const h: AdamConstants = { lr: 0.01, b1: 0.9, b2: 0.999, eps: 1e-8, bc1: 1 - 0.9 ** 3, bc2: 1 - 0.999 ** 3, decay: 1 - 0.01 * 0.1 };

function buffers(n: number, seed: number): Float32Array[] {
  useWasm();
  const rng = new Rng(seed);
  return [0, 1, 2, 3].map((k) => {
    const b = zeros(n);
    for (let i = 0; i < n; i++) b[i] = k === 3 ? Math.abs(rng.normal()) * 1e-3 : rng.normal();
    return b;
  });
}

describe('optimizer passes in WASM (heap buffers)', () => {
  it('Adam: matches the double-precision JS update to float rounding, and gives the same bits however the range is split', () => {
    const n = 1003;
    const [w, g, m, v] = buffers(n, 1);
    expect(kernelsFor(w, g, m, v)).not.toBeNull();
    const ref = [w, g, m, v].map((b) => Float64Array.from(b));
    adamElements(ref[0] as unknown as Float32Array, ref[1] as unknown as Float32Array, ref[2] as unknown as Float32Array, ref[3] as unknown as Float32Array, 0, n, h, null);
    const a = [w, g, m, v].map((b) => { const c = zeros(n); c.set(b); return c; });
    adamElements(a[0], a[1], a[2], a[3], 0, n, h);
    for (let i = 0; i < n; i++) {
      // single precision: relative to the weight and to the size of the step taken
      expect(Math.abs(a[0][i] - ref[0][i])).toBeLessThan(1e-6 * (1 + Math.abs(ref[0][i]) + Math.abs(ref[0][i] - w[i])));
      expect(Math.abs(a[3][i] - ref[3][i])).toBeLessThan(1e-6 * (1 + Math.abs(ref[3][i])));
    }
    // Split at odd places (lanes vs scalar tails): identical bits.
    const b = [w, g, m, v].map((x) => { const c = zeros(n); c.set(x); return c; });
    for (const [s, e] of [[0, 5], [5, 502], [502, 503], [503, n]]) adamElements(b[0], b[1], b[2], b[3], s, e, h);
    expect(Array.from(b[0])).toEqual(Array.from(a[0]));
    expect(Array.from(b[2])).toEqual(Array.from(a[2]));
  });

  it('sum of squares and scaling match the JS loops', () => {
    const [x] = buffers(1001, 2);
    let want = 0;
    for (let i = 3; i < 998; i++) want += x[i] * x[i];
    expect(sumSquaresRange(x, 3, 998)).toBeCloseTo(want, 9);
    expect(sumSquaresRange(x, 3, 998, null)).toBeCloseTo(want, 9);
    const y = zeros(1001);
    y.set(x);
    scaleRange(y, 7, 1000, 0.5);
    for (let i = 0; i < 1001; i++) expect(y[i]).toBe(i >= 7 && i < 1000 ? Math.fround(x[i] * 0.5) : x[i]);
  });
});
