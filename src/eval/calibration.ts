/**
 * Calibration of entity confidence scores: do entities scored 0.8 turn out correct 80% of the
 * time? Predicted entities are bucketed by score; each bucket's precision (the fraction whose
 * type and both boundaries match a gold entity) is compared with its mean score.
 */
import type { Span } from '../data/types.js';

export interface ScoredEntity extends Span {
  score: number;
}

export interface CalibrationBucket {
  /** Scores in [lo, hi) (the last bucket includes 1). */
  lo: number;
  hi: number;
  count: number;
  correct: number;
  meanScore: number;
  precision: number;
}

export interface CalibrationTable {
  buckets: CalibrationBucket[];
  /** Σ_b (count_b / N) · |precision_b − meanScore_b|: the expected calibration error. */
  ece: number;
  entities: number;
}

/**
 * @param gold  gold spans per sentence
 * @param pred  predicted spans with scores in [0, 1] per sentence (same sentence order)
 * @param edges bucket edges from 0 to 1 (default: 0, 0.1, …, 1)
 */
export function calibration(
  gold: readonly (readonly Span[])[], pred: readonly (readonly ScoredEntity[])[],
  edges: readonly number[] = [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1],
): CalibrationTable {
  if (gold.length !== pred.length) throw new RangeError(`${gold.length} gold sentences but ${pred.length} predicted`);
  const n = edges.length - 1;
  const count = new Array(n).fill(0), correct = new Array(n).fill(0), sum = new Array(n).fill(0);
  let total = 0;
  for (let i = 0; i < gold.length; i++) {
    const keys = new Set(gold[i].map((s) => `${s.type}\u0000${s.start}\u0000${s.end}`));
    for (const e of pred[i]) {
      let b = edges.findIndex((lo, j) => j < n && e.score >= lo && (e.score < edges[j + 1] || j === n - 1));
      if (b < 0) b = e.score < edges[0] ? 0 : n - 1;
      count[b]++;
      sum[b] += e.score;
      if (keys.has(`${e.type}\u0000${e.start}\u0000${e.end}`)) correct[b]++;
      total++;
    }
  }
  const buckets = count.map((c, b) => ({
    lo: edges[b], hi: edges[b + 1], count: c, correct: correct[b],
    meanScore: c ? sum[b] / c : 0, precision: c ? correct[b] / c : 0,
  }));
  const ece = total ? buckets.reduce((s, b) => s + (b.count / total) * Math.abs(b.precision - b.meanScore), 0) : 0;
  return { buckets, ece, entities: total };
}

/** A markdown table of the buckets (empty buckets left out). */
export function formatCalibration(t: CalibrationTable): string {
  const rows = ['| score bucket | entities | mean score | precision | gap |', '| --- | ---: | ---: | ---: | ---: |'];
  for (const b of t.buckets) {
    if (b.count === 0) continue;
    rows.push(`| ${b.lo.toFixed(1)}–${b.hi.toFixed(1)} | ${b.count} | ${b.meanScore.toFixed(3)} | ${b.precision.toFixed(3)} | ${(b.precision - b.meanScore >= 0 ? '+' : '')}${(b.precision - b.meanScore).toFixed(3)} |`);
  }
  rows.push(`\nexpected calibration error (ECE) over ${t.entities} predicted entities: ${t.ece.toFixed(4)}`);
  return rows.join('\n') + '\n';
}
