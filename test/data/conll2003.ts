/**
 * Where the tests find the CoNLL-2003 reference copy: `../shared/data/conll2003/` next to the
 * repository (the repository root is two levels up from this folder), or `$CONLL_DIR`.
 * The data is never copied into the repository.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(here, '..', '..');
export const CONLL_DIR = process.env.CONLL_DIR ?? path.resolve(REPO_ROOT, '..', 'shared', 'data', 'conll2003');

export const conllFile = (name: 'eng.train' | 'eng.testa' | 'eng.testb') => path.join(CONLL_DIR, name);

/** Counts published in the data's README (tokens exclude -DOCSTART- lines). */
export const EXPECTED = {
  'eng.train': { sentences: 14041, tokens: 203621, entities: 23499, docstarts: 946 },
  'eng.testa': { sentences: 3250, tokens: 51362, entities: 5942, docstarts: 216 },
  'eng.testb': { sentences: 3453, tokens: 46435, entities: 5648, docstarts: 231 },
} as const;
