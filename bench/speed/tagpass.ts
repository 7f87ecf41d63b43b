/**
 * `npm run bench:tagpass`: `ner tag --threads N` end to end on eng.testb, pass by pass — the
 * model of `npm run bench` (speed/model.ts, random weights) saved and loaded as `ner tag` loads
 * it, eng.testb in 256-sentence chunks through tagChunks (this thread + N − 1 TagPool workers,
 * started and warmed on 64 sentences before the clock) with `predict` (encode, forward,
 * constrained Viterbi, entity scores). Pass 1 starts with empty projection caches, as a fresh
 * `ner tag` does; pass 2 finds them filled. A fresh model and pool for every run.
 *
 *   npm run bench:tagpass -- --threads 2 [--runs 3] [--batch 32] [--data DIR]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { useWasm } from '../../src/tensor/index.js';
import { saveModel, loadModel } from '../../src/tagger/store.js';
import { predict } from '../../src/tagger/tagger.js';
import { TagPool } from '../../src/parallel/tagPool.js';
import { conllDir, opt } from './common.js';
import { benchTagger, readBenchData, ourChunks, tagPass } from './model.js';

const argv = process.argv.slice(2);
const threads = Number(opt(argv, 'threads', '2')), runs = Number(opt(argv, 'runs', '1')), batchSize = Number(opt(argv, 'batch', '32'));
for (const [k, v] of [['threads', threads], ['runs', runs], ['batch', batchSize]] as const) {
  if (!(Number.isInteger(v) && v >= 1)) { process.stderr.write(`bench:tagpass: --${k} must be a positive integer\n`); process.exit(2); }
}

async function main(): Promise<void> {
  useWasm();
  const { train, test } = await readBenchData(conllDir(argv));
  const { model, meta } = benchTagger(train);
  const modelDir = mkdtempSync(path.join(tmpdir(), 'bilstm-ner-tagpass-'));
  try {
    saveModel(modelDir, model, meta);
    const chunks = ourChunks(test);
    const tokens = test.reduce((n, s) => n + s.tokens.length, 0);
    const warm = chunks[0].slice(0, 64).map((s) => s.tokens);
    console.log(`${threads} thread(s), batch ${batchSize}: eng.testb, ${tokens} tokens in ${chunks.length} chunks`);
    for (let r = 0; r < runs; r++) {
      const tagger = loadModel(modelDir);
      const pool = threads > 1 ? await TagPool.start(modelDir, threads - 1, { share: tagger.model }) : null;
      try {
        if (pool) await pool.predict(warm, { batchSize: 32 });
        predict(tagger, warm, { batchSize: 32 });
        const out: string[] = [];
        for (const pass of [1, 2]) {
          const seconds = await tagPass(tagger, chunks, { modelDir, pool, batchSize });
          out.push(`pass ${pass} ${Math.round(tokens / seconds)} tok/s`);
        }
        console.log(`run ${r + 1}: ${out.join(', ')}`);
      } finally {
        await pool?.close();
      }
    }
  } finally {
    rmSync(modelDir, { recursive: true, force: true });
  }
}

main().catch((e: Error) => { process.stderr.write(`bench:tagpass: ${e.message}\n`); process.exit(2); });
