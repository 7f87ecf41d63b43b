/**
 * The benchmark model of `npm run bench` and the scripts beside it (ours.ts, epochs.ts,
 * tagpass.ts): word embedding 100 → BiLSTM 100 per direction → Dense 9, softmax, no character
 * encoder, casing feature or dropout; its vocabulary every eng.train word by the tagger's lookup
 * key (lower case, digits → 0), in first-seen order. Also `ner tag`'s path over eng.testb
 * (ourChunks, tagPass) as ours.ts and tagpass.ts time it.
 */
import path from 'node:path';
import { readConllFile, type Sentence } from '../../src/data/index.js';
import { SequenceTagger, PAD, UNK, DEFAULT_ARCHITECTURE, type TaggerArchitecture } from '../../src/tagger/model.js';
import { wordKey } from '../../src/tagger/features.js';
import type { Tagger } from '../../src/tagger/tagger.js';
import { TagPool, tagChunks, tokenChunks } from '../../src/parallel/tagPool.js';
import type { ModelMeta } from '../../src/tagger/store.js';
import { TAGS } from './common.js';

export const BENCH_ARCH: TaggerArchitecture = { ...DEFAULT_ARCHITECTURE, wordDim: 100, charEncoder: 'none', casingDim: 0, hidden: 100, layers: 1, bidirectional: true, cell: 'lstm', dropout: 0 };

/** eng.train and eng.testb of `dir`, without empty sentences. */
export async function readBenchData(dir: string): Promise<{ train: Sentence[]; test: Sentence[] }> {
  const read = async (f: string): Promise<Sentence[]> => (await readConllFile(path.join(dir, f))).filter((s) => s.tokens.length > 0);
  return { train: await read('eng.train'), test: await read('eng.testb') };
}

/** The benchmark model (seed 1) with its metadata, as a loaded tagger has them. */
export function benchTagger(train: readonly Sentence[]): Tagger {
  const words = [PAD, UNK];
  const seen = new Set(words);
  for (const s of train) for (const t of s.tokens) { const k = wordKey(t); if (!seen.has(k)) { seen.add(k); words.push(k); } }
  const model = new SequenceTagger(BENCH_ARCH, { words, chars: [PAD, UNK], tags: TAGS }, 1);
  const meta: ModelMeta = { arch: BENCH_ARCH, vocab: model.vocab, trainScheme: 'IOB1', dataScheme: 'IOB1', decoder: 'softmax' };
  return { model, meta };
}

/** Sentences in chunks of 256, as `ner tag --threads N` reads a CoNLL file. */
export function ourChunks(sentences: readonly Sentence[]): Sentence[][] {
  const chunks: Sentence[][] = [];
  for (let i = 0; i < sentences.length; i += 256) chunks.push(sentences.slice(i, i + 256));
  return chunks;
}

async function* each<T>(xs: readonly T[]): AsyncGenerator<T> {
  yield* xs;
}

/**
 * One pass of `ner tag`'s path over `chunks`: tagChunks with this thread and the pool's workers
 * (none: this thread alone), each chunk through `predict`. Resolves to the seconds it took;
 * throws if a sentence is missing from the results.
 */
export async function tagPass(tagger: Tagger, chunks: readonly Sentence[][], o: { modelDir: string; pool: TagPool | null; batchSize: number }): Promise<number> {
  const threads = 1 + (o.pool?.threads ?? 0);
  const want = chunks.reduce((m, c) => m + c.length, 0);
  let n = 0;
  const t0 = performance.now();
  for await (const { result } of tagChunks(each(chunks), tokenChunks<Sentence>(tagger, { batchSize: o.batchSize }), { threads, modelDir: o.modelDir, pool: o.pool ?? undefined })) n += result.length;
  const seconds = (performance.now() - t0) / 1000;
  if (n !== want) throw new Error(`tagChunks returned ${n} sentences of ${want}`);
  return seconds;
}
