import type { CommandModule, Argv } from 'yargs';
import { resolveModelDir } from '../../tagger/default.js';
import { SCHEMES, type SchemeName } from '../../data/schemes.js';
import { UserError } from '../../errors.js';
import { initBackend, backendLabel } from '../../tensor/backend.js';
import { serveModel, parseSize, formatSize, SERVE_DEFAULTS } from '../../server/index.js';
import { checkThreads } from '../../parallel/workerScript.js';

interface ServeArgs {
  model?: string; port: number; host: string; 'max-body': string; 'timeout-ms': number; 'batch-wait-ms': number;
  'batch-size': number; scheme?: SchemeName; threads: number;
}

const D = SERVE_DEFAULTS;

export const serveCommand: CommandModule<object, ServeArgs> = {
  command: 'serve',
  describe: 'Serve the tagger over HTTP (POST /v1/tag, GET /v1/model, GET /healthz) with a tagging page at /',
  builder: (y: Argv) => y
    .usage('$0 serve [--model DIR] [--port 8080] [--host 127.0.0.1]')
    .option('model', { alias: 'm', type: 'string', describe: 'Model directory (default: the English model shipped in models/en)' })
    .option('port', { alias: 'p', type: 'number', default: D.port, describe: 'Port to listen on (0: any free port)' })
    .option('host', { type: 'string', default: D.host, describe: 'Address to listen on (0.0.0.0 or :: to accept other machines)' })
    .option('max-body', { type: 'string', default: '1mb', describe: 'Largest request body (bytes, or with kb/mb); larger ones get 413' })
    .option('timeout-ms', { type: 'number', default: D.timeoutMs, describe: 'Deadline of a request, from arrival to answer; later ones get 503' })
    .option('batch-wait-ms', { type: 'number', default: D.batchWaitMs, describe: 'How long a request waits for concurrent ones to share its batch' })
    .option('batch-size', { type: 'number', default: D.batchSize, describe: 'Sentences per forward pass' })
    .option('scheme', { choices: SCHEMES, describe: 'Tag scheme of the output tags (default: the scheme of the model\'s training data)' })
    .option('threads', { type: 'number', default: 1, describe: 'Threads tagging batches: this one and N−1 workers (each holds its own caches, the word table is shared)' }) as unknown as Argv<ServeArgs>,
  handler: async (a) => {
    if (!(Number.isInteger(a.port) && a.port >= 0 && a.port <= 65535)) throw new UserError(`--port must be an integer in 0..65535, got ${a.port}`);
    const maxBodyBytes = parseSize(a['max-body']);
    if (!(maxBodyBytes > 0)) throw new UserError(`--max-body must be a size such as 1048576, 512kb or 1mb, got ${a['max-body']}`);
    if (!(Number.isInteger(a['timeout-ms']) && a['timeout-ms'] > 0)) throw new UserError(`--timeout-ms must be a positive integer, got ${a['timeout-ms']}`);
    if (!(a['batch-wait-ms'] >= 0 && a['batch-wait-ms'] <= 10_000)) throw new UserError(`--batch-wait-ms must be in 0..10000, got ${a['batch-wait-ms']}`);
    if (!(Number.isInteger(a['batch-size']) && a['batch-size'] > 0)) throw new UserError(`--batch-size must be a positive integer, got ${a['batch-size']}`);
    const threads = checkThreads(a.threads);
    initBackend();
    const modelDir = resolveModelDir(a.model);
    let started;
    try {
      started = await serveModel({
        modelDir, port: a.port, host: a.host, maxBodyBytes, timeoutMs: a['timeout-ms'], batchWaitMs: a['batch-wait-ms'],
        batchSize: a['batch-size'], scheme: a.scheme, threads,
      });
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
        throw new UserError(`cannot listen on ${a.host}:${a.port} (${code}: ${(e as Error).message})`);
      }
      throw e;
    }
    const { server, url } = started;
    process.stderr.write(`ner serve: model ${modelDir} (${backendLabel()} backend, ${threads} thread${threads > 1 ? 's' : ''}), body limit ${formatSize(maxBodyBytes)}, timeout ${a['timeout-ms']} ms\n`);
    process.stderr.write(`ner serve: listening on ${url}\n`);
    // First SIGTERM/SIGINT: stop accepting, finish the requests in flight, exit 0.
    // A second one cuts the remaining connections.
    await new Promise<void>((resolve) => {
      const stop = (signal: NodeJS.Signals) => {
        if (server.isClosing) {
          process.stderr.write(`ner serve: ${signal} again: closing every connection now\n`);
          server.http.closeAllConnections();
          return;
        }
        process.stderr.write(`ner serve: ${signal}: finishing the requests in flight, then exiting\n`);
        server.close().then(resolve);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      server.http.once('close', () => {
        process.off('SIGTERM', stop);
        process.off('SIGINT', stop);
      });
    });
    process.stderr.write('ner serve: stopped\n');
  },
};
