/**
 * A pool of worker threads that tag text pieces or lists of token sequences with one model.
 *
 * Each worker (src/parallel/worker.ts, role `tag`) starts its own WASM kernels, loads the model
 * once and then answers jobs one after another. The main thread hands a job to the worker with
 * the fewest jobs outstanding. Given the calling thread's copy of the model (`share`), the
 * workers read its word-embedding table in the calling thread's shared WebAssembly memory
 * instead of loading their own (projection caches and workspaces stay per thread).
 *
 * `tagChunks` (what `ner tag` uses) tags a stream of chunks with N threads: the calling thread
 * and N − 1 workers. The calling thread tags a chunk itself whenever every worker already has
 * `perWorker` chunks queued (and while the workers start: a worker needs ~0.3 s to load the
 * code, compile the kernels and read the model), keeps the results in input order and bounds
 * the chunks in flight, so a large file uses every core while memory stays flat. At the end of
 * the input, when this thread would wait for the oldest chunk, it takes back a chunk queued at a
 * worker that no worker has started (TagPool.take; the newest first) and tags it itself: the
 * last chunks are not left queued behind a busy worker while this thread idles.
 * Small inputs (a single chunk) start no worker at all.
 */
import { Worker } from 'node:worker_threads';
import type { SentencePrediction, PredictOptions, Tagger } from '../tagger/tagger.js';
import { predict } from '../tagger/tagger.js';
import { tagText, type TaggedSentence, type TagTextOptions } from '../tagger/text.js';
import { workerScriptPath } from './workerScript.js';
import { backendInfo, type BackendName } from '../tensor/backend.js';
import type { Buf } from '../tensor/index.js';
import type { SequenceTagger } from '../tagger/model.js';

/** A job for a tagging worker. */
export type TagJob =
  | { kind: 'text'; text: string; options: TagTextOptions }
  | { kind: 'tokens'; sentences: string[][]; options: PredictOptions };

/** What a tagging worker starts with. */
export interface TagWorkerData {
  role: 'tag';
  modelDir: string;
  backend: BackendName;
  /** Job states (see JOB_RING). */
  jobStates: SharedArrayBuffer;
  /** The calling thread's word table, in its shared memory (see TagPool.start). */
  wordTable?: { buffer: SharedArrayBuffer; byteOffset: number; length: number };
}

/** Messages between the pool and its workers. */
export type TagRequest = TagJob & { id: number };
export type TagReply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'done'; id: number; result: TaggedSentence[] | SentencePrediction[] }
  | { type: 'failed'; id: number; message: string };

interface Pending {
  resolve(r: TaggedSentence[] | SentencePrediction[]): void;
  reject(e: Error): void;
}

interface Slot {
  worker: Worker;
  pending: Map<number, Pending>;
}

/**
 * Job states, shared with the workers (an Int32Array on a SharedArrayBuffer, indexed by job id
 * mod JOB_RING): the pool marks a job QUEUED when it posts it; the worker that receives it runs
 * it only if it turns QUEUED into RUNNING, and the pool takes it back only if it turns QUEUED
 * into TAKEN — one compare-exchange each, so exactly one side runs the job. Far fewer than
 * JOB_RING jobs are ever outstanding.
 */
export const JOB_RING = 4096;
export const JOB_QUEUED = 1, JOB_RUNNING = 2, JOB_TAKEN = 3;

export class TagPool {
  private nextId = 0;
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    private readonly states: Int32Array,
    /** The word table the workers read (kept reachable here so its heap block stays allocated). */
    private readonly sharedTable: Buf | null,
  ) {}

  /**
   * Starts `threads` workers that each load the model in `modelDir`; resolves when all are ready.
   * The workers use the calling thread's backend (WASM or JS), so they compute what it would.
   * @param o.share  the calling thread's copy of that same model: with the WASM backend its
   *                 memory is shared, and the workers read its word-embedding table there instead
   *                 of each loading one (for the default model 52 MB per worker; for a large
   *                 pretrained vocabulary much more). It must stay unchanged while the pool runs.
   */
  static async start(modelDir: string, threads: number, o: { share?: SequenceTagger } = {}): Promise<TagPool> {
    const script = workerScriptPath();
    const backend = backendInfo().name;
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    const jobStates = new SharedArrayBuffer(4 * JOB_RING);
    const table = o.share?.wordEmb.weight.value ?? null;
    const shared = table !== null && table.buffer instanceof SharedArrayBuffer && table.BYTES_PER_ELEMENT === 4 ? table : null;
    const wordTable = shared ? { buffer: shared.buffer as SharedArrayBuffer, byteOffset: shared.byteOffset, length: shared.length } : undefined;
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script, { workerData: { role: 'tag', modelDir, backend, jobStates, wordTable } satisfies TagWorkerData });
      const slot: Slot = { worker, pending: new Map() };
      slots.push(slot);
      ready.push(new Promise<void>((resolve, reject) => {
        let started = false;
        worker.on('message', (m: TagReply) => {
          if (m.type === 'ready') { started = true; resolve(); return; }
          if (m.type === 'fatal') { reject(new Error(m.message)); return; }
          const p = slot.pending.get(m.id);
          if (p === undefined) return;
          slot.pending.delete(m.id);
          if (m.type === 'done') p.resolve(m.result);
          else p.reject(new Error(m.message));
        });
        const fail = (e: Error): void => {
          if (!started) reject(e);
          for (const p of slot.pending.values()) p.reject(e);
          slot.pending.clear();
        };
        worker.on('error', fail);
        worker.on('exit', (code) => {
          if (code !== 0 || !started) fail(new Error(`tagging worker ${i} exited with code ${code}`));
        });
      }));
    }
    const pool = new TagPool(slots, new Int32Array(jobStates), shared);
    try {
      await Promise.all(ready);
    } catch (e) {
      await pool.close();
      throw e;
    }
    return pool;
  }

  get threads(): number {
    return this.slots.length;
  }

  /** Whether the workers read the word table of the model given as `share` (see start). */
  get sharesWordTable(): boolean {
    return this.sharedTable !== null;
  }

  /** Workers with no job outstanding. */
  idleWorkers(): number {
    let n = 0;
    for (const s of this.slots) if (s.pending.size === 0) n++;
    return n;
  }

  /** Whether some worker has fewer than `n` jobs outstanding. */
  hasRoom(n: number): boolean {
    return this.slots.some((s) => s.pending.size < n);
  }

  /** Tags token sequences (as `predict` does); order of the result = order of the input. */
  predict(sentences: string[][], options: PredictOptions = {}): Promise<SentencePrediction[]> {
    return this.run({ kind: 'tokens', sentences, options }) as Promise<SentencePrediction[]>;
  }

  /** Tags raw text (as `tagText` does). */
  tagText(text: string, options: TagTextOptions = {}): Promise<TaggedSentence[]> {
    return this.run({ kind: 'text', text, options }) as Promise<TaggedSentence[]>;
  }

  private run(job: TagJob): Promise<TaggedSentence[] | SentencePrediction[]> {
    if (this.closed) return Promise.reject(new Error('TagPool: closed'));
    let slot = this.slots[0];
    for (const s of this.slots) if (s.pending.size < slot.pending.size) slot = s;
    const id = this.nextId++;
    Atomics.store(this.states, id % JOB_RING, JOB_QUEUED);
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...job, id } satisfies TagRequest);
    });
  }

  /** The id of the job posted last (by predict or tagText), for `take`. */
  get lastJob(): number {
    return this.nextId - 1;
  }

  /**
   * Takes job `id` back if no worker has started it (true): its worker will skip it and its
   * promise never settles — the caller runs the job itself. False when a worker runs or ran it.
   */
  take(id: number): boolean {
    if (this.closed || Atomics.compareExchange(this.states, id % JOB_RING, JOB_QUEUED, JOB_TAKEN) !== JOB_QUEUED) return false;
    for (const s of this.slots) if (s.pending.delete(id)) break;
    return true;
  }

  /** Stops the workers (jobs still outstanding are rejected). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/** How to tag one chunk of input on the calling thread, or with a pool. */
export interface ChunkTagger<C, R> {
  local(chunk: C): R;
  remote(pool: TagPool, chunk: C): Promise<R>;
}

export interface TagChunksOptions {
  /** Threads to tag with: the calling thread and `threads − 1` workers (1: no worker). */
  threads: number;
  /** The model directory, loaded by every worker. */
  modelDir: string;
  /**
   * Chunks queued per worker before the calling thread tags one itself (default 4: against 2,
   * `ner tag --threads 2` on eng.train with the default model was faster in 4 of 4 interleaved
   * pairs, median 47,200 against 45,800 tok/s — the worker runs dry less often while this thread
   * tags a chunk).
   */
  perWorker?: number;
  /** A started pool to use (and leave open) instead of starting `threads − 1` workers. */
  pool?: TagPool;
  /** The calling thread's copy of the model in `modelDir`, for the workers to share (TagPool.start). */
  share?: SequenceTagger;
}

/**
 * Tags a stream of chunks in order, with the calling thread and `threads − 1` workers (see the
 * top of this file). With one thread, or when the input holds a single chunk, no worker is
 * started. At most `threads × perWorker` chunks are in flight; the workers are stopped at the
 * end, also when the consumer stops early or a chunk fails.
 */
export async function* tagChunks<C, R>(chunks: AsyncIterable<C>, tagger: ChunkTagger<C, R>, o: TagChunksOptions): AsyncGenerator<{ chunk: C; result: R }> {
  const it = chunks[Symbol.asyncIterator]();
  const first = await it.next();
  if (first.done) return;
  const threads = o.pool ? o.pool.threads + 1 : o.threads;
  const second = threads > 1 ? await it.next() : null;
  if (second === null || second.done) {
    yield { chunk: first.value, result: tagger.local(first.value) };
    if (second === null) {
      for (let r = await it.next(); !r.done; r = await it.next()) yield { chunk: r.value, result: tagger.local(r.value) };
    }
    return;
  }
  const per = o.perWorker ?? 4;
  let pool: TagPool | null = o.pool ?? null;
  let failed: unknown = null;
  const starting = o.pool ? Promise.resolve() : TagPool.start(o.modelDir, threads - 1, { share: o.share }).then((p) => { pool = p; }, (e: unknown) => { failed = e; });
  /** A chunk in flight: its result, whether that has settled, its pool job (−1: tagged here). */
  interface Item { chunk: C; result: Promise<R>; settled: boolean; job: number }
  const local = (it: Item): void => {
    it.job = -1;
    try {
      it.result = Promise.resolve(tagger.local(it.chunk));
    } catch (e) {
      it.result = Promise.reject(e);
    }
    it.result.catch(() => undefined); // awaited in order below; not an unhandled rejection meanwhile
    it.settled = true;
  };
  const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
  const hasRoom = (): boolean => (pool as TagPool | null)?.hasRoom(per) ?? false;
  const start = async (chunk: C): Promise<Item> => {
    const it: Item = { chunk, result: Promise.resolve() as Promise<R>, settled: false, job: -1 };
    // Before tagging here, a turn of the event loop: a worker's reply that came meanwhile frees
    // its room, and the chunk goes to it instead of waiting behind this thread's.
    if (pool !== null && !hasRoom()) await turn();
    const p = pool as TagPool | null;
    if (failed !== null) {
      it.result = Promise.reject(failed);
      it.result.catch(() => undefined);
    } else if (p !== null && hasRoom()) {
      const sent = tagger.remote(p, chunk);
      it.job = p.lastJob;
      it.result = sent;
      const done = (): void => { if (it.result === sent) it.settled = true; };
      sent.then(done, done);
    } else {
      local(it);
    }
    return it;
  };
  /** Takes back the newest chunk queued at a worker and not started there, and tags it here. */
  const takeBack = (queue: Item[]): boolean => {
    const p = pool as TagPool | null;
    if (p === null) return false;
    for (let i = queue.length - 1; i >= 0; i--) {
      const it = queue[i];
      if (it.job >= 0 && !it.settled && p.take(it.job)) { local(it); return true; }
    }
    return false;
  };
  const queue: Item[] = [];
  const next = async (tail: boolean): Promise<{ chunk: C; result: R }> => {
    const head = queue[0];
    // At the end of the input, rather than wait for the oldest chunk, tag chunks still queued at
    // a worker here (earlier, that would leave the worker without its next chunk); a turn of the
    // event loop after each lets the workers' replies in.
    while (tail && !head.settled && takeBack(queue)) await turn();
    const result = await head.result;
    queue.shift();
    return { chunk: head.chunk, result };
  };
  async function* all(): AsyncGenerator<C> {
    yield first.value as C;
    yield (second as IteratorYieldResult<C>).value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  try {
    for await (const c of all()) {
      queue.push(await start(c));
      if (queue.length >= threads * per) yield await next(false);
    }
    while (queue.length > 0) yield await next(true);
    if (failed !== null) throw failed;
  } finally {
    await starting;
    if (!o.pool) await (pool as TagPool | null)?.close();
  }
}

/** Groups a stream into arrays of `n` items (the last one may be shorter). */
export async function* groupsOf<T>(source: AsyncIterable<T>, n: number): AsyncGenerator<T[]> {
  let group: T[] = [];
  for await (const x of source) {
    group.push(x);
    if (group.length >= n) {
      yield group;
      group = [];
    }
  }
  if (group.length > 0) yield group;
}

/** Chunks of raw text (pieces of a larger input at `offset`), tagged as `tagText` does. */
export function textChunks(t: Tagger, options: TagTextOptions): ChunkTagger<{ text: string; offset: number }, TaggedSentence[]> {
  return {
    local: (c) => tagText(t, c.text, { ...options, offset: c.offset }),
    remote: (pool, c) => pool.tagText(c.text, { ...options, offset: c.offset }),
  };
}

/** Chunks of token sequences, tagged as `predict` does. */
export function tokenChunks<S extends { tokens: string[] }>(t: Tagger, options: PredictOptions): ChunkTagger<S[], SentencePrediction[]> {
  return {
    local: (c) => predict(t, c.map((s) => s.tokens), options),
    remote: (pool, c) => pool.predict(c.map((s) => s.tokens), options),
  };
}
