/**
 * The tagging worker (role `tag`, started by TagPool): loads the model once, then answers jobs
 * in the order they arrive. See tagPool.ts for the protocol.
 */
import type { MessagePort } from 'node:worker_threads';
import { useWasm, useJs } from '../tensor/backend.js';
import { loadModel } from '../tagger/store.js';
import { predict } from '../tagger/tagger.js';
import { tagText } from '../tagger/text.js';
import { JOB_QUEUED, JOB_RING, JOB_RUNNING, type TagReply, type TagRequest, type TagWorkerData } from './tagPool.js';

export function runTagWorker(port: MessagePort, data: TagWorkerData): void {
  const states = new Int32Array(data.jobStates);
  const send = (m: TagReply): void => port.postMessage(m);
  let tagger: ReturnType<typeof loadModel>;
  try {
    if (data.backend === 'wasm') useWasm();
    else useJs('as the main thread');
    const t = data.wordTable;
    tagger = loadModel(data.modelDir, t ? { wordTable: new Float32Array(t.buffer, t.byteOffset, t.length) } : {});
  } catch (e) {
    send({ type: 'fatal', message: (e as Error).message });
    return;
  }
  port.on('message', (job: TagRequest) => {
    // A job the pool took back before this worker came to it: the pool runs it (see JOB_RING).
    if (Atomics.compareExchange(states, job.id % JOB_RING, JOB_QUEUED, JOB_RUNNING) !== JOB_QUEUED) return;
    try {
      const result = job.kind === 'text' ? tagText(tagger, job.text, job.options) : predict(tagger, job.sentences, job.options);
      send({ type: 'done', id: job.id, result });
    } catch (e) {
      send({ type: 'failed', id: job.id, message: (e as Error).message });
    }
  });
  send({ type: 'ready' });
}
