/**
 * Training a SequenceTagger on worker threads, below the training loop: data-parallel (mode
 * 'batch', described here) or by LSTM direction (mode 'directions', see ParallelMode and
 * attachDirections).
 *
 * `trainBatch(batch)` does what `model.trainStep(batch)` does — forward and backward of the
 * whole batch, gradients accumulated into the model's `param.grad` — with the batch's sentences
 * split across `threads` threads (see shard.ts): the main thread computes its shard on the model
 * itself while each worker computes one on its replica (its own module instances, so its own
 * WASM kernels and heap); then the workers' gradients are added into the model's. The loop then
 * clips and steps on the main thread; with the WASM backend and Adam, `clipGlobalNorm` and
 * `optimizer()` split those passes over the dense parameters across the threads too (update.ts),
 * since they would otherwise be the largest serial part of a step.
 *
 * Shared memory, allocated once:
 * - `values` — a mirror of every parameter, written by the main thread at the start of a step
 *   and read by the workers into their replicas: dense parameters whole, embedding tables only
 *   in the rows the previous optimizer step changed (the previous step's `sparseRows`; lazy
 *   optimizers touch no other row), everything on the first step or after `invalidate()`;
 * - per worker, `grads` — the worker's gradients in the same layout (dense parameters whole,
 *   embedding tables in the rows it used, whose ids come with its reply);
 * - per worker, a control Int32Array: the main thread bumps a command counter and notifies;
 *   the worker, blocked in Atomics.wait, takes the step's description (its shard, a few KB)
 *   from a MessagePort with `receiveMessageOnPort`, computes, replies on the port, and stores
 *   the counter into a done cell, on which the main thread waits.
 * The main thread blocks in Atomics.wait while the workers finish (TrainTask.trainBatch is
 * synchronous, so waiting for a 'message' event is not an option). A round trip costs tens of
 * microseconds (measured 40–50 µs on a loaded 2-core machine, about what an awaited postMessage
 * ping-pong costs) against ~20 ms of work per step; a step takes one round trip per worker, plus
 * one each for the clip's norm, its scaling and the Adam step. Those three carry a few numbers
 * only, so they skip the port: the request is written into the worker's shared `args` cells
 * (packPass, KIND 2); the threads then claim chunks of the pass from a shared counter (update.ts
 * passChunks), so a thread the host slows leaves more of it to the other.
 *
 * Identical to one thread: the sum of the shards' gradients is the whole batch's, up to float
 * rounding (other summation order), with the same dropout masks (replayed from the dropout
 * Rng), and the model's dropout Rng ends each step where one thread leaves it, so checkpoints
 * and exact resume work unchanged. Runs are deterministic: workers' gradients are added in a
 * fixed order.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { RngState } from '../tensor/index.js';
import { activeKernels, backendInfo, kernelsFor, scaleRows, sumSquaresRows, type BackendName } from '../tensor/backend.js';
import type { WasmMemory } from '../tensor/wasm.js';
import { packOps, PairAborted, pairHelped, PACKED_OP_SIZE, PAIR_CELLS, resetPairCells, runPairOps, type KernelOp } from '../tensor/remote.js';
import type { Param } from '../nn/param.js';
import { optim, Bidirectional, type CRFAllowed } from '../nn/index.js';
import type { OptimizerLike } from '../train/trainer.js';
import type { SequenceTagger, TaggerArchitecture, TaggerBatch, TaggerVocab } from '../tagger/model.js';
import { workerScriptPath } from './workerScript.js';
import {
  assignShards, subBatch, packBatch, dropoutWidths, shardUniformCount, shardUniforms, type PackedBatch,
} from './shard.js';
import { adamRows, passCells, passChunks, sumPartials, type AdamConstants, type DenseArrays, type DensePass } from './update.js';

/** Cells of a worker's control array. */
export const CMD = 0;
export const DONE = 1;
/** Set by a worker that exits, so the main thread stops waiting for it. */
export const DEAD = 2;
/**
 * What the command is: a message on the port (0), a pair of kernel programs in the shared
 * `program` buffer (1, mode 'directions': the worker's part of runPairOps), or an optimizer pass
 * described in the worker's shared `args` (2, see packPass).
 */
export const KIND = 3;
/** Set when a shared-memory command threw (the error comes on the port). */
export const FAILED = 5;
const CTRL_CELLS = 8;
/** Numbers in a worker's `args` buffer: a pass (packPass). */
export const ARGS_SIZE = 16;
const PASS_CODES = ['sumsq', 'scale', 'adam', 'zero'] as const;
type PassRequest = Extract<SharedRequest, { type: (typeof PASS_CODES)[number] }>;

/**
 * Writes an optimizer pass (the worker's share of a clip or Adam step) into `args`, so that it
 * reaches the worker through shared memory (a few µs) rather than as a message (tens of µs
 * with the wake-up, every step). False for the other requests, which go as messages.
 */
export function packPass(m: SharedRequest, args: Float64Array): boolean {
  const code = PASS_CODES.indexOf(m.type as (typeof PASS_CODES)[number]);
  if (code < 0) return false;
  const r = m as PassRequest;
  args[0] = code;
  if (r.type === 'scale') args[3] = r.c;
  else if (r.type === 'adam') {
    const h = r.h;
    args[3] = h.lr; args[4] = h.b1; args[5] = h.b2; args[6] = h.eps; args[7] = h.bc1; args[8] = h.bc2; args[9] = h.decay;
  }
  return true;
}

/** The pass packPass wrote. */
export function unpackPass(args: Float64Array): PassRequest {
  const type = PASS_CODES[args[0]];
  if (type === 'sumsq' || type === 'zero') return { type };
  if (type === 'scale') return { type, c: args[3] };
  if (type === 'adam') return { type, h: { lr: args[3], b1: args[4], b2: args[5], eps: args[6], bc1: args[7], bc2: args[8], decay: args[9] } };
  throw new Error(`unknown optimizer pass code ${args[0]}`);
}
/** Numbers of the shared program buffer (mode 'directions'): 512 ops (a layer's program has at most 5). */
const PROGRAM_SIZE = 512 * PACKED_OP_SIZE;

/**
 * Mode 'directions': how long a waiting thread polls its control cell before it sleeps in
 * Atomics.wait. A split layer hands over work twice per layer and step, a few hundred µs to
 * milliseconds apart; waking from a futex costs tens of µs each time, and both threads have a
 * core of their own in this mode.
 */
export const SPIN_MS = 2;

/** Polls `cell` of `ctrl` while it equals `value`, up to `ms` milliseconds; true if it changed. */
export function spinWhile(ctrl: Int32Array, cell: number, value: number, ms: number): boolean {
  const until = performance.now() + ms;
  for (;;) {
    for (let i = 0; i < 256; i++) if (Atomics.load(ctrl, cell) !== value) return true;
    if (performance.now() > until) return false;
  }
}

/** Where each parameter lives in the flat shared arrays. */
export interface ParamSlot {
  offset: number;
  length: number;
  rowSize: number;
  /** Embedding table: exchanged by rows. */
  sparse: boolean;
}

export function paramLayout(params: readonly Param[]): { slots: ParamSlot[]; total: number } {
  let total = 0;
  const slots = params.map((p) => {
    const rowSize = p.shape.slice(1).reduce((a, b) => a * b, 1);
    const s = { offset: total, length: p.value.length, rowSize, sparse: p.sparseRows !== undefined };
    total += p.value.length;
    return s;
  });
  return { slots, total };
}

/** What a training worker is started with. */
export interface TrainWorkerData {
  role: 'train';
  /** 'batch': the worker holds a replica and computes shards; 'directions': it runs kernel programs only. */
  mode: ParallelMode;
  backend: BackendName;
  arch: TaggerArchitecture;
  vocab: TaggerVocab;
  crf: CRFAllowed | null;
  names: string[];
  values: SharedArrayBuffer;
  /** Where the worker writes its gradients: a SharedArrayBuffer, or (WASM) a block of the main thread's heap. */
  grads: SharedArrayBuffer | { memory: WasmMemory; offset: number };
  ctrl: SharedArrayBuffer;
  /** Float64 cells for optimizer passes (packPass) and their result. */
  args: SharedArrayBuffer;
  port: MessagePort;
}

/** A step for a worker: its shard, how to replay the dropout masks, which parameters to pull. */
export interface StepRequest {
  type: 'step';
  batch: PackedBatch;
  /** 1 / real tokens of the whole batch. */
  scale: number;
  /** Dropout stream of the whole batch: generator state at the step's start, [T, B], the shard's columns. */
  masks: { state: RngState; T: number; B: number; widths: number[]; cols: Int32Array } | null;
  /** 'all', or per parameter the changed rows of embedding tables (null: dense, pulled whole). */
  sync: 'all' | (Int32Array | null)[];
}

/**
 * Work on the main thread's dense parameters in place (WASM backend): `attach` hands over the
 * main thread's memory, where the arrays are (byte offsets, per dense parameter) and the cells
 * the threads share a pass through; the others are passes of a clip or Adam step, which the
 * threads share by chunks (see update.ts, passChunks).
 */
export type SharedRequest =
  | {
    type: 'attach'; memory: WasmMemory; lengths: number[]; value: number[]; grad: number[]; m?: number[]; v?: number[];
    claims: SharedArrayBuffer; partials: SharedArrayBuffer;
  }
  | { type: 'kernels'; memory: WasmMemory; scratch: number; program: SharedArrayBuffer; cells: SharedArrayBuffer }
  | DensePass;

export type StepReply =
  | { type: 'done'; loss: number; count: number; rows: (Int32Array | null)[] }
  | { type: 'ok' }
  | { type: 'error'; message: string };

interface Replica {
  worker: Worker;
  port: MessagePort;
  ctrl: Int32Array;
  args: Float64Array;
  grads: Float32Array;
  seq: number;
  /** Missed a step (empty shard): pulls every parameter next time. */
  stale: boolean;
  /** The worker's uncaught error, if it died of one. */
  error?: Error;
}

/**
 * How the threads share a step:
 * - 'batch' — data-parallel: each thread computes the forward and backward of a share of the
 *   batch's sentences on its own replica; gradients are added (any model, any thread count;
 *   the same model as one thread up to float rounding).
 * - 'directions' — two threads; every bidirectional LSTM layer records both directions' kernel
 *   calls, and the two threads run them as a pair on the main thread's memory (tensor/remote.ts,
 *   runPairOps): the worker the right-to-left time loop, the main thread the left-to-right one,
 *   and both the divisible rest of the two directions (input projections, weight gradients,
 *   dx: ~60 % of the layer) in pieces claimed from shared counters, so that a thread the host
 *   slows leaves more of it to the other. The rest of the step stays on the main thread, but for
 *   the optimizer's passes, which both threads share by chunks. The same arithmetic as one
 *   thread: the same model bit for bit. Needs the WASM backend.
 * - 'auto' — 'directions' when it can run (2 threads, WASM, a bidirectional LSTM), else 'batch'.
 *   Measured on 2 cores (`npm run bench -- --rounds 3`, 3 epochs, bench model): directions
 *   1.76–1.84× one thread (medians of interleaved rounds) on a quiet host, 1.64× on a busier
 *   one; epoch by epoch (`npm run bench:epochs`) 1.65–1.91×. The threads share every batch's
 *   activations and meet several times a step, so a host that slows one core, or the traffic
 *   between them, slows both. Batch mode: 1.36–1.50× in an earlier session; the default
 *   model's architecture (char CNN, dropout masks and output layer on the main thread):
 *   1.63–1.67× in an earlier session. See BENCHMARKS.md.
 */
export type ParallelMode = 'batch' | 'directions';

/** Cumulative milliseconds spent in the parts of `trainBatch` (for measurements). */
export interface DataParallelTimings {
  steps: number;
  /** Writing the parameter mirror. */
  publish: number;
  /** Splitting the batch and posting the workers' shards. */
  dispatch: number;
  /** The main thread's own shard, mask replay included. */
  own: number;
  /** Waiting for the workers after the own shard. */
  wait: number;
  /** Adding the workers' gradients. */
  merge: number;
  /** The loop's gradient clipping and optimizer step through `clipGlobalNorm` / `optimizer()`. */
  clip: number;
  update: number;
  /** The loop's `zeroGrad` through this class's. */
  zero: number;
  /**
   * Mode 'directions': pieces of the worker's direction that the main thread computed
   * (`helped`), and of the main thread's that the worker computed (`helpedBy`); see runPairOps.
   */
  helped: number;
  helpedBy: number;
}

export class DataParallel {
  readonly timings: DataParallelTimings = { steps: 0, publish: 0, dispatch: 0, own: 0, wait: 0, merge: 0, clip: 0, update: 0, zero: 0, helped: 0, helpedBy: 0 };
  private readonly params: Param[];
  /** The parameters with sparse row gradients (embedding tables): this thread zeroes and updates them. */
  private readonly sparseParams: Param[];
  private readonly slots: ParamSlot[];
  private readonly values: Float32Array;
  private readonly widths: number[];
  /** Rows of each embedding table that the last step's gradients touched (the optimizer moves exactly those). */
  private changed: (Int32Array | null)[];
  private fullSync = true;
  private uniforms = new Float64Array(0);
  private closed = false;
  /** The dense parameters as seen from this thread, once shared with the workers (WASM only). */
  private dense: DenseArrays | null = null;
  private denseChecked = false;

  /** The bidirectional LSTM layers handed a helper (mode 'directions'). */
  private readonly split2: Bidirectional[] = [];
  /** The worker's gemm scratch area in this thread's heap (mode 'directions'); held so that the block is never reclaimed. */
  private kernelScratch: Float32Array | null = null;

  private constructor(readonly model: SequenceTagger, private readonly replicas: Replica[], values: SharedArrayBuffer,
    readonly mode: ParallelMode) {
    this.params = model.params();
    this.sparseParams = this.params.filter((p) => p.sparseRows !== undefined);
    this.slots = paramLayout(this.params).slots;
    this.values = new Float32Array(values);
    this.widths = dropoutWidths(model);
    this.changed = this.params.map(() => null);
  }

  /**
   * Starts `threads − 1` workers, each with a replica of `model` (same architecture, vocabulary
   * and output layer; weights arrive with the first step), on the calling thread's backend.
   */
  static async start(model: SequenceTagger, threads: number, opts: { mode?: ParallelMode | 'auto' } = {}): Promise<DataParallel> {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`DataParallel: threads must be a positive integer, got ${threads}`);
    const want = opts.mode ?? 'auto';
    const problem = directionsProblem(model.arch, threads);
    if (want === 'directions' && problem !== null) throw new Error(`DataParallel: mode "directions" ${problem}`);
    const mode: ParallelMode = want === 'batch' || problem !== null ? 'batch' : 'directions';
    const params = model.params();
    const { total } = paramLayout(params);
    const values = new SharedArrayBuffer(mode === 'batch' ? 4 * total : 0);
    const replicas: Replica[] = [];
    const ready: Promise<void>[] = [];
    const script = threads > 1 ? workerScriptPath() : '';
    const kernels = activeKernels();
    for (let i = 1; i < threads; i++) {
      // With WASM, the worker's gradients land in the main thread's heap, where one kernel call
      // adds them into the model's (see addGrads).
      const size = mode === 'batch' ? total : 0;
      const inHeap = kernels !== null ? kernels.heap.uninit(size) : null;
      const grads = inHeap !== null ? { memory: kernels!.heap.memory, offset: inHeap.byteOffset } : new SharedArrayBuffer(4 * size);
      const ctrl = new SharedArrayBuffer(4 * CTRL_CELLS);
      const args = new SharedArrayBuffer(8 * ARGS_SIZE);
      const { port1, port2 } = new MessageChannel();
      const data: TrainWorkerData = {
        // Mode 'directions' builds no replica: no vocabulary to copy (it can hold 300,000+ words).
        role: 'train', mode, backend: backendInfo().name, arch: model.arch,
        vocab: mode === 'batch' ? model.vocab : { words: [], chars: [], tags: [] }, crf: model.crf?.allowed ?? null,
        names: params.map((p) => p.name), values, grads, ctrl, args, port: port2,
      };
      const worker = new Worker(script, { workerData: data, transferList: [port2] });
      const replica: Replica = { worker, port: port1, ctrl: new Int32Array(ctrl), args: new Float64Array(args), grads: inHeap ?? new Float32Array(grads as SharedArrayBuffer), seq: 0, stale: true };
      replicas.push(replica);
      worker.on('error', (e) => { replica.error = e; });
      ready.push(new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { type: string; message?: string }) => (m.type === 'ready' ? resolve() : reject(new Error(`training worker ${i}: ${m.message}`))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`training worker ${i} exited with code ${code} before it was ready`)));
      }));
    }
    const dp = new DataParallel(model, replicas, values, mode);
    try {
      await Promise.all(ready);
      if (mode === 'directions') dp.attachDirections();
    } catch (e) {
      await dp.close();
      throw e;
    }
    return dp;
  }

  /**
   * Mode 'directions': gives the worker the kernels on this thread's memory and a gemm scratch
   * area of its own, then makes it the helper of every bidirectional LSTM layer of the model.
   */
  private attachDirections(): void {
    const k = activeKernels()!;
    const scratch = (this.kernelScratch = k.heap.uninit(k.exports.gemmScratchBytes() / 4));
    const shared = new SharedArrayBuffer(8 * PROGRAM_SIZE);
    const program = new Float64Array(shared);
    const cellBuf = new SharedArrayBuffer(4 * PAIR_CELLS);
    const cells = new Int32Array(cellBuf);
    this.split((j) => (j === 1 ? { type: 'kernels', memory: k.heap.memory, scratch: scratch.byteOffset, program: shared, cells: cellBuf } : null), () => undefined);
    const r = this.replicas[0], tm = this.timings;
    const helper = {
      run: (fwd: KernelOp[], bwd: KernelOp[]): void => {
        const t0 = performance.now();
        const n0 = packOps(fwd, program);
        const n1 = n0 < 0 ? -1 : packOps(bwd, program.subarray(n0 * PACKED_OP_SIZE));
        if (n1 < 0) throw new Error(`DataParallel: kernel programs of ${fwd.length} + ${bwd.length} ops exceed the shared buffer`);
        resetPairCells(cells, n0, n1);
        Atomics.store(r.ctrl, KIND, 1);
        Atomics.store(r.ctrl, CMD, ++r.seq);
        Atomics.notify(r.ctrl, CMD);
        const t1 = performance.now();
        tm.dispatch += t1 - t0;
        let failure: unknown = null;
        try {
          runPairOps(program, cells, 0, k.heap.memory, k.exports, k.scratch, () => this.checkAlive(r, 1));
        } catch (e) {
          failure = e;
        } finally {
          const t2 = performance.now();
          tm.own += t2 - t1;
          this.awaitDone(r, 1, true);
          tm.wait += performance.now() - t2;
          tm.helped += pairHelped(cells, 0);
          tm.helpedBy += pairHelped(cells, 1);
        }
        if (Atomics.load(r.ctrl, FAILED) !== 0) {
          Atomics.store(r.ctrl, FAILED, 0);
          const m = receiveMessageOnPort(r.port)?.message as StepReply | undefined;
          // Whichever thread failed first: the other one's error only says that it stopped.
          if (failure === null || failure instanceof PairAborted) {
            throw new Error(`training worker 1: ${m?.type === 'error' ? m.message : 'a kernel program failed'}`);
          }
        }
        if (failure !== null) throw failure;
      },
    };
    for (const b of bidirectionalLstms(this.model)) {
      b.helper = helper;
      this.split2.push(b);
    }
  }

  get threads(): number {
    return this.replicas.length + 1;
  }

  /** The next step sends every parameter (call after changing weights outside the training loop). */
  invalidate(): void {
    this.fullSync = true;
  }

  /**
   * Forward + backward of `batch` across the threads; accumulates the whole batch's gradient
   * into the model's `param.grad` (which the caller zeroes before, as for trainStep).
   * @returns the batch's summed loss and its real tokens (as trainStep)
   */
  trainBatch(batch: TaggerBatch): { loss: number; count: number } {
    if (this.closed) throw new Error('DataParallel: closed');
    const tm = this.timings;
    if (this.mode === 'directions') {
      // The layers call the worker themselves (see attachDirections).
      const r = this.model.trainStep(batch);
      tm.steps++;
      return r;
    }
    let t0 = performance.now();
    const sync = this.publish();
    let t1 = performance.now();
    tm.publish += t1 - t0;

    const shards = assignShards(batch.lengths, this.threads);
    let tokens = 0;
    for (let b = 0; b < batch.B; b++) tokens += batch.lengths[b];
    const scale = tokens > 0 ? 1 / tokens : 0;
    const widths = this.widths;
    const state = widths.length > 0 ? this.model.dropoutRng.getState() : null;
    const busy: boolean[] = [];
    this.replicas.forEach((r, i) => {
      const cols = shards[i + 1];
      busy.push(cols.length > 0);
      if (cols.length === 0) {
        r.stale = true;
        return;
      }
      const msg: StepRequest = {
        type: 'step', batch: packBatch(subBatch(batch, cols)), scale,
        masks: state ? { state, T: batch.T, B: batch.B, widths, cols } : null,
        sync: r.stale ? 'all' : sync,
      };
      r.stale = false;
      r.port.postMessage(msg);
      Atomics.store(r.ctrl, KIND, 0);
      Atomics.store(r.ctrl, CMD, ++r.seq);
      Atomics.notify(r.ctrl, CMD);
    });
    t0 = performance.now();
    tm.dispatch += t0 - t1;

    // This thread's shard; then the workers' replies (collected even if the shard throws, so
    // that no reply is left behind for the next step).
    let loss = 0, count = 0;
    const replies: StepReply[] = [];
    let failure: Error | null = null;
    try {
      ({ loss, count } = this.ownShard(batch, shards[0], state, scale));
    } finally {
      t1 = performance.now();
      tm.own += t1 - t0;
      this.replicas.forEach((r, i) => {
        if (!busy[i]) return;
        const reply = this.awaitReply(r, i + 1);
        if (reply.type === 'error') failure ??= new Error(`training worker ${i + 1}: ${reply.message}`);
        replies.push(reply);
      });
      t0 = performance.now();
      tm.wait += t0 - t1;
    }
    if (failure) throw failure;

    let k = 0;
    this.replicas.forEach((r, i) => {
      if (!busy[i]) return;
      const reply = replies[k++] as Extract<StepReply, { type: 'done' }>;
      loss += reply.loss;
      count += reply.count;
      this.addGrads(r.grads, reply.rows);
    });
    this.changed = this.params.map((p) => (p.sparseRows ? Int32Array.from(p.sparseRows) : null));
    tm.merge += performance.now() - t0;
    tm.steps++;
    return { loss, count };
  }

  /**
   * Forward + backward of the columns `own` of `batch` on the model itself, with the dropout
   * masks replayed from the stream of the whole batch (state: the dropout Rng at the step's
   * start, null without dropout); leaves the dropout Rng where the whole batch leaves it.
   */
  private ownShard(batch: TaggerBatch, own: Int32Array, state: RngState | null, scale: number): { loss: number; count: number } {
    const mine = own.length > 0 ? subBatch(batch, own) : null;
    if (state === null) return mine ? this.model.trainShard(mine, scale) : { loss: 0, count: 0 };
    const rng = this.model.dropoutRng, widths = this.widths;
    const Ts = mine?.T ?? 0;
    const n = shardUniformCount(widths, Ts, own.length);
    if (this.uniforms.length < n) this.uniforms = new Float64Array(Math.ceil(n * 1.25));
    const u = this.uniforms;
    const end = shardUniforms(state, batch.T, batch.B, widths, own, Ts, u);
    let r = { loss: 0, count: 0 };
    if (mine) {
      let k = 0;
      rng.replay = () => u[k++];
      try {
        r = this.model.trainShard(mine, scale);
      } finally {
        rng.replay = null;
      }
      if (k !== n) throw new Error(`DataParallel: the model drew ${k} dropout uniforms, ${n} were replayed (dropoutWidths is out of date)`);
    }
    rng.setState(end);
    return r;
  }

  /**
   * `zeroGrad` for the training loop (same contract as optim.zeroGrad): the dense gradients are
   * zeroed by all threads, each the chunks it takes in the other passes (see passChunks), so
   * that the lines stay in its core's cache (WASM backend; otherwise it is optim.zeroGrad).
   */
  readonly zeroGrad = (params: readonly Param[]): void => {
    const t0 = performance.now();
    try {
      const d = this.sameParams(params) ? this.shareDense() : null;
      if (d === null) { optim.zeroGrad(params); return; }
      this.sharePass({ type: 'zero' }, () => optim.zeroGrad(this.sparseParams));
    } finally {
      this.timings.zero += performance.now() - t0;
    }
  };

  /**
   * `clipGlobalNorm` for the training loop (same contract as optim.clipGlobalNorm): the sum of
   * squares and the scaling of the dense gradients are split across the threads (WASM backend;
   * otherwise it is optim.clipGlobalNorm). The norm differs from the serial one by rounding only
   * (partial sums are added in another order).
   */
  readonly clipGlobalNorm = (params: readonly Param[], maxNorm: number): number => {
    const t0 = performance.now();
    try {
      const d = this.sameParams(params) ? this.shareDense() : null;
      if (d === null) return optim.clipGlobalNorm(params, maxNorm);
      const sparse = this.params.filter((p) => p.sparseRows !== undefined);
      let ss = 0;
      this.sharePass({ type: 'sumsq' }, () => {
        for (const p of sparse) ss += sumSquaresRows(p.grad, optim.sparseRowIds(p), optim.rowSize(p));
      });
      ss = sumPartials(d) + ss;
      const norm = Math.sqrt(ss);
      if (Number.isFinite(norm) && norm > maxNorm) {
        const c = maxNorm / norm;
        this.sharePass({ type: 'scale', c }, () => {
          for (const p of sparse) scaleRows(p.grad, optim.sparseRowIds(p), optim.rowSize(p), c);
        });
      }
      return norm;
    } finally {
      this.timings.clip += performance.now() - t0;
    }
  };

  /**
   * The optimizer for the training loop: an Adam over the model's parameters is stepped by all
   * threads (each updates a range of the dense parameters in the main thread's memory; this
   * thread also the embedding rows), bit for bit as `Adam.step()`; its state, learning rate and
   * checkpoints stay those of `inner`. Any other optimizer, or the JS backend: `inner` itself.
   */
  optimizer(inner: OptimizerLike): OptimizerLike {
    if (!(inner instanceof optim.Adam) || !this.sameParams(inner.params)) return inner;
    const buffers = inner.getState().buffers;
    const d = this.shareDense(
      this.params.map((p) => buffers[`${p.name}.m`]), this.params.map((p) => buffers[`${p.name}.v`]),
    );
    if (d === null || d.m === undefined) return inner;
    const sparse = this.sparseParams.map((p) => ({ p, m: buffers[`${p.name}.m`], v: buffers[`${p.name}.v`] }));
    const step = (): void => {
      const t0 = performance.now();
      // The constants of Adam.step (nn/optim/adam.ts).
      const a = inner;
      const t = ++a.t;
      const h: AdamConstants = {
        lr: a.lr, b1: a.beta1, b2: a.beta2, eps: a.eps,
        bc1: 1 - Math.pow(a.beta1, t), bc2: 1 - Math.pow(a.beta2, t), decay: 1 - a.lr * a.weightDecay,
      };
      this.sharePass({ type: 'adam', h }, () => {
        for (const { p, m, v } of sparse) adamRows(p.value, p.grad, m, v, optim.sparseRowIds(p), optim.rowSize(p), h);
      });
      this.timings.update += performance.now() - t0;
    };
    return {
      get lr() { return inner.lr; },
      set lr(x: number) { inner.lr = x; },
      step,
      getState: () => inner.getState(),
      setState: (st) => inner.setState(st),
    };
  }

  /** Whether `params` are the model's parameters, in order. */
  private sameParams(params: readonly Param[]): boolean {
    return params.length === this.params.length && params.every((p, i) => p === this.params[i]);
  }

  /**
   * Shares the dense parameters' values and gradients (and Adam's moments, when given) with the
   * workers, or returns null when they are not all in this thread's WASM heap (JS backend).
   */
  private shareDense(m?: Float32Array[], v?: Float32Array[]): DenseArrays | null {
    if (this.dense !== null && (m === undefined || this.dense.m !== undefined)) return this.dense;
    if (this.denseChecked && this.dense === null) return null;
    this.denseChecked = true;
    const k = activeKernels();
    const idx = this.params.map((p, i) => (p.sparseRows === undefined ? i : -1)).filter((i) => i >= 0);
    const arrays = [...idx.map((i) => this.params[i].value), ...idx.map((i) => this.params[i].grad),
      ...(m ? idx.map((i) => m[i]) : []), ...(v ? idx.map((i) => v[i]) : [])];
    if (k === null || this.replicas.length === 0 || arrays.some((x) => x === undefined || !k.heap.contains(x))) return this.dense;
    const starts: number[] = [];
    let total = 0;
    for (const i of idx) { starts.push(total); total += this.params[i].value.length; }
    const cells = passCells(total);
    const d: DenseArrays = {
      starts, total, value: idx.map((i) => this.params[i].value), grad: idx.map((i) => this.params[i].grad),
      m: m ? idx.map((i) => m[i]) : undefined, v: v ? idx.map((i) => v[i]) : undefined, kernels: k.exports,
      claims: new Int32Array(cells.claims), partials: new Float64Array(cells.partials),
    };
    const offsets = (xs?: Float32Array[]) => xs?.map((x) => x.byteOffset);
    const msg: SharedRequest = {
      type: 'attach', memory: k.heap.memory, lengths: d.value.map((x) => x.length),
      value: offsets(d.value)!, grad: offsets(d.grad)!, m: offsets(d.m), v: offsets(d.v), ...cells,
    };
    this.split(() => msg, () => undefined);
    this.dense = d;
    return d;
  }

  /**
   * A pass over the dense parameters shared by all threads (after shareDense): each claims
   * chunks until none is left (passChunks); this thread first runs `rows` (the embedding
   * tables' rows, which only it does), then joins in.
   */
  private sharePass(pass: DensePass, rows: () => void): void {
    const d = this.dense!;
    Atomics.store(d.claims, 0, 0);
    this.split(() => pass, () => {
      rows();
      passChunks(d, pass);
    });
  }

  /**
   * Posts `request(j)` to worker j (1-based; null: none), runs `own` on this thread, then waits
   * for the workers.
   */
  private split(request: (j: number) => SharedRequest | null, own: () => void): void {
    // Per worker: -1 nothing posted, else the KIND of the command.
    const posted = this.replicas.map((r, i) => {
      const m = request(i + 1);
      if (m === null) return -1;
      const kind = packPass(m, r.args) ? 2 : 0;
      if (kind === 0) r.port.postMessage(m);
      Atomics.store(r.ctrl, KIND, kind);
      Atomics.store(r.ctrl, CMD, ++r.seq);
      Atomics.notify(r.ctrl, CMD);
      return kind;
    });
    let failure: Error | null = null;
    try {
      own();
    } finally {
      this.replicas.forEach((r, i) => {
        if (posted[i] < 0) return;
        if (posted[i] === 2) {
          this.awaitDone(r, i + 1, this.mode === 'directions');
          if (Atomics.load(r.ctrl, FAILED) === 0) return;
          Atomics.store(r.ctrl, FAILED, 0);
        }
        const reply = this.awaitReply(r, i + 1);
        if (reply.type === 'error') failure ??= new Error(`training worker ${i + 1}: ${reply.message}`);
      });
    }
    if (failure) throw failure;
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const b of this.split2) b.helper = null;
    this.split2.length = 0;
    await Promise.all(this.replicas.map(async (r) => {
      const exited = new Promise<void>((resolve) => r.worker.once('exit', () => resolve()));
      if (Atomics.load(r.ctrl, DEAD) === 0) {
        r.port.postMessage({ type: 'exit' });
        Atomics.store(r.ctrl, KIND, 0);
        Atomics.store(r.ctrl, CMD, ++r.seq);
        Atomics.notify(r.ctrl, CMD);
      }
      const timer = setTimeout(() => void r.worker.terminate(), 2000);
      await exited;
      clearTimeout(timer);
      r.port.close();
    }));
  }

  /** Writes the parameters the workers need into the mirror; returns what they must pull. */
  private publish(): 'all' | (Int32Array | null)[] {
    const v = this.values;
    if (this.fullSync) {
      this.params.forEach((p, i) => v.set(p.value, this.slots[i].offset));
      this.fullSync = false;
      for (const r of this.replicas) r.stale = true;
      return 'all';
    }
    this.params.forEach((p, i) => {
      const s = this.slots[i];
      const rows = this.changed[i];
      if (!s.sparse) v.set(p.value, s.offset);
      else if (rows) {
        const w = s.rowSize;
        for (const r of rows) copyRow(p.value, r * w, v, s.offset + r * w, w);
      }
    });
    return this.changed;
  }

  /** Throws if worker `r` has exited. */
  private checkAlive(r: Replica, id: number): void {
    if (Atomics.load(r.ctrl, DEAD) !== 0) throw new Error(`training worker ${id} stopped${r.error ? `: ${r.error.message}` : ''}`);
  }

  /** Blocks until worker `r` has finished its current command (polling first when `spin`). */
  private awaitDone(r: Replica, id: number, spin: boolean): void {
    for (;;) {
      const done = Atomics.load(r.ctrl, DONE);
      if (done === r.seq) return;
      this.checkAlive(r, id);
      if (spin && spinWhile(r.ctrl, DONE, done, SPIN_MS)) continue;
      Atomics.wait(r.ctrl, DONE, done, 1000);
    }
  }

  /** Blocks until worker `r` has answered its current step. */
  private awaitReply(r: Replica, id: number): StepReply {
    this.awaitDone(r, id, this.mode === 'directions');
    const m = receiveMessageOnPort(r.port);
    if (m === undefined) throw new Error(`training worker ${id}: no reply`);
    return m.message as StepReply;
  }

  /** param.grad += the worker's gradients (dense whole; embedding tables in the rows it used). */
  private addGrads(src: Float32Array, rows: (Int32Array | null)[]): void {
    this.params.forEach((p, i) => {
      const s = this.slots[i], g = p.grad, o = s.offset;
      if (!s.sparse) {
        const k = kernelsFor(g, src);
        if (k !== null) k.addInto(g.byteOffset, src.byteOffset + 4 * o, s.length);
        else for (let j = 0; j < s.length; j++) g[j] += src[o + j];
        return;
      }
      const list = rows[i];
      if (!list || list.length === 0) return;
      const w = s.rowSize, set = p.sparseRows!;
      for (const r of list) {
        set.add(r);
        const a = r * w, b = o + r * w;
        for (let k = 0; k < w; k++) g[a + k] += src[b + k];
      }
    });
  }
}

/** dst[d … d+n) = src[s … s+n) (a loop: no subarray objects per row). */
export function copyRow(src: Float32Array, s: number, dst: Float32Array, d: number, n: number): void {
  for (let k = 0; k < n; k++) dst[d + k] = src[s + k];
}

/**
 * Why training cannot be split by LSTM direction on `threads` threads (a phrase to follow
 * "--parallel directions" or "mode \"directions\""), or null when it can: it needs exactly 2
 * threads, a bidirectional LSTM (the word encoder's or the character encoder's) and the WASM
 * backend (the worker runs the main thread's kernels on its memory).
 */
export function directionsProblem(arch: Pick<TaggerArchitecture, 'cell' | 'bidirectional' | 'charEncoder'>, threads: number): string | null {
  if (threads !== 2) return `runs on exactly 2 threads (got ${threads})`;
  if (!((arch.cell === 'lstm' && arch.bidirectional) || arch.charEncoder === 'lstm')) return 'needs a bidirectional LSTM (--cell lstm, --bidirectional)';
  if (activeKernels() === null) return `needs the WASM backend (${backendInfo().reason ?? 'js in use'})`;
  return null;
}

/** The model's bidirectional LSTM layers: the word encoder's, and the character encoder's. */
export function bidirectionalLstms(model: SequenceTagger): Bidirectional[] {
  const layers: unknown[] = [...model.encoder.layers, model.charEnc?.rnn ?? null];
  return layers.filter((l): l is Bidirectional => l instanceof Bidirectional && l.cellKind === 'lstm');
}

