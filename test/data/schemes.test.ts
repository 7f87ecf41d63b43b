import { describe, expect, it, test } from 'vitest';
import fc from 'fast-check';
import {
  tagsToSpans, spansToTags, convertTags, detectScheme, isValidTransition, transitionMask,
  firstInvalid, parseTag, schemeByName, TagError, SCHEMES, type SchemeName,
} from '../../src/data/schemes.js';
import { readConllFile } from '../../src/data/conll.js';
import type { Span } from '../../src/data/types.js';
import { conllFile, EXPECTED } from './conll2003.js';

const T = (s: string) => (s === '' ? [] : s.split(' '));
const S = (...xs: [string, number, number][]): Span[] => xs.map(([type, start, end]) => ({ type, start, end }));

describe('parseTag', () => {
  test.each([
    ['O', 'O', ''],
    ['B-PER', 'B', 'PER'],
    ['I-X-Y', 'I', 'X-Y'],
    ['S-LOC', 'S', 'LOC'],
    ['U-MISC', 'U', 'MISC'],
    ['PER', 'I', 'PER'],
  ])('%s → prefix %s, type %s', (tag, prefix, type) => {
    expect(parseTag(tag)).toEqual({ prefix, type });
  });

  test.each(['X-PER', 'B-', 'BI-PER', ''])('%j is not a tag', (tag) => {
    expect(() => parseTag(tag)).toThrow(TagError);
  });
});

describe('tagsToSpans, lenient (conlleval reading)', () => {
  test.each([
    // well-formed, each scheme
    ['B-PER I-PER O B-LOC', S(['PER', 0, 2], ['LOC', 3, 4])],
    ['I-PER I-PER O I-LOC', S(['PER', 0, 2], ['LOC', 3, 4])],
    ['I-PER B-PER I-PER', S(['PER', 0, 1], ['PER', 1, 3])],
    ['B-PER E-PER S-PER O', S(['PER', 0, 2], ['PER', 2, 3])],
    ['B-PER I-PER E-PER S-LOC', S(['PER', 0, 3], ['LOC', 3, 4])],
    ['U-PER U-PER B-ORG L-ORG', S(['PER', 0, 1], ['PER', 1, 2], ['ORG', 2, 4])],
    ['PER PER O LOC', S(['PER', 0, 2], ['LOC', 3, 4])],
    ['B-X-Y I-X-Y', S(['X-Y', 0, 2])],
    // ill-formed, read as conlleval reads them
    ['O I-PER I-PER', S(['PER', 1, 3])],
    ['B-PER I-LOC', S(['PER', 0, 1], ['LOC', 1, 2])],
    ['I-PER I-LOC I-LOC', S(['PER', 0, 1], ['LOC', 1, 3])],
    ['B-PER I-PER B-PER', S(['PER', 0, 2], ['PER', 2, 3])],
    ['B-PER E-LOC', S(['PER', 0, 1], ['LOC', 1, 2])],
    ['E-PER E-PER', S(['PER', 0, 1], ['PER', 1, 2])],
    ['S-PER I-PER', S(['PER', 0, 1], ['PER', 1, 2])],
    ['B-PER O', S(['PER', 0, 1])],
    ['O O', []],
    ['', []],
  ])('%s', (tags, spans) => {
    expect(tagsToSpans(T(tags))).toEqual(spans);
  });
});

describe('tagsToSpans, strict (ill-formed chunks are not entities)', () => {
  test.each<[SchemeName, string, Span[]]>([
    ['IOB2', 'B-PER I-PER O B-LOC', S(['PER', 0, 2], ['LOC', 3, 4])],
    ['IOB2', 'O I-PER I-PER', []],
    ['IOB2', 'B-PER I-LOC', S(['PER', 0, 1])],
    ['IOB2', 'B-PER B-PER', S(['PER', 0, 1], ['PER', 1, 2])],
    ['IOB1', 'I-PER B-PER I-LOC', S(['PER', 0, 1], ['PER', 1, 2], ['LOC', 2, 3])],
    ['IOB1', 'O B-PER I-PER', []],
    ['IOB1', 'I-PER B-LOC', S(['PER', 0, 1])],
    ['IOBES', 'B-PER E-PER S-LOC', S(['PER', 0, 2], ['LOC', 2, 3])],
    ['IOBES', 'B-PER I-PER O', []],
    ['IOBES', 'B-PER I-PER S-LOC', S(['LOC', 2, 3])],
    ['IOBES', 'I-PER E-PER', []],
    ['IOBES', 'B-PER E-LOC', []],
    ['BILOU', 'B-PER L-PER U-LOC', S(['PER', 0, 2], ['LOC', 2, 3])],
    ['BILOU', 'B-PER E-PER', []],
    ['IO', 'PER PER LOC', S(['PER', 0, 2], ['LOC', 2, 3])],
  ])('%s: %s', (scheme, tags, spans) => {
    expect(tagsToSpans(T(tags), scheme, { strict: true })).toEqual(spans);
  });
});

describe('transition validity (derived from the scheme tables)', () => {
  test.each<[SchemeName, string, string, boolean]>([
    ['IOB2', 'O', 'B-X', true],
    ['IOB2', 'O', 'I-X', false],
    ['IOB2', 'B-X', 'I-X', true],
    ['IOB2', 'B-X', 'I-Y', false],
    ['IOB2', 'I-X', 'B-X', true],
    ['IOB2', 'I-X', 'O', true],
    ['IOB1', 'O', 'I-X', true],
    ['IOB1', 'O', 'B-X', false],
    ['IOB1', 'I-X', 'B-X', true],
    ['IOB1', 'I-X', 'B-Y', false],
    ['IOB1', 'I-X', 'I-Y', true],
    ['IOB1', 'B-X', 'I-Y', true],
    ['IOBES', 'O', 'S-X', true],
    ['IOBES', 'B-X', 'O', false],
    ['IOBES', 'B-X', 'E-X', true],
    ['IOBES', 'I-X', 'S-Y', false],
    ['IOBES', 'E-X', 'B-Y', true],
    ['IOBES', 'E-X', 'I-X', false],
    ['IOBES', 'O', 'L-X', false],
    ['BILOU', 'B-X', 'L-X', true],
    ['BILOU', 'L-X', 'U-X', true],
    ['BILOU', 'U-X', 'I-X', false],
    ['IO', 'I-X', 'I-Y', true],
    ['IO', 'O', 'B-X', false],
  ])('%s: %s → %s is %s', (scheme, prev, cur, ok) => {
    expect(isValidTransition(prev, cur, scheme)).toBe(ok);
  });

  it('transitionMask gives allowed[prev][cur], start and end for a tag list', () => {
    const tags = ['O', 'B-PER', 'I-PER', 'E-PER', 'S-PER'];
    const m = transitionMask(tags, 'IOBES');
    expect(m.start).toEqual([true, true, false, false, true]);
    expect(m.end).toEqual([true, false, false, true, true]);
    expect(m.allowed).toEqual([
      [true, true, false, false, true],
      [false, false, true, true, false],
      [false, false, true, true, false],
      [true, true, false, false, true],
      [true, true, false, false, true],
    ]);
  });

  it('firstInvalid names the first bad transition (length = may not end here)', () => {
    expect(firstInvalid(T('B-X I-X O'), 'IOB2')).toBe(-1);
    expect(firstInvalid(T('O I-X'), 'IOB2')).toBe(1);
    expect(firstInvalid(T('B-X I-X'), 'IOBES')).toBe(2);
  });

  it('scheme names are case-insensitive with aliases', () => {
    expect(schemeByName('bio').name).toBe('IOB2');
    expect(schemeByName('bioes').name).toBe('IOBES');
    expect(schemeByName('bilou').name).toBe('BILOU');
    expect(() => schemeByName('ioe2')).toThrow(/unknown tag scheme/);
  });
});

describe('detectScheme', () => {
  test.each<[string[], SchemeName]>([
    [['I-PER I-PER O B-PER', 'O I-LOC'], 'IOB1'],
    [['B-PER I-PER O B-PER', 'O B-LOC'], 'IOB2'],
    [['B-PER O B-LOC'], 'IOB2'],
    [['S-PER O B-LOC E-LOC'], 'IOBES'],
    [['U-PER O B-LOC L-LOC'], 'BILOU'],
    [['PER PER O LOC'], 'IO'],
    [['O O'], 'IOB2'],
  ])('%j → %s', (seqs, scheme) => {
    expect(detectScheme(seqs.map(T))).toBe(scheme);
  });
});

describe('spansToTags / convertTags', () => {
  test.each<[SchemeName, string]>([
    ['IOB1', 'I-PER I-PER B-PER O I-LOC'],
    ['IOB2', 'B-PER I-PER B-PER O B-LOC'],
    ['IOBES', 'B-PER E-PER S-PER O S-LOC'],
    ['BILOU', 'B-PER L-PER U-PER O U-LOC'],
    ['IO', 'I-PER I-PER I-PER O I-LOC'],
  ])('%s spelling of PER[0,2) PER[2,3) LOC[4,5)', (scheme, tags) => {
    expect(spansToTags(S(['PER', 0, 2], ['PER', 2, 3], ['LOC', 4, 5]), 5, scheme)).toEqual(T(tags));
  });

  it('rejects overlapping or out-of-range spans', () => {
    expect(() => spansToTags(S(['A', 0, 2], ['B', 1, 3]), 3, 'IOB2')).toThrow(RangeError);
    expect(() => spansToTags(S(['A', 2, 4]), 3, 'IOB2')).toThrow(RangeError);
  });

  it('property: spans survive every conversion chain (random non-overlapping spans)', () => {
    const spansArb = fc.array(fc.tuple(fc.nat(3), fc.integer({ min: 1, max: 3 }), fc.constantFrom('A', 'B', 'C-D')), { maxLength: 6 })
      .map((parts) => {
        const spans: Span[] = [];
        let pos = 0;
        for (const [gap, len, type] of parts) {
          pos += gap;
          spans.push({ type, start: pos, end: pos + len });
          pos += len;
        }
        return { spans, length: pos + 1 };
      });
    const schemes: SchemeName[] = ['IOB1', 'IOB2', 'IOBES', 'BILOU'];
    fc.assert(fc.property(spansArb, fc.constantFrom(...schemes), fc.constantFrom(...schemes), ({ spans, length }, a, b) => {
      const tagsA = spansToTags(spans, length, a);
      expect(firstInvalid(tagsA, a)).toBe(-1);
      expect(tagsToSpans(tagsA)).toEqual(spans);
      expect(tagsToSpans(tagsA, a, { strict: true })).toEqual(spans);
      const tagsB = convertTags(tagsA, a, b);
      expect(tagsToSpans(tagsB, b, { strict: true })).toEqual(spans);
    }), { numRuns: 300 });
  });
});

describe('CoNLL-2003: IOB1 → IOB2 → IOBES → BILOU → IOB1 round trip', () => {
  it.each(['eng.train', 'eng.testa', 'eng.testb'] as const)('%s', async (name) => {
    const sentences = await readConllFile(conllFile(name));
    const original = sentences.map((s) => s.tags);
    expect(detectScheme(original)).toBe('IOB1');
    const chain: SchemeName[] = ['IOB1', 'IOB2', 'IOBES', 'BILOU', 'IOB1'];
    let current = original;
    // Spans as one string per step: one comparison instead of thousands of deep-equals.
    const key = (seqs: string[][], scheme: SchemeName, strict = true) =>
      seqs.map((t) => tagsToSpans(t, scheme, { strict }).map((x) => `${x.type}:${x.start}-${x.end}`).join(' ')).join('\n');
    const originalSpans = key(original, 'IOB1');
    expect(originalSpans.split(/[\n ]/).filter(Boolean)).toHaveLength(EXPECTED[name].entities);
    for (let k = 1; k < chain.length; k++) {
      const from = chain[k - 1], to = chain[k];
      current = current.map((t) => convertTags(t, from, to));
      expect(current.findIndex((t) => firstInvalid(t, to) !== -1)).toBe(-1);
      expect(key(current, to) === originalSpans).toBe(true);
      expect(key(current, to, false) === originalSpans).toBe(true);
      if (to !== 'IOB1') expect(detectScheme(current)).toBe(to);
    }
    expect(current.map((t) => t.join(' ')).join('\n') === original.map((t) => t.join(' ')).join('\n')).toBe(true);
  });
});

it('SCHEMES lists every scheme once', () => {
  expect(new Set(SCHEMES).size).toBe(5);
});
