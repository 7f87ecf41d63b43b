import type { Sentence } from '../data/types.js';
import type { PretrainedVectors } from '../tagger/tagger.js';
import { UserError } from '../errors.js';

/** Placeholder until the embedding loaders land: pretrained vectors are not readable yet. */
export async function loadPretrained(source: string, _train: Sentence[], _dev: Sentence[], _extra: number, _log: (l: string) => void): Promise<PretrainedVectors> {
  throw new UserError(`--embeddings ${source}: loading pretrained vectors is not available in this build yet`);
}
