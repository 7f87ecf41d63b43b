import { describe, expect, it } from 'vitest';
import { fillRows, addRowVector } from '../../src/tensor/ops.js';

describe('fillRows', () => {
  it('writes the vector into every row and nothing past them', () => {
    for (const rows of [0, 1, 2, 5, 8, 33]) {
      const cols = 3;
      const b = Float32Array.from([1.5, -2, 7]);
      const x = new Float32Array(rows * cols + 2).fill(9);
      fillRows(x, b, rows, cols);
      const want = new Float32Array(rows * cols + 2).fill(9);
      addRowVector(want.fill(0, 0, rows * cols), b, rows, cols); // 0 + b per row: the reference
      expect(Array.from(x)).toEqual(Array.from(want));
    }
  });
});
