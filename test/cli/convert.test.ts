import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ner, sampleConll } from './helpers.js';
import { readConllString } from '../../src/data/conll.js';
import { tagsToSpans, firstInvalid } from '../../src/data/schemes.js';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'ner-convert-cli-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

const sample = readFileSync(sampleConll, 'utf8');
const spansOf = (text: string) => readConllString(text).map((s) => tagsToSpans(s.tags));
const sampleSentences = readConllString(sample).length;
const sampleEntities = spansOf(sample).flat().length;

describe('ner convert', () => {
  test('IOB2 → IOBES → BILOU → IOB1 → IOB2 gives back the sample file; spans kept at every step', () => {
    let from = sampleConll;
    for (const [to, scheme] of [['iobes', 'IOBES'], ['bilou', 'BILOU'], ['iob1', 'IOB1'], ['iob2', 'IOB2']] as const) {
      const out = path.join(tmp, `sample.${to}`);
      const r = ner(['convert', '--in', from, '--out', out, '--to', to]);
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(new RegExp(`^ner: converted ${sampleSentences} sentences \\(${sampleEntities} entities\\) from \\w+ to ${scheme}\\n$`));
      const text = readFileSync(out, 'utf8');
      expect(spansOf(text)).toEqual(spansOf(sample));
      for (const s of readConllString(text)) expect(firstInvalid(s.tags, scheme)).toBe(-1);
      from = out;
    }
    expect(readFileSync(from, 'utf8')).toBe(sample);
  });

  test('--from is detected (IOB2 here) or given; other columns and DOCSTART lines are kept', () => {
    const f = path.join(tmp, 'four.conll');
    writeFileSync(f, '-DOCSTART- -X- -X- O\n\nEU NNP I-NP B-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP B-MISC\n');
    const out = path.join(tmp, 'four.iob1');
    const r = ner(['convert', '--in', f, '--out', out, '--to', 'iob1', '--from', 'bio']);
    expect(r.code).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe('-DOCSTART- -X- -X- O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\n');
    const auto = ner(['convert', '--in', f, '--out', out, '--to', 'iobes', '--crlf']);
    expect(auto.stderr).toMatch(/from IOB2 to IOBES/);
    expect(readFileSync(out, 'utf8')).toBe('-DOCSTART- -X- -X- O\r\n\r\nEU NNP I-NP S-ORG\r\nrejects VBZ I-VP O\r\nGerman JJ I-NP S-MISC\r\n');
  });

  test('ill-formed input is read as conlleval reads it, and said so', () => {
    const f = path.join(tmp, 'ill.conll');
    writeFileSync(f, 'a O\nb I-PER\nc I-PER\n');
    const out = path.join(tmp, 'ill.out');
    const r = ner(['convert', '--in', f, '--out', out, '--to', 'iobes', '--from', 'iob2']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/1 sentence\(s\) were not well-formed IOB2/);
    expect(readFileSync(out, 'utf8')).toBe('a O\nb B-PER\nc E-PER\n');
  });

  test('a bad tag fails with FILE:LINE and leaves the previous output untouched, no temp file', () => {
    const f = path.join(tmp, 'bad.conll');
    writeFileSync(f, 'a O\n\nb B-PER\nc Q-PER\n');
    const dir = path.join(tmp, 'outdir');
    const out = path.join(dir, 'out.conll');
    mkdirSync(dir);
    writeFileSync(out, 'previous\n');
    const r = ner(['convert', '--in', f, '--out', out, '--to', 'iobes', '--from', 'iob2']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ner: ${f}:4: tag "Q-PER": unknown prefix: expected O, TYPE or P-TYPE with P one of B I E S L U\n`);
    expect(readFileSync(out, 'utf8')).toBe('previous\n');
    expect(readdirSync(dir)).toEqual(['out.conll']);
  });

  test.each([
    ['no --to', ['--in', 'a', '--out', 'b'], /Missing required argument: to/],
    ['an unknown scheme', ['--in', 'a', '--out', 'b', '--to', 'ioe2'], /^ner: unknown tag scheme "ioe2"/],
    ['a missing input', ['--in', 'no/such.conll', '--out', 'x.conll', '--to', 'iob2'], /^ner: no\/such\.conll: no such file\n$/],
    ['an output directory that does not exist', ['--in', 'data/sample.conll', '--out', 'no/such/dir/x', '--to', 'iob2'], /^ner: no\/such\/dir\/x: cannot write: its directory does not exist\n$/],
  ])('%s: one-line error, exit code 2', (what, args, message) => {
    const r = ner(['convert', ...args]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
