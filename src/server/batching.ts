/**
 * Batching across callers: texts of requests that arrive within a few milliseconds of each other
 * are split into sentences and tagged in one `predict` call, then the results are handed back to
 * each caller. A forward pass over 32 sentences costs little more than one over a single
 * sentence (the gemms get wider, not more numerous), so under concurrent load throughput grows
 * with the batch while a lone request waits only `waitMs` longer.
 *
 * Tagging is synchronous CPU work on the calling thread. A batch holding many sentences is
 * tagged in slices of `maxBatchSentences`, and the event loop runs between slices, so a large
 * request cannot stall health checks, timeouts or the reading of other requests for long.
 *
 * With a TagPool (`pool`), a batch of many sentences (at least two forward passes' worth) is
 * split between this thread and the idle workers, in equal parts: under heavy load the batches
 * grow, and every thread takes a part. A small batch is tagged here alone (a round trip to a
 * worker would cost more than it saves).
 */
import { splitSentences, type SentenceSpan, type SplitOptions } from '../text/index.js';
import { predict, PREDICT_BATCH_SIZE, type PredictOptions, type SentencePrediction, type Tagger } from '../tagger/tagger.js';
import { taggedSentence, type TaggedSentence } from '../tagger/text.js';
import type { TagPool } from '../parallel/tagPool.js';

export interface BatchingOptions extends PredictOptions {
  /** How long the first request of a batch waits for others to join it, in ms. Default 2. */
  waitMs?: number;
  /**
   * Sentences per batch (requests are never split between batches, so one larger request makes
   * a batch of its own) and per slice of a batch between event-loop turns. Default 256.
   */
  maxBatchSentences?: number;
  /** Which line breaks end a sentence (see splitSentences). Default 'blank'. */
  newlines?: SplitOptions['newlines'];
  /** Called after every batch (metrics, logs, tests). */
  onBatch?: (b: BatchReport) => void;
  /**
   * Worker threads that tag batches too (started on the same model); `close()` closes it.
   * Default: none, every batch on the calling thread.
   */
  pool?: TagPool;
}

/** What one batch held. */
export interface BatchReport {
  requests: number;
  texts: number;
  sentences: number;
  tokens: number;
  /** Time spent tagging (from handing parts to workers to the last part's answer), in ms. */
  ms: number;
  /** Sentences of the batch tagged at workers of the pool. */
  atWorkers: number;
}

export interface BatchingStats {
  batches: number;
  /** Sentences tagged at workers of the pool. */
  atWorkers: number;
  requests: number;
  texts: number;
  sentences: number;
  tokens: number;
}

interface Job {
  texts: readonly string[];
  /** Sentences of each text. */
  spans: SentenceSpan[][];
  sentences: number;
  resolve(r: TaggedSentence[][]): void;
  reject(e: unknown): void;
  /** Settled (answered, failed or cancelled): nothing more is done for it. */
  done: boolean;
}

export class BatchingTagger {
  private readonly queue: Job[] = [];
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private readonly totals: BatchingStats = { batches: 0, atWorkers: 0, requests: 0, texts: 0, sentences: 0, tokens: 0 };
  private readonly waitMs: number;
  private readonly maxBatch: number;
  /** The options `predict` takes (plain data: they also travel to the workers). */
  private readonly predictOptions: PredictOptions;
  private pool: TagPool | null;

  constructor(readonly tagger: Tagger, private readonly options: BatchingOptions = {}) {
    const { waitMs, maxBatchSentences, newlines: _n, onBatch: _b, pool, ...predictOptions } = options;
    this.predictOptions = predictOptions;
    this.pool = pool ?? null;
    this.waitMs = waitMs ?? 2;
    this.maxBatch = maxBatchSentences ?? 256;
    if (!(this.waitMs >= 0 && Number.isFinite(this.waitMs))) throw new RangeError(`waitMs must be a finite number ≥ 0, got ${this.waitMs}`);
    if (!(Number.isInteger(this.maxBatch) && this.maxBatch > 0)) throw new RangeError(`maxBatchSentences must be a positive integer, got ${this.maxBatch}`);
  }

  /**
   * Tags `texts`; resolves to their sentences, one list per text, exactly as `tagText` would tag
   * each text alone. Aborting `signal` before the answer rejects with the signal's reason and
   * drops the texts from the queue.
   */
  tag(texts: readonly string[], signal?: AbortSignal): Promise<TaggedSentence[][]> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    const spans = texts.map((t) => splitSentences(t, { newlines: this.options.newlines }));
    const sentences = spans.reduce((n, s) => n + s.length, 0);
    if (sentences === 0) return Promise.resolve(texts.map(() => []));
    return new Promise((resolve, reject) => {
      const job: Job = { texts, spans, sentences, resolve, reject, done: false };
      const onAbort = () => {
        if (job.done) return;
        job.done = true;
        const i = this.queue.indexOf(job);
        if (i >= 0) this.queue.splice(i, 1);
        reject(signal!.reason);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const settle = <T>(f: (x: T) => void) => (x: T) => { signal?.removeEventListener('abort', onAbort); f(x); };
      job.resolve = settle(resolve);
      job.reject = settle(reject);
      this.queue.push(job);
      this.schedule();
    });
  }

  /** Requests waiting for a batch (not counting the one being tagged). */
  get queued(): number {
    return this.queue.length;
  }

  stats(): BatchingStats {
    return { ...this.totals };
  }

  /** Threads tagging: this one and the pool's workers (until `close`). */
  get threads(): number {
    return 1 + (this.pool?.threads ?? 0);
  }

  /** Stops the pool's workers, if there is a pool (parts still at a worker fail); later batches are tagged here. */
  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = null;
    await pool?.close();
  }

  private schedule(): void {
    if (this.running || this.timer !== null || this.queue.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.run();
    }, this.waitMs);
  }

  /** Tags batches until the queue is empty. Requests that queued meanwhile have waited long enough. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.queue.length > 0) {
        const batch: Job[] = [this.queue.shift()!];
        let n = batch[0].sentences;
        while (this.queue.length > 0 && n + this.queue[0].sentences <= this.maxBatch) {
          const j = this.queue.shift()!;
          batch.push(j);
          n += j.sentences;
        }
        await this.tagBatch(batch);
      }
    } finally {
      this.running = false;
      this.schedule();
    }
  }

  /** Tags one batch (here, or split between here and idle workers) and answers its jobs. */
  private async tagBatch(batch: Job[]): Promise<void> {
    // One flat list of sentences; owner[i] is the job and text sentence i came from.
    const tokens: string[][] = [];
    const owner: { job: Job; text: number; sentence: number }[] = [];
    for (const job of batch) {
      job.spans.forEach((ss, t) => ss.forEach((s, k) => {
        tokens.push(s.tokens.map((x) => x.text));
        owner.push({ job, text: t, sentence: k });
      }));
    }
    const preds: SentencePrediction[] = new Array(tokens.length);
    let ms = 0;
    // Parts for idle workers: the first `remote` sentences, in equal shares with this thread's.
    const perPass = this.predictOptions.batchSize ?? PREDICT_BATCH_SIZE;
    const parts = this.pool === null ? 1 : Math.max(1, Math.min(1 + this.pool.idleWorkers(), Math.floor(tokens.length / perPass)));
    const share = Math.ceil(tokens.length / parts);
    const remote = parts > 1 ? share * (parts - 1) : 0;
    const sent: Promise<void>[] = [];
    for (let from = 0; from < remote; from += share) {
      const part = this.pool!.predict(tokens.slice(from, from + share), this.predictOptions).then((r) => {
        for (let i = 0; i < r.length; i++) preds[from + i] = r[i];
      });
      part.catch(() => undefined); // awaited below; not an unhandled rejection while this thread tags
      sent.push(part);
    }
    const t0 = performance.now();
    try {
      for (let from = remote; from < tokens.length; from += this.maxBatch) {
        if (from > remote) {
          await new Promise<void>((r) => setImmediate(r));
          if (batch.every((j) => j.done)) {
            await Promise.allSettled(sent);
            return;
          }
        }
        const slice = predict(this.tagger, tokens.slice(from, from + this.maxBatch), this.predictOptions);
        for (let i = 0; i < slice.length; i++) preds[from + i] = slice[i];
      }
      await Promise.all(sent);
      ms = performance.now() - t0;
    } catch (e) {
      await Promise.allSettled(sent);
      for (const j of batch) if (!j.done) { j.done = true; j.reject(e); }
      return;
    }
    const results = new Map<Job, TaggedSentence[][]>(batch.map((j) => [j, j.spans.map((ss) => new Array(ss.length))]));
    owner.forEach((o, i) => {
      results.get(o.job)![o.text][o.sentence] = taggedSentence(o.job.texts[o.text], o.job.spans[o.text][o.sentence], preds[i]);
    });
    const report: BatchReport = { requests: batch.length, texts: 0, sentences: tokens.length, tokens: 0, ms, atWorkers: remote };
    for (const j of batch) report.texts += j.texts.length;
    for (const t of tokens) report.tokens += t.length;
    this.totals.batches++;
    this.totals.atWorkers += remote;
    this.totals.requests += report.requests;
    this.totals.texts += report.texts;
    this.totals.sentences += report.sentences;
    this.totals.tokens += report.tokens;
    for (const j of batch) if (!j.done) { j.done = true; j.resolve(results.get(j)!); }
    this.options.onBatch?.(report);
  }
}

