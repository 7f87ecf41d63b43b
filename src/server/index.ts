/**
 * Floor 5: the HTTP tagging service and its page. `serveModel` is what `ner serve` runs; the
 * pieces are exported for programs that want their own wiring.
 */
import path from 'node:path';
import { loadModel } from '../tagger/store.js';
import { modelInfo } from '../tagger/info.js';
import type { SchemeName } from '../data/schemes.js';
import { BatchingTagger } from './batching.js';
import { TagPool } from '../parallel/tagPool.js';
import { NerServer, SERVER_DEFAULTS } from './server.js';

export { BatchingTagger, type BatchingOptions, type BatchReport, type BatchingStats } from './batching.js';
export { NerServer, HttpError, SERVER_DEFAULTS, parseTagRequest, parseSize, formatSize, type ServerOptions } from './server.js';
export { pageHtml, PAGE_CSP } from './page.js';

export interface ServeOptions {
  /** Model directory (see resolveModelDir for the default). */
  modelDir: string;
  /** Port to listen on; 0 picks a free one. Default 8080. */
  port?: number;
  /** Address to listen on. Default 127.0.0.1 (this machine only). */
  host?: string;
  /** Largest request body, in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** Deadline of a request, in ms. Default 10 000. */
  timeoutMs?: number;
  /** How long a request waits for others to share its batch, in ms. Default 2. */
  batchWaitMs?: number;
  /** Sentences per forward pass. Default 32. */
  batchSize?: number;
  /** Scheme of the returned tags. Default: the scheme of the model's training data. */
  scheme?: SchemeName;
  /** Per-request log lines. Default: standard error. */
  log?: (line: string) => void;
  /**
   * Threads tagging: this one and `threads − 1` workers that take batches while this thread
   * tags another (they read this thread's word table; each has its own caches). Default 1.
   */
  threads?: number;
}

export const SERVE_DEFAULTS = { port: 8080, host: '127.0.0.1', batchWaitMs: 2, batchSize: 32, ...SERVER_DEFAULTS };

/** Loads the model and starts the service; resolves once it is listening. Call `initBackend()` first. */
export async function serveModel(o: ServeOptions): Promise<{ server: NerServer; tagger: BatchingTagger; url: string; port: number }> {
  const threads = o.threads ?? 1;
  if (!(Number.isInteger(threads) && threads >= 1)) throw new RangeError(`threads must be a positive integer, got ${threads}`);
  const model = loadModel(o.modelDir);
  const pool = threads > 1 ? await TagPool.start(o.modelDir, threads - 1, { share: model.model }) : undefined;
  const tagger = new BatchingTagger(model, {
    waitMs: o.batchWaitMs ?? SERVE_DEFAULTS.batchWaitMs, batchSize: o.batchSize ?? SERVE_DEFAULTS.batchSize, outputScheme: o.scheme, pool,
  });
  try {
    // The model's own description, without where it sits on the server's disk.
    const info = { ...modelInfo(o.modelDir), dir: path.basename(path.resolve(o.modelDir)) };
    const server = new NerServer(tagger, info, { maxBodyBytes: o.maxBodyBytes, timeoutMs: o.timeoutMs, log: o.log });
    const { url, port } = await server.listen(o.port ?? SERVE_DEFAULTS.port, o.host ?? SERVE_DEFAULTS.host);
    return { server, tagger, url, port };
  } catch (e) {
    await tagger.close();
    throw e;
  }
}
