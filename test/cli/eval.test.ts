import { describe, expect, test, beforeAll, afterAll } from 'vitest';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ner, sampleConll } from './helpers.js';
import { readConllString } from '../../src/data/conll.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { formatConllevalReport } from '../../src/eval/report.js';
import { readFileSync } from 'node:fs';

let tmp: string;
beforeAll(() => { tmp = mkdtempSync(path.join(os.tmpdir(), 'ner-eval-cli-')); });
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

const write = (name: string, text: string) => {
  const f = path.join(tmp, name);
  writeFileSync(f, text);
  return f;
};

/** The sample file with a few predictions changed, in conlleval format and as a separate file. */
function samplePredictions() {
  const sentences = readConllString(readFileSync(sampleConll, 'utf8'), 'sample');
  const pred = sentences.map((s, k) => s.tags.map((t, i) => (k % 4 === 1 && i === 0 ? 'B-ORG' : k % 5 === 2 && t.startsWith('I-') ? 'O' : t)));
  const evalText = sentences.map((s, k) => s.tokens.map((tok, i) => `${tok} ${s.tags[i]} ${pred[k][i]}`).join('\n')).join('\n\n') + '\n';
  const predText = sentences.map((s, k) => s.tokens.map((tok, i) => `${tok} ${pred[k][i]}`).join('\n')).join('\n\n') + '\n';
  return { expected: evaluate(sentences.map((s) => s.tags), pred), evalText, predText };
}

describe('ner eval', () => {
  test('--pred FILE (conlleval format): prints the conlleval report', () => {
    const { expected, evalText } = samplePredictions();
    const f = write('sample.eval', evalText);
    const r = ner(['eval', '--pred', f]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(formatConllevalReport(expected));
    expect(r.stdout.split('\n')[0]).toBe(`processed ${expected.overall.tokens} tokens with ${expected.overall.gold} phrases; found: ${expected.overall.predicted} phrases; correct: ${expected.overall.correct}.`);
    expect(expected.overall.correct).toBeLessThan(expected.overall.gold);
  });

  test('--gold + --pred files, --json', () => {
    const { expected, predText } = samplePredictions();
    const pred = write('sample.pred', predText);
    const r = ner(['eval', '--gold', sampleConll, '--pred', pred, '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(expected)));
  });

  test('--strict --scheme iob2 --errors prints the report and the error table', () => {
    const f = write('strict.eval', 'a B-PER B-PER\nb I-PER I-PER\nc O I-LOC\nd B-ORG B-LOC\n');
    const r = ner(['eval', '--pred', f, '--strict', '--scheme', 'bio', '--errors']);
    expect(r.code).toBe(0);
    const [report, table] = r.stdout.split('\n\n');
    expect(report.split('\n')[0]).toBe('processed 4 tokens with 2 phrases; found: 2 phrases; correct: 1.');
    expect(table.split('\n')[0]).toMatch(/^\s+correct\s+type\s+boundary\s+bound\+type\s+missed\s+spurious$/);
    expect(table).toMatch(/\n\s+ORG\s+0\s+1\s+0\s+0\s+0\s+0\n/);
  });

  test('IOBES tags under conlleval rules: a warning on stderr; --rules extended counts them', () => {
    const f = write('iobes.eval', 'a S-PER S-PER\nb S-PER S-PER\n');
    const r = ner(['eval', '--pred', f]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/^ner: warning: tags with S- prefixes/);
    expect(r.stdout.split('\n')[0]).toBe('processed 2 tokens with 1 phrases; found: 1 phrases; correct: 1.');
    const x = ner(['eval', '--pred', f, '--rules', 'extended']);
    expect(x.stderr).toBe('');
    expect(x.stdout.split('\n')[0]).toBe('processed 2 tokens with 2 phrases; found: 2 phrases; correct: 2.');
  });

  test.each([
    ['no --pred', [], /^ner: eval: name the predictions with --pred FILE, or a model and a labelled file with --model DIR --test FILE\n$/],
    ['a missing file', ['--pred', 'no/such/file.eval'], /^ner: no\/such\/file\.eval: no such file\n$/],
    ['--scheme without --strict', ['--pred', 'x', '--scheme', 'iob2'], /^ner: eval: --scheme applies to --strict/],
    ['an unknown rule set', ['--pred', 'x', '--rules', 'perl'], /^ner: eval: --rules is conlleval or extended, not "perl"\n$/],
  ])('%s: one-line error, exit code 2', (what, args, message) => {
    const r = ner(['eval', ...args]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
    expect(r.stderr).not.toMatch(/\n.*at .*\.js/);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  test('bad input files: FILE:LINE errors without a stack trace', () => {
    const short = write('short.eval', 'a B-PER B-PER\nb\n');
    let r = ner(['eval', '--pred', short]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ner: ${short}:2: expected a gold and a predicted tag as the last two columns, found 1 column\n`);
    const pred = write('misaligned.pred', 'Norvale B-ORG\nMinin I-ORG\n');
    r = ner(['eval', '--gold', sampleConll, '--pred', pred]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ner: ${pred}:2: token "Minin" does not match "Mining" at ${sampleConll}:4\n`);
    const bin = write('binary.eval', '\u0000\u0001\u0002');
    r = ner(['eval', '--pred', bin]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ner: ${bin}:1: not a text file (contains NUL bytes)\n`);
  });
});
