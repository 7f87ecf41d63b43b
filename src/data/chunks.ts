/**
 * Chunk boundary rules in the manner of conlleval (the CoNLL-2000/2003 scorer): whether a chunk
 * ends between two tags, and whether one starts, judged only from the two tags' prefixes and
 * types. The rules are data; `chunkEnds` / `chunkStarts` and `rulesSpans` read them.
 *
 * A tag `B-X-Y` splits at its first hyphen into the prefix `B` and the type `X-Y`; a tag without
 * a hyphen is all prefix with an empty type (so `O` is prefix `O`, type ``).
 *
 * Two rule sets:
 * - `conlleval`: exactly the startOfChunk / endOfChunk rules of conlleval version 2004-01-26.
 *   It knows the prefixes B, I, E, O and the bracket tags `[` `]` (one-token chunks); `.` is
 *   exempt from the type-change rule like O. It has NO rules for S, L or U: such tags only start
 *   or end a chunk when the type changes (so `S-PER S-PER` is one chunk) — evaluate IOBES or
 *   BILOU output with `extended`, or convert it to IOB2 first.
 * - `extended`: the same rules completed for IOBES as seqeval's default mode (and conlleval.py)
 *   complete them: E and S always end a chunk, B and S always start one; L and U read as E and S
 *   (BILOU). On B/I/O tags the two sets agree exactly.
 */

/** Which chunk rules to apply. */
export type ChunkRuleSet = 'conlleval' | 'extended';

/** A pattern over two prefixes: each side lists the prefixes it matches, `*` matches any. */
type PrefixPair = readonly [prev: string, cur: string];

interface ChunkRules {
  /** (previous prefix, current prefix) pairs between which a chunk ends. */
  readonly endPairs: readonly PrefixPair[];
  /** (previous prefix, current prefix) pairs between which a chunk starts. */
  readonly startPairs: readonly PrefixPair[];
  /** Prefixes that are never inside a chunk, so a type change next to them means nothing. */
  readonly outside: readonly string[];
}

export const CHUNK_RULES: Readonly<Record<ChunkRuleSet, ChunkRules>> = {
  conlleval: {
    endPairs: [
      ['B', 'B'], ['B', 'O'], ['I', 'B'], ['I', 'O'],
      ['E', 'E'], ['E', 'I'], ['E', 'O'],
      // Bracket chunks are one token long.
      ['[', '*'], [']', '*'],
    ],
    startPairs: [
      ['B', 'B'], ['I', 'B'], ['O', 'B'], ['O', 'I'],
      ['E', 'E'], ['E', 'I'], ['O', 'E'],
      ['*', '['], ['*', ']'],
    ],
    outside: ['O', '.'],
  },
  extended: {
    endPairs: [
      ['ESLU', '*'],
      ['BI', 'BSUO'],
    ],
    startPairs: [
      ['*', 'BSU'],
      ['ESLUO', 'EIL'],
    ],
    outside: ['O', '.'],
  },
};

/** Split a tag at its first hyphen, as conlleval does: `B-X-Y` → [`B`, `X-Y`], `O` → [`O`, ``]. */
export function splitTag(tag: string): [prefix: string, type: string] {
  const h = tag.indexOf('-');
  return h < 0 ? [tag, ''] : [tag.slice(0, h), tag.slice(h + 1)];
}

function sideMatches(side: string, prefix: string): boolean {
  // A side lists one-letter prefixes; longer prefixes (rare, e.g. `PER` in `PER-X`) match only `*`.
  return side === '*' || (prefix.length === 1 && side.includes(prefix));
}

function pairMatches(pairs: readonly PrefixPair[], prev: string, cur: string): boolean {
  for (const [p, c] of pairs) if (sideMatches(p, prev) && sideMatches(c, cur)) return true;
  return false;
}

/** Does a chunk end between a token tagged (prevPrefix, prevType) and one tagged (prefix, type)? */
export function chunkEnds(rules: ChunkRules, prevPrefix: string, prefix: string, prevType: string, type: string): boolean {
  if (pairMatches(rules.endPairs, prevPrefix, prefix)) return true;
  return !rules.outside.includes(prevPrefix) && prevType !== type;
}

/** Does a chunk start at a token tagged (prefix, type) after one tagged (prevPrefix, prevType)? */
export function chunkStarts(rules: ChunkRules, prevPrefix: string, prefix: string, prevType: string, type: string): boolean {
  if (pairMatches(rules.startPairs, prevPrefix, prefix)) return true;
  return !rules.outside.includes(prefix) && prevType !== type;
}

/**
 * The chunks of one sentence under a rule set, as spans [start, end) with the type of the
 * chunk's first token. A chunk opens where the rules say one starts and closes where they say
 * one ends (or where another starts); the sentence end closes any open chunk.
 * Tags are pre-split pairs [prefix, type].
 */
export function rulesSpans(
  parts: ReadonlyArray<readonly [string, string]>,
  ruleSet: ChunkRuleSet = 'extended',
): { type: string; start: number; end: number }[] {
  const rules = CHUNK_RULES[ruleSet];
  const spans: { type: string; start: number; end: number }[] = [];
  let prevPrefix = 'O';
  let prevType = '';
  let openStart = -1;
  let openType = '';
  for (let i = 0; i <= parts.length; i++) {
    const [prefix, type] = i < parts.length ? parts[i] : ['O', ''];
    const starts = chunkStarts(rules, prevPrefix, prefix, prevType, type);
    if (openStart >= 0 && (i === parts.length || starts || chunkEnds(rules, prevPrefix, prefix, prevType, type))) {
      spans.push({ type: openType, start: openStart, end: i });
      openStart = -1;
    }
    if (i < parts.length && starts) {
      openStart = i;
      openType = type;
    }
    prevPrefix = prefix;
    prevType = type;
  }
  return spans;
}
