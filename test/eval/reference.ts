/**
 * An independent, deliberately plain reference for the evaluator tests: a line-by-line
 * transliteration of conlleval's per-token procedure (endOfChunk / startOfChunk as chains of
 * ifs, the "correct chunk so far" flag, counters in maps), written separately from the
 * library's table-driven code. `extended` swaps in the boundary functions of seqeval's default
 * mode (conlleval completed for IOBES), with L/U read as E/S.
 *
 * Input is conlleval's: a list of lines, each `gold pred` or '' for a sentence break.
 */
import type { EvalResult } from '../../src/eval/evaluate.js';

export interface RefCounts {
  tokens: number;
  correctTags: number;
  foundCorrect: number;
  foundGuessed: number;
  correctChunk: number;
  perType: Record<string, { gold: number; predicted: number; correct: number }>;
}

function endOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  let chunkEnd = false;
  if (prevTag === 'B' && tag === 'B') chunkEnd = true;
  if (prevTag === 'B' && tag === 'O') chunkEnd = true;
  if (prevTag === 'I' && tag === 'B') chunkEnd = true;
  if (prevTag === 'I' && tag === 'O') chunkEnd = true;
  if (prevTag === 'E' && tag === 'E') chunkEnd = true;
  if (prevTag === 'E' && tag === 'I') chunkEnd = true;
  if (prevTag === 'E' && tag === 'O') chunkEnd = true;
  if (prevTag === 'I' && tag === 'O') chunkEnd = true;
  if (prevTag !== 'O' && prevTag !== '.' && prevType !== type) chunkEnd = true;
  if (prevTag === ']') chunkEnd = true;
  if (prevTag === '[') chunkEnd = true;
  return chunkEnd;
}

function startOfChunk(prevTag: string, tag: string, prevType: string, type: string): boolean {
  let chunkStart = false;
  if (prevTag === 'B' && tag === 'B') chunkStart = true;
  if (prevTag === 'I' && tag === 'B') chunkStart = true;
  if (prevTag === 'O' && tag === 'B') chunkStart = true;
  if (prevTag === 'O' && tag === 'I') chunkStart = true;
  if (prevTag === 'E' && tag === 'E') chunkStart = true;
  if (prevTag === 'E' && tag === 'I') chunkStart = true;
  if (prevTag === 'O' && tag === 'E') chunkStart = true;
  if (prevTag === 'O' && tag === 'I') chunkStart = true;
  if (tag !== 'O' && tag !== '.' && prevType !== type) chunkStart = true;
  if (tag === '[') chunkStart = true;
  if (tag === ']') chunkStart = true;
  return chunkStart;
}

const alias = (p: string) => (p === 'L' ? 'E' : p === 'U' ? 'S' : p);

function endOfChunkExtended(prevTag: string, tag: string, prevType: string, type: string): boolean {
  prevTag = alias(prevTag);
  tag = alias(tag);
  let chunkEnd = false;
  if (prevTag === 'E') chunkEnd = true;
  if (prevTag === 'S') chunkEnd = true;
  if (prevTag === 'B' && tag === 'B') chunkEnd = true;
  if (prevTag === 'B' && tag === 'S') chunkEnd = true;
  if (prevTag === 'B' && tag === 'O') chunkEnd = true;
  if (prevTag === 'I' && tag === 'B') chunkEnd = true;
  if (prevTag === 'I' && tag === 'S') chunkEnd = true;
  if (prevTag === 'I' && tag === 'O') chunkEnd = true;
  if (prevTag !== 'O' && prevTag !== '.' && prevType !== type) chunkEnd = true;
  return chunkEnd;
}

function startOfChunkExtended(prevTag: string, tag: string, prevType: string, type: string): boolean {
  prevTag = alias(prevTag);
  tag = alias(tag);
  let chunkStart = false;
  if (tag === 'B') chunkStart = true;
  if (tag === 'S') chunkStart = true;
  if (prevTag === 'E' && tag === 'E') chunkStart = true;
  if (prevTag === 'E' && tag === 'I') chunkStart = true;
  if (prevTag === 'S' && tag === 'E') chunkStart = true;
  if (prevTag === 'S' && tag === 'I') chunkStart = true;
  if (prevTag === 'O' && tag === 'E') chunkStart = true;
  if (prevTag === 'O' && tag === 'I') chunkStart = true;
  if (tag !== 'O' && tag !== '.' && prevType !== type) chunkStart = true;
  return chunkStart;
}

function splitAtHyphen(tag: string): [string, string] {
  const m = /^([^-]*)-(.*)$/s.exec(tag);
  const parts: [string, string] = m ? [m[1], m[2]] : [tag, ''];
  if (parts[1] === '0') parts[1] = '';
  return parts;
}

export function referenceConlleval(lines: string[], rules: 'conlleval' | 'extended' = 'conlleval'): RefCounts {
  const end = rules === 'conlleval' ? endOfChunk : endOfChunkExtended;
  const start = rules === 'conlleval' ? startOfChunk : startOfChunkExtended;
  const out: RefCounts = { tokens: 0, correctTags: 0, foundCorrect: 0, foundGuessed: 0, correctChunk: 0, perType: {} };
  const bump = (type: string, key: 'gold' | 'predicted' | 'correct') => {
    out.perType[type] ??= { gold: 0, predicted: 0, correct: 0 };
    out.perType[type][key]++;
  };
  let inCorrect = false;
  let lastCorrect = 'O', lastCorrectType = '', lastGuessed = 'O', lastGuessedType = '';
  for (const line of lines) {
    let features = line === '' ? [] : line.split(' ');
    const boundary = features.length === 0;
    if (boundary) features = ['-X-', 'O', 'O'];
    let [guessed, guessedType] = splitAtHyphen(features[features.length - 1]);
    const [correct, correctType] = splitAtHyphen(features[features.length - 2]);
    if (boundary) guessed = 'O';
    const endC = end(lastCorrect, correct, lastCorrectType, correctType);
    const endG = end(lastGuessed, guessed, lastGuessedType, guessedType);
    if (inCorrect) {
      if (endC && endG && lastGuessedType === lastCorrectType) {
        inCorrect = false;
        out.correctChunk++;
        bump(lastCorrectType, 'correct');
      } else if (endC !== endG || guessedType !== correctType) {
        inCorrect = false;
      }
    }
    const startC = start(lastCorrect, correct, lastCorrectType, correctType);
    const startG = start(lastGuessed, guessed, lastGuessedType, guessedType);
    if (startC && startG && guessedType === correctType) inCorrect = true;
    if (startC) { out.foundCorrect++; bump(correctType, 'gold'); }
    if (startG) { out.foundGuessed++; bump(guessedType, 'predicted'); }
    if (!boundary) {
      if (correct === guessed && guessedType === correctType) out.correctTags++;
      out.tokens++;
    }
    lastGuessed = guessed; lastCorrect = correct; lastGuessedType = guessedType; lastCorrectType = correctType;
  }
  if (inCorrect) { out.correctChunk++; bump(lastCorrectType, 'correct'); }
  return out;
}

/** conlleval input lines for sentences of gold and predicted tags, a blank line between sentences. */
export function toLines(gold: string[][], pred: string[][]): string[] {
  const lines: string[] = [];
  gold.forEach((g, s) => {
    if (s > 0) lines.push('');
    g.forEach((t, i) => lines.push(`${t} ${pred[s][i]}`));
  });
  return lines;
}

/** A small seeded generator (mulberry32) so perturbations are reproducible. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The counts of a library result, in the reference's terms (to compare the two). */
export function countsOf(r: EvalResult): RefCounts {
  const perType: RefCounts['perType'] = {};
  for (const [t, s] of Object.entries(r.types)) perType[t] = { gold: s.gold, predicted: s.predicted, correct: s.correct };
  return {
    tokens: r.overall.tokens,
    correctTags: Math.round(r.overall.accuracy * r.overall.tokens),
    foundCorrect: r.overall.gold,
    foundGuessed: r.overall.predicted,
    correctChunk: r.overall.correct,
    perType,
  };
}
