import { describe, expect, test } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ner } from './helpers.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'ner-tokenize-'));

describe('ner tokenize', () => {
  test('text from the arguments: one sentence per line, tokens separated by spaces', () => {
    const r = ner(['tokenize', 'He said "no." Mr. Smith left the U.S. on Jan. 5, paying $3,000.50.']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('He said " no . "\nMr. Smith left the U.S. on Jan. 5 , paying $ 3,000.50 .\n');
  });

  test('words given as several arguments are joined by spaces; numbers stay text', () => {
    const r = ner(['tokenize', "O'Neil's", '3,000', 'cars']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("O'Neil 's 3,000 cars\n");
  });

  test('--format conll: token, start, end; offsets slice the input', () => {
    const input = "Müller's café 👍🏽 isn't open.";
    const r = ner(['tokenize', '--format', 'conll', input]);
    expect(r.code).toBe(0);
    const rows = r.stdout.trimEnd().split('\n').map((l) => l.split('\t'));
    expect(rows.map((x) => x[0])).toEqual(['Müller', "'s", 'café', '👍🏽', 'is', "n't", 'open', '.']);
    for (const [tok, a, b] of rows) expect(input.slice(Number(a), Number(b))).toBe(tok);
  });

  test('--format json from stdin, sentences with offsets into the whole input', () => {
    const input = 'Dr. Jones arrived.\n\nShe left at 5 p.m. Monday.\n';
    const r = ner(['tokenize', '--format', 'json'], { input });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { sentences: { start: number; end: number; text: string; tokens: { text: string; start: number; end: number }[] }[] };
    expect(out.sentences.map((s) => s.text)).toEqual(['Dr. Jones arrived.', 'She left at 5 p.m. Monday.']);
    for (const s of out.sentences) {
      expect(input.slice(s.start, s.end)).toBe(s.text);
      for (const t of s.tokens) expect(input.slice(t.start, t.end)).toBe(t.text);
    }
  });

  test('--file, --one-sentence-per-line, empty input', () => {
    const f = path.join(tmp, 'in.txt');
    writeFileSync(f, 'EU rejects German call\nBRUSSELS 1996-08-22\n');
    expect(ner(['tokenize', '--file', f]).stdout).toBe('EU rejects German call BRUSSELS 1996-08-22\n');
    expect(ner(['tokenize', '--file', f, '--one-sentence-per-line']).stdout).toBe('EU rejects German call\nBRUSSELS 1996-08-22\n');
    const empty = ner(['tokenize', '--format', 'json'], { input: '' });
    expect(empty.code).toBe(0);
    expect(JSON.parse(empty.stdout)).toEqual({ sentences: [] });
  });

  test('user mistakes: exit 2, one line, no stack trace', () => {
    const bin = path.join(tmp, 'bin.dat');
    writeFileSync(bin, Buffer.from([0x41, 0xff, 0xfe, 0x42]));
    const cases: [string[], RegExp][] = [
      [['tokenize', '--file', path.join(tmp, 'missing.txt')], /missing\.txt: no such file/],
      [['tokenize', '--file', tmp], /is a directory/],
      [['tokenize', '--file', bin], /bin\.dat: not a text file \(invalid UTF-8\)/],
      [['tokenize', 'words', '--file', bin], /either as arguments or with --file/],
      [['tokenize', '--format', 'xml', 'a'], /Invalid values|Choices/],
    ];
    for (const [args, re] of cases) {
      const r = ner(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(re);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stdout).toBe('');
    }
  });
});
