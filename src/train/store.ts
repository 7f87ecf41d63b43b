/**
 * Saved-model directories, shared by the tagger and the language model (as checkpoints are):
 *
 *   model.json            — format name and version, the model's own description (`meta`), and
 *                           the manifest (names, shapes, dtypes, sha256) of
 *   weights-<sha12>.bin   — the parameters (float32, or float16 for shipping)
 *
 * Written crash-safely (src/util/atomic.ts): a crash never leaves a half model. Reading checks
 * the format, the version, the required fields, the checksum and every parameter's shape, and
 * fails with one UserError naming the file.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { packParams, unpackParams, SerializeError, type Manifest, type Param, type StorageDType } from '../nn/index.js';
import { writeJsonWithBlob } from '../util/atomic.js';
import { UserError } from '../errors.js';

export const MODEL_JSON = 'model.json';

/** What kind of model a directory holds, for writing and for checking what is read. */
export interface ModelKind {
  format: string;
  version: number;
  /** In messages: "model", "language model". */
  noun: string;
  /** Fields model.json must have besides the weights. */
  required: readonly string[];
  /** Messages for directories of another known kind, by their format. */
  otherFormats?: Readonly<Record<string, string>>;
}

/** model.json as written: the kind's header, the model's description, the weights' manifest. */
export type ModelJson<Meta> = Meta & {
  format: string;
  version: number;
  savedAt: string;
  weights: { file: string; manifest: Manifest };
};

/** Saves `params` and `meta` into `dir` (created if needed). */
export function saveModelDir(dir: string, kind: ModelKind, params: Param[], meta: object, dtype: StorageDType = 'float32'): void {
  const { manifest, blob } = packParams(params, { storage: dtype });
  writeJsonWithBlob(dir, MODEL_JSON, 'weights', blob, manifest.sha256, (file) => ({
    format: kind.format, version: kind.version, savedAt: new Date().toISOString(), ...meta,
    weights: { file, manifest },
  }));
}

/** Reads and checks model.json without the weights. */
export function readModelJson<Meta>(dir: string, kind: ModelKind): ModelJson<Meta> {
  if (!existsSync(dir)) throw new UserError(`${dir}: no such model directory`);
  if (!statSync(dir).isDirectory()) throw new UserError(`${dir}: not a directory (a ${kind.noun} is a directory holding ${MODEL_JSON})`);
  const file = path.join(dir, MODEL_JSON);
  if (!existsSync(file)) throw new UserError(`${file}: missing (is ${dir} a bilstm-ner ${kind.noun} directory?)`);
  let json: ModelJson<Meta>;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UserError(`${file}: corrupt model file (${(e as Error).message})`);
  }
  const other = kind.otherFormats?.[json?.format];
  if (other) throw new UserError(`${file}: ${other}`);
  if (json?.format !== kind.format) throw new UserError(`${file}: not a bilstm-ner ${kind.noun} (format ${JSON.stringify(json?.format)})`);
  if (typeof json.version !== 'number') throw new UserError(`${file}: no format version`);
  if (json.version > kind.version) {
    throw new UserError(`${file}: ${kind.noun} format version ${json.version} is newer than this bilstm-ner reads (${kind.version}); upgrade bilstm-ner`);
  }
  for (const k of [...kind.required, 'weights']) {
    if ((json as Record<string, unknown>)[k] === undefined) throw new UserError(`${file}: corrupt model file (no "${k}")`);
  }
  return json;
}

/**
 * Builds the model from its description and loads its weights.
 * @param build  constructs the model (with fresh weights) from model.json
 * @param inPlace  parameters whose values `build` has already put in place (see unpackParams)
 * @returns the model and model.json's description without the header and manifest
 */
export function loadModelDir<Meta, M extends { params(): Param[] }>(
  dir: string, kind: ModelKind, build: (json: ModelJson<Meta>) => M, inPlace?: ReadonlySet<string>,
): { model: M; meta: Meta } {
  const json = readModelJson<Meta>(dir, kind);
  const weights = path.join(dir, json.weights.file);
  if (!existsSync(weights)) throw new UserError(`${weights}: missing weights file of the model`);
  let model: M;
  try {
    model = build(json);
  } catch (e) {
    throw new UserError(`${path.join(dir, MODEL_JSON)}: inconsistent model description (${(e as Error).message})`);
  }
  try {
    unpackParams(model.params(), json.weights.manifest, readFileSync(weights), { source: weights, inPlace });
  } catch (e) {
    if (e instanceof SerializeError) {
      const hint = /not the parameters of this model/.test(e.message)
        ? ` (the vocabularies or architecture in ${MODEL_JSON} do not match the weights file)`
        : '';
      throw new UserError(e.message + hint);
    }
    throw e;
  }
  const { format: _f, version: _v, savedAt: _s, weights: _w, ...meta } = json;
  return { model, meta: meta as unknown as Meta };
}
