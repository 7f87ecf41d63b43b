import type { Buf } from './alloc.js';

/**
 * General matrix multiply on row-major buffers, BLAS-style:
 *
 *   C[M, N] = alpha · op(A)[M, K] · op(B)[K, N] + beta · C[M, N]
 *
 * where op(X) is X or Xᵀ. Leading dimensions are the row strides of the arrays *as stored*:
 * A is stored [M, K] (lda ≥ K) or, when transA, [K, M] (lda ≥ M); likewise B is [K, N] or [N, K];
 * C is [M, N] with ldc ≥ N. A, B and C may be subarray views; they must not overlap C.
 *
 * This is the portable reference kernel (and the oracle that faster backends are tested against).
 * Loop orders keep the innermost loop on contiguous memory.
 */
export function gemmRef(
  transA: boolean, transB: boolean,
  M: number, N: number, K: number,
  alpha: number, A: Buf, lda: number,
  B: Buf, ldb: number,
  beta: number, C: Buf, ldc: number,
): void {
  // C ← beta · C
  if (beta !== 1) {
    for (let i = 0; i < M; i++) {
      const c0 = i * ldc;
      if (beta === 0) for (let j = 0; j < N; j++) C[c0 + j] = 0;
      else for (let j = 0; j < N; j++) C[c0 + j] *= beta;
    }
  }
  if (alpha === 0 || K === 0) return;

  if (!transA && !transB) {
    // i-k-j: C[i,:] += alpha·A[i,k] · B[k,:]
    for (let i = 0; i < M; i++) {
      const c0 = i * ldc;
      const a0 = i * lda;
      for (let k = 0; k < K; k++) {
        const a = alpha * A[a0 + k];
        if (a === 0) continue;
        const b0 = k * ldb;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[b0 + j];
      }
    }
  } else if (transA && !transB) {
    // A stored [K, M]: C[i,:] += alpha·A[k,i] · B[k,:]
    for (let k = 0; k < K; k++) {
      const a0 = k * lda;
      const b0 = k * ldb;
      for (let i = 0; i < M; i++) {
        const a = alpha * A[a0 + i];
        if (a === 0) continue;
        const c0 = i * ldc;
        for (let j = 0; j < N; j++) C[c0 + j] += a * B[b0 + j];
      }
    }
  } else if (!transA && transB) {
    // B stored [N, K]: C[i,j] += alpha · dot(A[i,:], B[j,:])
    for (let i = 0; i < M; i++) {
      const a0 = i * lda;
      const c0 = i * ldc;
      for (let j = 0; j < N; j++) {
        const b0 = j * ldb;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[a0 + k] * B[b0 + k];
        C[c0 + j] += alpha * s;
      }
    }
  } else {
    // both transposed: A stored [K, M], B stored [N, K]
    for (let i = 0; i < M; i++) {
      const c0 = i * ldc;
      for (let j = 0; j < N; j++) {
        const b0 = j * ldb;
        let s = 0;
        for (let k = 0; k < K; k++) s += A[k * lda + i] * B[b0 + k];
        C[c0 + j] += alpha * s;
      }
    }
  }
}

export type GemmFn = typeof gemmRef;

let impl: GemmFn = gemmRef;

/** Install a faster gemm (a backend); `null` restores the reference kernel. */
export function setGemm(fn: GemmFn | null): void {
  impl = fn ?? gemmRef;
}

/** The gemm in use (see gemmRef for the contract). */
export function gemm(
  transA: boolean, transB: boolean,
  M: number, N: number, K: number,
  alpha: number, A: Buf, lda: number,
  B: Buf, ldb: number,
  beta: number, C: Buf, ldc: number,
): void {
  impl(transA, transB, M, N, K, alpha, A, lda, B, ldb, beta, C, ldc);
}
