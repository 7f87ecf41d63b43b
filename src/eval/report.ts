/**
 * Reports: conlleval's text layout, JSON, and the error summary table.
 *
 * The text report reproduces conlleval's output line for line, including its arithmetic:
 * percentages are computed as the Perl script computes them (100·correct/found, then
 * FB1 = 2PR/(P+R)) and printed like C's `%6.2f` (round half to even on exact ties).
 */
import type { EvalResult, ErrorCounts, ErrorSummary, TypeScores } from './evaluate.js';

/** C printf `%.2f` of a non-negative double: correctly rounded, exact ties to even. */
export function fixed2(x: number): string {
  // A double is exactly halfway between two hundredths only if it is an odd multiple of 1/8.
  // x·8 and x·100 = (x·8)·12.5 are then exact, so the tie test below is exact too.
  const eighths = x * 8;
  if (Number.isInteger(eighths) && eighths % 2 === 1) {
    const hundredths = Math.floor(x * 100);
    if (x * 100 - hundredths === 0.5) {
      const even = hundredths % 2 === 0 ? hundredths : hundredths + 1;
      return (even / 100).toFixed(2);
    }
  }
  return x.toFixed(2);
}

/** `%6.2f` */
function f62(x: number): string {
  return fixed2(x).padStart(6, ' ');
}

function percentages(s: Pick<TypeScores, 'correct' | 'gold' | 'predicted'>): [number, number, number] {
  const precision = s.predicted > 0 ? (100 * s.correct) / s.predicted : 0;
  const recall = s.gold > 0 ? (100 * s.correct) / s.gold : 0;
  const fb1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return [precision, recall, fb1];
}

/** The report conlleval prints, ending with a newline. */
export function formatConllevalReport(result: EvalResult): string {
  const o = result.overall;
  const lines: string[] = [];
  lines.push(`processed ${o.tokens} tokens with ${o.gold} phrases; found: ${o.predicted} phrases; correct: ${o.correct}.`);
  if (o.tokens > 0) {
    const correctTags = Math.round(o.accuracy * o.tokens);
    const [p, r, f] = percentages(o);
    lines.push(`accuracy: ${f62((100 * correctTags) / o.tokens)}%; precision: ${f62(p)}%; recall: ${f62(r)}%; FB1: ${f62(f)}`);
  }
  for (const [type, s] of Object.entries(result.types)) {
    const [p, r, f] = percentages(s);
    lines.push(`${type.padStart(17, ' ')}: precision: ${f62(p)}%; recall: ${f62(r)}%; FB1: ${f62(f)}  ${s.predicted}`);
  }
  return lines.join('\n') + '\n';
}

/** The result as the JSON document `ner eval --json` prints (fractions in [0, 1]). */
export function resultToJson(result: EvalResult): string {
  return JSON.stringify(result, null, 2) + '\n';
}

const ERROR_COLUMNS: [keyof ErrorCounts, string][] = [
  ['correct', 'correct'],
  ['type', 'type'],
  ['boundary', 'boundary'],
  ['boundaryAndType', 'bound+type'],
  ['missed', 'missed'],
  ['spurious', 'spurious'],
];

/**
 * The error summary as a table: one row per type and one for all types.
 *
 *                 correct   type  boundary  bound+type  missed  spurious
 *             LOC    1600     20        15           3      30        25
 */
export function formatErrorSummary(summary: ErrorSummary): string {
  const rows: [string, ErrorCounts][] = [...Object.entries(summary.types), ['all types', summary.overall]];
  const widths = ERROR_COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map(([, c]) => String(c[key]).length)));
  const nameWidth = Math.max(17, ...rows.map(([n]) => n.length));
  const header = ' '.repeat(nameWidth) + ERROR_COLUMNS.map(([, title], i) => '  ' + title.padStart(widths[i])).join('');
  const body = rows.map(([name, c]) => name.padStart(nameWidth) + ERROR_COLUMNS.map(([key], i) => '  ' + String(c[key]).padStart(widths[i])).join(''));
  return [header, ...body].join('\n') + '\n';
}
