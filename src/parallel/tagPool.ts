/**
 * A pool of worker threads that tag text pieces or lists of token sequences with one model.
 *
 * Each worker (src/parallel/worker.ts, role `tag`) starts its own WASM kernels, loads the model
 * once and then answers jobs one after another. The main thread hands a job to the worker with
 * the fewest jobs outstanding.
 *
 * `tagChunks` (what `ner tag` uses) tags a stream of chunks with N threads: the calling thread
 * and N − 1 workers. The calling thread tags a chunk itself whenever every worker already has
 * `perWorker` chunks queued (and while the workers start: a worker needs ~0.3 s to load the
 * code, compile the kernels and read the model), keeps the results in input order and bounds
 * the chunks in flight, so a large file uses every core while memory stays flat. Small inputs
 * (a single chunk) start no worker at all.
 */
import { Worker } from 'node:worker_threads';
import type { SentencePrediction, PredictOptions, Tagger } from '../tagger/tagger.js';
import { predict } from '../tagger/tagger.js';
import { tagText, type TaggedSentence, type TagTextOptions } from '../tagger/text.js';
import { workerScriptPath } from './workerScript.js';
import { backendInfo } from '../tensor/backend.js';

/** A job for a tagging worker. */
export type TagJob =
  | { kind: 'text'; text: string; options: TagTextOptions }
  | { kind: 'tokens'; sentences: string[][]; options: PredictOptions };

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

export class TagPool {
  private nextId = 0;
  private closed = false;

  private constructor(private readonly slots: Slot[]) {}

  /**
   * Starts `threads` workers that each load the model in `modelDir`; resolves when all are ready.
   * The workers use the calling thread's backend (WASM or JS), so they compute what it would.
   */
  static async start(modelDir: string, threads: number): Promise<TagPool> {
    const script = workerScriptPath();
    const backend = backendInfo().name;
    const slots: Slot[] = [];
    const ready: Promise<void>[] = [];
    for (let i = 0; i < threads; i++) {
      const worker = new Worker(script, { workerData: { role: 'tag', modelDir, backend } });
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
    const pool = new TagPool(slots);
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
    return new Promise((resolve, reject) => {
      slot.pending.set(id, { resolve, reject });
      slot.worker.postMessage({ ...job, id } satisfies TagRequest);
    });
  }

  /** Stops the workers (jobs still outstanding are rejected). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}

/**
 * Runs `run` on every item of `source` with at most `window` runs outstanding, and yields the
 * results in input order. Items are read from `source` only as fast as results are consumed.
 */
export async function* orderedMap<I, O>(source: AsyncIterable<I>, run: (item: I) => Promise<O>, window: number): AsyncGenerator<{ item: I; result: O }> {
  const queue: { item: I; result: Promise<O> }[] = [];
  for await (const item of source) {
    const result = run(item);
    result.catch(() => undefined); // awaited below, in order; not an unhandled rejection meanwhile
    queue.push({ item, result });
    if (queue.length >= window) {
      const head = queue.shift()!;
      yield { item: head.item, result: await head.result };
    }
  }
  while (queue.length > 0) {
    const head = queue.shift()!;
    yield { item: head.item, result: await head.result };
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
  /** Chunks queued per worker before the calling thread tags one itself (default 2). */
  perWorker?: number;
  /** A started pool to use (and leave open) instead of starting `threads − 1` workers. */
  pool?: TagPool;
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
  const per = o.perWorker ?? 2;
  let pool: TagPool | null = o.pool ?? null;
  let failed: unknown = null;
  const starting = o.pool ? Promise.resolve() : TagPool.start(o.modelDir, threads - 1).then((p) => { pool = p; }, (e: unknown) => { failed = e; });
  const run = (c: C): Promise<R> => {
    if (failed !== null) return Promise.reject(failed);
    const p = pool as TagPool | null;
    if (p !== null && p.hasRoom(per)) return tagger.remote(p, c);
    try {
      return Promise.resolve(tagger.local(c));
    } catch (e) {
      return Promise.reject(e);
    }
  };
  async function* all(): AsyncGenerator<C> {
    yield first.value as C;
    yield (second as IteratorYieldResult<C>).value;
    for (let r = await it.next(); !r.done; r = await it.next()) yield r.value;
  }
  try {
    for await (const { item, result } of orderedMap(all(), run, threads * per)) yield { chunk: item, result };
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
