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
 * Recording allows a layer to hand one direction of a bidirectional LSTM to a worker while this
 * thread computes the other: the same kernels on the same buffers, so the same bits.
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
  const buf = memory.buffer as ArrayBuffer;
  for (let i = 0; i < n; i++) {
    const o = i * PACKED_OP_SIZE + 1;
    switch (p[o - 1]) {
      case GEMM: {
        const M = p[o + 2], N = p[o + 3], K = p[o + 4];
        if (M * N * K < TINY_MACS) {
          gemmRef(p[o] === 1, p[o + 1] === 1, M, N, K, p[o + 5], new Float32Array(buf, p[o + 6], p[o + 7]), p[o + 8],
            new Float32Array(buf, p[o + 9], p[o + 10]), p[o + 11], p[o + 12], new Float32Array(buf, p[o + 13], p[o + 14]), p[o + 15]);
        } else {
          exports.gemm(p[o], p[o + 1], M, N, K, p[o + 5], p[o + 6], p[o + 8], p[o + 9], p[o + 11], p[o + 12], p[o + 13], p[o + 15], scratch);
        }
        break;
      }
      case FILL_ROWS:
        fillRows(new Float32Array(buf, p[o], p[o + 1]), new Float32Array(buf, p[o + 2], p[o + 3]), p[o + 4], p[o + 5]);
        break;
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
        throw new Error(`runPackedOps: unknown op code ${p[o - 1]}`);
    }
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
