/**
 * Where the worker threads' code lives.
 *
 * A worker runs compiled JavaScript: `dist/parallel/worker.js` inside the package (found through
 * `packageRoot()`), whether the caller runs from `dist/` (the CLI, an installed package) or from
 * `src/` under vitest, which cannot start a `.ts` file as a worker. So tests need a build first
 * (`npm test` runs `npm run build` before vitest); the workers then run the built code while the
 * test's main thread runs the sources. Workers and main thread only exchange plain data (arrays,
 * typed arrays, SharedArrayBuffers), so that is harmless as long as the build is current.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { packageRoot } from '../util/package.js';
import { UserError } from '../errors.js';

/** Path of the compiled worker entry; throws with a hint when the package is not built. */
export function workerScriptPath(): string {
  const file = path.join(packageRoot(), 'dist', 'parallel', 'worker.js');
  if (!existsSync(file)) throw new Error(`bilstm-ner: ${file} is missing; run \`npm run build\` (worker threads run the compiled code)`);
  return file;
}

/** The default number of threads: every core the process may use (`os.availableParallelism()`). */
export function defaultThreads(): number {
  return Math.max(1, availableParallelism());
}

/** Checks a user-given thread count (a positive integer). */
export function checkThreads(n: number, what = '--threads'): number {
  if (!(Number.isInteger(n) && n > 0)) throw new UserError(`${what} must be a positive integer, got ${n}`);
  return n;
}
