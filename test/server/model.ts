/**
 * A tiny model trained on data/sample.conll for the server tests (the same recipe as the CLI
 * tests), in-process and in a temporary directory: the tests never depend on a shipped model.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllFile } from '../../src/data/index.js';
import { trainTagger } from '../../src/tagger/tagger.js';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sampleConll = path.join(root, 'data/sample.conll');

/** Trains the tiny model; returns its directory and a cleanup function for afterAll. */
export async function trainTinyModel(): Promise<{ dir: string; cleanup: () => void }> {
  const tmp = mkdtempSync(path.join(tmpdir(), 'ner-server-'));
  const dir = path.join(tmp, 'model');
  const sentences = await readConllFile(sampleConll);
  await trainTagger({
    train: sentences, dev: sentences, outDir: dir, epochs: 20, patience: 0, batchSize: 4, lr: 0.01,
    arch: { wordDim: 16, hidden: 16, charHidden: 8, charDim: 8, dropout: 0.1 },
    progress: false, log: () => {},
  });
  return { dir, cleanup: () => rmSync(tmp, { recursive: true, force: true }) };
}
