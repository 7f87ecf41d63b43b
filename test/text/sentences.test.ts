import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { splitSentences, tokenize, tokenizeSentence, sentenceBoundaries } from '../../src/text/index.js';
import { readConllFile } from '../../src/data/conll.js';
import { conllFile } from '../data/conll2003.js';
import { expectTokenInvariants } from './invariants.js';

const sentences = (text: string, newlines?: 'blank' | 'single' | 'never') =>
  splitSentences(text, { newlines }).map((s) => text.slice(s.start, s.end));

describe('news text', () => {
  // Invented wire copy with the abbreviations a splitter must not break on.
  const story =
    'WASHINGTON 1996-08-22\n\n' +
    'Mr. Smith arrived at 3 p.m. on Jan. 5 with Dr. Jones of the U.S. Treasury. ' +
    'Prices fell 3.5 percent in the U.S. The dollar rose against the yen. ' +
    '"It was fine," said Gen. John F. Kennedy Jr., a spokesman for Acme Corp. in Paramount, Calif. ' +
    'The company declined to comment. Is it over? Yes! He paused... Then he left at 5 a.m. Sales of No. 2 brand rose. ' +
    'Trading in Acme Inc. shares ended. 1. Pivotal 100-30 won.';
  const expected = [
    'WASHINGTON 1996-08-22',
    'Mr. Smith arrived at 3 p.m. on Jan. 5 with Dr. Jones of the U.S. Treasury.',
    'Prices fell 3.5 percent in the U.S.',
    'The dollar rose against the yen.',
    '"It was fine," said Gen. John F. Kennedy Jr., a spokesman for Acme Corp. in Paramount, Calif.',
    'The company declined to comment.',
    'Is it over?',
    'Yes!',
    'He paused...',
    'Then he left at 5 a.m. Sales of No. 2 brand rose.',
    'Trading in Acme Inc. shares ended.',
    '1. Pivotal 100-30 won.',
  ];

  test('splits where a reader would, and not after Mr. Dr. U.S. p.m. Jan. Gen. F. Corp. No.', () => {
    expect(sentences(story)).toEqual(expected);
  });

  test('each sentence carries its tokens, with offsets into the whole text', () => {
    const spans = splitSentences(story);
    for (const s of spans) {
      expectTokenInvariants(story.slice(s.start, s.end), s.tokens.map((t) => ({ ...t, start: t.start - s.start, end: t.end - s.start })));
      expect(s.tokens[0].start).toBe(s.start);
      expect(s.tokens[s.tokens.length - 1].end).toBe(s.end);
    }
    expect(spans[2].tokens.map((t) => t.text)).toEqual(['Prices', 'fell', '3.5', 'percent', 'in', 'the', 'U.S', '.']);
    expect(spans[1].tokens.map((t) => t.text)).toContain('U.S.');
    expect(tokenize(story)).toEqual(spans.flatMap((s) => s.tokens));
  });

  test('closing quotes and brackets stay with the sentence they end', () => {
    expect(sentences('He said "we won." The crowd cheered. (It rained.) Then it stopped.')).toEqual([
      'He said "we won."', 'The crowd cheered.', '(It rained.)', 'Then it stopped.',
    ]);
  });

  test('a lower-case or punctuation continuation is not a new sentence', () => {
    expect(sentences('He cited e.g. costs. and more. It ended.')).toEqual(['He cited e.g. costs. and more.', 'It ended.']);
    expect(sentences('in Paramount, Calif. , it ended.')).toHaveLength(1);
  });

  test('line breaks: blank lines always split; single ones only with newlines: "single"', () => {
    const text = 'EU rejects call\nto boycott lamb\n\nGermany said no';
    expect(sentences(text)).toEqual(['EU rejects call\nto boycott lamb', 'Germany said no']);
    expect(sentences(text, 'single')).toEqual(['EU rejects call', 'to boycott lamb', 'Germany said no']);
    expect(sentences('One\n\nTwo', 'never')).toEqual(['One\n\nTwo']);
    expect(sentences('a\r\nb\rc\u2028d', 'single')).toEqual(['a', 'b', 'c', 'd']);
  });

  test('ideographic full stops end sentences without a space', () => {
    expect(sentences('中国很大。美国也很大！对吗？')).toEqual(['中国很大。', '美国也很大！', '对吗？']);
  });

  test('empty, blank and punctuation-only input', () => {
    expect(splitSentences('')).toEqual([]);
    expect(splitSentences(' \n\n \t')).toEqual([]);
    expect(sentences('...')).toEqual(['...']);
    expect(sentenceBoundaries('One. Two.')).toEqual([4]);
  });

  test('natural\'s SentenceTokenizer, for comparison, breaks these sentences (why we have our own)', async () => {
    const { createRequire } = await import('node:module');
    const S = createRequire(import.meta.url)('natural/lib/natural/tokenizers/sentence_tokenizer') as new () => { tokenize(t: string): string[] };
    const theirs = new S().tokenize('Mr. Smith arrived at 3 p.m. on Jan. 5 with Dr. Jones of the U.S. Treasury.');
    expect(theirs.length).toBeGreaterThan(1);
  });
});

describe('properties', () => {
  test('sentences are in order, do not overlap, and hold exactly the tokens of the text', () => {
    const piece = fc.constantFrom('Mr.', 'U.S.', 'The', 'he', '.', '?', '!', '...', '"', ')', ' ', '\n', '\n\n', '1.', 'Jan.', '5', '。', 'x', '\u2029');
    fc.assert(fc.property(fc.array(piece, { maxLength: 50 }).map((p) => p.join('')), (text) => {
      const spans = splitSentences(text);
      let prev = 0;
      for (const s of spans) {
        expect(s.start).toBeGreaterThanOrEqual(prev);
        expect(s.end).toBeGreaterThan(s.start);
        prev = s.end;
      }
      const all = spans.flatMap((s) => s.tokens);
      expectTokenInvariants(text, all);
    }), { numRuns: 1500 });
  });
});

describe('agreement with CoNLL-2003 tokenization', () => {
  test('re-tokenizing eng.testa sentences joined by spaces gives back the same tokens for >= 99% of sentences', async () => {
    const data = await readConllFile(conllFile('eng.testa'));
    let same = 0, oneSentence = 0;
    for (const s of data) {
      const text = s.tokens.join(' ');
      if (tokenizeSentence(text).map((t) => t.text).join('\u0001') === s.tokens.join('\u0001')) same++;
      if (splitSentences(text).length === 1) oneSentence++;
    }
    expect(data.length).toBe(3250);
    expect(same / data.length).toBeGreaterThan(0.99);
    // The splitter keeps almost every CoNLL sentence whole (list numbers, `Calif. ,`, `U.S.`).
    expect(oneSentence / data.length).toBeGreaterThan(0.995);
  });
});
