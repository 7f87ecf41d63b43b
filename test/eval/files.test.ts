import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConllFile, writeConll } from '../../src/data/conll.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { evaluateConllevalFile, evaluateFiles, readConllevalFile } from '../../src/eval/files.js';
import { InputError } from '../../src/errors.js';
import type { Sentence } from '../../src/data/types.js';
import { conllFile } from '../data/conll2003.js';
import { seeded } from './reference.js';
import { writeFileIn, expectInputError } from '../helpers/files.js';

let tmp: string;
let testb: Sentence[];
let predTags: string[][];
beforeAll(async () => {
  tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'ner-evalfiles-'));
  testb = await readConllFile(conllFile('eng.testb'), { keepEmptyDocuments: true });
  const rand = seeded(11);
  const tagSet = ['O', 'I-PER', 'I-LOC', 'B-ORG', 'I-MISC'];
  predTags = testb.map((s) => s.tags.map((t) => (rand() < 0.05 ? tagSet[Math.floor(rand() * tagSet.length)] : t)));
});
afterAll(async () => { await fsp.rm(tmp, { recursive: true, force: true }); });

const writeTmp = (name: string, content: string | Buffer): Promise<string> => writeFileIn(tmp, name, content);

const inputError = expectInputError;

const nonEmpty = () => testb.filter((s) => s.tokens.length > 0);

describe('conlleval-format files (last two columns: gold, predicted)', () => {
  it('scores eng.testb with predictions appended as a fifth column like evaluate() does', async () => {
    const lines: string[] = [];
    testb.forEach((s, k) => {
      if (s.docStart) lines.push(s.docStartText + ' O', '');
      s.tokens.forEach((_, i) => lines.push(`${s.columns![i].join(' ')} ${predTags[k][i]}`));
      lines.push('');
    });
    const f = await writeTmp('testb.eval', lines.join('\n'));
    const { result } = await evaluateConllevalFile(f);
    const kept = testb.map((s, k) => [s, predTags[k]] as const).filter(([s]) => s.tokens.length > 0);
    expect(result).toEqual(evaluate(kept.map(([s]) => s.tags), kept.map(([, p]) => p)));
    expect(result.overall.tokens).toBe(46435); // -DOCSTART- lines are boundaries, not tokens
  });

  it('reads token-less two-column lines and -X- boundaries', async () => {
    const f = await writeTmp('two.eval', 'B-PER B-PER\nI-PER I-PER\n-X- O O\nB-LOC O\n');
    const got = [];
    for await (const s of readConllevalFile(f)) got.push(s);
    expect(got).toEqual([
      { tokens: ['', ''], gold: ['B-PER', 'I-PER'], pred: ['B-PER', 'I-PER'], line: 1 },
      { tokens: [''], gold: ['B-LOC'], pred: ['O'], line: 4 },
    ]);
  });

  it.each([
    ['fewer than two tag columns', 'a B-PER B-PER\nb O O\n\nc\n', 4, 'expected a gold and a predicted tag as the last two columns, found 1 column'],
    ['a different number of columns', 'a B-PER B-PER\nb O O\n\nc O\n', 4, 'expected 3 columns (as on line 1), found 2'],
  ])('%s: FILE:LINE error', async (what, text, line, problem) => {
    const f = await writeTmp(`bad-${what.replace(/\W/g, '_')}.eval`, text);
    expect((await inputError(evaluateConllevalFile(f))).message).toBe(`${f}:${line}: ${problem}`);
  });

  it('strict mode: an unreadable tag is reported at its line', async () => {
    const f = await writeTmp('badtag.eval', 'a B-PER B-PER\n\nb O O\nc X-PER O\n');
    const err = await inputError(evaluateConllevalFile(f, { mode: 'strict', scheme: 'IOB2' }));
    expect(err.message).toBe(`${f}:4: tag "X-PER": unknown prefix: expected O, TYPE or P-TYPE with P one of B I E S L U`);
    const g = await writeTmp('badgold.eval', 'a B-PER B-PER\n\nb O O\nc Q-PER O\n');
    expect((await inputError(evaluateConllevalFile(g, { mode: 'strict' }))).message).toMatch(new RegExp(`^${g}:4: tag "Q-PER"`));
  });
});

describe('gold file + prediction file', () => {
  it('scores aligned files like evaluate()', async () => {
    const pred = path.join(tmp, 'testb.pred');
    await writeConll(pred, testb.map((s, k) => ({ ...s, tags: predTags[k] })));
    const { result } = await evaluateFiles(conllFile('eng.testb'), pred);
    const kept = testb.map((s, k) => [s, predTags[k]] as const).filter(([s]) => s.tokens.length > 0);
    expect(result).toEqual(evaluate(kept.map(([s]) => s.tags), kept.map(([, p]) => p)));
    const strict = await evaluateFiles(conllFile('eng.testb'), pred, { mode: 'strict' });
    expect(strict.result.overall.gold).toBe(5648);
  });

  it('names the first mismatching token', async () => {
    const sentences = nonEmpty().map((s) => ({ tokens: s.tokens.slice(), tags: s.tags }));
    sentences[2].tokens[1] = 'CHANGED';
    const pred = path.join(tmp, 'mismatch.pred');
    await writeConll(pred, sentences);
    // The prediction file holds sentence 1, a blank line, sentence 2, a blank line, then sentence 3.
    const lengths = sentences.slice(0, 2).map((s) => s.tokens.length);
    const predLine = lengths[0] + 1 + lengths[1] + 1 + 1 + 1;
    const gold = conllFile('eng.testb');
    const goldLine = nonEmpty()[2].line! + 1;
    const err = await inputError(evaluateFiles(gold, pred));
    expect(err.message).toBe(`${pred}:${predLine}: token "CHANGED" does not match "${nonEmpty()[2].tokens[1]}" at ${gold}:${goldLine}`);
  });

  it('refuses different token counts and sentence counts', async () => {
    const gold = await writeTmp('g.conll', 'a O\nb B-X\n\nc O\n');
    const short = await writeTmp('short.conll', 'a O\n\nc O\n');
    expect((await inputError(evaluateFiles(gold, short))).message)
      .toBe(`${short}:2: sentence 1 ends after 1 tokens, the gold sentence at ${gold}:1 has 2`);
    const long = await writeTmp('long.conll', 'a O\nb O\nx O\n\nc O\n');
    expect((await inputError(evaluateFiles(gold, long))).message)
      .toBe(`${long}:3: sentence 1 has 3 tokens, the gold sentence at ${gold}:1 has 2`);
    const more = await writeTmp('more.conll', 'a O\nb O\n\nc O\n\nd O\n');
    expect((await inputError(evaluateFiles(gold, more))).message)
      .toBe(`${more}:6: sentence 3 has no counterpart: the gold file ${gold} has only 2 sentences`);
    const fewer = await writeTmp('fewer.conll', 'a O\nb O\n');
    expect((await inputError(evaluateFiles(gold, fewer))).message)
      .toBe(`${fewer}: ends after 1 sentences, the gold file has more (sentence 2 at ${gold}:4)`);
  });
});
