// WASM SIMD kernels of the tensor floor (AssemblyScript, built by scripts/build-wasm.mjs).
//
// Memory model: the module imports a shared memory (`env.memory`) and owns none of it. Every
// pointer is a byte offset handed in by the JS side (src/tensor/wasm.ts), which allocates all
// buffers, including each caller's gemm scratch area. The module has no data segments and no
// globals that hold state, so several instances (one per worker thread) can run on the same
// memory at once as long as each passes its own scratch pointer.
//
// Matrices are row-major f32 with a leading dimension (row stride, in elements). All loads and
// stores are unaligned-safe (views may start at any 4-byte offset).

// ---------------------------------------------------------------------------------------------
// gemm: C[M, N] = alpha · op(A)[M, K] · op(B)[K, N] + beta · C
//
// Goto/BLIS structure: for each column block of C (NC) and each depth block (KC), pack op(B)
// into NR-wide panels; for each row block (MC), pack alpha·op(A) into MR-tall panels; then a
// 4×8 register micro-kernel (8 f32x4 accumulators) runs over the panels. Packing absorbs every
// transpose and every edge (panels are zero-padded), so there is one micro-kernel.
// When B is not transposed and M is small (≤ DIRECT_MAX_M), B is read in place instead of
// packed: for batch-1 steps packing would cost as much as the product. M = 1 has its own
// 1×32 kernel.

/**
 * a·b + c. Built twice (scripts/build-wasm.mjs): with relaxed SIMD this is one fused multiply-add
 * where the CPU has one (rounded once), without it a multiply then an add.
 */
@inline function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(c, f32x4.mul(a, b));
}

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 128; // multiple of MR; MC×KC×4 = 128 KiB, stays in L2
const NC: i32 = 2048; // multiple of NR
const DIRECT_MAX_M: i32 = 16; // B not transposed and M ≤ this: read B in place, do not pack it

const AP_BYTES: i32 = MC * KC * 4;
const BP_BYTES: i32 = KC * NC * 4;
const TILE_BYTES: i32 = MR * NR * 4;

/** Bytes of scratch space one gemm call needs (packed A, packed B, an edge tile). */
export function gemmScratchBytes(): i32 {
  return AP_BYTES + BP_BYTES + TILE_BYTES;
}

export function gemm(
  transA: i32, transB: i32, M: i32, N: i32, K: i32,
  alpha: f32, A: usize, lda: i32, B: usize, ldb: i32,
  beta: f32, C: usize, ldc: i32, scratch: usize,
): void {
  if (M <= 0 || N <= 0) return;
  if (beta != 1) scaleC(M, N, beta, C, ldc);
  if (alpha == 0 || K <= 0) return;
  const Ap = scratch;
  const Bp = scratch + <usize>AP_BYTES;
  const tile = Bp + <usize>BP_BYTES;
  const direct = transB == 0 && M <= DIRECT_MAX_M;
  for (let jc = 0; jc < N; jc += NC) {
    const nc = min(NC, N - jc);
    for (let pc = 0; pc < K; pc += KC) {
      const kc = min(KC, K - pc);
      if (direct) {
        // B[pc.., jc..] read in place (row stride ldb); only a ragged last panel is packed.
        packA(transA, A, lda, 0, pc, M, kc, alpha, Ap);
        macroDirect(M, nc, kc, Ap, B + ((<usize>pc * ldb + jc) << 2), ldb, Bp, C + (<usize>jc << 2), ldc, tile);
        continue;
      }
      packB(transB, B, ldb, pc, jc, kc, nc, Bp);
      for (let ic = 0; ic < M; ic += MC) {
        const mc = min(MC, M - ic);
        packA(transA, A, lda, ic, pc, mc, kc, alpha, Ap);
        macro(mc, nc, kc, Ap, Bp, C + ((<usize>ic * ldc + jc) << 2), ldc, tile);
      }
    }
  }
}

/** C ← beta·C (beta = 0 writes zeros, so NaN/garbage in C does not propagate, as in BLAS). */
function scaleC(M: i32, N: i32, beta: f32, C: usize, ldc: i32): void {
  const vb = f32x4.splat(beta);
  const zero = f32x4.splat(0);
  for (let i = 0; i < M; i++) {
    const row = C + ((<usize>i * ldc) << 2);
    let j = 0;
    if (beta == 0) {
      for (; j + 4 <= N; j += 4) v128.store(row + (<usize>j << 2), zero);
      for (; j < N; j++) store<f32>(row + (<usize>j << 2), 0);
    } else {
      for (; j + 4 <= N; j += 4) {
        const p = row + (<usize>j << 2);
        v128.store(p, f32x4.mul(v128.load(p), vb));
      }
      for (; j < N; j++) {
        const p = row + (<usize>j << 2);
        store<f32>(p, load<f32>(p) * beta);
      }
    }
  }
}

/**
 * Packs alpha·op(A)[i0 : i0+mc, k0 : k0+kc] into MR-row panels: panel p holds, for each k,
 * the MR values of rows i0+p·MR … at Ap + (p·kc + k)·MR. Rows past mc are zero.
 */
function packA(transA: i32, A: usize, lda: i32, i0: i32, k0: i32, mc: i32, kc: i32, alpha: f32, Ap: usize): void {
  const va = f32x4.splat(alpha);
  const ldab = <usize>lda << 2;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    let dst = Ap + ((<usize>ir * kc) << 2);
    const i = i0 + ir;
    if (transA != 0) {
      // A stored [K, M]: element (i, k) at (k·lda + i).
      let src = A + ((<usize>k0 * lda + i) << 2);
      if (mr == MR) {
        for (let k = 0; k < kc; k++) {
          v128.store(dst, f32x4.mul(v128.load(src), va));
          src += ldab;
          dst += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(dst + (<usize>r << 2), r < mr ? load<f32>(src + (<usize>r << 2)) * alpha : 0);
          }
          src += ldab;
          dst += 16;
        }
      }
    } else {
      // A stored [M, K]: element (i, k) at (i·lda + k).
      const src = A + ((<usize>i * lda + k0) << 2);
      if (mr == MR) {
        const s1 = src + ldab;
        const s2 = s1 + ldab;
        const s3 = s2 + ldab;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = <usize>k << 2;
          // 4×4 transpose: rows r0..r3 (4 consecutive k) → 4 columns (one k each).
          const r0 = v128.load(src + o);
          const r1 = v128.load(s1 + o);
          const r2 = v128.load(s2 + o);
          const r3 = v128.load(s3 + o);
          const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
          const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
          const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
          const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
          v128.store(dst, f32x4.mul(i32x4.shuffle(t0, t2, 0, 1, 4, 5), va));
          v128.store(dst, f32x4.mul(i32x4.shuffle(t0, t2, 2, 3, 6, 7), va), 16);
          v128.store(dst, f32x4.mul(i32x4.shuffle(t1, t3, 0, 1, 4, 5), va), 32);
          v128.store(dst, f32x4.mul(i32x4.shuffle(t1, t3, 2, 3, 6, 7), va), 48);
          dst += 64;
        }
        for (; k < kc; k++) {
          const o = <usize>k << 2;
          store<f32>(dst, load<f32>(src + o) * alpha);
          store<f32>(dst, load<f32>(s1 + o) * alpha, 4);
          store<f32>(dst, load<f32>(s2 + o) * alpha, 8);
          store<f32>(dst, load<f32>(s3 + o) * alpha, 12);
          dst += 16;
        }
      } else {
        for (let k = 0; k < kc; k++) {
          for (let r = 0; r < MR; r++) {
            store<f32>(dst + (<usize>r << 2), r < mr ? load<f32>(src + ((<usize>r * lda + k) << 2)) * alpha : 0);
          }
          dst += 16;
        }
      }
    }
  }
}

/**
 * Packs op(B)[k0 : k0+kc, j0 : j0+nc] into NR-column panels: panel q holds, for each k, the NR
 * values of columns j0+q·NR … at Bp + (q·kc + k)·NR. Columns past nc are zero.
 */
function packB(transB: i32, B: usize, ldb: i32, k0: i32, j0: i32, kc: i32, nc: i32, Bp: usize): void {
  const ldbb = <usize>ldb << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const dst = Bp + ((<usize>jr * kc) << 2);
    const j = j0 + jr;
    if (transB == 0) {
      // B stored [K, N]: element (k, j) at (k·ldb + j).
      const src = B + ((<usize>k0 * ldb + j) << 2);
      if (nr == NR) packRows8(src, ldbb, kc, dst);
      else packRowsPartial(src, ldbb, kc, nr, dst);
    } else {
      // B stored [N, K]: element (k, j) at (j·ldb + k).
      const src = B + ((<usize>j * ldb + k0) << 2);
      if (nr == NR) {
        let d = dst;
        let k = 0;
        for (; k + 4 <= kc; k += 4) {
          const o = src + (<usize>k << 2);
          transpose4x4Store(o, ldbb, d);
          transpose4x4Store(o + (ldbb << 2), ldbb, d + 16);
          d += 128;
        }
        for (; k < kc; k++) {
          const o = src + (<usize>k << 2);
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), load<f32>(o + <usize>c * ldbb));
          d += 32;
        }
      } else {
        let d = dst;
        for (let k = 0; k < kc; k++) {
          const o = src + (<usize>k << 2);
          for (let c = 0; c < NR; c++) store<f32>(d + (<usize>c << 2), c < nr ? load<f32>(o + <usize>c * ldbb) : 0);
          d += 32;
        }
      }
    }
  }
}

/** Copies kc rows of 8 floats (row stride ldbb bytes) into a contiguous [kc, 8] panel. */
@inline function packRows8(src: usize, ldbb: usize, kc: i32, dst: usize): void {
  for (let k = 0; k < kc; k++) {
    v128.store(dst, v128.load(src));
    v128.store(dst, v128.load(src, 16), 16);
    src += ldbb;
    dst += 32;
  }
}

/** Copies kc rows of nr < 8 floats into a [kc, 8] panel, zero-padding columns nr..7. */
function packRowsPartial(src: usize, ldbb: usize, kc: i32, nr: i32, dst: usize): void {
  for (let k = 0; k < kc; k++) {
    for (let c = 0; c < NR; c++) store<f32>(dst + (<usize>c << 2), c < nr ? load<f32>(src + (<usize>c << 2)) : 0);
    src += ldbb;
    dst += 32;
  }
}

/**
 * Reads a 4×4 block (4 rows of stride ld bytes, 4 consecutive k each) and stores its transpose
 * as the first 4 lanes of 4 consecutive 8-float panel rows at d, d+32, d+64, d+96.
 */
@inline function transpose4x4Store(src: usize, ld: usize, d: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + ld);
  const r2 = v128.load(src + ld * 2);
  const r3 = v128.load(src + ld * 3);
  const t0 = i32x4.shuffle(r0, r1, 0, 4, 1, 5);
  const t1 = i32x4.shuffle(r0, r1, 2, 6, 3, 7);
  const t2 = i32x4.shuffle(r2, r3, 0, 4, 1, 5);
  const t3 = i32x4.shuffle(r2, r3, 2, 6, 3, 7);
  v128.store(d, i32x4.shuffle(t0, t2, 0, 1, 4, 5));
  v128.store(d, i32x4.shuffle(t0, t2, 2, 3, 6, 7), 32);
  v128.store(d, i32x4.shuffle(t1, t3, 0, 1, 4, 5), 64);
  v128.store(d, i32x4.shuffle(t1, t3, 2, 3, 6, 7), 96);
}

/** Runs the micro-kernel over all MR×NR tiles of a packed mc×nc block. */
function macro(mc: i32, nc: i32, kc: i32, Ap: usize, Bp: usize, C: usize, ldc: i32, tile: usize): void {
  const ldcb = <usize>ldc << 2;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    const pb = Bp + ((<usize>jr * kc) << 2);
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      kernel(kc, Ap + ((<usize>ir * kc) << 2), pb, 32, C + ((<usize>ir * ldc + jr) << 2), ldcb, mr, nr, tile);
    }
  }
}

/** Like macro, but full NR-wide panels of B are read in place (row stride ldb). */
function macroDirect(mc: i32, nc: i32, kc: i32, Ap: usize, B: usize, ldb: i32, Bp: usize, C: usize, ldc: i32, tile: usize): void {
  const ldcb = <usize>ldc << 2;
  const ldbb = <usize>ldb << 2;
  let jr = 0;
  if (mc == 1) {
    // A single row (batch-1 tagging): a 1×32 kernel instead of a 4×8 tile that is ¾ padding.
    for (; jr + 32 <= nc; jr += 32) kernel1x32(kc, Ap, B + (<usize>jr << 2), ldbb, C + (<usize>jr << 2));
  }
  for (; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    let pb = B + (<usize>jr << 2);
    let sb = ldbb;
    if (nr < NR) {
      packRowsPartial(pb, ldbb, kc, nr, Bp);
      pb = Bp;
      sb = 32;
    }
    for (let ir = 0; ir < mc; ir += MR) {
      const mr = min(MR, mc - ir);
      kernel(kc, Ap + ((<usize>ir * kc) << 2), pb, sb, C + ((<usize>ir * ldc + jr) << 2), ldcb, mr, nr, tile);
    }
  }
}

/** C[0, 0:32] += Σ_k Ap[k, 0] · B[k, 0:32], B read in place (row stride sb bytes). */
function kernel1x32(kc: i32, pa: usize, pb: usize, sb: usize, pc: usize): void {
  let c0 = f32x4.splat(0), c1 = f32x4.splat(0), c2 = f32x4.splat(0), c3 = f32x4.splat(0);
  let c4 = f32x4.splat(0), c5 = f32x4.splat(0), c6 = f32x4.splat(0), c7 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const a = v128.load32_splat(pa);
    c0 = madd(a, v128.load(pb), c0);
    c1 = madd(a, v128.load(pb, 16), c1);
    c2 = madd(a, v128.load(pb, 32), c2);
    c3 = madd(a, v128.load(pb, 48), c3);
    c4 = madd(a, v128.load(pb, 64), c4);
    c5 = madd(a, v128.load(pb, 80), c5);
    c6 = madd(a, v128.load(pb, 96), c6);
    c7 = madd(a, v128.load(pb, 112), c7);
    pa += 16;
    pb += sb;
  }
  v128.store(pc, f32x4.add(v128.load(pc), c0));
  v128.store(pc, f32x4.add(v128.load(pc, 16), c1), 16);
  v128.store(pc, f32x4.add(v128.load(pc, 32), c2), 32);
  v128.store(pc, f32x4.add(v128.load(pc, 48), c3), 48);
  v128.store(pc, f32x4.add(v128.load(pc, 64), c4), 64);
  v128.store(pc, f32x4.add(v128.load(pc, 80), c5), 80);
  v128.store(pc, f32x4.add(v128.load(pc, 96), c6), 96);
  v128.store(pc, f32x4.add(v128.load(pc, 112), c7), 112);
}

/**
 * The 4×8 micro-kernel: C[0:mr, 0:nr] += Σ_k Ap[k, 0:4]ᵀ · Bp[k, 0:8], with Ap a packed
 * A panel (4 floats per k) and Bp 8 floats per k at stride sb bytes. Full tiles update C with
 * vector loads/stores; edge tiles go through the scratch tile.
 */
@inline function kernel(kc: i32, pa: usize, pb: usize, sb: usize, pc: usize, ldcb: usize, mr: i32, nr: i32, tile: usize): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(pb);
    const b1 = v128.load(pb, 16);
    let a = v128.load32_splat(pa);
    c00 = madd(a, b0, c00);
    c01 = madd(a, b1, c01);
    a = v128.load32_splat(pa, 4);
    c10 = madd(a, b0, c10);
    c11 = madd(a, b1, c11);
    a = v128.load32_splat(pa, 8);
    c20 = madd(a, b0, c20);
    c21 = madd(a, b1, c21);
    a = v128.load32_splat(pa, 12);
    c30 = madd(a, b0, c30);
    c31 = madd(a, b1, c31);
    pa += 16;
    pb += sb;
  }
  if (mr == MR && nr == NR) {
    v128.store(pc, f32x4.add(v128.load(pc), c00));
    v128.store(pc, f32x4.add(v128.load(pc, 16), c01), 16);
    pc += ldcb;
    v128.store(pc, f32x4.add(v128.load(pc), c10));
    v128.store(pc, f32x4.add(v128.load(pc, 16), c11), 16);
    pc += ldcb;
    v128.store(pc, f32x4.add(v128.load(pc), c20));
    v128.store(pc, f32x4.add(v128.load(pc, 16), c21), 16);
    pc += ldcb;
    v128.store(pc, f32x4.add(v128.load(pc), c30));
    v128.store(pc, f32x4.add(v128.load(pc, 16), c31), 16);
    return;
  }
  v128.store(tile, c00);
  v128.store(tile, c01, 16);
  v128.store(tile, c10, 32);
  v128.store(tile, c11, 48);
  v128.store(tile, c20, 64);
  v128.store(tile, c21, 80);
  v128.store(tile, c30, 96);
  v128.store(tile, c31, 112);
  for (let r = 0; r < mr; r++) {
    const row = pc + <usize>r * ldcb;
    const t = tile + (<usize>(r * NR) << 2);
    for (let c = 0; c < nr; c++) {
      const p = row + (<usize>c << 2);
      store<f32>(p, load<f32>(p) + load<f32>(t + (<usize>c << 2)));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Element-wise activations.
//
// exp: x = n·ln2 + r with |r| ≤ ln2/2 (Cody–Waite split of ln2, so r is exact), e^r by its
// Taylor polynomial of degree 7 (truncation < 6e-9 relative), 2^n by building the exponent bits.
// Inputs are clamped to [-87, 88] so 2^n stays a normal float.
// tanh: for |x| < 0.625 the odd polynomial x + x·z·P(z), z = x² (P fitted by
// scripts/fit-tanh-poly.py); above, 1 − 2/(e^{2|x|} + 1) with the sign restored; |x| is clamped
// to 10 (tanh rounds to ±1 in f32 from 9.02 on). sigmoid: 1/(1 + e^{−x}).
// Measured max abs error over dense grids (test/tensor/wasm-ops.test.ts): see the tests.

const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375; // 9 significant bits: n·LN2_HI is exact for |n| ≤ 127
const LN2_LO: f32 = -2.12194440e-4;

const TP0: f32 = -0.3333328366279602;
const TP1: f32 = 0.13331490755081177;
const TP2: f32 = -0.05374350771307945;
const TP3: f32 = 0.020650599151849747;
const TP4: f32 = -0.005717044696211815;

@inline function expv(x: v128): v128 {
  x = f32x4.pmin(f32x4.pmax(x, f32x4.splat(-87.0)), f32x4.splat(88.0));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(LN2_HI)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(LN2_LO)));
  let p = f32x4.splat(<f32>(1.0 / 5040.0));
  p = madd(p, r, f32x4.splat(<f32>(1.0 / 720.0)));
  p = madd(p, r, f32x4.splat(<f32>(1.0 / 120.0)));
  p = madd(p, r, f32x4.splat(<f32>(1.0 / 24.0)));
  p = madd(p, r, f32x4.splat(<f32>(1.0 / 6.0)));
  p = madd(p, r, f32x4.splat(0.5));
  p = madd(p, r, f32x4.splat(1.0));
  p = madd(p, r, f32x4.splat(1.0));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

@inline function sigmoidv(x: v128): v128 {
  const one = f32x4.splat(1.0);
  return f32x4.div(one, f32x4.add(one, expv(f32x4.neg(x))));
}

@inline function tanhv(x: v128): v128 {
  // Computed on |x|, then the sign bit of x is put back (tanh is odd; keeps tanh(−0) = −0).
  const one = f32x4.splat(1.0);
  const ax = f32x4.abs(x);
  const e = expv(f32x4.mul(f32x4.pmin(ax, f32x4.splat(10.0)), f32x4.splat(2.0)));
  const big = f32x4.sub(one, f32x4.div(f32x4.splat(2.0), f32x4.add(e, one)));
  const z = f32x4.mul(ax, ax);
  let p = f32x4.splat(TP4);
  p = madd(p, z, f32x4.splat(TP3));
  p = madd(p, z, f32x4.splat(TP2));
  p = madd(p, z, f32x4.splat(TP1));
  p = madd(p, z, f32x4.splat(TP0));
  const small = f32x4.add(ax, f32x4.mul(f32x4.mul(ax, z), p));
  const t = v128.bitselect(small, big, f32x4.lt(ax, f32x4.splat(0.625)));
  return v128.or(t, v128.and(x, i32x4.splat(0x80000000)));
}

/** Loads n < 4 floats into the low lanes (others 0). */
@inline function loadPartial(p: usize, n: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (n > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (n > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the low n < 4 lanes. */
@inline function storePartial(p: usize, v: v128, n: i32): void {
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (n > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (n > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

/** out[i] = σ(x[i]) for i < n; out may equal x. */
export function sigmoid(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, sigmoidv(v128.load(x + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storePartial(out + o, sigmoidv(loadPartial(x + o, n - i)), n - i);
  }
}

/** out[i] = tanh(x[i]) for i < n; out may equal x. */
export function tanh(x: usize, out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, tanhv(v128.load(x + o)));
  }
  if (i < n) {
    const o = <usize>i << 2;
    storePartial(out + o, tanhv(loadPartial(x + o, n - i)), n - i);
  }
}

// ---------------------------------------------------------------------------------------------
// Fused LSTM cell step. Gate order along the 4H axis of each row: [c̃ | Γu | Γf | Γo].
//
// forward:  c̃ = tanh(z_c), Γu = σ(z_u), Γf = σ(z_f), Γo = σ(z_o)
//           c = Γu·c̃ + Γf·c_prev,  a = Γo·tanh(c)
// backward: given da = ∂L/∂a and dc = ∂L/∂c (from step t+1),
//           dct = dc + da·Γo·(1 − tanh²c)
//           dz_c = dct·Γu·(1 − c̃²), dz_u = dct·c̃·Γu(1 − Γu),
//           dz_f = dct·c_prev·Γf(1 − Γf), dz_o = da·tanh(c)·Γo(1 − Γo),
//           dc_prev = dct·Γf

@inline function lstmFwdVec(zr: usize, gr: usize, cp: usize, cr: usize, ar: usize, hb: usize, n: i32): void {
  let zc: v128, zu: v128, zf: v128, zo: v128, c0: v128;
  if (n == 4) {
    zc = v128.load(zr); zu = v128.load(zr + hb); zf = v128.load(zr + hb * 2); zo = v128.load(zr + hb * 3);
    c0 = v128.load(cp);
  } else {
    zc = loadPartial(zr, n); zu = loadPartial(zr + hb, n); zf = loadPartial(zr + hb * 2, n); zo = loadPartial(zr + hb * 3, n);
    c0 = loadPartial(cp, n);
  }
  const ct = tanhv(zc);
  const u = sigmoidv(zu);
  const f = sigmoidv(zf);
  const o = sigmoidv(zo);
  const c = f32x4.add(f32x4.mul(u, ct), f32x4.mul(f, c0));
  const a = f32x4.mul(o, tanhv(c));
  if (n == 4) {
    v128.store(gr, ct); v128.store(gr + hb, u); v128.store(gr + hb * 2, f); v128.store(gr + hb * 3, o);
    v128.store(cr, c); v128.store(ar, a);
  } else {
    storePartial(gr, ct, n); storePartial(gr + hb, u, n); storePartial(gr + hb * 2, f, n); storePartial(gr + hb * 3, o, n);
    storePartial(cr, c, n); storePartial(ar, a, n);
  }
}

/**
 * Forward of one LSTM step for a batch. z: [B, 4H] pre-activations; cPrev: [B, H];
 * gates: [B, 4H] activated gates (may equal z); c, a: [B, H] (c may equal cPrev).
 */
export function lstmForward(Bn: i32, H: i32, z: usize, cPrev: usize, gates: usize, c: usize, a: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < Bn; b++) {
    const zr = z + ((<usize>b * H * 4) << 2);
    const gr = gates + ((<usize>b * H * 4) << 2);
    const ro = (<usize>b * H) << 2;
    let h = 0;
    for (; h + 4 <= H; h += 4) {
      const o = <usize>h << 2;
      lstmFwdVec(zr + o, gr + o, cPrev + ro + o, c + ro + o, a + ro + o, hb, 4);
    }
    if (h < H) {
      const o = <usize>h << 2;
      lstmFwdVec(zr + o, gr + o, cPrev + ro + o, c + ro + o, a + ro + o, hb, H - h);
    }
  }
}

@inline function lstmBwdVec(gr: usize, cp: usize, cr: usize, dar: usize, dcr: usize, dzr: usize, dcpr: usize, hb: usize, n: i32): void {
  let ct: v128, u: v128, f: v128, o: v128, c0: v128, c: v128, da: v128, dc: v128;
  if (n == 4) {
    ct = v128.load(gr); u = v128.load(gr + hb); f = v128.load(gr + hb * 2); o = v128.load(gr + hb * 3);
    c0 = v128.load(cp); c = v128.load(cr); da = v128.load(dar); dc = v128.load(dcr);
  } else {
    ct = loadPartial(gr, n); u = loadPartial(gr + hb, n); f = loadPartial(gr + hb * 2, n); o = loadPartial(gr + hb * 3, n);
    c0 = loadPartial(cp, n); c = loadPartial(cr, n); da = loadPartial(dar, n); dc = loadPartial(dcr, n);
  }
  const one = f32x4.splat(1.0);
  const tc = tanhv(c);
  const dct = f32x4.add(dc, f32x4.mul(f32x4.mul(da, o), f32x4.sub(one, f32x4.mul(tc, tc))));
  const dzc = f32x4.mul(f32x4.mul(dct, u), f32x4.sub(one, f32x4.mul(ct, ct)));
  const dzu = f32x4.mul(f32x4.mul(dct, ct), f32x4.mul(u, f32x4.sub(one, u)));
  const dzf = f32x4.mul(f32x4.mul(dct, c0), f32x4.mul(f, f32x4.sub(one, f)));
  const dzo = f32x4.mul(f32x4.mul(da, tc), f32x4.mul(o, f32x4.sub(one, o)));
  const dcp = f32x4.mul(dct, f);
  if (n == 4) {
    v128.store(dzr, dzc); v128.store(dzr + hb, dzu); v128.store(dzr + hb * 2, dzf); v128.store(dzr + hb * 3, dzo);
    v128.store(dcpr, dcp);
  } else {
    storePartial(dzr, dzc, n); storePartial(dzr + hb, dzu, n); storePartial(dzr + hb * 2, dzf, n); storePartial(dzr + hb * 3, dzo, n);
    storePartial(dcpr, dcp, n);
  }
}

/**
 * Backward of one LSTM step. gates: [B, 4H] from forward; cPrev, c: [B, H]; da, dc: [B, H]
 * incoming gradients; dz: [B, 4H] pre-activation gradients out (may equal gates);
 * dcPrev: [B, H] out (may equal dc).
 */
export function lstmBackward(Bn: i32, H: i32, gates: usize, cPrev: usize, c: usize, da: usize, dc: usize, dz: usize, dcPrev: usize): void {
  const hb = <usize>H << 2;
  for (let b = 0; b < Bn; b++) {
    const g4 = (<usize>b * H * 4) << 2;
    const ro = (<usize>b * H) << 2;
    let h = 0;
    for (; h + 4 <= H; h += 4) {
      const o = <usize>h << 2;
      lstmBwdVec(gates + g4 + o, cPrev + ro + o, c + ro + o, da + ro + o, dc + ro + o, dz + g4 + o, dcPrev + ro + o, hb, 4);
    }
    if (h < H) {
      const o = <usize>h << 2;
      lstmBwdVec(gates + g4 + o, cPrev + ro + o, c + ro + o, da + ro + o, dc + ro + o, dz + g4 + o, dcPrev + ro + o, hb, H - h);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// The forward time loop of an LSTM layer (src/nn/recurrent.ts), in one call instead of several
// JS→wasm calls and JS loops per step. Same arithmetic as the JS loop: per step t in processing
// order (t = T−1 … 0 when reverse), over the active rows [lo[t], hi[t]):
//   z_t += a⟨prev⟩ · Wa            (gemm; z_t already holds x_t·Wx + b)
//   gates, c⟨t⟩, a⟨t⟩              (lstmForward, gates written over z_t)
// then the masks: a row with t < lengths[b] copies a⟨t⟩ into y (row stride ld); a padded row
// keeps the previous state (a and c) and outputs 0.
// Layout (floats): z [T·B, 4H]; s, cm [(T+1)·B, H] states in time order (block p = before step
// t left-to-right is t, right-to-left t+1); y [T·B, ld]; meta f32 [2T + B]: lo[0..T), hi[0..T),
// lengths[0..B) (small integers stored as floats).

@inline function copyRow(dst: usize, src: usize, n: i32): void {
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + (<usize>j << 2), v128.load(src + (<usize>j << 2)));
  for (; j < n; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
}

@inline function zeroRow(dst: usize, n: i32): void {
  const zero = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) v128.store(dst + (<usize>j << 2), zero);
  for (; j < n; j++) store<f32>(dst + (<usize>j << 2), 0);
}

export function lstmSequenceForward(
  T: i32, B: i32, H: i32, reverse: i32, z: usize, Wa: usize, s: usize, cm: usize, y: usize, ld: i32,
  meta: usize, scratch: usize,
): void {
  const GH = 4 * H;
  const BH = B * H;
  const lens = meta + (<usize>(2 * T) << 2);
  for (let k = 0; k < T; k++) {
    const t = reverse != 0 ? T - 1 - k : k;
    const p = reverse != 0 ? t + 1 : t;
    const o = reverse != 0 ? t : t + 1;
    const l = <i32>load<f32>(meta + (<usize>t << 2));
    const rows = <i32>load<f32>(meta + (<usize>(T + t) << 2)) - l;
    const pOff = <usize>p * BH, oOff = <usize>o * BH;
    if (rows > 0) {
      const zt = z + ((<usize>(t * B + l) * GH) << 2);
      const aPrev = s + ((pOff + <usize>l * H) << 2);
      const aOut = s + ((oOff + <usize>l * H) << 2);
      const cPrev = cm + ((pOff + <usize>l * H) << 2);
      const cOut = cm + ((oOff + <usize>l * H) << 2);
      gemm(0, 0, rows, GH, H, 1, aPrev, H, Wa, GH, 1, zt, GH, scratch);
      lstmForward(rows, H, zt, cPrev, zt, cOut, aOut);
    }
    for (let b = 0; b < B; b++) {
      const yo = y + ((<usize>(t * B + b) * ld) << 2);
      const so = (oOff + <usize>b * H) << 2;
      if (<f32>t < load<f32>(lens + (<usize>b << 2))) {
        copyRow(yo, s + so, H);
      } else {
        const sp = (pOff + <usize>b * H) << 2;
        copyRow(s + so, s + sp, H);
        copyRow(cm + so, cm + sp, H);
        zeroRow(yo, H);
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Optimizer passes over parameter ranges (nn/optim/adam.ts, parallel/update.ts). Plain f32
// operations in SIMD lanes and in the scalar tail alike (no fused multiply-add), so an element
// gets the same bits whichever lane or tail of whichever split computes it.

/**
 * Adam over n elements: m ← b1·m + c1·g, v ← b2·v + c2·g², w ← w·decay − lr·(m/bc1) /
 * (√(v/bc2) + eps), with c1 = 1 − b1 and c2 = 1 − b2 computed by the caller in double precision
 * (1 − 0.999 in single precision would lose five digits).
 */
export function adamUpdate(w: usize, g: usize, m: usize, v: usize, n: i32,
  lr: f32, b1: f32, b2: f32, c1: f32, c2: f32, eps: f32, bc1: f32, bc2: f32, decay: f32): void {
  const vb1 = f32x4.splat(b1), vb2 = f32x4.splat(b2), vc1 = f32x4.splat(c1), vc2 = f32x4.splat(c2);
  const vlr = f32x4.splat(lr), veps = f32x4.splat(eps), vbc1 = f32x4.splat(bc1), vbc2 = f32x4.splat(bc2), vdec = f32x4.splat(decay);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.mul(vlr, f32x4.div(mi, vbc1)), f32x4.add(f32x4.sqrt(f32x4.div(vi, vbc2)), veps));
    v128.store(w + o, f32x4.sub(f32x4.mul(v128.load(w + o), vdec), step));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + c1 * gi;
    const vi = b2 * load<f32>(v + o) + c2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    const step = (lr * (mi / bc1)) / (sqrt<f32>(vi / bc2) + eps);
    store<f32>(w + o, load<f32>(w + o) * decay - step);
  }
}

/** Σ g² over n elements, in f64. */
export function sumSquares(g: usize, n: i32): f64 {
  let acc0 = f64x2.splat(0), acc1 = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const x = v128.load(g + (<usize>i << 2));
    const lo = f64x2.promote_low_f32x4(x);
    const hi = f64x2.promote_low_f32x4(i32x4.shuffle(x, x, 2, 3, 0, 1));
    acc0 = f64x2.add(acc0, f64x2.mul(lo, lo));
    acc1 = f64x2.add(acc1, f64x2.mul(hi, hi));
  }
  const a = f64x2.add(acc0, acc1);
  let s = f64x2.extract_lane(a, 0) + f64x2.extract_lane(a, 1);
  for (; i < n; i++) {
    const x = <f64>load<f32>(g + (<usize>i << 2));
    s += x * x;
  }
  return s;
}

/** g ← g·c over n elements. */
export function scaleBy(g: usize, n: i32, c: f32): void {
  const vc = f32x4.splat(c);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(g + o, f32x4.mul(v128.load(g + o), vc));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(g + o, load<f32>(g + o) * c);
  }
}

// ---------------------------------------------------------------------------------------------
// Row gather: dst[i, :] = the rowFloats floats at byte address ptrs[i] (i32), for i < n. Used by
// the tagger's projection cache to assemble a batch's input projections in one call.

export function copyRows(dst: usize, ptrs: usize, n: i32, rowFloats: i32): void {
  const rowBytes = <usize>rowFloats << 2;
  for (let i = 0; i < n; i++) {
    const src = <usize>load<i32>(ptrs + (<usize>i << 2));
    copyRow(dst + <usize>i * rowBytes, src, rowFloats);
  }
}

// ---------------------------------------------------------------------------------------------
// The backward time loop of an LSTM layer (src/nn/recurrent.ts), in one call. Same arithmetic as
// the JS loop: with g = four [B, H] buffers (da0, da1, dc0, dc1) and cur the pair holding the
// gradient w.r.t. the state after the step, per step t in reverse processing order:
//   da[b] += dy[t·B + b] for real rows (when dy ≠ 0)
//   over the active rows [lo, hi): gate gradients dz_t written over z_t (lstmBackward, which also
//     gives dc_prev), da_prev = 0
//   padded rows: da_prev = da, dc_prev = dc, dz = 0
//   da_prev[lo:hi) += dz_t · Waᵀ
// Returns the final cur (the pair then holding the gradient w.r.t. the initial state).

export function lstmSequenceBackward(
  T: i32, B: i32, H: i32, reverse: i32, z: usize, Wa: usize, cm: usize, dy: usize, ld: i32,
  meta: usize, g: usize, cur: i32, scratch: usize,
): i32 {
  const GH = 4 * H;
  const BH = B * H;
  const gBytes = <usize>BH << 2;
  const lens = meta + (<usize>(2 * T) << 2);
  for (let k = T - 1; k >= 0; k--) {
    const t = reverse != 0 ? T - 1 - k : k;
    const p = reverse != 0 ? t + 1 : t;
    const o = reverse != 0 ? t : t + 1;
    const l = <i32>load<f32>(meta + (<usize>t << 2));
    const h = <i32>load<f32>(meta + (<usize>(T + t) << 2));
    const rows = h - l;
    const da = g + <usize>cur * gBytes, daPrev = g + <usize>(1 - cur) * gBytes;
    const dc = g + <usize>(2 + cur) * gBytes, dcPrev = g + <usize>(3 - cur) * gBytes;
    if (dy != 0) {
      for (let b = l; b < h; b++) {
        if (<f32>t >= load<f32>(lens + (<usize>b << 2))) continue;
        const yo = dy + ((<usize>(t * B + b) * ld) << 2);
        const d0 = da + ((<usize>b * H) << 2);
        let j = 0;
        for (; j + 4 <= H; j += 4) {
          const q = <usize>j << 2;
          v128.store(d0 + q, f32x4.add(v128.load(d0 + q), v128.load(yo + q)));
        }
        for (; j < H; j++) {
          const q = <usize>j << 2;
          store<f32>(d0 + q, load<f32>(d0 + q) + load<f32>(yo + q));
        }
      }
    }
    const zt = z + ((<usize>(t * B + l) * GH) << 2);
    const rowOff = (<usize>l * H) << 2;
    if (rows > 0) {
      const cPrev = cm + ((<usize>p * BH + <usize>l * H) << 2);
      const cOut = cm + ((<usize>o * BH + <usize>l * H) << 2);
      lstmBackward(rows, H, zt, cPrev, cOut, da + rowOff, dc + rowOff, zt, dcPrev + rowOff);
      zeroRow(daPrev + rowOff, rows * H);
    }
    for (let b = 0; b < B; b++) {
      if (<f32>t < load<f32>(lens + (<usize>b << 2))) continue;
      const d0 = (<usize>b * H) << 2;
      copyRow(daPrev + d0, da + d0, H);
      copyRow(dcPrev + d0, dc + d0, H);
      zeroRow(z + ((<usize>(t * B + b) * GH) << 2), GH);
    }
    if (rows > 0) gemm(0, 1, rows, H, GH, 1, zt, GH, Wa, GH, 1, daPrev + rowOff, H, scratch);
    cur = 1 - cur;
  }
  return cur;
}

/** dst[i] += src[i] for i < n (data-parallel gradient merge). */
export function addInto(dst: usize, src: usize, n: i32): void {
  addVec(dst, dst, src, n);
}

/** out[i] = a[i] + b[i] for i < n (out may be a or b); the one loop of addInto and addElements. */
@inline function addVec(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

// ---------------------------------------------------------------------------------------------
// Column sums (the bias gradient of a layer that adds a bias to every row):
//   db[j] += Σ_r dy[r, j] for j < cols, rows in order (the TypeScript sumRowsInto's order).

export function sumRows(dy: usize, rows: i32, cols: i32, db: usize): void {
  let j = 0;
  for (; j + 4 <= cols; j += 4) {
    const q = <usize>j << 2;
    let acc = v128.load(db + q);
    for (let r = 0; r < rows; r++) acc = f32x4.add(acc, v128.load(dy + ((<usize>r * <usize>cols) << 2) + q));
    v128.store(db + q, acc);
  }
  for (; j < cols; j++) {
    const q = <usize>j << 2;
    let acc = load<f32>(db + q);
    for (let r = 0; r < rows; r++) acc += load<f32>(dy + ((<usize>r * <usize>cols) << 2) + q);
    store<f32>(db + q, acc);
  }
}

// ---------------------------------------------------------------------------------------------
// Embedding lookups. ids: n i32 row indices.
//   gatherRows:     dst[i, :] = w[ids[i], :]                      (forward)
//   scatterAddRows: g[ids[i], :] += dy[i, :] unless ids[i] = skip  (backward; rows in order i)

export function gatherRows(dst: usize, w: usize, ids: usize, n: i32, D: i32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) {
    const id = <usize>load<i32>(ids + (<usize>i << 2));
    copyRow(dst + <usize>i * rowBytes, w + id * rowBytes, D);
  }
}

export function scatterAddRows(g: usize, dy: usize, ids: usize, n: i32, D: i32, skip: i32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) {
    const id = load<i32>(ids + (<usize>i << 2));
    if (id == skip) continue;
    addInto(g + <usize>id * rowBytes, dy + <usize>i * rowBytes, D);
  }
}

// ---------------------------------------------------------------------------------------------
// Dropout (src/nn/dropout.ts). The mask comes from xoshiro128** (src/tensor/rng.ts), whose four
// u32 state words are read from and written back to `state`: element i draws r = the next u32
// and keeps it (mask = keep) unless r / 2^32 < p (mask = 0) — the numbers and the comparison
// of Rng.float() < p, in the same order. y = x · mask.

export function dropoutForward(x: usize, y: usize, mask: usize, n: i32, p: f64, keep: f32, state: usize): void {
  let s0 = load<u32>(state), s1 = load<u32>(state, 4), s2 = load<u32>(state, 8), s3 = load<u32>(state, 12);
  // r / 2^32 < p  ⇔  r < p·2^32 (exact scalings by a power of two)  ⇔  r < ⌈p·2^32⌉ for an
  // integer r: the same decision in integers. The mask value is keep's bits ANDed with 0 or −1,
  // not a select: V8 compiles an f32 select (or ?:) into a branch, which a coin flip
  // mispredicts half the time (7.4 ns per element against 2.5 ns, measured).
  const thr = <u64>Math.ceil(p * 4294967296.0);
  const keepBits = reinterpret<i32>(keep);
  for (let i = 0; i < n; i++) {
    const r = rotl<u32>(s1 * 5, 7) * 9;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl<u32>(s3, 11);
    const m = reinterpret<f32>(keepBits & -(<i32>(<u64>r >= thr)));
    const o = <usize>i << 2;
    store<f32>(mask + o, m);
    store<f32>(y + o, load<f32>(x + o) * m);
  }
  store<u32>(state, s0); store<u32>(state, s1, 4); store<u32>(state, s2, 8); store<u32>(state, s3, 12);
}

/** out[i] = a[i] · b[i] for i < n. */
export function mulElements(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

// x[0..n) = 0 (bulk memory fill: a memset). TypedArray.prototype.fill on a view of this shared
// memory stores element by element, about 7× slower (measured on 162k floats: 45 µs against 6).
export function zeroFloats(x: usize, n: i32): void {
  memory.fill(x, 0, <usize>n << 2);
}

// ---------------------------------------------------------------------------------------------
// The listed rows of a table (an embedding's lazily updated rows, nn/optim): rows ids[0..n) of
// D floats each, every row through the whole-range kernel above, so each element gets the same
// bits as when the rows are passed one call at a time.
//   zeroRows:        g[id, :] = 0
//   sumSquaresRows:  Σ over the rows, in order, of sumSquares(g[id, :]) (f64)
//   scaleRows:       g[id, :] *= c
//   adamRows:        adamUpdate on w, g, m, v [id, :]

@inline function rowAt(base: usize, ids: usize, i: i32, rowBytes: usize): usize {
  return base + <usize>load<i32>(ids + (<usize>i << 2)) * rowBytes;
}

export function zeroRows(g: usize, ids: usize, n: i32, D: i32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) memory.fill(rowAt(g, ids, i, rowBytes), 0, rowBytes);
}

export function sumSquaresRows(g: usize, ids: usize, n: i32, D: i32): f64 {
  const rowBytes = <usize>D << 2;
  let ss: f64 = 0;
  for (let i = 0; i < n; i++) ss += sumSquares(rowAt(g, ids, i, rowBytes), D);
  return ss;
}

export function scaleRows(g: usize, ids: usize, n: i32, D: i32, c: f32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) scaleBy(rowAt(g, ids, i, rowBytes), D, c);
}

export function adamRows(w: usize, g: usize, m: usize, v: usize, ids: usize, n: i32, D: i32,
  lr: f32, b1: f32, b2: f32, c1: f32, c2: f32, eps: f32, bc1: f32, bc2: f32, decay: f32): void {
  const rowBytes = <usize>D << 2;
  for (let i = 0; i < n; i++) {
    const o = <usize>load<i32>(ids + (<usize>i << 2)) * rowBytes;
    adamUpdate(w + o, g + o, m + o, v + o, D, lr, b1, b2, c1, c2, eps, bc1, bc2, decay);
  }
}

/** out[i] = a[i] + b[i] for i < n (out may be a or b). */
export function addElements(out: usize, a: usize, b: usize, n: i32): void {
  addVec(out, a, b, n);
}

// ---------------------------------------------------------------------------------------------
// Copies between row blocks of different widths (the tagger's feature blocks, nn/ layers'
// padding), all plain moves of f32 values.
//   copyBlock:         dst[dr, 0..cols) = src[sr, 0..cols) for r < rows, row strides ldd / lds
//                      (elements); which = 0: dr = sr = r; 1: dr = idx[r]; 2: sr = idx[r]
//   maskRowsByLength:  dst row (t, b) of a time-major [T·B, W] block = src row (t, b) if
//                      t < lengths[b], else 0 (dst may be src: zeroes the padding in place)

export function copyBlock(dst: usize, ldd: i32, src: usize, lds: i32, rows: i32, cols: i32, idx: usize, which: i32): void {
  const dRow = <usize>ldd << 2, sRow = <usize>lds << 2;
  for (let r = 0; r < rows; r++) {
    const k = which != 0 ? <usize>load<i32>(idx + (<usize>r << 2)) : <usize>r;
    copyRow(dst + (which == 1 ? k : <usize>r) * dRow, src + (which == 2 ? k : <usize>r) * sRow, cols);
  }
}

export function maskRowsByLength(dst: usize, src: usize, T: i32, B: i32, W: i32, lengths: usize): void {
  const rowBytes = <usize>W << 2;
  for (let t = 0; t < T; t++) {
    for (let b = 0; b < B; b++) {
      const o = (<usize>t * <usize>B + <usize>b) * rowBytes;
      if (t < load<i32>(lengths + (<usize>b << 2))) {
        if (dst != src) copyRow(dst + o, src + o, W);
      } else zeroRow(dst + o, W);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Max-pooling over time (nn/conv1d.ts MaxPoolTime) of a time-major x [T·B, F] over each
// sequence's real steps: y [B, F] the max, arg [B, F] the step it came from as a float (the
// first on ties: only a strictly greater value replaces it), −1 and y = 0 for an empty
// sequence. lengths: B i32. Backward: dx[(arg·B + b)·F + f] += dy[b, f] for arg ≥ 0.

export function maxPoolTime(x: usize, T: i32, B: i32, F: i32, lengths: usize, y: usize, arg: usize): void {
  const rowStride = (<usize>B * <usize>F) << 2;
  for (let b = 0; b < B; b++) {
    const len = load<i32>(lengths + (<usize>b << 2));
    const yo = y + ((<usize>b * <usize>F) << 2), ao = arg + ((<usize>b * <usize>F) << 2);
    const x0 = x + ((<usize>b * <usize>F) << 2);
    if (len <= 0) {
      for (let f = 0; f < F; f++) { store<f32>(yo + (<usize>f << 2), 0); store<f32>(ao + (<usize>f << 2), -1); }
      continue;
    }
    let f = 0;
    for (; f + 4 <= F; f += 4) {
      const q = <usize>f << 2;
      let best = v128.load(x0 + q);
      let at = f32x4.splat(0);
      for (let t = 1; t < len; t++) {
        const v = v128.load(x0 + <usize>t * rowStride + q);
        const gt = f32x4.gt(v, best);
        best = v128.bitselect(v, best, gt);
        at = v128.bitselect(f32x4.splat(<f32>t), at, gt);
      }
      v128.store(yo + q, best);
      v128.store(ao + q, at);
    }
    for (; f < F; f++) {
      const q = <usize>f << 2;
      let best = load<f32>(x0 + q);
      let at: f32 = 0;
      for (let t = 1; t < len; t++) {
        const v = load<f32>(x0 + <usize>t * rowStride + q);
        if (v > best) { best = v; at = <f32>t; }
      }
      store<f32>(yo + q, best);
      store<f32>(ao + q, at);
    }
  }
}

export function maxPoolTimeBackward(dy: usize, arg: usize, B: i32, F: i32, dx: usize): void {
  for (let b = 0; b < B; b++) {
    for (let f = 0; f < F; f++) {
      const i = (<usize>b * <usize>F + <usize>f) << 2;
      const t = <i32>load<f32>(arg + i);
      if (t < 0) continue;
      const o = dx + (((<usize>t * <usize>B + <usize>b) * <usize>F + <usize>f) << 2);
      store<f32>(o, load<f32>(o) + load<f32>(dy + i));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// dy[i] ← dy[i] · (1 − y[i]²) for i < n (the gradient through y = tanh(x), in place), computed in
// f64 and rounded once, as the TypeScript `dy[i] *= 1 - y[i] * y[i]` on Float32Arrays does.

export function tanhBackward(dy: usize, y: usize, n: i32): void {
  const one = f64x2.splat(1);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const d = v128.load(dy + o), v = v128.load(y + o);
    const dLo = f64x2.promote_low_f32x4(d), dHi = f64x2.promote_low_f32x4(i32x4.shuffle(d, d, 2, 3, 0, 1));
    const vLo = f64x2.promote_low_f32x4(v), vHi = f64x2.promote_low_f32x4(i32x4.shuffle(v, v, 2, 3, 0, 1));
    const rLo = f32x4.demote_f64x2_zero(f64x2.mul(dLo, f64x2.sub(one, f64x2.mul(vLo, vLo))));
    const rHi = f32x4.demote_f64x2_zero(f64x2.mul(dHi, f64x2.sub(one, f64x2.mul(vHi, vHi))));
    v128.store(dy + o, i32x4.shuffle(rLo, rHi, 0, 1, 4, 5));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const v = <f64>load<f32>(y + o);
    store<f32>(dy + o, <f32>(<f64>load<f32>(dy + o) * (1 - v * v)));
  }
}
