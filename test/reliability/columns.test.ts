/**
 * Bad and odd column files (issue 9): each ends in a clear InputError naming the file (and line),
 * or is read correctly. Library level; the CLI messages are checked in cli.test.ts.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { promises as fsp } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readConllFile, readConllString, readConll } from '../../src/data/conll.js';
import { readCsvFile, readCsvString } from '../../src/data/csv.js';
import { readSentences } from '../../src/data/open.js';
import { readLines } from '../../src/data/lines.js';
import { splitLongSentences, windowStarts, MAX_SENTENCE_TOKENS } from '../../src/data/windows.js';
import { tagProblem, prefixBareTags, detectScheme, tagsToSpans } from '../../src/data/schemes.js';
import { evaluateFiles, evaluateConllevalFile } from '../../src/eval/files.js';
import { InputError } from '../../src/errors.js';
import { writeFileIn, expectInputError } from '../helpers/files.js';

let tmp: string;
beforeAll(async () => { tmp = await fsp.mkdtemp(path.join(os.tmpdir(), 'ner-rel-columns-')); });
afterAll(async () => { await fsp.rm(tmp, { recursive: true, force: true }); });

const file = (name: string, content: string | Buffer): Promise<string> => writeFileIn(tmp, name, content);

/** As expectInputError, and the message is one line. */
async function inputError(p: Promise<unknown>): Promise<InputError> {
  const err = await expectInputError(p);
  expect(err.message).not.toContain('\n');
  return err;
}

const latin1 = (s: string) => Buffer.from(s, 'latin1');

describe('encodings', () => {
  it('a Latin-1 file read as UTF-8 is recognised and named, with the option to read it', async () => {
    const f = await file('latin1.conll', latin1('Paris B-LOC\nest O\n\nZürich B-LOC\nCafé O\n'));
    const err = await inputError(readConllFile(f));
    expect(err.message).toBe(`${f}:4: not UTF-8: looks like Latin-1/cp1252; convert it (iconv -f cp1252 -t utf-8) or pass --encoding latin1 (or cp1252)`);
    const s = await readConllFile(f, { encoding: 'latin1' });
    expect(s.map((x) => x.tokens)).toEqual([['Paris', 'est'], ['Zürich', 'Café']]);
  });

  it('cp1252 bytes 0x80–0x9F (€, curly quotes) read as Windows-1252, as C1 controls in latin1', async () => {
    const f = await file('cp1252.conll', Buffer.concat([latin1('5'), Buffer.from([0x80]), latin1(' O\n'), Buffer.from([0x93]), latin1('Hi'), Buffer.from([0x94]), latin1(' O\n')]));
    expect((await readConllFile(f, { encoding: 'cp1252' }))[0].tokens).toEqual(['5€', '“Hi”']);
    expect((await readConllFile(f, { encoding: 'latin1' }))[0].tokens).toEqual(['5\u0080', '\u0093Hi\u0094']);
    await inputError(readConllFile(f)); // not UTF-8
  });

  it('CSV files take the encoding too', async () => {
    const f = await file('latin1.csv', latin1('Sentence #,Word,Tag\n1,Zürich,B-LOC\n'));
    expect((await inputError(readCsvFile(f))).message).toMatch(/:2: not UTF-8: looks like Latin-1/);
    expect((await readCsvFile(f, { encoding: 'latin1' }))[0].tokens).toEqual(['Zürich']);
    expect((await readSentences(f, { encoding: 'latin1' }))[0].tokens).toEqual(['Zürich']);
  });

  it('binary data is "not a text file", not mistaken for Latin-1', async () => {
    const bytes = Buffer.alloc(4096);
    let x = 12345;
    for (let i = 0; i < bytes.length; i++) { x = (x * 1103515245 + 12345) >>> 0; bytes[i] = 1 + ((x >>> 16) % 255); }
    const f = await file('random.bin', bytes);
    expect((await inputError(readConllFile(f))).message).toMatch(/: not a text file \((invalid UTF-8|contains NUL bytes)\)$/);
    const gz = await file('x.gz', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03]));
    expect((await inputError(readConllFile(gz))).message).toMatch(/not a text file/);
  });

  it('an unknown encoding name is a user error', async () => {
    const f = await file('x.conll', 'a O\n');
    // @ts-expect-error: not an encoding
    await expect(readConllFile(f, { encoding: 'utf16' })).rejects.toThrow(/unknown encoding "utf16"/);
  });
});

describe('layout', () => {
  it('BOM at the start is dropped; a U+FEFF or zero-width character inside a token is kept', async () => {
    const f = await file('bom.conll', '\ufeffEU B-ORG\nre\ufeffjects O\nzero\u200bwidth O\njoin\u200dme O\n');
    const [s] = await readConllFile(f);
    expect(s.tokens).toEqual(['EU', 're\ufeffjects', 'zero\u200bwidth', 'join\u200dme']);
  });

  it('CRLF, tab/space mixtures and separator lines holding only whitespace (a tab)', async () => {
    const f = await file('mixed.conll', 'EU\tB-ORG\r\nrejects  O\r\n\t\r\nGerman O\t\r\n \r\n\r\ncall O');
    const ss = await readConllFile(f);
    expect(ss.map((s) => s.tokens)).toEqual([['EU', 'rejects'], ['German'], ['call']]);
    expect(ss.map((s) => s.tags)).toEqual([['B-ORG', 'O'], ['O'], ['O']]);
  });

  it('a file whose lines end in CR alone (old Mac format)', async () => {
    const f = await file('mac.conll', 'EU B-ORG\rrejects O\r');
    expect((await inputError(readConllFile(f))).message).toBe(
      `${f}:1: a carriage return (CR) inside the line: are the lines of this file ended by CR alone (old Mac format)? Convert them to LF, e.g. tr '\\r' '\\n'`);
  });

  it('a line that mixes tabs and spaces inside and so has other columns: the error says why', async () => {
    const f = await file('mix2.conll', 'EU NNP B-ORG\nrejects VBZ\tO\n');
    expect((await inputError(readConllFile(f))).message).toBe(
      `${f}:2: expected 3 columns (as on line 1), found 2 (this line has tabs, so only tabs separate its columns; spaces stay inside fields)`);
  });

  it('a file cut off in the middle of a line or of a character', async () => {
    const f = await file('cut.conll', 'EU B-ORG\nrejects O\n\nGerm');
    expect((await inputError(readConllFile(f))).message).toBe(
      `${f}:4: expected 2 columns (as on line 1), found 1 (the file ends in the middle of this line: was it cut off?)`);
    const g = await file('cutchar.conll', Buffer.concat([Buffer.from('EU B-ORG\nZ'), Buffer.from('ü').subarray(0, 1)]));
    expect((await inputError(readConllFile(g))).message).toBe(`${g}:2: the file ends in the middle of a UTF-8 character: was it cut off?`);
    // A complete last line without a newline is fine.
    const h = await file('nonl.conll', 'EU B-ORG\nrejects O');
    expect((await readConllFile(h))[0].tokens).toEqual(['EU', 'rejects']);
  });

  it('an empty file, or one with only blank lines and comments, has no sentences', async () => {
    for (const [name, text] of [['empty.conll', ''], ['blank.conll', '\n\t\n  \n'], ['comments.conll', '# just a comment\n\n']]) {
      const f = await file(name, text);
      expect(await readConllFile(f)).toEqual([]);
      expect((await inputError(readSentences(f))).message).toBe(
        `${f}: no sentences (the file is empty or holds only blank lines, comments or a header)`);
    }
    const csv = await file('header-only.csv', 'Sentence #,Word,Tag\n');
    expect((await inputError(readSentences(csv))).message).toMatch(/: no sentences/);
  });

  it('a directory or a missing file', async () => {
    expect((await inputError(readSentences(tmp))).message).toBe(`${tmp}: is a directory, not a file`);
    const missing = path.join(tmp, 'nope.conll');
    expect((await inputError(readSentences(missing))).message).toBe(`${missing}: no such file`);
  });
});

describe('comments', () => {
  it('CoNLL-U style comment lines at sentence starts are skipped', () => {
    const text = '# sent_id = 1\n# text = EU rejects German call\nEU B-ORG\nrejects O\n\n# sent_id = 2\nPeter B-PER\n';
    const ss = readConllString(text);
    expect(ss.map((s) => s.tokens)).toEqual([['EU', 'rejects'], ['Peter']]);
    expect(ss.map((s) => s.line)).toEqual([3, 7]);
  });

  it('a "#" token with a tag is a token, at a sentence start and inside a sentence', () => {
    const ss = readConllString('# O\n1 O\n\nWe O\nlove O\n# O\ntags O\n');
    expect(ss.map((s) => s.tokens)).toEqual([['#', '1'], ['We', 'love', '#', 'tags']]);
  });

  it('in a 4-column file, a "#" line with 4 columns and a tag is a token; other "#" lines are comments', () => {
    const ss = readConllString('# newdoc id = x\nEU NNP B-NP B-ORG\n\n# NN B-NP O\nrejects VBZ B-VP O\n');
    expect(ss.map((s) => s.tokens)).toEqual([['EU'], ['#', 'rejects']]);
  });

  it('unlabelled files: "#" lines of another column count are comments', () => {
    const ss = readConllString('# text = a b\na\nb\n\n# sent 2\n#\n', '<s>', { labelled: false });
    expect(ss.map((s) => s.tokens)).toEqual([['a', 'b'], ['#']]);
  });
});

describe('the tag column', () => {
  it('tag first, token second: detected, and the options to pass are named', async () => {
    const f = await file('swapped.conll', 'B-ORG EU\nO rejects\nB-MISC German\nO call\n\nB-PER Peter\nI-PER Blackburn\n');
    expect((await inputError(readConllFile(f))).message).toBe(
      `${f}:1: column 1 (the tag column) does not look like tags ("EU", "rejects", "German", …) but column 0 does: pass --tag-column 0 --token-column 1`);
    const ok = await readConllFile(f, { tagColumn: 0, tokenColumn: 1 });
    expect(ok[1]).toMatchObject({ tokens: ['Peter', 'Blackburn'], tags: ['B-PER', 'I-PER'] });
  });

  it('tag in a middle column (token, tag, POS): suggests the tag column only', async () => {
    const f = await file('middle.conll', 'EU B-ORG NNP\nrejects O VBZ\nGerman B-MISC JJ\n');
    expect((await inputError(readConllFile(f))).message).toMatch(/:1: column 2 \(the tag column\) does not look like tags \("NNP", "VBZ", "JJ", …\) but column 1 does: pass --tag-column 1$/);
  });

  it('a word in the tag column that looks like a bad tag (U.S.) still gets the column hint first', async () => {
    const f = await file('swapped2.conll', 'B-LOC U.S.\nO says\n');
    expect((await inputError(readConllFile(f))).message).toMatch(/:1: column 1 \(the tag column\) does not look like tags \("U.S.", …\) but column 0 does/);
  });

  it('checked on the first 50 token lines of a long file, then streamed on', async () => {
    const rows = Array.from({ length: 200 }, (_, i) => `O w${i}`).join('\n');
    const f = await file('swapped-long.conll', rows + '\n');
    const seen: number[] = [];
    const err = await (async () => { for await (const s of readConll(f)) seen.push(s.tokens.length); })().catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect((err as InputError).line).toBe(1);
  });

  it('IO tags without prefixes are not mistaken for a swapped layout, and read as IO', async () => {
    const f = await file('io.conll', 'EU ORG\nrejects O\nPeter PER\nBlackburn PER\n');
    const [s] = await readConllFile(f);
    expect(s.tags).toEqual(['ORG', 'O', 'PER', 'PER']);
    expect(detectScheme([s.tags])).toBe('IO');
    expect(tagsToSpans(s.tags, 'IO')).toEqual([{ type: 'ORG', start: 0, end: 1 }, { type: 'PER', start: 2, end: 4 }]);
  });
});

describe('tags outside every scheme', () => {
  it.each([
    ['I+X', 'tag "I+X": not a tag of any scheme (a prefix B I E S L U, a hyphen, the type: I-X?)'],
    ['B_PER', 'tag "B_PER": not a tag of any scheme (a prefix B I E S L U, a hyphen, the type: B-PER?)'],
    ['X-PER', 'tag "X-PER": unknown prefix: expected O, TYPE or P-TYPE with P one of B I E S L U'],
    ['b-per', 'tag "b-per": unknown prefix: expected O, TYPE or P-TYPE with P one of B I E S L U'],
    ['B-', 'tag "B-": no entity type after the prefix'],
  ])('%s in a CoNLL file, a CSV file and a conlleval file: refused at its line', async (tag, problem) => {
    const c = await file(`bad-${tag.replace(/\W/g, '_')}.conll`, `EU B-ORG\nrejects O\n\nPeter ${tag}\n`);
    expect((await inputError(readConllFile(c))).message).toBe(`${c}:4: ${problem}`);
    const v = await file(`bad-${tag.replace(/\W/g, '_')}.csv`, `Sentence #,Word,Tag\n1,EU,B-ORG\n2,"Peter, Jr",${tag}\n`);
    expect((await inputError(readCsvFile(v))).message).toBe(`${v}:3: ${problem}`);
    const e = await file(`bad-${tag.replace(/\W/g, '_')}.eval`, `EU B-ORG B-ORG\nPeter O ${tag}\n`);
    expect((await inputError(evaluateConllevalFile(e))).message).toBe(`${e}:2: ${problem}`);
  });

  it('accepted: O, prefixed tags of every scheme, bare types, conlleval specials', () => {
    for (const t of ['O', 'B-PER', 'I-PER', 'E-LOC', 'S-X', 'L-X', 'U-X', 'B-X-Y', 'PER', 'MISC', 'B', 'I', '.', '[-NP', ']-NP', 'B-per']) {
      expect(tagProblem(t), t).toBeNull();
    }
  });
});

describe('evaluation of IO files without prefixes', () => {
  it('bare types are scored as I-TYPE (conlleval alone would find no entity)', async () => {
    const gold = await file('io-gold.conll', 'EU ORG\nrejects O\nPeter PER\nBlackburn PER\n');
    const pred = await file('io-pred.conll', 'EU ORG\nrejects O\nPeter PER\nBlackburn O\n');
    const { result } = await evaluateFiles(gold, pred);
    expect(result.overall).toMatchObject({ gold: 2, predicted: 2, correct: 1, tokens: 4 });
    const both = await file('io.eval', 'EU ORG I-ORG\nrejects O O\nPeter PER PER\nBlackburn PER O\n');
    expect((await evaluateConllevalFile(both)).result.overall).toMatchObject({ gold: 2, predicted: 2, correct: 1 });
    expect(prefixBareTags(['PER', 'O', 'B-LOC', '.'])).toEqual(['I-PER', 'O', 'B-LOC', '.']);
  });

  it('empty gold and prediction files are refused, not scored as 0', async () => {
    const e = await file('empty.gold', '');
    expect((await inputError(evaluateFiles(e, e))).message).toBe(`${e}: no sentences to score (the file is empty or holds only blank lines)`);
    expect((await inputError(evaluateConllevalFile(e))).message).toBe(`${e}: no tokens to score (the file is empty or holds only blank lines)`);
  });
});

describe('CSV', () => {
  it('quoted fields with commas and quotes, continuation rows without an id, CRLF', async () => {
    const text = 'Sentence #,Word,Tag\r\nSentence: 1,"Smith, Jr.",B-PER\r\n,"""quoted""",O\r\n,"a\r\nb",O\r\nSentence: 2,x,O\r\n';
    const ss = await readCsvString(text);
    expect(ss.map((s) => s.tokens)).toEqual([['Smith, Jr.', '"quoted"', 'a\nb'], ['x']]);
    expect(ss.map((s) => s.line)).toEqual([2, 6]);
  });

  it('ragged rows are refused at their line', async () => {
    const f = await file('ragged.csv', 'Sentence #,Word,Tag\n1,a,O\n,b\n');
    expect((await inputError(readCsvFile(f))).message).toBe(`${f}:3: expected 3 fields (as in the header), found 2`);
  });
});

describe('one 28,000-token "sentence" (no blank lines)', () => {
  it('is read streamed and cut into windows for training, entities kept whole where possible', async () => {
    const words = ['Norvale', 'Mining', 'said', 'it', 'would', 'close', 'in', 'Tarrow', 'Bay', '.'];
    const tags = ['B-ORG', 'I-ORG', 'O', 'O', 'O', 'O', 'O', 'B-LOC', 'I-LOC', 'O'];
    const lines: string[] = [];
    for (let i = 0; i < 28_000; i++) lines.push(`${words[i % 10]} ${tags[i % 10]}`);
    const f = await file('long.conll', lines.join('\n') + '\n');
    const t0 = performance.now();
    const [s] = await readConllFile(f);
    expect(s.tokens).toHaveLength(28_000);
    const { sentences, split } = splitLongSentences([s]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(split).toBe(1);
    expect(sentences.every((w) => w.tokens.length <= MAX_SENTENCE_TOKENS)).toBe(true);
    expect(sentences.flatMap((w) => w.tokens)).toEqual(s.tokens);
    // Every window starts on an O token, so no entity is cut in two.
    expect(sentences.slice(1).every((w) => w.tags[0] === 'O')).toBe(true);
    const spans = sentences.reduce((n, w) => n + tagsToSpans(w.tags).length, 0);
    expect(spans).toBe(tagsToSpans(s.tags).length);
    expect(sentences.map((w) => w.line)).toEqual([1, ...windowStarts(28_000, MAX_SENTENCE_TOKENS, s.tags).map((x) => x + 1)]);
  });

  it('readLines handles a 1 MB line', async () => {
    const f = await file('mb.txt', 'x'.repeat(1 << 20) + '\nshort\n');
    const got: number[] = [];
    for await (const l of readLines(f)) got.push(l.length);
    expect(got).toEqual([1 << 20, 5]);
  });
});
