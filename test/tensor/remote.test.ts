/**
 * Recorded kernel programs (tensor/remote.ts): an LSTM layer's forward and backward recorded by a
 * KernelRecorder and run by runKernelOps through a second instance of the kernels on the same
 * memory (what a worker does) give the same bits as the layer run directly; so do the pieces a
 * pair run divides a program into (planPair), in whatever order they run. Also: what cannot be
 * recorded is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { activeKernels, useJs, useWasm } from '../../src/tensor/backend.js';
import { KernelRecorder, runKernelOps, packOps, unpackOps, planPair, runPairPiece, runPairOps, resetPairCells, abortPair, PairAborted, PAIR_CELLS, PACKED_OP_SIZE, zeros, Rng, type Buf, type KernelOp } from '../../src/tensor/index.js';
import { Recurrent } from '../../src/nn/recurrent.js';

beforeAll(() => { useWasm(); });
afterAll(() => useJs('test'));

function fill(x: Buf, seed: number): void {
  const r = new Rng(seed);
  for (let i = 0; i < x.length; i++) x[i] = r.normal() * 0.5;
}

describe('KernelRecorder + runKernelOps', () => {
  it.each([
    ['left to right, T even', false, 6],
    ['right to left, T odd', true, 7],
    ['right to left, one step', true, 1],
  ])('an LSTM layer forward + backward, %s: the same bits as running it here', (_n, reverse, T) => {
    const D = 5, H = 6, B = 4;
    const lengths = Int32Array.from([T, Math.max(1, T - 2), T, Math.max(0, T - 3)]);
    const make = () => Recurrent.create('lstm', 'l', D, H, new Rng(3), { reverse });
    const here = make(), there = make();
    const x = zeros(T * B * D), dy = zeros(T * B * H), dA = zeros(B * H), dC = zeros(B * H);
    fill(x, 1); fill(dy, 2); fill(dA, 3); fill(dC, 4);

    const want = here.forward(x, T, B, lengths);
    const dxWant = Float32Array.from(want.backward(dy, { a: dA, c: dC }));

    const k = activeKernels()!;
    const other = k.instanceOn(k.heap.memory); // as a worker instantiates them
    const scratch = k.heap.uninit(k.exports.gemmScratchBytes() / 4);
    const rec = new KernelRecorder();
    const got = there.forward(x, T, B, lengths, { exec: rec });
    const fwdOps = rec.take();
    expect(fwdOps.map((o) => o.k)).toEqual(['fillRows', 'gemm', 'lstmF']);
    runKernelOps(fwdOps, k.heap.memory, other, scratch.byteOffset);
    expect(Array.from(got.y)).toEqual(Array.from(want.y));
    expect(Array.from(got.final.c!)).toEqual(Array.from(want.final.c!));
    const dx = got.backward(dy, { a: dA, c: dC });
    const bwdOps = rec.take();
    expect(bwdOps.map((o) => o.k)).toEqual(['lstmB', 'gemm', 'gemm', 'sumRows', 'gemm']);
    runKernelOps(bwdOps, k.heap.memory, other, scratch.byteOffset);
    expect(Array.from(dx)).toEqual(Array.from(dxWant));
    there.params().forEach((p, i) => expect(Array.from(p.grad)).toEqual(Array.from(here.params()[i].grad)));
    // The recorder's guess of the kernel's final state-gradient pair is the kernel's.
    expect(Array.from(got.initialGrad().a)).toEqual(Array.from(want.initialGrad().a));
    expect(Array.from(got.initialGrad().c!)).toEqual(Array.from(want.initialGrad().c!));
  });

  it('refuses buffers outside the heap, and cells other than the LSTM', () => {
    const plain = new Float32Array(8);
    expect(KernelRecorder.canRecord(plain)).toBe(false);
    expect(KernelRecorder.canRecord(zeros(8))).toBe(true);
    const rec = new KernelRecorder();
    expect(() => rec.fillRows(plain, zeros(2), 4, 2)).toThrow(/not in the wasm heap/);
    const gru = Recurrent.create('gru', 'g', 3, 4, new Rng(1));
    expect(() => gru.forward(zeros(2 * 1 * 3), 2, 1, Int32Array.from([2]), { exec: rec })).toThrow(/LSTM layers only/);
    useJs('test');
    try {
      expect(KernelRecorder.canRecord(new Float32Array(4))).toBe(false);
    } finally {
      useWasm();
    }
  });

  it('packOps / unpackOps: every op survives a shared Float64Array unchanged; too small a buffer is refused', () => {
    const ops: KernelOp[] = [
      { k: 'gemm', ta: 1, tb: 0, M: 3, N: 400, K: 100, alpha: 0.5, A: [16, 300], lda: 3, B: [4096, 40000], ldb: 400, beta: 1, C: [65536, 1200], ldc: 400 },
      { k: 'fillRows', x: [128, 800], b: [64, 400], rows: 2, cols: 400 },
      { k: 'sumRows', dy: [256, 800], rows: 2, cols: 400, db: [1024, 400] },
      { k: 'lstmF', T: 7, B: 3, H: 5, reverse: 1, z: 10, Wa: 20, s: 30, cm: 40, y: 50, ld: 10, meta: 60 },
      { k: 'lstmB', T: 7, B: 3, H: 5, reverse: 0, z: 10, Wa: 20, cm: 40, dy: 0, ld: 10, meta: 60, g: 70, cur: 1 },
    ];
    const buf = new Float64Array(new SharedArrayBuffer(8 * ops.length * PACKED_OP_SIZE));
    expect(packOps(ops, buf)).toBe(ops.length);
    expect(unpackOps(buf, ops.length)).toEqual(ops);
    expect(packOps(ops, new Float64Array(PACKED_OP_SIZE))).toBe(-1);
  });

  it('planPair: the projection, weight gradients and dx of a layer in pieces, run in any order, give the layer\'s bits', () => {
    // Big enough for several pieces of ~4M multiply-adds: T·B = 768 rows, 4H = 256, D = 64.
    const D = 64, H = 64, B = 24, T = 32;
    const lengths = Int32Array.from({ length: B }, (_, b) => T - (b % 5));
    const make = () => Recurrent.create('lstm', 'l', D, H, new Rng(5), { reverse: true });
    const here = make(), there = make();
    const x = zeros(T * B * D), dy = zeros(T * B * H);
    fill(x, 6); fill(dy, 7);
    const want = here.forward(x, T, B, lengths);
    const yWant = Float32Array.from(want.y);
    const dxWant = Float32Array.from(want.backward(dy));

    const k = activeKernels()!;
    const other = k.instanceOn(k.heap.memory);
    const scratch = k.heap.uninit(k.exports.gemmScratchBytes() / 4).byteOffset;
    const rec = new KernelRecorder();
    const run = (ops: KernelOp[]): ReturnType<typeof planPair> => {
      const p = new Float64Array(ops.length * PACKED_OP_SIZE);
      const plan = planPair(p, 0, packOps(ops, p));
      // Pieces backwards, the loop between (as two threads might interleave them).
      for (let i = plan.pre - 1; i >= 0; i--) runPairPiece(p, plan, 'pre', i, k.heap.memory, other, scratch);
      runKernelOps([ops[plan.loop]], k.heap.memory, other, scratch);
      for (let i = plan.post - 1; i >= 0; i--) runPairPiece(p, plan, 'post', i, k.heap.memory, other, scratch);
      return plan;
    };
    const got = there.forward(x, T, B, lengths, { exec: rec });
    const f = run(rec.take());
    expect([f.loop, f.pre, f.preRows]).toEqual([2, 3, T * B]);
    expect(Array.from(got.y)).toEqual(Array.from(yWant));
    const dx = got.backward(dy);
    const b = run(rec.take());
    // dWa and dWx by columns, db whole, dx by rows.
    expect([b.loop, b.pre, b.postWhole, Array.from(b.postPieces)]).toEqual([0, 0, false, [3, 3, 1, 3]]);
    expect(b.post).toBe(10);
    expect(Array.from(dx)).toEqual(Array.from(dxWant));
    there.params().forEach((p, i) => expect(Array.from(p.grad)).toEqual(Array.from(here.params()[i].grad)));
  });

  it('planPair: a program of another shape runs whole; post ops that share an output are not divided', () => {
    const a = zeros(64 * 64), c = zeros(64 * 64), meta = zeros(8);
    const g = (C: Buf): KernelOp => ({ k: 'gemm', ta: 0, tb: 0, M: 64, N: 64, K: 64, alpha: 1, A: [a.byteOffset, a.length], lda: 64,
      B: [a.byteOffset, a.length], ldb: 64, beta: 1, C: [C.byteOffset, C.length], ldc: 64 });
    const loop: KernelOp = { k: 'lstmF', T: 1, B: 1, H: 1, reverse: 0, z: meta.byteOffset, Wa: meta.byteOffset, s: meta.byteOffset, cm: meta.byteOffset, y: meta.byteOffset, ld: 1, meta: meta.byteOffset };
    const plan = (ops: KernelOp[]) => {
      const p = new Float64Array(ops.length * PACKED_OP_SIZE);
      return planPair(p, 0, packOps(ops, p));
    };
    expect(plan([g(c), g(c)])).toMatchObject({ loop: 2, pre: 0, post: 0 }); // no loop
    expect(plan([loop, g(c), loop])).toMatchObject({ loop: 3, pre: 0, post: 0 }); // two loops
    expect(plan([loop, g(c), g(c)])).toMatchObject({ loop: 0, postWhole: true, post: 1 });
    expect(plan([loop, g(c), g(zeros(64 * 64))])).toMatchObject({ loop: 0, postWhole: false, post: 2 });
  });

  it('runPairOps: a thread waiting for the other gives up when the other failed, or when `check` throws', () => {
    // Two layers' backward programs (loop, then weight gradients and dx): after its own part,
    // role 0 waits for role 1's loop, which never comes here.
    const D = 5, H = 6, B = 4, T = 5;
    const lengths = Int32Array.from([5, 4, 5, 2]);
    const x = zeros(T * B * D), dy = zeros(T * B * H);
    fill(x, 1); fill(dy, 2);
    const k = activeKernels()!;
    const programs = [0, 1].map((i) => {
      const rec = new KernelRecorder();
      const out = Recurrent.create('lstm', 'l', D, H, new Rng(3 + i)).forward(x, T, B, lengths, { exec: rec });
      rec.take();
      out.backward(dy);
      return rec.take();
    });
    const p = new Float64Array(new SharedArrayBuffer(8 * 64 * PACKED_OP_SIZE));
    const n0 = packOps(programs[0], p), n1 = packOps(programs[1], p.subarray(n0 * PACKED_OP_SIZE));
    const cells = new Int32Array(new SharedArrayBuffer(4 * PAIR_CELLS));
    resetPairCells(cells, n0, n1);
    abortPair(cells);
    expect(() => runPairOps(p, cells, 0, k.heap.memory, k.exports, k.scratch)).toThrow(PairAborted);
    resetPairCells(cells, n0, n1);
    let calls = 0;
    const check = () => { if (++calls === 3) throw new Error('the worker died'); };
    expect(() => runPairOps(p, cells, 0, k.heap.memory, k.exports, k.scratch, check)).toThrow('the worker died');
    // …and the failure is flagged for the other thread, whose waits now end too.
    expect(() => runPairOps(p, cells, 0, k.heap.memory, k.exports, k.scratch)).toThrow(PairAborted);
  });
});
