import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ner, sampleConll } from './helpers.js';
import { readConllFile } from '../../src/data/index.js';
import { trainTagger, predict } from '../../src/tagger/tagger.js';
import { loadModel } from '../../src/tagger/store.js';
import { loadPretrained } from '../../src/tagger/pretrained.js';
import { Rng } from '../../src/tensor/index.js';

let dir: string;
let src: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ner-pack-'));
  // 1,500 made-up pretrained words (8-d), all added to the word table after the training words.
  const rng = new Rng(2);
  writeFileSync(path.join(dir, 'vectors.txt'),
    Array.from({ length: 1500 }, (_, i) => `${letters(i)} ${Array.from({ length: 8 }, () => rng.normal().toFixed(4)).join(' ')}`).join('\n') + '\n');
  const sents = await readConllFile(sampleConll);
  src = path.join(dir, 'model');
  await trainTagger({
    train: sents, dev: sents, outDir: src, epochs: 15, patience: 0, batchSize: 4, lr: 0.01,
    pretrained: await loadPretrained(path.join(dir, 'vectors.txt'), [sents], 1500), extraPretrainedWords: 1500,
    arch: { charDim: 8, charHidden: 8, hidden: 16, dropout: 0.1 }, progress: false, log: () => {}, seed: 4,
  });
}, 60_000);

/** A letters-only made-up word for i (lookup keys map digits to 0, so words need no digits). */
function letters(i: number): string {
  let w = 'q';
  do { w += String.fromCharCode(97 + (i % 26)); i = Math.floor(i / 26); } while (i > 0);
  return w;
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ner pack', () => {
  it('keeps the first N words of the table in int8: the training words tag as before, dropped words read as <unk>', async () => {
    const ref = loadModel(src);
    const V = ref.meta.vocab.words.length;
    const keep = V - 300; // still ≥ 1000 rows, so the table is quantized
    const out = path.join(dir, 'packed');
    const r = ner(['pack', '--model', src, '--out', out, '--words', String(keep), '--dtype', 'int8']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(new RegExp(`^packed .* → .*: ${V.toLocaleString('en-US')} → ${keep.toLocaleString('en-US')} words, int8, [\\d.]+ MB → [\\d.]+ MB\\n$`));
    const p = loadModel(out);
    expect(p.meta.vocab.words).toEqual(ref.meta.vocab.words.slice(0, keep));
    expect(p.meta.packed).toEqual({ from: 'model', wordsBefore: V, words: keep, dtype: 'int8' });
    const dtypes = JSON.parse(readFileSync(path.join(out, 'model.json'), 'utf8')).weights.manifest.tensors.map((e: { dtype: string }) => e.dtype);
    expect(dtypes).toContain('int8');
    // The sample's words are training words (the first rows): predictions barely change.
    const sents = await readConllFile(sampleConll);
    const a = predict(ref, sents.map((s) => s.tokens)).flatMap((x) => x.tags);
    const b = predict(p, sents.map((s) => s.tokens)).flatMap((x) => x.tags);
    expect(b.filter((t, i) => t === a[i]).length / a.length).toBeGreaterThan(0.99);
    // A dropped pretrained word is unknown to the packed model, a kept one is not.
    const dropped = ref.meta.vocab.words[V - 1], kept = ref.meta.vocab.words[keep - 1];
    expect(p.model.wordId(dropped)).toBe(1);
    expect(p.model.wordId(kept)).toBe(keep - 1);
    const info = ner(['info', '--model', out]);
    expect(info.stdout).toMatch(/^packed +\{"from":"model","wordsBefore":\d+,"words":\d+,"dtype":"int8"\}$/m);
    expect(info.stdout).toMatch(new RegExp(`^vocabulary +${keep} words`, 'm'));
  });

  it('says what is wrong in one line: same directory, bad --words, an existing model', () => {
    const same = ner(['pack', '--model', src, '--out', src]);
    expect(same.code).toBe(2);
    expect(same.stderr).toMatch(/^ner: .*another directory than --model\n$/);
    const bad = ner(['pack', '--model', src, '--out', path.join(dir, 'bad'), '--words', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^ner: --words must be a whole number ≥ 2.*\n$/);
    expect(existsSync(path.join(dir, 'bad', 'model.json'))).toBe(false);
    const out = path.join(dir, 'twice');
    expect(ner(['pack', '--model', src, '--out', out, '--dtype', 'float16']).code).toBe(0);
    const again = ner(['pack', '--model', src, '--out', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already holds a model: use --overwrite/);
    expect(ner(['pack', '--model', src, '--out', out, '--overwrite']).code).toBe(0);
    // A table too small to quantize is said so, by ner pack and by ner train --dtype.
    const trained = ner(['train', '--train', sampleConll, '--dev', sampleConll, '--out', path.join(dir, 'tiny'), '--epochs', '1',
      '--word-dim', '4', '--hidden', '4', '--char-hidden', '4', '--char-dim', '4', '--dtype', 'int8', '--quiet']);
    expect(trained.code, trained.stderr).toBe(0);
    expect(trained.stderr).toMatch(/model in .*tiny \(no table of 1,000 rows or more to store in int8: float16 throughout\)\n/);
    const small = ner(['pack', '--model', src, '--out', path.join(dir, 'small'), '--words', '500', '--dtype', 'int4']);
    expect(small.code).toBe(0);
    expect(small.stderr).toMatch(/int4, .* \(no table of 1,000 rows or more to store in int4: float16 throughout\)\n$/);
    const missing = ner(['pack', '--model', path.join(dir, 'nope'), '--out', path.join(dir, 'x')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^ner: .*nope: no such model directory\n$/);
  });
});
