/**
 * Training a language model with the shared loop (src/train/trainer.ts).
 *
 * The training text becomes one id stream, cut at line starts into B parallel streams processed
 * in segments of `bptt` steps (src/lm/stream.ts). The loop's "examples" are the segment indices and its batches
 * are single segments IN ORDER (the `batches` hook): the hidden state is carried from each segment
 * to the next (and reset when a pass starts), while the gradient is truncated at the segment's
 * start. An epoch is one pass over the training stream; after it the dev perplexity is measured,
 * and early stopping keeps the model with the lowest dev loss. The carried state is part of the
 * task state in checkpoints, so `resume` continues exactly.
 */
import type { RngState } from '../tensor/index.js';
import { optim, type StorageDType } from '../nn/index.js';
import { train, type RunRecord, type TrainTask } from '../train/trainer.js';
import { UserError } from '../errors.js';
import { LanguageModel, DEFAULT_LM_ARCHITECTURE, stateToJson, stateFromJson, type LmArchitecture } from './model.js';
import { StreamBatches, orderedBatches, type LmBatch } from './stream.js';
import { streamLoss } from './evaluate.js';
import { buildVocab, type LmLevel, type LmVocab } from './vocab.js';
import { saveLanguageModel } from './store.js';

export interface TrainLmOptions {
  /** Training text. */
  text: string;
  /** Dev text (perplexity per epoch, early stopping). Default: the last `devFraction` of the lines of `text`, held out. */
  dev?: string;
  outDir: string;
  level?: LmLevel;
  arch?: Partial<LmArchitecture>;
  /** Symbols seen fewer times in training become `<unk>`. */
  minCount?: number;
  /** Truncation length: steps per segment. */
  bptt?: number;
  /** B: parallel streams per batch. */
  batchSize?: number;
  /** Parallel streams for the dev evaluation. */
  evalBatchSize?: number;
  epochs?: number;
  /** Stop after this many epochs without dev improvement (0 = never). */
  patience?: number;
  optimizer?: 'adam' | 'sgd';
  lr?: number;
  /** Inverse-time decay per epoch: lr / (1 + decay·epoch). */
  lrDecay?: number;
  momentum?: number;
  /** Global gradient-norm clip (0 = off). */
  clipNorm?: number;
  seed?: number;
  /** Fraction of the lines held out as dev text when `dev` is not given. */
  devFraction?: number;
  dtype?: StorageDType;
  resume?: boolean;
  checkpointSeconds?: number;
  progress?: boolean;
  log?: (line: string) => void;
  /** Stored in the model's training record (e.g. data file names and checksums). */
  record?: Record<string, unknown>;
  shouldStop?: () => boolean;
}

export const TRAIN_LM_DEFAULTS = {
  level: 'char' as LmLevel, minCount: 1, bptt: 64, batchSize: 32, evalBatchSize: 8, epochs: 20, patience: 3,
  optimizer: 'adam' as 'adam' | 'sgd', lr: 0.002, lrDecay: 0, momentum: 0.9, clipNorm: 5, seed: 1, devFraction: 0.1,
  dtype: 'float32' as StorageDType,
};

/** Splits off the last `fraction` of the lines (at least one) as dev text. */
export function holdOut(text: string, fraction: number): { train: string; dev: string } {
  const lines = text.replace(/\r\n?/g, '\n').replace(/\n$/, '').split('\n');
  const nDev = Math.max(1, Math.round(lines.length * fraction));
  if (lines.length - nDev < 1 || lines.length < 10) {
    throw new UserError(`the training text has ${lines.length} line(s): too few to hold out dev text; give a dev text (--dev)`);
  }
  return { train: lines.slice(0, -nDev).join('\n') + '\n', dev: lines.slice(-nDev).join('\n') + '\n' };
}

/** Dev metrics of a mean loss: perplexity, and bits per character at char level. */
function devMetrics(loss: number, level: LmLevel): Record<string, number> {
  return level === 'char' ? { ppl: Math.exp(loss), bpc: loss / Math.LN2 } : { ppl: Math.exp(loss) };
}

/**
 * Trains a language model; the best model on the dev text is saved in `outDir`.
 * @returns the run record (dev_score = −dev loss in nats per symbol; dev_ppl, dev_bpc per epoch)
 */
export async function trainLanguageModel(opts: TrainLmOptions): Promise<RunRecord & { vocab: LmVocab }> {
  const o = { ...TRAIN_LM_DEFAULTS, ...opts };
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  for (const [k, v] of [['bptt', o.bptt], ['batchSize', o.batchSize], ['evalBatchSize', o.evalBatchSize], ['epochs', o.epochs]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new UserError(`${k} must be a positive integer, got ${v}`);
  }
  if (!(o.lr > 0)) throw new UserError(`lr must be positive, got ${o.lr}`);
  if (!(o.clipNorm >= 0)) throw new UserError(`clip-norm must be ≥ 0, got ${o.clipNorm}`);
  const arch: LmArchitecture = { ...DEFAULT_LM_ARCHITECTURE, ...o.arch };
  if (!(arch.dropout >= 0 && arch.dropout < 1)) throw new UserError(`dropout must be in [0, 1), got ${arch.dropout}`);
  for (const [k, v] of [['layers', arch.layers], ['hidden', arch.hidden], ['emb-dim', arch.embDim]] as const) {
    if (!(Number.isInteger(v) && v > 0)) throw new UserError(`${k} must be a positive integer, got ${v}`);
  }
  let trainText = o.text, devText = o.dev;
  if (devText === undefined) {
    ({ train: trainText, dev: devText } = holdOut(o.text, o.devFraction));
    log(`dev text: the last ${Math.round(100 * o.devFraction)}% of the lines held out`);
  }
  const vocab = buildVocab(trainText, o.level, o.minCount);
  const model = new LanguageModel(arch, vocab, o.seed);
  const trainIds = model.table.encode(trainText).ids;
  const dev = model.table.encode(devText);
  if (trainIds.length < 2) throw new UserError('the training text is empty');
  if (dev.ids.length < 2) throw new UserError('the dev text is empty');
  const sb = new StreamBatches(trainIds, o.batchSize, o.bptt, model.table.boundaryId);
  log(`${o.level} model: ${vocab.symbols.length} symbols, ${sb.predictions} training and ${dev.ids.length - 1} dev ${o.level === 'char' ? 'characters' : 'words'}` +
    `${dev.unknown ? ` (${dev.unknown} unknown in dev)` : ''}; ${sb.segments} segments of ${o.bptt} × ${o.batchSize} per epoch`);

  const params = model.params();
  const optimizer = o.optimizer === 'sgd'
    ? new optim.SGD(params, { lr: o.lr, momentum: o.momentum })
    : new optim.Adam(params, { lr: o.lr });
  const carried = model.newState(o.batchSize);
  const config = {
    level: o.level, arch, minCount: o.minCount, bptt: o.bptt, batchSize: o.batchSize, evalBatchSize: o.evalBatchSize,
    epochs: o.epochs, patience: o.patience, optimizer: o.optimizer, lr: o.lr, lrDecay: o.lrDecay, momentum: o.momentum,
    clipNorm: o.clipNorm, seed: o.seed, ...o.record,
  };

  const task: TrainTask<LmBatch> = {
    params: () => params,
    exampleSizes: () => sb.sizes(),
    makeBatch: (idx) => sb.segment(idx[0]),
    trainBatch: (batch) => {
      if (batch.index === 0) LanguageModel.reset(carried); // a new pass over the stream
      return model.trainStep(batch, carried);
    },
    evaluate: async () => {
      const r = streamLoss(model, dev.ids, o.evalBatchSize, o.bptt);
      const loss = r.loss / r.count;
      return { score: -loss, metrics: devMetrics(loss, o.level) };
    },
    saveModel: async (dir, run) => {
      const best = run.epochs[run.epochs.length - 1];
      saveLanguageModel(dir, model, {
        arch, vocab,
        training: {
          ...config, epochs: run.epochs, bestEpoch: run.epochs.length, trainSeconds: run.trainSeconds,
          devLoss: -best.dev_score, devPerplexity: Math.exp(-best.dev_score),
        },
      }, { dtype: o.dtype });
    },
    getState: () => ({ dropout: model.getDropoutState(), carried: stateToJson(carried) }),
    setState: (s) => {
      const st = s as { dropout: RngState; carried: ReturnType<typeof stateToJson> };
      model.setDropoutState(st.dropout);
      stateFromJson(st.carried, carried);
    },
  };

  const run = await train(task, {
    outDir: o.outDir, epochs: o.epochs, batchSize: o.batchSize, patience: o.patience, seed: o.seed,
    clipNorm: o.clipNorm, optimizer, schedule: (e) => o.lr / (1 + o.lrDecay * e),
    zeroGrad: optim.zeroGrad, clipGlobalNorm: optim.clipGlobalNorm, config,
    checkpointSeconds: o.checkpointSeconds ?? 300, resume: o.resume, progress: o.progress, log, shouldStop: o.shouldStop,
    batches: (sizes) => orderedBatches(sizes),
  });
  return { ...run, vocab };
}

