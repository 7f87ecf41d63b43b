/**
 * Entry point of every worker thread of the package (compiled to dist/parallel/worker.js; see
 * workerScript.ts). `workerData.role` picks the job: `tag` (TagPool) or `train` (DataParallel).
 * Each worker has its own module instances, hence its own WASM kernels and heap.
 */
import { parentPort, workerData } from 'node:worker_threads';

const data = workerData as { role: string };
if (parentPort === null) throw new Error('bilstm-ner: parallel/worker.js runs as a worker thread only');
if (data.role === 'tag') {
  const { runTagWorker } = await import('./tagWorker.js');
  runTagWorker(parentPort, workerData as Parameters<typeof runTagWorker>[1]);
} else if (data.role === 'train') {
  const { runTrainWorker } = await import('./trainWorker.js');
  await runTrainWorker(parentPort, workerData as Parameters<typeof runTrainWorker>[1]);
} else {
  throw new Error(`bilstm-ner worker: unknown role ${String(data.role)}`);
}
