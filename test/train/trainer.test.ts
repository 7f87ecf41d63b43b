import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { train, type TrainTask, type OptimizerLike, type TrainOptions } from '../../src/train/trainer.js';
import { makeParam, type Param } from '../../src/nn/param.js';
import { Rng, zeros, type Buf } from '../../src/tensor/index.js';

/**
 * A toy task: logistic regression on fixed random data, with a "dropout" Rng in the task state
 * so exact resume must restore it too.
 */
class ToyTask implements TrainTask<number[]> {
  readonly w: Param = makeParam('toy.w', [4]);
  readonly rng = new Rng(3);
  readonly xs: number[][] = [];
  readonly ys: number[] = [];
  saved = 0;
  constructor() {
    const r = new Rng(9);
    for (let i = 0; i < 40; i++) {
      const x = [r.normal(), r.normal(), r.normal(), 1];
      this.xs.push(x);
      this.ys.push(x[0] - 0.5 * x[1] > 0 ? 1 : 0);
    }
  }
  params() { return [this.w]; }
  exampleSizes() { return this.xs.map((_, i) => 1 + (i % 3)); }
  makeBatch(idx: number[]) { return idx; }
  trainBatch(idx: number[]) {
    let loss = 0;
    for (const i of idx) {
      const keep = this.rng.float() > 0.1 ? 1 : 0; // random noise that must replay on resume
      let z = 0;
      for (let k = 0; k < 4; k++) z += this.w.value[k] * this.xs[i][k] * (k === 2 ? keep : 1);
      const p = 1 / (1 + Math.exp(-z));
      loss += -(this.ys[i] ? Math.log(p) : Math.log(1 - p));
      for (let k = 0; k < 4; k++) this.w.grad[k] += (p - this.ys[i]) * this.xs[i][k] * (k === 2 ? keep : 1);
    }
    return { loss, count: idx.length };
  }
  async evaluate() {
    let correct = 0;
    this.xs.forEach((x, i) => {
      let z = 0;
      for (let k = 0; k < 4; k++) z += this.w.value[k] * x[k];
      if ((z > 0 ? 1 : 0) === this.ys[i]) correct++;
    });
    return { score: correct / this.xs.length, metrics: { accuracy: correct / this.xs.length } };
  }
  async saveModel() { this.saved++; }
  getState() { return this.rng.getState(); }
  setState(s: unknown) { this.rng.setState(s as ReturnType<Rng['getState']>); }
}

class Momentum implements OptimizerLike {
  lr = 0.1;
  v: Buf;
  constructor(private readonly p: Param) { this.v = zeros(p.value.length); }
  step() {
    for (let i = 0; i < this.v.length; i++) {
      this.v[i] = 0.9 * this.v[i] + this.p.grad[i];
      this.p.value[i] -= this.lr * this.v[i];
    }
  }
  getState() { return { json: { lr: this.lr }, buffers: { v: this.v } }; }
  setState(s: { json: unknown; buffers: Record<string, Buf> }) { this.v.set(s.buffers.v); }
}

function options(task: ToyTask, outDir: string, extra: Partial<TrainOptions> = {}): TrainOptions {
  return {
    outDir, epochs: 4, batchSize: 4, patience: 0, seed: 5, clipNorm: 1, optimizer: new Momentum(task.w),
    schedule: (e) => 0.1 / (1 + 0.5 * e), config: { toy: true }, progress: false, log: () => {},
    handleSignals: false,
    zeroGrad: (ps) => ps.forEach((p) => p.grad.fill(0)),
    clipGlobalNorm: (ps, max) => {
      let s = 0;
      for (const p of ps) for (const g of p.grad) s += g * g;
      const n = Math.sqrt(s);
      if (n > max) for (const p of ps) for (let i = 0; i < p.grad.length; i++) p.grad[i] *= max / n;
      return n;
    },
    ...extra,
  };
}

describe('train()', () => {
  it('learns, logs every epoch and saves the best model', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-train-'));
    try {
      const task = new ToyTask();
      const run = await train(task, options(task, dir));
      expect(run.epochs).toHaveLength(4);
      expect(run.bestScore).toBeGreaterThan(0.85);
      expect(task.saved).toBeGreaterThan(0);
      const lines = readFileSync(path.join(dir, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
      expect(lines.map((l) => l.epoch)).toEqual([1, 2, 3, 4]);
      expect(lines[0]).toHaveProperty('dev_accuracy');
      expect(existsSync(path.join(dir, 'checkpoint', 'checkpoint.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('resumes exactly: an interrupted run continued with resume equals an uninterrupted run, bit for bit', async () => {
    const dirA = mkdtempSync(path.join(tmpdir(), 'ner-train-'));
    const dirB = mkdtempSync(path.join(tmpdir(), 'ner-train-'));
    try {
      const a = new ToyTask();
      const runA = await train(a, options(a, dirA));

      // Stop in the middle of epoch 2 (step 13 of 10 per epoch), then resume in fresh objects.
      const b1 = new ToyTask();
      let steps = 0;
      const r1 = await train(b1, options(b1, dirB, { shouldStop: () => ++steps === 13 }));
      expect(r1.stoppedBy).toBe('interrupt');
      const b2 = new ToyTask();
      b2.w.value.fill(123); // garbage that resume must overwrite
      const runB = await train(b2, options(b2, dirB, { resume: true }));

      expect(Array.from(b2.w.value)).toEqual(Array.from(a.w.value));
      expect(runB.epochs.map((e) => e.train_loss)).toEqual(runA.epochs.map((e) => e.train_loss));
      expect(runB.bestScore).toBe(runA.bestScore);
    } finally {
      rmSync(dirA, { recursive: true, force: true });
      rmSync(dirB, { recursive: true, force: true });
    }
  });

  it('stops early after `patience` epochs without improvement', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-train-'));
    try {
      const task = new ToyTask();
      const run = await train(task, options(task, dir, { epochs: 50, patience: 2 }));
      expect(run.stoppedBy).toBe('patience');
      expect(run.epochs.length).toBeLessThan(50);
      expect(run.epochs.length - run.bestEpoch).toBe(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops with a clear error on a non-finite loss, keeping the last checkpoint', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'ner-train-'));
    try {
      const task = new ToyTask();
      let n = 0;
      const orig = task.trainBatch.bind(task);
      task.trainBatch = (idx) => (++n === 15 ? { loss: NaN, count: 1 } : orig(idx));
      await expect(train(task, options(task, dir))).rejects.toThrow(/diverged: loss is NaN at epoch 2, batch 5/);
      expect(existsSync(path.join(dir, 'checkpoint', 'checkpoint.json'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
