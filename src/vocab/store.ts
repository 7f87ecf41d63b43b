/**
 * Vocabulary files (`vocab/NAME.json`): human-readable JSON, one entry per line, versioned.
 *
 *   {
 *     "format": "bilstm-ner/vocab",
 *     "version": 1,
 *     "options": { "lowercase": false, "digitsToZero": true, "minCount": 1 },
 *     "stats": { "sentences": 14041, "tokens": 203621 },
 *     "words": {
 *       "lowercase": false, "digitsToZero": true, "specials": ["<pad>", "<unk>"], "size": 23626,
 *       "entries": [
 *         ["<pad>", 0],
 *         ["<unk>", 0],
 *         [".", 7374],          ← [symbol, count in the training corpus], in id order
 *         ...
 *     },
 *     "chars": { ... }, "tags": { ... }
 *   }
 *
 * Files are written to a temporary name and renamed. Loading checks everything and fails with a
 * UserError naming the file: not JSON, not a vocabulary, a newer format version, a bad table.
 */
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { fileError } from '../data/lines.js';
import { Vocabulary, type VocabData } from './vocabulary.js';
import type { BuildVocabOptions, VocabSet } from './build.js';

export const VOCAB_FORMAT = 'bilstm-ner/vocab';
export const VOCAB_VERSION = 1;
const TABLES = ['words', 'chars', 'tags'] as const;

function tableJson(v: Vocabulary, indent: string): string {
  const d = v.toData();
  const head = `"lowercase": ${d.lowercase}, "digitsToZero": ${d.digitsToZero}, "specials": [${d.specials.map((x) => JSON.stringify(x)).join(', ')}], "size": ${v.size}`;
  const rows = d.entries.map(([w, c]) => `${indent}    [${JSON.stringify(w)}, ${c}]`).join(',\n');
  return `{\n${indent}  ${head},\n${indent}  "entries": [\n${rows}\n${indent}  ]\n${indent}}`;
}

/** The file's text: one entry per line, so that a diff or `less` shows the table. */
export function vocabToJson(set: VocabSet): string {
  const lines = [
    '{',
    `  "format": ${JSON.stringify(VOCAB_FORMAT)},`,
    `  "version": ${VOCAB_VERSION},`,
    `  "options": ${JSON.stringify(set.options)},`,
    `  "stats": ${JSON.stringify(set.stats)},`,
    ...TABLES.map((t, i) => `  "${t}": ${tableJson(set[t], '  ')}${i < TABLES.length - 1 ? ',' : ''}`),
    '}',
  ];
  return lines.join('\n') + '\n';
}

/** Write `file` atomically (temporary name + rename), creating its directory. */
export async function saveVocabFile(file: string, set: VocabSet): Promise<void> {
  await fsp.mkdir(path.dirname(path.resolve(file)), { recursive: true });
  await writeFileAtomic(file, vocabToJson(set));
}

/** 1-based line of a character position. */
function lineAt(text: string, pos: number): number {
  let line = 1;
  for (let i = 0; i < pos && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

function tableFrom(raw: unknown, name: string, file: string): Vocabulary {
  const bad = (problem: string) => new InputError(file, null, `"${name}": ${problem}`);
  if (!isObject(raw)) throw bad('missing or not an object');
  const { specials, entries, lowercase, digitsToZero, size } = raw;
  if (!Array.isArray(specials) || !specials.every((s) => typeof s === 'string')) throw bad('"specials" must be a list of strings');
  if (!Array.isArray(entries)) throw bad('"entries" must be a list');
  for (const k of ['lowercase', 'digitsToZero'] as const) {
    if (raw[k] !== undefined && typeof raw[k] !== 'boolean') throw bad(`"${k}" must be true or false`);
  }
  entries.forEach((e, i) => {
    if (!Array.isArray(e) || e.length !== 2 || typeof e[0] !== 'string' || !Number.isInteger(e[1]) || (e[1] as number) < 0) {
      throw bad(`entry ${i} must be [symbol, count] with a count >= 0, not ${JSON.stringify(e)}`);
    }
  });
  if (size !== undefined && size !== entries.length) throw bad(`"size" is ${JSON.stringify(size)} but there are ${entries.length} entries`);
  const data: VocabData = {
    specials: specials as string[], entries: entries as [string, number][],
    lowercase: lowercase as boolean | undefined, digitsToZero: digitsToZero as boolean | undefined,
  };
  try {
    return new Vocabulary(data);
  } catch (err) {
    throw bad((err as Error).message.replace(/^vocabulary: /, ''));
  }
}

/** Parse and check the text of a vocabulary file; `file` names it in error messages. */
export function vocabFromJson(text: string, file: string): VocabSet {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const m = /position (\d+)/.exec((err as Error).message);
    throw new InputError(file, m ? lineAt(text, Number(m[1])) : null, `not valid JSON (${(err as Error).message}); the file is damaged`);
  }
  if (!isObject(raw) || raw.format !== VOCAB_FORMAT) {
    throw new InputError(file, null, `not a vocabulary file (expected "format": "${VOCAB_FORMAT}")`);
  }
  const version = raw.version;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new InputError(file, null, `bad format version ${JSON.stringify(version)}`);
  }
  if (version > VOCAB_VERSION) {
    throw new InputError(file, null,
      `written by a newer bilstm-ner (vocabulary format version ${version}; this version reads up to ${VOCAB_VERSION}); upgrade bilstm-ner or rebuild the vocabulary`);
  }
  const stats = isObject(raw.stats) ? raw.stats : {};
  return {
    words: tableFrom(raw.words, 'words', file),
    chars: tableFrom(raw.chars, 'chars', file),
    tags: tableFrom(raw.tags, 'tags', file),
    stats: { sentences: Number(stats.sentences ?? 0), tokens: Number(stats.tokens ?? 0) },
    options: (isObject(raw.options) ? raw.options : {}) as BuildVocabOptions,
  };
}

/** Read and check a vocabulary file (see `vocabFromJson`). */
export async function loadVocabFile(file: string): Promise<VocabSet> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (err) {
    throw fileError(file, err);
  }
  return vocabFromJson(text, file);
}
