/**
 * Truncated BPTT, proved in float64:
 *  - the analytic gradient of one segment's loss, with the carried-in hidden state held
 *    constant, matches central finite differences (for RNN, GRU and LSTM, two layers);
 *  - no gradient flows into the previous segment: that gradient differs from the full-BPTT one
 *    (finite differences that recompute the previous segment), and it does not depend on how
 *    the carried state was produced;
 *  - the carried state is the final state of the previous segment: segment-by-segment forward
 *    equals one forward over the whole stream (logits and final states), padded streams included.
 */
import { describe, expect, it } from 'vitest';
import { Rng, type Buf } from '../../src/tensor/index.js';
import { softmaxCrossEntropy, type CellKind } from '../../src/nn/index.js';
import { LanguageModel, StreamBatches, buildVocab, type LmBatch, type LmState } from '../../src/lm/index.js';
import { gradCheck, useFloat64 } from '../helpers/gradcheck.js';
import { paramTargets, randomizeParams, expectGradsOk } from '../helpers/nnCheck.js';

const TEXT = 'abcab\ncab\nbca\nacb\n';

function tinyModel(cell: CellKind, seed = 3): LanguageModel {
  const vocab = buildVocab(TEXT, 'char');
  const m = new LanguageModel({ cell, layers: 2, hidden: 3, embDim: 2, dropout: 0 }, vocab, seed);
  randomizeParams(m.params(), new Rng(seed + 10));
  return m;
}

/** Summed NLL of a segment from `state` (read only). */
function segmentLoss(m: LanguageModel, batch: LmBatch, state: LmState | null): number {
  const f = m.forward(batch.inputs, batch.T, batch.B, batch.lengths, state, false);
  return softmaxCrossEntropy(f.logits, batch.targets, m.V, { lengths: batch.lengths, T: batch.T }, 'sum').sum;
}

function cloneState(m: LanguageModel, s: LmState): LmState {
  const c = m.newState(s.B);
  LanguageModel.carry(s.layers, c);
  return c;
}

describe('LM loss with truncated BPTT: gradient checks (float64)', () => {
  useFloat64();

  for (const cell of ['rnn', 'gru', 'lstm'] as const) {
    it(`${cell}: segment-2 gradient with the carried state as a constant matches finite differences; no gradient into segment 1`, () => {
      const m = tinyModel(cell);
      const ids = m.table.encode(TEXT).ids; // 19 ids → 18 predictions
      const sb = new StreamBatches(ids, 2, 4); // L = 9, segments of 4, 4, 1 steps
      expect(sb.segments).toBe(3);
      const seg0 = sb.segment(0), seg1 = sb.segment(1);

      // Carry the state through segment 0 (inference, no dropout: rate 0 anyway).
      const carried = m.newState(2);
      m.evalStep(seg0, carried);
      const frozen = cloneState(m, carried);

      const params = m.params();
      const results = gradCheck({
        targets: paramTargets(params),
        eps: 1e-5, // the summed loss is ~10: rounding noise 1e-16·10/eps must stay well below 1e-6·floor
        loss: () => segmentLoss(m, seg1, frozen),
        backward: () => {
          const f = m.forward(seg1.inputs, seg1.T, seg1.B, seg1.lengths, frozen, false);
          const r = softmaxCrossEntropy(f.logits, seg1.targets, m.V, { lengths: seg1.lengths, T: seg1.T }, 'sum');
          f.backward(r.dlogits);
        },
      });
      const worst = expectGradsOk(results, 1e-6, `lm ${cell} truncated`);
      expect(worst).toBeLessThan(1e-6);

      // The state passed in is only read.
      for (let l = 0; l < 2; l++) expect(Array.from(frozen.layers[l].a)).toEqual(Array.from(carried.layers[l].a));

      // Truncation is real: the full-BPTT gradient of the same loss (segment 0 recomputed under
      // every perturbation, so the carried state moves too) differs from the analytic one.
      const analytic = params.map((p) => Float64Array.from(p.grad));
      const fullLoss = (): number => {
        const s = m.newState(2);
        m.evalStep(seg0, s);
        return segmentLoss(m, seg1, s);
      };
      const eps = 1e-6;
      let maxDiff = 0, maxAbs = 0;
      for (const [pi, p] of params.entries()) {
        if (!p.name.includes('.Wa')) continue; // the recurrent weights: where segment 0 matters
        for (let i = 0; i < p.value.length; i++) {
          const v = p.value[i];
          p.value[i] = v + eps; const lp = fullLoss();
          p.value[i] = v - eps; const lm = fullLoss();
          p.value[i] = v;
          const full = (lp - lm) / (2 * eps);
          maxDiff = Math.max(maxDiff, Math.abs(full - analytic[pi][i]));
          maxAbs = Math.max(maxAbs, Math.abs(full));
        }
      }
      expect(maxDiff / maxAbs).toBeGreaterThan(1e-3);
      if (process.env.GRADCHECK_REPORT) console.log(`[gradcheck] lm ${cell}: truncated vs full-BPTT gradient of Wa differ by ${(maxDiff / maxAbs).toExponential(2)} (relative to max |full|)`);

      // The gradient depends on the carried state only through its value: a copy of it built
      // by a fresh model run gives the same gradient, bit for bit (nothing reaches segment 0).
      for (const p of params) p.grad.fill(0);
      const again = m.newState(2);
      m.evalStep(seg0, again);
      const f = m.forward(seg1.inputs, seg1.T, seg1.B, seg1.lengths, again, true);
      const r = softmaxCrossEntropy(f.logits, seg1.targets, m.V, { lengths: seg1.lengths, T: seg1.T }, 'sum');
      f.backward(r.dlogits);
      params.forEach((p, pi) => expect(Array.from(p.grad)).toEqual(Array.from(analytic[pi])));
    });
  }

  it('the carried state is the final state of the previous segment: segments = one long forward (with a padded stream)', () => {
    for (const cell of ['rnn', 'gru', 'lstm'] as const) {
      const m = tinyModel(cell, 5);
      const ids = m.table.encode(TEXT).ids; // 18 predictions
      const B = 4, bptt = 2; // L = 5: streams of 5, 5, 5, 3 predictions; segments of 2, 2, 1 steps
      const sb = new StreamBatches(ids, B, bptt);
      expect([0, 1, 2, 3].map((b) => sb.streamLen(b))).toEqual([5, 5, 5, 3]);
      const whole = new StreamBatches(ids, B, sb.streamLength); // one segment holding everything
      const w = whole.segment(0);
      const fw = m.forward(w.inputs, w.T, B, w.lengths, null, false);
      const wholeLogits = Float64Array.from(fw.logits);
      const wholeFinal = fw.final.map((s) => ({ a: Float64Array.from(s.a), c: s.c ? Float64Array.from(s.c) : null }));

      const state = m.newState(B);
      for (let k = 0; k < sb.segments; k++) {
        const seg = sb.segment(k);
        const f = m.forward(seg.inputs, seg.T, B, seg.lengths, state, false);
        // logits of this segment = rows (k·bptt + t)·B + b of the whole forward, at real steps
        for (let t = 0; t < seg.T; t++) for (let b = 0; b < B; b++) {
          if (t >= seg.lengths[b]) continue;
          const row = t * B + b, wrow = (k * bptt + t) * B + b;
          for (let v = 0; v < m.V; v++) expect(f.logits[row * m.V + v]).toBeCloseTo(wholeLogits[wrow * m.V + v], 12);
        }
        LanguageModel.carry(f.final, state);
        // the carried state equals the final state of the segment just run
        f.final.forEach((s, l) => expect(Array.from(state.layers[l].a)).toEqual(Array.from(s.a)));
      }
      state.layers.forEach((s, l) => {
        expectClose(s.a, wholeFinal[l].a);
        if (s.c) expectClose(s.c, wholeFinal[l].c!);
      });
    }
  });
});

function expectClose(a: Buf, b: ArrayLike<number>): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(a[i]).toBeCloseTo(b[i], 12);
}
