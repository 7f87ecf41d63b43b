/**
 * Pretrained word vectors for a tagger: only the rows the model will use are kept — the words
 * of the given corpora (by the tagger's lookup key: lower-cased, digits → 0) plus the `extra`
 * most frequent words of the table (so that words never seen in training still have vectors).
 */
import type { Sentence } from '../data/types.js';
import { loadEmbeddings } from '../vocab/embeddings.js';
import { wordKey } from './features.js';
import type { PretrainedVectors } from './tagger.js';

export async function loadPretrained(
  source: string, corpora: readonly (readonly Sentence[])[], extra: number, log: (line: string) => void = () => {},
): Promise<PretrainedVectors> {
  const wanted = new Set<string>();
  for (const c of corpora) for (const s of c) for (const t of s.tokens) wanted.add(wordKey(t));
  const started = Date.now();
  const table = await loadEmbeddings(source, { wanted, maxWords: extra > 0 ? extra : undefined });
  log(`pretrained vectors: kept ${table.words.length} of ${source} (${table.dim}-d: ${wanted.size} corpus word forms wanted, plus the ${extra} most frequent) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return table;
}
