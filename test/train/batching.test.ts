import { describe, expect, it } from 'vitest';
import { sortedBatches } from '../../src/train/batching.js';

describe('sortedBatches (tagging)', () => {
  it('cuts the indices, longest first and ties in input order, into batches; the first batch is the largest', () => {
    const sizes = [3, 7, 1, 7, 5, 2, 9];
    const batches = sortedBatches(sizes, 3);
    expect(batches).toEqual([[6, 1, 3], [4, 0, 5], [2]]);
    expect(batches.flat().sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
    const cost = (b: number[]) => Math.max(...b.map((i) => sizes[i])) * b.length;
    for (const b of batches.slice(1)) expect(cost(b)).toBeLessThanOrEqual(cost(batches[0]));
  });

  it('gives no batch for no sentence', () => {
    expect(sortedBatches([], 32)).toEqual([]);
  });
});
