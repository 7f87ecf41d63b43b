/**
 * The training worker (role `train`, started by DataParallel): holds a replica of the model and
 * computes the gradients of one shard per step. See dataParallel.ts for the protocol.
 */
import { receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import { useWasm, useJs, activeKernels } from '../tensor/backend.js';
import { optim } from '../nn/index.js';
import { SequenceTagger } from '../tagger/model.js';
import {
  CMD, DEAD, DONE, FAILED, KIND, SPIN_MS, spinWhile, copyRow, paramLayout, unpackPass, type SharedRequest, type StepReply, type StepRequest, type TrainWorkerData,
} from './dataParallel.js';
import { shardUniformCount, shardUniforms, unpackBatch } from './shard.js';
import { passChunks, type DenseArrays } from './update.js';
import { withoutInit } from '../tensor/init.js';
import { runPairOps } from '../tensor/remote.js';
import type { KernelExports, WasmMemory } from '../tensor/wasm.js';

export async function runTrainWorker(parent: MessagePort, data: TrainWorkerData): Promise<void> {
  const ctrl = new Int32Array(data.ctrl);
  process.on('exit', () => {
    Atomics.store(ctrl, DEAD, 1);
    Atomics.notify(ctrl, DONE);
  });
  let model: SequenceTagger | null = null;
  try {
    if (data.backend === 'wasm') useWasm();
    else useJs('as the main thread');
    if (data.mode === 'batch') {
      model = withoutInit(() => new SequenceTagger(data.arch, data.vocab, 0, data.crf ?? undefined)); // weights come with the first step
      const names = model.params().map((p) => p.name);
      if (names.join('\n') !== data.names.join('\n')) throw new Error('the replica\'s parameters differ from the model\'s');
    }
  } catch (e) {
    parent.postMessage({ type: 'fatal', message: (e as Error).message });
    return;
  }
  const params = model?.params() ?? [];
  const { slots, total } = paramLayout(params);
  const values = new Float32Array(data.values);
  const grads = data.grads instanceof SharedArrayBuffer
    ? new Float32Array(data.grads)
    : new Float32Array(data.grads.memory.buffer as ArrayBuffer, data.grads.offset, total);
  const port = data.port;
  const args = new Float64Array(data.args);
  let uniforms = new Float64Array(0);

  const step = (msg: StepRequest): StepReply => {
    if (model === null) throw new Error('a step request in mode "directions"');
    // Pull the parameters the main thread changed since our last step.
    params.forEach((p, i) => {
      const s = slots[i];
      if (msg.sync === 'all' || !s.sparse) {
        p.value.set(values.subarray(s.offset, s.offset + s.length));
        return;
      }
      const rows = msg.sync[i];
      if (!rows) return;
      const w = s.rowSize;
      for (const r of rows) copyRow(values, s.offset + r * w, p.value, r * w, w);
    });
    const batch = unpackBatch(msg.batch);
    const rng = model.dropoutRng;
    let result: { loss: number; count: number };
    if (msg.masks) {
      const m = msg.masks;
      const n = shardUniformCount(m.widths, batch.T, batch.B);
      if (uniforms.length < n) uniforms = new Float64Array(Math.ceil(n * 1.25));
      const u = uniforms;
      shardUniforms(m.state, m.T, m.B, m.widths, m.cols, batch.T, u);
      let k = 0;
      rng.replay = () => u[k++];
      try {
        result = model.trainShard(batch, msg.scale);
      } finally {
        rng.replay = null;
      }
      if (k !== n) throw new Error(`the model drew ${k} dropout uniforms, ${n} were replayed`);
    } else {
      result = model.trainShard(batch, msg.scale);
    }
    // Hand the gradients over (dense whole, embedding tables by rows) and clear ours.
    const rows = params.map((p, i) => {
      const s = slots[i];
      if (!s.sparse) {
        grads.set(p.grad, s.offset);
        return null;
      }
      const list = Int32Array.from(p.sparseRows!);
      const w = s.rowSize;
      for (const r of list) copyRow(p.grad, r * w, grads, s.offset + r * w, w);
      return list;
    });
    optim.zeroGrad(params);
    return { type: 'done', loss: result.loss, count: result.count, rows };
  };

  // The main thread's dense parameters, in its memory (after an `attach`).
  let dense: DenseArrays | null = null;
  // Mode 'directions': the kernels on the main thread's memory, and our gemm scratch area there.
  let remote = null as { memory: WasmMemory; exports: KernelExports; scratch: number; program: Float64Array; cells: Int32Array } | null;
  const shared = (msg: SharedRequest): StepReply => {
    if (msg.type === 'kernels') {
      const exports = activeKernels()?.instanceOn(msg.memory);
      if (exports === undefined) throw new Error('kernel programs need the WASM backend');
      remote = { memory: msg.memory, exports, scratch: msg.scratch, program: new Float64Array(msg.program), cells: new Int32Array(msg.cells) };
      return { type: 'ok' };
    }
    if (msg.type === 'attach') {
      const views = (offsets: number[]) => offsets.map((o, i) => new Float32Array(msg.memory.buffer as ArrayBuffer, o, msg.lengths[i]));
      const starts: number[] = [];
      let total = 0;
      for (const n of msg.lengths) { starts.push(total); total += n; }
      // The same kernels as the main thread's, instantiated on its memory: bit-identical updates.
      const kernels = activeKernels()?.instanceOn(msg.memory) ?? null;
      dense = {
        starts, total, value: views(msg.value), grad: views(msg.grad), m: msg.m && views(msg.m), v: msg.v && views(msg.v), kernels,
        claims: new Int32Array(msg.claims), partials: new Float64Array(msg.partials),
      };
      return { type: 'ok' };
    }
    if (dense === null) throw new Error(`${msg.type} before attach`);
    passChunks(dense, msg, 'back');
    return { type: 'ok' };
  };

  parent.postMessage({ type: 'ready' });
  let seen = 0;
  const spin = data.mode === 'directions';
  for (;;) {
    if (!(spin && spinWhile(ctrl, CMD, seen, SPIN_MS)) && Atomics.wait(ctrl, CMD, seen, 500) === 'timed-out') {
      // Idle (the main thread evaluates, checkpoints…): let the event loop turn, so that heap
      // blocks of dropped buffers are reclaimed (see tensor/wasm.ts).
      await new Promise((resolve) => setImmediate(resolve));
      continue;
    }
    seen = Atomics.load(ctrl, CMD);
    const kind = Atomics.load(ctrl, KIND);
    if (kind === 1 || kind === 2) {
      // Shared-memory commands, no message either way: our part of a pair of kernel programs
      // (mode 'directions'), or an optimizer pass (its sums, if any, go into the shared
      // partials). A failure is flagged and its message posted.
      try {
        if (kind === 2) {
          shared(unpackPass(args));
        } else {
          const rm = remote as typeof remote;
          if (rm === null) throw new Error('a kernel program before kernels');
          runPairOps(rm.program, rm.cells, 1, rm.memory, rm.exports, rm.scratch);
        }
      } catch (e) {
        port.postMessage({ type: 'error', message: (e as Error).stack ?? String(e) } satisfies StepReply);
        Atomics.store(ctrl, FAILED, 1);
      }
      Atomics.store(ctrl, DONE, seen);
      Atomics.notify(ctrl, DONE);
      continue;
    }
    const msg = receiveMessageOnPort(port)?.message as StepRequest | SharedRequest | { type: 'exit' } | undefined;
    if (msg === undefined || msg.type === 'exit') break;
    let reply: StepReply;
    try {
      reply = msg.type === 'step' ? step(msg) : shared(msg);
    } catch (e) {
      reply = { type: 'error', message: (e as Error).stack ?? String(e) };
    }
    port.postMessage(reply);
    Atomics.store(ctrl, DONE, seen);
    Atomics.notify(ctrl, DONE);
  }
  port.close();
}
