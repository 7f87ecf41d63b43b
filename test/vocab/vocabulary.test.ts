import { describe, expect, test } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Sentence } from '../../src/data/types.js';
import { readConll } from '../../src/data/conll.js';
import { InputError, UserError } from '../../src/errors.js';
import {
  PAD, UNK, Vocabulary, buildVocabularies, countSymbols, corpusCoverage, coverageOf,
  saveVocabFile, loadVocabFile, vocabToJson, vocabFromJson, VOCAB_FORMAT,
} from '../../src/vocab/index.js';
import { conllFile } from '../data/conll2003.js';

const s = (line: string, tags?: string): Sentence => {
  const tokens = line.split(' ');
  return { tokens, tags: tags ? tags.split(' ') : tokens.map(() => 'O') };
};
const corpus: Sentence[] = [
  s('EU rejects German call in 1996', 'B-ORG O B-MISC O O O'),
  s('The EU and the U.S. met in 2003', 'O B-ORG O O B-LOC O O O'),
  s('the the Zürich', 'O O B-LOC'),
];

describe('building', () => {
  test('reserved entries, then count descending, then code-unit order', async () => {
    const v = await buildVocabularies(corpus);
    expect(v.words.items.slice(0, 2)).toEqual([PAD, UNK]);
    // the ×3, EU ×2, in ×2; then count-1 words in code-unit order (upper case before lower case)
    expect(v.words.items.slice(2, 5)).toEqual(['the', 'EU', 'in']);
    const ones = v.words.items.slice(5);
    expect(ones).toEqual([...ones].sort());
    expect(ones[0]).toBe('1996');
    expect(v.words.counts[2]).toBe(3);
    expect(v.stats).toEqual({ sentences: 3, tokens: 17 });
  });

  test('the same corpus in another order gives the same ids', async () => {
    const a = await buildVocabularies(corpus);
    const b = await buildVocabularies([...corpus].reverse());
    expect(b.words.items).toEqual(a.words.items);
    expect(b.chars.items).toEqual(a.chars.items);
    expect(b.tags.items).toEqual(a.tags.items);
  });

  test('lower-casing and digit normalisation apply to words (chars keep their case)', async () => {
    const v = await buildVocabularies(corpus, { lowercase: true, digitsToZero: true });
    expect(v.words.items.slice(2, 4)).toEqual(['the', '0000']);
    expect(v.words.counts[2]).toBe(4); // The + the ×3
    expect(v.words.id('THE')).toBe(2);
    expect(v.words.id('٢٠٢٤')).toBe(3); // Arabic-Indic digits are digits too
    expect(v.words.has('zürich')).toBe(true);
    expect(v.chars.has('Z')).toBe(true);
    expect(v.chars.has('ü')).toBe(true);
  });

  test('minimum count and maximum size (reserved entries included)', async () => {
    expect((await buildVocabularies(corpus, { minCount: 2 })).words.items).toEqual([PAD, UNK, 'the', 'EU', 'in']);
    expect((await buildVocabularies(corpus, { maxSize: 4 })).words.items).toEqual([PAD, UNK, 'the', 'EU']);
    expect(() => Vocabulary.fromCounts(new Map(), { maxSize: 1 })).toThrow(RangeError);
  });

  test('tags: <pad> = 0 and no <unk>; an unknown tag is an error', async () => {
    const v = await buildVocabularies(corpus);
    expect(v.tags.items[0]).toBe(PAD);
    expect(v.tags.items[1]).toBe('O');
    expect(v.tags.unkId).toBe(-1);
    expect(() => v.tags.encode(['B-XYZ'])).toThrow(/unknown symbol "B-XYZ"/);
  });

  test('characters are code points (an emoji is one character)', async () => {
    const c = await countSymbols([s('a😀b')]);
    expect([...c.chars.keys()]).toEqual(['a', '😀', 'b']);
  });

  test('async iterables (a streamed CoNLL file) work like arrays', async () => {
    async function* gen() { for (const x of corpus) yield x; }
    expect((await buildVocabularies(gen())).words.items).toEqual((await buildVocabularies(corpus)).words.items);
  });
});

describe('encoding', () => {
  test('ids, decode, unknown words to <unk>', async () => {
    const { words } = await buildVocabularies(corpus);
    const ids = words.encode(['the', 'EU', 'Mars']);
    expect(Array.from(ids)).toEqual([2, 3, 1]);
    expect(words.decode(ids)).toEqual(['the', 'EU', UNK]);
    expect(() => words.item(words.size)).toThrow(RangeError);
  });

  test('dense one-hot [T, V] and sparse form agree and decode back', async () => {
    const { words } = await buildVocabularies(corpus);
    const tokens = ['EU', 'met', 'nobody'];
    const x = words.oneHot(tokens);
    const V = words.size;
    expect(x.length).toBe(3 * V);
    for (let t = 0; t < 3; t++) {
      let sum = 0;
      for (let v = 0; v < V; v++) sum += x[t * V + v];
      expect(sum).toBe(1);
    }
    const sparse = words.oneHotSparse(tokens);
    expect(sparse.rows).toBe(3);
    expect(sparse.cols).toBe(V);
    for (let t = 0; t < 3; t++) expect(x[t * V + sparse.indices[t]]).toBe(1);
    expect(words.decodeOneHot(x)).toEqual(['EU', 'met', UNK]);
    expect(words.decodeSparse(sparse)).toEqual(['EU', 'met', UNK]);
  });
});

describe('coverage', () => {
  test('fractions of tokens and of types with their own entry', async () => {
    const { words } = await buildVocabularies(corpus);
    const cov = await corpusCoverage(words, [s('the EU met Mars'), s('the Mars')]);
    expect(cov).toEqual({ tokens: 6, coveredTokens: 4, types: 4, coveredTypes: 3, tokenRate: 4 / 6, typeRate: 3 / 4 });
    expect(coverageOf(words, new Map()).tokenRate).toBe(1);
  });

  test('types are counted after the vocabulary\'s normalisation', async () => {
    const { words } = await buildVocabularies(corpus, { lowercase: true });
    const cov = await corpusCoverage(words, [s('The THE the <unk>')]);
    expect(cov.types).toBe(2);
    expect(cov.coveredTypes).toBe(1); // `<unk>` as a word is not covered
  });

  test('CoNLL-2003: eng.train vocabulary covers most of eng.testa', async () => {
    const v = await buildVocabularies(readConll(conllFile('eng.train')), { digitsToZero: true });
    expect(v.stats).toEqual({ sentences: 14041, tokens: 203621 });
    expect(v.tags.items.slice(1).sort()).toEqual(['B-LOC', 'B-MISC', 'B-ORG', 'I-LOC', 'I-MISC', 'I-ORG', 'I-PER', 'O']);
    const cov = await corpusCoverage(v.words, readConll(conllFile('eng.testa')));
    expect(cov.tokens).toBe(51362);
    expect(cov.tokenRate).toBeGreaterThan(0.85);
    expect(cov.tokenRate).toBeLessThan(1);
    expect(cov.typeRate).toBeLessThan(cov.tokenRate); // rare words are the uncovered ones
  });
});

describe('files', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'vocab-test-'));
  const file = path.join(dir, 'sub', 'v.json');

  test('save, load: same tables; one entry per line; no temporary file left', async () => {
    const v = await buildVocabularies(corpus, { lowercase: true, digitsToZero: true, minCount: 1 });
    await saveVocabFile(file, v);
    const text = readFileSync(file, 'utf8');
    expect(JSON.parse(text).format).toBe(VOCAB_FORMAT);
    expect(JSON.parse(text).version).toBe(1);
    expect(text).toContain('\n      ["the", 4],\n');
    expect(readdirSync(path.dirname(file))).toEqual(['v.json']);
    const back = await loadVocabFile(file);
    for (const k of ['words', 'chars', 'tags'] as const) {
      expect(back[k].items).toEqual(v[k].items);
      expect(back[k].counts).toEqual(v[k].counts);
      expect(back[k].specials).toEqual(v[k].specials);
    }
    expect(back.words.lowercase).toBe(true);
    expect(back.words.id('THE')).toBe(v.words.id('the'));
    expect(back.stats).toEqual(v.stats);
    expect(vocabToJson(back)).toBe(text);
  });

  const bad = async (text: string) => {
    const f = path.join(dir, 'bad.json');
    writeFileSync(f, text);
    return loadVocabFile(f).then(() => null, (e: unknown) => e as Error);
  };

  test('bad files fail with a UserError naming the file', async () => {
    const good = vocabToJson(await buildVocabularies(corpus));
    const cases: [string, RegExp][] = [
      [good.slice(0, good.length / 2), /bad\.json:\d+: not valid JSON .*damaged/],
      ['[1, 2]', /bad\.json: not a vocabulary file/],
      [good.replace('"version": 1', '"version": 2'), /newer bilstm-ner \(vocabulary format version 2; this version reads up to 1\)/],
      [good.replace('"version": 1', '"version": "1"'), /bad format version "1"/],
      [good.replace('["<unk>", 0]', '["<unk>", -1]'), /"words": entry 1 must be \[symbol, count\]/],
      [good.replace('"specials": ["<pad>", "<unk>"]', '"specials": ["<unk>", "<pad>"]'), /"words": entry 0 must be <unk>/],
      [good.replace('["the", 3]', '["EU", 3]'), /"words": duplicate entry "EU"/],
      [good.replace('"tags": {', '"tagz": {'), /"tags": missing/],
    ];
    for (const [text, re] of cases) {
      const err = await bad(text);
      expect(err).toBeInstanceOf(InputError);
      expect(err!.message).toMatch(re);
    }
    const missing = await loadVocabFile(path.join(dir, 'nope.json')).catch((e: Error) => e);
    expect(missing).toBeInstanceOf(UserError);
    expect((missing as Error).message).toMatch(/nope\.json: no such file/);
    expect(() => vocabFromJson('{}', 'x.json')).toThrow(/x\.json: not a vocabulary file/);
  });

  test.sequential('cleanup', () => rmSync(dir, { recursive: true, force: true }));
});
