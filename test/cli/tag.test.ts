import { beforeAll, afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ner, sampleConll } from './helpers.js';

let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ner-cli-tag-'));
  model = path.join(dir, 'model');
  const r = ner(['train', '--train', sampleConll, '--dev', sampleConll, '--out', model, '--epochs', '20', '--patience', '0',
    '--batch-size', '4', '--lr', '0.01', '--word-dim', '16', '--hidden', '16', '--char-hidden', '8', '--char-dim', '8', '--dropout', '0.1', '--quiet']);
  expect(r.stderr).toMatch(/best dev F1/);
  expect(r.code).toBe(0);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ner tag', () => {
  it('tags text arguments inline', () => {
    const r = ner(['tag', '-m', model, 'Helena Marsh visited Tarrow Bay .']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim().split('\n')).toHaveLength(1);
    expect(r.stdout).toMatch(/\[PER Helena Marsh\]/);
  });

  it('prints JSON with character offsets that slice the input, and scores in (0, 1]', () => {
    const text = 'Chief executive Helena Marsh said so.\n\nNorvale Mining closed its plant in Tarrow Bay.';
    const r = ner(['tag', '-m', model, '-o', 'json', '--file', '-'], { input: text });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { text: string; start: number; end: number; tokens: { text: string; start: number; end: number }[]; entities: { type: string; text: string; start: number; end: number; score: number }[] }[];
    expect(out).toHaveLength(2);
    for (const s of out) {
      expect(text.slice(s.start, s.end)).toBe(s.text);
      for (const t of s.tokens) expect(text.slice(t.start, t.end)).toBe(t.text);
      for (const e of s.entities) {
        expect(text.slice(e.start, e.end)).toBe(e.text);
        expect(e.score).toBeGreaterThan(0);
        expect(e.score).toBeLessThanOrEqual(1);
      }
    }
    expect(out.flatMap((s) => s.entities.map((e) => `${e.type}:${e.text}`))).toContain('PER:Helena Marsh');
  });

  it('jsonl: one line per sentence; offsets count from the start of the whole input', () => {
    const text = 'Helena Marsh left.\n\nHelena Marsh came back.\n';
    const r = ner(['tag', '-m', model, '-o', 'jsonl'], { input: text });
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(2);
    expect(lines[1].start).toBe(text.indexOf('Helena Marsh came'));
    for (const l of lines) expect(text.slice(l.start, l.end)).toBe(l.text);
  });

  it('pre-tokenized CoNLL input: one TOKEN TAG line per token, blank lines and order kept', () => {
    const input = path.join(dir, 'in.conll');
    writeFileSync(input, 'Helena NNP\nMarsh NNP\nspoke VBD\n\nTarrow NNP\nBay NNP\n');
    const out = path.join(dir, 'out.conll');
    const r = ner(['tag', '-m', model, '--input-format', 'conll', input, '--out', out]);
    expect(r.code).toBe(0);
    const lines = readFileSync(out, 'utf8').split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['Helena', 'Marsh', 'spoke', '', 'Tarrow', 'Bay', '']);
    expect(lines[0].split(' ')).toHaveLength(2);
    expect(lines[0].split(' ')[1]).toMatch(/^(O|[BI]-\w+)$/);
  });

  it('conll and csv output formats for text', () => {
    const c = ner(['tag', '-m', model, '-o', 'conll', 'Helena Marsh spoke.']);
    expect(c.stdout.trim().split('\n').map((l) => l.split('\t')[0])).toEqual(['Helena', 'Marsh', 'spoke', '.']);
    const v = ner(['tag', '-m', model, '-o', 'csv', 'Helena Marsh spoke.']);
    const rows = v.stdout.trim().split('\n');
    expect(rows[0]).toBe('sentence,token,start,end,tag');
    expect(rows[1]).toMatch(/^1,Helena,0,6,/);
  });

  it('--top-k needs a CRF model: a softmax model is refused before any output', () => {
    const r = ner(['tag', '-m', model, '-o', 'json', '--top-k', '2', 'Helena Marsh spoke.']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/--top-k needs a model trained with --decoder crf/);
  });

  it('empty and whitespace-only input give no output and exit 0', () => {
    for (const input of ['', '   \n\n \t\n']) {
      const r = ner(['tag', '-m', model, '-o', 'jsonl'], { input });
      expect(r.code).toBe(0);
      expect(r.stdout).toBe('');
    }
  });

  it('user mistakes: one line on stderr, exit 2, no stack trace, no output file left', () => {
    const bad = [
      ['tag', '-m', path.join(dir, 'missing'), 'x'],
      ['tag', '-m', model, '--file', path.join(dir, 'nope.txt')],
      ['tag', '-m', model, '--input-format', 'conll'],
      ['tag', '-m', model, '--batch-size', '0', 'x'],
    ];
    for (const args of bad) {
      const r = ner(args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr.trim().split('\n')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\bat .*\.js:\d+/);
    }
    const out = path.join(dir, 'never.conll');
    const r = ner(['tag', '-m', model, '--input-format', 'conll', path.join(dir, 'nope.conll'), '--out', out]);
    expect(r.code).toBe(2);
    expect(existsSync(out)).toBe(false);
  });
});

describe('ner eval --model', () => {
  it('tags a labelled file and prints the conlleval report; --json agrees with the training record', () => {
    const r = ner(['eval', '--model', model, '--test', sampleConll]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^processed \d+ tokens with \d+ phrases; found: \d+ phrases; correct: \d+\.\n/);
    expect(r.stdout).toMatch(/PER: precision: +\d+\.\d\d%/);
    const j = JSON.parse(ner(['eval', '--model', model, '--test', sampleConll, '--json']).stdout);
    const info = JSON.parse(ner(['info', '--model', model, '--json']).stdout);
    expect(j.overall.f1).toBeCloseTo(info.best.dev_score, 10);
  });

  it('refuses --model without --test, and --test with --pred', () => {
    expect(ner(['eval', '--model', model]).code).toBe(2);
    expect(ner(['eval', '--model', model, '--test', sampleConll, '--pred', sampleConll]).code).toBe(2);
  });
});

describe('ner info', () => {
  it('shows vocabulary sizes, schemes and the training data checksum', () => {
    const r = ner(['info', '--model', model]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/tag schemes\s+model IOBES, output IOB2/);
    expect(r.stdout).toMatch(/train data\s+sample\.conll \(\d+ sentences, sha256 [0-9a-f]{16}/);
    const j = JSON.parse(ner(['info', '--model', model, '--json']).stdout);
    expect(j.version).toBe(1);
    expect(j.vocabulary.tags).toBeGreaterThan(1);
  });
});
