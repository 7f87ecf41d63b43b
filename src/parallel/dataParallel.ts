/**
 * Data-parallel training of a SequenceTagger on worker threads, below the training loop.
 *
 * `trainBatch(batch)` does what `model.trainStep(batch)` does — forward and backward of the
 * whole batch, gradients accumulated into the model's `param.grad` — with the batch's sentences
 * split across `threads` threads (see shard.ts): the main thread computes its shard on the model
 * itself while each worker computes one on its replica (its own module instances, so its own
 * WASM kernels and heap); then the workers' gradients are added into the model's. The loop then
 * clips and steps on the main thread as usual.
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
 * synchronous); a step costs two wake-ups per worker, a few microseconds each.
 *
 * Identical to one thread: the sum of the shards' gradients is the whole batch's, up to float
 * rounding (other summation order), with the same dropout masks (replayed from the dropout
 * Rng), and the model's dropout Rng ends each step where one thread leaves it, so checkpoints
 * and exact resume work unchanged. Runs are deterministic: workers' gradients are added in a
 * fixed order.
 */
import { Worker, MessageChannel, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { RngState } from '../tensor/index.js';
import { backendInfo, type BackendName } from '../tensor/backend.js';
import type { Param } from '../nn/param.js';
import type { CRFAllowed } from '../nn/index.js';
import type { SequenceTagger, TaggerArchitecture, TaggerBatch, TaggerVocab } from '../tagger/model.js';
import { workerScriptPath } from './workerScript.js';
import {
  assignShards, subBatch, packBatch, dropoutWidths, shardUniformCount, shardUniforms, type PackedBatch,
} from './shard.js';

/** Cells of a worker's control array. */
export const CMD = 0;
export const DONE = 1;
/** Set by a worker that exits, so the main thread stops waiting for it. */
export const DEAD = 2;

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
  backend: BackendName;
  arch: TaggerArchitecture;
  vocab: TaggerVocab;
  crf: CRFAllowed | null;
  names: string[];
  values: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  ctrl: SharedArrayBuffer;
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

export type StepReply =
  | { type: 'done'; loss: number; count: number; rows: (Int32Array | null)[] }
  | { type: 'error'; message: string };

interface Replica {
  worker: Worker;
  port: MessagePort;
  ctrl: Int32Array;
  grads: Float32Array;
  seq: number;
  /** Missed a step (empty shard): pulls every parameter next time. */
  stale: boolean;
}

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
}

export class DataParallel {
  readonly timings: DataParallelTimings = { steps: 0, publish: 0, dispatch: 0, own: 0, wait: 0, merge: 0 };
  private readonly params: Param[];
  private readonly slots: ParamSlot[];
  private readonly values: Float32Array;
  private readonly widths: number[];
  /** Rows of each embedding table that the last step's gradients touched (the optimizer moves exactly those). */
  private changed: (Int32Array | null)[];
  private fullSync = true;
  private uniforms = new Float64Array(0);
  private closed = false;

  private constructor(readonly model: SequenceTagger, private readonly replicas: Replica[], values: SharedArrayBuffer) {
    this.params = model.params();
    this.slots = paramLayout(this.params).slots;
    this.values = new Float32Array(values);
    this.widths = dropoutWidths(model);
    this.changed = this.params.map(() => null);
  }

  /**
   * Starts `threads − 1` workers, each with a replica of `model` (same architecture, vocabulary
   * and output layer; weights arrive with the first step), on the calling thread's backend.
   */
  static async start(model: SequenceTagger, threads: number): Promise<DataParallel> {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`DataParallel: threads must be a positive integer, got ${threads}`);
    const params = model.params();
    const { total } = paramLayout(params);
    const values = new SharedArrayBuffer(4 * total);
    const replicas: Replica[] = [];
    const ready: Promise<void>[] = [];
    const script = threads > 1 ? workerScriptPath() : '';
    for (let i = 1; i < threads; i++) {
      const grads = new SharedArrayBuffer(4 * total);
      const ctrl = new SharedArrayBuffer(4 * 4);
      const { port1, port2 } = new MessageChannel();
      const data: TrainWorkerData = {
        role: 'train', backend: backendInfo().name, arch: model.arch, vocab: model.vocab, crf: model.crf?.allowed ?? null,
        names: params.map((p) => p.name), values, grads, ctrl, port: port2,
      };
      const worker = new Worker(script, { workerData: data, transferList: [port2] });
      replicas.push({ worker, port: port1, ctrl: new Int32Array(ctrl), grads: new Float32Array(grads), seq: 0, stale: true });
      ready.push(new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { type: string; message?: string }) => (m.type === 'ready' ? resolve() : reject(new Error(`training worker ${i}: ${m.message}`))));
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`training worker ${i} exited with code ${code} before it was ready`)));
      }));
    }
    const dp = new DataParallel(model, replicas, values);
    try {
      await Promise.all(ready);
    } catch (e) {
      await dp.close();
      throw e;
    }
    return dp;
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
    let t0 = performance.now();
    const sync = this.publish();
    let t1 = performance.now();
    tm.publish += t1 - t0;

    const shards = assignShards(batch.lengths, this.threads);
    let tokens = 0;
    for (let b = 0; b < batch.B; b++) tokens += batch.lengths[b];
    const scale = tokens > 0 ? 1 / tokens : 0;
    const widths = this.widths;
    const rng = this.model.dropoutRng;
    const state = widths.length > 0 ? rng.getState() : null;
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
      Atomics.store(r.ctrl, CMD, ++r.seq);
      Atomics.notify(r.ctrl, CMD);
    });
    t0 = performance.now();
    tm.dispatch += t0 - t1;

    let loss = 0, count = 0;
    const own = shards[0];
    const mine = own.length > 0 ? subBatch(batch, own) : null;
    if (state) {
      const Ts = mine?.T ?? 0;
      const n = shardUniformCount(widths, Ts, own.length);
      if (this.uniforms.length < n) this.uniforms = new Float64Array(Math.ceil(n * 1.25));
      const u = this.uniforms;
      const end = shardUniforms(state, batch.T, batch.B, widths, own, Ts, u);
      if (mine) {
        let k = 0;
        rng.replay = () => u[k++];
        try {
          const r = this.model.trainShard(mine, scale);
          loss += r.loss;
          count += r.count;
        } finally {
          rng.replay = null;
        }
        if (k !== n) throw new Error(`DataParallel: the model drew ${k} dropout uniforms, ${n} were replayed (dropoutWidths is out of date)`);
      }
      rng.setState(end);
    } else if (mine) {
      const r = this.model.trainShard(mine, scale);
      loss += r.loss;
      count += r.count;
    }
    t1 = performance.now();
    tm.own += t1 - t0;

    const replies: StepReply[] = [];
    let failure: Error | null = null;
    this.replicas.forEach((r, i) => {
      if (!busy[i]) return;
      const reply = this.awaitReply(r, i + 1);
      if (reply.type === 'error') failure ??= new Error(`training worker ${i + 1}: ${reply.message}`);
      replies.push(reply);
    });
    t0 = performance.now();
    tm.wait += t0 - t1;
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

  /** Stops the workers. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.replicas.map(async (r) => {
      const exited = new Promise<void>((resolve) => r.worker.once('exit', () => resolve()));
      if (Atomics.load(r.ctrl, DEAD) === 0) {
        r.port.postMessage({ type: 'exit' });
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
        for (const r of rows) v.set(p.value.subarray(r * w, r * w + w), s.offset + r * w);
      }
    });
    return this.changed;
  }

  /** Blocks until worker `r` has answered its current step. */
  private awaitReply(r: Replica, id: number): StepReply {
    for (;;) {
      const done = Atomics.load(r.ctrl, DONE);
      if (done === r.seq) break;
      if (Atomics.load(r.ctrl, DEAD) !== 0) throw new Error(`training worker ${id} stopped`);
      Atomics.wait(r.ctrl, DONE, done, 1000);
    }
    const m = receiveMessageOnPort(r.port);
    if (m === undefined) throw new Error(`training worker ${id}: no reply`);
    return m.message as StepReply;
  }

  /** param.grad += the worker's gradients (dense whole; embedding tables in the rows it used). */
  private addGrads(src: Float32Array, rows: (Int32Array | null)[]): void {
    this.params.forEach((p, i) => {
      const s = this.slots[i], g = p.grad, o = s.offset;
      if (!s.sparse) {
        for (let k = 0; k < s.length; k++) g[k] += src[o + k];
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
