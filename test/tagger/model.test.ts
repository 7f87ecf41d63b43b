import { describe, expect, it } from 'vitest';
import { SequenceTagger, DEFAULT_ARCHITECTURE, PAD, UNK, type TaggerArchitecture } from '../../src/tagger/model.js';
import { gradCheck, useFloat64 } from '../helpers/gradcheck.js';
import { SoftmaxCrossEntropy, optim } from '../../src/nn/index.js';
import { activeKernels, useJs, useWasm } from '../../src/tensor/backend.js';
import { crfAllowed } from '../../src/tagger/store.js';

const vocab = {
  words: [PAD, UNK, 'angela', 'merkel', 'visited', 'paris', '.', 'in', '0000'],
  chars: [PAD, UNK, ...'AaBbcdeghiklmnoprstuv.0123456789'.split('')],
  tags: ['O', 'S-PER', 'B-PER', 'E-PER', 'S-LOC'],
};
const sentences = [
  ['Angela', 'Merkel', 'visited', 'Paris', '.'],
  ['Paris', 'in', '1996'],
  ['Merkel'],
];
const tags = [
  ['B-PER', 'E-PER', 'O', 'S-LOC', 'O'],
  ['S-LOC', 'O', 'O'],
  ['S-PER'],
];

function tiny(over: Partial<TaggerArchitecture>, crf = false): SequenceTagger {
  return new SequenceTagger({
    ...DEFAULT_ARCHITECTURE, wordDim: 4, charDim: 3, charHidden: 3, casingDim: 2, hidden: 3, dropout: 0, ...over,
  }, vocab, 17, crf ? crfAllowed(vocab.tags, 'IOBES') : undefined);
}

describe('SequenceTagger gradients (float64 finite differences)', () => {
  useFloat64();
  it.each([
    ['cnn chars, BiLSTM', { charEncoder: 'cnn' }],
    ['lstm chars, 2-layer BiGRU', { charEncoder: 'lstm', cell: 'gru', layers: 2 }],
    ['no chars, unidirectional RNN', { charEncoder: 'none', cell: 'rnn', bidirectional: false, casingDim: 0 }],
  ] as const)('%s: every parameter', (_, over) => {
    const m = tiny(over as Partial<TaggerArchitecture>);
    const batch = m.encode(sentences, tags);
    const ce = new SoftmaxCrossEntropy('mean');
    const loss = () => {
      const f = m.forward(batch, false);
      return ce.compute(f.logits, batch.gold!, m.K, { lengths: batch.lengths, T: batch.T }).loss;
    };
    const results = gradCheck({
      targets: m.params().map((p) => ({ name: p.name, value: p.value, grad: p.grad })),
      loss,
      backward: () => {
        const f = m.forward(batch, false);
        const r = ce.compute(f.logits, batch.gold!, m.K, { lengths: batch.lengths, T: batch.T });
        f.backward(r.dlogits);
      },
      maxPerTarget: 40,
    });
    for (const r of results) expect(r.maxError, r.name).toBeLessThan(1e-6);
  });
});

describe('SequenceTagger with a CRF output layer (float64 finite differences)', () => {
  useFloat64();
  it('trainStep gradients of every parameter, CRF transitions included, match the per-token NLL', () => {
    const m = tiny({ charEncoder: 'cnn' }, true);
    expect(m.crf).not.toBeNull();
    const batch = m.encode(sentences, tags);
    const loss = () => {
      const e = m.scores(batch);
      const r = m.crf!.nll(e, batch.gold!, batch.T, batch.B, batch.lengths, 'sum');
      return r.sum / r.tokens;
    };
    // trainStep runs in training mode, identical here since dropout is 0.
    const results = gradCheck({
      targets: m.params().map((p) => ({ name: p.name, value: p.value, grad: p.grad })),
      loss,
      backward: () => { m.trainStep(batch); },
      maxPerTarget: 40,
    });
    expect(results.map((r) => r.name)).toContain('tagger.crf.transitions');
    for (const r of results) expect(r.maxError, r.name).toBeLessThan(1e-6);
  });
});

describe('SequenceTagger encoding', () => {
  it('encodes time-major with padding, word keys, casing and UNK', () => {
    const m = tiny({});
    const b = m.encode(sentences, tags);
    expect(b.T).toBe(5);
    expect(b.B).toBe(3);
    expect(Array.from(b.lengths)).toEqual([5, 3, 1]);
    // t = 0 row: Angela, Paris, Merkel
    expect(Array.from(b.wordIds.subarray(0, 3))).toEqual([2, 5, 3]);
    // '1996' → key '0000'
    expect(b.wordIds[2 * 3 + 1]).toBe(8);
    // padding
    expect(b.wordIds[1 * 3 + 2]).toBe(0);
    expect(b.gold![1 * 3 + 2]).toBe(-1);
    expect(b.realRows.length).toBe(9);
    expect(m.encode([['Zyzzyva']]).wordIds[0]).toBe(1);
  });
});

describe('projection cache (inference)', () => {
  it.each([
    ['cnn chars + casing, BiLSTM', { charEncoder: 'cnn' }, 100],
    ['no chars or casing, BiLSTM, only 4 words kept (the rest projected per batch)', { charEncoder: 'none', casingDim: 0 }, 4],
    ['lstm chars, 2-layer BiGRU', { charEncoder: 'lstm', cell: 'gru', layers: 2 }, 6],
    ['no chars, unidirectional RNN', { charEncoder: 'none', cell: 'rnn', bidirectional: false }, 100],
  ] as const)('%s: the same scores as the plain product, batch after batch', (_, over, rows) => {
    const plain = tiny({ ...(over as Partial<TaggerArchitecture>), wordDim: 6, hidden: 5 });
    const cached = tiny({ ...(over as Partial<TaggerArchitecture>), wordDim: 6, hidden: 5 });
    cached.enableProjectionCache(rows);
    const batches = [sentences, [sentences[1], sentences[0]], [['Unknown', 'Merkel', 'in', 'Paris']], sentences];
    for (const s of batches) {
      const want = Array.from(plain.scores(plain.encode(s)));
      const got = Array.from(cached.scores(cached.encode(s)));
      expect(got.length).toBe(want.length);
      got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i]))));
    }
    const dirs = (over as Partial<TaggerArchitecture>).bidirectional === false ? 1 : 2;
    expect(cached.projectionCache!.keptRows()).toBeGreaterThan(0);
    expect(cached.projectionCache!.keptRows()).toBeLessThanOrEqual(dirs * Math.min(rows, vocab.words.length));
  });

  it('a training step empties it; after weights are changed by hand, clear() makes the scores follow', () => {
    const m = tiny({ charEncoder: 'none' });
    m.enableProjectionCache();
    m.scores(m.encode(sentences));
    expect(m.projectionCache!.keptRows()).toBeGreaterThan(0);
    m.trainStep(m.encode(sentences, tags));
    expect(m.projectionCache!.keptRows()).toBe(0);
    const before = Array.from(m.scores(m.encode(sentences)));
    for (const p of m.params()) if (p.name.endsWith('.Wx')) p.value.fill(0.02);
    m.projectionCache!.clear();
    const plain = tiny({ charEncoder: 'none' });
    plain.params().forEach((p, i) => p.value.set(m.params()[i].value));
    const a = Array.from(m.scores(m.encode(sentences))), b = Array.from(plain.scores(plain.encode(sentences)));
    a.forEach((x, i) => expect(Math.abs(x - b[i])).toBeLessThan(1e-5 * (1 + Math.abs(b[i]))));
    expect(a).not.toEqual(before);
  });
});

describe('projection cache under the WASM backend (rows gathered by the copyRows kernel)', () => {
  it('gives the plain product\'s scores, with kept and rare words in one batch', async () => {
    const { useWasm, useJs } = await import('../../src/tensor/backend.js');
    useWasm();
    try {
      const plain = tiny({ charEncoder: 'cnn', wordDim: 6, hidden: 5 });
      const cached = tiny({ charEncoder: 'cnn', wordDim: 6, hidden: 5 });
      cached.enableProjectionCache(5); // ids ≥ 5 are projected per batch
      for (const s of [sentences, [['Unknown', 'Merkel', 'in', 'Paris', '.']], sentences]) {
        const want = Array.from(plain.scores(plain.encode(s)));
        const got = Array.from(cached.scores(cached.encode(s)));
        got.forEach((g, i) => expect(Math.abs(g - want[i])).toBeLessThan(1e-5 * (1 + Math.abs(want[i]))));
      }
      expect(cached.projectionCache!.keptRows()).toBeGreaterThan(0);
    } finally {
      useJs();
    }
  });
});

describe('SequenceTagger.reserve', () => {
  it.each([['js', false], ['wasm', true]] as const)('(%s) leaves weights, gradients and the dropout stream as they were; training then runs the same, and no workspace grows', (_, wasm) => {
    if (wasm) useWasm(); else useJs();
    try {
      const over = { dropout: 0.3, charEncoder: 'cnn' } as const;
      const a = tiny(over), b = tiny(over);
      const small = [a.encode(sentences.slice(1), tags.slice(1)), a.encode(sentences.slice(2), tags.slice(2))];
      const largest = b.encode(sentences, tags);
      const before = b.params().map((p) => Float32Array.from(p.value));
      const rng = b.getDropoutState();
      const heap = activeKernels()?.heap;
      b.reserve(largest);
      b.params().forEach((p, i) => {
        expect(Array.from(p.value)).toEqual(Array.from(before[i]));
        expect(p.grad.every((x) => x === 0)).toBe(true);
        expect(p.sparseRows?.size ?? 0).toBe(0);
      });
      expect(b.getDropoutState()).toEqual(rng);
      for (const m of [a, b]) {
        for (const batch of [...small, m === a ? a.encode(sentences, tags) : largest]) {
          optim.zeroGrad(m.params());
          m.trainStep(batch);
          for (const p of m.params()) for (let k = 0; k < p.value.length; k++) p.value[k] -= 0.1 * p.grad[k];
        }
      }
      b.params().forEach((p, i) => expect(Array.from(p.value)).toEqual(Array.from(a.params()[i].value)));
      if (heap) {
        // After reserve, steps on smaller batches and on the largest take no new heap block.
        const c = tiny(over);
        const batches = [c.encode(sentences.slice(1), tags.slice(1)), c.encode(sentences.slice(2), tags.slice(2)), c.encode(sentences, tags)];
        c.reserve(batches[2]);
        const top = heap.stats().top;
        for (const batch of batches) c.trainStep(batch);
        expect(heap.stats().top).toBe(top);
      }
    } finally {
      useJs();
    }
  });
});
