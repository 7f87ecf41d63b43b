import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { promises as fsp, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  readConll, readConllFile, readConllString, formatConll, writeConll, ConllWriter, splitColumns,
} from '../../src/data/conll.js';
import { tagsToSpans } from '../../src/data/schemes.js';
import { InputError } from '../../src/errors.js';
import type { Sentence } from '../../src/data/types.js';
import { conllFile, EXPECTED, REPO_ROOT } from './conll2003.js';
import { writeFileIn, expectInputError } from '../helpers/files.js';

let tmp: string;
beforeAll(async () => { tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'ner-conll-')); });
afterAll(async () => { await fsp.rm(tmp, { recursive: true, force: true }); });

const writeTmp = (name: string, content: string | Buffer): Promise<string> => writeFileIn(tmp, name, content);

const inputError = expectInputError;

describe('CoNLL-2003 reference files', () => {
  const names = ['eng.train', 'eng.testa', 'eng.testb'] as const;

  it.each(names)('%s: sentence, token, entity and document counts match the README', async (name) => {
    let sentences = 0, tokens = 0, entities = 0, docStarts = 0;
    for await (const s of readConll(conllFile(name))) {
      sentences++;
      tokens += s.tokens.length;
      entities += tagsToSpans(s.tags, 'IOB1').length;
      if (s.docStart) docStarts++;
      expect(s.columns!.every((c) => c.length === 4)).toBe(true);
    }
    expect({ sentences, tokens, entities }).toEqual({
      sentences: EXPECTED[name].sentences, tokens: EXPECTED[name].tokens, entities: EXPECTED[name].entities,
    });
    // These copies end with a -DOCSTART- that no sentence follows; it is dropped by default.
    expect(docStarts).toBe(EXPECTED[name].docstarts - 1);
  });

  it.each(names)('%s: read → write is byte-identical (after adding the missing final newline)', async (name) => {
    const original = readFileSync(conllFile(name), 'utf8');
    const sentences = await readConllFile(conllFile(name), { keepEmptyDocuments: true });
    const expected = original.endsWith('\n') ? original : original + '\n';
    const written = formatConll(sentences);
    expect(written.length).toBe(expected.length);
    expect(written === expected).toBe(true);
  });

  it('the streaming writer produces the same bytes, with CRLF when asked', async () => {
    const name = 'eng.testb';
    const original = readFileSync(conllFile(name), 'utf8');
    const out = path.join(tmp, 'testb.crlf');
    const n = await writeConll(out, readConll(conllFile(name), { keepEmptyDocuments: true }), { eol: '\r\n' });
    expect(n).toBe(EXPECTED[name].sentences + 1);
    const written = readFileSync(out, 'utf8');
    expect(written === (original + '\n').replace(/\n/g, '\r\n')).toBe(true);
    // Reading the CRLF copy gives the same sentences.
    const a = await readConllFile(out);
    const b = await readConllFile(conllFile(name));
    expect(a).toEqual(b);
  });
});

describe('readConll: layout tolerance', () => {
  const plain = 'EU NNP B-ORG\nrejects VBZ O\n\nPeter NNP B-PER\nBlackburn NNP I-PER\n';
  const expected = [
    { tokens: ['EU', 'rejects'], tags: ['B-ORG', 'O'], line: 1 },
    { tokens: ['Peter', 'Blackburn'], tags: ['B-PER', 'I-PER'], line: 4 },
  ];
  const strip = (ss: Sentence[]) => ss.map(({ tokens, tags, line }) => ({ tokens, tags, line }));

  it.each([
    ['LF', plain],
    ['CRLF', plain.replace(/\n/g, '\r\n')],
    ['a UTF-8 BOM', '\uFEFF' + plain],
    ['trailing whitespace', plain.replace(/\n/g, ' \t \n')],
    ['no final newline', plain.slice(0, -1)],
    ['a final blank line', plain + '\n'],
    ['tabs', plain.replace(/ /g, '\t')],
  ])('reads a file with %s', async (what, text) => {
    const f = await writeTmp(`layout-${what.replace(/\W/g, '_')}.conll`, text);
    expect(strip(await readConllFile(f))).toEqual(expected);
    expect(strip(readConllString(text, 'mem'))).toEqual(expected);
  });

  it('several blank or whitespace-only lines in a row separate sentences once', () => {
    const text = '\n\n  \nEU NNP B-ORG\n\n \t \n\nPeter NNP B-PER\n\n\n';
    const got = readConllString(text);
    expect(got.map((s) => s.tokens)).toEqual([['EU'], ['Peter']]);
    expect(got.map((s) => s.line)).toEqual([4, 8]);
  });

  it('-DOCSTART- lines are document boundaries, not tokens', () => {
    const text = '-DOCSTART- -X- -X- O\n\nEU NNP I-NP B-ORG\n\nPeter NNP I-NP B-PER\n-DOCSTART- -X- O O\nA DT B-NP O\n';
    const got = readConllString(text);
    expect(got.map((s) => s.tokens)).toEqual([['EU'], ['Peter'], ['A']]);
    expect(got.map((s) => s.docStart ?? false)).toEqual([true, false, true]);
    expect(got[0].docStartText).toBe('-DOCSTART- -X- -X- O');
    expect(got[2].docStartText).toBe('-DOCSTART- -X- O O');
    expect(got[0].columns).toEqual([['EU', 'NNP', 'I-NP', 'B-ORG']]);
  });

  it('empty documents are dropped, or kept as token-less sentences on request', () => {
    const text = '-DOCSTART- O\n\n-DOCSTART- O\n\nx O\n\n-DOCSTART- O\n';
    expect(readConllString(text).map((s) => s.tokens)).toEqual([['x']]);
    const kept = readConllString(text, 'mem', { keepEmptyDocuments: true });
    expect(kept.map((s) => [s.tokens.length, s.line])).toEqual([[0, 1], [1, 5], [0, 7]]);
    expect(formatConll(kept)).toBe(text);
  });

  it('token and tag columns are configurable, negative indices count from the end', () => {
    const text = '1 EU B-ORG x\n2 rejects O y\n';
    const got = readConllString(text, 'mem', { tokenColumn: 1, tagColumn: -2 });
    expect(got[0].tokens).toEqual(['EU', 'rejects']);
    expect(got[0].tags).toEqual(['B-ORG', 'O']);
  });

  it('unlabelled files have tags = [] and may have a single column', () => {
    const got = readConllString('EU\nrejects\n\nGerman\n', 'mem', { labelled: false });
    expect(got).toEqual([
      { tokens: ['EU', 'rejects'], tags: [], columns: [['EU'], ['rejects']], line: 1 },
      { tokens: ['German'], tags: [], columns: [['German']], line: 4 },
    ]);
    expect(formatConll(got)).toBe('EU\nrejects\n\nGerman\n');
  });

  it('splits on tabs when a line has any (tokens may then hold spaces), else on runs of spaces', () => {
    expect(splitColumns('New York\tNNP\tB-LOC')).toEqual(['New York', 'NNP', 'B-LOC']);
    expect(splitColumns('  a   b c  ')).toEqual(['a', 'b', 'c']);
    expect(splitColumns(' \t ')).toEqual([]);
  });

  it('stops reading when the consumer stops early', async () => {
    let n = 0;
    for await (const s of readConll(conllFile('eng.train'))) {
      n += s.tokens.length > 0 ? 1 : 0;
      if (n === 3) break;
    }
    expect(n).toBe(3);
  });
});

describe('readConll: errors name the file and line', () => {
  it.each([
    ['a line with a different number of columns', 'a B-X\nb O\n\nc x O\n', 4, 'expected 2 columns (as on line 1), found 3'],
    ['an empty tag', 'a\tB-X\nb\tO\n\nc\t\tO\n', 4, 'expected 2 columns (as on line 1), found 3'],
    ['an empty tag in the tag column', 'a\tx\tB-X\nb\t\tO\n', 2, 'empty tag'],
    ['a single column in a labelled file', 'EU\nrejects\n', 1, 'expected a token and a tag column'],
    ['a tag column that does not exist', 'EU B-ORG\n', 1, 'no tag column'],
  ])('%s', async (what, text, line, problem) => {
    const f = await writeTmp(`bad-${what.replace(/\W/g, '_')}.conll`, text);
    const options = what.startsWith('an empty tag in') ? { tagColumn: 1 } : what.startsWith('a tag column') ? { tagColumn: 5 } : {};
    const err = await inputError(readConllFile(f, options));
    expect(err.file).toBe(f);
    expect(err.line).toBe(line);
    expect(err.message).toContain(`${f}:${line}: ${problem}`);
    expect(err.message).not.toContain('\n');
  });

  it('NUL bytes: not a text file', async () => {
    const f = await writeTmp('nul.conll', Buffer.from('a O\nb\0 O\n'));
    const err = await inputError(readConllFile(f));
    expect(err.message).toBe(`${f}:2: not a text file (contains NUL bytes)`);
  });

  it('invalid UTF-8 that reads as Latin-1: says so and names --encoding', async () => {
    const f = await writeTmp('latin1.conll', Buffer.concat([Buffer.from('a O\n\nb O\nc'), Buffer.from([0xe9]), Buffer.from(' O\n')]));
    const err = await inputError(readConllFile(f));
    expect(err.message).toBe(`${f}:4: not UTF-8: looks like Latin-1/cp1252; convert it (iconv -f cp1252 -t utf-8) or pass --encoding latin1 (or cp1252)`);
  });

  it('a gzip file is not a text file', async () => {
    const { gzipSync } = await import('node:zlib');
    const f = await writeTmp('data.conll.gz', gzipSync(Buffer.from('a O\n'.repeat(100))));
    const err = await inputError(readConllFile(f));
    expect(err.message).toMatch(/^.*data\.conll\.gz:1: not a text file/);
  });

  it('a missing file and a directory', async () => {
    const missing = path.join(tmp, 'nope.conll');
    expect((await inputError(readConllFile(missing))).message).toBe(`${missing}: no such file`);
    expect((await inputError(readConllFile(tmp))).message).toBe(`${tmp}: is a directory, not a file`);
  });
});

describe('writeConll', () => {
  it('writes converted tags into the tag column, keeping the other columns', () => {
    const [s] = readConllString('EU NNP I-NP I-ORG\nrejects VBZ I-VP O\n');
    s.tags = ['B-ORG', 'O'];
    expect(formatConll([s])).toBe('EU NNP I-NP B-ORG\nrejects VBZ I-VP O\n');
    expect(formatConll([s], { delimiter: '\t', eol: '\r\n' })).toBe('EU\tNNP\tI-NP\tB-ORG\r\nrejects\tVBZ\tI-VP\tO\r\n');
  });

  it('writes token/tag pairs for sentences without columns, with a synthesised DOCSTART', () => {
    const text = formatConll([
      { tokens: ['a', 'b'], tags: ['B-X', 'O'], docStart: true },
      { tokens: ['c'], tags: ['O'] },
    ]);
    expect(text).toBe('-DOCSTART- O\n\na B-X\nb O\n\nc O\n');
  });

  it('replaces the target only when done: a failing source leaves no output and no temp file', async () => {
    const out = path.join(tmp, 'atomic', 'out.conll');
    await fsp.mkdir(path.dirname(out), { recursive: true });
    await fsp.writeFile(out, 'old content\n');
    async function* failing(): AsyncGenerator<Sentence> {
      yield { tokens: ['a'], tags: ['O'] };
      throw new InputError('in.conll', 7, 'broken');
    }
    await expect(writeConll(out, failing())).rejects.toThrow('in.conll:7: broken');
    expect(readFileSync(out, 'utf8')).toBe('old content\n');
    expect(readdirSync(path.dirname(out))).toEqual(['out.conll']);
    await writeConll(out, [{ tokens: ['a'], tags: ['O'] }]);
    expect(readFileSync(out, 'utf8')).toBe('a O\n');
  });

  it('a missing output directory is a user error', () => {
    const out = path.join(tmp, 'no', 'such', 'dir', 'x.conll');
    expect(() => new ConllWriter(out)).toThrow(InputError);
  });

  it('the sample file in data/ is well-formed IOB2 CoNLL', async () => {
    const sample = await readConllFile(path.join(REPO_ROOT, 'data', 'sample.conll'));
    expect(sample.length).toBeGreaterThanOrEqual(20);
    expect(sample[0].docStart).toBe(true);
  });
});
