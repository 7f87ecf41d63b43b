/**
 * The parts of an optimizer step that the threads share: zeroing the gradients, the squared
 * gradient norm, the clip scaling and the Adam update, each over a range of the dense
 * parameters' elements (all dense parameters seen as one array, in model order). With the WASM
 * backend, the model's values, gradients and Adam moments live in the main thread's shared
 * WebAssembly.Memory, so a worker can update them in place; the threads claim chunks of the
 * range as they go (passChunks), the main thread does the embedding tables' rows first.
 *
 * `adamRange` runs nn/optim/adam.ts's own element update (`adamElements`), so the parallel step equals
 * `Adam.step()` bit for bit; test/parallel checks that against the real optimizer.
 */
import { adamElements, adamRows, type AdamConstants } from '../nn/optim/adam.js';
import { scaleRange as scaleBuf, sumSquaresRange } from '../tensor/backend.js';
import type { KernelExports } from '../tensor/wasm.js';

export { adamElements, adamRows, type AdamConstants };

/** The dense parameters' arrays (views), with where each starts in the concatenated index space. */
export interface DenseArrays {
  starts: number[];
  value: Float32Array[];
  grad: Float32Array[];
  /** Adam's moments (absent when only the gradient is shared). */
  m?: Float32Array[];
  v?: Float32Array[];
  total: number;
  /** Kernels instantiated on the memory these arrays live in (null: JS loops). */
  kernels: KernelExports | null;
  /** Shared by the threads of a pass (see passChunks): cell 0 counts the chunks claimed from each end. */
  claims: Int32Array;
  /** Shared: Σg² of chunk k, for the norm (see sumPartials). */
  partials: Float64Array;
}

/**
 * Elements of the dense range per chunk of a shared pass: ~5 µs of Adam, against ~0.1 µs for a
 * claim (an atomic add on a line both cores use).
 */
export const CHUNK = 4096;

/** A pass over all the dense elements, shared by the threads. */
export type DensePass = { type: 'zero' } | { type: 'sumsq' } | { type: 'scale'; c: number } | { type: 'adam'; h: AdamConstants };

/**
 * Shared memory cells for a pass over `total` dense elements (claims and partial sums).
 */
export function passCells(total: number): { claims: SharedArrayBuffer; partials: SharedArrayBuffer } {
  return { claims: new SharedArrayBuffer(64), partials: new SharedArrayBuffer(8 * Math.max(1, Math.ceil(total / CHUNK))) };
}

/**
 * This thread's part of a pass: it claims chunks of CHUNK elements until none is left, so that
 * a thread slowed down leaves more of the pass to the others instead of holding them up at the
 * end of a fixed split. Measured on the 2-core machine: the worker's fixed share of the Adam
 * pass (a stream over 1.9 MB per step) took 57 ms an epoch on a quiet host and 88–136 ms when
 * other tenants loaded the shared cache, while the main thread's part barely changed.
 *
 * The main thread claims from the front of the range, the workers from the back (`end`), so
 * that while the threads keep pace each takes the same chunks step after step: the parameters
 * whose gradients it computed (mode 'directions': the main thread's direction comes first in
 * model order), zeroes, clips and updates — lines that stay in its core's cache. With chunks
 * taken in turns instead, zeroing the gradients took 73 ms an epoch on 2 threads against
 * 9.5 ms on one, and the main thread's half of the Adam pass 2.5× the time per element: each
 * line came from the other core's cache. `claims[0]` (zeroed by the main thread before the
 * pass) holds the chunks claimed from the front in its low 16 bits and from the back in its
 * high 16 bits; a range of 65,536 chunks or more is claimed from the front by all.
 *
 * Every element still goes through the same kernel: the same bits whichever thread takes which
 * chunk. 'sumsq' writes chunk k's Σg² into partials[k] (see sumPartials).
 */
export function passChunks(a: DenseArrays, pass: DensePass, end: 'front' | 'back' = 'front'): void {
  const total = a.total, n = Math.ceil(total / CHUNK), packed = n < 0x10000, back = end === 'back' && packed;
  for (;;) {
    let k: number;
    if (!packed) {
      k = Atomics.add(a.claims, 0, 1);
      if (k >= n) return;
    } else {
      const v = Atomics.load(a.claims, 0), front = v & 0xffff, fromBack = v >>> 16;
      if (front + fromBack >= n) return;
      if (Atomics.compareExchange(a.claims, 0, v, back ? v + 0x10000 : v + 1) !== v) continue;
      k = back ? n - 1 - fromBack : front;
    }
    const lo = k * CHUNK, hi = Math.min(total, lo + CHUNK);
    if (pass.type === 'sumsq') a.partials[k] = sumSquares(a, lo, hi);
    else if (pass.type === 'scale') scaleRange(a, lo, hi, pass.c);
    else if (pass.type === 'zero') zeroDense(a, lo, hi);
    else adamRange(a, lo, hi, pass.h);
  }
}

/** Σ over the chunks, in chunk order, of their Σg² (after a 'sumsq' pass): the same number whichever thread took which chunk. */
export function sumPartials(a: DenseArrays): number {
  let ss = 0;
  const n = Math.ceil(a.total / CHUNK);
  for (let k = 0; k < n; k++) ss += a.partials[k];
  return ss;
}

/** Calls f(i, s, e) for every dense array i and its local element range [s, e) inside [lo, hi). */
function eachPart(a: DenseArrays, lo: number, hi: number, f: (i: number, s: number, e: number) => void): void {
  for (let i = 0; i < a.starts.length; i++) {
    const start = a.starts[i], n = a.value[i].length;
    const s = Math.max(lo, start), e = Math.min(hi, start + n);
    if (s < e) f(i, s - start, e - start);
  }
}

/** Σ g² over [lo, hi), in double precision. */
export function sumSquares(a: DenseArrays, lo: number, hi: number): number {
  let ss = 0;
  eachPart(a, lo, hi, (i, s, e) => { ss += sumSquaresRange(a.grad[i], s, e, a.kernels); });
  return ss;
}

/** g = 0 over [lo, hi). */
export function zeroDense(a: DenseArrays, lo: number, hi: number): void {
  const k = a.kernels;
  eachPart(a, lo, hi, (i, s, e) => (k !== null ? k.zeroFloats(a.grad[i].byteOffset + 4 * s, e - s) : a.grad[i].fill(0, s, e)));
}

/** g *= c over [lo, hi). */
export function scaleRange(a: DenseArrays, lo: number, hi: number, c: number): void {
  eachPart(a, lo, hi, (i, s, e) => scaleBuf(a.grad[i], s, e, c, a.kernels));
}

/** Adam's update over [lo, hi) of the dense elements. */
export function adamRange(a: DenseArrays, lo: number, hi: number, h: AdamConstants): void {
  eachPart(a, lo, hi, (i, s, e) => adamElements(a.value[i], a.grad[i], a.m![i], a.v![i], s, e, h, a.kernels));
}
