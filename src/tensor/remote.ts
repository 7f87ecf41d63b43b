import type { Buf } from './alloc.js';
import { gemm, gemmRef } from './gemm.js';
import { fillRows } from './ops.js';
import { activeKernels, lstmSequenceBackward, lstmSequenceForward, sumRowsFast } from './backend.js';
import { TINY_MACS, type KernelExports, type WasmMemory } from './wasm.js';
import type { HeapBuf } from './wasm.js';

/**
 * The kernel calls of a recurrent layer's fused (one-call) LSTM path, as an interface, so that
 * they can run here (`LOCAL_EXEC`, the tensor functions themselves) or be recorded on this
 * thread and run by another thread on the same WASM memory (`KernelRecorder` → `runKernelOps`).
 * Recording allows the two directions of a bidirectional LSTM to run on two threads at once
 * (`runPairOps`): the same kernels on the same buffers, so the same bits.
 *
 * The recorded program keeps the order of the calls; anything else the layer does between them
 * on this thread (zero-filling a state block, writing cached projections) must not touch a buffer
 * an earlier recorded call writes, since it happens before the program runs.
 */
export interface KernelExec {
  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, A: Buf, lda: number,
    B: Buf, ldb: number, beta: number, C: Buf, ldc: number): void;
  fillRows(x: Buf, b: Buf, rows: number, cols: number): void;
  sumRowsInto(dy: Buf, rows: number, cols: number, db: Buf): void;
  /** As backend.lstmSequenceForward: false (nothing done) when the one-call loop cannot run. */
  lstmSequenceForward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, s: Buf, cm: Buf,
    y: Buf, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): boolean;
  /** As backend.lstmSequenceBackward: the pair holding the initial state's gradient, or null. */
  lstmSequenceBackward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, cm: Buf,
    dy: Buf | null, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array, g: Buf, cur: number): number | null;
}

/** The calls run here and now. */
export const LOCAL_EXEC: KernelExec = { gemm, fillRows, sumRowsInto: sumRowsFast, lstmSequenceForward, lstmSequenceBackward };

/** A float32 region of the shared memory: byte offset and element count. */
type Region = [ptr: number, n: number];

/** One recorded call (plain data: it crosses threads by postMessage). */
export type KernelOp =
  | { k: 'gemm'; ta: number; tb: number; M: number; N: number; K: number; alpha: number; A: Region; lda: number;
    B: Region; ldb: number; beta: number; C: Region; ldc: number }
  | { k: 'fillRows'; x: Region; b: Region; rows: number; cols: number }
  | { k: 'sumRows'; dy: Region; rows: number; cols: number; db: Region }
  | { k: 'lstmF'; T: number; B: number; H: number; reverse: number; z: number; Wa: number; s: number; cm: number;
    y: number; ld: number; meta: number }
  | { k: 'lstmB'; T: number; B: number; H: number; reverse: number; z: number; Wa: number; cm: number; dy: number;
    ld: number; meta: number; g: number; cur: number };

/**
 * Records the calls for another thread instead of running them. Every buffer must lie in the
 * active WASM heap (throws otherwise: the caller checks `canRecord` first). The step tables of
 * the LSTM loops (lo, hi, lengths) are written now into blocks of this heap that the recorder
 * owns, one per loop call of a program, so they cannot clash with this thread's own calls.
 */
export class KernelRecorder implements KernelExec {
  ops: KernelOp[] = [];
  private readonly metas: HeapBuf[] = [];
  private metaUsed = 0;

  /** Whether the calls on these buffers can be recorded (WASM on, all in its heap). */
  static canRecord(...bufs: Buf[]): boolean {
    const k = activeKernels();
    return k !== null && bufs.every((b) => k.heap.contains(b));
  }

  /** Takes the recorded program and starts an empty one. */
  take(): KernelOp[] {
    const ops = this.ops;
    this.ops = [];
    this.metaUsed = 0;
    return ops;
  }

  private region(name: string, x: Buf, n: number): Region {
    if (!KernelRecorder.canRecord(x)) throw new TypeError(`KernelRecorder: ${name} is not in the wasm heap`);
    if (n > x.length) throw new RangeError(`KernelRecorder: ${name} has ${x.length} elements, needs ${n}`);
    return [x.byteOffset, x.length];
  }

  private ptr(name: string, x: Buf): number {
    return this.region(name, x, 0)[0];
  }

  gemm(transA: boolean, transB: boolean, M: number, N: number, K: number, alpha: number, A: Buf, lda: number,
    B: Buf, ldb: number, beta: number, C: Buf, ldc: number): void {
    if (M <= 0 || N <= 0) return;
    this.ops.push({
      k: 'gemm', ta: transA ? 1 : 0, tb: transB ? 1 : 0, M, N, K, alpha,
      A: this.region('A', A, 0), lda, B: this.region('B', B, 0), ldb, beta, C: this.region('C', C, 0), ldc,
    });
  }

  fillRows(x: Buf, b: Buf, rows: number, cols: number): void {
    this.ops.push({ k: 'fillRows', x: this.region('x', x, rows * cols), b: this.region('b', b, cols), rows, cols });
  }

  sumRowsInto(dy: Buf, rows: number, cols: number, db: Buf): void {
    this.ops.push({ k: 'sumRows', dy: this.region('dy', dy, rows * cols), rows, cols, db: this.region('db', db, cols) });
  }

  lstmSequenceForward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, s: Buf, cm: Buf,
    y: Buf, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): boolean {
    this.region('z', z, T * B * 4 * H); this.region('s', s, (T + 1) * B * H); this.region('cm', cm, (T + 1) * B * H);
    this.ops.push({
      k: 'lstmF', T, B, H, reverse: reverse ? 1 : 0, z: z.byteOffset, Wa: this.ptr('Wa', Wa), s: s.byteOffset,
      cm: cm.byteOffset, y: this.ptr('y', y), ld, meta: this.meta(T, B, lo, hi, lengths),
    });
    return true;
  }

  lstmSequenceBackward(T: number, B: number, H: number, reverse: boolean, z: Buf, Wa: Buf, cm: Buf,
    dy: Buf | null, ld: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array, g: Buf, cur: number): number | null {
    this.region('z', z, T * B * 4 * H); this.region('cm', cm, (T + 1) * B * H); this.region('g', g, 4 * B * H);
    this.ops.push({
      k: 'lstmB', T, B, H, reverse: reverse ? 1 : 0, z: z.byteOffset, Wa: this.ptr('Wa', Wa), cm: cm.byteOffset,
      dy: dy === null ? 0 : this.ptr('dy', dy), ld, meta: this.meta(T, B, lo, hi, lengths), g: g.byteOffset, cur,
    });
    // The kernel swaps its pair of state-gradient buffers once per step.
    return (T & 1) === 0 ? cur : 1 - cur;
  }

  /** lo[0..T), hi[0..T), lengths[0..B) as floats (the layout of WasmKernels.stepMeta). */
  private meta(T: number, B: number, lo: Int32Array, hi: Int32Array, lengths: Int32Array): number {
    const n = 2 * T + B;
    const i = this.metaUsed++;
    if (i >= this.metas.length || this.metas[i].length < n) {
      const k = activeKernels();
      if (k === null) throw new Error('KernelRecorder: the WASM backend is off');
      this.metas[i] = k.heap.uninit(Math.max(n, 256));
    }
    const m = this.metas[i];
    for (let t = 0; t < T; t++) { m[t] = lo[t]; m[T + t] = hi[t]; }
    for (let b = 0; b < B; b++) m[2 * T + b] = lengths[b];
    return m.byteOffset;
  }
}

/**
 * Runs a recorded program on `memory` (another thread's heap) with `exports` instantiated on it
 * and `scratch`, a gemm scratch area of `gemmScratchBytes()` in that memory that no other
 * thread uses meanwhile. Each call is the one the recording thread would have made: gemms below
 * TINY_MACS multiply-adds in TypeScript, as WasmKernels.gemm does. (Packs the ops and runs them
 * as runPackedOps does: one way of running a program.)
 */
export function runKernelOps(ops: readonly KernelOp[], memory: WasmMemory, exports: KernelExports, scratch: number): void {
  const buf = new Float64Array(ops.length * PACKED_OP_SIZE);
  runPackedOps(buf, packOps(ops, buf), memory, exports, scratch);
}

/**
 * Runs the first n ops of a program as packOps wrote it, reading each op's fields where they
 * lie (what a worker does with the program in shared memory: no op objects, and little code
 * for V8 to compile while training starts).
 */
export function runPackedOps(p: Float64Array, n: number, memory: WasmMemory, exports: KernelExports, scratch: number): void {
  for (let i = 0; i < n; i++) runPackedOp(p, i * PACKED_OP_SIZE, 0, -1, memory, exports, scratch);
}

/**
 * Runs the packed op at `at`, whole (to = −1) or the part [from, to) of it that a pair plan
 * chose (see planPair): the rows of a fillRows or of a gemm's C (op(A) not transposed), the
 * columns of C (op(A) transposed). A part is computed exactly as in the whole call: gemm splits
 * C only into pieces of at least ROW_PIECE_MIN rows or at least COL_PIECE_MIN columns (the kernel's
 * packed path, whose every element is the same chain of multiply-adds over the same depth
 * blocks, whatever the rows and columns around it), and only gemms the whole of which goes to
 * the WASM kernel.
 */
function runPackedOp(p: Float64Array, at: number, from: number, to: number, memory: WasmMemory, exports: KernelExports, scratch: number): void {
  const buf = memory.buffer as ArrayBuffer;
  const o = at + 1;
  switch (p[at]) {
    case GEMM: {
      const M = p[o + 2], N = p[o + 3], K = p[o + 4];
      if (to < 0) {
        if (M * N * K < TINY_MACS) {
          gemmRef(p[o] === 1, p[o + 1] === 1, M, N, K, p[o + 5], new Float32Array(buf, p[o + 6], p[o + 7]), p[o + 8],
            new Float32Array(buf, p[o + 9], p[o + 10]), p[o + 11], p[o + 12], new Float32Array(buf, p[o + 13], p[o + 14]), p[o + 15]);
        } else {
          exports.gemm(p[o], p[o + 1], M, N, K, p[o + 5], p[o + 6], p[o + 8], p[o + 9], p[o + 11], p[o + 12], p[o + 13], p[o + 15], scratch);
        }
      } else if (p[o] === 1) {
        // Columns [from, to) of C: B's columns (op(B) = B) or rows (op(B) = Bᵀ) from `from` on.
        const bOff = p[o + 1] === 1 ? from * p[o + 11] : from;
        exports.gemm(1, p[o + 1], M, to - from, K, p[o + 5], p[o + 6], p[o + 8], p[o + 9] + 4 * bOff, p[o + 11], p[o + 12],
          p[o + 13] + 4 * from, p[o + 15], scratch);
      } else {
        // Rows [from, to) of C and of A.
        exports.gemm(0, p[o + 1], to - from, N, K, p[o + 5], p[o + 6] + 4 * from * p[o + 8], p[o + 8], p[o + 9], p[o + 11], p[o + 12],
          p[o + 13] + 4 * from * p[o + 15], p[o + 15], scratch);
      }
      break;
    }
    case FILL_ROWS: {
      const cols = p[o + 5], lo = to < 0 ? 0 : from, hi = to < 0 ? p[o + 4] : to;
      if (hi > lo && cols > 0) {
        fillRows(new Float32Array(buf, p[o] + 4 * lo * cols, (hi - lo) * cols), new Float32Array(buf, p[o + 2], p[o + 3]), hi - lo, cols);
      }
      break;
    }
    case SUM_ROWS:
      // As sumRowsFast does on heap buffers.
      if (p[o + 2] > 0 && p[o + 3] > 0) exports.sumRows(p[o], p[o + 2], p[o + 3], p[o + 4]);
      break;
    case LSTM_F:
      exports.lstmSequenceForward(p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9], p[o + 10], scratch);
      break;
    case LSTM_B:
      exports.lstmSequenceBackward(p[o], p[o + 1], p[o + 2], p[o + 3], p[o + 4], p[o + 5], p[o + 6], p[o + 7], p[o + 8], p[o + 9], p[o + 10], p[o + 11], scratch);
      break;
    default:
      throw new Error(`runPackedOps: unknown op code ${p[at]}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Two programs on two threads, balanced: the two directions of a bidirectional LSTM layer.
//
// Each program is [pre ops…, one sequence loop, post ops…]: the input projection before the
// loop (fillRows + gemm over the same T·B rows), the weight gradients and dx after it (gemms
// and a sumRows on distinct outputs). Only the loops are sequential; the rest divides. Both
// threads run runPairOps on the same packed programs, one as role 0 (owner of program 0), one
// as role 1:
//   1. claim pieces of the pre ops, own program's first, then the other's (shared counters);
//   2. wait until every piece of the own program's pre ops is done; run the own loop;
//   3. claim pieces of the own program's post ops, then — once the other loop has finished —
//      of the other program's.
// A thread the host slows thus leaves more of the divisible work to the other, instead of
// holding it up at the end of the layer. Every piece is computed as in the whole call
// (runPackedOp), so the result is the same bits whoever runs which piece.
// ---------------------------------------------------------------------------------------------

/**
 * Cells of the pair protocol (an Int32Array of PAIR_CELLS on shared memory). Per program (or
 * role) d ∈ {0, 1}: pieces claimed and done, loop done, pieces of the other program run, part
 * ended. Then ABORT, set by a thread that failed (the other stops waiting), and the op counts.
 */
const PRE_CLAIMED = 0, PRE_DONE = 2, LOOP_DONE = 4, POST_CLAIMED = 6, HELPED = 8, ENDED = 10, ABORT = 12, COUNT = 13;
export const PAIR_CELLS = 16;

/** Multiply-adds per piece (~170 µs of gemm at 50 GFLOP/s): pieces small enough to balance, large enough that re-packing per piece costs little (≈ 2 % at 4 pieces, measured). */
const PIECE_MACS = 1 << 22;
/** Smallest pieces of a gemm: rows (above the kernel's direct-B path, DIRECT_MAX_M = 16) and columns (a multiple of its NR = 8). */
const ROW_PIECE_MIN = 32, COL_PIECE_MIN = 32;
/** The kernel reads B in place (another path) for op(B) = B and at most this many rows: gemms of so few rows are not divided by columns. */
const DIRECT_MAX_M = 16;

/**
 * How one program of a pair divides: `pre` pieces of `preSize` rows (the last takes the rest;
 * preSize −1: the pre ops whole, one piece) over ops [0, loop); the loop op; then the post ops,
 * post op j (a gemm) in `postPieces[j]` pieces of `postSize[j]` rows or columns (−1: whole), or, when
 * `postWhole`, all post ops in order as one piece. A program of another shape (no loop op, or
 * two) is `loop = n`: its owner runs it whole in place of the loop.
 */
export interface PairPlan {
  base: number;
  n: number;
  loop: number;
  pre: number;
  preSize: number;
  preRows: number;
  postPieces: Int32Array;
  postSize: Int32Array;
  postWhole: boolean;
  /** Pieces of the post ops in all. */
  post: number;
}

/** [count, size]: pieces of `extent` (rows or columns) of about PIECE_MACS each, `size` a multiple of `align`, every piece at least `min`; [1, −1] for none. */
function pieces(extent: number, macs: number, min: number, align: number): [number, number] {
  const want = Math.min(Math.floor(macs / PIECE_MACS), Math.floor(extent / min));
  if (want < 2) return [1, -1];
  const size = Math.ceil(Math.ceil(extent / want) / align) * align;
  let n = Math.ceil(extent / size);
  if (extent - (n - 1) * size < min) n--; // the last piece takes the rest
  return n < 2 ? [1, -1] : [n, size];
}

/** The regions an op touches as [byte offset, bytes] pairs, the one it writes first (empty: unknown). */
function regions(p: Float64Array, at: number): number[] {
  const o = at + 1;
  switch (p[at]) {
    case GEMM: return [p[o + 13], 4 * p[o + 14], p[o + 6], 4 * p[o + 7], p[o + 9], 4 * p[o + 10]];
    case FILL_ROWS: return [p[o], 4 * p[o + 1], p[o + 2], 4 * p[o + 3]];
    case SUM_ROWS: return [p[o + 4], 4 * p[o + 5], p[o], 4 * p[o + 1]];
    default: return [];
  }
}

/** Whether no op of [from, to) writes a region another of them touches (so that they can run in any order, in pieces). */
function independent(p: Float64Array, from: number, to: number): boolean {
  for (let a = from; a < to; a++) {
    const ra = regions(p, a * PACKED_OP_SIZE);
    if (ra.length === 0) return false;
    for (let b = from; b < to; b++) {
      if (b === a) continue;
      const rb = regions(p, b * PACKED_OP_SIZE);
      if (rb.length === 0) return false;
      for (let r = 0; r < rb.length; r += 2) if (ra[0] < rb[r] + rb[r + 1] && rb[r] < ra[0] + ra[1]) return false;
    }
  }
  return true;
}

/** Plans the program of ops [base, base + n) of the packed buffer (see PairPlan). */
export function planPair(p: Float64Array, base: number, n: number): PairPlan {
  const code = (i: number): number => p[(base + i) * PACKED_OP_SIZE];
  const f = (i: number, j: number): number => p[(base + i) * PACKED_OP_SIZE + 1 + j];
  const macs = (i: number): number => (code(i) === GEMM ? f(i, 2) * f(i, 3) * f(i, 4) : 0);
  const plan: PairPlan = { base, n, loop: n, pre: 0, preSize: -1, preRows: 0, postPieces: new Int32Array(0), postSize: new Int32Array(0), postWhole: false, post: 0 };
  let loop = -1;
  for (let i = 0; i < n; i++) {
    if (code(i) !== LSTM_F && code(i) !== LSTM_B) continue;
    if (loop >= 0) return plan;
    loop = i;
  }
  if (loop < 0) return plan;
  plan.loop = loop;
  // Pre: divided by rows when every op is a fillRows or a gemm with op(A) not transposed (big
  // enough for the kernel) over the same rows.
  let rows = -1, preMacs = 0;
  for (let i = 0; i < loop && rows !== -2; i++) {
    const r = code(i) === FILL_ROWS ? f(i, 4) : code(i) === GEMM && f(i, 0) === 0 && macs(i) >= TINY_MACS ? f(i, 2) : -2;
    rows = rows === -1 || rows === r ? r : -2;
    preMacs += macs(i);
  }
  plan.pre = loop > 0 ? 1 : 0;
  if (rows > 0) { [plan.pre, plan.preSize] = pieces(rows, preMacs, ROW_PIECE_MIN, 4); plan.preRows = rows; }
  // Post: each op in pieces when none writes what another touches; gemms by rows of C, or by its
  // columns when op(A) is transposed (a weight gradient: few rows, the depth is T·B).
  const m = n - loop - 1;
  plan.postPieces = new Int32Array(m).fill(1);
  plan.postSize = new Int32Array(m).fill(-1);
  if (m > 0 && !independent(p, base + loop + 1, base + n)) {
    plan.postWhole = true;
    plan.post = 1;
    return plan;
  }
  for (let j = 0; j < m; j++) {
    const i = loop + 1 + j;
    if (code(i) === GEMM && macs(i) >= TINY_MACS) {
      const part = f(i, 0) === 1
        ? (f(i, 2) > DIRECT_MAX_M ? pieces(f(i, 3), macs(i), COL_PIECE_MIN, 8) : [1, -1])
        : pieces(f(i, 2), macs(i), ROW_PIECE_MIN, 4);
      [plan.postPieces[j], plan.postSize[j]] = part;
    }
    plan.post += plan.postPieces[j];
  }
  return plan;
}

/**
 * Runs piece k of a plan's pre ops (phase 'pre') or post ops ('post'): what runPairOps does with
 * a claimed piece (exported for tests, which run the pieces in other orders).
 */
export function runPairPiece(p: Float64Array, plan: PairPlan, phase: 'pre' | 'post', k: number, memory: WasmMemory, exports: KernelExports, scratch: number): void {
  if (phase === 'pre') runPre(p, plan, k, memory, exports, scratch);
  else runPost(p, plan, k, memory, exports, scratch);
}

/** Runs pre piece k of a plan: every pre op on the piece's rows (or whole, when not divided). */
function runPre(p: Float64Array, plan: PairPlan, k: number, memory: WasmMemory, exports: KernelExports, scratch: number): void {
  const from = k * plan.preSize, to = plan.preSize < 0 ? -1 : k === plan.pre - 1 ? plan.preRows : from + plan.preSize;
  for (let i = 0; i < plan.loop; i++) runPackedOp(p, (plan.base + i) * PACKED_OP_SIZE, from, to, memory, exports, scratch);
}

/** Runs post piece k of a plan (pieces numbered op by op). */
function runPost(p: Float64Array, plan: PairPlan, k: number, memory: WasmMemory, exports: KernelExports, scratch: number): void {
  if (plan.postWhole) {
    for (let i = plan.loop + 1; i < plan.n; i++) runPackedOp(p, (plan.base + i) * PACKED_OP_SIZE, 0, -1, memory, exports, scratch);
    return;
  }
  let j = 0;
  while (k >= plan.postPieces[j]) k -= plan.postPieces[j++];
  const size = plan.postSize[j], at = (plan.base + plan.loop + 1 + j) * PACKED_OP_SIZE, o = at + 1;
  if (size < 0) { runPackedOp(p, at, 0, -1, memory, exports, scratch); return; }
  const extent = p[o] === 1 ? p[o + 3] : p[o + 2]; // a divided post op is a gemm: columns or rows of C
  runPackedOp(p, at, k * size, k === plan.postPieces[j] - 1 ? extent : (k + 1) * size, memory, exports, scratch);
}

/** The cells' starting state of a pair run: program 0 has n0 ops (packed first), program 1 n1. */
export function resetPairCells(cells: Int32Array, n0: number, n1: number): void {
  for (let i = 0; i < COUNT; i++) Atomics.store(cells, i, 0);
  Atomics.store(cells, COUNT, n0);
  Atomics.store(cells, COUNT + 1, n1);
}

/** What a thread's part of a pair run throws when the other thread failed. */
export class PairAborted extends Error {
  constructor() { super('the other thread of the pair failed'); }
}

/** Marks a pair run failed (the other thread's waits throw). */
export function abortPair(cells: Int32Array): void {
  Atomics.store(cells, ABORT, 1);
}

/** Pieces of the other program that thread `role` ran in the last pair run (for timings and tests). */
export function pairHelped(cells: Int32Array, role: 0 | 1): number {
  return Atomics.load(cells, HELPED + role);
}

/**
 * Runs this thread's part of a pair run (see above) on the packed programs in `p` (program 0
 * first, then program 1; counts in `cells`, see resetPairCells). Returns when this thread has no
 * piece left to claim; the pieces the other thread claimed may still be running (wait for its
 * end). `check` is called now and then while waiting (throw there to give up, e.g. when the
 * other thread died). A failure here aborts the other thread's waits.
 */
export function runPairOps(p: Float64Array, cells: Int32Array, role: 0 | 1, memory: WasmMemory, exports: KernelExports,
  scratch: number, check?: () => void): void {
  try {
    const n0 = Atomics.load(cells, COUNT), n1 = Atomics.load(cells, COUNT + 1);
    const plans = [planPair(p, 0, n0), planPair(p, n0, n1)];
    const own = plans[role], other = plans[1 - role], o = 1 - role;
    const claim = (cell: number, total: number): number => {
      const k = Atomics.add(cells, cell, 1);
      return k < total ? k : -1;
    };
    const waitFor = (cell: number, want: number): void => {
      for (let spins = 1; Atomics.load(cells, cell) < want; spins++) {
        if (Atomics.load(cells, ABORT) !== 0) throw new PairAborted();
        if ((spins & 4095) !== 0) continue;
        check?.();
        // The other thread ended its part (its plan differed: another build?) and what we wait for has not come.
        if (Atomics.load(cells, ENDED + o) !== 0 && Atomics.load(cells, cell) < want) throw new Error('runPairOps: the other thread ended its part early');
      }
    };
    let k: number;
    while ((k = claim(PRE_CLAIMED + role, own.pre)) >= 0) { runPre(p, own, k, memory, exports, scratch); Atomics.add(cells, PRE_DONE + role, 1); }
    while ((k = claim(PRE_CLAIMED + o, other.pre)) >= 0) {
      runPre(p, other, k, memory, exports, scratch);
      Atomics.add(cells, PRE_DONE + o, 1);
      Atomics.add(cells, HELPED + role, 1);
    }
    waitFor(PRE_DONE + role, own.pre);
    if (own.loop < own.n) runPackedOp(p, (own.base + own.loop) * PACKED_OP_SIZE, 0, -1, memory, exports, scratch);
    else for (let i = 0; i < own.n; i++) runPackedOp(p, (own.base + i) * PACKED_OP_SIZE, 0, -1, memory, exports, scratch);
    Atomics.store(cells, LOOP_DONE + role, 1);
    while ((k = claim(POST_CLAIMED + role, own.post)) >= 0) runPost(p, own, k, memory, exports, scratch);
    if (other.post > 0) {
      waitFor(LOOP_DONE + o, 1);
      while ((k = claim(POST_CLAIMED + o, other.post)) >= 0) { runPost(p, other, k, memory, exports, scratch); Atomics.add(cells, HELPED + role, 1); }
    }
  } catch (e) {
    abortPair(cells);
    throw e;
  } finally {
    Atomics.store(cells, ENDED + role, 1);
  }
}

/** Numbers per op in a packed program (the longest op, 'gemm', plus its code). */
export const PACKED_OP_SIZE = 20;
/** Op codes, the first number of a packed op. */
const GEMM = 0, FILL_ROWS = 1, SUM_ROWS = 2, LSTM_F = 3, LSTM_B = 4;

/**
 * Writes `ops` into `out` (PACKED_OP_SIZE numbers per op: a code, then the fields in a fixed
 * order) so that a program can cross threads through shared memory instead of a message.
 * Returns the number of ops written, or −1 (nothing useful written) if `out` is too small.
 */
export function packOps(ops: readonly KernelOp[], out: Float64Array): number {
  if (ops.length * PACKED_OP_SIZE > out.length) return -1;
  let at = 0;
  const put = (x: number): void => { out[at++] = x; };
  const region = (r: Region): void => { put(r[0]); put(r[1]); };
  for (let i = 0; i < ops.length; i++) {
    const op = ops[i];
    at = i * PACKED_OP_SIZE;
    switch (op.k) {
      case 'gemm':
        put(GEMM); put(op.ta); put(op.tb); put(op.M); put(op.N); put(op.K); put(op.alpha);
        region(op.A); put(op.lda); region(op.B); put(op.ldb); put(op.beta); region(op.C); put(op.ldc);
        break;
      case 'fillRows':
        put(FILL_ROWS); region(op.x); region(op.b); put(op.rows); put(op.cols);
        break;
      case 'sumRows':
        put(SUM_ROWS); region(op.dy); put(op.rows); put(op.cols); region(op.db);
        break;
      case 'lstmF':
        put(LSTM_F); put(op.T); put(op.B); put(op.H); put(op.reverse); put(op.z); put(op.Wa); put(op.s); put(op.cm);
        put(op.y); put(op.ld); put(op.meta);
        break;
      case 'lstmB':
        put(LSTM_B); put(op.T); put(op.B); put(op.H); put(op.reverse); put(op.z); put(op.Wa); put(op.cm); put(op.dy);
        put(op.ld); put(op.meta); put(op.g); put(op.cur);
        break;
    }
  }
  return ops.length;
}

/** The ops `packOps` wrote (n of them). */
export function unpackOps(buf: Float64Array, n: number): KernelOp[] {
  const ops: KernelOp[] = [];
  for (let i = 0; i < n; i++) {
    const b = i * PACKED_OP_SIZE;
    const f = (j: number): number => buf[b + 1 + j];
    const r = (j: number): Region => [f(j), f(j + 1)];
    switch (buf[b]) {
      case GEMM:
        ops.push({ k: 'gemm', ta: f(0), tb: f(1), M: f(2), N: f(3), K: f(4), alpha: f(5), A: r(6), lda: f(8), B: r(9), ldb: f(11), beta: f(12), C: r(13), ldc: f(15) });
        break;
      case FILL_ROWS:
        ops.push({ k: 'fillRows', x: r(0), b: r(2), rows: f(4), cols: f(5) });
        break;
      case SUM_ROWS:
        ops.push({ k: 'sumRows', dy: r(0), rows: f(2), cols: f(3), db: r(4) });
        break;
      case LSTM_F:
        ops.push({ k: 'lstmF', T: f(0), B: f(1), H: f(2), reverse: f(3), z: f(4), Wa: f(5), s: f(6), cm: f(7), y: f(8), ld: f(9), meta: f(10) });
        break;
      case LSTM_B:
        ops.push({ k: 'lstmB', T: f(0), B: f(1), H: f(2), reverse: f(3), z: f(4), Wa: f(5), cm: f(6), dy: f(7), ld: f(8), meta: f(9), g: f(10), cur: f(11) });
        break;
      default:
        throw new Error(`unpackOps: unknown op code ${buf[b]}`);
    }
  }
  return ops;
}
