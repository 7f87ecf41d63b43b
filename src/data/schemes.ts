/**
 * Tagging schemes as data. Each scheme is one small table (after seqeval's `scheme.py`): which
 * prefixes it uses, the (previous prefix, current prefix, same/different type) patterns where a
 * chunk starts, continues and ends, and how a span is spelled in it. Everything else is derived
 * from the tables: validity of a transition, CRF transition masks, strict span extraction,
 * scheme detection and encoding spans as tags.
 *
 *   IOB1  (CoNLL-2003)  I-X inside; B-X only where X directly follows another X
 *   IOB2  (BIO)         B-X begins every entity, I-X continues
 *   IOBES (BIOES)       S-X single-token entity; B-X … I-X … E-X otherwise
 *   BILOU               U-X single; B-X … I-X … L-X otherwise
 *   IO                  no boundaries: X or I-X inside, O outside (adjacent X entities merge)
 *
 * Tags are `O`, `PREFIX-TYPE` (the type is everything after the first hyphen: `B-X-Y` has type
 * `X-Y`), or a bare type `PER`, read as `I-PER` (the IO scheme without prefixes).
 *
 * Two readings of a tag sequence:
 * - lenient (default): conlleval's chunk rules (chunks.ts, `extended` set), whatever the scheme.
 *   Ill-formed sequences are read as conlleval reads them: `O I-X` starts an X entity, `I-X I-Y`
 *   starts a Y entity, `B-X` after anything starts one.
 * - strict (a scheme given): only well-formed chunks of that scheme are entities, like seqeval's
 *   strict mode — a chunk must start on a start pattern, continue on inside patterns and end on
 *   an end pattern; anything else is dropped.
 */
import type { Span } from './types.js';
import { UserError } from '../errors.js';
import { rulesSpans } from './chunks.js';

export type SchemeName = 'IOB1' | 'IOB2' | 'IOBES' | 'BILOU' | 'IO';
export const SCHEMES: readonly SchemeName[] = ['IOB2', 'IOB1', 'IOBES', 'BILOU', 'IO'];

type TypeRelation = 'same' | 'diff' | 'any';
/** (previous prefixes, current prefixes, type relation); `*` matches every prefix including O. */
type Pattern = readonly [prev: string, cur: string, types: TypeRelation];

export interface SchemeSpec {
  readonly name: SchemeName;
  /** Prefixes the scheme uses besides O. */
  readonly prefixes: string;
  /** A token whose tag starts a chunk after the previous tag. */
  readonly start: readonly Pattern[];
  /** A token whose tag continues the chunk of the previous tag. */
  readonly inside: readonly Pattern[];
  /** A chunk whose last tag is `prev` may end before the tag `cur` (O after a sentence's end). */
  readonly end: readonly Pattern[];
  /** How a span is spelled: prefix of a one-token span, of the first, middle and last tokens. */
  readonly spell: { single: string; first: string; middle: string; last: string; firstAfterSameType?: string };
}

export const SCHEME_SPECS: Readonly<Record<SchemeName, SchemeSpec>> = {
  IOB1: {
    name: 'IOB1',
    prefixes: 'IB',
    start: [['O', 'I', 'any'], ['I', 'I', 'diff'], ['B', 'I', 'diff'], ['IB', 'B', 'same']],
    inside: [['IB', 'I', 'same']],
    end: [['IB', 'O', 'any'], ['IB', 'I', 'diff'], ['IB', 'B', 'any']],
    spell: { single: 'I', first: 'I', middle: 'I', last: 'I', firstAfterSameType: 'B' },
  },
  IOB2: {
    name: 'IOB2',
    prefixes: 'BI',
    start: [['*', 'B', 'any']],
    inside: [['BI', 'I', 'same']],
    end: [['BI', 'O', 'any'], ['BI', 'B', 'any'], ['BI', 'I', 'diff']],
    spell: { single: 'B', first: 'B', middle: 'I', last: 'I' },
  },
  IOBES: {
    name: 'IOBES',
    prefixes: 'BIES',
    start: [['*', 'BS', 'any']],
    inside: [['BI', 'IE', 'same']],
    end: [['ES', '*', 'any']],
    spell: { single: 'S', first: 'B', middle: 'I', last: 'E' },
  },
  BILOU: {
    name: 'BILOU',
    prefixes: 'BILU',
    start: [['*', 'BU', 'any']],
    inside: [['BI', 'IL', 'same']],
    end: [['LU', '*', 'any']],
    spell: { single: 'U', first: 'B', middle: 'I', last: 'L' },
  },
  IO: {
    name: 'IO',
    prefixes: 'I',
    start: [['O', 'I', 'any'], ['I', 'I', 'diff']],
    inside: [['I', 'I', 'same']],
    end: [['I', 'O', 'any'], ['I', 'I', 'diff']],
    spell: { single: 'I', first: 'I', middle: 'I', last: 'I' },
  },
};

/** A tag that no scheme can read (unknown prefix, empty type). */
export class TagError extends UserError {
  constructor(readonly tag: string, problem: string) {
    super(`tag "${tag}": ${problem}`);
    this.name = 'TagError';
  }
}

export interface ParsedTag {
  /** `O`, or one of B I E S L U. A bare type reads as prefix I. */
  prefix: string;
  type: string;
}

const OUTSIDE: ParsedTag = Object.freeze({ prefix: 'O', type: '' });
const tagCache = new Map<string, ParsedTag>();

/** Read a tag: `O`, `PREFIX-TYPE` (prefix one of B I E S L U), or a bare type (= I-type). */
export function parseTag(tag: string): ParsedTag {
  const cached = tagCache.get(tag);
  if (cached) return cached;
  let parsed: ParsedTag;
  if (tag === 'O') {
    parsed = OUTSIDE;
  } else {
    const h = tag.indexOf('-');
    if (h < 0) {
      if (tag === '') throw new TagError(tag, 'empty tag');
      parsed = { prefix: 'I', type: tag };
    } else {
      const prefix = tag.slice(0, h);
      const type = tag.slice(h + 1);
      if (prefix.length !== 1 || !'BIESLU'.includes(prefix)) {
        throw new TagError(tag, 'unknown prefix: expected O, TYPE or P-TYPE with P one of B I E S L U');
      }
      if (type === '') throw new TagError(tag, 'no entity type after the prefix');
      parsed = { prefix, type };
    }
  }
  if (tagCache.size < 10_000) tagCache.set(tag, parsed);
  return parsed;
}

/**
 * Why `tag` is not a tag of any scheme, or null when it is one. Accepted: `O`, `P-TYPE` with P
 * one of B I E S L U, a bare TYPE (the IO scheme without prefixes), and conlleval's `.`, `[-X`,
 * `]-X`. Refused: other prefixes (`X-PER`, `b-per`) and a prefix joined to its type by something
 * other than a hyphen (`B_PER`, `I+X`), which would otherwise be read as a bare type.
 */
export function tagProblem(tag: string): string | null {
  if (tag === 'O' || tag === '.') return null;
  if (/^[\[\]]-./.test(tag)) return null;
  const wrongJoin = /^([BIESLU])[_+.:=|/](.+)$/.exec(tag);
  if (wrongJoin) {
    return `tag "${tag}": not a tag of any scheme (a prefix B I E S L U, a hyphen, the type: ${wrongJoin[1]}-${wrongJoin[2]}?)`;
  }
  try {
    parseTag(tag);
  } catch (err) {
    if (err instanceof TagError) return err.message;
    throw err;
  }
  return null;
}

/** Is `tag` spelled like a tag with a prefix (`O`, `B-PER`, …), as opposed to a bare type or a word? */
export function isPrefixedTag(tag: string): boolean {
  return tag === 'O' || /^[BIESLU]-\S/.test(tag);
}

/**
 * The tags with every bare type `PER` (IO without prefixes) written `I-PER`. conlleval's rules
 * see no chunk in a bare type; scoring IO data without prefixes needs this first.
 */
export function prefixBareTags(tags: readonly string[]): string[] {
  return tags.map((t) => (t === 'O' || t === '.' || t.includes('-') ? t : `I-${t}`));
}

function normaliseScheme(scheme: string): SchemeName {
  const up = scheme.toUpperCase();
  if (up === 'BIO') return 'IOB2';
  if (up === 'BIOES') return 'IOBES';
  if ((SCHEMES as readonly string[]).includes(up)) return up as SchemeName;
  throw new UserError(`unknown tag scheme "${scheme}": expected one of iob1, iob2 (bio), iobes (bioes), bilou, io`);
}

/** Resolve a scheme name given by a user: case-insensitive, `bio` = IOB2, `bioes` = IOBES. */
export function schemeByName(name: string): SchemeSpec {
  return SCHEME_SPECS[normaliseScheme(name)];
}

function spec(scheme: SchemeName | SchemeSpec): SchemeSpec {
  return typeof scheme === 'string' ? schemeByName(scheme) : scheme;
}

function matches(patterns: readonly Pattern[], prev: ParsedTag, cur: ParsedTag): boolean {
  for (const [p, c, rel] of patterns) {
    if (p !== '*' && !p.includes(prev.prefix)) continue;
    if (c !== '*' && !c.includes(cur.prefix)) continue;
    if (rel === 'same' && prev.type !== cur.type) continue;
    if (rel === 'diff' && prev.type === cur.type) continue;
    return true;
  }
  return false;
}

function usesPrefix(s: SchemeSpec, t: ParsedTag): boolean {
  return t.prefix === 'O' || s.prefixes.includes(t.prefix);
}

/**
 * May tag `cur` follow tag `prev` in `scheme`? Use `O` for the sentence start (as prev) and end
 * (as cur). Derived from the tables: cur continues prev's chunk, or prev's chunk may end here
 * (or prev is O) and cur starts a chunk (or is O).
 */
export function isValidTransition(prev: string, cur: string, scheme: SchemeName | SchemeSpec): boolean {
  return validParsed(parseTag(prev), parseTag(cur), spec(scheme));
}

function validParsed(p: ParsedTag, c: ParsedTag, s: SchemeSpec): boolean {
  if (!usesPrefix(s, p) || !usesPrefix(s, c)) return false;
  if (matches(s.inside, p, c)) return true;
  const prevDone = p.prefix === 'O' || matches(s.end, p, c);
  const curBegins = c.prefix === 'O' || matches(s.start, p, c);
  return prevDone && curBegins;
}

export interface TransitionMask {
  /** allowed[i][j]: may tags[j] follow tags[i]? */
  allowed: boolean[][];
  /** start[j]: may a sentence begin with tags[j]? */
  start: boolean[];
  /** end[i]: may a sentence end with tags[i]? */
  end: boolean[];
}

/** The transition constraints of a scheme over a tag list (e.g. a CRF's tag vocabulary). */
export function transitionMask(tags: readonly string[], scheme: SchemeName | SchemeSpec): TransitionMask {
  const s = spec(scheme);
  const parsed = tags.map(parseTag);
  return {
    allowed: parsed.map((p) => parsed.map((c) => validParsed(p, c, s))),
    start: parsed.map((c) => validParsed(OUTSIDE, c, s)),
    end: parsed.map((p) => validParsed(p, OUTSIDE, s)),
  };
}

/**
 * The first position where `tags` breaks `scheme`: index i means the transition into tags[i]
 * is invalid (i = tags.length: the sentence may not end there). -1 if the sequence is valid.
 */
export function firstInvalid(tags: readonly string[], scheme: SchemeName | SchemeSpec): number {
  const s = spec(scheme);
  let prev = OUTSIDE;
  for (let i = 0; i <= tags.length; i++) {
    const cur = i < tags.length ? parseTag(tags[i]) : OUTSIDE;
    if (!validParsed(prev, cur, s)) return i;
    prev = cur;
  }
  return -1;
}

/** Count invalid transitions (including sentence start and end) over many sequences. */
export function countInvalid(sequences: Iterable<readonly string[]>, scheme: SchemeName | SchemeSpec): number {
  const s = spec(scheme);
  let n = 0;
  for (const tags of sequences) {
    let prev = OUTSIDE;
    for (let i = 0; i <= tags.length; i++) {
      const cur = i < tags.length ? parseTag(tags[i]) : OUTSIDE;
      if (!validParsed(prev, cur, s)) n++;
      prev = cur;
    }
  }
  return n;
}

/**
 * Guesses the scheme of tag sequences fed one by one (so a large file can be streamed): the
 * scheme with the fewest invalid transitions among those that use every prefix seen (all
 * schemes if none does), ties broken in the order IOB2, IOB1, IOBES, BILOU, IO. Only-I-and-O
 * data is IOB1 (as CoNLL-2003); data whose entity tags are all bare types is IO.
 */
export class SchemeDetector {
  private readonly seen = new Set<string>();
  private readonly invalid = new Map<SchemeName, number>(SCHEMES.map((n) => [n, 0]));
  private allBare = true;
  private anyEntity = false;

  add(tags: readonly string[]): void {
    for (const t of tags) {
      const p = parseTag(t);
      this.seen.add(p.prefix);
      if (p.prefix !== 'O') {
        this.anyEntity = true;
        if (t.includes('-')) this.allBare = false;
      }
    }
    for (const name of SCHEMES) this.invalid.set(name, this.invalid.get(name)! + countInvalid([tags], name));
  }

  /** Invalid transitions (sentence start and end included) counted so far under `scheme`. */
  invalidCount(scheme: SchemeName): number {
    return this.invalid.get(scheme)!;
  }

  result(): SchemeName {
    if (this.anyEntity && this.allBare) return 'IO';
    const seen = [...this.seen];
    const covering = SCHEMES.filter((name) => seen.every((p) => p === 'O' || SCHEME_SPECS[name].prefixes.includes(p)));
    const candidates = covering.length > 0 ? covering : SCHEMES;
    let best = candidates[0];
    for (const name of candidates) if (this.invalid.get(name)! < this.invalid.get(best)!) best = name;
    return best;
  }
}

/** Guess the scheme of tag sequences (see SchemeDetector). */
export function detectScheme(sequences: Iterable<readonly string[]>): SchemeName {
  const d = new SchemeDetector();
  for (const tags of sequences) d.add(tags);
  return d.result();
}

export interface SpanOptions {
  /** Only well-formed chunks of the scheme are entities (requires a scheme). Default false. */
  strict?: boolean;
}

/**
 * The entities of a tag sequence as spans [start, end) in token indices.
 * Lenient by default (conlleval's reading, any scheme); `{ strict: true }` with a scheme keeps
 * only the chunks that are well-formed in that scheme.
 */
export function tagsToSpans(tags: readonly string[], scheme?: SchemeName | SchemeSpec, options: SpanOptions = {}): Span[] {
  const parsed = tags.map(parseTag);
  if (options.strict) {
    if (scheme === undefined) throw new UserError('strict span reading needs a tag scheme');
    return strictSpans(parsed, spec(scheme));
  }
  return rulesSpans(parsed.map((p) => [p.prefix, p.type] as const), 'extended');
}

function strictSpans(parsed: readonly ParsedTag[], s: SchemeSpec): Span[] {
  const spans: Span[] = [];
  let prev = OUTSIDE;
  let i = 0;
  while (i < parsed.length) {
    const cur = parsed[i];
    if (!usesPrefix(s, cur) || cur.prefix === 'O' || !matches(s.start, prev, cur)) {
      prev = cur;
      i++;
      continue;
    }
    let j = i + 1;
    while (j < parsed.length && usesPrefix(s, parsed[j]) && matches(s.inside, parsed[j - 1], parsed[j])) j++;
    const next = j < parsed.length ? parsed[j] : OUTSIDE;
    if (matches(s.end, parsed[j - 1], next)) spans.push({ type: cur.type, start: i, end: j });
    prev = parsed[j - 1];
    i = j;
  }
  return spans;
}

/**
 * Spell spans as tags of a scheme (`O` elsewhere). Spans must be sorted-compatible and must not
 * overlap; an IO encoding of two adjacent same-type spans merges them (IO cannot separate them).
 */
export function spansToTags(spans: readonly Span[], length: number, scheme: SchemeName | SchemeSpec): string[] {
  const s = spec(scheme);
  const tags = new Array<string>(length).fill('O');
  const sorted = [...spans].sort((a, b) => a.start - b.start);
  let prevEnd = -1;
  let prevType = '';
  for (const span of sorted) {
    const { start, end, type } = span;
    if (!(start >= 0 && end <= length && start < end)) {
      throw new RangeError(`span [${start}, ${end}) of ${type} is outside a sentence of ${length} tokens or empty`);
    }
    if (start < prevEnd) throw new RangeError(`span [${start}, ${end}) of ${type} overlaps the previous span`);
    const afterSame = start === prevEnd && type === prevType;
    for (let i = start; i < end; i++) {
      let prefix: string;
      if (end - start === 1) prefix = s.spell.single;
      else if (i === start) prefix = s.spell.first;
      else if (i === end - 1) prefix = s.spell.last;
      else prefix = s.spell.middle;
      if (i === start && afterSame && s.spell.firstAfterSameType) prefix = s.spell.firstAfterSameType;
      tags[i] = `${prefix}-${type}`;
    }
    prevEnd = end;
    prevType = type;
  }
  return tags;
}

/**
 * Convert a tag sequence between schemes by way of its spans (read leniently from `from`, or
 * strictly with `{ strict: true }`). Every span is kept, except that IO cannot separate two
 * adjacent entities of one type.
 */
export function convertTags(
  tags: readonly string[],
  from: SchemeName | SchemeSpec,
  to: SchemeName | SchemeSpec,
  options: SpanOptions = {},
): string[] {
  return spansToTags(tagsToSpans(tags, from, options), tags.length, to);
}
