import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Allocator, Buf } from './alloc.js';
import { gemmRef, type GemmFn } from './gemm.js';
import { packageRoot } from '../util/package.js';

/**
 * The WASM SIMD kernels (asm/kernels.ts → wasm/kernels.wasm) and the heap they work on.
 *
 * Memory: one shared WebAssembly.Memory (max 65536 pages = 4 GiB). Growing a shared memory
 * never detaches existing views, so a Float32Array handed out by the heap stays valid for the
 * life of the process; and worker threads can instantiate the same module on the same memory.
 *
 * Heap: a JS-side allocator (`WasmHeap`) hands out 16-byte aligned, zero-filled views
 * (`HeapBuf`). Layers mostly allocate once and reuse; a block also comes back with
 * `heap.free(view)`, or after its views are garbage collected (FinalizationRegistry), which
 * only happens when the event loop turns — `heap.reclaim()` forces it. See `WasmHeap`.
 *
 * The kernels only run on views inside the heap; anything else (a plain Float32Array, or
 * float64 mode) goes to the TypeScript reference (or, for gemm, is copied in).
 */

/** The raw exports of wasm/kernels.wasm; pointers are byte offsets into the memory. */
export interface KernelExports {
  gemmScratchBytes(): number;
  gemm(
    transA: number, transB: number, M: number, N: number, K: number,
    alpha: number, A: number, lda: number, B: number, ldb: number,
    beta: number, C: number, ldc: number, scratch: number,
  ): void;
  sigmoid(x: number, out: number, n: number): void;
  tanh(x: number, out: number, n: number): void;
  lstmForward(B: number, H: number, z: number, cPrev: number, gates: number, c: number, a: number): void;
  lstmBackward(
    B: number, H: number, gates: number, cPrev: number, c: number,
    da: number, dc: number, dz: number, dcPrev: number,
  ): void;
  lstmSequenceForward(
    T: number, B: number, H: number, reverse: number, z: number, Wa: number, s: number, cm: number,
    y: number, ld: number, meta: number, scratch: number,
  ): void;
  adamUpdate(w: number, g: number, m: number, v: number, n: number,
    lr: number, b1: number, b2: number, c1: number, c2: number, eps: number, bc1: number, bc2: number, decay: number): void;
  sumSquares(g: number, n: number): number;
  scaleBy(g: number, n: number, c: number): void;
  copyRows(dst: number, ptrs: number, n: number, rowFloats: number): void;
  addInto(dst: number, src: number, n: number): void;
  lstmSequenceBackward(
    T: number, B: number, H: number, reverse: number, z: number, Wa: number, cm: number, dy: number, ld: number,
    meta: number, g: number, cur: number, scratch: number,
  ): number;
  sumRows(dy: number, rows: number, cols: number, db: number): void;
  dropoutForward(x: number, y: number, mask: number, n: number, p: number, keep: number, state: number): void;
  mulElements(out: number, a: number, b: number, n: number): void;
  gatherRows(dst: number, w: number, ids: number, n: number, D: number): void;
  scatterAddRows(g: number, dy: number, ids: number, n: number, D: number, skip: number): void;
  zeroRows(g: number, ids: number, n: number, D: number): void;
  zeroFloats(x: number, n: number): void;
  sumSquaresRows(g: number, ids: number, n: number, D: number): number;
  scaleRows(g: number, ids: number, n: number, D: number, c: number): void;
  adamRows(w: number, g: number, m: number, v: number, ids: number, n: number, D: number,
    lr: number, b1: number, b2: number, c1: number, c2: number, eps: number, bc1: number, bc2: number, decay: number): void;
  addElements(out: number, a: number, b: number, n: number): void;
  copyBlock(dst: number, ldd: number, src: number, lds: number, rows: number, cols: number, idx: number, which: number): void;
  maskRowsByLength(dst: number, src: number, T: number, B: number, W: number, lengths: number): void;
  maxPoolTime(x: number, T: number, B: number, F: number, lengths: number, y: number, arg: number): void;
  maxPoolTimeBackward(dy: number, arg: number, B: number, F: number, dx: number): void;
  tanhBackward(dy: number, y: number, n: number): void;
}

// The project compiles without the DOM lib, which is where TypeScript declares WebAssembly;
// the few members used here are typed locally instead of declaring a global.
export interface WasmMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}
export type WasmModule = object;
interface WasmApi {
  Memory: new (d: { initial: number; maximum: number; shared: boolean }) => WasmMemory;
  Module: new (bytes: Uint8Array) => WasmModule;
  Instance: new (m: WasmModule, imports: object) => { exports: object };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const PAGE = 65536;
const MAX_PAGES = 65536;
const ALIGN = 16;

/**
 * The smallest module that uses a relaxed SIMD instruction: (func (param v128 v128 v128)
 * (result v128) local.get 0 local.get 1 local.get 2 f32x4.relaxed_madd).
 */
const RELAXED_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 8, 1, 96, 3, 123, 123, 123, 1, 123, 3, 2, 1, 0,
  10, 13, 1, 11, 0, 32, 0, 32, 1, 32, 2, 253, 133, 2, 11,
]);

let relaxed: boolean | null = null;

/**
 * Whether the engine runs relaxed SIMD, where the gemm kernels use fused multiply-add
 * (wasm/kernels-relaxed.wasm, 1.2–1.5× the plain SIMD build on an AVX2/FMA CPU). Node ≥ 22 has it
 * on; Node 20's V8 has it behind --experimental-wasm-relaxed-simd, which is switched on here
 * when needed (a wasm feature flag, consulted when a module is compiled). BILSTM_NER_RELAXED_SIMD=0
 * keeps the plain SIMD build.
 */
export function relaxedSimdAvailable(env: string | undefined = process.env.BILSTM_NER_RELAXED_SIMD): boolean {
  if (env === '0') return false;
  if (relaxed === null) {
    const validate = (globalThis as unknown as { WebAssembly: { validate(b: Uint8Array): boolean } }).WebAssembly.validate;
    relaxed = validate(RELAXED_PROBE);
    if (!relaxed) {
      try {
        setFlagsFromString('--experimental-wasm-relaxed-simd');
        relaxed = validate(RELAXED_PROBE);
      } catch {
        relaxed = false;
      }
    }
  }
  return relaxed;
}

/**
 * Path of the kernel module: wasm/kernels-relaxed.wasm where relaxed SIMD runs (and the file
 * was built), else wasm/kernels.wasm. Walks up from this module's file to the package root (the
 * first directory whose package.json is this package), so it works from src/ (vitest), dist/
 * and an installed node_modules/bilstm-ner.
 */
export function kernelsWasmPath(from: string = import.meta.url, useRelaxed: boolean = relaxedSimdAvailable()): string {
  const dir = join(packageRoot(from), 'wasm');
  const fused = join(dir, 'kernels-relaxed.wasm');
  return useRelaxed && existsSync(fused) ? fused : join(dir, 'kernels.wasm');
}

/**
 * A heap-backed view. Subarrays of a HeapBuf are HeapBufs that hold a reference to the root
 * view, so the block is not reclaimed while any view onto it is reachable.
 */
export class HeapBuf extends Float32Array {
  /** The root view that owns the heap block (null on the root itself). */
  owner: HeapBuf | null = null;

  override subarray(begin?: number, end?: number): HeapBuf {
    const s = super.subarray(begin, end) as HeapBuf;
    s.owner = this.owner ?? this;
    return s;
  }
}

let gcFn: (() => void) | null = null;

/** A full V8 collection: `global.gc` if exposed, else one obtained through --expose-gc at run time. */
function fullGc(): void {
  if (gcFn === null) {
    const g = (globalThis as { gc?: () => void }).gc;
    if (typeof g === 'function') gcFn = g;
    else {
      setFlagsFromString('--expose-gc');
      gcFn = runInNewContext('gc') as () => void;
    }
  }
  gcFn();
}

/** Byte size of the block class that serves a request of `bytes` (≤ 12.5 % waste above 4 KiB). */
function classBytes(bytes: number): number {
  if (bytes <= 4096) return Math.max(ALIGN, Math.ceil(bytes / ALIGN) * ALIGN);
  const step = 2 ** Math.floor(Math.log2(bytes)) / 8;
  return Math.ceil(bytes / step) * step;
}

export interface HeapStats {
  /** Bytes of linear memory (committed pages). */
  capacity: number;
  /** Bytes in blocks currently handed out (class-rounded). */
  live: number;
  /** Bytes in blocks on the free lists, ready for reuse. */
  free: number;
  /** Highest address handed out so far. */
  top: number;
  /** Blocks handed out / returned over the heap's life. */
  allocs: number;
  frees: number;
}

/**
 * Allocator over a shared WebAssembly.Memory.
 *
 * Design: segregated free lists keyed by block class (16-byte classes up to 4 KiB, then 8
 * classes per power of two), a bump pointer for fresh memory, and growth of the memory when
 * the bump pointer runs out. No splitting or coalescing: layers allocate the same few shapes
 * over and over (parameters once; activations and gradients per batch, with sizes that repeat),
 * so exact-class reuse keeps fragmentation low and allocation O(1).
 *
 * Reclaiming, three ways:
 * - reuse (the main one): layers allocate weights, gradients and grow-only workspaces once and
 *   reuse them every step, so a training run reaches a steady state after a few batches;
 * - `free(view)`: the block is back at once (for per-batch temporaries);
 * - a FinalizationRegistry: when a root view and all its subarrays are collected, the block
 *   goes back to its free list — but only when the event loop turns (never inside one
 *   synchronous loop, such as a training epoch), and V8 starts collections from JS heap
 *   pressure, not ours. `reclaim()` forces a collection and yields so the finalizers run.
 *
 * Limits (documented, not enforced):
 * - buffers dropped in a synchronous loop stay allocated until the loop yields and a GC runs
 *   (or `reclaim()`); a loop that drops large buffers every step grows the memory meanwhile;
 * - a view made by hand on the memory (`new Float32Array(view.buffer, …)`) does not keep its
 *   block alive; use `subarray`;
 * - memory never shrinks (wasm memories cannot), and blocks of one class are not reused for
 *   another class;
 * - allocation happens on the thread that owns the heap; workers get views or offsets.
 */
export class WasmHeap implements Allocator {
  readonly memory: WasmMemory;
  private sab: ArrayBufferLike;
  /** Earlier buffer objects of the memory (growth creates a new one; old views keep theirs). */
  private readonly older: ArrayBufferLike[] = [];
  private topOffset: number;
  private readonly freeLists = new Map<number, number[]>();
  /** Byte offset → class size of every block handed out. */
  private readonly liveBlocks = new Map<number, number>();
  private liveBytes = 0;
  private freeBytes = 0;
  private allocCount = 0;
  private freeCount = 0;
  private readonly registry = new FinalizationRegistry<number>((offset) => this.release(offset));

  constructor(initialPages = 256) {
    this.memory = new WA.Memory({ initial: initialPages, maximum: MAX_PAGES, shared: true });
    this.sab = this.memory.buffer;
    // Offset 0 stays unused so that no valid block has a null pointer.
    this.topOffset = 1024;
  }

  /**
   * Zeroes `n` floats at byte offset `ptr` (the kernels' bulk fill, once they are instantiated on
   * this memory; TypedArray fill on a shared memory stores element by element, ~7× slower).
   */
  zeroFill: ((ptr: number, n: number) => void) | null = null;

  /** A zero-filled view of n floats, 16-byte aligned, in the heap. */
  zeros(n: number): Buf {
    const v = this.allocate(n);
    if (v.fresh) return v.view;
    if (this.zeroFill !== null && n > 0) {
      this.zeroFill(v.view.byteOffset, n);
      return v.view;
    }
    return v.view.fill(0);
  }

  /** Like zeros, but the contents are unspecified (for scratch that is written before read). */
  uninit(n: number): HeapBuf {
    return this.allocate(n).view;
  }

  /**
   * Returns the block of a root view to the heap now. The view and all its subarrays must not
   * be used afterwards. Views not from this heap are ignored (so callers can free any Buf).
   */
  free(view: Buf): void {
    if (!(view instanceof HeapBuf) || view.owner !== null || !this.contains(view)) return;
    if (this.liveBlocks.get(view.byteOffset) === undefined) return;
    this.registry.unregister(view);
    this.release(view.byteOffset);
  }

  /**
   * Runs a full garbage collection and lets the finalizers of collected views run, so their
   * blocks return to the free lists; resolves to the bytes reclaimed. For long synchronous
   * loops (a training epoch): finalizers only run when the event loop turns, and V8 does not
   * count wasm memory towards its GC heuristics, so dropped views may otherwise wait long.
   * Costs a full GC (milliseconds): call it every few hundred batches or between epochs.
   */
  async reclaim(): Promise<number> {
    const before = this.freeBytes;
    fullGc();
    for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setTimeout(resolve, 0));
    return this.freeBytes - before;
  }

  /** Whether `x` is a float32 view into this heap's memory. */
  contains(x: ArrayBufferView): boolean {
    if ((x as Float32Array).BYTES_PER_ELEMENT !== 4) return false;
    const b = x.buffer;
    if (b === this.sab) return true;
    for (const o of this.older) if (o === b) return true;
    return false;
  }

  stats(): HeapStats {
    return {
      capacity: this.memory.buffer.byteLength,
      live: this.liveBytes,
      free: this.freeBytes,
      top: this.topOffset,
      allocs: this.allocCount,
      frees: this.freeCount,
    };
  }

  private allocate(n: number): { view: HeapBuf; fresh: boolean } {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`zeros: bad length ${n}`);
    const size = classBytes(n * 4);
    const list = this.freeLists.get(size);
    let offset: number;
    let fresh: boolean;
    if (list !== undefined && list.length > 0) {
      offset = list.pop()!;
      this.freeBytes -= size;
      fresh = false;
    } else {
      offset = this.topOffset;
      this.ensure(offset + size);
      this.topOffset = offset + size;
      fresh = true; // never handed out before: still zero from the memory's creation/growth
    }
    this.liveBlocks.set(offset, size);
    this.liveBytes += size;
    this.allocCount++;
    const view = new HeapBuf(this.sab as ArrayBuffer, offset, n);
    this.registry.register(view, offset, view);
    return { view, fresh };
  }

  private release(offset: number): void {
    const size = this.liveBlocks.get(offset);
    if (size === undefined) return;
    this.liveBlocks.delete(offset);
    this.liveBytes -= size;
    this.freeBytes += size;
    this.freeCount++;
    let list = this.freeLists.get(size);
    if (list === undefined) this.freeLists.set(size, (list = []));
    list.push(offset);
  }

  /** Grows the memory so that byte `end` is addressable; refreshes the current buffer object. */
  private ensure(end: number): void {
    if (end <= this.sab.byteLength) return;
    const current = this.memory.buffer; // another thread may have grown it already
    if (end > current.byteLength) {
      const pages = current.byteLength / PAGE;
      const needed = Math.ceil((end - current.byteLength) / PAGE);
      // Grow geometrically (≥ 25 %, ≥ 16 MiB) so that a long run grows O(log n) times.
      const want = Math.min(MAX_PAGES - pages, Math.max(needed, Math.ceil(pages / 4), 256));
      if (needed > MAX_PAGES - pages) {
        throw new RangeError(
          `wasm heap exhausted: ${end} bytes requested, the limit is 4 GiB (${this.liveBytes} bytes live). ` +
            'Buffers dropped inside a long synchronous loop are reclaimed only after a GC and a turn of the ' +
            'event loop: reuse buffers, free them (freeBuf), or await reclaimHeap() between batches.',
        );
      }
      this.memory.grow(want);
    }
    if (this.sab !== this.memory.buffer) {
      this.older.push(this.sab);
      this.sab = this.memory.buffer;
    }
  }
}

/** Elements spanned by a row-major operand [rows, cols] with leading dimension ld. */
function extent(rows: number, cols: number, ld: number): number {
  return rows === 0 || cols === 0 ? 0 : (rows - 1) * ld + cols;
}

const roundUp4 = (n: number): number => (n + 3) & ~3;

/** Extent check of a row-major operand [rows, cols] with leading dimension ld. */
function checkOperand(name: string, x: Buf, rows: number, cols: number, ld: number): void {
  if (rows === 0 || cols === 0) return;
  if (ld < cols || (rows - 1) * ld + cols > x.length) {
    throw new RangeError(`gemm: ${name} [${rows}, ${cols}] with leading dimension ${ld} does not fit a view of ${x.length}`);
  }
}

// Crossovers measured on the bench machine (µs per call): below TINY_MACS multiply-adds the
// wasm call costs more than the JS loops; for operands outside the heap, copying them in pays
// from COPY_MIN_MACS on (8³: gemmRef 1.2 µs, copy-in + wasm ≈ 0.9 µs; 16³: 8.3 µs vs 1.1 µs).
export const TINY_MACS = 64;
const COPY_MIN_MACS = 256;

export interface WasmKernelsOptions {
  /** Initial size of the heap in 64 KiB pages (default 256 = 16 MiB); it grows as needed. */
  initialPages?: number;
  /** Bytes of a kernel module (default: read from the package). */
  bytes?: Uint8Array;
  /**
   * Use the relaxed SIMD build (default: where the engine runs it, see relaxedSimdAvailable);
   * with `bytes`, says which build they are.
   */
  relaxed?: boolean;
}

/** One instance of the kernel module on its heap. */
export class WasmKernels {
  readonly heap: WasmHeap;
  readonly module: WasmModule;
  readonly exports: KernelExports;
  /** Milliseconds spent reading, compiling and instantiating the module. */
  readonly startupMs: number;
  /** Which build runs: 'simd', or 'relaxed-simd' (fused multiply-add in gemm). */
  readonly variant: 'simd' | 'relaxed-simd';
  /** The gemm scratch area; held here so that it is never collected. */
  private readonly scratchView: HeapBuf;
  /** Its byte offset, for kernel calls made on this thread outside this class (tensor/remote.ts). */
  readonly scratch: number;

  constructor(options: WasmKernelsOptions = {}) {
    const t0 = performance.now();
    const file = kernelsWasmPath(undefined, options.relaxed ?? relaxedSimdAvailable());
    const bytes = options.bytes ?? readFileSync(file);
    this.variant = options.bytes ? (options.relaxed ? 'relaxed-simd' : 'simd') : file.endsWith('kernels-relaxed.wasm') ? 'relaxed-simd' : 'simd';
    this.heap = new WasmHeap(options.initialPages);
    this.module = new WA.Module(bytes);
    const instance = new WA.Instance(this.module, { env: { memory: this.heap.memory } });
    this.exports = instance.exports as unknown as KernelExports;
    this.heap.zeroFill = this.exports.zeroFloats ?? null;
    this.scratchView = this.heap.uninit(this.exports.gemmScratchBytes() / 4);
    this.scratch = this.scratchView.byteOffset;
    this.startupMs = performance.now() - t0;
  }

  private meta: HeapBuf | null = null;

  /**
   * The kernels instantiated on another thread's memory (a worker working on the main thread's
   * parameters in place): pointers are then offsets into that memory. Scratch-free exports only
   * (the optimizer passes): this heap's scratch area is not in that memory.
   */
  instanceOn(memory: WasmMemory): KernelExports {
    return new WA.Instance(this.module, { env: { memory } }).exports as unknown as KernelExports;
  }

  /**
   * The LSTM forward time loop in one call (asm/kernels.ts lstmSequenceForward): z [T·B, 4H],
   * Wa [H, 4H], s and cm [(T+1)·B, H], y [T·B, ld] must be in this heap; lo, hi [T] and
   * lengths [B] are copied in.
   */
  lstmSequenceForward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, s: Buf, cm: Buf,
    y: Buf, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): void {
    const m = this.stepMeta(T, B, lo, hi, lengths);
    this.exports.lstmSequenceForward(T, B, H, reverse ? 1 : 0, z.byteOffset, Wa.byteOffset, s.byteOffset, cm.byteOffset,
      y.byteOffset, ld, m.byteOffset, this.scratch);
  }

  /**
   * The LSTM backward time loop in one call (asm/kernels.ts lstmSequenceBackward): z [T·B, 4H]
   * (gates in, gate gradients out), Wa [H, 4H], cm [(T+1)·B, H], dy [T·B, ld] (or null), g the
   * four [B, H] state-gradient buffers back to back, `cur` the pair holding the gradient after
   * the last step. Returns the pair holding the gradient w.r.t. the initial state.
   */
  lstmSequenceBackward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, cm: Buf, dy: Buf | null,
    ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array, g: Buf, cur: number): number {
    const m = this.stepMeta(T, B, lo, hi, lengths);
    return this.exports.lstmSequenceBackward(T, B, H, reverse ? 1 : 0, z.byteOffset, Wa.byteOffset, cm.byteOffset,
      dy === null ? 0 : dy.byteOffset, ld, m.byteOffset, g.byteOffset, cur, this.scratch);
  }

  private wordBlock: HeapBuf | null = null;
  private wordView: Uint32Array | null = null;

  /** A heap block of 4 u32 words (an Rng's state for a kernel), the same one every call. */
  rngWords(): Uint32Array {
    if (this.wordView === null) {
      this.wordBlock = this.heap.uninit(4);
      this.wordView = new Uint32Array(this.wordBlock.buffer, this.wordBlock.byteOffset, 4); // kept alive by wordBlock
    }
    return this.wordView;
  }

  private idBlock: HeapBuf | null = null;
  private idView: Int32Array = new Int32Array(0);

  /** ids[0..n) copied into a heap block as i32 (reused; valid until the next call); its byte offset. */
  stageIds(ids: Int32Array, n: number): number {
    if (this.idView.length < n) {
      if (this.idBlock !== null) this.heap.free(this.idBlock);
      this.idBlock = this.heap.uninit(Math.max(n, 2 * this.idView.length, 1024));
      this.idView = new Int32Array(this.idBlock.buffer, this.idBlock.byteOffset, this.idBlock.length); // kept alive by idBlock
    }
    this.idView.set(n === ids.length ? ids : ids.subarray(0, n));
    return this.idBlock!.byteOffset;
  }

  /** lo[0..T), hi[0..T), lengths[0..B) as floats in a heap block (the sequence kernels' meta). */
  private stepMeta(T: number, B: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): HeapBuf {
    const n = 2 * T + B;
    if (this.meta === null || this.meta.length < n) this.meta = this.heap.uninit(Math.max(n, 256));
    const m = this.meta;
    for (let t = 0; t < T; t++) { m[t] = lo[t]; m[T + t] = hi[t]; }
    for (let b = 0; b < B; b++) m[2 * T + b] = lengths[b];
    return m;
  }

  /** gemm with the contract of gemmRef (see gemm.ts), on any Buf. */
  readonly gemm: GemmFn = (transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc) => {
    if (M <= 0 || N <= 0) return;
    checkOperand('A', A, transA ? K : M, transA ? M : K, lda);
    checkOperand('B', B, transB ? N : K, transB ? K : N, ldb);
    checkOperand('C', C, M, N, ldc);
    const heap = this.heap;
    const macs = M * N * K;
    if (macs < TINY_MACS) {
      gemmRef(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
      return;
    }
    if (heap.contains(A) && heap.contains(B) && heap.contains(C)) {
      this.exports.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, A.byteOffset, lda,
        B.byteOffset, ldb, beta, C.byteOffset, ldc, this.scratch);
      return;
    }
    if (A.BYTES_PER_ELEMENT !== 4 || B.BYTES_PER_ELEMENT !== 4 || C.BYTES_PER_ELEMENT !== 4 || macs < COPY_MIN_MACS) {
      gemmRef(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
      return;
    }
    // Operands outside the heap: copy them into the staging area (O(MK + KN + MN), far cheaper
    // than the JS loops), run, copy C back.
    const eA = heap.contains(A) ? 0 : extent(transA ? K : M, transA ? M : K, lda);
    const eB = heap.contains(B) ? 0 : extent(transB ? N : K, transB ? K : N, ldb);
    const eC = heap.contains(C) ? 0 : extent(M, N, ldc);
    const oB = roundUp4(eA), oC = oB + roundUp4(eB);
    const stage = this.staging(oC + eC);
    const a = eA > 0 ? stage.subarray(0, eA) : A;
    const b = eB > 0 ? stage.subarray(oB, oB + eB) : B;
    const c = eC > 0 ? stage.subarray(oC, oC + eC) : C;
    if (eA > 0) a.set(A.subarray(0, eA));
    if (eB > 0) b.set(B.subarray(0, eB));
    if (eC > 0) c.set(C.subarray(0, eC));
    this.exports.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, a.byteOffset, lda,
      b.byteOffset, ldb, beta, c.byteOffset, ldc, this.scratch);
    if (eC > 0) C.set(c);
  };

  private stage: HeapBuf | null = null;

  /** A reusable heap area of at least n floats for copied-in operands (grows, never shrinks). */
  private staging(n: number): HeapBuf {
    if (this.stage === null || this.stage.length < n) {
      if (this.stage !== null) this.heap.free(this.stage);
      this.stage = this.heap.uninit(Math.max(n, 2 * (this.stage?.length ?? 0), 4096));
    }
    return this.stage;
  }

  /**
   * The WASM kernel itself, whatever the size (gemm picks it or the reference); all three
   * operands must be heap views.
   */
  gemmWasm(
    transA: boolean, transB: boolean, M: number, N: number, K: number,
    alpha: number, A: Buf, lda: number, B: Buf, ldb: number, beta: number, C: Buf, ldc: number,
  ): void {
    if (M <= 0 || N <= 0) return;
    checkOperand('A', A, transA ? K : M, transA ? M : K, lda);
    checkOperand('B', B, transB ? N : K, transB ? K : N, ldb);
    checkOperand('C', C, M, N, ldc);
    if (!this.heap.contains(A) || !this.heap.contains(B) || !this.heap.contains(C)) {
      throw new TypeError('gemmWasm: operands must be in the wasm heap');
    }
    this.exports.gemm(transA ? 1 : 0, transB ? 1 : 0, M, N, K, alpha, A.byteOffset, lda,
      B.byteOffset, ldb, beta, C.byteOffset, ldc, this.scratch);
  }

  /** out[i] = σ(x[i]) for i < n; both views in the heap. */
  sigmoid(x: Buf, out: Buf, n: number): void {
    this.checkElementwise(x, out, n);
    this.exports.sigmoid(x.byteOffset, out.byteOffset, n);
  }

  /** out[i] = tanh(x[i]) for i < n; both views in the heap. */
  tanh(x: Buf, out: Buf, n: number): void {
    this.checkElementwise(x, out, n);
    this.exports.tanh(x.byteOffset, out.byteOffset, n);
  }

  private checkElementwise(x: Buf, out: Buf, n: number): void {
    if (n > x.length || n > out.length) throw new RangeError(`activation: n = ${n} exceeds a view`);
    if (!this.heap.contains(x) || !this.heap.contains(out)) throw new TypeError('activation: views must be in the wasm heap');
  }
}
