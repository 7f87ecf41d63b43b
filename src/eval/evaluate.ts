/**
 * Span-level precision, recall and F1 per entity type and overall, plus token accuracy.
 *
 * Two modes:
 * - `conlleval` (default): counted exactly as conlleval counts (see conlleval.ts), with its
 *   chunk rules (`rules: 'conlleval'`, the 2004-01-26 script) or those rules completed for
 *   IOBES/BILOU tags (`rules: 'extended'`, as seqeval's default mode). Ill-formed sequences are
 *   read as conlleval reads them (`O I-X` is an X entity).
 * - `strict`: like seqeval's strict mode — entities are the well-formed chunks of a scheme
 *   (given, or detected from the gold tags); an ill-formed chunk is no entity at all. A
 *   predicted entity is correct when an identical gold entity (start, end, type) exists.
 *
 * Optionally, an error summary classifies every gold entity that was not found exactly and
 * every predicted entity that matches nothing (see `ErrorCounts`).
 */
import { ConllevalCounter, type ChunkCounts } from './conlleval.js';
import { rulesSpans, splitTag, type ChunkRuleSet } from '../data/chunks.js';
import { detectScheme, tagsToSpans, type SchemeName } from '../data/schemes.js';
import type { Span } from '../data/types.js';
import { UserError } from '../errors.js';

export type EvalMode = 'conlleval' | 'strict';

export interface EvalOptions {
  /** `conlleval` (default) or `strict` (only well-formed entities of `scheme` count). */
  mode?: EvalMode;
  /** Chunk rules of the conlleval mode: `conlleval` (default, the Perl script's) or `extended` (adds S/E/L/U rules). */
  rules?: ChunkRuleSet;
  /** Scheme of the strict mode. Default: detected from the gold tags. */
  scheme?: SchemeName;
  /** Also classify the errors (boundary, type, missed, spurious). Default false. */
  errors?: boolean;
}

/** Scores of one entity type; fractions in [0, 1] (0 when undefined). */
export interface TypeScores {
  precision: number;
  recall: number;
  f1: number;
  gold: number;
  predicted: number;
  correct: number;
}

export interface OverallScores extends TypeScores {
  /** Fraction of tokens whose predicted tag equals the gold tag. */
  accuracy: number;
  tokens: number;
}

/**
 * How the entities went wrong, per type. Every gold entity is exactly one of: `correct`;
 * `type` (a predicted entity has its exact boundaries but another type); `boundary` (an
 * overlapping predicted entity of the same type, other boundaries); `boundaryAndType`
 * (overlapping, other type and boundaries); `missed` (no predicted entity overlaps it).
 * A predicted entity that overlaps no gold entity is `spurious` (counted under its own type).
 */
export interface ErrorCounts {
  correct: number;
  type: number;
  boundary: number;
  boundaryAndType: number;
  missed: number;
  spurious: number;
}

export interface ErrorSummary {
  overall: ErrorCounts;
  types: Record<string, ErrorCounts>;
}

export interface EvalResult {
  overall: OverallScores;
  /** Per type, keys sorted as conlleval sorts them. */
  types: Record<string, TypeScores>;
  errors?: ErrorSummary;
}

/** The counts behind an EvalResult (what the conlleval report prints). */
export interface EvalCounts {
  tokens: number;
  correctTags: number;
  overall: ChunkCounts;
  types: Map<string, ChunkCounts>;
}

function ratio(a: number, b: number): number {
  return b > 0 ? a / b : 0;
}

export function scoresOf(c: ChunkCounts): TypeScores {
  const precision = ratio(c.correct, c.predicted);
  const recall = ratio(c.correct, c.gold);
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1, gold: c.gold, predicted: c.predicted, correct: c.correct };
}

/** Turn counts into scores. */
export function scoresFromCounts(counts: EvalCounts): EvalResult {
  const types: Record<string, TypeScores> = {};
  for (const t of [...counts.types.keys()].sort(compareTypes)) types[t] = scoresOf(counts.types.get(t)!);
  return {
    overall: { ...scoresOf(counts.overall), accuracy: ratio(counts.correctTags, counts.tokens), tokens: counts.tokens },
    types,
  };
}

/** Perl's default string sort: by code units. */
export function compareTypes(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function emptyErrors(): ErrorCounts {
  return { correct: 0, type: 0, boundary: 0, boundaryAndType: 0, missed: 0, spurious: 0 };
}

/** Classify the entities of one sentence into `summary` (see ErrorCounts). */
export function classifyErrors(gold: readonly Span[], pred: readonly Span[], summary: ErrorSummary): void {
  const bump = (type: string, key: keyof ErrorCounts) => {
    (summary.types[type] ??= emptyErrors())[key]++;
    summary.overall[key]++;
  };
  const overlaps = (a: Span, b: Span) => a.start < b.end && b.start < a.end;
  for (const g of gold) {
    let sameBounds = false, sameType = false, any = false, exact = false;
    for (const p of pred) {
      if (!overlaps(g, p)) continue;
      any = true;
      if (p.start === g.start && p.end === g.end) {
        if (p.type === g.type) exact = true;
        else sameBounds = true;
      } else if (p.type === g.type) {
        sameType = true;
      }
    }
    bump(g.type, exact ? 'correct' : sameBounds ? 'type' : sameType ? 'boundary' : any ? 'boundaryAndType' : 'missed');
  }
  for (const p of pred) {
    if (!gold.some((g) => overlaps(g, p))) bump(p.type, 'spurious');
  }
}

/**
 * Incremental evaluation: add sentences one by one (gold and predicted tags of equal length),
 * then read `result()`. In strict mode the scheme must be given (use `evaluate` to detect it).
 */
export class Evaluator {
  readonly mode: EvalMode;
  readonly rules: ChunkRuleSet;
  readonly scheme?: SchemeName;
  private readonly counter: ConllevalCounter;
  private readonly strictCounts: EvalCounts = { tokens: 0, correctTags: 0, overall: { gold: 0, predicted: 0, correct: 0 }, types: new Map() };
  private readonly errors?: ErrorSummary;
  private sentences = 0;
  private readonly prefixes = new Set<string>();

  constructor(options: EvalOptions = {}) {
    this.mode = options.mode ?? 'conlleval';
    this.rules = options.rules ?? 'conlleval';
    this.scheme = options.scheme;
    if (this.mode === 'strict' && !this.scheme) throw new UserError('strict evaluation needs a tag scheme');
    this.counter = new ConllevalCounter(this.rules);
    if (options.errors) this.errors = { overall: emptyErrors(), types: {} };
  }

  /** Add one sentence. Throws a RangeError if the two sequences differ in length. */
  add(gold: readonly string[], pred: readonly string[]): void {
    if (gold.length !== pred.length) {
      throw new RangeError(`sentence ${this.sentences + 1}: ${gold.length} gold tags but ${pred.length} predicted tags`);
    }
    this.sentences++;
    for (const t of gold) this.prefixes.add(splitTag(t)[0]);
    for (const t of pred) this.prefixes.add(splitTag(t)[0]);
    if (this.mode === 'conlleval') {
      if (this.sentences > 1) this.counter.boundary();
      for (let i = 0; i < gold.length; i++) this.counter.token(gold[i], pred[i]);
      if (this.errors) {
        const split = (tags: readonly string[]) => tags.map((t) => splitTag(t));
        classifyErrors(rulesSpans(split(gold), this.rules), rulesSpans(split(pred), this.rules), this.errors);
      }
      return;
    }
    const g = tagsToSpans(gold, this.scheme, { strict: true });
    const p = tagsToSpans(pred, this.scheme, { strict: true });
    const c = this.strictCounts;
    for (let i = 0; i < gold.length; i++) {
      const [gp, gt] = splitTag(gold[i]);
      const [pp, pt] = splitTag(pred[i]);
      if (gp === pp && gt === pt) c.correctTags++;
    }
    c.tokens += gold.length;
    const key = (s: Span) => `${s.start}:${s.end}:${s.type}`;
    const goldKeys = new Set(g.map(key));
    const at = (type: string) => {
      let t = c.types.get(type);
      if (!t) c.types.set(type, (t = { gold: 0, predicted: 0, correct: 0 }));
      return t;
    };
    for (const s of g) { c.overall.gold++; at(s.type).gold++; }
    for (const s of p) {
      c.overall.predicted++;
      at(s.type).predicted++;
      if (goldKeys.has(key(s))) { c.overall.correct++; at(s.type).correct++; }
    }
    if (this.errors) classifyErrors(g, p, this.errors);
  }

  /** The raw counts so far. */
  counts(): EvalCounts {
    return this.mode === 'conlleval' ? this.counter.result() : this.strictCounts;
  }

  /**
   * Prefixes seen that the conlleval rules do not know (S, L, U): with `rules: 'conlleval'`
   * such tags are counted as the Perl script counts them, which is rarely what is meant.
   */
  unknownPrefixes(): string[] {
    if (this.mode !== 'conlleval' || this.rules !== 'conlleval') return [];
    return ['S', 'L', 'U'].filter((p) => this.prefixes.has(p));
  }

  result(): EvalResult {
    const r = scoresFromCounts(this.counts());
    if (this.errors) {
      const types: Record<string, ErrorCounts> = {};
      for (const t of Object.keys(this.errors.types).sort(compareTypes)) types[t] = { ...this.errors.types[t] };
      r.errors = { overall: { ...this.errors.overall }, types };
    }
    return r;
  }
}

/**
 * Score predicted tag sequences against gold ones (one array per sentence, equal lengths).
 * Sentence boundaries close chunks. In strict mode without a scheme, the scheme is detected
 * from the gold tags.
 */
export function evaluate(goldTagSeqs: readonly (readonly string[])[], predTagSeqs: readonly (readonly string[])[], options: EvalOptions = {}): EvalResult {
  if (goldTagSeqs.length !== predTagSeqs.length) {
    throw new RangeError(`${goldTagSeqs.length} gold sentences but ${predTagSeqs.length} predicted sentences`);
  }
  const opts = { ...options };
  if (opts.mode === 'strict' && !opts.scheme) opts.scheme = detectScheme(goldTagSeqs);
  const ev = new Evaluator(opts);
  for (let i = 0; i < goldTagSeqs.length; i++) ev.add(goldTagSeqs[i], predTagSeqs[i]);
  return ev.result();
}
