import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/tensor/index.js';
import { makeParam, type Param } from '../../src/nn/param.js';
import {
  float16Bits, float16Value, packParams, packTensors, unpackParams, unpackTensors, sha256Hex, SerializeError,
  dtypeFor, QUANTIZED_MIN_ROWS, type Manifest,
} from '../../src/nn/serialize.js';

/**
 * Independent oracle for float16 rounding: binary search over the (monotonic) positive finite
 * patterns 0…0x7bff, then compare with the exact midpoint of the two neighbours.
 */
function oracleBits(x: number): number {
  const f = Math.fround(x);
  if (Number.isNaN(f)) return -1;
  const sign = f < 0 || Object.is(f, -0) ? 0x8000 : 0;
  const a = Math.abs(f);
  if (a >= 65520) return sign | 0x7c00; // ≥ max + half an ulp (tie goes to the even "next", Infinity)
  let lo = 0, hi = 0x7bff;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (float16Value(mid) <= a) lo = mid;
    else hi = mid - 1;
  }
  if (lo === 0x7bff) return sign | lo;
  const below = float16Value(lo), above = float16Value(lo + 1);
  const midpoint = (below + above) / 2; // exact in double
  if (a < midpoint) return sign | lo;
  if (a > midpoint) return sign | (lo + 1);
  return sign | (lo % 2 === 0 ? lo : lo + 1);
}

describe('float16 conversion', () => {
  it.each([
    [0, 0x0000], [-0, 0x8000], [1, 0x3c00], [-2, 0xc000], [0.1, 0x2e66], [1 / 3, 0x3555],
    [65504, 0x7bff], [65519, 0x7bff], [65520, 0x7c00], [1e6, 0x7c00], [-1e6, 0xfc00],
    [Infinity, 0x7c00], [-Infinity, 0xfc00],
    [2 ** -14, 0x0400], // smallest normal
    [2 ** -24, 0x0001], // smallest subnormal
    [1023 * 2 ** -24, 0x03ff], // largest subnormal
    [1023.5 * 2 ** -24, 0x0400], // tie, rounds to even = carries into the smallest normal
    [2 ** -25, 0x0000], // tie between 0 and 2⁻²⁴: even is 0
    [1.5 * 2 ** -25, 0x0001],
    [3 * 2 ** -25, 0x0002], // tie between 1 and 2 (·2⁻²⁴): even is 2
    [-3 * 2 ** -25, 0x8002],
    [2 ** -26, 0x0000], [1e-30, 0x0000], [-1e-30, 0x8000], [1e-45, 0x0000], // incl. a float32 subnormal
    [1 + 2 ** -11, 0x3c00], // tie: keep even mantissa 0
    [1 + 3 * 2 ** -11, 0x3c02], // tie between mantissa 1 and 2: even is 2
    [1 + 2 ** -11 + 2 ** -20, 0x3c01], // just above the tie
    [1 - 2 ** -11, 0x3bff], // the largest float16 below 1
    [1 - 2 ** -12, 0x3c00], // tie between 0x3bff (odd) and 1.0: rounds up across the exponent boundary
  ])('float16Bits(%s) = %i', (x, bits) => {
    expect(float16Bits(x).toString(16)).toBe(bits.toString(16));
    expect(oracleBits(x)).toBe(bits);
  });

  it('NaN stays NaN (any sign, any payload)', () => {
    for (const x of [NaN, -NaN]) {
      const h = float16Bits(x);
      expect((h & 0x7c00) === 0x7c00 && (h & 0x3ff) !== 0).toBe(true);
      expect(float16Value(h)).toBeNaN();
    }
  });

  it('every float16 value survives a round trip to its own bits', () => {
    for (let h = 0; h < 65536; h++) {
      const v = float16Value(h);
      if (Number.isNaN(v)) expect(float16Value(float16Bits(v))).toBeNaN();
      else expect(float16Bits(v)).toBe(h);
    }
  });

  it('agrees with the oracle on random float32 values across the whole range', () => {
    const rng = new Rng(3);
    const cell = new DataView(new ArrayBuffer(4));
    for (let i = 0; i < 20000; i++) {
      // random exponents around float16's range, random mantissas (hitting ties now and then)
      const e = rng.int(50) - 30;
      const mant = rng.int(8) === 0 ? (rng.int(2048) << 13) | 0x1000 : rng.int(1 << 23);
      cell.setUint32(0, ((rng.int(2) << 31) | ((e + 127) << 23) | mant) >>> 0);
      const x = cell.getFloat32(0);
      expect(float16Bits(x)).toBe(oracleBits(x));
    }
  });
});

function params(): Param[] {
  const rng = new Rng(1);
  const mk = (name: string, shape: number[]) => {
    const p = makeParam(name, shape);
    for (let i = 0; i < p.value.length; i++) p.value[i] = rng.uniform(-2, 2);
    return p;
  };
  return [mk('t.emb.weight', [7, 3]), mk('t.out.weight', [3, 5]), mk('t.out.bias', [5])];
}

function fresh(): Param[] {
  return params().map((p) => makeParam(p.name, p.shape));
}

describe('packing parameters', () => {
  it('float32 round trip is exact; the manifest is JSON', () => {
    const src = params();
    src[2].value[0] = -0;
    src[2].value[1] = 1e-40; // float32 subnormal
    const { manifest, blob } = packParams(src);
    expect(manifest.tensors.map((t) => [t.name, t.dtype, t.offset])).toEqual([
      ['t.emb.weight', 'float32', 0], ['t.out.weight', 'float32', 88], ['t.out.bias', 'float32', 152],
    ]);
    expect(manifest.byteLength).toBe(blob.length);
    expect(manifest.sha256).toBe(sha256Hex(blob));
    const dst = fresh();
    unpackParams(dst, JSON.parse(JSON.stringify(manifest)) as Manifest, blob);
    for (let i = 0; i < src.length; i++) {
      expect(dst[i].value.length).toBe(src[i].value.length);
      for (let j = 0; j < src[i].value.length; j++) expect(Object.is(dst[i].value[j], src[i].value[j])).toBe(true);
    }
  });

  it('float16 storage halves the size and rounds each value to the nearest float16', () => {
    const src = params();
    const f32 = packParams(src);
    const f16 = packParams(src, { dtype: 'float16' });
    expect(f16.blob.length).toBeLessThanOrEqual(f32.blob.length / 2 + 8 * src.length);
    const dst = fresh();
    unpackParams(dst, f16.manifest, f16.blob);
    for (let i = 0; i < src.length; i++) {
      for (let j = 0; j < src[i].value.length; j++) {
        const x = src[i].value[j];
        expect(dst[i].value[j]).toBe(float16Value(float16Bits(x)));
        expect(Math.abs(dst[i].value[j] - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11);
      }
    }
    // per-tensor choice
    const mixed = packParams(src, { dtype: (n) => (n.endsWith('.bias') ? 'float32' : 'float16') });
    expect(mixed.manifest.tensors.map((t) => t.dtype)).toEqual(['float16', 'float16', 'float32']);
  });

  it('reads from an unaligned Buffer (e.g. a slice of a file read)', () => {
    const src = params();
    for (const dtype of ['float32', 'float16'] as const) {
      const { manifest, blob } = packParams(src, { dtype });
      const backing = new Uint8Array(blob.length + 3);
      backing.set(blob, 3);
      const unaligned = Buffer.from(backing.buffer, 3, blob.length);
      const a = fresh(), b = fresh();
      unpackParams(a, manifest, blob);
      unpackParams(b, manifest, unaligned);
      for (let i = 0; i < a.length; i++) expect(Array.from(b[i].value)).toEqual(Array.from(a[i].value));
    }
  });

  it.each([['int8', 127], ['int4', 7]] as const)('%s stores rows of integers with a scale per row: every value within half a step', (dtype, L) => {
    const rng = new Rng(11);
    for (const [R, C] of [[50, 100], [7, 5], [1, 1], [3, 0]]) {
      const data = Array.from({ length: R * C }, (_, i) => (i % 9 === 0 ? 0 : rng.normal() * (1 + (i % 5))));
      if (R * C > 0) data.fill(0, 0, C); // an all-zero row
      const { manifest, blob } = packTensors([{ name: 'q', shape: [R, C], data }, { name: 'f', shape: [2], data: [1.5, -2] }], { dtype: (n) => (n === 'q' ? dtype : 'float32') });
      const rowBytes = dtype === 'int8' ? C : Math.ceil(C / 2);
      expect(manifest.tensors[1].offset).toBe(C === 0 ? 0 : Math.ceil((4 * R + R * rowBytes) / 8) * 8); // an empty tensor takes no bytes
      const out = unpackTensors(JSON.parse(JSON.stringify(manifest)) as Manifest, blob);
      const got = out.get('q')!.data;
      for (let r = 0; r < R; r++) {
        const row = data.slice(r * C, (r + 1) * C);
        const max = Math.max(0, ...row.map(Math.abs));
        const step = Math.fround(max / L);
        for (let j = 0; j < C; j++) {
          expect(Math.abs(got[r * C + j] - row[j])).toBeLessThanOrEqual(step / 2 + 1e-6 * max);
          expect(Math.abs(got[r * C + j])).toBeLessThanOrEqual(max * (1 + 1e-6)); // ±L·scale is the row's max
        }
        if (max === 0) expect(Array.from(got.subarray(r * C, (r + 1) * C)).every((v) => v === 0)).toBe(true);
      }
      expect(Array.from(out.get('f')!.data)).toEqual([1.5, -2]);
    }
  });

  it('int8/int4 refuse non-finite values; a 1-D tensor is one row', () => {
    expect(() => packTensors([{ name: 'w', shape: [2, 2], data: [1, NaN, 0, 0] }], { dtype: 'int8' })).toThrow(/'w' holds NaN \(row 0\)/);
    expect(() => packTensors([{ name: 'w', shape: [2], data: [Infinity, 0] }], { dtype: 'int4' })).toThrow(/int4 cannot store/);
    const { manifest, blob } = packTensors([{ name: 'v', shape: [3], data: [-7, 1, 3.5] }], { dtype: 'int4' });
    expect(Array.from(unpackTensors(manifest, blob).get('v')!.data)).toEqual([-7, 1, 4]);
  });

  it('the model-level int8/int4 choice quantizes large lookup tables only; the rest is float16', () => {
    const big = makeParam('m.word_emb.weight', [QUANTIZED_MIN_ROWS, 4]);
    big.sparseRows = new Set();
    const chars = makeParam('m.char_emb.weight', [80, 4]);
    chars.sparseRows = new Set();
    const dense = makeParam('m.out.weight', [QUANTIZED_MIN_ROWS, 4]);
    expect([big, chars, dense].map((p) => dtypeFor(p, 'int4'))).toEqual(['int4', 'float16', 'float16']);
    expect([big, chars, dense].map((p) => dtypeFor(p, 'float32'))).toEqual(['float32', 'float32', 'float32']);
    const { manifest } = packParams([big, chars, dense], { storage: 'int8' });
    expect(manifest.tensors.map((t) => t.dtype)).toEqual(['int8', 'float16', 'float16']);
  });

  it('unpackTensors returns named buffers (e.g. optimizer moments)', () => {
    const { manifest, blob } = packTensors([{ name: 'x.m', shape: [2, 2], data: [1, 2, 3, 4] }, { name: 'x.v', shape: [1], data: [0.5] }]);
    const m = unpackTensors(manifest, blob);
    expect(Array.from(m.get('x.m')!.data)).toEqual([1, 2, 3, 4]);
    expect(m.get('x.v')!.shape).toEqual([1]);
    expect(() => packTensors([{ name: 'a', shape: [3], data: [1, 2] }])).toThrow(/'a' has 2 values/);
    expect(() => packTensors([{ name: 'a', shape: [1], data: [1] }, { name: 'a', shape: [1], data: [1] }])).toThrow(/twice/);
  });
});

describe('unpacking validates and names the problem', () => {
  const { manifest, blob } = packParams(params());

  it('missing, extra and mis-shaped parameters; nothing is written', () => {
    const dst = fresh();
    const missing = [...dst, makeParam('t.crf.trans', [5, 5])];
    expect(() => unpackParams(missing, manifest, blob)).toThrow(/parameter 't\.crf\.trans' \[5, 5\] is missing/);
    expect(() => unpackParams(dst.slice(0, 2), manifest, blob)).toThrow(/unexpected parameter 't\.out\.bias'/);
    const shaped = [dst[0], makeParam('t.out.weight', [5, 3]), dst[2]];
    expect(() => unpackParams(shaped, manifest, blob)).toThrow(SerializeError);
    expect(() => unpackParams(shaped, manifest, blob)).toThrow(/'t\.out\.weight' has shape \[3, 5\], the model expects \[5, 3\]/);
    expect(dst.every((p) => p.value.every((v) => v === 0))).toBe(true);
  });

  it('truncated or corrupt data, bad manifests', () => {
    const dst = fresh();
    expect(() => unpackParams(dst, manifest, blob.subarray(0, blob.length - 8), { source: 'model.bin' })).toThrow(
      /model\.bin: data truncated: 168 bytes, the manifest describes 176/,
    );
    const corrupt = blob.slice();
    corrupt[10] ^= 1;
    expect(() => unpackParams(dst, manifest, corrupt)).toThrow(/checksum mismatch/);
    expect(() => unpackParams(dst, manifest, corrupt, { verifyChecksum: false })).not.toThrow();
    // a manifest whose entry points past the end
    const lying: Manifest = { ...manifest, tensors: manifest.tensors.map((t) => (t.name === 't.out.bias' ? { ...t, offset: 160 } : t)) };
    expect(() => unpackParams(fresh(), lying, blob)).toThrow(/parameter 't\.out\.bias': data truncated/);
    expect(() => unpackParams(fresh(), { ...manifest, version: 9 }, blob)).toThrow(/version 9 is not supported/);
    expect(() => unpackParams(fresh(), { ...manifest, format: 'x' } as unknown as Manifest, blob)).toThrow(/not a tensor manifest/);
  });
});
