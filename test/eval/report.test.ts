import { describe, expect, it, test } from 'vitest';
import { evaluate, type EvalResult } from '../../src/eval/evaluate.js';
import { fixed2, formatConllevalReport, formatErrorSummary, resultToJson } from '../../src/eval/report.js';

const T = (s: string) => s.split(' ');

describe('fixed2 prints like C printf %.2f', () => {
  test.each([
    [12.125, '12.12'], // exact tie: to even
    [12.375, '12.38'],
    [0.625, '0.62'],
    [99.875, '99.88'],
    [2.675, '2.67'], // not a tie: the double is below 2.675
    [100, '100.00'],
    [0, '0.00'],
    [(100 * 1) / 3, '33.33'],
    [(100 * 2) / 3, '66.67'],
  ])('%d → %s', (x, s) => {
    expect(fixed2(x)).toBe(s);
  });
});

describe('conlleval report', () => {
  it('has conlleval\'s layout', () => {
    const r = evaluate([T('B-PER I-PER O B-LOC')], [T('B-PER I-PER O B-ORG')]);
    expect(formatConllevalReport(r)).toBe([
      'processed 4 tokens with 2 phrases; found: 2 phrases; correct: 1.',
      'accuracy:  75.00%; precision:  50.00%; recall:  50.00%; FB1:  50.00',
      '              LOC: precision:   0.00%; recall:   0.00%; FB1:   0.00  0',
      '              ORG: precision:   0.00%; recall:   0.00%; FB1:   0.00  1',
      '              PER: precision: 100.00%; recall: 100.00%; FB1: 100.00  1',
      '',
    ].join('\n'));
  });

  it('computes percentages as the Perl script does (a tie at 12.125 prints 12.12)', () => {
    const r: EvalResult = {
      overall: { precision: 97 / 800, recall: 97 / 97, f1: 0, gold: 97, predicted: 800, correct: 97, accuracy: 1, tokens: 1000 },
      types: { 'X-Y': { precision: 97 / 800, recall: 1, f1: 0, gold: 97, predicted: 800, correct: 97 } },
    };
    // FB1 = 2·12.125·100 / 112.125 = 21.6276...
    expect(formatConllevalReport(r)).toBe([
      'processed 1000 tokens with 97 phrases; found: 800 phrases; correct: 97.',
      'accuracy: 100.00%; precision:  12.12%; recall: 100.00%; FB1:  21.63',
      '              X-Y: precision:  12.12%; recall: 100.00%; FB1:  21.63  800',
      '',
    ].join('\n'));
  });

  it('prints only the first line when there are no tokens; long type names are not cut', () => {
    expect(formatConllevalReport(evaluate([], []))).toBe('processed 0 tokens with 0 phrases; found: 0 phrases; correct: 0.\n');
    const r = evaluate([T('B-A_VERY_LONG_TYPE_NAME')], [T('O')]);
    expect(formatConllevalReport(r).split('\n')[2]).toBe('A_VERY_LONG_TYPE_NAME: precision:   0.00%; recall:   0.00%; FB1:   0.00  0');
  });

  it('JSON has overall and per-type fractions', () => {
    const r = evaluate([T('B-PER I-PER O B-LOC')], [T('B-PER I-PER O O')]);
    const j = JSON.parse(resultToJson(r));
    expect(j.overall).toEqual({ precision: 1, recall: 0.5, f1: 2 / 3, accuracy: 0.75, gold: 2, predicted: 1, correct: 1, tokens: 4 });
    expect(j.types).toEqual({
      LOC: { precision: 0, recall: 0, f1: 0, gold: 1, predicted: 0, correct: 0 },
      PER: { precision: 1, recall: 1, f1: 1, gold: 1, predicted: 1, correct: 1 },
    });
  });

  it('error summary table', () => {
    const r = evaluate([T('B-PER O B-LOC O B-ORG')], [T('B-PER O B-ORG B-MISC O')], { errors: true });
    const lines = formatErrorSummary(r.errors!).split('\n');
    expect(lines[0]).toBe('                   correct  type  boundary  bound+type  missed  spurious');
    expect(lines.slice(1, -1)).toEqual([
      '              LOC        0     1         0           0       0         0',
      '             MISC        0     0         0           0       0         1',
      '              ORG        0     0         0           0       1         0',
      '              PER        1     0         0           0       0         0',
      '        all types        1     1         0           0       1         1',
    ]);
  });
});
