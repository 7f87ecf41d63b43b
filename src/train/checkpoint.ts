/**
 * Training checkpoints: everything needed to continue a run exactly.
 *
 * Layout of the checkpoint directory:
 *   checkpoint.json         — format version, loop/task/optimizer JSON state, tensor manifest,
 *                             the name and sha256 of the tensor file
 *   tensors-<sha8>.bin      — parameters and optimizer buffers, float32 little-endian
 * The tensor file is written first under a content-derived name, then checkpoint.json is
 * replaced atomically, then stale tensor files are removed. A crash at any moment leaves a
 * checkpoint.json that points to a complete tensor file.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, unlinkSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { Buf } from '../tensor/index.js';
import type { Param } from '../nn/param.js';
import { writeFileAtomicSync } from '../util/atomic.js';
import { UserError } from '../errors.js';

export const CHECKPOINT_FORMAT = 'bilstm-ner/checkpoint';
export const CHECKPOINT_VERSION = 1;

export interface CheckpointData {
  loop: unknown;
  task: unknown;
  optimizer: { json: unknown; buffers: Record<string, Buf> };
  config: Record<string, unknown>;
}

interface TensorEntry {
  name: string;
  length: number;
  offset: number; // in float32 elements
}

/** Writes a checkpoint of `params` and `data` into `dir` (created if needed). */
export function saveCheckpoint(dir: string, params: Param[], data: CheckpointData): void {
  mkdirSync(dir, { recursive: true });
  const tensors: { name: string; buf: Buf }[] = [
    ...params.map((p) => ({ name: `param:${p.name}`, buf: p.value })),
    ...Object.entries(data.optimizer.buffers).map(([name, buf]) => ({ name: `optim:${name}`, buf })),
  ];
  const total = tensors.reduce((s, t) => s + t.buf.length, 0);
  const all = new Float32Array(total);
  const manifest: TensorEntry[] = [];
  let off = 0;
  for (const t of tensors) {
    all.set(t.buf, off);
    manifest.push({ name: t.name, length: t.buf.length, offset: off });
    off += t.buf.length;
  }
  const bytes = new Uint8Array(all.buffer, all.byteOffset, all.byteLength);
  const sha = createHash('sha256').update(bytes).digest('hex');
  const file = `tensors-${sha.slice(0, 12)}.bin`;
  writeFileAtomicSync(path.join(dir, file), bytes);
  const json = {
    format: CHECKPOINT_FORMAT, version: CHECKPOINT_VERSION, savedAt: new Date().toISOString(),
    file, sha256: sha, tensors: manifest,
    loop: data.loop, task: data.task, optimizer: data.optimizer.json, config: data.config,
  };
  writeFileAtomicSync(path.join(dir, 'checkpoint.json'), JSON.stringify(json));
  for (const f of readdirSync(dir)) {
    if (/^tensors-[0-9a-f]+\.bin$/.test(f) && f !== file) {
      try { unlinkSync(path.join(dir, f)); } catch { /* best effort */ }
    }
  }
}

/**
 * Loads a checkpoint into `params` (values copied in place) and returns the rest.
 * Throws a UserError naming the directory on anything missing, corrupt or mismatched.
 */
export function loadCheckpoint(dir: string, params: Param[]): CheckpointData {
  const jsonPath = path.join(dir, 'checkpoint.json');
  if (!existsSync(jsonPath)) throw new UserError(`${dir}: no checkpoint.json (not a checkpoint directory)`);
  let meta: {
    format: string; version: number; file: string; sha256: string; tensors: TensorEntry[];
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
  const bytes = readFileSync(binPath);
  const sha = createHash('sha256').update(bytes).digest('hex');
  if (sha !== meta.sha256) throw new UserError(`${binPath}: checksum mismatch (file corrupt or truncated)`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const byName = new Map(meta.tensors.map((t) => [t.name, t]));
  for (const p of params) {
    const t = byName.get(`param:${p.name}`);
    if (!t) throw new UserError(`${dir}: checkpoint lacks parameter ${p.name} (was it made with other options?)`);
    if (t.length !== p.value.length) {
      throw new UserError(`${dir}: parameter ${p.name} has ${t.length} values in the checkpoint, the model expects ${p.value.length}`);
    }
    p.value.set(all.subarray(t.offset, t.offset + t.length));
  }
  const buffers: Record<string, Buf> = {};
  for (const t of meta.tensors) {
    if (t.name.startsWith('optim:')) buffers[t.name.slice(6)] = all.slice(t.offset, t.offset + t.length);
  }
  return { loop: meta.loop, task: meta.task, optimizer: { json: meta.optimizer, buffers }, config: meta.config };
}
