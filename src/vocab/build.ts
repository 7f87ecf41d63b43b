/**
 * Building the word, character and tag vocabularies of a corpus in one pass over its sentences
 * (an array, a generator, or a streamed file reader such as `readConll`).
 */
import type { Sentence } from '../data/types.js';
import { PAD, UNK, Vocabulary, coverageOf, normalizer, type Coverage, type Normalization } from './vocabulary.js';

export type Sentences = Iterable<Sentence> | AsyncIterable<Sentence>;

export interface BuildVocabOptions extends Normalization {
  /** Words: keep those seen at least this often. Default 1. */
  minCount?: number;
  /** Words: at most this many entries, `<pad>` and `<unk>` included. Default: no limit. */
  maxSize?: number;
  /** Characters: keep those seen at least this often. Default 1. */
  charMinCount?: number;
  /** Characters: at most this many entries, reserved ones included. Default: no limit. */
  charMaxSize?: number;
}

/** Symbol counts of a corpus. Words are counted after normalisation; characters as written. */
export interface SymbolCounts {
  sentences: number;
  tokens: number;
  words: Map<string, number>;
  /** Characters are code points (an emoji is one character), counted over token occurrences. */
  chars: Map<string, number>;
  tags: Map<string, number>;
}

/** The three tables of a tagger, and what they were built from. */
export interface VocabSet {
  words: Vocabulary;
  chars: Vocabulary;
  /** Tags: `<pad>` = 0 and no `<unk>` (an unknown tag is an error, not a guess). */
  tags: Vocabulary;
  /** Sentences and tokens of the corpus the tables were built from. */
  stats: { sentences: number; tokens: number };
  /** The build options, for the record. */
  options: BuildVocabOptions;
}

const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);

/** Count words (normalised by `n`), characters and tags. */
export async function countSymbols(sentences: Sentences, n: Normalization = {}): Promise<SymbolCounts> {
  const norm = normalizer(n);
  const counts: SymbolCounts = { sentences: 0, tokens: 0, words: new Map(), chars: new Map(), tags: new Map() };
  for await (const s of sentences as AsyncIterable<Sentence>) {
    counts.sentences++;
    counts.tokens += s.tokens.length;
    for (const tok of s.tokens) {
      bump(counts.words, norm(tok));
      for (const ch of tok) bump(counts.chars, ch);
    }
    for (const tag of s.tags) bump(counts.tags, tag);
  }
  return counts;
}

/** Build the word, character and tag vocabularies of a corpus. */
export async function buildVocabularies(sentences: Sentences, options: BuildVocabOptions = {}): Promise<VocabSet> {
  const n = { lowercase: options.lowercase ?? false, digitsToZero: options.digitsToZero ?? false };
  const counts = await countSymbols(sentences, n);
  return {
    words: Vocabulary.fromCounts(counts.words, { ...n, minCount: options.minCount, maxSize: options.maxSize }),
    chars: Vocabulary.fromCounts(counts.chars, { minCount: options.charMinCount, maxSize: options.charMaxSize }),
    tags: Vocabulary.fromCounts(counts.tags, { specials: [PAD] }),
    stats: { sentences: counts.sentences, tokens: counts.tokens },
    options: { ...options, ...n },
  };
}

/** Coverage of another corpus (e.g. the dev set) by a vocabulary: see `Coverage`. */
export async function corpusCoverage(vocab: Vocabulary, sentences: Sentences): Promise<Coverage> {
  const counts = new Map<string, number>();
  for await (const s of sentences as AsyncIterable<Sentence>) for (const tok of s.tokens) bump(counts, tok);
  return coverageOf(vocab, counts);
}

export { PAD, UNK };
