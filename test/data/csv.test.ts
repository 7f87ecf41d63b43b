import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { promises as fsp, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsv, readCsvFile, readCsvString, formatCsv, writeCsv } from '../../src/data/csv.js';
import { readConllFile } from '../../src/data/conll.js';
import { InputError } from '../../src/errors.js';
import type { Sentence } from '../../src/data/types.js';
import { REPO_ROOT } from './conll2003.js';
import { writeFileIn, expectInputError } from '../helpers/files.js';

let tmp: string;
beforeAll(async () => { tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'ner-csv-')); });
afterAll(async () => { await fsp.rm(tmp, { recursive: true, force: true }); });

const kaggle = [
  'Sentence #,Word,POS,Tag',
  'Sentence: 1,Thousands,NNS,O',
  ',of,IN,O',
  ',"demonstrators, all",NNS,O',
  ',marched,VBN,O',
  ',through,IN,O',
  ',London,NNP,B-geo',
  'Sentence: 2,"""Families""",NNS,O',
  ',of,IN,O',
  ',soldiers,NNS,B-per',
].join('\n') + '\n';

const pairs = (ss: Sentence[]) => ss.map((s) => ({ id: s.id, tokens: s.tokens, tags: s.tags, line: s.line }));
const expectedKaggle = [
  {
    id: 'Sentence: 1',
    tokens: ['Thousands', 'of', 'demonstrators, all', 'marched', 'through', 'London'],
    tags: ['O', 'O', 'O', 'O', 'O', 'B-geo'],
    line: 2,
  },
  { id: 'Sentence: 2', tokens: ['"Families"', 'of', 'soldiers'], tags: ['O', 'O', 'B-per'], line: 8 },
];

const writeTmp = (name: string, content: string | Buffer): Promise<string> => writeFileIn(tmp, name, content);

const inputError = expectInputError;

describe('readCsv', () => {
  it.each([
    ['LF', kaggle],
    ['CRLF', kaggle.replace(/\n/g, '\r\n')],
    ['a BOM', '\uFEFF' + kaggle],
    ['no final newline', kaggle.slice(0, -1)],
  ])('reads the Kaggle layout with %s (quoted fields, id on the first row only)', async (what, text) => {
    const f = await writeTmp(`kaggle-${what.replace(/\W/g, '_')}.csv`, text);
    expect(pairs(await readCsvFile(f))).toEqual(expectedKaggle);
    expect(pairs(await readCsvString(text, 'mem'))).toEqual(expectedKaggle);
  });

  it('reads TSV with other header names and ids on every row', async () => {
    const text = 'sentence_id\ttoken\tlabel\n7\tEU\tB-ORG\n7\trejects\tO\n8\tPeter\tB-PER\n';
    const got = await readCsvString(text, 'mem', { delimiter: '\t' });
    expect(pairs(got)).toEqual([
      { id: '7', tokens: ['EU', 'rejects'], tags: ['B-ORG', 'O'], line: 2 },
      { id: '8', tokens: ['Peter'], tags: ['B-PER'], line: 4 },
    ]);
  });

  it('column names can be given; unlabelled files need no tag column; blank lines are skipped', async () => {
    const text = 'sid,w,extra\n1,a,x\n\n,b,y\n2,c,z\n';
    const got = await readCsvString(text, 'mem', { sentenceColumn: 'SID', tokenColumn: 'w', labelled: false });
    expect(pairs(got)).toEqual([
      { id: '1', tokens: ['a', 'b'], tags: [], line: 2 },
      { id: '2', tokens: ['c'], tags: [], line: 5 },
    ]);
  });

  it('the sample CSV holds the same sentences as the sample CoNLL file', async () => {
    const csv = await readCsvFile(path.join(REPO_ROOT, 'data', 'sample.csv'));
    const conll = await readConllFile(path.join(REPO_ROOT, 'data', 'sample.conll'));
    expect(csv.map((s) => [s.tokens, s.tags])).toEqual(conll.map((s) => [s.tokens, s.tags]));
  });

  it('streams: an early break stops reading', async () => {
    const f = await writeTmp('many.csv', 'Sentence #,Word,Tag\n' + Array.from({ length: 5000 }, (_, i) => `s${i},w,O\n`).join(''));
    let n = 0;
    for await (const s of readCsv(f)) {
      expect(s.tokens).toEqual(['w']);
      if (++n === 10) break;
    }
    expect(n).toBe(10);
  });
});

describe('readCsv: errors name the file and line', () => {
  it.each([
    ['a missing tag column', 'Sentence #,Word,POS\n1,a,DT\n', 1, 'no tag column in the header (Sentence #, Word, POS)'],
    ['an unknown named column', 'Sentence #,Word,Tag\n', 1, 'no column named "Label"'],
    ['a row with too many fields', 'Sentence #,Word,Tag\n1,a,O\n,b,O,x\n', 3, 'expected 3 fields (as in the header), found 4'],
    ['an empty tag', 'Sentence #,Word,Tag\n1,a,O\n,b,\n', 3, 'empty tag'],
    ['a first row without id', 'Sentence #,Word,Tag\n,a,O\n', 2, 'the first row has no sentence id'],
    ['a multi-line field before the error', 'Sentence #,Word,Tag\n1,"a\nb",O\n,c,O\n,d\n', 5, 'expected 3 fields'],
    ['an unclosed quote', 'Sentence #,Word,Tag\n1,a,O\n,"b,O\n,c,O\n', 3, 'CSV syntax error'],
    ['text after a closing quote', 'Sentence #,Word,Tag\n1,a,O\n,"b"x,O\n', 3, 'CSV syntax error'],
  ])('%s', async (what, text, line, problem) => {
    const f = await writeTmp(`bad-${what.replace(/\W/g, '_')}.csv`, text);
    const options = what === 'an unknown named column' ? { tagColumn: 'Label' } : {};
    const err = await inputError(readCsvFile(f, options));
    expect(err.line).toBe(line);
    expect(err.message).toContain(`${f}:${line}: ${problem}`);
    expect(err.message).not.toContain('\n');
  });

  it('binary input, an empty file and a missing file', async () => {
    const bin = await writeTmp('bin.csv', Buffer.from([0x53, 0x2c, 0x57, 0x0a, 0x00, 0x01, 0x0a]));
    expect((await inputError(readCsvFile(bin))).message).toBe(`${bin}:2: not a text file (contains NUL bytes)`);
    const empty = await writeTmp('empty.csv', '');
    expect((await inputError(readCsvFile(empty))).message).toBe(`${empty}: empty file: no header row`);
    const missing = path.join(tmp, 'missing.csv');
    expect((await inputError(readCsvFile(missing))).message).toBe(`${missing}: no such file`);
  });
});

describe('CSV writer', () => {
  const sentences: Sentence[] = [
    { tokens: ['EU', 'rejects', 'a, "b"'], tags: ['B-ORG', 'O', 'O'] },
    { tokens: ['Peter'], tags: ['B-PER'], id: 'x9' },
  ];

  it('writes sentence_id,token,tag rows with quoting', async () => {
    expect(await formatCsv(sentences)).toBe(
      'sentence_id,token,tag\n1,EU,B-ORG\n1,rejects,O\n1,"a, ""b""",O\nx9,Peter,B-PER\n',
    );
  });

  it('writes the Kaggle layout (id on the first row only), TSV and CRLF on request', async () => {
    const text = await formatCsv(sentences, { header: ['Sentence #', 'Word', 'Tag'], idOnFirstRowOnly: true, delimiter: '\t', eol: '\r\n' });
    expect(text).toBe('Sentence #\tWord\tTag\r\n1\tEU\tB-ORG\r\n\trejects\tO\r\n\t"a, ""b"""\tO\r\nx9\tPeter\tB-PER\r\n');
    expect(pairs(await readCsvString(text, 'mem', { delimiter: '\t' })).map((s) => [s.tokens, s.tags]))
      .toEqual(sentences.map((s) => [s.tokens, s.tags]));
  });

  it('writeCsv streams many sentences into one header and numbers them in order', async () => {
    const many: Sentence[] = Array.from({ length: 2500 }, (_, i) => ({ tokens: [`w${i}`, ','], tags: ['B-X', 'O'] }));
    const out = path.join(tmp, 'pred.csv');
    expect(await writeCsv(out, many)).toBe(2500);
    const text = readFileSync(out, 'utf8');
    expect(text.match(/sentence_id/g)).toHaveLength(1);
    const back = await readCsvFile(out);
    expect(back.map((s) => s.id)).toEqual(many.map((_, i) => String(i + 1)));
    expect(back.map((s) => s.tokens)).toEqual(many.map((s) => s.tokens));
  });
});
