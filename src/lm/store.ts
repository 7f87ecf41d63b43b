/**
 * The saved language model: a self-contained directory, like the tagger's.
 *
 *   model.json            — format `bilstm-ner/lm` and version, architecture, vocabulary (level and
 *                           symbols), training record (options, data checksums, per-epoch scores),
 *                           and the manifest (names, shapes, dtypes, sha256) of
 *   weights-<sha12>.bin   — the parameters (float32, or float16 for shipping)
 *
 * Written crash-safely (src/util/atomic.ts). Loading checks the format, the version, the
 * checksum and every parameter's shape, and fails with one clear UserError.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packParams, unpackParams, SerializeError, type Manifest, type StorageDType } from '../nn/index.js';
import { writeJsonWithBlob } from '../util/atomic.js';
import { UserError } from '../errors.js';
import { LanguageModel, type LmArchitecture } from './model.js';
import type { LmVocab } from './vocab.js';

export const LM_FORMAT = 'bilstm-ner/lm';
export const LM_VERSION = 1;
export const LM_MODEL_FILE = 'model.json';

/** Everything about a language model except its weights. */
export interface LmMeta {
  arch: LmArchitecture;
  vocab: LmVocab;
  /** Free-form record of the training run: options, data checksums, epochs, scores. */
  training?: Record<string, unknown>;
}

export interface LmModelJson extends LmMeta {
  format: string;
  version: number;
  savedAt: string;
  weights: { file: string; manifest: Manifest };
}

/** Saves `model` with `meta` into `dir` (created if needed), crash-safely. */
export function saveLanguageModel(dir: string, model: LanguageModel, meta: LmMeta, opts: { dtype?: StorageDType } = {}): void {
  const { manifest, blob } = packParams(model.params(), { dtype: opts.dtype ?? 'float32' });
  writeJsonWithBlob(dir, LM_MODEL_FILE, 'weights', blob, manifest.sha256, (file): LmModelJson => ({
    format: LM_FORMAT, version: LM_VERSION, savedAt: new Date().toISOString(), ...meta,
    weights: { file, manifest },
  }));
}

/** Reads model.json without the weights. */
export function readLanguageModelMeta(dir: string): LmModelJson {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such model directory`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: not a directory (a language model is a directory holding ${LM_MODEL_FILE})`);
  const file = path.join(dir, LM_MODEL_FILE);
  if (!existsSync(file)) throw new UserError(`${file}: missing (is ${dir} a bilstm-ner language model directory?)`);
  let json: LmModelJson;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: corrupt model file (${(e as Error).message})`);
  }
  if (json?.format === 'bilstm-ner/model') throw new UserError(`${file}: a tagger model, not a language model (use it with ner tag/eval)`);
  if (json?.format !== LM_FORMAT) throw new UserError(`${file}: not a bilstm-ner language model (format ${JSON.stringify(json?.format)})`);
  if (typeof json.version !== 'number') throw new UserError(`${file}: no format version`);
  if (json.version > LM_VERSION) {
    throw new UserError(`${file}: language model format version ${json.version} is newer than this bilstm-ner reads (${LM_VERSION}); upgrade bilstm-ner`);
  }
  for (const k of ['arch', 'vocab', 'weights'] as const) {
    if (json[k] === undefined) throw new UserError(`${file}: corrupt model file (no "${k}")`);
  }
  return json;
}

/** Loads a saved language model; every problem is a UserError naming the file. */
export function loadLanguageModel(dir: string): { model: LanguageModel; meta: LmMeta } {
  const json = readLanguageModelMeta(dir);
  const weights = path.join(dir, json.weights.file);
  if (!existsSync(weights)) throw new UserError(`${weights}: missing weights file of the model`);
  let model: LanguageModel;
  try {
    model = new LanguageModel(json.arch, json.vocab, 0);
  } catch (e) {
    throw new UserError(`${path.join(dir, LM_MODEL_FILE)}: inconsistent model description (${(e as Error).message})`);
  }
  try {
    unpackParams(model.params(), json.weights.manifest, readFileSync(weights), { source: weights });
  } catch (e) {
    if (e instanceof SerializeError) throw new UserError(e.message);
    throw e;
  }
  const { format: _f, version: _v, savedAt: _s, weights: _w, ...meta } = json;
  return { model, meta };
}
