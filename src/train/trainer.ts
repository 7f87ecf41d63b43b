/**
 * The one training loop, shared by the tagger and the language model.
 *
 * A model plugs in as a `TrainTask`: its parameters, how to turn example indices into a batch,
 * a forward+backward step that accumulates gradients and returns the summed loss, a dev
 * evaluation and a way to save itself. The loop owns everything else: epochs, bucketed
 * batches, gradient clipping, optimizer steps, learning-rate schedule, early stopping on the
 * dev score, checkpoints with exact resume, progress, the per-epoch log, Ctrl-C.
 *
 * Exact resume: a checkpoint holds the parameters, the optimizer state, the task's own state
 * (e.g. its dropout Rng), the loop's Rng state at the start of the current epoch and the number
 * of batches already done in it. Resuming regenerates the same batch order, skips the done
 * batches and continues, so an interrupted run ends with the same model as an uninterrupted one.
 */
import { existsSync, mkdirSync, appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Rng, type Buf, allFinite, type RngState } from '../tensor/index.js';
import type { Param } from '../nn/param.js';
import { bucketedBatches } from './batching.js';
import { ProgressBar } from './progress.js';
import { UserError } from '../errors.js';
import { saveCheckpoint, loadCheckpoint, type CheckpointData } from './checkpoint.js';

export interface EvalSummary {
  /** The number early stopping maximises (e.g. dev span F1 in [0, 1]). */
  score: number;
  /** Anything worth logging (precision, recall, perplexity, …). */
  metrics: Record<string, number>;
}

export interface TrainTask<Batch> {
  params(): Param[];
  /** Size (tokens) of every training example, for bucketing and tokens/s. */
  exampleSizes(): readonly number[];
  makeBatch(indices: number[]): Batch;
  /** Forward + backward in training mode; accumulates into param.grad. */
  trainBatch(batch: Batch): { loss: number; count: number };
  /** Dev evaluation (inference mode). */
  evaluate(): Promise<EvalSummary>;
  /** Writes the model (atomically) into `dir`; called when the dev score improves. */
  saveModel(dir: string, run: RunRecord): Promise<void>;
  /** The task's own mutable state beyond its parameters (e.g. dropout Rng). */
  getState(): unknown;
  setState(state: unknown): void;
}

/** What an optimizer must offer the loop. */
export interface OptimizerLike {
  /** Applies one update from the accumulated gradients (does not zero them). */
  step(): void;
  /** Current learning rate (the loop sets it from the schedule each epoch). */
  lr: number;
  getState(): { json: unknown; buffers: Record<string, Buf> };
  setState(state: { json: unknown; buffers: Record<string, Buf> }): void;
}

export interface TrainOptions {
  outDir: string;
  epochs: number;
  batchSize: number;
  /** Stop after this many epochs without dev improvement (0 = never stop early). */
  patience: number;
  seed: number;
  /** Global gradient-norm clip (0 = off). */
  clipNorm: number;
  /** Element-wise gradient clip (0 = off). */
  clipValue?: number;
  optimizer: OptimizerLike;
  /** Learning rate for an epoch (0-based). */
  schedule: (epoch: number) => number;
  zeroGrad: (params: Param[]) => void;
  clipGlobalNorm: (params: Param[], maxNorm: number) => number;
  clipByValue?: (params: Param[], v: number) => void;
  /** Save a checkpoint every this many seconds within an epoch (and always at epoch end). */
  checkpointSeconds?: number;
  resume?: boolean;
  /** Extra JSON stored with every checkpoint and the run record (the options, data checksums). */
  config: Record<string, unknown>;
  progress?: boolean;
  log?: (line: string) => void;
  /** Install SIGINT/SIGTERM handlers that checkpoint and stop cleanly (default true). */
  handleSignals?: boolean;
  /** Polled after every batch: true checkpoints and stops as an interrupt does (time budgets, tests). */
  shouldStop?: () => boolean;
  /**
   * The batches of one epoch (lists of example indices), deterministic given the epoch Rng so a
   * resumed run regenerates them. Default `bucketedBatches` (shuffled); the language model passes
   * its segments in order, since its hidden state is carried from one batch to the next.
   */
  batches?: (sizes: readonly number[], batchSize: number, epochRng: Rng) => number[][];
}

export interface EpochRecord {
  epoch: number;
  lr: number;
  train_loss: number;
  tokens: number;
  tokens_per_s: number;
  seconds: number;
  grad_norm_mean: number;
  dev_score: number;
  best: boolean;
  [metric: string]: number | boolean;
}

export interface RunRecord {
  config: Record<string, unknown>;
  epochs: EpochRecord[];
  bestEpoch: number;
  bestScore: number;
  stoppedBy: 'epochs' | 'patience' | 'interrupt' | 'nonfinite';
  trainSeconds: number;
}

export class NonFiniteError extends UserError {}

interface LoopState {
  epoch: number;
  stepInEpoch: number;
  epochRng: RngState;
  lossSum: number;
  lossCount: number;
  tokens: number;
  gradNormSum: number;
  epochSeconds: number;
  bestScore: number;
  bestEpoch: number;
  badEpochs: number;
  history: EpochRecord[];
  trainSeconds: number;
}

export const LOG_FILE = 'train-log.jsonl';
export const CHECKPOINT_DIR = 'checkpoint';

/** Runs training to completion (or early stop / interrupt) and returns the run record. */
export async function train<B>(task: TrainTask<B>, o: TrainOptions): Promise<RunRecord> {
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  mkdirSync(o.outDir, { recursive: true });
  const ckptDir = path.join(o.outDir, CHECKPOINT_DIR);
  const logPath = path.join(o.outDir, LOG_FILE);
  const params = task.params();
  const rng = new Rng(o.seed);
  let st: LoopState = {
    epoch: 0, stepInEpoch: 0, epochRng: rng.getState(), lossSum: 0, lossCount: 0, tokens: 0,
    gradNormSum: 0, epochSeconds: 0, bestScore: -Infinity, bestEpoch: -1, badEpochs: 0, history: [],
    trainSeconds: 0,
  };

  if (o.resume) {
    if (!existsSync(ckptDir)) throw new UserError(`${o.outDir}: nothing to resume (no ${CHECKPOINT_DIR}/ there)`);
    const ck = loadCheckpoint(ckptDir, params);
    o.optimizer.setState(ck.optimizer);
    task.setState(ck.task);
    st = ck.loop as LoopState;
    if (st.bestScore === null) st.bestScore = -Infinity; // JSON has no -Infinity
    log(`resuming from epoch ${st.epoch + 1}, batch ${st.stepInEpoch}`);
  } else {
    writeFileSync(logPath, ''); // a fresh run starts a fresh log
  }

  let interrupted = false;
  const YIELD_MS = 250;
  const onSignal = (): void => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log('\ninterrupted: saving a checkpoint, then stopping (press Ctrl-C again to abort at once)');
  };
  const handle = o.handleSignals !== false;
  if (handle) {
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  }

  const checkpoint = (): void => {
    const data: CheckpointData = {
      loop: st, task: task.getState(), optimizer: o.optimizer.getState(), config: o.config,
    };
    saveCheckpoint(ckptDir, params, data);
  };

  // What a divergence leaves behind: the last checkpoint, if one was written.
  const kept = (): string => existsSync(path.join(ckptDir, 'checkpoint.json'))
    ? `the last good checkpoint is kept in ${ckptDir}`
    : 'no checkpoint was written yet, so there is nothing to resume';

  const record = (stoppedBy: RunRecord['stoppedBy']): RunRecord => ({
    config: o.config, epochs: st.history, bestEpoch: st.bestEpoch, bestScore: st.bestScore, stoppedBy,
    trainSeconds: st.trainSeconds,
  });

  try {
    const sizes = task.exampleSizes();
    while (st.epoch < o.epochs) {
      const epochRng = new Rng(0);
      epochRng.setState(st.epochRng);
      const batches = (o.batches ?? bucketedBatches)(sizes, o.batchSize, epochRng);
      o.optimizer.lr = o.schedule(st.epoch);
      const bar = new ProgressBar({ label: `epoch ${st.epoch + 1}/${o.epochs}`, total: batches.length, enabled: o.progress !== false });
      let segStart = performance.now();
      let lastCkpt = Date.now();
      let lastYield = Date.now();
      for (let bi = st.stepInEpoch; bi < batches.length; bi++) {
        // Let the event loop turn a few times a second, so that Ctrl-C (SIGINT/SIGTERM handlers)
        // is seen within a batch or so rather than at the end of the epoch.
        if (handle && Date.now() - lastYield > YIELD_MS) {
          await new Promise<void>((resolve) => setImmediate(resolve));
          lastYield = Date.now();
        }
        const batch = task.makeBatch(batches[bi]);
        o.zeroGrad(params);
        const { loss, count } = task.trainBatch(batch);
        if (!Number.isFinite(loss)) {
          throw new NonFiniteError(`training diverged: loss is ${loss} at epoch ${st.epoch + 1}, batch ${bi + 1}; ${kept()} (try a lower --lr or --clip-norm)`);
        }
        const norm = o.clipNorm > 0 ? o.clipGlobalNorm(params, o.clipNorm) : o.clipGlobalNorm(params, Infinity);
        if (!Number.isFinite(norm)) {
          const bad = params.find((p) => !allFinite(p.grad));
          throw new NonFiniteError(`training diverged: non-finite gradient${bad ? ` in ${bad.name}` : ''} at epoch ${st.epoch + 1}, batch ${bi + 1}; ${kept()}`);
        }
        if (o.clipValue && o.clipByValue) o.clipByValue(params, o.clipValue);
        o.optimizer.step();
        st.lossSum += loss;
        st.lossCount += count;
        st.tokens += count;
        st.gradNormSum += norm;
        st.stepInEpoch = bi + 1;
        const now = performance.now();
        const secs = st.epochSeconds + (now - segStart) / 1000;
        bar.update(bi + 1, { loss: st.lossSum / Math.max(1, st.lossCount), 'tok/s': Math.round(st.tokens / Math.max(1e-9, secs)) });
        if (o.shouldStop?.()) interrupted = true;
        if (interrupted || (o.checkpointSeconds && Date.now() - lastCkpt > o.checkpointSeconds * 1000)) {
          st.epochSeconds += (now - segStart) / 1000;
          st.trainSeconds += (now - segStart) / 1000;
          segStart = now;
          checkpoint();
          lastCkpt = Date.now();
          if (interrupted) {
            bar.finish();
            log(`checkpoint saved in ${ckptDir}; continue with --resume`);
            return record('interrupt');
          }
        }
      }
      bar.finish();
      const segSecs = (performance.now() - segStart) / 1000;
      st.epochSeconds += segSecs;
      st.trainSeconds += segSecs;

      const ev = await task.evaluate();
      const improved = ev.score > st.bestScore;
      const rec: EpochRecord = {
        epoch: st.epoch + 1, lr: o.optimizer.lr, train_loss: st.lossSum / Math.max(1, st.lossCount),
        tokens: st.tokens, tokens_per_s: st.tokens / Math.max(1e-9, st.epochSeconds), seconds: st.epochSeconds,
        grad_norm_mean: st.gradNormSum / Math.max(1, batches.length), dev_score: ev.score, best: improved,
        ...prefixed(ev.metrics),
      };
      st.history.push(rec);
      appendFileSync(logPath, JSON.stringify(rec) + '\n');
      log(`epoch ${rec.epoch}: loss ${rec.train_loss.toFixed(4)}  ${Math.round(rec.tokens_per_s)} tok/s  dev ${describe(ev)}${improved ? '  (best so far: saved)' : ''}`);
      if (improved) {
        st.bestScore = ev.score;
        st.bestEpoch = st.epoch + 1;
        st.badEpochs = 0;
      } else st.badEpochs++;

      // Next epoch's state; the epoch Rng continues from where batching left it.
      st.epoch++;
      st.stepInEpoch = 0;
      st.epochRng = epochRng.getState();
      st.lossSum = st.lossCount = st.tokens = st.gradNormSum = st.epochSeconds = 0;
      if (improved) await task.saveModel(o.outDir, record('epochs'));
      checkpoint();
      if (o.patience > 0 && st.badEpochs >= o.patience) {
        log(`no dev improvement for ${o.patience} epochs: stopping (best epoch ${st.bestEpoch})`);
        return record('patience');
      }
      if (interrupted) return record('interrupt');
    }
    return record('epochs');
  } finally {
    if (handle) {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
  }
}

function prefixed(m: Record<string, number>): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(m)) out[`dev_${k}`] = v;
  return out;
}

function describe(ev: EvalSummary): string {
  // Fractions (precision, recall, F1, accuracy) print as percentages; other metrics as they are.
  const fraction = /^(precision|recall|f1|accuracy)$/;
  const parts = Object.entries(ev.metrics).map(([k, v]) => `${k} ${fraction.test(k) ? (100 * v).toFixed(2) : v.toFixed(3)}`);
  return parts.length ? parts.join('  ') : ev.score.toFixed(4);
}
