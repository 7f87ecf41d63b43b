import { setFloat32Allocator, type Buf } from './alloc.js';
import { setGemm } from './gemm.js';
import { lstmGatesBackwardRef, lstmGatesForwardRef, sigmoidRef, tanhRef } from './ops-wasm-ref.js';
import { add, sumRowsInto } from './ops.js';
import type { Rng } from './rng.js';
import { WasmKernels, type HeapStats, type KernelExports, type WasmKernelsOptions } from './wasm.js';

/**
 * Backend selection for the tensor floor.
 *
 * - `initBackend()` — what applications call once at startup: the WASM SIMD backend unless
 *   `BILSTM_NER_BACKEND=js`; if the kernels cannot load, the JS reference with the reason
 *   recorded in `backendInfo()`. `BILSTM_NER_BACKEND=wasm` makes a load failure an error.
 * - `useWasm()` / `useJs()` — explicit switches (tests, benchmarks).
 *
 * With WASM on, `zeros(n)` (alloc.ts) hands out views into the wasm heap and `gemm` (gemm.ts)
 * runs the SIMD kernel. Layers keep allocating through `zeros` and calling `gemm`; nothing else
 * changes. Memory: long-lived buffers (weights, gradients, optimizer state) and grow-only
 * workspaces reused from step to step (the nn/ Scratch pattern) need no care. A buffer that is
 * dropped goes back to the heap when V8 collects it and the event loop turns — which a
 * synchronous batch loop never lets happen, and V8 does not count wasm memory towards its GC
 * triggers. So per-batch temporaries should be reused, or handed back with `freeBuf`, or the
 * loop should `await reclaimHeap()` now and then. Never build views by hand on `buf.buffer`
 * (the heap cannot see them): use `subarray`, which keeps the block alive.
 *
 * The element-wise kernels below run in WASM when every buffer is in the heap and otherwise
 * fall back to the TypeScript references (ops-wasm-ref.ts), so callers need not check.
 */

export type BackendName = 'js' | 'wasm';

export interface BackendInfo {
  name: BackendName;
  /** Why the JS backend is in use (env var, or the load error). */
  reason?: string;
  /** Milliseconds to read, compile and instantiate the kernel module (WASM only). */
  startupMs?: number;
  /** WASM only: the plain SIMD build, or the relaxed SIMD one (fused multiply-add in gemm). */
  variant?: 'simd' | 'relaxed-simd';
}

let kernels: WasmKernels | null = null;
let active: WasmKernels | null = null;
let info: BackendInfo = { name: 'js', reason: 'not initialised' };

/** The kernel instance (loaded once, kept across useJs/useWasm). */
function load(options?: WasmKernelsOptions): WasmKernels {
  if (kernels === null) kernels = new WasmKernels(options);
  return kernels;
}

/**
 * Installs the WASM SIMD gemm and heap allocator. Synchronous (the module is small; see
 * `backendInfo().startupMs`). Throws if wasm/kernels.wasm is missing or cannot run.
 */
export function useWasm(options?: WasmKernelsOptions): WasmKernels {
  const k = load(options);
  setGemm(k.gemm);
  setFloat32Allocator(k.heap);
  active = k;
  info = { name: 'wasm', startupMs: k.startupMs, variant: k.variant };
  return k;
}

/** Restores the TypeScript reference kernels and plain Float32Array allocation. Heap views stay valid. */
export function useJs(reason = 'selected'): void {
  setGemm(null);
  setFloat32Allocator(null);
  active = null;
  info = { name: 'js', reason };
}

/** Picks the backend from BILSTM_NER_BACKEND (`js` | `wasm` | unset = wasm if it loads). */
export function initBackend(env: string | undefined = process.env.BILSTM_NER_BACKEND): BackendName {
  const want = (env ?? '').trim().toLowerCase();
  if (want === 'js') {
    useJs('BILSTM_NER_BACKEND=js');
    return 'js';
  }
  if (want !== '' && want !== 'wasm') throw new Error(`BILSTM_NER_BACKEND must be "js" or "wasm", not "${env}"`);
  try {
    useWasm();
    return 'wasm';
  } catch (err) {
    if (want === 'wasm') throw err;
    useJs(`wasm unavailable: ${(err as Error).message}`);
    return 'js';
  }
}

export function backendInfo(): BackendInfo {
  return { ...info };
}

/** The backend in a word or two, for logs: "js", "wasm simd", "wasm relaxed-simd". */
export function backendLabel(): string {
  return info.variant ? `${info.name} ${info.variant}` : info.name;
}

/** The active WASM kernels, or null under the JS backend. */
export function activeKernels(): WasmKernels | null {
  return active;
}

/**
 * Hands a buffer from `zeros` back to the wasm heap now (optional; see WasmHeap). A no-op for
 * plain arrays and subarrays. The buffer and its subarrays must not be used afterwards.
 */
export function freeBuf(buf: Buf): void {
  kernels?.heap.free(buf);
}

/**
 * Collects garbage and lets the heap take back the blocks of dropped views; resolves to the
 * bytes reclaimed (0 without WASM). A training loop that drops per-batch buffers should await
 * it every few hundred batches (see WasmHeap.reclaim for why).
 */
export async function reclaimHeap(): Promise<number> {
  return kernels === null ? 0 : kernels.heap.reclaim();
}

/** Heap occupancy, or null if the WASM kernels were never loaded. */
export function heapStats(): HeapStats | null {
  return kernels?.heap.stats() ?? null;
}

function inHeap(k: WasmKernels, ...bufs: Buf[]): boolean {
  for (const b of bufs) if (!k.heap.contains(b)) return false;
  return true;
}

/** out[i] = σ(x[i]) for i < n (WASM SIMD in the heap, else sigmoidRef); out may be x. */
export function sigmoidFast(x: Buf, out: Buf = x, n: number = x.length): void {
  const k = active;
  if (k !== null && inHeap(k, x, out)) k.sigmoid(x, out, n);
  else sigmoidRef(x, out, n);
}

/** out[i] = tanh(x[i]) for i < n (WASM SIMD in the heap, else tanhRef); out may be x. */
export function tanhFast(x: Buf, out: Buf = x, n: number = x.length): void {
  const k = active;
  if (k !== null && inHeap(k, x, out)) k.tanh(x, out, n);
  else tanhRef(x, out, n);
}

function need(name: string, x: { readonly length: number }, n: number): void {
  if (x.length < n) throw new RangeError(`kernel argument ${name} has ${x.length} elements, needs ${n}`);
}

/**
 * Fused LSTM step forward (see lstmGatesForwardRef for the math and gate order [c̃|Γu|Γf|Γo]).
 * z, gates: [B, 4H]; cPrev, c, a: [B, H]. gates may be z; c may be cPrev.
 */
export function lstmGatesForward(B: number, H: number, z: Buf, cPrev: Buf, gates: Buf, c: Buf, a: Buf): void {
  const n = B * H;
  need('z', z, 4 * n); need('gates', gates, 4 * n);
  need('cPrev', cPrev, n); need('c', c, n); need('a', a, n);
  const k = active;
  if (k !== null && inHeap(k, z, cPrev, gates, c, a)) {
    k.exports.lstmForward(B, H, z.byteOffset, cPrev.byteOffset, gates.byteOffset, c.byteOffset, a.byteOffset);
  } else {
    lstmGatesForwardRef(B, H, z, cPrev, gates, c, a);
  }
}

/** The active kernels' exports if every buffer lies in their heap (pointers = byteOffset), else null. */
export function kernelsFor(...bufs: Buf[]): KernelExports | null {
  const k = active;
  return k !== null && inHeap(k, ...bufs) ? k.exports : null;
}

/**
 * Σ x[i]² over [s, e), in double precision: WASM SIMD through `k` (kernels whose memory holds
 * x; default: the active ones if x is in their heap), else a JS loop.
 */
export function sumSquaresRange(x: Buf, s: number, e: number, k: KernelExports | null = kernelsFor(x)): number {
  if (k !== null && e > s) return k.sumSquares(x.byteOffset + 4 * s, e - s);
  let ss = 0;
  for (let i = s; i < e; i++) ss += x[i] * x[i];
  return ss;
}

/** x[i] ← x[i]·c over [s, e) (WASM SIMD as sumSquaresRange, else a JS loop). */
export function scaleRange(x: Buf, s: number, e: number, c: number, k: KernelExports | null = kernelsFor(x)): void {
  if (k !== null && e > s) {
    k.scaleBy(x.byteOffset + 4 * s, e - s, c);
    return;
  }
  for (let i = s; i < e; i++) x[i] *= c;
}

/** Below this many floats zeroRange uses TypedArray fill: a kernel call costs more. */
const ZERO_KERNEL_MIN = 64;

/**
 * x[s, e) ← 0. In the heap, a bulk fill (memset) for ranges of ZERO_KERNEL_MIN floats or more:
 * TypedArray fill on the heap's shared memory stores element by element, ~7× slower (45 µs
 * against 6 for the bench model's 162k dense gradient floats). Elsewhere, TypedArray fill.
 */
export function zeroRange(x: Buf, s = 0, e = x.length): void {
  const k = active;
  if (e - s >= ZERO_KERNEL_MIN && k !== null && k.heap.contains(x)) {
    if (s < 0 || e > x.length) throw new RangeError(`zeroRange: [${s}, ${e}) outside a buffer of ${x.length}`);
    k.exports.zeroFloats(x.byteOffset + 4 * s, e - s);
    return;
  }
  x.fill(0, s, e);
}

/**
 * Rows of a table: ids[0..n) name rows of D floats of x (an embedding's lazily updated rows).
 * One WASM call for all the rows when x is in the heap, each row through the same kernel as a
 * whole range (so the same bits as row-by-row calls of the *Range functions), else JS loops.
 */
export function zeroRows(x: Buf, ids: Int32Array, D: number): void {
  const k = active, n = ids.length;
  if (n === 0 || D <= 0) return;
  if (k !== null && inHeap(k, x)) {
    k.exports.zeroRows(x.byteOffset, k.stageIds(ids, n), n, D);
    return;
  }
  for (let i = 0; i < n; i++) x.fill(0, ids[i] * D, (ids[i] + 1) * D);
}

/** Σ over the rows ids (in order) of Σ x[id, :]², in double precision (see zeroRows). */
export function sumSquaresRows(x: Buf, ids: Int32Array, D: number): number {
  const k = active, n = ids.length;
  if (n === 0 || D <= 0) return 0;
  if (k !== null && inHeap(k, x)) return k.exports.sumSquaresRows(x.byteOffset, k.stageIds(ids, n), n, D);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += sumSquaresRange(x, ids[i] * D, (ids[i] + 1) * D, null);
  return ss;
}

/** x[id, :] ← x[id, :]·c for the rows ids (see zeroRows). */
export function scaleRows(x: Buf, ids: Int32Array, D: number, c: number): void {
  const k = active, n = ids.length;
  if (n === 0 || D <= 0) return;
  if (k !== null && inHeap(k, x)) {
    k.exports.scaleRows(x.byteOffset, k.stageIds(ids, n), n, D, c);
    return;
  }
  for (let i = 0; i < n; i++) scaleRange(x, ids[i] * D, (ids[i] + 1) * D, c, null);
}

/** out[i] = x[i] + y[i] for i < n (WASM SIMD when all three are in the heap, else ops.add); out may be x or y. */
export function addFast(x: Buf, y: Buf, out: Buf, n: number = x.length): void {
  if (n <= 0) return;
  need('x', x, n); need('y', y, n); need('out', out, n);
  const k = active;
  if (k !== null && inHeap(k, x, y, out)) k.exports.addElements(out.byteOffset, x.byteOffset, y.byteOffset, n);
  else add(x, y, out, n);
}

/**
 * dst[dr, 0..cols) = src[sr, 0..cols) for r < rows, with rows ldd (dst) and lds (src) elements
 * apart: dr = sr = r, or with `idx`, dr = idx[r] (side 'dst', a scatter) or sr = idx[r] (side
 * 'src', a gather). Plain moves (the same values on any path); WASM when both are in the heap.
 */
export function copyBlock(dst: Buf, ldd: number, src: Buf, lds: number, rows: number, cols: number,
  idx?: Int32Array, side: 'dst' | 'src' = 'dst'): void {
  if (rows <= 0 || cols <= 0) return;
  if (idx !== undefined && idx.length < rows) throw new RangeError(`copyBlock: ${idx.length} row indices for ${rows} rows`);
  let maxD = rows - 1, maxS = rows - 1;
  if (idx !== undefined) {
    let m = -1;
    for (let r = 0; r < rows; r++) {
      if (idx[r] < 0) throw new RangeError(`copyBlock: negative row index ${idx[r]}`);
      if (idx[r] > m) m = idx[r];
    }
    if (side === 'dst') maxD = m; else maxS = m;
  }
  need('dst', dst, maxD * ldd + cols); need('src', src, maxS * lds + cols);
  const k = active;
  if (k !== null && inHeap(k, dst, src)) {
    const which = idx === undefined ? 0 : side === 'dst' ? 1 : 2;
    k.exports.copyBlock(dst.byteOffset, ldd, src.byteOffset, lds, rows, cols, idx === undefined ? 0 : k.stageIds(idx, rows), which);
    return;
  }
  for (let r = 0; r < rows; r++) {
    const d = (idx !== undefined && side === 'dst' ? idx[r] : r) * ldd, s = (idx !== undefined && side === 'src' ? idx[r] : r) * lds;
    for (let j = 0; j < cols; j++) dst[d + j] = src[s + j];
  }
}

/**
 * A time-major [T·B, W] block: dst row (t, b) = src row (t, b) where t < lengths[b], else 0.
 * With dst = src, zeroes the padding in place. WASM when both are in the heap.
 */
export function maskRowsByLength(dst: Buf, src: Buf, T: number, B: number, W: number, lengths: Int32Array): void {
  if (T <= 0 || B <= 0 || W <= 0) return;
  need('dst', dst, T * B * W); need('src', src, T * B * W); need('lengths', lengths, B);
  const k = active;
  if (k !== null && inHeap(k, dst, src)) {
    k.exports.maskRowsByLength(dst.byteOffset, src.byteOffset, T, B, W, k.stageIds(lengths, B));
    return;
  }
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const o = (t * B + b) * W;
      if (t < lengths[b]) {
        if (dst !== src) for (let j = 0; j < W; j++) dst[o + j] = src[o + j];
      } else dst.fill(0, o, o + W);
    }
  }
}

/**
 * Max-pooling over time of a time-major x [T·B, F] over each sequence's real steps: y [B, F]
 * the max, arg [B, F] the step it came from (a float; the first step on ties), y = 0 and
 * arg = −1 for an empty sequence. WASM when x, y and arg are in the heap.
 */
export function maxPoolTime(x: Buf, T: number, B: number, F: number, lengths: Int32Array, y: Buf, arg: Buf): void {
  if (B <= 0 || F <= 0) return;
  need('y', y, B * F); need('arg', arg, B * F); need('lengths', lengths, B);
  for (let b = 0; b < B; b++) if (lengths[b] > T) throw new RangeError(`maxPoolTime: length ${lengths[b]} > T = ${T}`);
  need('x', x, T * B * F);
  const k = active;
  if (k !== null && inHeap(k, x, y, arg)) {
    k.exports.maxPoolTime(x.byteOffset, T, B, F, k.stageIds(lengths, B), y.byteOffset, arg.byteOffset);
    return;
  }
  for (let b = 0; b < B; b++) {
    const o = b * F;
    if (lengths[b] <= 0) {
      y.fill(0, o, o + F);
      arg.fill(-1, o, o + F);
      continue;
    }
    for (let f = 0; f < F; f++) { y[o + f] = x[b * F + f]; arg[o + f] = 0; }
    for (let t = 1; t < lengths[b]; t++) {
      const xo = (t * B + b) * F;
      for (let f = 0; f < F; f++) if (x[xo + f] > y[o + f]) { y[o + f] = x[xo + f]; arg[o + f] = t; }
    }
  }
}

/** The gradient of maxPoolTime: dx[(arg·B + b)·F + f] += dy[b, f] where arg ≥ 0 (dx [T·B, F]). */
export function maxPoolTimeBackward(dy: Buf, arg: Buf, T: number, B: number, F: number, dx: Buf): void {
  if (B <= 0 || F <= 0) return;
  need('dy', dy, B * F); need('arg', arg, B * F); need('dx', dx, T * B * F);
  for (let i = 0; i < B * F; i++) if (!(arg[i] < T)) throw new RangeError(`maxPoolTimeBackward: step ${arg[i]} outside [0, ${T})`);
  const k = active;
  if (k !== null && inHeap(k, dy, arg, dx)) {
    k.exports.maxPoolTimeBackward(dy.byteOffset, arg.byteOffset, B, F, dx.byteOffset);
    return;
  }
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < F; f++) {
      const t = arg[b * F + f];
      if (t >= 0) dx[(t * B + b) * F + f] += dy[b * F + f];
    }
  }
}

/**
 * dy[i] ← dy[i]·(1 − y[i]²) for i < n: the gradient through y = tanh(x), in place. In double
 * precision, rounded once (WASM f64 lanes when both are in the heap, else the same in JS).
 */
export function tanhBackwardInPlace(dy: Buf, y: Buf, n: number = dy.length): void {
  if (n <= 0) return;
  need('dy', dy, n); need('y', y, n);
  const k = active;
  if (k !== null && inHeap(k, dy, y)) k.exports.tanhBackward(dy.byteOffset, y.byteOffset, n);
  else for (let i = 0; i < n; i++) dy[i] *= 1 - y[i] * y[i];
}

/**
 * The forward time loop of an LSTM layer in one wasm call (see Recurrent.forward for the layout
 * and asm/kernels.ts for the loop). Returns false, having done nothing, under the JS backend or
 * when a buffer lies outside the heap: the caller then runs its own loop.
 */
export function lstmSequenceForward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, s: Buf, cm: Buf,
  y: Buf, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): boolean {
  const k = active;
  if (k === null || !inHeap(k, z, Wa, s, cm, y)) return false;
  need('z', z, T * B * 4 * H); need('s', s, (T + 1) * B * H); need('cm', cm, (T + 1) * B * H);
  if (T > 0 && y.length < (T * B - 1) * ld + H) throw new RangeError(`lstm sequence: y has ${y.length} elements, needs ${(T * B - 1) * ld + H}`);
  k.lstmSequenceForward(T, B, H, reverse, z, Wa, s, cm, y, ld, lo, hi, lengths);
  return true;
}

/**
 * The backward time loop of an LSTM layer in one wasm call (see Recurrent.forward's backward).
 * Returns the state-gradient pair holding the gradient w.r.t. the initial state, or null, having
 * done nothing, under the JS backend or when a buffer lies outside the heap.
 */
export function lstmSequenceBackward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, cm: Buf,
  dy: Buf | null, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array, g: Buf, cur: number): number | null {
  const k = active;
  if (k === null || !inHeap(k, z, Wa, cm, g) || (dy !== null && !k.heap.contains(dy))) return null;
  need('z', z, T * B * 4 * H); need('cm', cm, (T + 1) * B * H); need('g', g, 4 * B * H);
  if (dy !== null && T > 0 && dy.length < (T * B - 1) * ld + H) throw new RangeError(`lstm sequence: dy has ${dy.length} elements, needs ${(T * B - 1) * ld + H}`);
  return k.lstmSequenceBackward(T, B, H, reverse, z, Wa, cm, dy, ld, lo, hi, lengths, g, cur);
}

/**
 * Fused LSTM step backward (see lstmGatesBackwardRef). gates, dz: [B, 4H]; cPrev, c, da, dc,
 * dcPrev: [B, H]. dz may be gates; dcPrev may be dc.
 */
export function lstmGatesBackward(
  B: number, H: number, gates: Buf, cPrev: Buf, c: Buf, da: Buf, dc: Buf, dz: Buf, dcPrev: Buf,
): void {
  const n = B * H;
  need('gates', gates, 4 * n); need('dz', dz, 4 * n);
  need('cPrev', cPrev, n); need('c', c, n); need('da', da, n); need('dc', dc, n); need('dcPrev', dcPrev, n);
  const k = active;
  if (k !== null && inHeap(k, gates, cPrev, c, da, dc, dz, dcPrev)) {
    k.exports.lstmBackward(B, H, gates.byteOffset, cPrev.byteOffset, c.byteOffset, da.byteOffset,
      dc.byteOffset, dz.byteOffset, dcPrev.byteOffset);
  } else {
    lstmGatesBackwardRef(B, H, gates, cPrev, c, da, dc, dz, dcPrev);
  }
}

/** db[j] += Σ_r dy[r, j] over rows × cols (WASM SIMD in the heap, else ops.sumRowsInto). */
export function sumRowsFast(dy: Buf, rows: number, cols: number, db: Buf): void {
  if (rows <= 0 || cols <= 0) return;
  need('dy', dy, rows * cols); need('db', db, cols);
  const k = active;
  if (k !== null && inHeap(k, dy, db)) k.exports.sumRows(dy.byteOffset, rows, cols, db.byteOffset);
  else sumRowsInto(dy, rows, cols, db);
}

/**
 * dst[i, :] = w[ids[i], :] for i < n, rows of D floats (an embedding lookup). The ids must be
 * valid rows of w (the caller checks). WASM in the heap, else a loop.
 */
export function gatherRows(dst: Buf, w: Buf, ids: Int32Array, n: number, D: number): void {
  if (n <= 0 || D <= 0) return;
  need('dst', dst, n * D);
  const k = active;
  if (k !== null && inHeap(k, dst, w)) {
    k.exports.gatherRows(dst.byteOffset, w.byteOffset, k.stageIds(ids, n), n, D);
    return;
  }
  for (let i = 0; i < n; i++) {
    const src = ids[i] * D, o = i * D;
    for (let j = 0; j < D; j++) dst[o + j] = w[src + j];
  }
}

/**
 * g[ids[i], :] += dy[i, :] for i < n in order, skipping ids[i] = skip (an embedding's gradient;
 * skip −1: none). WASM in the heap, else a loop; the same sums in the same order.
 */
export function scatterAddRows(g: Buf, dy: Buf, ids: Int32Array, n: number, D: number, skip: number): void {
  if (n <= 0 || D <= 0) return;
  need('dy', dy, n * D);
  const k = active;
  if (k !== null && inHeap(k, g, dy)) {
    k.exports.scatterAddRows(g.byteOffset, dy.byteOffset, k.stageIds(ids, n), n, D, skip);
    return;
  }
  for (let i = 0; i < n; i++) {
    const id = ids[i];
    if (id === skip) continue;
    const o = id * D, s = i * D;
    for (let j = 0; j < D; j++) g[o + j] += dy[s + j];
  }
}

/**
 * Inverted dropout's forward in WASM: mask[i] = (rng.float() < p ? 0 : keep), y[i] = x[i]·mask[i]
 * for i < n, drawing from `rng` exactly what n calls of rng.float() would (its state moves on
 * likewise). Returns false, having done nothing, under the JS backend or when a buffer lies
 * outside the heap.
 */
export function dropoutForwardFast(x: Buf, y: Buf, mask: Buf, n: number, p: number, keep: number, rng: Rng): boolean {
  const k = active;
  if (k === null || !inHeap(k, x, y, mask)) return false;
  need('x', x, n); need('y', y, n); need('mask', mask, n);
  const w = k.rngWords();
  rng.copyWordsTo(w);
  k.exports.dropoutForward(x.byteOffset, y.byteOffset, mask.byteOffset, n, p, keep, w.byteOffset);
  rng.setWords(w);
  return true;
}

/**
 * out[r, :] = x[r, :]·m for r < rows, rows of `cols` (m [cols] applied to every row: a
 * variational dropout mask over the time steps). WASM SIMD in the heap, else a loop.
 */
export function mulRowsFast(x: Buf, m: Buf, out: Buf, rows: number, cols: number): void {
  const n = rows * cols;
  need('x', x, n); need('m', m, cols); need('out', out, n);
  const k = active;
  if (k !== null && inHeap(k, x, m, out)) {
    for (let r = 0, o = 0; r < rows; r++, o += 4 * cols) k.exports.mulElements(out.byteOffset + o, x.byteOffset + o, m.byteOffset, cols);
    return;
  }
  for (let r = 0, o = 0; r < rows; r++, o += cols) for (let j = 0; j < cols; j++) out[o + j] = x[o + j] * m[j];
}

/** out[i] = a[i]·b[i] for i < n (WASM SIMD in the heap, else a loop). */
export function mulFast(a: Buf, b: Buf, out: Buf, n: number): void {
  need('a', a, n); need('b', b, n); need('out', out, n);
  const k = active;
  if (k !== null && inHeap(k, a, b, out)) k.exports.mulElements(out.byteOffset, a.byteOffset, b.byteOffset, n);
  else for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}
