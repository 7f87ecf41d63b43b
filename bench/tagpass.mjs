/**
 * `ner tag --threads N` end to end on a CoNLL file, pass by pass: the model of `npm run bench`
 * (random weights, eng.train's vocabulary) saved and loaded as `ner tag` loads it, eng.testb cut
 * into 256-sentence chunks and tagged through tagChunks (this thread + N − 1 TagPool workers,
 * started and warmed on 64 sentences before the clock) with `predict` (encode, forward,
 * constrained Viterbi, entity scores). Pass 1 starts with empty projection caches, as a fresh
 * `ner tag` does; pass 2 finds them filled. A fresh model and pool for every run.
 *
 *   npm run build && node bench/tagpass.mjs --threads 2 [--runs 3] [--batch 32] [--data DIR]
 *
 * Default data: CONLL_DIR or ../shared/data/conll2003 beside the package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dist = (p) => import(path.join(root, 'dist', p));
const { values: o } = parseArgs({
  options: { threads: { type: 'string', default: '2' }, runs: { type: 'string', default: '1' }, batch: { type: 'string', default: '32' }, data: { type: 'string' } },
});
const threads = Number(o.threads), runs = Number(o.runs), batchSize = Number(o.batch);
for (const [k, v] of [['threads', threads], ['runs', runs], ['batch', batchSize]]) {
  if (!(Number.isInteger(v) && v >= 1)) { process.stderr.write(`tagpass.mjs: --${k} must be a positive integer\n`); process.exit(2); }
}
const dir = o.data ?? process.env.CONLL_DIR ?? path.resolve(root, '..', 'shared', 'data', 'conll2003');

const { useWasm } = await dist('tensor/backend.js');
const { readConllFile } = await dist('data/index.js');
const M = await dist('tagger/model.js');
const { wordKey } = await dist('tagger/features.js');
const { saveModel, loadModel } = await dist('tagger/store.js');
const { predict } = await dist('tagger/tagger.js');
const { TagPool, tagChunks, tokenChunks } = await dist('parallel/tagPool.js');
useWasm();

const read = (f) => readConllFile(path.join(dir, f)).catch((e) => {
  process.stderr.write(`tagpass.mjs: cannot read ${path.join(dir, f)} (${e.message}); pass --data DIR or set CONLL_DIR\n`);
  process.exit(2);
});
const train = (await read('eng.train')).filter((s) => s.tokens.length > 0);
const test = (await read('eng.testb')).filter((s) => s.tokens.length > 0);
const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];
const words = [M.PAD, M.UNK];
const seen = new Set(words);
for (const s of train) for (const t of s.tokens) { const k = wordKey(t); if (!seen.has(k)) { seen.add(k); words.push(k); } }
const ARCH = { ...M.DEFAULT_ARCHITECTURE, wordDim: 100, charEncoder: 'none', casingDim: 0, hidden: 100, layers: 1, bidirectional: true, cell: 'lstm', dropout: 0 };
const model = new M.SequenceTagger(ARCH, { words, chars: [M.PAD, M.UNK], tags: TAGS }, 1);
const modelDir = mkdtempSync(path.join(tmpdir(), 'bilstm-ner-tagpass-'));
try {
  saveModel(modelDir, model, { arch: ARCH, vocab: model.vocab, trainScheme: 'IOB1', dataScheme: 'IOB1', decoder: 'softmax' });
  const chunks = [];
  for (let i = 0; i < test.length; i += 256) chunks.push(test.slice(i, i + 256));
  const tokens = test.reduce((n, s) => n + s.tokens.length, 0);
  const warm = chunks[0].slice(0, 64).map((s) => s.tokens);
  async function* each(xs) { for (const x of xs) yield x; }
  console.log(`${threads} thread(s), batch ${batchSize}: eng.testb, ${tokens} tokens in ${chunks.length} chunks`);
  for (let r = 0; r < runs; r++) {
    const tagger = loadModel(modelDir);
    const pool = threads > 1 ? await TagPool.start(modelDir, threads - 1) : null;
    try {
      if (pool) await pool.predict(warm, { batchSize: 32 });
      predict(tagger, warm, { batchSize: 32 });
      const out = [];
      for (const pass of [1, 2]) {
        const t0 = performance.now();
        let n = 0;
        for await (const { result } of tagChunks(each(chunks), tokenChunks(tagger, { batchSize }), { threads, modelDir, pool: pool ?? undefined })) n += result.length;
        if (n !== test.length) throw new Error(`tagChunks returned ${n} sentences`);
        out.push(`pass ${pass} ${Math.round(tokens / ((performance.now() - t0) / 1000))} tok/s`);
      }
      console.log(`run ${r + 1}: ${out.join(', ')}`);
    } finally {
      await pool?.close();
    }
  }
} finally {
  rmSync(modelDir, { recursive: true, force: true });
}
