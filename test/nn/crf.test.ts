import { describe, expect, it } from 'vitest';
import { Rng, zeros, getDType, allFinite, type Buf } from '../../src/tensor/index.js';
import { CRF, type CRFAllowed } from '../../src/nn/crf.js';
import { Adam, zeroGrad } from '../../src/nn/optim/index.js';
import { gradCheck, useFloat64, randomBuf } from '../helpers/gradcheck.js';

/*
 * The CRF is checked against an independent reference: enumerate every tag path of a tiny
 * sentence (K^T of them), score each one from the parameter values directly, and derive log Z,
 * the NLL, token / pair / span marginals, the best path and the k best paths from the list.
 */

interface Enumeration {
  paths: Int32Array[];
  scores: number[];
  logZ: number;
}

function lse(xs: number[]): number {
  const m = Math.max(...xs);
  if (m === -Infinity) return -Infinity;
  return m + Math.log(xs.reduce((s, x) => s + Math.exp(x - m), 0));
}

/** Every path allowed by the CRF's mask, with its score; the sentence is sequence b of [T·B, K]. */
function enumerate(crf: CRF, em: Buf, T: number, B = 1, b = 0): Enumeration {
  const K = crf.K, a = crf.allowed;
  const tr = crf.transitions.value, st = crf.start.value, en = crf.end.value;
  const paths: Int32Array[] = [], scores: number[] = [];
  outer: for (let code = 0; code < K ** T; code++) {
    const y = new Int32Array(T);
    for (let t = 0, c = code; t < T; t++, c = Math.floor(c / K)) y[t] = c % K;
    if (a) {
      if (!a.start[y[0]] || !a.end[y[T - 1]]) continue;
      for (let t = 1; t < T; t++) if (!a.transitions[y[t - 1]][y[t]]) continue outer;
    }
    let s = st[y[0]] + en[y[T - 1]];
    for (let t = 0; t < T; t++) s += em[(t * B + b) * K + y[t]];
    for (let t = 1; t < T; t++) s += tr[y[t - 1] * K + y[t]];
    paths.push(y);
    scores.push(s);
  }
  return { paths, scores, logZ: lse(scores) };
}

/** Σ P(y) over the enumerated paths satisfying `pred`. */
function probWhere(e: Enumeration, pred: (y: Int32Array) => boolean): number {
  let p = 0;
  e.paths.forEach((y, i) => { if (pred(y)) p += Math.exp(e.scores[i] - e.logZ); });
  return p;
}

/** IOB2-like masks: K=2 strict alternation; K=3 O,B,I; K=4 O,B-X,I-X,B-Y (and B-Y may not end). */
function maskFor(K: number): CRFAllowed {
  const all = (v: boolean) => Array.from({ length: K }, () => Array<boolean>(K).fill(v));
  if (K === 2) return { transitions: [[false, true], [true, false]], start: [true, true], end: [true, true] };
  const tr = all(true);
  // tag 2 = I-X may only follow B-X (1) or I-X (2)
  for (let j = 0; j < K; j++) tr[j][2] = j === 1 || j === 2;
  const start = Array<boolean>(K).fill(true);
  start[2] = false;
  const end = Array<boolean>(K).fill(true);
  if (K === 4) end[3] = false;
  return { transitions: tr, start, end };
}

/** A CRF with every parameter (forbidden entries too) random in [−1, 1). */
function randomCrf(K: number, masked: boolean, seed: number): CRF {
  const rng = new Rng(seed);
  const crf = new CRF('t.crf', K, rng, masked ? { allowed: maskFor(K) } : {});
  for (const p of crf.params()) for (let i = 0; i < p.value.length; i++) p.value[i] = rng.uniform(-1, 1);
  return crf;
}

function close(a: number, b: number, tol = 1e-10): void {
  expect(Math.abs(a - b)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(a), Math.abs(b)));
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

const CASES: [T: number, K: number][] = [[1, 3], [2, 2], [3, 2], [3, 3], [4, 3], [5, 4], [4, 4]];

describe('CRF against brute-force enumeration (float64)', () => {
  useFloat64();
  let worst = 0;
  const track = (d: number) => { worst = Math.max(worst, d); return d; };

  for (const masked of [false, true]) {
    for (const [T, K] of CASES) {
      const label = `T=${T} K=${K}${masked ? ' masked' : ''}`;
      it(`${label}: log Z, NLL, marginals, pair marginals via gradients, Viterbi, top-k, spans`, () => {
        expect(getDType()).toBe('float64');
        const rng = new Rng(100 + T * 10 + K + (masked ? 1000 : 0));
        const crf = randomCrf(K, masked, 7 + T + K);
        const em = randomBuf(T * K, rng, -2, 2);
        const lengths = Int32Array.of(T);
        const E = enumerate(crf, em, T);
        expect(E.paths.length).toBeGreaterThan(0);
        if (masked && T > 1) expect(E.paths.length).toBeLessThan(K ** T); // the mask removes paths

        // log Z
        expect(track(Math.abs(crf.logPartition(em, T, 1, lengths)[0] - E.logZ))).toBeLessThan(1e-10);

        // NLL of a random allowed gold path, and its gradients
        const gi = rng.int(E.paths.length);
        const gold = E.paths[gi];
        zeroGrad(crf.params());
        const res = crf.nll(em, gold, T, 1, lengths, 'sum');
        close(res.loss, E.logZ - E.scores[gi]);
        expect(res.count).toBe(1);
        expect(res.tokens).toBe(T);
        const dem = res.backward();
        const margBrute = new Float64Array(T * K);
        const pairBrute = new Float64Array(K * K);
        const startBrute = new Float64Array(K), endBrute = new Float64Array(K);
        E.paths.forEach((y, i) => {
          const p = Math.exp(E.scores[i] - E.logZ);
          for (let t = 0; t < T; t++) margBrute[t * K + y[t]] += p;
          for (let t = 1; t < T; t++) pairBrute[y[t - 1] * K + y[t]] += p;
          startBrute[y[0]] += p;
          endBrute[y[T - 1]] += p;
        });
        const demExpected = Float64Array.from(margBrute);
        for (let t = 0; t < T; t++) demExpected[t * K + gold[t]] -= 1;
        const transExpected = Float64Array.from(pairBrute);
        for (let t = 1; t < T; t++) transExpected[gold[t - 1] * K + gold[t]] -= 1;
        startBrute[gold[0]] -= 1;
        endBrute[gold[T - 1]] -= 1;
        expect(track(maxDiff(dem, demExpected))).toBeLessThan(1e-10);
        expect(track(maxDiff(crf.transitions.grad, transExpected))).toBeLessThan(1e-10);
        expect(track(maxDiff(crf.start.grad, startBrute))).toBeLessThan(1e-10);
        expect(track(maxDiff(crf.end.grad, endBrute))).toBeLessThan(1e-10);
        // forbidden parameters get exactly zero gradient
        if (masked) {
          const a = crf.allowed!;
          for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) if (!a.transitions[j][k]) expect(crf.transitions.grad[j * K + k]).toBe(0);
          for (let k = 0; k < K; k++) {
            if (!a.start[k]) expect(crf.start.grad[k]).toBe(0);
            if (!a.end[k]) expect(crf.end.grad[k]).toBe(0);
          }
        }

        // token marginals, also from the one-sentence lattice
        expect(track(maxDiff(crf.marginals(em, T, 1, lengths), margBrute))).toBeLessThan(1e-10);
        const lat = crf.lattice(em, T);
        close(lat.logZ, E.logZ);
        expect(track(maxDiff(lat.marginals(), margBrute))).toBeLessThan(1e-10);
        for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) close(lat.tokenMarginal(t, k), margBrute[t * K + k]);

        // Viterbi path and score
        let bi = 0;
        for (let i = 1; i < E.scores.length; i++) if (E.scores[i] > E.scores[bi]) bi = i;
        const scores = new Float64Array(1);
        const best = crf.viterbi(em, T, 1, lengths, undefined, scores);
        expect(Array.from(best)).toEqual(Array.from(E.paths[bi]));
        close(scores[0], E.scores[bi]);
        close(crf.score(em, best, T, 1, lengths)[0], E.scores[bi]);

        // top-k: order, scores and probabilities (k larger than the number of paths too)
        const order = E.scores.map((s, i) => i).sort((x, y) => E.scores[y] - E.scores[x]);
        for (const k of [1, 3, 7, E.paths.length + 2]) {
          const top = crf.topK(em, T, k);
          expect(top.length).toBe(Math.min(k, E.paths.length));
          top.forEach((p, r) => {
            const i = order[r];
            expect(Array.from(p.tags)).toEqual(Array.from(E.paths[i]));
            close(p.score, E.scores[i]);
            track(Math.abs(p.prob - Math.exp(E.scores[i] - E.logZ)));
            expect(Math.abs(p.prob - Math.exp(E.scores[i] - E.logZ))).toBeLessThan(1e-12);
          });
        }

        // span probabilities: every span, a tag sequence taken from a likely path and a random one,
        // with and without a constraint on the next token
        for (let s = 0; s < T; s++) {
          for (let e = s + 1; e <= T; e++) {
            const fromPath = Array.from(E.paths[order[rng.int(Math.min(3, order.length))]].subarray(s, e));
            const random = Array.from({ length: e - s }, () => rng.int(K));
            for (const tags of [fromPath, random]) {
              const notIn = [rng.int(K), rng.int(K)];
              for (const nextNotIn of [undefined, notIn]) {
                const want = probWhere(E, (y) => {
                  for (let t = s; t < e; t++) if (y[t] !== tags[t - s]) return false;
                  return !(nextNotIn && e < T && nextNotIn.includes(y[e]));
                });
                const got = lat.sequenceProbability(s, e, tags, nextNotIn);
                expect(track(Math.abs(got - want))).toBeLessThan(1e-12);
                if (nextNotIn === undefined && s === 0 && e === T) close(got, want);
              }
            }
          }
        }
        close(crf.sequenceProbability(em, T, 0, T, best), Math.exp(E.scores[bi] - E.logZ));
      });
    }
  }

  it('reports the largest deviation from the enumeration', () => {
    console.log(`CRF brute force: max abs deviation ${worst.toExponential(2)}`);
    expect(worst).toBeLessThan(1e-10);
  });

  it('padding does not matter: a batch of different lengths equals each sequence run alone', () => {
    const K = 4, T = 5;
    const lengths = Int32Array.of(5, 2, 0, 3);
    const B = lengths.length;
    const crf = randomCrf(K, true, 21);
    const rng = new Rng(22);
    const em = zeros(T * B * K);
    const gold = new Int32Array(T * B).fill(-7);
    const alone: { em: Buf; gold: Int32Array }[] = [];
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const e1 = randomBuf(L * K, rng, -2, 2);
      // padded rows hold NaN: any read of them would poison the results
      for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) em[(t * B + b) * K + k] = t < L ? e1[t * K + k] : NaN;
      const g1 = new Int32Array(L);
      if (L > 0) {
        const E = enumerate(crf, e1, L);
        g1.set(E.paths[rng.int(E.paths.length)]);
      }
      for (let t = 0; t < L; t++) gold[t * B + b] = g1[t];
      alone.push({ em: e1, gold: g1 });
    }

    zeroGrad(crf.params());
    const res = crf.nll(em, gold, T, B, lengths, 'sum');
    expect(res.count).toBe(3);
    expect(res.tokens).toBe(10);
    const dem = Float64Array.from(res.backward());
    const batchGrads = crf.params().map((p) => Float64Array.from(p.grad));
    const marg = crf.marginals(em, T, B, lengths);
    const vit = crf.viterbi(em, T, B, lengths);
    const logZ = crf.logPartition(em, T, B, lengths);

    let sum = 0;
    const sumGrads = crf.params().map((p) => new Float64Array(p.value.length));
    for (let b = 0; b < B; b++) {
      const L = lengths[b];
      const one = Int32Array.of(L);
      if (L === 0) {
        expect(logZ[b]).toBe(0);
      } else {
        close(logZ[b], crf.logPartition(alone[b].em, L, 1, one)[0]);
        zeroGrad(crf.params());
        const r1 = crf.nll(alone[b].em, alone[b].gold, L, 1, one, 'sum');
        sum += r1.sum;
        const d1 = r1.backward();
        crf.params().forEach((p, i) => { for (let j = 0; j < p.grad.length; j++) sumGrads[i][j] += p.grad[j]; });
        const m1 = crf.marginals(alone[b].em, L, 1, one);
        const v1 = crf.viterbi(alone[b].em, L, 1, one);
        const lat = crf.lattice(em, L, B, b), lat1 = crf.lattice(alone[b].em, L);
        close(lat.logZ, lat1.logZ);
        close(lat.sequenceProbability(0, 1, [v1[0]], [2]), lat1.sequenceProbability(0, 1, [v1[0]], [2]));
        const top = crf.topK(em, L, 3, B, b), top1 = crf.topK(alone[b].em, L, 3);
        expect(top.map((p) => Array.from(p.tags))).toEqual(top1.map((p) => Array.from(p.tags)));
        top.forEach((p, i) => close(p.prob, top1[i].prob));
        for (let t = 0; t < L; t++) {
          for (let k = 0; k < K; k++) {
            expect(Math.abs(dem[(t * B + b) * K + k] - d1[t * K + k])).toBeLessThan(1e-12);
            expect(Math.abs(marg[(t * B + b) * K + k] - m1[t * K + k])).toBeLessThan(1e-12);
          }
          expect(vit[t * B + b]).toBe(v1[t]);
        }
      }
      // padded rows: zero gradient, zero marginals, −1 in the Viterbi output
      for (let t = L; t < T; t++) {
        for (let k = 0; k < K; k++) {
          expect(dem[(t * B + b) * K + k]).toBe(0);
          expect(marg[(t * B + b) * K + k]).toBe(0);
        }
        expect(vit[t * B + b]).toBe(-1);
      }
    }
    close(res.sum, sum);
    batchGrads.forEach((g, i) => expect(maxDiff(g, sumGrads[i])).toBeLessThan(1e-12));
  });
});

describe('CRF gradient check (float64)', () => {
  useFloat64();

  for (const masked of [false, true]) {
    it(`NLL w.r.t. emissions, transitions, start and end${masked ? ' with a mask' : ''} (padded batch with an empty sequence, mean reduction)`, () => {
      const K = 4, T = 6;
      const lengths = Int32Array.of(6, 3, 0, 1, 5); // with an empty sequence: the mean is over 4
      const B = lengths.length;
      const crf = randomCrf(K, masked, 31);
      const rng = new Rng(32);
      const em = randomBuf(T * B * K, rng, -2, 2);
      // gold: each sequence's Viterbi path under other random emissions (so it satisfies the mask)
      const gold = crf.viterbi(randomBuf(T * B * K, rng, -3, 3), T, B, lengths);
      const emTarget = { name: 'emissions', value: em, grad: zeros(em.length) };
      const results = gradCheck({
        targets: [emTarget, crf.transitions, crf.start, crf.end],
        loss: () => crf.nll(em, gold, T, B, lengths).loss,
        backward: () => {
          const d = crf.nll(em, gold, T, B, lengths).backward();
          for (let i = 0; i < em.length; i++) emTarget.grad[i] += d[i];
        },
      });
      for (const r of results) {
        console.log(`CRF gradcheck${masked ? ' (masked)' : ''} ${r.name}: max rel error ${r.maxError.toExponential(2)} over ${r.checked}`);
        expect(r.checked).toBeGreaterThan(0);
        expect(r.maxError).toBeLessThan(1e-6);
      }
    });
  }

  it('backward(dLoss) scales every gradient; parameter gradients accumulate', () => {
    const K = 3, T = 4, lengths = Int32Array.of(4, 2), B = 2;
    const crf = randomCrf(K, false, 41);
    const em = randomBuf(T * B * K, new Rng(42));
    const gold = Int32Array.from([0, 1, 2, 2, 1, 0, 0, 0]);
    zeroGrad(crf.params());
    const d1 = Float64Array.from(crf.nll(em, gold, T, B, lengths).backward());
    const g1 = Float64Array.from(crf.transitions.grad);
    const d2 = crf.nll(em, gold, T, B, lengths).backward(2.5);
    expect(maxDiff(d2, d1.map((x) => 2.5 * x))).toBeLessThan(1e-12);
    expect(maxDiff(crf.transitions.grad, g1.map((x) => 3.5 * x))).toBeLessThan(1e-12);
  });
});

describe('CRF stability (float64)', () => {
  useFloat64();

  /** log Z by the scaled forward algorithm in probability space (Rabiner's normalisation). */
  function scaledLogZ(crf: CRF, em: Buf, T: number): number {
    const K = crf.K, a = crf.allowed;
    const ok = (j: number, k: number) => !a || a.transitions[j][k];
    const tr = crf.transitions.value, st = crf.start.value, en = crf.end.value;
    let logZ = 0;
    let alpha = new Float64Array(K);
    for (let t = 0; t < T; t++) {
      let m = -Infinity;
      for (let k = 0; k < K; k++) m = Math.max(m, em[t * K + k]);
      const next = new Float64Array(K);
      for (let k = 0; k < K; k++) {
        let s = 0;
        if (t === 0) s = !a || a.start[k] ? Math.exp(st[k]) : 0;
        else for (let j = 0; j < K; j++) if (ok(j, k)) s += alpha[j] * Math.exp(tr[j * K + k]);
        next[k] = s * Math.exp(em[t * K + k] - m);
      }
      const c = next.reduce((x, y) => x + y, 0);
      for (let k = 0; k < K; k++) next[k] /= c;
      logZ += m + Math.log(c);
      alpha = next;
    }
    let s = 0;
    for (let k = 0; k < K; k++) if (!a || a.end[k]) s += alpha[k] * Math.exp(en[k]);
    return logZ + Math.log(s);
  }

  it('T = 500 with emissions in ±200: finite, and log Z matches the scaled forward algorithm', () => {
    const K = 4, T = 500;
    for (const masked of [false, true]) {
      const crf = randomCrf(K, masked, 51);
      const em = randomBuf(T * K, new Rng(52), -200, 200);
      const lengths = Int32Array.of(T);
      const logZ = crf.logPartition(em, T, 1, lengths)[0];
      const ref = scaledLogZ(crf, em, T);
      expect(Number.isFinite(logZ)).toBe(true);
      expect(Math.abs(logZ - ref) / Math.abs(ref)).toBeLessThan(1e-12);
      const gold = crf.viterbi(randomBuf(T * K, new Rng(53)), T, 1, lengths);
      zeroGrad(crf.params());
      const r = crf.nll(em, gold, T, 1, lengths);
      expect(Number.isFinite(r.loss) && r.loss >= 0).toBe(true);
      const d = r.backward();
      expect(allFinite(d)).toBe(true);
      for (const p of crf.params()) expect(allFinite(p.grad)).toBe(true);
      // each row of the marginals sums to 1; the best path's probability is a probability
      const m = crf.marginals(em, T, 1, lengths);
      for (let t = 0; t < T; t++) {
        let s = 0;
        for (let k = 0; k < K; k++) s += m[t * K + k];
        expect(Math.abs(s - 1)).toBeLessThan(1e-9);
      }
      const top = crf.topK(em, T, 2);
      expect(top[0].prob).toBeGreaterThan(0);
      expect(top[0].prob).toBeLessThanOrEqual(1);
      expect(top[0].score).toBeGreaterThan(top[1].score);
    }
  });
});

describe('CRF extreme scores (float64)', () => {
  useFloat64();

  /** Plain log-space forward–backward, every sum shifted by its own maximum: log Z, P(y_t), Σ_t P(y_{t−1}, y_t). */
  function reference(crf: CRF, em: Buf, T: number) {
    const K = crf.K, a = crf.allowed;
    const tr = (j: number, k: number) => (!a || a.transitions[j][k] ? crf.transitions.value[j * K + k] : -Infinity);
    const st = (k: number) => (!a || a.start[k] ? crf.start.value[k] : -Infinity);
    const en = (k: number) => (!a || a.end[k] ? crf.end.value[k] : -Infinity);
    const al = Array.from({ length: T }, () => new Array<number>(K).fill(-Infinity));
    const be = Array.from({ length: T }, () => new Array<number>(K).fill(-Infinity));
    for (let k = 0; k < K; k++) al[0][k] = st(k) + em[k];
    for (let t = 1; t < T; t++) for (let k = 0; k < K; k++) al[t][k] = lse(al[t - 1].map((x, j) => x + tr(j, k))) + em[t * K + k];
    for (let k = 0; k < K; k++) be[T - 1][k] = en(k);
    for (let t = T - 2; t >= 0; t--) for (let j = 0; j < K; j++) be[t][j] = lse(be[t + 1].map((x, k) => tr(j, k) + em[(t + 1) * K + k] + x));
    const logZ = lse(al[T - 1].map((x, k) => x + en(k)));
    const marg = new Float64Array(T * K), pairs = new Float64Array(K * K);
    for (let t = 0; t < T; t++) for (let k = 0; k < K; k++) marg[t * K + k] = Math.exp(al[t][k] + be[t][k] - logZ);
    for (let t = 1; t < T; t++) {
      for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) pairs[j * K + k] += Math.exp(al[t - 1][j] + tr(j, k) + em[t * K + k] + be[t][k] - logZ);
    }
    return { logZ, marg, pairs };
  }

  for (const range of [200, 2000]) {
    it(`T = 300, K = 4, masked, emissions in ±${range}: matches a plain log-space forward–backward`, () => {
      const K = 4, T = 300;
      const crf = randomCrf(K, true, 55);
      const em = randomBuf(T * K, new Rng(56), -range, range);
      const lengths = Int32Array.of(T);
      const ref = reference(crf, em, T);
      const logZ = crf.logPartition(em, T, 1, lengths)[0];
      expect(Math.abs(logZ - ref.logZ) / Math.abs(ref.logZ)).toBeLessThan(1e-13);
      expect(maxDiff(crf.marginals(em, T, 1, lengths), ref.marg)).toBeLessThan(1e-9);
      // pair marginals through the transition gradient: Σ ξ − gold counts
      const gold = crf.viterbi(em, T, 1, lengths);
      zeroGrad(crf.params());
      crf.nll(em, gold, T, 1, lengths, 'sum').backward();
      const want = Float64Array.from(ref.pairs);
      for (let t = 1; t < T; t++) want[gold[t - 1] * K + gold[t]] -= 1;
      expect(maxDiff(crf.transitions.grad, want)).toBeLessThan(1e-9);
    });
  }
});

describe('CRF (float32)', () => {
  it('T = 1000, emissions in ±50: NLL and gradients finite, marginals normalised', () => {
    expect(getDType()).toBe('float32');
    const K = 17, T = 1000;
    const crf = new CRF('t.crf', K, new Rng(61));
    const em = randomBuf(T * K, new Rng(62), -50, 50);
    expect(em).toBeInstanceOf(Float32Array);
    const lengths = Int32Array.of(T);
    const gold = crf.viterbi(randomBuf(T * K, new Rng(63)), T, 1, lengths);
    const r = crf.nll(em, gold, T, 1, lengths);
    expect(Number.isFinite(r.loss)).toBe(true);
    const d = r.backward();
    let rowSum = 0;
    for (let k = 0; k < K; k++) rowSum += d[500 * K + k];
    expect(Math.abs(rowSum)).toBeLessThan(1e-5); // Σ_k (p − gold) = 0
    expect(allFinite(d)).toBe(true);
    for (const p of crf.params()) expect(allFinite(p.grad)).toBe(true);
  });

  it('config round trip keeps the mask; forbidden transitions never decoded', () => {
    const K = 4;
    const crf = randomCrf(K, true, 71);
    // make the forbidden O → I-X (0 → 2) transition hugely attractive: it must still never appear
    crf.transitions.value[0 * K + 2] = 1e6;
    crf.start.value[2] = 1e6;
    const json = JSON.parse(JSON.stringify(crf.getConfig()));
    expect(json.type).toBe('CRF.v1');
    const copy = CRF.fromConfig(json, new Rng(1));
    expect(copy.allowed).toEqual(crf.allowed);
    crf.params().forEach((p, i) => copy.params()[i].value.set(p.value));
    const T = 6, B = 3, lengths = Int32Array.of(6, 4, 1);
    const em = randomBuf(T * B * K, new Rng(72), -1, 1);
    for (let r = 0; r < T * B; r++) em[r * K + 2] += 5; // I-X looks best on every token
    const v = crf.viterbi(em, T, B, lengths);
    expect(Array.from(copy.viterbi(em, T, B, lengths))).toEqual(Array.from(v));
    for (let b = 0; b < B; b++) {
      expect(v[b]).not.toBe(2);
      for (let t = 1; t < lengths[b]; t++) expect(crf.isAllowed(v[(t - 1) * B + b], v[t * B + b])).toBe(true);
    }
    const gold = v;
    expect(copy.nll(em, gold, T, B, lengths).loss).toBeCloseTo(crf.nll(em, gold, T, B, lengths).loss, 4);
    expect(new CRF('free', 3, new Rng(1)).getConfig().allowed).toBeNull();
  });

  it('errors: a gold path through a forbidden transition, stale backward, bad shapes', () => {
    const K = 3;
    const crf = randomCrf(K, true, 81);
    const em = randomBuf(3 * K, new Rng(82));
    const one = Int32Array.of(3);
    expect(() => crf.nll(em, Int32Array.of(0, 2, 2), 3, 1, one)).toThrow(/transition 0 → 2 at step 1.*forbids/);
    expect(() => crf.nll(em, Int32Array.of(2, 2, 2), 3, 1, one)).toThrow(/starts with tag 2/);
    expect(() => crf.nll(em, Int32Array.of(0, 5, 0), 3, 1, one)).toThrow(/tag id 5/);
    const r = crf.nll(em, Int32Array.of(0, 1, 2), 3, 1, one);
    crf.nll(em, Int32Array.of(0, 0, 0), 3, 1, one);
    expect(() => r.backward()).toThrow(/backward called after a later forward/);
    expect(() => crf.viterbi(em, 4, 1, Int32Array.of(4))).toThrow(/emissions have 9 elements/);
    expect(() => crf.viterbi(em, 3, 1, Int32Array.of(4))).toThrow(/length 4 of sequence 0/);
    expect(() => new CRF('x', 2, new Rng(1), { allowed: { transitions: [[true]], start: [true, true], end: [true, true] } })).toThrow(/transitions/);
    const lat = crf.lattice(em, 3);
    expect(() => lat.sequenceProbability(1, 1, [])).toThrow(/span/);
    expect(() => lat.sequenceProbability(0, 2, [0])).toThrow(/1 tags for a span of 2/);
    // a mask with no path of odd length: alternation that must start and end with tag 0
    const alt = new CRF('alt', 2, new Rng(1), { allowed: { transitions: [[false, true], [true, false]], start: [true, false], end: [true, false] } });
    expect(() => alt.viterbi(zeros(2 * 2), 2, 1, Int32Array.of(2))).toThrow(/no tag sequence of length 2/);
    expect(Array.from(alt.viterbi(zeros(3 * 2), 3, 1, Int32Array.of(3)))).toEqual([0, 1, 0]);
  });
});

describe('CRF learning', () => {
  it('learns a cyclic tag order from weak emissions with Adam; Viterbi then recovers gold', () => {
    // Tags cycle 0 → 1 → 2 → 0 from a random first tag. Emissions are fixed: the gold tag gets +1
    // over unit Gaussian noise, so per-token argmax is often wrong; only transitions can fix it.
    const K = 3, T = 20, B = 32;
    const rng = new Rng(91);
    const lengths = Int32Array.from({ length: B }, () => 12 + rng.int(T - 12 + 1));
    const gold = new Int32Array(T * B);
    const em = zeros(T * B * K);
    for (let b = 0; b < B; b++) {
      let y = rng.int(K);
      for (let t = 0; t < lengths[b]; t++) {
        gold[t * B + b] = y;
        for (let k = 0; k < K; k++) em[(t * B + b) * K + k] = rng.normal() + (k === y ? 1 : 0);
        y = (y + 1) % K;
      }
    }
    const accuracy = (tags: Int32Array) => {
      let ok = 0, n = 0;
      for (let b = 0; b < B; b++) for (let t = 0; t < lengths[b]; t++, n++) if (tags[t * B + b] === gold[t * B + b]) ok++;
      return ok / n;
    };
    const argmax = new Int32Array(T * B);
    for (let r = 0; r < T * B; r++) {
      let best = 0;
      for (let k = 1; k < K; k++) if (em[r * K + k] > em[r * K + best]) best = k;
      argmax[r] = best;
    }

    const crf = new CRF('t.crf', K, new Rng(92));
    const opt = new Adam(crf.params(), { lr: 0.1 });
    const before = crf.nll(em, gold, T, B, lengths).loss;
    const accBefore = accuracy(crf.viterbi(em, T, B, lengths));
    let loss = before;
    for (let step = 0; step < 150; step++) {
      zeroGrad(crf.params());
      const r = crf.nll(em, gold, T, B, lengths);
      loss = r.loss;
      r.backward();
      opt.step();
    }
    const after = crf.viterbi(em, T, B, lengths);
    expect(loss).toBeLessThan(before / 4);
    expect(accuracy(argmax)).toBeLessThan(0.85);
    expect(accuracy(after)).toBe(1);
    // the learned transitions: the cycle's steps score above every other transition
    const tr = crf.transitions.value;
    for (let j = 0; j < K; j++) for (let k = 0; k < K; k++) if (k !== (j + 1) % K) expect(tr[j * K + (j + 1) % K]).toBeGreaterThan(tr[j * K + k] + 1);
  });
});
