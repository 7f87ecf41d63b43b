import { describe, expect, it } from 'vitest';
import { calibration, formatCalibration } from '../../src/eval/index.js';

describe('calibration', () => {
  it('buckets predicted entities by score and counts exact matches per bucket', () => {
    const gold = [[{ type: 'PER', start: 0, end: 2 }, { type: 'LOC', start: 4, end: 5 }], [{ type: 'ORG', start: 1, end: 2 }]];
    const pred = [
      [{ type: 'PER', start: 0, end: 2, score: 0.95 }, { type: 'LOC', start: 3, end: 5, score: 0.91 }],
      [{ type: 'ORG', start: 1, end: 2, score: 0.55 }, { type: 'PER', start: 3, end: 4, score: 0.05 }, { type: 'ORG', start: 1, end: 2, score: 1 }],
    ];
    const t = calibration(gold, pred, [0, 0.5, 0.9, 1]);
    expect(t.entities).toBe(5);
    expect(t.buckets.map((b) => [b.count, b.correct])).toEqual([[1, 0], [1, 1], [3, 2]]);
    expect(t.buckets[2].meanScore).toBeCloseTo((0.95 + 0.91 + 1) / 3, 12);
    expect(t.buckets[2].precision).toBeCloseTo(2 / 3, 12);
    const ece = (1 / 5) * 0.05 + (1 / 5) * 0.45 + (3 / 5) * Math.abs(2 / 3 - (0.95 + 0.91 + 1) / 3);
    expect(t.ece).toBeCloseTo(ece, 12);
    expect(formatCalibration(t)).toMatch(/\| 0\.9–1\.0 \| 3 \| 0\.953 \| 0\.667 \| -0\.287 \|/);
  });
});
