/**
 * The saved model: a self-contained directory.
 *
 *   model.json            — format name and version, architecture, vocabularies (words, chars,
 *                           tags), tag schemes, decoder, training record (options, data checksums,
 *                           per-epoch scores), and the manifest (names, shapes, dtypes, sha256) of
 *   weights-<sha12>.bin   — the parameters (float32, or float16 for shipping)
 *
 * Written crash-safely (src/util/atomic.ts): a crash never leaves a half model. Loading checks the
 * format version, the checksum and every parameter's shape, and fails with one clear message.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { SequenceTagger, type TaggerArchitecture, type TaggerVocab } from './model.js';
import { packParams, unpackParams, SerializeError, type Manifest, type StorageDType } from '../nn/index.js';
import { writeJsonWithBlob } from '../util/atomic.js';
import { UserError } from '../errors.js';
import { transitionMask, type SchemeName } from '../data/schemes.js';
import type { CRFAllowed } from '../nn/index.js';

export const MODEL_FORMAT = 'bilstm-ner/model';
export const MODEL_VERSION = 1;
export const MODEL_FILE = 'model.json';

export type DecoderKind = 'softmax' | 'crf';

/** Everything about a model except its weights. */
export interface ModelMeta {
  arch: TaggerArchitecture;
  vocab: TaggerVocab;
  /** Scheme of the model's tag set (what it predicts), e.g. IOBES. */
  trainScheme: SchemeName;
  /** Scheme of the training data, used for output unless the user asks for another. */
  dataScheme: SchemeName;
  decoder: DecoderKind;
  /** Free-form record of the training run: options, data checksums, epochs, scores. */
  training?: Record<string, unknown>;
  /** Which word vectors were added beyond the training vocabulary, and from where. */
  embeddings?: Record<string, unknown>;
}

interface ModelJson extends ModelMeta {
  format: string;
  version: number;
  savedAt: string;
  weights: { file: string; manifest: Manifest };
}

/** Saves `model` with `meta` into `dir` (created if needed). */
export function saveModel(dir: string, model: SequenceTagger, meta: ModelMeta, opts: { dtype?: StorageDType } = {}): void {
  const { manifest, blob } = packParams(model.params(), { dtype: opts.dtype ?? 'float32' });
  writeJsonWithBlob(dir, MODEL_FILE, 'weights', blob, manifest.sha256, (file): ModelJson => ({
    format: MODEL_FORMAT, version: MODEL_VERSION, savedAt: new Date().toISOString(), ...meta,
    weights: { file, manifest },
  }));
}

/** Reads model.json without the weights (for `ner info`). */
export function readModelMeta(dir: string): ModelJson {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such model directory`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: not a directory (a model is a directory holding ${MODEL_FILE})`);
  const file = path.join(dir, MODEL_FILE);
  if (!existsSync(file)) throw new UserError(`${file}: missing (is ${dir} a bilstm-ner model directory?)`);
  let json: ModelJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: corrupt model file (${(e as Error).message})`);
  }
  if (json?.format === 'bilstm-ner/lm') throw new UserError(`${file}: a language model, not a tagger (use it with ner lm sample / ner lm eval)`);
  if (json?.format !== MODEL_FORMAT) throw new UserError(`${file}: not a bilstm-ner model (format ${JSON.stringify(json?.format)})`);
  if (!(typeof json.version === 'number')) throw new UserError(`${file}: no format version`);
  if (json.version > MODEL_VERSION) {
    throw new UserError(`${file}: model format version ${json.version} is newer than this bilstm-ner reads (${MODEL_VERSION}); upgrade bilstm-ner`);
  }
  for (const k of ['arch', 'vocab', 'weights', 'trainScheme', 'dataScheme'] as const) {
    if (json[k] === undefined) throw new UserError(`${file}: corrupt model file (no "${k}")`);
  }
  return json;
}

/** Loads a saved model; every problem is a UserError naming the file. */
export function loadModel(dir: string): { model: SequenceTagger; meta: ModelMeta } {
  const json = readModelMeta(dir);
  const weights = path.join(dir, json.weights.file);
  if (!existsSync(weights)) throw new UserError(`${weights}: missing weights file of the model`);
  let model: SequenceTagger;
  try {
    model = new SequenceTagger(json.arch, json.vocab, 0, json.decoder === 'crf' ? crfAllowed(json.vocab.tags, json.trainScheme) : undefined);
  } catch (e) {
    throw new UserError(`${path.join(dir, MODEL_FILE)}: inconsistent model description (${(e as Error).message})`);
  }
  try {
    unpackParams(model.params(), json.weights.manifest, readFileSync(weights), { source: weights });
  } catch (e) {
    if (e instanceof SerializeError) {
      const hint = /not the parameters of this model/.test(e.message)
        ? ` (the vocabularies or architecture in ${MODEL_FILE} do not match the weights file)`
        : '';
      throw new UserError(e.message + hint);
    }
    throw e;
  }
  const { format: _f, version: _v, savedAt: _s, weights: _w, ...meta } = json;
  return { model, meta };
}

/** The CRF transition constraints of a tag set in a scheme (the same tables span extraction uses). */
export function crfAllowed(tags: readonly string[], scheme: SchemeName): CRFAllowed {
  const m = transitionMask(tags, scheme);
  return { transitions: m.allowed, start: m.start, end: m.end };
}
