import { describe, expect, it } from 'vitest';
import {
  lstmGatesBackwardRef, lstmGatesForwardRef, sigmoidRef, tanhRef,
} from '../../src/tensor/ops-wasm-ref.js';
import { WasmKernels } from '../../src/tensor/wasm.js';
import {
  copyBlock, dropoutForwardFast, gatherRows, maskRowsByLength, maxPoolTime, maxPoolTimeBackward, mulFast, mulRowsFast,
  scatterAddRows, sumRowsFast, tanhBackwardInPlace, useJs, useWasm,
} from '../../src/tensor/backend.js';
import { Rng } from '../../src/tensor/rng.js';
import { sumRowsInto } from '../../src/tensor/ops.js';
import { zeros } from '../../src/tensor/alloc.js';

const k = new WasmKernels({ initialPages: 64 });

/** Dense grid over [-lo, hi] plus the edges of the kernels' ranges and special values. */
function grid(): Float32Array {
  const xs: number[] = [];
  for (let x = -20; x <= 20; x += 1 / 4096) xs.push(x);
  for (let e = -40; e <= 2; e += 0.25) xs.push(10 ** e, -(10 ** e));
  xs.push(0, -0, 0.625, -0.625, Math.fround(0.625) - 1e-7, 9, -9, 87, -87, 88, -88, 89, -89, 100, -100,
    1e30, -1e30, 3.4e38, -3.4e38, Infinity, -Infinity, 1e-45, -1e-45);
  return Float32Array.from(xs);
}

function run(fn: 'sigmoid' | 'tanh', x: Float32Array): Float32Array {
  const hx = k.heap.zeros(x.length);
  hx.set(x);
  const hy = k.heap.zeros(x.length);
  k[fn](hx, hy, x.length);
  const y = new Float32Array(hy);
  k.heap.free(hx); k.heap.free(hy);
  return y;
}

const exactSigmoid = (x: number) => (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));

describe('WASM activations', () => {
  const x = grid();

  it('tanh: max abs error ≤ 1e-7 vs Math.tanh (double), relative ≤ 1.5e-7 for |x| < 0.625, exact sign and limits', () => {
    const y = run('tanh', x);
    let maxAbs = 0, maxRelSmall = 0;
    for (let i = 0; i < x.length; i++) {
      const want = Math.tanh(x[i]);
      const err = Math.abs(y[i] - want);
      maxAbs = Math.max(maxAbs, err);
      if (Math.abs(x[i]) < 0.625 && want !== 0) maxRelSmall = Math.max(maxRelSmall, err / Math.abs(want));
    }
    // Measured: 7.2e-8 abs, 7.1e-8 relative (≈ 1.2 ulp; rounding the exact value alone costs 3e-8).
    expect(maxAbs).toBeLessThanOrEqual(1e-7);
    expect(maxRelSmall).toBeLessThanOrEqual(1.5e-7);
    const special = run('tanh', Float32Array.from([0, -0, Infinity, -Infinity, Number.NaN, 1e-40]));
    expect(Object.is(special[0], 0)).toBe(true);
    expect(Object.is(special[1], -0)).toBe(true);
    expect([special[2], special[3]]).toEqual([1, -1]);
    expect(special[4]).toBeNaN();
    expect(special[5]).toBe(Math.fround(1e-40)); // denormals pass through unchanged
  });

  it('sigmoid: max abs error ≤ 1.2e-7 vs the double-precision logistic, limits 0 and 1', () => {
    const y = run('sigmoid', x);
    let maxAbs = 0;
    for (let i = 0; i < x.length; i++) maxAbs = Math.max(maxAbs, Math.abs(y[i] - exactSigmoid(x[i])));
    // Measured: 8.9e-8.
    expect(maxAbs).toBeLessThanOrEqual(1.2e-7);
    const special = run('sigmoid', Float32Array.from([0, Infinity, -Infinity, Number.NaN]));
    expect(special[0]).toBe(0.5);
    expect(special[1]).toBe(1);
    expect(special[2]).toBeLessThan(1e-37);
    expect(special[3]).toBeNaN();
  });

  it('handles every length remainder in place and out of place, touching nothing past n', () => {
    for (let n = 0; n <= 9; n++) {
      const hx = k.heap.zeros(n + 2);
      for (let i = 0; i < n + 2; i++) hx[i] = i - 3.5;
      const want = new Float32Array(hx);
      tanhRef(want, want, n);
      k.tanh(hx.subarray(0), hx, n); // in place
      for (let i = 0; i < n + 2; i++) expect(Math.abs(hx[i] - want[i])).toBeLessThan(2e-7);
      const out = k.heap.zeros(n + 1).fill(7);
      const src = k.heap.zeros(n + 1).fill(-1);
      k.sigmoid(src, out, n);
      const w = new Float32Array(n + 1).fill(-1);
      sigmoidRef(w, w, n);
      for (let i = 0; i < n; i++) expect(Math.abs(out[i] - w[i])).toBeLessThan(2e-7);
      expect(out[n]).toBe(7);
    }
  });
});

function rand(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    return (s >>> 0) / 4294967296 * 2 - 1;
  };
}

describe('fused LSTM gate kernels', () => {
  it.each([[1, 1], [2, 3], [3, 4], [4, 5], [5, 7], [32, 100], [2, 13]])('forward and backward match the references (B=%i, H=%i)', (B, H) => {
    const r = rand(B * 100 + H);
    const fill = (n: number, scale = 3) => { const v = k.heap.zeros(n); for (let i = 0; i < n; i++) v[i] = r() * scale; return v; };
    const z = fill(B * 4 * H), cPrev = fill(B * H, 1), da = fill(B * H, 1), dc = fill(B * H, 1);
    const gates = k.heap.zeros(B * 4 * H), c = k.heap.zeros(B * H), a = k.heap.zeros(B * H);
    const wg = new Float32Array(B * 4 * H), wc = new Float32Array(B * H), wa = new Float32Array(B * H);
    k.exports.lstmForward(B, H, z.byteOffset, cPrev.byteOffset, gates.byteOffset, c.byteOffset, a.byteOffset);
    lstmGatesForwardRef(B, H, new Float32Array(z), new Float32Array(cPrev), wg, wc, wa);
    const close = (got: Float32Array, want: Float32Array, tol: number) => {
      let worst = 0;
      for (let i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      expect(worst).toBeLessThanOrEqual(tol);
    };
    close(gates, wg, 2e-7); close(c, wc, 5e-7); close(a, wa, 5e-7);

    const dz = k.heap.zeros(B * 4 * H), dcPrev = k.heap.zeros(B * H);
    const wdz = new Float32Array(B * 4 * H), wdcp = new Float32Array(B * H);
    k.exports.lstmBackward(B, H, gates.byteOffset, cPrev.byteOffset, c.byteOffset, da.byteOffset, dc.byteOffset, dz.byteOffset, dcPrev.byteOffset);
    lstmGatesBackwardRef(B, H, new Float32Array(gates), new Float32Array(cPrev), new Float32Array(c), new Float32Array(da), new Float32Array(dc), wdz, wdcp);
    close(dz, wdz, 5e-7); close(dcPrev, wdcp, 5e-7);

    // Aliased outputs: gates over z and c over cPrev; dz over gates and dcPrev over dc.
    const copy = (v: Float32Array) => { const h = k.heap.zeros(v.length); h.set(v); return h; };
    const z2 = copy(z), c2 = copy(cPrev), a2 = k.heap.zeros(B * H);
    k.exports.lstmForward(B, H, z2.byteOffset, c2.byteOffset, z2.byteOffset, c2.byteOffset, a2.byteOffset);
    close(z2, wg, 2e-7); close(c2, wc, 5e-7); close(a2, wa, 5e-7);
    const g2 = copy(gates), dc2 = copy(dc);
    k.exports.lstmBackward(B, H, g2.byteOffset, cPrev.byteOffset, c.byteOffset, da.byteOffset, dc2.byteOffset, g2.byteOffset, dc2.byteOffset);
    close(g2, wdz, 5e-7); close(dc2, wdcp, 5e-7);
  });

  it('backward reference is the gradient of the forward reference (finite differences, float64)', () => {
    const B = 2, H = 3, n = B * H;
    const r = rand(42);
    const d = (len: number, s = 1) => Float64Array.from({ length: len }, () => r() * s) as unknown as Float32Array;
    const z = d(4 * n, 2), cPrev = d(n), wa = d(n), wc = d(n);
    // L = Σ wa·a + Σ wc·c, so ∂L/∂a = wa and ∂L/∂c (direct) = wc.
    const loss = (zz: Float32Array, cp: Float32Array) => {
      const g = d(4 * n), c = d(n), a = d(n);
      lstmGatesForwardRef(B, H, zz, cp, g, c, a);
      let s = 0;
      for (let i = 0; i < n; i++) s += wa[i] * a[i] + wc[i] * c[i];
      return s;
    };
    const g = d(4 * n), c = d(n), a = d(n);
    lstmGatesForwardRef(B, H, z, cPrev, g, c, a);
    const dz = d(4 * n), dcPrev = d(n);
    lstmGatesBackwardRef(B, H, g, cPrev, c, wa, wc, dz, dcPrev);
    const eps = 1e-6;
    for (let i = 0; i < 4 * n; i++) {
      const zp = Float64Array.from(z) as unknown as Float32Array, zm = Float64Array.from(z) as unknown as Float32Array;
      zp[i] += eps; zm[i] -= eps;
      expect(dz[i]).toBeCloseTo((loss(zp, cPrev) - loss(zm, cPrev)) / (2 * eps), 7);
    }
    for (let i = 0; i < n; i++) {
      const cp = Float64Array.from(cPrev) as unknown as Float32Array, cm = Float64Array.from(cPrev) as unknown as Float32Array;
      cp[i] += eps; cm[i] -= eps;
      expect(dcPrev[i]).toBeCloseTo((loss(z, cp) - loss(z, cm)) / (2 * eps), 7);
    }
  });
});

describe('row kernels: column sums, embedding gather and scatter-add', () => {
  it.each([[1, 1], [3, 4], [7, 9], [33, 400], [5, 13]])('match the TypeScript loops bit for bit (rows=%i, cols=%i)', (rows, cols) => {
    useWasm();
    try {
      const fill = (x: Float32Array, s: number) => { for (let i = 0; i < x.length; i++) x[i] = Math.sin(i * 0.37 + s) * 3; };
      // sumRows: db += column sums, rows in order.
      const dy = zeros(rows * cols), db = zeros(cols);
      fill(dy, 1); fill(db, 2);
      const want = Float32Array.from(db);
      sumRowsInto(Float32Array.from(dy), rows, cols, want);
      sumRowsFast(dy, rows, cols, db);
      expect(Array.from(db)).toEqual(Array.from(want));
      // gather + scatter-add with repeated ids and a skipped one, against plain arrays (the JS path).
      const V = 6, D = cols, n = rows;
      const ids = Int32Array.from({ length: n }, (_, i) => (i * 5 + 1) % V);
      const w = zeros(V * D), g = zeros(V * D), up = zeros(n * D);
      fill(w, 3); fill(g, 4); fill(up, 5);
      const wJs = Float32Array.from(w), gJs = Float32Array.from(g), upJs = Float32Array.from(up);
      const out = zeros(n * D), outJs = new Float32Array(n * D);
      gatherRows(out, w, ids, n, D);
      gatherRows(outJs, wJs, ids, n, D);
      expect(Array.from(out)).toEqual(Array.from(outJs));
      expect(Array.from(out.subarray(0, D))).toEqual(Array.from(w.subarray(ids[0] * D, ids[0] * D + D)));
      scatterAddRows(g, up, ids, n, D, 1);
      scatterAddRows(gJs, upJs, ids, n, D, 1);
      expect(Array.from(g)).toEqual(Array.from(gJs));
      const g0 = zeros(V * D);
      fill(g0, 4);
      expect(Array.from(g.subarray(D, 2 * D))).toEqual(Array.from(g0.subarray(D, 2 * D))); // id 1 skipped
    } finally {
      useJs('test');
    }
  });
});

describe('dropout kernels', () => {
  it.each([[1, 0.5], [7, 0.3], [1000, 0.5], [4099, 0.9]])('the WASM mask and product equal the TypeScript ones bit for bit; the Rng moves on alike (n=%i, p=%f)', (n, p) => {
    useWasm();
    try {
      const keep = 1 / (1 - p);
      const x = zeros(n), y = zeros(n), mask = zeros(n);
      for (let i = 0; i < n; i++) x[i] = Math.cos(i * 0.77) * 2;
      const a = new Rng(9), b = new Rng(9);
      expect(dropoutForwardFast(x, y, mask, n, p, keep, a)).toBe(true);
      const maskJs = new Float32Array(n);
      b.bernoulliMask(maskJs, n, p, keep);
      const yJs = Float32Array.from({ length: n }, (_, i) => x[i] * maskJs[i]);
      expect(Array.from(mask)).toEqual(Array.from(maskJs));
      expect(Array.from(y)).toEqual(Array.from(yJs));
      expect(a.getState()).toEqual(b.getState());
      const dy = zeros(n), dx = zeros(n);
      for (let i = 0; i < n; i++) dy[i] = Math.sin(i * 0.5);
      mulFast(dy, mask, dx, n);
      expect(Array.from(dx)).toEqual(Array.from(dy, (v, i) => Math.fround(v * maskJs[i])));
      // A mask shared by every row (variational dropout): WASM and the plain loop agree.
      const rows = 3, xs = zeros(rows * n), ys = zeros(rows * n);
      for (let i = 0; i < xs.length; i++) xs[i] = Math.sin(i * 0.3);
      mulRowsFast(xs, mask, ys, rows, n);
      const ysJs = new Float32Array(rows * n);
      mulRowsFast(Float32Array.from(xs), Float32Array.from(mask), ysJs, rows, n);
      expect(Array.from(ys)).toEqual(Array.from(ysJs));
      expect(ys[n]).toBe(Math.fround(xs[n] * mask[0])); // row 1 reads the mask from its start
      // Outside the heap: nothing done, the caller draws in JS.
      expect(dropoutForwardFast(new Float32Array(n), y, mask, n, p, keep, a)).toBe(false);
      expect(a.getState()).toEqual(b.getState());
    } finally {
      useJs('test');
    }
  });
});

describe('block copies, padding masks and max-pooling over time', () => {
  const fill = (x: Float32Array, s: number) => { for (let i = 0; i < x.length; i++) x[i] = Math.round(Math.sin(i * 0.37 + s) * 4) / 2; };
  const heap = (n: number, s: number) => { const x = zeros(n); fill(x, s); return x; };

  it.each([[1, 1], [5, 3], [9, 8], [4, 17]])('copyBlock: plain, scattered and gathered rows, in WASM as in the loops (rows=%i, cols=%i)', (rows, cols) => {
    useWasm();
    try {
      const ldd = cols + 5, lds = cols + 2;
      const idx = Int32Array.from({ length: rows }, (_, r) => (r * 3 + 1) % (rows + 2));
      for (const [ix, side] of [[undefined, 'dst'], [idx, 'dst'], [idx, 'src']] as const) {
        const span = rows + 2;
        const dst = heap(span * ldd, 1), src = heap(span * lds, 2);
        const dJs = Float32Array.from(dst), sJs = Float32Array.from(src);
        copyBlock(dst, ldd, src, lds, rows, cols, ix, side);
        copyBlock(dJs, ldd, sJs, lds, rows, cols, ix, side);
        expect(Array.from(dst)).toEqual(Array.from(dJs));
        const r = rows - 1, dr = ix && side === 'dst' ? ix[r] : r, sr = ix && side === 'src' ? ix[r] : r;
        expect(Array.from(dst.subarray(dr * ldd, dr * ldd + cols))).toEqual(Array.from(src.subarray(sr * lds, sr * lds + cols)));
        expect(dst[dr * ldd + cols]).toBe(dJs[dr * ldd + cols]); // past cols: untouched
      }
      expect(() => copyBlock(zeros(4), 2, zeros(4), 2, 2, 2, Int32Array.from([0, 2]), 'dst')).toThrow(RangeError);
    } finally {
      useJs('test');
    }
  });

  it.each([[3, 4, 5], [1, 1, 1], [6, 3, 8]])('maskRowsByLength and maxPoolTime (+ backward) equal the TypeScript loops (T=%i, B=%i, F=%i)', (T, B, F) => {
    useWasm();
    try {
      const lengths = Int32Array.from({ length: B }, (_, b) => [T, 0, 1, T - 1][b % 4]);
      const x = heap(T * B * F, 3), m = zeros(T * B * F);
      const mJs = new Float32Array(T * B * F);
      maskRowsByLength(m, x, T, B, F, lengths);
      maskRowsByLength(mJs, Float32Array.from(x), T, B, F, lengths);
      expect(Array.from(m)).toEqual(Array.from(mJs));
      const inPlace = Float32Array.from(x), inPlaceHeap = zeros(T * B * F);
      inPlaceHeap.set(x);
      maskRowsByLength(inPlace, inPlace, T, B, F, lengths);
      maskRowsByLength(inPlaceHeap, inPlaceHeap, T, B, F, lengths);
      expect(Array.from(inPlaceHeap)).toEqual(Array.from(mJs));
      expect(Array.from(inPlace)).toEqual(Array.from(mJs));
      // Max over the real steps; ties (values in halves repeat) keep the first step.
      const y = zeros(B * F), arg = zeros(B * F), yJs = new Float32Array(B * F), argJs = new Float32Array(B * F);
      maxPoolTime(m, T, B, F, lengths, y, arg);
      maxPoolTime(mJs, T, B, F, lengths, yJs, argJs);
      expect(Array.from(y)).toEqual(Array.from(yJs));
      expect(Array.from(arg)).toEqual(Array.from(argJs));
      for (let b = 0; b < B; b++) {
        for (let f = 0; f < F; f++) {
          if (lengths[b] === 0) { expect([y[b * F + f], arg[b * F + f]]).toEqual([0, -1]); continue; }
          const col = Array.from({ length: lengths[b] }, (_, t) => m[(t * B + b) * F + f]);
          expect(y[b * F + f]).toBe(Math.max(...col));
          expect(arg[b * F + f]).toBe(col.indexOf(Math.max(...col)));
        }
      }
      const dy = heap(B * F, 4), dx = zeros(T * B * F), dxJs = new Float32Array(T * B * F);
      maxPoolTimeBackward(dy, arg, T, B, F, dx);
      maxPoolTimeBackward(Float32Array.from(dy), argJs, T, B, F, dxJs);
      expect(Array.from(dx)).toEqual(Array.from(dxJs));
    } finally {
      useJs('test');
    }
  });
});

describe('tanh gradient', () => {
  it.each([1, 4, 7, 1001])('dy·(1 − y²) in WASM f64 lanes gives the bits of the double-precision loop (n=%i)', (n) => {
    useWasm();
    try {
      const dy = zeros(n), y = zeros(n);
      for (let i = 0; i < n; i++) { dy[i] = Math.sin(i * 1.3) * 7; y[i] = Math.tanh(Math.cos(i * 0.7) * 3); }
      const want = Float32Array.from(dy);
      for (let i = 0; i < n; i++) want[i] *= 1 - y[i] * y[i];
      const plain = Float32Array.from(dy);
      tanhBackwardInPlace(plain, Float32Array.from(y), n);
      tanhBackwardInPlace(dy, y, n);
      expect(Array.from(dy)).toEqual(Array.from(want));
      expect(Array.from(plain)).toEqual(Array.from(want));
    } finally {
      useJs('test');
    }
  });
});
