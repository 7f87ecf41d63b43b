/**
 * Chunk counting exactly as conlleval (the CoNLL-2000/2003 scorer, version 2004-01-26) counts:
 * one pass over the tokens, deciding at each token from the previous and current tags (gold and
 * predicted separately) whether a chunk ends and whether one starts (rules in data/chunks.ts).
 *
 * A predicted chunk is correct when it starts at the same token as a gold chunk, with the same
 * type, and both end at the same token with the type still agreeing. conlleval keeps this as an
 * open "correct so far" flag: raised when both start together with equal types; at each later
 * token, if both end there and their last types agree the chunk is counted, otherwise the flag
 * drops as soon as exactly one of them ends or the current types disagree. A flag still raised
 * at the end of the input counts.
 *
 * A sentence boundary is processed as a token tagged O in both (closing every chunk) that is not
 * counted as a token. Types are split at the first hyphen (`B-X-Y` has type `X-Y`); like the
 * Perl script, a type `0` reads as the empty type.
 */
import { CHUNK_RULES, chunkEnds, chunkStarts, splitTag, type ChunkRuleSet } from '../data/chunks.js';

/** Chunk counts of one type (or overall). */
export interface ChunkCounts {
  /** Chunks in the gold tags. */
  gold: number;
  /** Chunks in the predicted tags. */
  predicted: number;
  /** Predicted chunks that match a gold chunk: same start, end and type. */
  correct: number;
}

export interface ConllevalCounts {
  /** Tokens processed (sentence boundaries are not tokens). */
  tokens: number;
  /** Tokens whose predicted tag equals the gold tag (prefix and type). */
  correctTags: number;
  overall: ChunkCounts;
  /** Per type, keys in the order the types were first seen. */
  types: Map<string, ChunkCounts>;
}

function split(tag: string): [string, string] {
  const [prefix, type] = splitTag(tag);
  // conlleval: `$type = $type ? $type : ""` — Perl's false values are "" and "0".
  return [prefix, type === '0' ? '' : type];
}

/** conlleval's counting state machine; feed it tokens and boundaries in file order. */
export class ConllevalCounter {
  private readonly rules;
  private lastGold = 'O';
  private lastGoldType = '';
  private lastPred = 'O';
  private lastPredType = '';
  private inCorrect = false;
  private readonly counts: ConllevalCounts = {
    tokens: 0,
    correctTags: 0,
    overall: { gold: 0, predicted: 0, correct: 0 },
    types: new Map(),
  };

  constructor(readonly ruleSet: ChunkRuleSet = 'conlleval') {
    this.rules = CHUNK_RULES[ruleSet];
  }

  /** One token with its gold and predicted tags. */
  token(goldTag: string, predTag: string): void {
    const [g, gType] = split(goldTag);
    const [p, pType] = split(predTag);
    this.step(g, gType, p, pType, false);
  }

  /** A sentence boundary (blank line): closes open chunks, is not a token. */
  boundary(): void {
    this.step('O', '', 'O', '', true);
  }

  /** The counts so far, with a still-open correct chunk counted (as at the end of input). */
  result(): ConllevalCounts {
    const c = this.counts;
    const types = new Map<string, ChunkCounts>();
    for (const [k, v] of c.types) types.set(k, { ...v });
    const out: ConllevalCounts = { tokens: c.tokens, correctTags: c.correctTags, overall: { ...c.overall }, types };
    if (this.inCorrect) {
      out.overall.correct++;
      typeCounts(types, this.lastGoldType).correct++;
    }
    return out;
  }

  private step(g: string, gType: string, p: string, pType: string, isBoundary: boolean): void {
    const R = this.rules;
    const c = this.counts;
    const goldEnds = chunkEnds(R, this.lastGold, g, this.lastGoldType, gType);
    const predEnds = chunkEnds(R, this.lastPred, p, this.lastPredType, pType);
    const goldStarts = chunkStarts(R, this.lastGold, g, this.lastGoldType, gType);
    const predStarts = chunkStarts(R, this.lastPred, p, this.lastPredType, pType);

    if (this.inCorrect) {
      if (goldEnds && predEnds && this.lastPredType === this.lastGoldType) {
        this.inCorrect = false;
        c.overall.correct++;
        typeCounts(c.types, this.lastGoldType).correct++;
      } else if (goldEnds !== predEnds || pType !== gType) {
        this.inCorrect = false;
      }
    }
    if (goldStarts && predStarts && pType === gType) this.inCorrect = true;
    if (goldStarts) {
      c.overall.gold++;
      typeCounts(c.types, gType).gold++;
    }
    if (predStarts) {
      c.overall.predicted++;
      typeCounts(c.types, pType).predicted++;
    }
    if (!isBoundary) {
      if (g === p && gType === pType) c.correctTags++;
      c.tokens++;
    }
    this.lastGold = g;
    this.lastGoldType = gType;
    this.lastPred = p;
    this.lastPredType = pType;
  }
}

function typeCounts(types: Map<string, ChunkCounts>, type: string): ChunkCounts {
  let t = types.get(type);
  if (!t) {
    t = { gold: 0, predicted: 0, correct: 0 };
    types.set(type, t);
  }
  return t;
}
