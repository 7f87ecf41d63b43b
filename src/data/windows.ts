/**
 * Very long "sentences" (a file without blank lines is one sentence of every token) cut into
 * windows of bounded length. A forward pass holds states for T×B tokens, so training or tagging
 * one 28,000-token sentence at once costs memory in proportion; in windows it stays bounded.
 */
import type { Sentence } from './types.js';

/** Longest sentence trained or tagged in one piece; longer ones are cut into windows. */
export const MAX_SENTENCE_TOKENS = 1000;

/**
 * Where to cut a sentence of `length` tokens into windows of at most `max` tokens: the start
 * of every window after the first. With tags, a cut goes before an `O` token in the second half
 * of the window when there is one (so no entity is cut in two); otherwise at `max` tokens.
 */
export function windowStarts(length: number, max = MAX_SENTENCE_TOKENS, tags?: readonly string[]): number[] {
  const starts: number[] = [];
  let start = 0;
  while (length - start > max) {
    let cut = start + max;
    if (tags) {
      for (let j = start + max; j > start + max / 2; j--) {
        if (tags[j] === 'O') { cut = j; break; }
      }
    }
    starts.push(cut);
    start = cut;
  }
  return starts;
}

/** The sentences with every one longer than `max` tokens cut into windows (see windowStarts). */
export function splitLongSentences(sentences: readonly Sentence[], max = MAX_SENTENCE_TOKENS): { sentences: Sentence[]; split: number } {
  let split = 0;
  const out: Sentence[] = [];
  for (const s of sentences) {
    if (s.tokens.length <= max) { out.push(s); continue; }
    split++;
    const bounds = [0, ...windowStarts(s.tokens.length, max, s.tags.length > 0 ? s.tags : undefined), s.tokens.length];
    for (let k = 0; k + 1 < bounds.length; k++) {
      const [a, b] = [bounds[k], bounds[k + 1]];
      out.push({
        tokens: s.tokens.slice(a, b),
        tags: s.tags.slice(a, b),
        ...(s.columns ? { columns: s.columns.slice(a, b) } : {}),
        ...(s.line !== undefined ? { line: s.line + a } : {}),
        ...(k === 0 && s.docStart ? { docStart: true, docStartText: s.docStartText } : {}),
        ...(s.id !== undefined ? { id: s.id } : {}),
      });
    }
  }
  return { sentences: out, split };
}
