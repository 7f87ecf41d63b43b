/**
 * The evaluator on CoNLL-2003 with systematically perturbed predictions, against the plain
 * reference transliteration of conlleval (reference.ts). Perturbations are seeded, so every
 * run scores the same predictions. Set NER_PRINT_COUNTS=1 to print the counts.
 */
import { describe, expect, it, beforeAll } from 'vitest';
import { readConllFile } from '../../src/data/conll.js';
import { convertTags, spansToTags, tagsToSpans, type SchemeName } from '../../src/data/schemes.js';
import type { Span } from '../../src/data/types.js';
import { evaluate } from '../../src/eval/evaluate.js';
import { referenceConlleval, toLines, seeded, type RefCounts, countsOf } from './reference.js';
import { conllFile, EXPECTED } from '../data/conll2003.js';

const TYPES = ['PER', 'LOC', 'ORG', 'MISC'];
type Perturb = (gold: string[][], rand: () => number) => string[][];

function mapSpans(gold: string[][], f: (spans: Span[], length: number, rand: () => number) => Span[], rand: () => number): string[][] {
  return gold.map((tags) => spansToTags(f(tagsToSpans(tags, 'IOB1'), tags.length, rand), tags.length, 'IOB1'));
}

const PERTURBATIONS: Record<string, Perturb> = {
  identity: (gold) => gold.map((t) => t.slice()),
  'random tags (10% of tokens)': (gold, rand) => {
    const tagSet = ['O', ...TYPES.flatMap((t) => [`B-${t}`, `I-${t}`])];
    return gold.map((tags) => tags.map((t) => (rand() < 0.1 ? tagSet[Math.floor(rand() * tagSet.length)] : t)));
  },
  'shifted boundaries (30% of entities)': (gold, rand) =>
    mapSpans(gold, (spans, length) => {
      const out: Span[] = [];
      spans.forEach((s, i) => {
        let { start, end } = s;
        if (rand() < 0.3) {
          const r = rand();
          if (r < 0.25) start--;
          else if (r < 0.5) start++;
          else if (r < 0.75) end--;
          else end++;
        }
        const lo = out.length > 0 ? out[out.length - 1].end : 0;
        const hi = i + 1 < spans.length ? spans[i + 1].start : length;
        start = Math.max(start, lo);
        end = Math.min(end, hi);
        if (start < end) out.push({ type: s.type, start, end });
      });
      return out;
    }, rand),
  'wrong types (25% of entities)': (gold, rand) =>
    mapSpans(gold, (spans) => spans.map((s) => {
      if (rand() >= 0.25) return s;
      const others = TYPES.filter((t) => t !== s.type);
      return { ...s, type: others[Math.floor(rand() * others.length)] };
    }), rand),
  'scheme mixture (IOB1/IOB2/IOBES per sentence)': (gold, rand) => {
    const schemes: SchemeName[] = ['IOB1', 'IOB2', 'IOBES'];
    return gold.map((tags) => convertTags(tags, 'IOB1', schemes[Math.floor(rand() * 3)]));
  },
  'ill-formed (IOB2, 30% of B- written I-, I-X after O on 2% of O)': (gold, rand) =>
    gold.map((tags) => convertTags(tags, 'IOB1', 'IOB2').map((t) => {
      if (t.startsWith('B-') && rand() < 0.3) return 'I-' + t.slice(2);
      if (t === 'O' && rand() < 0.02) return 'I-' + TYPES[Math.floor(rand() * 4)];
      return t;
    })),
};

/** All perturbations at once, in sequence. */
const chained: Perturb = (gold, rand) => {
  let p = gold;
  for (const [name, f] of Object.entries(PERTURBATIONS)) if (name !== 'identity' && f !== chained) p = f(p, rand);
  return p;
};
PERTURBATIONS['all of the above, chained'] = chained;


const sortTypes = (c: RefCounts): RefCounts => ({ ...c, perType: Object.fromEntries(Object.entries(c.perType).sort(([a], [b]) => (a < b ? -1 : 1))) });

/** Strict IOB2 entities, written plainly: B-X then I-X*; anything else starts nothing. */
function strictIob2Reference(gold: string[][], pred: string[][]) {
  const entities = (tags: string[]) => {
    const out = new Set<string>();
    for (let i = 0; i < tags.length; i++) {
      if (!tags[i].startsWith('B-')) continue;
      const type = tags[i].slice(2);
      let j = i + 1;
      while (j < tags.length && tags[j] === `I-${type}`) j++;
      out.add(`${i}-${j}-${type}`);
    }
    return out;
  };
  let g = 0, p = 0, c = 0;
  gold.forEach((tags, s) => {
    const ge = entities(tags), pe = entities(pred[s]);
    g += ge.size;
    p += pe.size;
    for (const e of pe) if (ge.has(e)) c++;
  });
  return { gold: g, predicted: p, correct: c };
}

describe.each(['eng.testb', 'eng.testa'] as const)('%s with perturbed predictions', (name) => {
  let gold: string[][];
  beforeAll(async () => {
    gold = (await readConllFile(conllFile(name))).map((s) => s.tags);
  });

  it.each(Object.keys(PERTURBATIONS))('%s: counts equal the reference, for both rule sets', (pname) => {
    const pred = PERTURBATIONS[pname](gold, seeded(2003 + pname.length));
    const lines = toLines(gold, pred);
    const result = evaluate(gold, pred, { errors: true });
    const ref = sortTypes(referenceConlleval(lines, 'conlleval'));
    expect(countsOf(result)).toEqual(ref);
    const extended = evaluate(gold, pred, { rules: 'extended' });
    const refExt = sortTypes(referenceConlleval(lines, 'extended'));
    expect(countsOf(extended)).toEqual(refExt);

    // Sanity beyond agreement: the gold side never changes, and the error summary accounts
    // for every gold entity.
    expect(result.overall.gold).toBe(EXPECTED[name].entities);
    expect(result.overall.tokens).toBe(EXPECTED[name].tokens);
    const e = result.errors!.overall;
    expect(e.correct).toBe(result.overall.correct);
    expect(e.correct + e.type + e.boundary + e.boundaryAndType + e.missed).toBe(result.overall.gold);
    if (pname === 'identity') {
      expect([result.overall.precision, result.overall.recall, result.overall.f1, result.overall.accuracy]).toEqual([1, 1, 1, 1]);
    }
    if (pname.startsWith('scheme mixture')) {
      // Every span is kept, so the extended rules find them all; conlleval's own rules miss
      // the IOBES sentences' S- and E-B sequences.
      expect(extended.overall.f1).toBe(1);
      expect(result.overall.f1).toBeLessThan(1);
    }
    if (process.env.NER_PRINT_COUNTS) {
      const o = result.overall;
      console.log(`${name} | ${pname} | gold ${o.gold} found ${o.predicted} correct ${o.correct} | tokens ${o.tokens} correctTags ${ref.correctTags} | extended: found ${extended.overall.predicted} correct ${extended.overall.correct}`);
    }
  });

  it('strict IOB2 on ill-formed predictions equals a plain strict reference', () => {
    const gold2 = gold.map((t) => convertTags(t, 'IOB1', 'IOB2'));
    const pred = PERTURBATIONS['ill-formed (IOB2, 30% of B- written I-, I-X after O on 2% of O)'](gold, seeded(7));
    const r = evaluate(gold2, pred, { mode: 'strict', scheme: 'IOB2' });
    const ref = strictIob2Reference(gold2, pred);
    expect({ gold: r.overall.gold, predicted: r.overall.predicted, correct: r.overall.correct }).toEqual(ref);
    // Lenient reading recovers the I- starts, so it scores higher.
    expect(evaluate(gold2, pred).overall.correct).toBeGreaterThan(r.overall.correct);
    if (process.env.NER_PRINT_COUNTS) console.log(`${name} | strict IOB2 ill-formed | ${JSON.stringify(ref)}`);
  });
});
