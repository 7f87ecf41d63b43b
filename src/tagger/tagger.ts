/**
 * The tagger as users see it: train a SequenceTagger on sentences with tags in any scheme,
 * predict tags (in the data's own scheme) and scored entities for token sequences.
 */
import { Rng, type Buf } from '../tensor/index.js';
import { availableParallelism } from 'node:os';
import { optim } from '../nn/index.js';
import {
  convertTags, detectScheme, tagsToSpans, transitionMask, prefixBareTags, type SchemeName, type TransitionMask,
} from '../data/schemes.js';
import { MAX_SENTENCE_TOKENS, windowStarts } from '../data/windows.js';
import type { Sentence, Span } from '../data/types.js';
import { evaluate, calibration, type EvalResult, type EvalOptions, type CalibrationTable } from '../eval/index.js';
import { train, type RunRecord, type TrainTask } from '../train/trainer.js';
import { sortedBatches } from '../train/batching.js';
import { SequenceTagger, PAD, UNK, DEFAULT_ARCHITECTURE, type TaggerArchitecture, type TaggerBatch, type TaggerVocab } from './model.js';
import { wordKey } from './features.js';
import { byCountThenCodeUnits } from '../vocab/vocabulary.js';
import { saveModel, crfAllowed, type ModelMeta, type DecoderKind } from './store.js';
import { constrainedViterbi, argmaxSequence, spanScore } from './decode.js';
import { UserError } from '../errors.js';
import { DataParallel, directionsProblem, type ParallelMode } from '../parallel/dataParallel.js';
import type { StorageDType } from '../nn/index.js';

/** An entity found in a token sequence: tokens [start, end), its type and confidence in [0, 1]. */
export interface ScoredSpan extends Span {
  score: number;
}

export interface SentencePrediction {
  /** Predicted tags in the output scheme, one per token. */
  tags: string[];
  entities: ScoredSpan[];
  /** With `topK` (CRF models): the K most probable tag sequences, best first (the first is `tags`). */
  alternatives?: { tags: string[]; probability: number }[];
}

/** A loaded model ready to tag. */
export interface Tagger {
  model: SequenceTagger;
  meta: ModelMeta;
}

/** Sentences per forward pass of `predict` unless told otherwise. */
export const PREDICT_BATCH_SIZE = 32;

export interface PredictOptions {
  /** Sentences per forward pass. Default PREDICT_BATCH_SIZE (32). */
  batchSize?: number;
  /** Decode the best well-formed tag sequence (default true) rather than per-token argmax. */
  constrained?: boolean;
  /** Scheme of the returned tags. Default: the scheme of the model's training data. */
  outputScheme?: SchemeName;
  /** Also list the K most probable tag sequences with their probabilities (CRF models only). */
  topK?: number;
}

const maskCache = new WeakMap<SequenceTagger, TransitionMask>();

function maskOf(t: Tagger): TransitionMask {
  let m = maskCache.get(t.model);
  if (!m) {
    m = transitionMask(t.meta.vocab.tags, t.meta.trainScheme);
    maskCache.set(t.model, m);
  }
  return m;
}

/**
 * Tags sentences given as token lists. Order of the result = order of the input.
 * A sentence longer than MAX_SENTENCE_TOKENS is tagged in windows of that many tokens (memory
 * stays bounded however long it is); an entity that crosses a window edge comes out as two, and
 * such a sentence gets no `alternatives`.
 */
export function predict(t: Tagger, sentences: readonly (readonly string[])[], o: PredictOptions = {}): SentencePrediction[] {
  if (!sentences.some((s) => s.length > MAX_SENTENCE_TOKENS)) return predictPieces(t, sentences, o);
  const pieces: (readonly string[])[] = [];
  const owner: number[] = [];
  sentences.forEach((s, i) => {
    const bounds = [0, ...windowStarts(s.length), s.length];
    for (let k = 0; k + 1 < bounds.length; k++) {
      pieces.push(bounds.length === 2 ? s : s.slice(bounds[k], bounds[k + 1]));
      owner.push(i);
    }
  });
  const preds = predictPieces(t, pieces, o);
  const out: SentencePrediction[] = sentences.map(() => ({ tags: [], entities: [] }));
  const windows = new Array<number>(sentences.length).fill(0);
  preds.forEach((p, k) => {
    const o2 = out[owner[k]];
    const shift = o2.tags.length;
    for (const tag of p.tags) o2.tags.push(tag);
    for (const e of p.entities) o2.entities.push({ ...e, start: e.start + shift, end: e.end + shift });
    if (windows[owner[k]]++ === 0 && p.alternatives) o2.alternatives = p.alternatives;
  });
  windows.forEach((n, i) => { if (n > 1) delete out[i].alternatives; });
  return out;
}

function predictPieces(t: Tagger, sentences: readonly (readonly string[])[], o: PredictOptions): SentencePrediction[] {
  const out: SentencePrediction[] = new Array(sentences.length);
  const bs = o.batchSize ?? PREDICT_BATCH_SIZE;
  const K = t.model.K;
  const tags = t.meta.vocab.tags;
  const outScheme = o.outputScheme ?? t.meta.dataScheme;
  const mask = maskOf(t);
  const crf = t.model.crf;
  if (o.topK !== undefined && !crf) throw new UserError('--top-k needs a model trained with --decoder crf (a softmax model has no sequence probabilities)');
  const toOut = (tt: string[]) => (outScheme === t.meta.trainScheme ? tt : convertTags(tt, t.meta.trainScheme, outScheme));
  for (const idx of sortedBatches(sentences.map((s) => s.length), bs)) {
    const toks = idx.map((i) => sentences[i]);
    const batch = t.model.encode(toks);
    const probs = crf ? t.model.scores(batch) : t.model.probabilities(batch);
    const paths = crf ? crf.viterbi(probs, batch.T, batch.B, batch.lengths) : null;
    idx.forEach((si, b) => {
      const len = toks[b].length;
      const ids = new Int32Array(len);
      if (paths) for (let i = 0; i < len; i++) ids[i] = paths[i * batch.B + b];
      else if (o.constrained === false) argmaxSequence(probs, batch.B, b, len, K, ids);
      else constrainedViterbi(probs, batch.B, b, len, K, mask, ids);
      const trainTags = new Array<string>(len);
      for (let i = 0; i < len; i++) trainTags[i] = tags[ids[i]];
      const spans = tagsToSpans(trainTags, t.meta.trainScheme);
      const lattice = crf && spans.length > 0 ? crf.lattice(probs, len, batch.B, b) : null;
      const entities = spans.map((s) => ({
        ...s,
        score: lattice
          ? lattice.sequenceProbability(s.start, s.end, ids.subarray(s.start, s.end), continuationTags(t, s.type))
          : spanScore(probs, batch.B, b, K, ids, s.start, s.end),
      }));
      out[si] = { tags: toOut(trainTags), entities };
      if (crf && o.topK !== undefined && len > 0) {
        out[si].alternatives = crf.topK(probs, len, o.topK, batch.B, b).map((p) => ({
          tags: toOut(Array.from(p.tags, (k) => tags[k])), probability: p.prob,
        }));
      }
    });
  }
  return out;
}

const continuationCache = new WeakMap<SequenceTagger, Map<string, number[]>>();

/**
 * Tag ids that would extend an entity of `type` past its end (I-, E-, L- of the same type): the
 * CRF's span marginal requires the token after the span to take none of them, so the score is
 * the probability of exactly this entity, not of a longer one that starts the same way.
 */
function continuationTags(t: Tagger, type: string): number[] {
  let m = continuationCache.get(t.model);
  if (!m) continuationCache.set(t.model, (m = new Map()));
  let ids = m.get(type);
  if (!ids) {
    ids = [];
    t.meta.vocab.tags.forEach((tag, i) => { if (/^[IEL]-/.test(tag) && tag.slice(2) === type) ids!.push(i); });
    m.set(type, ids);
  }
  return ids;
}

export interface EvaluateTaggerOptions extends PredictOptions {
  /** How to count (conlleval rules by default, strict mode, error summary). */
  eval?: EvalOptions;
  /** Also bucket the predicted entities by score (see src/eval/calibration.ts). */
  calibration?: boolean;
}

/**
 * Tags labelled sentences and scores them against their own tags with conlleval's rules. Tags are
 * compared in the sentences' own scheme (detected; bare IO tags read as I-TYPE) unless
 * `outputScheme` says otherwise.
 */
export function evaluateTagger(t: Tagger, sentences: readonly Sentence[], o: EvaluateTaggerOptions = {}): {
  result: EvalResult; predictions: SentencePrediction[]; calibration?: CalibrationTable;
} {
  const gold = sentences.map((s) => prefixBareTags(s.tags));
  const scheme = o.outputScheme ?? detectScheme(gold);
  const predictions = predict(t, sentences.map((s) => s.tokens), { ...o, outputScheme: scheme });
  const result = evaluate(gold, predictions.map((p) => prefixBareTags(p.tags)), o.eval);
  const cal = o.calibration ? calibration(gold.map((g) => tagsToSpans(g, scheme)), predictions.map((p) => p.entities)) : undefined;
  return { result, predictions, ...(cal ? { calibration: cal } : {}) };
}

/** Pretrained word vectors: `words[i]` has the row i of `vectors` [n, dim]. */
export interface PretrainedVectors {
  dim: number;
  words: string[];
  vectors: Buf;
  /** Where they came from (file name or 'wink'), recorded in the model. */
  source: string;
}

export interface TrainTaggerOptions {
  train: Sentence[];
  dev: Sentence[];
  outDir: string;
  arch?: Partial<TaggerArchitecture>;
  /** Scheme the model learns (default IOBES); output converts back to the data's scheme. */
  scheme?: SchemeName;
  decoder?: DecoderKind;
  optimizer?: 'adam' | 'sgd';
  lr?: number;
  /** Inverse-time decay per epoch: lr / (1 + decay·epoch). */
  lrDecay?: number;
  momentum?: number;
  weightDecay?: number;
  clipNorm?: number;
  batchSize?: number;
  epochs?: number;
  patience?: number;
  seed?: number;
  /** Probability of replacing a training word seen once by UNK (teaches the UNK vector). */
  unkReplace?: number;
  /** Minimum count of a training word to get its own vector (unless pretrained). */
  minWordCount?: number;
  pretrained?: PretrainedVectors;
  /** Pretrained words kept beyond the training vocabulary: the first N of the table (by its order). */
  extraPretrainedWords?: number;
  /** Storage type of the saved weights. */
  dtype?: StorageDType;
  resume?: boolean;
  checkpointSeconds?: number;
  progress?: boolean;
  log?: (line: string) => void;
  /** Stored in the model's training record (e.g. data file names and checksums). */
  record?: Record<string, unknown>;
  shouldStop?: () => boolean;
  /**
   * Threads that compute each batch (see `parallel`); 1 = the calling thread only (default);
   * 'auto' = `autoTrainThreads` (2 where the split by LSTM direction applies, else 1).
   */
  threads?: number | 'auto';
  /**
   * How 2+ threads share a batch (see ParallelMode in src/parallel/dataParallel.ts): 'batch'
   * (sentences split across threads), 'directions' (2 threads, one per direction of each
   * bidirectional LSTM layer; bit for bit the 1-thread model), or 'auto' (default).
   */
  parallel?: ParallelMode | 'auto';
}

export const TRAIN_DEFAULTS = {
  scheme: 'IOBES' as SchemeName, decoder: 'softmax' as DecoderKind, optimizer: 'adam' as const, lr: 0.001, lrDecay: 0,
  momentum: 0.9, weightDecay: 0, clipNorm: 5, batchSize: 32, epochs: 30, patience: 5, seed: 1, unkReplace: 0.5,
  minWordCount: 1, extraPretrainedWords: 0, dtype: 'float32' as StorageDType, threads: 1,
  parallel: 'auto' as ParallelMode | 'auto',
};

/**
 * The thread count `threads: 'auto'` resolves to: 2 when training can be split by LSTM direction
 * (a bidirectional LSTM, the WASM backend, `parallel` not 'batch', 2+ cores; or `parallel`
 * 'directions'), which gives the same model as 1 thread, faster; else 1.
 */
export function autoTrainThreads(arch: Partial<TaggerArchitecture>, parallel: ParallelMode | 'auto' = 'auto'): number {
  if (parallel === 'directions') return 2;
  if (parallel === 'batch') return 1;
  return directionsProblem({ ...DEFAULT_ARCHITECTURE, ...arch }, 2) === null && availableParallelism() >= 2 ? 2 : 1;
}

/** Builds the model's symbol tables from training data (and pretrained words, if any). */
export function buildTaggerVocab(train: readonly Sentence[], trainTags: readonly string[][], o: {
  minWordCount: number; pretrained?: PretrainedVectors; extraPretrainedWords: number;
}): { vocab: TaggerVocab; wordCounts: Map<string, number> } {
  const wordCounts = new Map<string, number>();
  const charCounts = new Map<string, number>();
  for (const s of train) {
    for (const tok of s.tokens) {
      const k = wordKey(tok);
      wordCounts.set(k, (wordCounts.get(k) ?? 0) + 1);
      for (const ch of tok) charCounts.set(ch, (charCounts.get(ch) ?? 0) + 1);
    }
  }
  const byCount = (m: Map<string, number>) => [...m.entries()].sort(byCountThenCodeUnits);
  const pre = new Set<string>();
  if (o.pretrained) for (const w of o.pretrained.words) pre.add(w);
  const words = [PAD, UNK];
  const seen = new Set(words);
  for (const [w, c] of byCount(wordCounts)) {
    if ((c >= o.minWordCount || pre.has(w)) && !seen.has(w)) { words.push(w); seen.add(w); }
  }
  if (o.pretrained) {
    for (let i = 0, added = 0; i < o.pretrained.words.length && added < o.extraPretrainedWords; i++) {
      const w = o.pretrained.words[i];
      if (!seen.has(w)) { words.push(w); seen.add(w); added++; }
    }
  }
  const chars = [PAD, UNK, ...byCount(charCounts).map(([c]) => c)];
  const tagSet = new Set<string>();
  for (const ts of trainTags) for (const t of ts) tagSet.add(t);
  const tags = [...tagSet].sort((a, b) => (a === 'O' ? -1 : b === 'O' ? 1 : a.slice(2) < b.slice(2) ? -1 : a.slice(2) > b.slice(2) ? 1 : a < b ? -1 : a > b ? 1 : 0));
  return { vocab: { words, chars, tags }, wordCounts };
}

/** Copies pretrained vectors into the word embedding; returns how many rows were set. */
function initFromPretrained(model: SequenceTagger, p: PretrainedVectors): number {
  if (p.dim !== model.arch.wordDim) throw new UserError(`pretrained vectors have ${p.dim} dimensions but --word-dim is ${model.arch.wordDim}`);
  const row = new Map<string, number>();
  p.words.forEach((w, i) => { if (!row.has(w)) row.set(w, i); });
  let n = 0;
  model.vocab.words.forEach((w, id) => {
    if (id < 2) return;
    const r = row.get(w);
    if (r !== undefined) {
      model.wordEmb.setRow(id, p.vectors.subarray(r * p.dim, (r + 1) * p.dim));
      n++;
    }
  });
  return n;
}

/** Trains a tagger; the best model on dev is saved in `outDir`. */
export async function trainTagger(opts: TrainTaggerOptions): Promise<RunRecord> {
  const o = { ...TRAIN_DEFAULTS, ...opts };
  const log = o.log ?? ((l: string) => process.stderr.write(l + '\n'));
  if (o.train.length === 0) throw new UserError('the training data holds no sentences');
  if (o.dev.length === 0) throw new UserError('the dev data holds no sentences');
  const dataScheme = detectScheme(o.train.map((s) => s.tags));
  const trainScheme = o.scheme;
  const trainTags = o.train.map((s) => convertTags(s.tags, dataScheme, trainScheme));
  const { vocab, wordCounts } = buildTaggerVocab(o.train, trainTags, o);
  const arch: TaggerArchitecture = { ...DEFAULT_ARCHITECTURE, ...o.arch };
  if (o.pretrained && o.arch?.wordDim === undefined) arch.wordDim = o.pretrained.dim;
  const model = new SequenceTagger(arch, vocab, o.seed, o.decoder === 'crf' ? crfAllowed(vocab.tags, trainScheme) : undefined);
  const embeddingsInfo: Record<string, unknown> = {};
  if (o.pretrained) {
    const n = initFromPretrained(model, o.pretrained);
    Object.assign(embeddingsInfo, {
      source: o.pretrained.source, dim: o.pretrained.dim, rowsInitialised: n, vocabulary: vocab.words.length,
      extraPretrainedWords: o.extraPretrainedWords,
      lookup: 'lower-cased word with every digit mapped to 0',
    });
    log(`word vectors: ${n} of ${vocab.words.length - 2} vocabulary words initialised from ${o.pretrained.source}`);
  }
  const devUnseen = new Set<string>();
  const known = new Set(vocab.tags.map((t) => t));
  for (const s of o.dev) for (const t of convertTags(s.tags, dataScheme, trainScheme)) if (!known.has(t)) devUnseen.add(t);
  if (devUnseen.size) log(`warning: dev tags never seen in training: ${[...devUnseen].sort().join(', ')} (still evaluated; the model cannot predict them)`);

  const params = model.params();
  const optimizer = o.optimizer === 'sgd'
    ? new optim.SGD(params, { lr: o.lr, momentum: o.momentum, weightDecay: o.weightDecay })
    : new optim.Adam(params, { lr: o.lr, weightDecay: o.weightDecay });
  const unkRng = new Rng(o.seed + 101);
  const singleton = (id: number) => (wordCounts.get(vocab.words[id]) ?? 0) === 1;
  const tagger: Tagger = {
    model,
    meta: { arch, vocab, trainScheme, dataScheme, decoder: o.decoder, embeddings: o.pretrained ? embeddingsInfo : undefined },
  };
  const sizes = o.train.map((s) => s.tokens.length);
  const config = {
    arch, scheme: trainScheme, dataScheme, decoder: o.decoder, optimizer: o.optimizer, lr: o.lr, lrDecay: o.lrDecay,
    momentum: o.momentum, weightDecay: o.weightDecay, clipNorm: o.clipNorm, batchSize: o.batchSize, epochs: o.epochs,
    patience: o.patience, seed: o.seed, unkReplace: o.unkReplace, minWordCount: o.minWordCount,
    extraPretrainedWords: o.extraPretrainedWords, ...o.record,
  };

  const threads = o.threads === 'auto' ? autoTrainThreads(arch, o.parallel) : o.threads;
  const parallel = threads > 1 ? await DataParallel.start(model, threads, { mode: o.parallel }) : null;
  const task: TrainTask<TaggerBatch> = {
    params: () => params,
    exampleSizes: () => sizes,
    makeBatch: (idx) => model.encode(idx.map((i) => o.train[i].tokens), idx.map((i) => trainTags[i]),
      o.unkReplace > 0 ? { rate: o.unkReplace, unkable: singleton, rng: unkRng } : undefined),
    trainBatch: (batch) => (parallel ? parallel.trainBatch(batch) : model.trainStep(batch)),
    evaluate: async () => {
      const { result } = evaluateTagger(tagger, o.dev);
      return {
        score: result.overall.f1,
        metrics: { precision: result.overall.precision, recall: result.overall.recall, f1: result.overall.f1 },
      };
    },
    saveModel: async (dir, run) => {
      saveModel(dir, model, { ...tagger.meta, training: { ...config, epochs: run.epochs, bestEpoch: run.epochs.length, trainSeconds: run.trainSeconds } }, { dtype: o.dtype });
    },
    getState: () => ({ dropout: model.getDropoutState(), unk: unkRng.getState() }),
    setState: (s) => {
      const st = s as { dropout: ReturnType<Rng['getState']>; unk: ReturnType<Rng['getState']> };
      model.setDropoutState(st.dropout);
      unkRng.setState(st.unk);
    },
  };

  try {
    // The workspaces at the size of the largest batch before the first step (see reserve).
    const longest = sizes.map((_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b).slice(0, o.batchSize);
    model.reserve(model.encode(longest.map((i) => o.train[i].tokens), longest.map((i) => trainTags[i])), task.trainBatch);
    return await train(task, {
      outDir: o.outDir, epochs: o.epochs, batchSize: o.batchSize, patience: o.patience, seed: o.seed,
      clipNorm: o.clipNorm, optimizer: parallel ? parallel.optimizer(optimizer) : optimizer, schedule: (e) => o.lr / (1 + o.lrDecay * e),
      zeroGrad: parallel ? parallel.zeroGrad : optim.zeroGrad, clipGlobalNorm: parallel ? parallel.clipGlobalNorm : optim.clipGlobalNorm, config,
      checkpointSeconds: o.checkpointSeconds ?? 300, resume: o.resume, progress: o.progress, log, shouldStop: o.shouldStop,
    });
  } finally {
    await parallel?.close();
  }
}

