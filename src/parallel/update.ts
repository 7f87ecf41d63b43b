/**
 * The parts of an optimizer step that the threads share: the squared gradient norm, the clip
 * scaling and the Adam update, each over a range of the dense parameters' elements (all dense
 * parameters seen as one array, in model order). With the WASM backend, the model's values,
 * gradients and Adam moments live in the main thread's shared WebAssembly.Memory, so a worker
 * can update a range in place; the main thread does the rest and the embedding tables' rows.
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

/** g *= c over [lo, hi). */
export function scaleRange(a: DenseArrays, lo: number, hi: number, c: number): void {
  eachPart(a, lo, hi, (i, s, e) => scaleBuf(a.grad[i], s, e, c, a.kernels));
}

/** Adam's update over [lo, hi) of the dense elements. */
export function adamRange(a: DenseArrays, lo: number, hi: number, h: AdamConstants): void {
  eachPart(a, lo, hi, (i, s, e) => adamElements(a.value[i], a.grad[i], a.m![i], a.v![i], s, e, h, a.kernels));
}

/**
 * Splits the dense elements [0, total) across `threads` threads, thread 0 (the main thread)
 * also doing `extra` elements of other work (embedding rows): equal work for all.
 * @returns [threads + 1] boundaries: thread j gets [b[j], b[j+1])
 */
export function splitWork(total: number, extra: number, threads: number): number[] {
  const each = (total + extra) / threads;
  const first = Math.max(0, Math.min(total, Math.round(each - extra)));
  const b = [0, first];
  for (let j = 1; j < threads; j++) b.push(Math.round(first + ((total - first) * j) / (threads - 1)));
  return b;
}
