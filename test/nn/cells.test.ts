/**
 * The cell interface in isolation: a minimal single-step driver performs the contract of
 * cell.ts (the gemms Recurrent would do), and is checked against the naive equations and by
 * finite differences in float64. Also: parameter counts, gate order and initialisation.
 */
import { describe, expect, it } from 'vitest';
import { gemm, addRowVector, sumRowsInto, zeros, Rng, type Buf } from '../../src/tensor/index.js';
import { createCell, cellParamCount, gatesOf, type Cell, type CellKind } from '../../src/nn/cells/index.js';
import { ensureBuf } from '../../src/nn/cells/cell.js';
import { gradCheck, useFloat64, projection, randomBuf } from '../helpers/gradcheck.js';
import { refStep } from '../helpers/recurrentRef.js';
import { inputTarget, paramTargets, expectGradsOk, randomizeParams, sumParams } from '../helpers/nnCheck.js';

const KINDS: CellKind[] = ['rnn', 'gru', 'lstm'];

/** One step for B rows through the cell interface, exactly as documented in cell.ts. */
function stepDriver(cell: Cell, B: number, x: Buf, aPrev: Buf, cPrev: Buf | null) {
  const D = cell.inputSize, H = cell.hiddenSize, GH = cell.gates * H, PH = cell.preResetGates * H;
  const z = zeros(B * GH), a = zeros(B * H), c = cell.hasMemory ? zeros(B * H) : null;
  const ra = zeros(B * H);
  const reset = cell.preResetGates < cell.gates;
  gemm(false, false, B, GH, D, 1, x, D, cell.Wx.value, GH, 0, z, GH);
  addRowVector(z, cell.b.value, B, GH);
  gemm(false, false, B, PH, H, 1, aPrev, H, cell.Wa.value, GH, 1, z, GH);
  if (reset) {
    cell.resetForward!(z, aPrev, ra, B);
    gemm(false, false, B, GH - PH, H, 1, ra, H, cell.Wa.value.subarray(PH), GH, 1, z.subarray(PH), GH);
  }
  cell.stepForward(z, aPrev, cPrev, a, c, B);
  const backward = (da: Buf, dc: Buf | null) => {
    const daPrev = zeros(B * H), dcPrev = cell.hasMemory ? zeros(B * H) : null, dra = zeros(B * H);
    cell.stepBackward(z, aPrev, cPrev, a, c, da, dc, daPrev, dcPrev, B);
    if (reset) {
      gemm(false, true, B, H, GH - PH, 1, z.subarray(PH), GH, cell.Wa.value.subarray(PH), GH, 0, dra, H);
      cell.resetBackward!(z, aPrev, dra, daPrev, B);
      gemm(true, false, H, GH - PH, B, 1, ra, H, z.subarray(PH), GH, 1, cell.Wa.grad.subarray(PH), GH);
    }
    gemm(false, true, B, H, PH, 1, z, GH, cell.Wa.value, GH, 1, daPrev, H);
    gemm(true, false, H, PH, B, 1, aPrev, H, z, GH, 1, cell.Wa.grad, GH);
    gemm(true, false, D, GH, B, 1, x, D, z, GH, 1, cell.Wx.grad, GH);
    sumRowsInto(z, B, GH, cell.b.grad);
    const dx = zeros(B * D);
    gemm(false, true, B, D, GH, 1, z, GH, cell.Wx.value, GH, 0, dx, D);
    return { dx, daPrev, dcPrev };
  };
  return { a, c, backward };
}

describe('cells: construction', () => {
  it.each(KINDS)('%s: parameter count G·H·(D+H+1), names, shapes', (kind) => {
    const D = 5, H = 3, G = gatesOf(kind);
    const cell = createCell(kind, 'enc.l0.fwd', D, H, new Rng(1));
    expect(cell.gates).toBe(G);
    expect(cell.gateNames.length).toBe(G);
    expect(sumParams(cell.params())).toBe(cellParamCount(G, D, H));
    expect(sumParams(cell.params())).toBe(G * H * (D + H + 1));
    expect(cell.params().map((p) => p.name)).toEqual(['enc.l0.fwd.Wx', 'enc.l0.fwd.Wa', 'enc.l0.fwd.b']);
    expect(cell.Wx.shape).toEqual([D, G * H]);
    expect(cell.Wa.shape).toEqual([H, G * H]);
    expect(cell.b.shape).toEqual([G * H]);
    expect(cell.getConfig()).toEqual(JSON.parse(JSON.stringify(cell.getConfig())));
  });

  it.each(KINDS)('%s: init — Glorot Wx, orthogonal Wa per gate block, biases (LSTM forget = 1)', (kind) => {
    const D = 6, H = 4;
    const cell = createCell(kind, 'c', D, H, new Rng(3));
    const G = cell.gates, GH = G * H;
    const lim = Math.sqrt(6 / (D + H));
    for (const v of cell.Wx.value) expect(Math.abs(v)).toBeLessThanOrEqual(lim);
    for (let g = 0; g < G; g++) {
      for (let i = 0; i < H; i++) for (let j = 0; j < H; j++) {
        let d = 0; // (block ᵀ block)[i, j]
        for (let r = 0; r < H; r++) d += cell.Wa.value[r * GH + g * H + i] * cell.Wa.value[r * GH + g * H + j];
        expect(d).toBeCloseTo(i === j ? 1 : 0, 5);
      }
    }
    for (let g = 0; g < G; g++) for (let j = 0; j < H; j++) {
      const want = kind === 'lstm' && cell.gateNames[g] === 'f' ? 1 : 0;
      expect(cell.b.value[g * H + j]).toBe(want);
    }
  });

  it('rejects bad sizes and kinds', () => {
    expect(() => createCell('lstm', 'c', 0, 3, new Rng(1))).toThrow(/inputSize/);
    expect(() => createCell('gru', 'c', 3, 2.5, new Rng(1))).toThrow(/hiddenSize/);
    expect(() => createCell('tree' as CellKind, 'c', 3, 3, new Rng(1))).toThrow(/unknown cell kind/);
  });
});

describe('cells: one step (float64)', () => {
  useFloat64();

  it.each(KINDS)('%s: step matches the equations of ARCHITECTURE.md', (kind) => {
    const D = 4, H = 3, B = 3;
    const rng = new Rng(20);
    const cell = createCell(kind, 'c', D, H, rng);
    randomizeParams(cell.params(), rng);
    const x = randomBuf(B * D, rng), aPrev = randomBuf(B * H, rng), cPrev = randomBuf(B * H, rng);
    const { a, c } = stepDriver(cell, B, x, aPrev, cell.hasMemory ? cPrev : null);
    const w = { Wx: cell.Wx.value, Wa: cell.Wa.value, b: cell.b.value, D, H, G: cell.gates };
    for (let b = 0; b < B; b++) {
      const [ra, rc] = refStep(kind, w, Array.from(x.subarray(b * D, b * D + D)),
        Array.from(aPrev.subarray(b * H, b * H + H)), Array.from(cPrev.subarray(b * H, b * H + H)));
      for (let j = 0; j < H; j++) {
        expect(a[b * H + j]).toBeCloseTo(ra[j], 12);
        if (c) expect(c[b * H + j]).toBeCloseTo(rc[j], 12);
      }
    }
  });

  it.each(KINDS)('%s: step gradients (params, x, a⟨t−1⟩, c⟨t−1⟩) match finite differences', (kind) => {
    const D = 4, H = 3, B = 2;
    const rng = new Rng(30);
    const cell = createCell(kind, 'c', D, H, rng);
    randomizeParams(cell.params(), rng);
    const xT = inputTarget('x', randomBuf(B * D, rng));
    const aT = inputTarget('aPrev', randomBuf(B * H, rng));
    const cT = inputTarget('cPrev', randomBuf(B * H, rng));
    const pa = projection(B * H, 1), pc = projection(B * H, 2);
    const run = () => stepDriver(cell, B, xT.value, aT.value, cell.hasMemory ? cT.value : null);
    const targets = [...paramTargets(cell.params()), xT, aT, ...(cell.hasMemory ? [cT] : [])];
    const res = gradCheck({
      targets,
      loss: () => { const r = run(); return pa.loss(r.a) + (r.c ? pc.loss(r.c) : 0); },
      backward: () => {
        const r = run();
        const g = r.backward(pa.r, r.c ? pc.r : null);
        xT.accumulate(g.dx);
        aT.accumulate(g.daPrev);
        if (g.dcPrev) cT.accumulate(g.dcPrev);
      },
    });
    expectGradsOk(res, 1e-6, `${kind} step`);
  });
});

describe('ensureBuf (workspaces)', () => {
  it('reuses a buffer that is large enough, and grows by at least a quarter', () => {
    const a = ensureBuf(null, 100);
    expect(a.length).toBe(100);
    expect(ensureBuf(a, 80)).toBe(a);
    const b = ensureBuf(a, 101);
    expect(b.length).toBe(125);
    expect(ensureBuf(b, 1000).length).toBe(1000);
  });
});
