/**
 * Sampling novel sequences from a language model (karpathy's min-char-rnn / char-rnn sample.lua):
 * feed the prime, then repeatedly draw the next symbol from softmax(logits / τ) restricted to the
 * k most likely symbols, and feed it back.
 *
 * - Same model, options and seed ⇒ same text (one seeded Rng draws every symbol).
 * - τ → 0 approaches greedy decoding; τ = 0 is exactly greedy (argmax, first on ties).
 * - `<unk>` is never sampled (its probability is set to 0), unless it is the only symbol.
 */
import { Rng, type Buf } from '../tensor/index.js';
import { UserError } from '../errors.js';
import { LanguageModel } from './model.js';

export interface SampleOptions {
  /** Text the sample continues (fed to the model first, not repeated in the result). Default: '' (start of a line). */
  prime?: string;
  /** Symbols to generate. Default 200. */
  length?: number;
  /** Stop early after this many line ends (0 = no line limit). Default 0. */
  lines?: number;
  /** τ > 0 divides the logits (lower: more conservative); 0 = greedy. Default 1. */
  temperature?: number;
  /** Sample among the k most likely symbols only (0 = all). Default 0. */
  topK?: number;
  /** Seed of the sampling Rng. Default 1. */
  seed?: number;
}

export const SAMPLE_DEFAULTS = { prime: '', length: 200, lines: 0, temperature: 1, topK: 0, seed: 1 };

/** Generated symbols as text (the prime excluded), and their ids. */
export interface SampleResult {
  text: string;
  ids: Int32Array;
}

export function sample(model: LanguageModel, options: SampleOptions = {}): SampleResult {
  const o = { ...SAMPLE_DEFAULTS, ...options };
  if (!(Number.isInteger(o.length) && o.length >= 0)) throw new UserError(`length must be a non-negative integer, got ${o.length}`);
  if (!(Number.isInteger(o.lines) && o.lines >= 0)) throw new UserError(`lines must be a non-negative integer, got ${o.lines}`);
  if (!(o.temperature >= 0 && Number.isFinite(o.temperature))) throw new UserError(`temperature must be ≥ 0, got ${o.temperature}`);
  if (!(Number.isInteger(o.topK) && o.topK >= 0)) throw new UserError(`top-k must be a non-negative integer, got ${o.topK}`);
  const table = model.table, V = model.V;
  const rng = new Rng(o.seed);
  const state = model.newState(1);
  const one = new Int32Array(1);
  const len1 = Int32Array.of(1);

  // The prime, preceded by the boundary (as every training stream is): one forward over it.
  const primeIds = table.encodePrime(o.prime);
  const context = new Int32Array(primeIds.length + 1);
  context[0] = table.boundaryId;
  context.set(primeIds, 1);
  const T0 = context.length;
  let f = model.forward(context, T0, 1, Int32Array.of(T0), state, false);
  LanguageModel.carry(f.final, state);
  const probs = new Float64Array(V); // sampling weights in double precision (not a tensor)
  const order = new Int32Array(V);
  let logits: Buf = f.logits.subarray((T0 - 1) * V, T0 * V);

  const out = new Int32Array(o.length);
  const boundary = table.boundaryId;
  let n = 0, lines = 0;
  while (n < o.length) {
    const id = draw(logits, V, o.temperature, o.topK, rng, probs, order);
    out[n++] = id;
    if (o.lines > 0 && id === boundary && ++lines >= o.lines) break;
    if (n === o.length) break;
    one[0] = id;
    f = model.forward(one, 1, 1, len1, state, false);
    LanguageModel.carry(f.final, state);
    logits = f.logits;
  }
  const ids = out.slice(0, n);
  return { text: table.decode(ids), ids };
}

/**
 * Draws one symbol from logits [V] (see the file header). `probs` [V] and `order` [V] are work
 * buffers. Symbol 0 (`<unk>`) is excluded when V > 1.
 */
export function draw(logits: Buf, V: number, temperature: number, topK: number, rng: Rng, probs: Float64Array, order: Int32Array): number {
  const first = V > 1 ? 1 : 0;
  if (temperature === 0) {
    let best = first;
    for (let k = first + 1; k < V; k++) if (logits[k] > logits[best]) best = k;
    return best;
  }
  // Candidates: all symbols but <unk>, or the top k of them (by logit, ties by id).
  let m = 0;
  for (let k = first; k < V; k++) order[m++] = k;
  if (topK > 0 && topK < m) {
    const cand = Array.from(order.subarray(0, m)).sort((a, b) => logits[b] - logits[a] || a - b);
    m = topK;
    for (let i = 0; i < m; i++) order[i] = cand[i];
  }
  let mx = -Infinity;
  for (let i = 0; i < m; i++) if (logits[order[i]] > mx) mx = logits[order[i]];
  let s = 0;
  for (let i = 0; i < m; i++) {
    const e = Math.exp((logits[order[i]] - mx) / temperature);
    probs[i] = e;
    s += e;
  }
  let u = rng.float() * s;
  for (let i = 0; i < m; i++) {
    u -= probs[i];
    if (u < 0) return order[i];
  }
  // Rounding left u ≥ 0 after the last candidate: take the last one with probability > 0.
  for (let i = m - 1; i >= 0; i--) if (probs[i] > 0) return order[i];
  return order[0];
}
