/** What `ner info` shows about a saved model, read from model.json alone (no weights loaded). */
import { statSync } from 'node:fs';
import path from 'node:path';
import { readModelMeta } from './store.js';

export interface ModelInfo {
  dir: string;
  format: string;
  version: number;
  savedAt: string;
  architecture: Record<string, unknown>;
  decoder: string;
  schemes: { model: string; data: string };
  vocabulary: { words: number; chars: number; tags: number; tagList: string[] };
  parameters: number;
  weights: { file: string; bytes: number; dtype: string[]; sha256: string };
  embeddings?: Record<string, unknown>;
  packed?: Record<string, unknown>;
  training?: Record<string, unknown>;
  best?: Record<string, unknown>;
}

export function modelInfo(dir: string): ModelInfo {
  const m = readModelMeta(dir);
  const entries = m.weights.manifest.tensors;
  const parameters = entries.reduce((s, e) => s + e.shape.reduce((a, b) => a * b, 1), 0);
  let bytes = 0;
  try { bytes = statSync(path.join(dir, m.weights.file)).size; } catch { /* reported as 0 */ }
  const { epochs, ...training } = (m.training ?? {}) as Record<string, unknown> & { epochs?: Record<string, unknown>[] };
  const best = Array.isArray(epochs) ? epochs.filter((e) => e.best).at(-1) : undefined;
  return {
    dir, format: m.format, version: m.version, savedAt: m.savedAt, architecture: { ...m.arch },
    decoder: m.decoder, schemes: { model: m.trainScheme, data: m.dataScheme },
    vocabulary: { words: m.vocab.words.length, chars: m.vocab.chars.length, tags: m.vocab.tags.length, tagList: m.vocab.tags },
    parameters,
    weights: { file: m.weights.file, bytes, dtype: [...new Set(entries.map((e) => e.dtype))], sha256: m.weights.manifest.sha256 },
    embeddings: m.embeddings, ...(m.packed ? { packed: m.packed } : {}), training: m.training ? { ...training, epochsRun: Array.isArray(epochs) ? epochs.length : undefined } : undefined,
    best,
  };
}

export function formatModelInfo(i: ModelInfo): string {
  const lines: string[] = [];
  const kv = (k: string, v: unknown) => lines.push(`${k.padEnd(18)} ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`);
  kv('model', i.dir);
  kv('format', `${i.format} v${i.version} (saved ${i.savedAt})`);
  kv('architecture', Object.entries(i.architecture).map(([k, v]) => `${k}=${v}`).join(' '));
  kv('decoder', i.decoder);
  kv('tag schemes', `model ${i.schemes.model}, output ${i.schemes.data}`);
  kv('vocabulary', `${i.vocabulary.words} words, ${i.vocabulary.chars} chars, ${i.vocabulary.tags} tags`);
  kv('tags', i.vocabulary.tagList.join(' '));
  kv('parameters', `${i.parameters.toLocaleString('en-US')} (${i.weights.dtype.join('+')}, ${(i.weights.bytes / 1e6).toFixed(1)} MB)`);
  kv('weights sha256', i.weights.sha256);
  if (i.embeddings) kv('embeddings', i.embeddings);
  if (i.packed) kv('packed', i.packed);
  const data = (i.training?.data ?? {}) as Record<string, { file: string; sha256: string; sentences: number }>;
  for (const [k, d] of Object.entries(data)) kv(`${k} data`, `${d.file} (${d.sentences} sentences, sha256 ${d.sha256.slice(0, 16)}…)`);
  if (i.best) {
    const b = i.best as Record<string, number>;
    kv('best epoch', `${b.epoch}: dev F1 ${(100 * b.dev_score).toFixed(2)} (P ${(100 * (b.dev_precision ?? 0)).toFixed(2)}, R ${(100 * (b.dev_recall ?? 0)).toFixed(2)})`);
  }
  if (i.training) {
    const t = i.training as Record<string, unknown>;
    kv('training', ['optimizer', 'lr', 'lrDecay', 'batchSize', 'clipNorm', 'seed', 'epochsRun', 'trainSeconds']
      .filter((k) => t[k] !== undefined).map((k) => `${k}=${typeof t[k] === 'number' && k === 'trainSeconds' ? Math.round(t[k] as number) : t[k]}`).join(' '));
  }
  return lines.join('\n') + '\n';
}
