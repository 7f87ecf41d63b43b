/**
 * The language model learns, samples reproducibly, saves and loads, and resumes exactly.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  trainLanguageModel, loadLanguageModel, sample, perplexity, LanguageModel, buildVocab, draw, StreamBatches,
  saveLanguageModel, type TrainLmOptions,
} from '../../src/lm/index.js';
import { Rng, fromArray } from '../../src/tensor/index.js';
import { UserError } from '../../src/errors.js';

const LINE = 'the quick brown fox\n';
const TEXT = LINE.repeat(24);

function tmp(): string {
  return mkdtempSync(path.join(tmpdir(), 'ner-lm-'));
}

const quiet = { progress: false, log: () => {} };

/** A small, fast configuration for the memorisation runs. */
function memorise(outDir: string, extra: Partial<TrainLmOptions> = {}): Promise<Awaited<ReturnType<typeof trainLanguageModel>>> {
  return trainLanguageModel({
    text: TEXT, dev: LINE.repeat(2), outDir, level: 'char', bptt: 20, batchSize: 4, evalBatchSize: 1, epochs: 12, patience: 0,
    lr: 0.02, seed: 2, arch: { cell: 'lstm', layers: 1, hidden: 32, embDim: 12, dropout: 0 }, ...quiet, ...extra,
  });
}

describe('StreamBatches', () => {
  it('predicts every symbol once, in order, targets = next inputs, in streams of ⌈N/B⌉', () => {
    const ids = Int32Array.from({ length: 24 }, (_, i) => i); // 23 predictions
    const sb = new StreamBatches(ids, 3, 5); // L = 8: streams 8, 8, 7; segments 5, 3
    expect(sb.segments).toBe(2);
    expect(sb.sizes()).toEqual([15, 8]);
    const seen: number[] = [];
    for (let k = 0; k < sb.segments; k++) {
      const s = sb.segment(k);
      for (let b = 0; b < s.B; b++) for (let t = 0; t < s.lengths[b]; t++) {
        expect(s.targets[t * s.B + b]).toBe(s.inputs[t * s.B + b] + 1);
        seen.push(s.targets[t * s.B + b]);
      }
      for (let b = 0; b < s.B; b++) for (let t = s.lengths[b]; t < s.T; t++) expect(s.targets[t * s.B + b]).toBe(-1);
    }
    expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i + 1));
  });
});

describe('StreamBatches at line starts', () => {
  it('moves every stream start forward to the next boundary symbol, still covering every prediction once', () => {
    // boundary id 9: lines of 4, 2 and 6 symbols after the first boundary
    const ids = Int32Array.from([9, 1, 2, 3, 9, 4, 9, 5, 6, 7, 8, 1, 9]); // N = 12
    const sb = new StreamBatches(ids, 3, 3, 9); // nominal starts 0, 4, 8 → 0, 4, 12 (no boundary after 8 but the last)
    expect(Array.from(sb.starts)).toEqual([0, 4, 12, 12]);
    expect([0, 1, 2].map((b) => sb.streamLen(b))).toEqual([4, 8, 0]);
    expect(sb.segments).toBe(3);
    let total = 0;
    for (let k = 0; k < sb.segments; k++) {
      const s = sb.segment(k);
      total += s.count;
      if (k === 0) expect([s.inputs[0], s.inputs[1]]).toEqual([9, 9]); // both streams start at a boundary
    }
    expect(total).toBe(12);
  });
});

describe('a tiny char model memorises a repeated text', () => {
  it('loss falls, greedy sampling reproduces the text, the saved model loads with the same numbers', async () => {
    const dir = tmp();
    try {
      const run = await memorise(dir);
      const losses = run.epochs.map((e) => e.train_loss);
      if (process.env.LM_REPORT) console.log('[lm] memorise: train loss per epoch', losses.map((l) => l.toFixed(3)).join(' '), 'dev bpc', run.epochs.map((e) => (e.dev_bpc as number).toFixed(3)).join(' '));
      expect(losses[0]).toBeGreaterThan(2); // ≈ ln(14 symbols) at the start
      expect(losses[losses.length - 1]).toBeLessThan(0.15);
      expect(losses[losses.length - 1]).toBeLessThan(losses[0] / 10);
      expect(run.epochs[run.epochs.length - 1].dev_bpc as number).toBeLessThan(0.2);
      const log = readFileSync(path.join(dir, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(log).toHaveLength(12);
      expect(log[0]).toHaveProperty('dev_ppl');

      const { model, meta } = loadLanguageModel(dir);
      expect(meta.vocab.level).toBe('char');
      expect(meta.training?.bestEpoch).toBe(run.bestEpoch);
      const greedy = sample(model, { length: 3 * LINE.length, temperature: 0 }).text;
      expect(greedy).toBe(LINE.repeat(3));
      const primed = sample(model, { prime: 'the quick', length: 10, temperature: 0 }).text;
      expect(primed).toBe(' brown fox');
      // τ → 0 approaches greedy; top-1 is greedy whatever τ.
      expect(sample(model, { length: 60, temperature: 0.01, seed: 9 }).text).toBe(greedy);
      expect(sample(model, { length: 60, topK: 1, seed: 9 }).text).toBe(greedy);
      // --lines stops after that many line ends
      expect(sample(model, { length: 500, lines: 2, temperature: 0 }).text).toBe(LINE.repeat(2));

      const p = perplexity(model, LINE.repeat(2));
      expect(p.symbols).toBe(2 * LINE.length);
      expect(p.bitsPerSymbol).toBeLessThan(0.2);
      expect(p.perplexity).toBeCloseTo(Math.exp(p.loss), 12);
      // Same numbers as the dev evaluation of the training run (the best model was saved).
      const best = run.epochs[run.bestEpoch - 1];
      const pDevB = perplexity(model, LINE.repeat(2), { batchSize: 1, bptt: 20 });
      expect(pDevB.perplexity).toBeCloseTo(best.dev_ppl as number, 4);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('word level', () => {
  it('learns a repeated sentence; <eos> ends lines; unknown words are counted', async () => {
    const dir = tmp();
    try {
      const text = 'the cat sat on the mat\n'.repeat(30);
      const run = await trainLanguageModel({
        text, dev: 'the cat sat on the mat\n'.repeat(2), outDir: dir, level: 'word', bptt: 10, batchSize: 4, evalBatchSize: 1,
        epochs: 15, patience: 0, lr: 0.03, seed: 1, arch: { cell: 'gru', layers: 1, hidden: 16, embDim: 8, dropout: 0 }, ...quiet,
      });
      expect(run.vocab.symbols).toEqual(['<unk>', '<eos>', 'the', 'cat', 'mat', 'on', 'sat']);
      const { model } = loadLanguageModel(dir);
      expect(sample(model, { length: 14, temperature: 0 }).text).toBe('the cat sat on the mat\nthe cat sat on the mat\n');
      expect(sample(model, { prime: 'the cat', length: 4, temperature: 0 }).text).toBe('sat on the mat');
      const p = perplexity(model, 'the dog sat\n');
      expect(p.symbols).toBe(4);
      expect(p.unknown).toBe(1);
      expect(run.epochs[run.epochs.length - 1].dev_ppl as number).toBeLessThan(1.5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('sampling', () => {
  const vocab = buildVocab('abcdefg hij\nklm\n', 'char');
  const model = new LanguageModel({ cell: 'gru', layers: 2, hidden: 16, embDim: 8, dropout: 0 }, vocab, 4);

  it('same seed ⇒ same text; another seed ⇒ another text; never <unk>', () => {
    const a = sample(model, { length: 80, seed: 7, prime: 'ab' });
    const b = sample(model, { length: 80, seed: 7, prime: 'ab' });
    const c = sample(model, { length: 80, seed: 8, prime: 'ab' });
    expect(a.text).toBe(b.text);
    expect(a.text).toHaveLength(80);
    expect(c.text).not.toBe(a.text);
    expect(Array.from(a.ids)).not.toContain(0);
  });

  it('draw: frequencies follow softmax(logits/τ); top-k keeps only the k best; τ = 0 is argmax', () => {
    const logits = fromArray([5, 1, 0, 2, -1]); // id 0 is <unk>: excluded despite its logit
    const probs = new Float64Array(5), order = new Int32Array(5), rng = new Rng(1);
    const n = 20000;
    for (const tau of [1, 0.5]) {
      const counts = [0, 0, 0, 0, 0];
      for (let i = 0; i < n; i++) counts[draw(logits, 5, tau, 0, rng, probs, order)]++;
      const w = [1, 0, 2, -1].map((z) => Math.exp(z / tau));
      const s = w.reduce((x, y) => x + y, 0);
      expect(counts[0]).toBe(0);
      w.forEach((wi, i) => expect(Math.abs(counts[i + 1] / n - wi / s)).toBeLessThan(0.015));
    }
    const top2 = new Set<number>();
    for (let i = 0; i < 2000; i++) top2.add(draw(logits, 5, 1, 2, rng, probs, order));
    expect([...top2].sort()).toEqual([1, 3]);
    expect(draw(logits, 5, 0, 0, rng, probs, order)).toBe(3);
  });

  it('rejects bad options with UserErrors', () => {
    expect(() => sample(model, { temperature: -1 })).toThrow(UserError);
    expect(() => sample(model, { topK: 1.5 })).toThrow(UserError);
    expect(() => sample(model, { length: -3 })).toThrow(UserError);
  });
});

describe('model store', () => {
  it('round trip: same parameters, same perplexity, same samples; clear errors for broken directories', () => {
    const dir = tmp();
    try {
      const vocab = buildVocab('hello world\nhi\n', 'word');
      expect(vocab.symbols.slice(0, 2)).toEqual(['<unk>', '<eos>']);
      const m = new LanguageModel({ cell: 'rnn', layers: 2, hidden: 8, embDim: 4, dropout: 0.2 }, vocab, 3);
      saveLanguageModel(dir, m, { arch: m.arch, vocab, training: { note: 'test' } });
      const { model, meta } = loadLanguageModel(dir);
      expect(meta.training).toEqual({ note: 'test' });
      model.params().forEach((p, i) => expect(Array.from(p.value)).toEqual(Array.from(m.params()[i].value)));
      const text = 'hello hi world\nworld\n';
      expect(perplexity(model, text).loss).toBe(perplexity(m, text).loss);
      expect(sample(model, { seed: 3, length: 20 }).text).toBe(sample(m, { seed: 3, length: 20 }).text);

      const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
      expect(json.format).toBe('bilstm-ner/lm');
      expect(json.version).toBe(1);
      // a flipped byte in the weights: checksum error
      const wfile = path.join(dir, json.weights.file);
      const bytes = readFileSync(wfile);
      bytes[10] ^= 0xff;
      writeFileSync(wfile, bytes);
      expect(() => loadLanguageModel(dir)).toThrow(UserError);
      expect(() => loadLanguageModel(dir)).toThrow(/sha|checksum/i);
      // a newer format version, a tagger model, a missing directory
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, version: 99 }));
      expect(() => loadLanguageModel(dir)).toThrow(/newer/);
      writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, format: 'bilstm-ner/model' }));
      expect(() => loadLanguageModel(dir)).toThrow(/tagger model/);
      expect(() => loadLanguageModel(path.join(dir, 'nope'))).toThrow(UserError);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('exact resume', () => {
  it('an interrupted run resumed from its checkpoint ends with the same weights as an uninterrupted one', async () => {
    const [d1, d2] = [tmp(), tmp()];
    try {
      const opts = { epochs: 3, arch: { cell: 'gru' as const, layers: 2, hidden: 12, embDim: 6, dropout: 0.3 } };
      await memorise(d1, opts);
      let batches = 0;
      const first = await memorise(d2, { ...opts, shouldStop: () => ++batches === 9 }); // mid epoch 2 (6 segments per epoch)
      expect(first.stoppedBy).toBe('interrupt');
      await memorise(d2, { ...opts, resume: true });
      const a = loadLanguageModel(d1).model.params(), b = loadLanguageModel(d2).model.params();
      a.forEach((p, i) => expect(Array.from(b[i].value)).toEqual(Array.from(p.value)));
      expect(existsSync(path.join(d2, 'checkpoint'))).toBe(true);
    } finally {
      rmSync(d1, { recursive: true, force: true });
      rmSync(d2, { recursive: true, force: true });
    }
  });
});
