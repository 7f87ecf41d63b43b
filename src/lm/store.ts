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
import type { StorageDType } from '../nn/index.js';
import { saveModelDir, readModelJson, loadModelDir, MODEL_JSON, type ModelKind, type ModelJson } from '../train/store.js';
import { LanguageModel, type LmArchitecture } from './model.js';
import type { LmVocab } from './vocab.js';

export const LM_FORMAT = 'bilstm-ner/lm';
export const LM_VERSION = 1;
export const LM_MODEL_FILE = MODEL_JSON;

/** Everything about a language model except its weights. */
export interface LmMeta {
  arch: LmArchitecture;
  vocab: LmVocab;
  /** Free-form record of the training run: options, data checksums, epochs, scores. */
  training?: Record<string, unknown>;
}

/** model.json of a language model with its header and weight manifest. */
export type LmModelJson = ModelJson<LmMeta>;

const LM: ModelKind = {
  format: LM_FORMAT, version: LM_VERSION, noun: 'language model', required: ['arch', 'vocab'],
  otherFormats: { 'bilstm-ner/model': 'a tagger model, not a language model (use it with ner tag/eval)' },
};

/** Saves `model` with `meta` into `dir` (created if needed), crash-safely. */
export function saveLanguageModel(dir: string, model: LanguageModel, meta: LmMeta, opts: { dtype?: StorageDType } = {}): void {
  saveModelDir(dir, LM, model.params(), meta, opts.dtype);
}

/** Reads model.json without the weights. */
export function readLanguageModelMeta(dir: string): LmModelJson {
  return readModelJson<LmMeta>(dir, LM);
}

/** Loads a saved language model; every problem is a UserError naming the file. */
export function loadLanguageModel(dir: string): { model: LanguageModel; meta: LmMeta } {
  return loadModelDir<LmMeta, LanguageModel>(dir, LM, (json) => new LanguageModel(json.arch, json.vocab, 0));
}
