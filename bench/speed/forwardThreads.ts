/**
 * Forward + argmax on pre-encoded batches with N threads: the work torch_bilstm.py times when it
 * tags (a forward pass and an argmax per batch, the batches built beforehand), spread over this
 * thread and N − 1 worker threads (N = 1: this thread alone, no worker). `npm run bench` reports
 * it beside PyTorch's tagging with the same number of threads.
 *
 * Every thread holds the model (the workers load the saved copy, as a TagPool worker does: with
 * its projection cache on and empty) and encodes the same batches before the clock; each warms
 * on the first 5 batches, as torch_bilstm.py does. Then, timed, the threads take batch indices
 * from one shared counter (Atomics.add: whoever is free takes the next batch, longest first, so
 * the threads end within one short batch of each other) until none is left. The time is from
 * the start signal to the last thread's end.
 *
 * This module is also the workers' entry (workerData.role === 'bench-forward').
 */
import { Worker, isMainThread, workerData, parentPort } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { useWasm, useJs, backendInfo, type BackendName } from '../../src/tensor/index.js';
import { argmaxRows } from '../../src/nn/index.js';
import { loadModel } from '../../src/tagger/store.js';
import type { SequenceTagger, TaggerBatch } from '../../src/tagger/model.js';

// Cells of the control array (Int32Array on a SharedArrayBuffer).
const GO = 0; // incremented to start a pass (the workers wait on it)
const WHICH = 1; // index into the batch lists of the pass to run; -1: exit
const NEXT = 2; // next batch index to take
const DONE = 3; // threads finished with this pass
const TOKENS = 4; // [TOKENS + thread]: tokens this thread tagged in the pass
const WARM = 5;

interface WorkerData {
  role: 'bench-forward';
  modelDir: string;
  backend: BackendName;
  /** Sentences as token lists, and for each pass the batches as lists of sentence indices. */
  sentences: string[][];
  passes: number[][][];
  control: SharedArrayBuffer;
  thread: number;
}

/** Encodes each pass's batches and runs the first WARM of each (untimed). */
function prepare(model: SequenceTagger, sentences: readonly string[][], passes: readonly number[][][]): TaggerBatch[][] {
  const lists = passes.map((order) => order.map((idx) => model.encode(idx.map((i) => sentences[i]))));
  for (const list of lists) runBatches(model, list.slice(0, WARM), null);
  return lists;
}

/**
 * Forward + argmax over `batches`, taking indices from the shared counter when `ctl` is given
 * (else all of them, in order); returns the tokens tagged.
 */
function runBatches(model: SequenceTagger, batches: readonly TaggerBatch[], ctl: Int32Array | null): number {
  let out = new Int32Array(0);
  let tokens = 0;
  for (let i = ctl ? Atomics.add(ctl, NEXT, 1) : 0; i < batches.length; i = ctl ? Atomics.add(ctl, NEXT, 1) : i + 1) {
    const b = batches[i];
    if (out.length < b.T * b.B) out = new Int32Array(b.T * b.B);
    argmaxRows(model.scores(b), b.T * b.B, model.K, out);
    for (let j = 0; j < b.B; j++) tokens += b.lengths[j];
  }
  return tokens;
}

function workerMain(d: WorkerData): void {
  if (d.backend === 'wasm') useWasm(); else useJs('bench --backend js');
  const { model } = loadModel(d.modelDir);
  const lists = prepare(model, d.sentences, d.passes);
  const ctl = new Int32Array(d.control);
  parentPort!.postMessage('ready');
  let gen = 0;
  for (;;) {
    Atomics.wait(ctl, GO, gen);
    gen = Atomics.load(ctl, GO);
    const which = Atomics.load(ctl, WHICH);
    if (which < 0) return;
    Atomics.store(ctl, TOKENS + d.thread, runBatches(model, lists[which], ctl));
    Atomics.add(ctl, DONE, 1);
    Atomics.notify(ctl, DONE);
  }
}

if (!isMainThread && (workerData as WorkerData | null)?.role === 'bench-forward') workerMain(workerData as WorkerData);

/** N threads running forward + argmax passes; see the module comment. */
export class ForwardThreads {
  private gen = 0;
  private constructor(
    private readonly model: SequenceTagger,
    private readonly lists: TaggerBatch[][],
    private readonly workers: Worker[],
    private readonly ctl: Int32Array,
  ) {}

  /**
   * Starts `threads − 1` workers on the model saved in `modelDir` (the same weights as `model`,
   * which this thread uses; this thread's backend) and prepares every pass on every thread.
   * @param passes for each pass, its batches as lists of indices into `sentences`
   */
  static async start(model: SequenceTagger, modelDir: string, threads: number,
    sentences: string[][], passes: number[][][]): Promise<ForwardThreads> {
    const backend = backendInfo().name;
    const control = new SharedArrayBuffer(4 * (TOKENS + threads));
    const workers: Worker[] = [];
    const ready: Promise<void>[] = [];
    for (let t = 1; t < threads; t++) {
      const data: WorkerData = { role: 'bench-forward', modelDir, backend, sentences, passes, control, thread: t };
      const w = new Worker(fileURLToPath(import.meta.url), { workerData: data });
      workers.push(w);
      ready.push(new Promise((resolve, reject) => {
        w.once('message', () => resolve());
        w.once('error', reject);
        w.once('exit', (code) => reject(new Error(`forward worker ${t} exited with code ${code} before it was ready`)));
      }));
    }
    const ft = new ForwardThreads(model, prepare(model, sentences, passes), workers, new Int32Array(control));
    try {
      await Promise.all(ready);
    } catch (e) {
      await ft.close();
      throw e;
    }
    return ft;
  }

  /** Runs pass `which` on every thread; the seconds it took and each thread's tokens. */
  run(which: number): { seconds: number; tokens: number[] } {
    const ctl = this.ctl, threads = this.workers.length + 1;
    Atomics.store(ctl, NEXT, 0);
    Atomics.store(ctl, DONE, 0);
    Atomics.store(ctl, WHICH, which);
    const t0 = performance.now();
    Atomics.store(ctl, GO, ++this.gen);
    Atomics.notify(ctl, GO);
    Atomics.store(ctl, TOKENS, runBatches(this.model, this.lists[which], ctl));
    Atomics.add(ctl, DONE, 1);
    for (let d = Atomics.load(ctl, DONE); d < threads; d = Atomics.load(ctl, DONE)) Atomics.wait(ctl, DONE, d);
    const seconds = (performance.now() - t0) / 1000;
    return { seconds, tokens: Array.from({ length: threads }, (_, t) => ctl[TOKENS + t]) };
  }

  /** Stops the workers. */
  async close(): Promise<void> {
    Atomics.store(this.ctl, WHICH, -1);
    Atomics.store(this.ctl, GO, ++this.gen);
    Atomics.notify(this.ctl, GO);
    await Promise.all(this.workers.map((w) => new Promise<void>((resolve) => {
      if (w.threadId < 0) resolve(); else { w.once('exit', () => resolve()); }
    })));
  }
}
