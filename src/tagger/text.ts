/**
 * Tagging raw text: split into sentences, tokenize with character offsets, run the model, and
 * report entities with their character offsets into the input, type and confidence.
 */
import { splitSentences, type SentenceSpan, type SplitOptions } from '../text/index.js';
import { predict, type Tagger, type PredictOptions, type SentencePrediction } from './tagger.js';

export interface TaggedToken {
  text: string;
  /** Character offsets (UTF-16 code units) into the input: input.slice(start, end) === text. */
  start: number;
  end: number;
  /** Predicted tag (output scheme). */
  tag: string;
}

export interface TaggedEntity {
  type: string;
  /** The entity's text: input.slice(start, end). */
  text: string;
  start: number;
  end: number;
  /** Confidence in [0, 1]: see `spanScore` (softmax) or the CRF's span marginal. */
  score: number;
  /** Token range [tokenStart, tokenEnd) within the sentence. */
  tokenStart: number;
  tokenEnd: number;
}

export interface TaggedSentence {
  /** The sentence text: input.slice(start, end). */
  text: string;
  start: number;
  end: number;
  tokens: TaggedToken[];
  entities: TaggedEntity[];
  /** With `topK`: the K most probable tag sequences of the sentence and their probabilities. */
  alternatives?: { tags: string[]; probability: number }[];
}

export interface TagTextOptions extends PredictOptions, SplitOptions {
  /** Added to every offset (for text that is a slice of a larger input). Default 0. */
  offset?: number;
}

/** Tags a text; offsets refer to `text` (plus `offset`). */
export function tagText(t: Tagger, text: string, o: TagTextOptions = {}): TaggedSentence[] {
  const sentences = splitSentences(text, { newlines: o.newlines });
  const preds = predict(t, sentences.map((s) => s.tokens.map((k) => k.text)), o);
  return sentences.map((s, i) => taggedSentence(text, s, preds[i], o.offset ?? 0));
}

/**
 * One sentence of `text` (as splitSentences found it) with its prediction: tokens with their tags
 * and entities with character offsets into `text`, plus `base`.
 */
export function taggedSentence(text: string, s: SentenceSpan, p: SentencePrediction, base = 0): TaggedSentence {
  return {
    text: text.slice(s.start, s.end), start: base + s.start, end: base + s.end,
    tokens: s.tokens.map((k, j) => ({ text: k.text, start: base + k.start, end: base + k.end, tag: p.tags[j] })),
    entities: p.entities.map((e) => {
      const start = s.tokens[e.start].start, end = s.tokens[e.end - 1].end;
      return { type: e.type, text: text.slice(start, end), start: base + start, end: base + end, score: e.score, tokenStart: e.start, tokenEnd: e.end };
    }),
    ...(p.alternatives ? { alternatives: p.alternatives } : {}),
  };
}

/** `[PER Angela Merkel] visited [LOC Paris] .` — tokens joined by spaces, entities bracketed. */
export function formatInline(s: TaggedSentence): string {
  const parts: string[] = [];
  let t = 0;
  for (const e of s.entities) {
    while (t < e.tokenStart) parts.push(s.tokens[t++].text);
    parts.push(`[${e.type} ${s.tokens.slice(e.tokenStart, e.tokenEnd).map((k) => k.text).join(' ')}]`);
    t = e.tokenEnd;
  }
  while (t < s.tokens.length) parts.push(s.tokens[t++].text);
  return parts.join(' ');
}

/** The JSON object of one sentence, as `ner tag --output-format json|jsonl` prints it. */
export function sentenceJson(s: TaggedSentence): object {
  return {
    text: s.text, start: s.start, end: s.end,
    tokens: s.tokens.map((k) => ({ text: k.text, start: k.start, end: k.end, tag: k.tag })),
    entities: s.entities.map((e) => ({ type: e.type, text: e.text, start: e.start, end: e.end, score: round(e.score) })),
    ...(s.alternatives ? { alternatives: s.alternatives.map((a) => ({ tags: a.tags, probability: round(a.probability) })) } : {}),
  };
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
