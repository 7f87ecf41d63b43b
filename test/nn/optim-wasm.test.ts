import { afterAll, describe, expect, it } from 'vitest';
import { useJs, useWasm, sumSquaresRange, scaleRange, kernelsFor, zeroRows, sumSquaresRows, scaleRows, addFast, zeroRange, activeKernels } from '../../src/tensor/backend.js';
import { zeros, Rng } from '../../src/tensor/index.js';
import { add } from '../../src/tensor/ops.js';
import { adamElements, adamRows, type AdamConstants } from '../../src/nn/optim/adam.js';
import { packPass, unpackPass, ARGS_SIZE } from '../../src/parallel/dataParallel.js';

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

describe('row passes (the listed rows of an embedding table, one WASM call)', () => {
  const V = 9;
  const ids = Int32Array.from([7, 2, 5, 0]); // any order; rows 1, 3, 4, 6, 8 untouched
  it.each([1, 3, 4, 13, 100])('zero, sum of squares, scale and Adam: the bits of row-by-row range calls (D=%i)', (D) => {
    const [w, g, m, v] = buffers(V * D, 3 + D);
    const copy = (xs: Float32Array[]) => xs.map((x) => { const c = zeros(x.length); c.set(x); return c; });
    // Adam
    const a = copy([w, g, m, v]), b = copy([w, g, m, v]);
    adamRows(a[0], a[1], a[2], a[3], ids, D, h);
    for (const r of ids) adamElements(b[0], b[1], b[2], b[3], r * D, (r + 1) * D, h);
    for (let j = 0; j < 4; j++) expect(Array.from(a[j])).toEqual(Array.from(b[j]));
    expect(a[0][D]).toBe(w[D]); // row 1 not listed
    // Outside the heap (JS loops in double precision) to float rounding.
    const c = [w, g, m, v].map((x) => Float32Array.from(x));
    adamRows(c[0], c[1], c[2], c[3], ids, D, h);
    for (let i = 0; i < V * D; i++) expect(Math.abs(c[0][i] - a[0][i])).toBeLessThan(1e-6 * (1 + Math.abs(a[0][i])));
    // Sum of squares: the same double as adding the rows' sums in order.
    let want = 0;
    for (const r of ids) want += sumSquaresRange(g, r * D, (r + 1) * D);
    expect(sumSquaresRows(g, ids, D)).toBe(want);
    expect(sumSquaresRows(Float32Array.from(g), ids, D)).toBeCloseTo(want, 9);
    // Scale, then zero.
    const s1 = copy([g])[0], s2 = copy([g])[0];
    scaleRows(s1, ids, D, 0.3);
    for (const r of ids) scaleRange(s2, r * D, (r + 1) * D, 0.3);
    expect(Array.from(s1)).toEqual(Array.from(s2));
    zeroRows(s1, ids, D);
    for (let r = 0; r < V; r++) {
      const row = Array.from(s1.subarray(r * D, (r + 1) * D));
      if (ids.includes(r)) expect(row.every((x) => x === 0)).toBe(true);
      else expect(row).toEqual(Array.from(g.subarray(r * D, (r + 1) * D)));
    }
    const plain = Float32Array.from(g);
    zeroRows(plain, ids, D);
    expect(Array.from(plain)).toEqual(Array.from(s1, (x, i) => (ids.includes(Math.floor(i / D)) ? 0 : g[i])));
  });

  it('addFast: the element-wise sum of ops.add, in place too', () => {
    const [x, y] = buffers(1003, 5);
    const out = zeros(1003), want = new Float32Array(1003);
    add(Float32Array.from(x), Float32Array.from(y), want);
    addFast(x, y, out);
    expect(Array.from(out)).toEqual(Array.from(want));
    addFast(x, y, x, 1001);
    expect(Array.from(x.subarray(0, 1001))).toEqual(Array.from(want.subarray(0, 1001)));
  });

  it('zeroRange: zeroes exactly [s, e) in the heap (bulk fill) and outside it; heap.zeros reuses blocks zeroed', () => {
    for (const [n, s, e] of [[1000, 0, 1000], [1000, 3, 997], [1000, 10, 20], [70, 1, 69], [5, 0, 5]] as const) {
      const [x] = buffers(n, n + s);
      const plain = Float32Array.from(x);
      zeroRange(x, s, e);
      zeroRange(plain, s, e);
      for (let i = 0; i < n; i++) {
        expect(x[i] === 0).toBe(i >= s && i < e);
        expect(plain[i]).toBe(x[i]);
      }
    }
    const [y] = buffers(100, 1);
    expect(() => zeroRange(y, 0, 101)).toThrow(/outside a buffer of 100/);
    // A freed block handed out again by zeros() comes back zeroed by the kernel fill.
    const heap = activeKernels()!.heap;
    const a = heap.zeros(5000);
    a.fill(7);
    heap.free(a);
    const b = heap.zeros(5000);
    expect(b.byteOffset).toBe(a.byteOffset);
    expect(b.every((v) => v === 0)).toBe(true);
  });

  it('optimizer passes cross to a worker through shared cells unchanged', () => {
    const args = new Float64Array(ARGS_SIZE);
    for (const m of [
      { type: 'sumsq' }, { type: 'scale', c: 0.123456789 },
      { type: 'adam', h },
    ] as const) {
      expect(packPass(m, args)).toBe(true);
      expect(unpackPass(args)).toEqual(m);
    }
    expect(packPass({ type: 'attach', memory: null as never, lengths: [], value: [], grad: [], claims: null as never, partials: null as never }, args)).toBe(false);
  });
});
