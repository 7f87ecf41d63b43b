/**
 * Buffer allocation for every array that flows through the kernels.
 *
 * All layers allocate through `zeros` / `fromArray` instead of `new Float32Array`, for two reasons:
 * - a faster backend (WASM SIMD) can hand out views into its own linear memory, so kernels run
 *   on the data in place without copying;
 * - gradient checks switch the whole stack to float64 (`setDType('float64')`): the arrays are then
 *   Float64Array at run time, typed as `Buf` (Float32Array) at compile time. Kernels written in
 *   TypeScript work unchanged on either; no code may rely on float32 rounding.
 */

/** The array type of all tensors. At run time it is a Float64Array in float64 mode (tests only). */
export type Buf = Float32Array;

export type DType = 'float32' | 'float64';

/** Allocator hook: a backend that owns linear memory installs its own. */
export interface Allocator {
  /** A zero-filled buffer of n elements. */
  zeros(n: number): Buf;
}

const plainAllocator: Allocator = { zeros: (n) => new Float32Array(n) };
const float64Allocator: Allocator = { zeros: (n) => new Float64Array(n) as unknown as Buf };

let dtype: DType = 'float32';
let allocator: Allocator = plainAllocator;
let float32Allocator: Allocator = plainAllocator;

/** Current element type. */
export function getDType(): DType {
  return dtype;
}

/**
 * Switch the element type of newly allocated buffers. float64 exists for finite-difference
 * gradient checks; it always uses plain (non-WASM) arrays.
 */
export function setDType(t: DType): void {
  dtype = t;
  allocator = t === 'float64' ? float64Allocator : float32Allocator;
}

/** Installed by a backend that allocates in its own memory; `null` restores plain arrays. */
export function setFloat32Allocator(a: Allocator | null): void {
  float32Allocator = a ?? plainAllocator;
  if (dtype === 'float32') allocator = float32Allocator;
}

/** A zero-filled buffer of n elements in the current dtype. */
export function zeros(n: number): Buf {
  return allocator.zeros(n);
}

/**
 * A zero-filled buffer as long as `a` and of its element type (float64 for a float64 buffer,
 * else from the float32 allocator), whatever the current dtype.
 */
export function zerosLike(a: Buf): Buf {
  const n = a.length;
  return (a as unknown) instanceof Float64Array ? (new Float64Array(n) as unknown as Buf) : float32Allocator.zeros(n);
}

/** A buffer holding a copy of `values`. */
export function fromArray(values: ArrayLike<number>): Buf {
  const out = zeros(values.length);
  for (let i = 0; i < values.length; i++) out[i] = values[i];
  return out;
}

/** A buffer of the same length as `a`, holding a copy of it. */
export function clone(a: Buf): Buf {
  const out = zeros(a.length);
  out.set(a);
  return out;
}
