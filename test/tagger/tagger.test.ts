import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readConllFile } from '../../src/data/index.js';
import { trainTagger, predict, evaluateTagger } from '../../src/tagger/tagger.js';
import { loadModel, saveModel } from '../../src/tagger/store.js';
import { writeFileSync, statSync } from 'node:fs';
import { Rng } from '../../src/tensor/index.js';

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

describe('quantized storage of the word vectors (--dtype int8 / int4)', () => {
  it('stores a large word table in 8 or 4 bits per value, the rest in float16, and the model still tags the same', async () => {
    const { loadPretrained } = await import('../../src/tagger/pretrained.js');
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-tagger-'));
    try {
      // A pretrained table of 1,500 made-up words (8-d) so that the word table is large.
      const rng = new Rng(5);
      const lines = Array.from({ length: 1500 }, (_, i) => `w${i} ${Array.from({ length: 8 }, () => rng.normal().toFixed(4)).join(' ')}`);
      writeFileSync(path.join(dir, 'vectors.txt'), lines.join('\n') + '\n');
      const sents = await readConllFile(sample);
      const pretrained = await loadPretrained(path.join(dir, 'vectors.txt'), [sents], 1500);
      const out = path.join(dir, 'f32');
      await trainTagger({
        train: sents, dev: sents, outDir: out, epochs: 20, patience: 0, batchSize: 4, lr: 0.01, pretrained, extraPretrainedWords: 1500,
        arch: { charDim: 8, charHidden: 8, hidden: 16, dropout: 0.1 }, progress: false, log: () => {}, seed: 3,
      });
      const ref = loadModel(out);
      expect(ref.meta.vocab.words.length).toBeGreaterThan(1500);
      const refTags = predict(ref, sents.map((s) => s.tokens)).map((p) => p.tags);
      const size = (d: string) => statSync(path.join(d, readdirJson(d).weights.file)).size;
      saveModel(path.join(dir, 'float16'), ref.model, ref.meta, { dtype: 'float16' });
      let previous = size(path.join(dir, 'float16'));
      for (const dtype of ['int8', 'int4'] as const) {
        const qdir = path.join(dir, dtype);
        saveModel(qdir, ref.model, ref.meta, { dtype });
        const dtypes = Object.fromEntries(readdirJson(qdir).weights.manifest.tensors.map((e: { name: string; dtype: string }) => [e.name, e.dtype]));
        expect(dtypes['tagger.word_emb.weight']).toBe(dtype);
        expect(Object.entries(dtypes).filter(([n]) => n !== 'tagger.word_emb.weight').every(([, d]) => d === 'float16')).toBe(true);
        const q = loadModel(qdir);
        // Each row of the table is within half a quantization step of the float32 row.
        const L = dtype === 'int8' ? 127 : 7;
        for (const id of [2, 10, 700, ref.meta.vocab.words.length - 1]) {
          const a = Array.from(ref.model.wordEmb.row(id)), b = Array.from(q.model.wordEmb.row(id));
          const step = Math.max(...a.map(Math.abs)) / L;
          a.forEach((x, i) => expect(Math.abs(b[i] - x)).toBeLessThanOrEqual(step / 2 + 1e-6));
        }
        const tags = predict(q, sents.map((s) => s.tokens)).map((p) => p.tags);
        const same = tags.flat().filter((t, i) => t === refTags.flat()[i]).length / refTags.flat().length;
        expect(same).toBeGreaterThan(dtype === 'int8' ? 0.99 : 0.95);
        // The word table: float16 2 bytes per value, int8 1 (+ a 4-byte scale per row), int4 ½ (+ 4).
        const V = ref.meta.vocab.words.length, D = ref.model.arch.wordDim;
        expect(previous - size(qdir)).toBeGreaterThanOrEqual((dtype === 'int8' ? 2 * D - (D + 4) : (D + 4) - (D / 2 + 4)) * V - 16);
        previous = size(qdir);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

function readdirJson(dir: string) {
  return JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
}
