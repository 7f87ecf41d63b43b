import type { CommandModule, Argv } from 'yargs';
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileSha256 } from '../../data/open.js';
import {
  trainLanguageModel, TRAIN_LM_DEFAULTS, DEFAULT_LM_ARCHITECTURE, loadLanguageModel, sample, SAMPLE_DEFAULTS,
  perplexity, entityNamesText, LM_MODEL_FILE, type LmLevel,
} from '../../lm/index.js';
import { CHECKPOINT_DIR } from '../../train/trainer.js';
import { UserError } from '../../errors.js';
import { initBackend, backendLabel } from '../../tensor/backend.js';
import { STORAGE_DTYPES, type StorageDType } from '../../nn/serialize.js';

interface LmTrainArgs {
  text: string; dev?: string; out: string; level: LmLevel; 'from-entities'?: string;
  cell: 'lstm' | 'gru' | 'rnn'; layers: number; hidden: number; 'emb-dim': number; dropout: number;
  bptt: number; 'batch-size': number; 'eval-batch-size': number; epochs: number; patience: number;
  optimizer: 'adam' | 'sgd'; lr: number; 'lr-decay': number; 'clip-norm': number; 'min-count': number; seed: number;
  dtype: StorageDType; resume: boolean; overwrite: boolean; 'checkpoint-seconds': number; quiet: boolean;
}

interface LmSampleArgs {
  model: string; prime: string; length: number; lines: number; temperature: number; 'top-k': number; seed: number;
}

interface LmEvalArgs {
  model: string; text: string; 'from-entities'?: string; 'batch-size': number; bptt: number; json: boolean;
}

const D = TRAIN_LM_DEFAULTS, A = DEFAULT_LM_ARCHITECTURE, S = SAMPLE_DEFAULTS;
const log = (l: string): void => { process.stderr.write(l + '\n'); };

/** A text file's contents, or a one-line UserError. */
function readText(file: string): string {
  if (!existsSync(file)) throw new UserError(`${file}: no such file`);
  if (statSync(file).isDirectory()) throw new UserError(`${file}: is a directory, not a text file`);
  const text = readFileSync(file, 'utf8');
  if (text.includes('\0')) throw new UserError(`${file}: not a text file (contains NUL bytes)`);
  return text;
}

/** The file as text, or (with --from-entities TYPE) the entity names of that type in a CoNLL file. */
async function loadText(file: string, entityType: string | undefined, what: string): Promise<string> {
  if (entityType === undefined) return readText(file);
  readText(file); // same checks and messages as a plain text file
  const { text, names } = await entityNamesText(file, entityType);
  log(`${what}: ${names.length} distinct ${entityType} names from ${path.basename(file)}`);
  return text;
}

function positiveInts(pairs: [string, number][]): void {
  for (const [k, v] of pairs) if (!(Number.isInteger(v) && v > 0)) throw new UserError(`--${k} must be a positive integer, got ${v}`);
}

const trainCmd: CommandModule<object, LmTrainArgs> = {
  command: 'train',
  describe: 'Train a language model on a text file (truncated BPTT); the best model on the dev text is saved in --out',
  builder: (y: Argv) => y
    .usage('$0 lm train --text FILE [--dev FILE] --out models/NAME [options]')
    .option('text', { type: 'string', demandOption: true, describe: 'Training text (UTF-8); a CoNLL file with --from-entities' })
    .option('dev', { type: 'string', describe: 'Dev text for perplexity per epoch and early stopping (default: the last 10% of the lines of --text)' })
    .option('out', { type: 'string', demandOption: true, describe: 'Model directory to write' })
    .option('from-entities', { type: 'string', describe: 'Train on the names of entities of this type (e.g. PER) in the CoNLL files --text/--dev, one per line' })
    .option('level', { choices: ['char', 'word'] as const, default: D.level, describe: 'Symbols: characters, or whitespace-separated words (+ <eos> per line)' })
    .option('cell', { choices: ['lstm', 'gru', 'rnn'] as const, default: A.cell, describe: 'Recurrent cell' })
    .option('layers', { type: 'number', default: A.layers, describe: 'Stacked recurrent layers' })
    .option('hidden', { type: 'number', default: A.hidden, describe: 'Hidden units per layer' })
    .option('emb-dim', { type: 'number', default: A.embDim, describe: 'Symbol embedding size' })
    .option('dropout', { type: 'number', default: A.dropout, describe: 'Dropout on embeddings, between layers and before the output' })
    .option('bptt', { type: 'number', default: D.bptt, describe: 'Truncated BPTT: steps per segment (state carried, gradient not)' })
    .option('batch-size', { type: 'number', default: D.batchSize, describe: 'Parallel streams per batch' })
    .option('eval-batch-size', { type: 'number', default: D.evalBatchSize, describe: 'Parallel streams for the dev evaluation' })
    .option('epochs', { type: 'number', default: D.epochs, describe: 'Maximum epochs (one epoch = one pass over the text)' })
    .option('patience', { type: 'number', default: D.patience, describe: 'Stop after this many epochs without dev improvement (0: never)' })
    .option('optimizer', { choices: ['adam', 'sgd'] as const, default: D.optimizer, describe: 'Optimizer' })
    .option('lr', { type: 'number', default: D.lr, describe: 'Learning rate' })
    .option('lr-decay', { type: 'number', default: D.lrDecay, describe: 'Learning-rate decay per epoch: lr/(1+decay·epoch)' })
    .option('clip-norm', { type: 'number', default: D.clipNorm, describe: 'Clip the global gradient norm to this (0: off)' })
    .option('min-count', { type: 'number', default: D.minCount, describe: 'Symbols seen fewer times in training become <unk>' })
    .option('seed', { type: 'number', default: D.seed, describe: 'Random seed (same seed, data and options: same model)' })
    .option('dtype', { choices: STORAGE_DTYPES, default: D.dtype, describe: 'Storage type of saved weights (int8/int4: word-vector tables in 8/4 bits with a scale per row, the rest float16)' })
    .option('resume', { type: 'boolean', default: false, describe: 'Continue an interrupted run from --out/checkpoint' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace a model already in --out' })
    .option('checkpoint-seconds', { type: 'number', default: 300, describe: 'Checkpoint at least this often within an epoch' })
    .option('quiet', { type: 'boolean', default: false, describe: 'No progress bar' }) as unknown as Argv<LmTrainArgs>,
  handler: async (a) => {
    const out = a.out;
    if (!a.resume && !a.overwrite && (existsSync(path.join(out, LM_MODEL_FILE)) || existsSync(path.join(out, CHECKPOINT_DIR)))) {
      throw new UserError(`${out} already holds a model or checkpoint: use --resume to continue it or --overwrite to start again`);
    }
    positiveInts([['layers', a.layers], ['hidden', a.hidden], ['emb-dim', a['emb-dim']], ['bptt', a.bptt], ['batch-size', a['batch-size']],
      ['eval-batch-size', a['eval-batch-size']], ['epochs', a.epochs], ['min-count', a['min-count']]]);
    if (!(a.dropout >= 0 && a.dropout < 1)) throw new UserError(`--dropout must be in [0, 1), got ${a.dropout}`);
    if (!(a.lr > 0)) throw new UserError(`--lr must be positive, got ${a.lr}`);
    if (!(a['clip-norm'] >= 0)) throw new UserError(`--clip-norm must be ≥ 0, got ${a['clip-norm']}`);
    initBackend();
    const ent = a['from-entities'];
    const text = await loadText(a.text, ent, 'train');
    const dev = a.dev === undefined ? undefined : await loadText(a.dev, ent, 'dev');
    log(`backend ${backendLabel()}`);
    const fileRecord = async (f: string) => ({ file: path.basename(f), sha256: await fileSha256(f) });
    const record = {
      data: { train: await fileRecord(a.text), ...(a.dev ? { dev: await fileRecord(a.dev) } : {}), ...(ent ? { fromEntities: ent } : {}) },
    };
    const run = await trainLanguageModel({
      text, dev, outDir: out, level: a.level,
      arch: { cell: a.cell, layers: a.layers, hidden: a.hidden, embDim: a['emb-dim'], dropout: a.dropout },
      minCount: a['min-count'], bptt: a.bptt, batchSize: a['batch-size'], evalBatchSize: a['eval-batch-size'],
      epochs: a.epochs, patience: a.patience, optimizer: a.optimizer, lr: a.lr, lrDecay: a['lr-decay'],
      clipNorm: a['clip-norm'], seed: a.seed, dtype: a.dtype, resume: a.resume, checkpointSeconds: a['checkpoint-seconds'],
      progress: !a.quiet, log, record,
    });
    const best = run.epochs[run.bestEpoch - 1];
    const how = run.stoppedBy === 'interrupt' ? 'interrupted: continue with --resume' : `stopped: ${run.stoppedBy}`;
    log(best
      ? `best dev perplexity ${(best.dev_ppl as number).toFixed(3)}${a.level === 'char' ? ` (${(best.dev_bpc as number).toFixed(3)} bits/char)` : ''} at epoch ${run.bestEpoch} (${how}); model in ${out}`
      : `no epoch finished (${how})`);
  },
};

const sampleCmd: CommandModule<object, LmSampleArgs> = {
  command: 'sample',
  describe: 'Generate text from a language model (same seed: same text)',
  builder: (y: Argv) => y
    .usage('$0 lm sample --model DIR [--prime TEXT] [--length N] [--temperature τ] [--top-k K] [--seed S]')
    .option('model', { type: 'string', demandOption: true, describe: 'Language model directory' })
    .option('prime', { type: 'string', default: S.prime, describe: 'Text to continue (default: start of a line)' })
    .option('length', { type: 'number', default: S.length, describe: 'Symbols to generate (characters or words)' })
    .option('lines', { type: 'number', default: S.lines, describe: 'Stop after this many line ends (0: no limit)' })
    .option('temperature', { type: 'number', default: S.temperature, describe: 'Softmax temperature τ: lower is more conservative; 0 is greedy' })
    .option('top-k', { type: 'number', default: S.topK, describe: 'Sample among the K most likely symbols only (0: all)' })
    .option('seed', { type: 'number', default: S.seed, describe: 'Random seed of the sampler' }) as unknown as Argv<LmSampleArgs>,
  handler: (a) => {
    initBackend();
    const { model } = loadLanguageModel(a.model);
    const { text } = sample(model, { prime: a.prime, length: a.length, lines: a.lines, temperature: a.temperature, topK: a['top-k'], seed: a.seed });
    process.stdout.write(text.endsWith('\n') || text === '' ? text : text + '\n');
  },
};

const evalCmd: CommandModule<object, LmEvalArgs> = {
  command: 'eval',
  describe: 'Perplexity (and bits per character) of a language model on a text file',
  builder: (y: Argv) => y
    .usage('$0 lm eval --model DIR --text FILE')
    .option('model', { type: 'string', demandOption: true, describe: 'Language model directory' })
    .option('text', { type: 'string', demandOption: true, describe: 'Text to score (UTF-8); a CoNLL file with --from-entities' })
    .option('from-entities', { type: 'string', describe: 'Score the names of entities of this type in the CoNLL file --text, one per line' })
    .option('batch-size', { type: 'number', default: 1, describe: 'Parallel streams (1: every symbol sees its whole left context)' })
    .option('bptt', { type: 'number', default: 100, describe: 'Steps per segment (state carried across segments)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as unknown as Argv<LmEvalArgs>,
  handler: async (a) => {
    positiveInts([['batch-size', a['batch-size']], ['bptt', a.bptt]]);
    initBackend();
    const { model } = loadLanguageModel(a.model);
    const text = await loadText(a.text, a['from-entities'], 'eval');
    const r = perplexity(model, text, { batchSize: a['batch-size'], bptt: a.bptt });
    if (r.symbols === 0) throw new UserError(`${a.text}: empty text`);
    if (a.json) {
      process.stdout.write(JSON.stringify({ file: path.basename(a.text), ...r }, null, 2) + '\n');
      return;
    }
    const unit = r.level === 'char' ? 'characters' : 'words';
    const lines = [
      `${unit}: ${r.symbols}${r.unknown ? ` (${r.unknown} unknown to the model)` : ''}`,
      `perplexity: ${r.perplexity.toFixed(3)}`,
      `${r.level === 'char' ? 'bits per character' : 'bits per word'}: ${r.bitsPerSymbol.toFixed(4)}`,
    ];
    process.stdout.write(lines.join('\n') + '\n');
  },
};

export const lmCommand: CommandModule<object, object> = {
  command: 'lm <command>',
  describe: 'Language model: train on text, sample novel text, evaluate perplexity',
  builder: (y: Argv) => y
    .usage('$0 lm <train|sample|eval> [options]')
    .command(trainCmd)
    .command(sampleCmd)
    .command(evalCmd)
    .demandCommand(1, 'Name an lm command: train, sample or eval.'),
  handler: () => {},
};
