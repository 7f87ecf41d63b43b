import { describe, expect, it } from 'vitest';
import { gemmRef } from '../../src/tensor/gemm.js';

/** Naive C = alpha·op(A)·op(B) + beta·C on plain arrays, the definition itself. */
function naive(tA: boolean, tB: boolean, M: number, N: number, K: number, alpha: number,
  A: number[], B: number[], beta: number, C: number[]): number[] {
  const out = C.slice();
  for (let i = 0; i < M; i++) for (let j = 0; j < N; j++) {
    let s = 0;
    for (let k = 0; k < K; k++) s += (tA ? A[k * M + i] : A[i * K + k]) * (tB ? B[j * K + k] : B[k * N + j]);
    out[i * N + j] = alpha * s + beta * C[i * N + j];
  }
  return out;
}

describe('gemmRef', () => {
  it.each([[false, false], [true, false], [false, true], [true, true]])('transA=%s transB=%s matches the definition', (tA, tB) => {
    const M = 5, N = 7, K = 3;
    const A = Array.from({ length: M * K }, (_, i) => Math.sin(i + 1));
    const B = Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.7));
    const C = Array.from({ length: M * N }, (_, i) => i * 0.1);
    const want = naive(tA, tB, M, N, K, 0.5, A, B, 2, C);
    const c = new Float32Array(C);
    gemmRef(tA, tB, M, N, K, 0.5, new Float32Array(A), tA ? M : K, new Float32Array(B), tB ? K : N, 2, c, N);
    for (let i = 0; i < want.length; i++) expect(c[i]).toBeCloseTo(want[i], 5);
  });

  it('respects leading dimensions (writes a column block of a wider C)', () => {
    // C is [2, 6]; write the product into columns 3..5 only.
    const A = new Float32Array([1, 2, 3, 4]); // [2,2]
    const B = new Float32Array([1, 0, 1, 0, 1, 1]); // [2,3]
    const C = new Float32Array(12).fill(9);
    gemmRef(false, false, 2, 3, 2, 1, A, 2, B, 3, 0, C.subarray(3), 6);
    expect(Array.from(C)).toEqual([9, 9, 9, 1, 2, 3, 9, 9, 9, 3, 4, 7]);
  });
});
