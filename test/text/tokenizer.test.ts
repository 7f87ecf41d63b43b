import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { tokenize, tokenizeSentence, maskForTreebank } from '../../src/text/index.js';
import { expectTokenInvariants } from './invariants.js';

const words = (text: string) => {
  const tokens = tokenize(text);
  expectTokenInvariants(text, tokens);
  return tokens.map((t) => t.text);
};

describe('CoNLL-2003 style', () => {
  test.each([
    ['EU rejects German call to boycott British lamb.', ['EU', 'rejects', 'German', 'call', 'to', 'boycott', 'British', 'lamb', '.']],
    ['BRUSSELS 1996-08-22', ['BRUSSELS', '1996-08-22']],
    ['It cost $3,000.50 in the U.S. last year.', ['It', 'cost', '$', '3,000.50', 'in', 'the', 'U.S.', 'last', 'year', '.']],
    ['He lives in the U.S.', ['He', 'lives', 'in', 'the', 'U.S', '.']],
    ["O'Neil's car wasn't cheap.", ["O'Neil", "'s", 'car', 'was', "n't", 'cheap', '.']],
    ['They cannot go; we can.', ['They', 'cannot', 'go', ';', 'we', 'can', '.']],
    ['He said "no." Then he left.', ['He', 'said', '"', 'no', '.', '"', 'Then', 'he', 'left', '.']],
    ['(Reuters) - Shares rose 5% [sic] {x}', ['(', 'Reuters', ')', '-', 'Shares', 'rose', '5', '%', '[', 'sic', ']', '{', 'x', '}']],
    ["the 'quoted' word", ['the', "'", 'quoted', "'", 'word']],
    ["the players' union", ['the', 'players', "'", 'union']],
    ['Euro \'96 final', ['Euro', "'96", 'final']],
    ['a well-known U.N.-backed plan', ['a', 'well-known', 'U.N.-backed', 'plan']],
    ['AT&T and S&P 500 rose 1/2 point', ['AT&T', 'and', 'S&P', '500', 'rose', '1/2', 'point']],
    ['It cost C$ 20 and HK$5.', ['It', 'cost', 'C$', '20', 'and', 'HK$', '5', '.']],
    ['at 3:30 p.m. on Jan. 5, he won 2-1', ['at', '3:30', 'p.m.', 'on', 'Jan.', '5', ',', 'he', 'won', '2-1']],
    ['Wait... what?! Fine,', ['Wait', '...', 'what', '?', '!', 'Fine', ',']],
    ['He paused -- then spoke', ['He', 'paused', '--', 'then', 'spoke']],
  ])('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });
});

describe('Unicode', () => {
  test.each([
    ['café Müller straße Doğan 中国', ['café', 'Müller', 'straße', 'Doğan', '中国']],
    ['Müller’s team didn’t win.', ['Müller', '’s', 'team', 'did', 'n’t', 'win', '.']],
    ['“Quoted,” she said.', ['“', 'Quoted', ',', '”', 'she', 'said', '.']],
    ['e\u0301te\u0301 (decomposed)', ['e\u0301te\u0301', '(', 'decomposed', ')']],
    ['great👍 👍🏽 👨‍👩‍👧 ❤️ 🇺🇸🇫🇷', ['great', '👍', '👍🏽', '👨‍👩‍👧', '❤️', '🇺🇸', '🇫🇷']],
    ['مرحبا، العالم', ['مرحبا', '،', 'العالم']],
    ['שלום עולם.', ['שלום', 'עולם', '.']],
    ['\u202Bשלום\u202C world', ['שלום', 'world']],
    ['zero\u200Bwidth no\u00ADbreak می\u200Cخواهم', ['zero', 'width', 'no\u00ADbreak', 'می\u200Cخواهم']],
    ['ctrl\u0000\u0007chars\u007F\u0085end', ['ctrl', 'chars', 'end']],
    ['tab\tnbsp\u00A0ideo\u3000space\uFEFFbom', ['tab', 'nbsp', 'ideo', 'space', 'bom']],
    ['１２３ full-width ４５', ['１２３', 'full-width', '４５']],
  ])('%s', (text, expected) => {
    expect(words(text)).toEqual(expected);
  });

  test('empty and whitespace-only input give no tokens', () => {
    for (const text of ['', ' ', '\n\n\t ', '\u200B\u200E', '\u0000']) expect(words(text)).toEqual([]);
  });

  test('lone surrogates are kept as tokens of their own', () => {
    expect(words('a\uD800 b \uDC00c')).toEqual(['a', '\uD800', 'b', '\uDC00', 'c']);
  });

  test('the mask fed to natural keeps every offset', () => {
    const text = 'Ça coûte 3 € 😀 中国\u0000\u200B!';
    const mask = maskForTreebank(text);
    expect(mask.length).toBe(text.length);
    expect(mask).toBe('xa coxte 3 € 😀 xx  !');
  });
});

describe('properties (fast-check)', () => {
  const pieces = fc.constantFrom(
    'U.S.', 'Mr.', 'p.m.', "'s", "n't", "can't", 'cannot', '3,000.50', '1996-08-22', '3:30', 'C$', '...', '.', ',', '"', "'",
    '’', '“', '(', ')', '--', 'é', 'ß', '中', '👍', '🏽', '\u200D', '\u0301', '\uFE0F', '🇺', '\uD800', '\uDC00', '\u200B',
    '\u202E', '\u0000', '\u00AD', '\n', '\n\n', ' ', '\t', 'the', 'The', 'Smith', 'a', '!', '?', '%', '$', 'ا', 'ש',
  );
  const newsLike = fc.array(pieces, { maxLength: 60 }).map((p) => p.join(''));
  const config = { numRuns: 600 };

  test('random strings of any code units: never crash, offsets slice back, in order, nothing lost', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (text) => {
      expectTokenInvariants(text, tokenize(text));
    }), config);
  });

  test('random UTF-16 (lone surrogates included)', () => {
    fc.assert(fc.property(fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)), maxLength: 80 }), (text) => {
      expectTokenInvariants(text, tokenize(text));
    }), config);
  });

  test('random news-like strings built from tricky pieces', () => {
    fc.assert(fc.property(newsLike, (text) => {
      expectTokenInvariants(text, tokenize(text));
      expectTokenInvariants(text, tokenizeSentence(text));
    }), { numRuns: 2000 });
  });

  test('tokenizeSentence on a sub-range only returns tokens inside it', () => {
    fc.assert(fc.property(newsLike, fc.nat(), fc.nat(), (text, x, y) => {
      const a = Math.min(x % (text.length + 1), y % (text.length + 1));
      const b = Math.max(x % (text.length + 1), y % (text.length + 1));
      const tokens = tokenizeSentence(text, a, b);
      for (const t of tokens) {
        expect(t.start).toBeGreaterThanOrEqual(a);
        expect(t.end).toBeLessThanOrEqual(b);
      }
      const sub = text.slice(a, b);
      expectTokenInvariants(sub, tokens.map((t) => ({ text: t.text, start: t.start - a, end: t.end - a })));
    }), config);
  });
});

describe('large and pathological inputs (linear time)', () => {
  const news = 'Mr. Smith, 45, of the U.S. Treasury said on Jan. 5 that shares of O\'Neil\'s firm rose 3,000.50 points (4.5%) to "record" highs. ';
  const cases: [string, string][] = [
    ['a 1 MB line of news text', news.repeat(Math.ceil(1_000_000 / news.length))],
    ['1 MB of periods', '.'.repeat(1_000_000)],
    ['1 MB of ". "', '. '.repeat(500_000)],
    ['1 MB of "a."', 'a.'.repeat(500_000)],
    ['1 MB of quotes and spaces', '\' " '.repeat(250_000)],
    ['1 MB of one letter', 'x'.repeat(1_000_000)],
    ['1 MB of emoji', '👍🏽'.repeat(250_000)],
    ['1 MB of spaces then a word', ' '.repeat(1_000_000) + 'end.'],
    ['1 MB of "Mr. "', 'Mr. '.repeat(250_000)],
  ];
  test.each(cases)('%s', (_name, text) => {
    // Correctness on large pathological inputs; their speed is measured by a benchmark, not here.
    const tokens = tokenize(text);
    expectTokenInvariants(text, tokens);
    expect(tokens.length).toBeGreaterThan(0);
  });
});
