/**
 * Training checkpoints: everything needed to continue a run exactly.
 *
 * Layout of the checkpoint directory:
 *   checkpoint.json         — format version, loop/task/optimizer JSON state, and the tensor
 *                             manifest (names, shapes, offsets, sha256) of the tensor file
 *   tensors-<sha>.bin       — parameters and optimizer buffers (src/nn/serialize.ts, float32)
 * The tensor file is written first under a content-derived name, then checkpoint.json is
 * replaced atomically, then stale tensor files are removed. A crash at any moment leaves a
 * checkpoint.json that points to a complete tensor file.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Buf } from '../tensor/index.js';
import type { Param } from '../nn/param.js';
import { writeJsonWithBlob } from '../util/atomic.js';
import { packTensors, unpackTensors, SerializeError, type Manifest } from '../nn/serialize.js';
import { UserError } from '../errors.js';

export const CHECKPOINT_FORMAT = 'bilstm-ner/checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointData {
  loop: unknown;
  task: unknown;
  optimizer: { json: unknown; buffers: Record<string, Buf> };
  config: Record<string, unknown>;
}

/** Writes a checkpoint of `params` and `data` into `dir` (created if needed). */
export function saveCheckpoint(dir: string, params: Param[], data: CheckpointData): void {
  const { manifest, blob } = packTensors([
    ...params.map((p) => ({ name: `param:${p.name}`, shape: p.shape, data: p.value })),
    ...Object.entries(data.optimizer.buffers).map(([name, buf]) => ({ name: `optim:${name}`, shape: [buf.length], data: buf })),
  ]);
  writeJsonWithBlob(dir, 'checkpoint.json', 'tensors', blob, manifest.sha256, (file) => ({
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, savedAt: new Date().toISOString(),
    file, manifest, loop: data.loop, task: data.task, optimizer: data.optimizer.json, config: data.config,
  }));
}

/**
 * Loads a checkpoint into `params` (values copied in place) and returns the rest.
 * Throws a UserError naming the directory on anything missing, corrupt or mismatched.
 */
export function loadCheckpoint(dir: string, params: Param[]): CheckpointData {
  const jsonPath = path.join(dir, 'checkpoint.json');
  if (!existsSync(jsonPath)) throw new UserError(`${dir}: no checkpoint.json (not a checkpoint directory)`);
  let meta: {
    format: string; version: number; file: string; manifest: Manifest;
    loop: unknown; task: unknown; optimizer: unknown; config: Record<string, unknown>;
  };
  try {
    meta = JSON.parse(readFileSync(jsonPath, 'utf8'));
  } catch (e) {
    throw new UserError(`${jsonPath}: corrupt checkpoint (${(e as Error).message})`);
  }
  if (meta.format !== CHECKPOINT_FORMAT) throw new UserError(`${jsonPath}: not a bilstm-ner checkpoint`);
  if (meta.version > CHECKPOINT_VERSION) {
    throw new UserError(`${jsonPath}: checkpoint format version ${meta.version} is newer than this bilstm-ner understands (${CHECKPOINT_VERSION}); upgrade bilstm-ner`);
  }
  const binPath = path.join(dir, meta.file);
  if (!existsSync(binPath)) throw new UserError(`${binPath}: missing tensor file of the checkpoint`);
  let tensors: Map<string, { shape: number[]; data: Buf }>;
  try {
    tensors = unpackTensors(meta.manifest, readFileSync(binPath), { source: binPath });
  } catch (e) {
    if (e instanceof SerializeError) throw new UserError(e.message);
    throw e;
  }
  for (const p of params) {
    const t = tensors.get(`param:${p.name}`);
    if (!t) throw new UserError(`${dir}: checkpoint lacks parameter ${p.name} (was it made with other options?)`);
    if (t.data.length !== p.value.length) {
      throw new UserError(`${dir}: parameter ${p.name} has ${t.data.length} values in the checkpoint, the model expects ${p.value.length}`);
    }
    p.value.set(t.data);
  }
  const buffers: Record<string, Buf> = {};
  for (const [name, t] of tensors) if (name.startsWith('optim:')) buffers[name.slice(6)] = t.data;
  return { loop: meta.loop, task: meta.task, optimizer: { json: meta.optimizer, buffers }, config: meta.config };
}
