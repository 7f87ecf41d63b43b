/**
 * Learning-rate schedules. A schedule maps the 0-based epoch number to the learning rate of that
 * epoch (the training loop sets `optimizer.lr = schedule(epoch)` at the start of each epoch).
 */

/** lr(epoch) for a 0-based epoch. */
export type Schedule = (epoch: number) => number;

/** lr(e) = lr. */
export function constantLr(lr: number): Schedule {
  return () => lr;
}

/**
 * Inverse-time decay, lr(e) = lr / (1 + decay·e): the schedule of Ma & Hovy (2016) and NCRF++
 * (SGD, lr 0.015, decay 0.05). lr(0) = lr.
 */
export function inverseTimeDecay(lr: number, decay: number): Schedule {
  return (e) => lr / (1 + decay * e);
}

/** Exponential decay, lr(e) = lr · γ^e. */
export function exponentialDecay(lr: number, gamma: number): Schedule {
  return (e) => lr * Math.pow(gamma, e);
}

/** Step decay, lr(e) = lr · γ^⌊e / stepSize⌋ (multiplied by γ every stepSize epochs). */
export function stepDecay(lr: number, stepSize: number, gamma: number): Schedule {
  if (!(Number.isInteger(stepSize) && stepSize > 0)) throw new RangeError(`stepDecay: stepSize must be a positive integer, got ${stepSize}`);
  return (e) => lr * Math.pow(gamma, Math.floor(e / stepSize));
}

export interface ReduceOnPlateauOptions {
  /** Initial learning rate. */
  lr: number;
  /** Multiplier applied on a plateau. Default 0.5. */
  factor?: number;
  /** Epochs without improvement tolerated before reducing. Default 2. */
  patience?: number;
  /** `max` (default): higher metric is better (dev F1); `min`: lower is better (loss). */
  mode?: 'max' | 'min';
  /** Improvement must exceed this (absolute) to count. Default 0. */
  threshold?: number;
  /** Lower bound of the learning rate. Default 0. */
  minLr?: number;
}

export interface ReduceOnPlateauState {
  lr: number;
  best: number | null;
  bad: number;
}

/**
 * Reduce-on-plateau helper: call `observe(metric)` once per epoch with the dev metric; after more
 * than `patience` consecutive epochs without an improvement (beyond `threshold`) the learning rate
 * is multiplied by `factor` (not below `minLr`) and the count restarts. Use it as a schedule with
 * `() => plateau.lr`. Its state is JSON (save it with the checkpoint).
 */
export class ReduceOnPlateau {
  lr: number;
  readonly factor: number;
  readonly patience: number;
  readonly mode: 'max' | 'min';
  readonly threshold: number;
  readonly minLr: number;
  private best: number | null = null;
  private bad = 0;

  constructor(o: ReduceOnPlateauOptions) {
    this.lr = o.lr;
    this.factor = o.factor ?? 0.5;
    this.patience = o.patience ?? 2;
    this.mode = o.mode ?? 'max';
    this.threshold = o.threshold ?? 0;
    this.minLr = o.minLr ?? 0;
    if (!(this.factor > 0 && this.factor < 1)) throw new RangeError(`ReduceOnPlateau: factor must be in (0, 1), got ${this.factor}`);
  }

  /** Records this epoch's metric; returns the learning rate for the next epoch. */
  observe(metric: number): number {
    const better = this.best === null ||
      (this.mode === 'max' ? metric > this.best + this.threshold : metric < this.best - this.threshold);
    if (better) {
      this.best = metric;
      this.bad = 0;
    } else if (++this.bad > this.patience) {
      this.lr = Math.max(this.minLr, this.lr * this.factor);
      this.bad = 0;
    }
    return this.lr;
  }

  getState(): ReduceOnPlateauState {
    return { lr: this.lr, best: this.best, bad: this.bad };
  }

  setState(s: ReduceOnPlateauState): void {
    this.lr = s.lr;
    this.best = s.best;
    this.bad = s.bad;
  }
}
