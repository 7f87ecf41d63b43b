/**
 * `ner lm train | sample | eval` end to end, through the built command line (run `npm run build`
 * first): exit codes, outputs, and one-line errors for user mistakes.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/ner.js');
const sampleConll = path.join(root, 'data/sample.conll');
const LINE = 'abc abd\n';

function ner(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd: root });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A user error: exit code 2 and one line `ner: …` on stderr. */
function expectUserError(r: ReturnType<typeof ner>, pattern: RegExp): void {
  expect(r.code, r.stderr).toBe(2);
  const lines = r.stderr.trim().split('\n');
  expect(lines[lines.length - 1]).toMatch(/^ner: /);
  expect(r.stderr).toMatch(pattern);
  expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
}

describe('ner lm', () => {
  let dir = '';
  let text = '', model = '';

  beforeAll(() => {
    if (!existsSync(path.join(root, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run `npm run build` before the CLI tests');
    dir = mkdtempSync(path.join(tmpdir(), 'ner-lm-cli-'));
    text = path.join(dir, 'text.txt');
    writeFileSync(text, LINE.repeat(40));
    model = path.join(dir, 'model');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('train → sample → eval on a tiny repeated text', () => {
    const t = ner('lm', 'train', '--text', text, '--dev', text, '--out', model, '--hidden', '24', '--emb-dim', '8',
      '--bptt', '16', '--batch-size', '4', '--epochs', '6', '--lr', '0.03', '--dropout', '0', '--quiet');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/best dev perplexity [\d.]+ \([\d.]+ bits\/char\) at epoch \d/);
    expect(existsSync(path.join(model, 'model.json'))).toBe(true);

    const greedy = ner('lm', 'sample', '--model', model, '--length', String(3 * LINE.length), '--temperature', '0');
    expect(greedy.code, greedy.stderr).toBe(0);
    expect(greedy.stdout).toBe(LINE.repeat(3));

    const s1 = ner('lm', 'sample', '--model', model, '--prime', 'ab', '--length', '40', '--seed', '5', '--top-k', '3');
    const s2 = ner('lm', 'sample', '--model', model, '--prime', 'ab', '--length', '40', '--seed', '5', '--top-k', '3');
    expect(s1.code, s1.stderr).toBe(0);
    expect(s2.code, s2.stderr).toBe(0);
    expect(s1.stdout).toBe(s2.stdout);

    const e = ner('lm', 'eval', '--model', model, '--text', text);
    expect(e.code, e.stderr).toBe(0);
    expect(e.stdout).toMatch(/^characters: 320\nperplexity: [\d.]+\nbits per character: [\d.]+\n$/);
    const ej = ner('lm', 'eval', '--model', model, '--text', text, '--json');
    expect(ej.code, ej.stderr).toBe(0);
    const j = JSON.parse(ej.stdout);
    expect(j.symbols).toBe(320);
    expect(j.bitsPerSymbol).toBeLessThan(0.5);
  });

  it('--from-entities trains on the entity names of a CoNLL file', () => {
    const out = path.join(dir, 'per');
    const t = ner('lm', 'train', '--text', sampleConll, '--dev', sampleConll, '--from-entities', 'PER', '--out', out,
      '--hidden', '16', '--emb-dim', '8', '--epochs', '1', '--batch-size', '2', '--bptt', '8', '--quiet');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stderr).toMatch(/train: \d+ distinct PER names from sample\.conll/);
    const s = ner('lm', 'sample', '--model', out, '--lines', '3', '--length', '300', '--seed', '2');
    expect(s.code, s.stderr).toBe(0);
    expect(s.stdout.split('\n').filter((l) => l !== '').length).toBeLessThanOrEqual(3);
  });

  it('user mistakes are one-line errors with exit code 2', () => {
    expectUserError(ner('lm', 'train', '--text', path.join(dir, 'missing.txt'), '--out', path.join(dir, 'x')), /missing\.txt: no such file/);
    expectUserError(ner('lm', 'train', '--text', text, '--out', path.join(dir, 'x'), '--bptt', '0'), /--bptt must be a positive integer/);
    expectUserError(ner('lm', 'train', '--text', text, '--out', path.join(dir, 'x'), '--dropout', '1'), /--dropout must be in \[0, 1\)/);
    expectUserError(ner('lm', 'train', '--text', text, '--out', model), /already holds a model/);
    expectUserError(ner('lm', 'train', '--text', sampleConll, '--from-entities', 'XYZ', '--out', path.join(dir, 'x')), /no entity of type XYZ \(types found: .*PER/);
    expectUserError(ner('lm', 'sample', '--model', path.join(dir, 'nope')), /no such model directory/);
    expectUserError(ner('lm', 'sample', '--model', model, '--temperature', '-1'), /temperature must be ≥ 0/);
    expectUserError(ner('lm', 'eval', '--model', model, '--text', path.join(dir, 'missing.txt')), /no such file/);
    expectUserError(ner('lm', 'frobnicate'), /Unknown argument|Name an lm command|Not enough/);
  });
});
