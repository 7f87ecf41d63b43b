import { describe, expect, it, test } from 'vitest';
import { evaluate, Evaluator } from '../../src/eval/evaluate.js';
import { referenceConlleval, toLines, seeded, type RefCounts, countsOf } from './reference.js';

const T = (s: string) => (s === '' ? [] : s.split(' '));


function dropEmptyTypes(c: RefCounts): RefCounts {
  return { ...c, perType: Object.fromEntries(Object.entries(c.perType).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) };
}

describe('hand-worked cases (one sentence unless | separates sentences)', () => {
  // [gold, pred, gold chunks, predicted chunks, correct chunks, rules]
  test.each<[string, string, number, number, number, ('conlleval' | 'extended')?]>([
    ['B-PER I-PER O', 'B-PER I-PER O', 1, 1, 1],
    ['B-PER I-PER O', 'B-PER O O', 1, 1, 0],
    ['B-PER I-PER O', 'O I-PER O', 1, 1, 0],
    ['B-PER I-PER', 'B-PER I-LOC', 1, 2, 0],
    ['I-PER I-PER', 'B-PER I-PER', 1, 1, 1],
    ['O I-PER', 'O B-PER', 1, 1, 1],
    ['B-PER B-PER', 'B-PER I-PER', 2, 1, 0],
    ['I-PER B-PER', 'B-PER B-PER', 2, 2, 2],
    ['B-PER I-PER B-LOC', 'B-PER I-PER I-LOC', 2, 2, 2],
    // starts correctly, ends differently: the open "correct" flag must drop
    ['B-PER I-PER O', 'B-PER I-PER I-PER', 1, 1, 0],
    ['B-PER O O', 'B-PER I-PER O', 1, 1, 0],
    ['B-PER O', 'B-PER B-LOC', 1, 2, 1],
    ['B-PER I-PER', 'B-PER B-PER', 1, 2, 0],
    // the gold chunk ends at a type change, the predicted one does not
    ['B-PER I-LOC', 'B-PER I-PER', 2, 1, 0],
    ['B-X-Y I-X-Y O', 'B-X-Y I-X-Y O', 1, 1, 1],
    // a correct chunk still open at the end of the input counts
    ['O B-LOC I-LOC', 'O B-LOC I-LOC', 1, 1, 1],
    // sentence breaks close chunks
    ['B-PER | I-PER', 'B-PER | I-PER', 2, 2, 2],
    ['I-PER | I-PER', 'I-PER | O', 2, 1, 1],
    ['I-PER I-PER | I-PER', 'I-PER O | I-PER', 2, 2, 1],
    // IOE tags: conlleval knows E
    ['I-NP E-NP E-NP', 'I-NP E-NP E-NP', 2, 2, 2],
    ['I-NP E-NP I-NP E-NP', 'I-NP I-NP I-NP E-NP', 2, 1, 0],
    // S has no rules in conlleval 2004-01-26: S-PER S-PER is one chunk there, two when extended
    ['S-PER S-PER', 'S-PER S-PER', 1, 1, 1],
    ['S-PER S-PER', 'S-PER S-PER', 2, 2, 2, 'extended'],
    ['S-PER S-PER', 'S-PER O', 1, 1, 0],
    ['S-PER S-PER', 'S-PER O', 2, 1, 1, 'extended'],
    // conlleval: E then B of the same type neither ends nor starts a chunk
    ['B-PER E-PER B-PER E-PER', 'B-PER E-PER S-PER O', 1, 1, 0],
    ['B-PER E-PER B-PER E-PER', 'B-PER E-PER S-PER O', 2, 2, 1, 'extended'],
    ['B-PER L-PER U-LOC', 'B-PER L-PER U-LOC', 2, 2, 2, 'extended'],
    // brackets are one-token chunks (a chunk is correct whatever letters spell its boundaries)
    ['[-NP ]-NP O', '[-NP [-NP O', 2, 2, 2],
    ['[-NP ]-NP O', '[-NP I-NP O', 2, 1, 1],
    ['O O', 'O O', 0, 0, 0],
  ])('%s vs %s → %i gold, %i found, %i correct (%s)', (gold, pred, nGold, nPred, nCorrect, rules = 'conlleval') => {
    const g = gold.split(' | ').map(T);
    const p = pred.split(' | ').map(T);
    const r = evaluate(g, p, { rules });
    expect([r.overall.gold, r.overall.predicted, r.overall.correct]).toEqual([nGold, nPred, nCorrect]);
    const ref = referenceConlleval(toLines(g, p), rules);
    expect([ref.foundCorrect, ref.foundGuessed, ref.correctChunk]).toEqual([nGold, nPred, nCorrect]);
  });

  it('token accuracy compares prefix and type; scores are fractions', () => {
    const r = evaluate([T('B-PER I-PER O O')], [T('B-PER I-LOC O B-ORG')]);
    expect(r.overall.tokens).toBe(4);
    expect(r.overall.accuracy).toBe(0.5);
    expect(r.overall.precision).toBeCloseTo(0, 12);
    expect(r.types.PER).toEqual({ precision: 0, recall: 0, f1: 0, gold: 1, predicted: 1, correct: 0 });
    expect(Object.keys(r.types)).toEqual(['LOC', 'ORG', 'PER']);
  });

  it('precision, recall and F1', () => {
    const r = evaluate([T('B-PER O B-LOC O B-ORG')], [T('B-PER O B-LOC B-LOC O')]);
    expect(r.overall).toMatchObject({ gold: 3, predicted: 3, correct: 2 });
    expect(r.overall.precision).toBeCloseTo(2 / 3, 12);
    expect(r.overall.recall).toBeCloseTo(2 / 3, 12);
    expect(r.overall.f1).toBeCloseTo(2 / 3, 12);
    expect(r.types.ORG).toEqual({ precision: 0, recall: 0, f1: 0, gold: 1, predicted: 0, correct: 0 });
    expect(r.types.LOC.precision).toBe(0.5);
  });

  it('refuses sequences of different lengths', () => {
    expect(() => evaluate([T('O O')], [T('O')])).toThrow(/sentence 1: 2 gold tags but 1 predicted/);
    expect(() => evaluate([T('O')], [])).toThrow(/1 gold sentences but 0 predicted/);
  });

  it('reports prefixes the conlleval rules do not know', () => {
    const ev = new Evaluator();
    ev.add(T('S-PER O U-LOC'), T('O O O'));
    expect(ev.unknownPrefixes()).toEqual(['S', 'U']);
    expect(new Evaluator({ rules: 'extended' }).unknownPrefixes()).toEqual([]);
  });
});

describe('strict mode (seqeval-like: ill-formed chunks are not entities)', () => {
  test.each<[string, string, string, number, number, number]>([
    ['IOB2', 'B-PER I-PER O', 'B-PER I-PER O', 1, 1, 1],
    ['IOB2', 'B-PER I-PER O', 'I-PER I-PER O', 1, 0, 0],
    ['IOB2', 'B-PER O B-LOC', 'B-PER I-LOC B-LOC', 2, 2, 2],
    ['IOBES', 'B-PER E-PER S-LOC', 'B-PER I-PER S-LOC', 2, 1, 1],
    ['IOBES', 'S-PER S-PER', 'S-PER S-PER', 2, 2, 2],
    ['IOB1', 'I-PER B-PER O', 'I-PER I-PER O', 2, 1, 0],
    ['IOB1', 'I-PER O', 'B-PER O', 1, 0, 0],
  ])('%s: %s vs %s → %i gold, %i found, %i correct', (scheme, gold, pred, nGold, nPred, nCorrect) => {
    const r = evaluate([T(gold)], [T(pred)], { mode: 'strict', scheme: scheme as 'IOB2' });
    expect([r.overall.gold, r.overall.predicted, r.overall.correct]).toEqual([nGold, nPred, nCorrect]);
  });

  it('detects the scheme from the gold tags when none is given', () => {
    const r = evaluate([T('B-PER E-PER S-LOC')], [T('B-PER E-PER O')], { mode: 'strict' });
    expect([r.overall.gold, r.overall.predicted, r.overall.correct]).toEqual([2, 1, 1]);
  });

  it('agrees with conlleval on well-formed IOB2', () => {
    const gold = [T('B-PER I-PER O B-LOC'), T('O B-ORG I-ORG I-ORG')];
    const pred = [T('B-PER O O B-LOC'), T('O B-ORG I-ORG I-ORG')];
    expect(evaluate(gold, pred, { mode: 'strict', scheme: 'IOB2' })).toEqual(evaluate(gold, pred));
  });
});

describe('error summary', () => {
  it('classifies every gold and predicted entity', () => {
    const gold = [T('B-PER I-PER O B-LOC O B-ORG O O B-MISC I-MISC')];
    const pred = [T('B-PER I-PER O B-ORG O B-ORG I-ORG B-LOC O B-LOC')];
    const r = evaluate(gold, pred, { errors: true });
    expect(r.errors!.types).toEqual({
      PER: { correct: 1, type: 0, boundary: 0, boundaryAndType: 0, missed: 0, spurious: 0 },
      LOC: { correct: 0, type: 1, boundary: 0, boundaryAndType: 0, missed: 0, spurious: 1 },
      ORG: { correct: 0, type: 0, boundary: 1, boundaryAndType: 0, missed: 0, spurious: 0 },
      MISC: { correct: 0, type: 0, boundary: 0, boundaryAndType: 1, missed: 0, spurious: 0 },
    });
    expect(r.errors!.overall).toEqual({ correct: 1, type: 1, boundary: 1, boundaryAndType: 1, missed: 0, spurious: 1 });
  });

  it('missed entities, and strict mode uses the strict entities', () => {
    const r = evaluate([T('B-PER O B-LOC')], [T('B-PER O O')], { errors: true });
    expect(r.errors!.overall).toMatchObject({ correct: 1, missed: 1 });
    const s = evaluate([T('B-PER O B-LOC')], [T('I-PER O B-LOC')], { errors: true, mode: 'strict', scheme: 'IOB2' });
    expect(s.errors!.overall).toMatchObject({ correct: 1, missed: 1, spurious: 0 });
  });
});

describe('differential: random tag files agree with the reference transliteration', () => {
  const TAGS = [
    'O', 'O', 'O', 'B-X', 'I-X', 'E-X', 'S-X', 'B-Y', 'I-Y', 'E-Y', 'S-Y', 'L-X', 'U-Y',
    'B-X-Z', 'I-X-Z', '[-X', ']-X', '.-X', 'B', 'I', 'B-0', 'X', 'O-X',
  ];
  it.each(['conlleval', 'extended'] as const)('%s rules: 3000 random files', (rules) => {
    const rand = seeded(rules === 'conlleval' ? 1 : 2);
    const pick = () => TAGS[Math.floor(rand() * TAGS.length)];
    for (let run = 0; run < 3000; run++) {
      const gold: string[][] = [], pred: string[][] = [];
      const nSent = 1 + Math.floor(rand() * 3);
      for (let s = 0; s < nSent; s++) {
        const n = Math.floor(rand() * 7);
        const g = Array.from({ length: n }, pick);
        // predictions near the gold tags, so correct chunks are common
        gold.push(g);
        pred.push(g.map((t) => (rand() < 0.3 ? pick() : t)));
      }
      const got = countsOf(evaluate(gold, pred, { rules }));
      const want = dropEmptyTypes(referenceConlleval(toLines(gold, pred), rules));
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        expect({ gold, pred, got }).toEqual({ gold, pred, got: want });
      }
    }
  });
});
