/**
 * Re-packaging a trained model for shipping: keep the first N rows of its word table and store
 * the weights in a smaller type. The word table's rows are ordered training words first (most
 * frequent first), then the pretrained vectors added beyond them (`--extra-vectors`, in the
 * vector file's frequency order), so keeping a prefix drops the rarest added words; they read as
 * <unk> afterwards. Every other weight is copied unchanged (then stored in `dtype`).
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { SequenceTagger } from './model.js';
import { loadModel, saveModel, readModelMeta, crfAllowed, MODEL_FILE, type ModelMeta } from './store.js';
import { QUANTIZED_MIN_ROWS, type StorageDType } from '../nn/index.js';
import { UserError } from '../errors.js';
import { withoutInit } from '../tensor/init.js';

export interface PackOptions {
  /** Rows of the word table to keep (counting <pad> and <unk>); default all. */
  words?: number;
  dtype: StorageDType;
  /** Replace a model already in the output directory. */
  overwrite?: boolean;
}

export interface PackResult {
  wordsBefore: number;
  wordsAfter: number;
  dtype: StorageDType;
  /** Bytes on disk (model.json + weights) of the source and of the packed model. */
  bytesBefore: number;
  bytesAfter: number;
  /** quantizationNote of the packed model ('' when nothing to say). */
  note: string;
}

/** Bytes on disk of a saved model: model.json plus its weights file. */
export function modelBytes(dir: string): number {
  return statSync(path.join(dir, MODEL_FILE)).size + statSync(path.join(dir, readModelMeta(dir).weights.file)).size;
}

export function packModel(src: string, out: string, o: PackOptions): PackResult {
  if (path.resolve(src) === path.resolve(out)) throw new UserError(`${out}: write the packed model to another directory than --model`);
  if (!o.overwrite && existsSync(path.join(out, MODEL_FILE))) throw new UserError(`${out} already holds a model: use --overwrite to replace it`);
  const { model, meta } = loadModel(src);
  const V = meta.vocab.words.length;
  const keep = o.words ?? V;
  if (!(Number.isInteger(keep) && keep >= 2)) throw new UserError(`--words must be a whole number ≥ 2 (the table starts with <pad> and <unk>), not ${o.words}`);
  const W = Math.min(keep, V);
  const vocab = { ...meta.vocab, words: meta.vocab.words.slice(0, W) };
  const packed = withoutInit(() => new SequenceTagger(meta.arch, vocab, 0, meta.decoder === 'crf' ? crfAllowed(vocab.tags, meta.trainScheme) : undefined));
  const from = new Map(model.params().map((p) => [p.name, p]));
  for (const p of packed.params()) {
    const q = from.get(p.name);
    if (!q) throw new Error(`pack: parameter ${p.name} missing from the source model`);
    // Same shapes except the word table, whose first W rows are kept (row-major [V, Dw]).
    p.value.set(q.value.subarray(0, p.value.length));
  }
  const newMeta: ModelMeta = {
    ...meta, vocab,
    ...(meta.embeddings ? { embeddings: packedEmbeddings(meta.embeddings, V, W) } : {}),
    packed: { from: path.basename(path.resolve(src)), wordsBefore: V, words: W, dtype: o.dtype },
  };
  saveModel(out, packed, newMeta, { dtype: o.dtype });
  return {
    wordsBefore: V, wordsAfter: W, dtype: o.dtype, bytesBefore: modelBytes(src), bytesAfter: modelBytes(out),
    note: quantizationNote(out, o.dtype),
  };
}

/** The embeddings record after keeping W of V rows: the count of initialised rows is no longer known. */
function packedEmbeddings(e: Record<string, unknown>, V: number, W: number): Record<string, unknown> {
  const { rowsInitialised, ...rest } = e;
  return W < V && rowsInitialised !== undefined
    ? { ...rest, vocabulary: W, rowsInitialisedBeforePacking: rowsInitialised }
    : { ...e, vocabulary: W };
}

/**
 * For a model saved with `dtype` int8/int4: a note when no table was large enough to be stored
 * that way (everything went to float16), else ''.
 */
export function quantizationNote(dir: string, dtype: StorageDType): string {
  if (dtype !== 'int8' && dtype !== 'int4') return '';
  if (readModelMeta(dir).weights.manifest.tensors.some((e) => e.dtype === dtype)) return '';
  return ` (no table of ${QUANTIZED_MIN_ROWS.toLocaleString('en-US')} rows or more to store in ${dtype}: float16 throughout)`;
}
