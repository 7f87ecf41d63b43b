import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllFile } from '../../src/data/index.js';
import { trainTagger, predict, evaluateTagger } from '../../src/tagger/tagger.js';
import { loadModel } from '../../src/tagger/store.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sample = path.join(root, 'data/sample.conll');

describe('trainTagger on the sample data', () => {
  it('learns the training data, saves the best model, and the loaded model predicts the same', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-tagger-'));
    try {
      const sents = await readConllFile(sample);
      const run = await trainTagger({
        train: sents, dev: sents, outDir: dir, epochs: 25, patience: 0, batchSize: 4, lr: 0.01,
        arch: { wordDim: 16, charDim: 8, charHidden: 8, hidden: 16, dropout: 0.1 }, progress: false, log: () => {}, seed: 3,
      });
      expect(run.bestScore).toBeGreaterThan(0.9);
      expect(existsSync(path.join(dir, 'model.json'))).toBe(true);
      const log = readFileSync(path.join(dir, 'train-log.jsonl'), 'utf8').trim().split('\n');
      expect(log).toHaveLength(25);

      const t = loadModel(dir);
      expect(t.meta.dataScheme).toBe('IOB2');
      expect(t.meta.trainScheme).toBe('IOBES');
      const { result, predictions } = evaluateTagger(t, sents);
      expect(result.overall.f1).toBeCloseTo(run.bestScore, 10);
      // Output tags are in the data's scheme (IOB2), and entities carry scores in (0, 1].
      expect(predictions.flatMap((p) => p.tags).every((tag) => /^(O|[BI]-\w+)$/.test(tag))).toBe(true);
      for (const p of predictions) for (const e of p.entities) {
        expect(e.score).toBeGreaterThan(0);
        expect(e.score).toBeLessThanOrEqual(1);
      }
      const [first] = predict(t, [sents[0].tokens]);
      expect(first.tags).toEqual(predictions[0].tags);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('trains with a CRF decoder: learns the sample, entity scores are span marginals in (0, 1]', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-tagger-'));
    try {
      const sents = await readConllFile(sample);
      const run = await trainTagger({
        train: sents, dev: sents, outDir: dir, epochs: 25, patience: 0, batchSize: 4, lr: 0.01, decoder: 'crf',
        arch: { wordDim: 16, charDim: 8, charHidden: 8, hidden: 16, dropout: 0.1 }, progress: false, log: () => {}, seed: 3,
      });
      expect(run.bestScore).toBeGreaterThan(0.9);
      const t = loadModel(dir);
      expect(t.meta.decoder).toBe('crf');
      expect(t.model.crf).not.toBeNull();
      const { result, predictions } = evaluateTagger(t, sents);
      expect(result.overall.f1).toBeCloseTo(run.bestScore, 10);
      const scores = predictions.flatMap((p) => p.entities.map((e) => e.score));
      expect(scores.length).toBeGreaterThan(10);
      for (const sc of scores) {
        expect(sc).toBeGreaterThan(0);
        expect(sc).toBeLessThanOrEqual(1 + 1e-9);
      }
      // k best sequences: best first, the first is the Viterbi path, probabilities sum to ≤ 1.
      const [top] = predict(t, [sents[0].tokens], { topK: 4 });
      expect(top.alternatives).toHaveLength(4);
      expect(top.alternatives![0].tags).toEqual(top.tags);
      const probs = top.alternatives!.map((a) => a.probability);
      for (let i = 1; i < probs.length; i++) expect(probs[i]).toBeLessThanOrEqual(probs[i - 1]);
      expect(probs.reduce((x, y) => x + y, 0)).toBeLessThanOrEqual(1 + 1e-9);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is reproducible: same seed, same data, same options give the same weights', async () => {
    const dirs = [mkdtempSync(path.join(tmpdir(), 'ner-tagger-')), mkdtempSync(path.join(tmpdir(), 'ner-tagger-'))];
    try {
      const sents = (await readConllFile(sample)).slice(0, 8);
      for (const dir of dirs) {
        await trainTagger({
          train: sents, dev: sents, outDir: dir, epochs: 2, patience: 0, batchSize: 3,
          arch: { wordDim: 8, charDim: 4, charHidden: 4, hidden: 6 }, progress: false, log: () => {}, seed: 11,
        });
      }
      const [a, b] = dirs.map((d) => loadModel(d).model.params().map((p) => Array.from(p.value)));
      expect(a).toEqual(b);
    } finally {
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('pretrained vectors', () => {
  it('initialises matching rows from a GloVe file and adds the most frequent unseen words', async () => {
    const { loadPretrained } = await import('../../src/tagger/pretrained.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-tagger-'));
    try {
      const sents = await readConllFile(sample);
      const glove = path.join(root, 'test/fixtures/embeddings/glove-tiny.txt');
      const pretrained = await loadPretrained(glove, [sents], 5);
      expect(pretrained.dim).toBe(3);
      await trainTagger({
        train: sents, dev: sents, outDir: dir, epochs: 1, patience: 0, lr: 1e-12, pretrained, extraPretrainedWords: 5,
        arch: { charDim: 4, charHidden: 4, hidden: 4 }, progress: false, log: () => {},
      });
      const t = loadModel(dir);
      expect(t.model.arch.wordDim).toBe(3);
      const words = t.meta.vocab.words;
      // 'the' is in the training data; 'zürich' is not, but is among the table's first words.
      for (const [w, v] of [['the', [0.1, 0.2, 0.3]], ['.', [1, 2, 3]]] as const) {
        const id = words.indexOf(w);
        expect(id, w).toBeGreaterThan(1);
        Array.from(t.model.wordEmb.row(id)).forEach((x, i) => expect(x).toBeCloseTo(v[i], 5));
      }
      expect(words).toContain('eu');
      expect((t.meta.embeddings as { rowsInitialised: number }).rowsInitialised).toBeGreaterThanOrEqual(4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
