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
import { SequenceTagger, type TaggerArchitecture, type TaggerVocab } from './model.js';
import type { StorageDType } from '../nn/index.js';
import { saveModelDir, readModelJson, loadModelDir, MODEL_JSON, type ModelKind, type ModelJson as StoredModelJson } from '../train/store.js';
import { transitionMask, type SchemeName } from '../data/schemes.js';
import type { CRFAllowed } from '../nn/index.js';
import { withoutInit } from '../tensor/init.js';
import type { Buf } from '../tensor/index.js';

export const MODEL_FORMAT = 'bilstm-ner/model';
export const MODEL_VERSION = 1;
export const MODEL_FILE = MODEL_JSON;

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
  /** Set by `ner pack`: the word-table rows kept out of how many, and the storage type. */
  packed?: { from: string; wordsBefore: number; words: number; dtype: string };
}

/** What `readModelMeta` returns: model.json with its header and weight manifest. */
export type ModelJson = StoredModelJson<ModelMeta>;

const TAGGER: ModelKind = {
  format: MODEL_FORMAT, version: MODEL_VERSION, noun: 'model',
  required: ['arch', 'vocab', 'trainScheme', 'dataScheme'],
  otherFormats: { 'bilstm-ner/lm': 'a language model, not a tagger (use it with ner lm sample / ner lm eval)' },
};

/** Saves `model` with `meta` into `dir` (created if needed). */
export function saveModel(dir: string, model: SequenceTagger, meta: ModelMeta, opts: { dtype?: StorageDType } = {}): void {
  saveModelDir(dir, TAGGER, model.params(), meta, opts.dtype);
}

/** Reads model.json without the weights (for `ner info`). */
export function readModelMeta(dir: string): ModelJson {
  return readModelJson<ModelMeta>(dir, TAGGER);
}

/**
 * Loads a saved model for tagging (projection cache on); every problem is a UserError naming the file.
 * @param o.wordTable  the word-embedding table of this same model as another thread loaded it
 *                     (a view of its shared memory): used in place, not read from the file (the
 *                     tagging workers of TagPool; see Embedding.shareTable)
 */
export function loadModel(dir: string, o: { wordTable?: Buf } = {}): { model: SequenceTagger; meta: ModelMeta } {
  const inPlace = new Set<string>();
  const t = loadModelDir<ModelMeta, SequenceTagger>(dir, TAGGER, (json) => {
    const model = withoutInit(() => new SequenceTagger(json.arch, json.vocab, 0, json.decoder === 'crf' ? crfAllowed(json.vocab.tags, json.trainScheme) : undefined));
    if (o.wordTable) {
      model.wordEmb.shareTable(o.wordTable);
      inPlace.add(model.wordEmb.weight.name);
    }
    return model;
  }, inPlace);
  t.model.enableProjectionCache(); // a loaded model tags: its weights stay as they are
  return t;
}

/** The CRF transition constraints of a tag set in a scheme (the same tables span extraction uses). */
export function crfAllowed(tags: readonly string[], scheme: SchemeName): CRFAllowed {
  const m = transitionMask(tags, scheme);
  return { transitions: m.allowed, start: m.start, end: m.end };
}
