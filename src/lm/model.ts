/**
 * LanguageModel: next-symbol prediction on the shared recurrent core.
 *
 *   ids [T·B] → Embedding [T·B, E] → dropout → Recurrent l = 0 … N−1 (dropout between layers)
 *   → dropout → Dense [T·B, V] → softmax: p(symbol⟨t+1⟩ | symbols ≤ t)
 *
 * Dims: T steps, B parallel streams, E embedding size, H hidden units, V symbols, N layers.
 * Batches are time-major (row t·B + b) with lengths [B], as everywhere in src/nn.
 *
 * Truncated BPTT: `forward` takes the initial state of every layer (the carried state of the
 * previous segment) and returns the final states; `backward` stops at the initial state — no
 * gradient flows into the previous segment, the carried state is a constant of this segment's
 * loss. The layers are plain `Recurrent`s (not `Stack`, which has no initial-state plumbing).
 */
import { Rng, zeros, type Buf, type RngState } from '../tensor/index.js';
import {
  Embedding, Dense, Dropout, Recurrent, SoftmaxCrossEntropy, cellParamCount, gatesOf,
  type Param, type CellKind, type RecurrentState,
} from '../nn/index.js';
import { SymbolTable, type LmVocab } from './vocab.js';
import type { LmBatch } from './stream.js';

export interface LmArchitecture {
  cell: CellKind;
  /** N stacked recurrent layers. */
  layers: number;
  /** H hidden units per layer. */
  hidden: number;
  /** E symbol embedding size. */
  embDim: number;
  /** Dropout rate on the embeddings, between layers and before the output layer. */
  dropout: number;
}

export const DEFAULT_LM_ARCHITECTURE: LmArchitecture = {
  cell: 'lstm', layers: 1, hidden: 128, embDim: 32, dropout: 0.1,
};

/** The recurrent state of B streams: per layer a [B, H] (and c [B, H] for LSTM). Owned buffers. */
export interface LmState {
  B: number;
  layers: RecurrentState[];
}

export interface LmForward {
  /** logits [T·B, V], owned by the output layer (overwritten by the next forward). */
  logits: Buf;
  /** Final state of every layer: views into the layers' buffers, valid until the next forward. */
  final: RecurrentState[];
  /** dlogits [T·B, V] → accumulates into every parameter's grad; stops at the initial state. */
  backward(dlogits: Buf): void;
}

/** Closed-form parameter count: V·E + Σ_l G·H·(D_l + H + 1) + H·V + V, D_0 = E, D_l = H. */
export function lmParamCount(a: LmArchitecture, V: number): number {
  let n = V * a.embDim + a.hidden * V + V;
  for (let l = 0; l < a.layers; l++) n += cellParamCount(gatesOf(a.cell), l === 0 ? a.embDim : a.hidden, a.hidden);
  return n;
}

export class LanguageModel {
  readonly table: SymbolTable;
  readonly V: number;
  readonly emb: Embedding;
  readonly rnn: Recurrent[] = [];
  readonly out: Dense;
  /** Dropout places: [0] on the embeddings, [1 … N−1] between layers, [N] before the output. */
  readonly drops: Dropout[] = [];
  /** Source of every dropout mask (checkpointed for exact resume). */
  readonly dropoutRng: Rng;
  private readonly ce = new SoftmaxCrossEntropy('mean');

  constructor(readonly arch: LmArchitecture, readonly vocab: LmVocab, seed: number) {
    const a = arch;
    for (const [k, v] of [['layers', a.layers], ['hidden', a.hidden], ['embDim', a.embDim]] as const) {
      if (!(Number.isInteger(v) && v > 0)) throw new RangeError(`LanguageModel: ${k} must be a positive integer, got ${v}`);
    }
    if (!(a.dropout >= 0 && a.dropout < 1)) throw new RangeError(`LanguageModel: dropout must be in [0, 1), got ${a.dropout}`);
    this.table = new SymbolTable(vocab);
    this.V = vocab.symbols.length;
    const rng = new Rng(seed);
    this.dropoutRng = new Rng(seed ^ 0x2545f491);
    this.emb = new Embedding('lm.emb', this.V, a.embDim, rng);
    for (let l = 0; l < a.layers; l++) {
      this.rnn.push(Recurrent.create(a.cell, `lm.rnn.l${l}`, l === 0 ? a.embDim : a.hidden, a.hidden, rng));
    }
    this.out = new Dense('lm.out', a.hidden, this.V, rng);
    for (let l = 0; l <= a.layers; l++) this.drops.push(new Dropout(a.dropout, this.dropoutRng));
    const n = this.params().reduce((s, p) => s + p.value.length, 0);
    const want = lmParamCount(a, this.V);
    if (n !== want) throw new Error(`LanguageModel: ${n} parameters, expected ${want}`);
  }

  params(): Param[] {
    return [...this.emb.params(), ...this.rnn.flatMap((r) => r.params()), ...this.out.params()];
  }

  /** A zero state for B streams. */
  newState(B: number): LmState {
    const H = this.arch.hidden, mem = this.rnn[0].cell.hasMemory;
    return { B, layers: this.rnn.map(() => ({ a: zeros(B * H), c: mem ? zeros(B * H) : null })) };
  }

  /** Copies `final` (from a forward) into the owned buffers of `state`. */
  static carry(final: readonly RecurrentState[], state: LmState): void {
    final.forEach((f, l) => {
      state.layers[l].a.set(f.a);
      if (f.c) state.layers[l].c!.set(f.c);
    });
  }

  /** Resets a state to zero (start of a pass over the stream). */
  static reset(state: LmState): void {
    for (const s of state.layers) { s.a.fill(0); s.c?.fill(0); }
  }

  /**
   * @param inputs   [T·B] symbol ids (any valid id at padding)
   * @param lengths  [B] real steps per stream
   * @param state    initial state of every layer (null: zeros); read, never written
   * @param training dropout on (true) or identity (false)
   */
  forward(inputs: Int32Array, T: number, B: number, lengths: Int32Array, state: LmState | null, training: boolean): LmForward {
    const R = T * B, H = this.arch.hidden, E = this.arch.embDim;
    if (state && state.B !== B) throw new RangeError(`LanguageModel: state holds ${state.B} streams, batch has ${B}`);
    const e = this.emb.forward(inputs, R);
    const backs: ((dy: Buf) => Buf)[] = [];
    let d = this.drops[0].forward(e.y, R * E, training);
    backs.push(d.backward);
    let h = d.y;
    const final: RecurrentState[] = [];
    for (let l = 0; l < this.rnn.length; l++) {
      const init = state ? state.layers[l] : undefined;
      const r = this.rnn[l].forward(h, T, B, lengths, { training, initialState: init });
      final.push(r.final);
      backs.push((dy) => r.backward(dy)); // no dFinal, initial-state gradient dropped: truncation
      d = this.drops[l + 1].forward(r.y, R * H, training);
      backs.push(d.backward);
      h = d.y;
    }
    const o = this.out.forward(h, R);
    return {
      logits: o.y,
      final,
      backward: (dlogits: Buf) => {
        let g = o.backward(dlogits);
        for (let i = backs.length - 1; i >= 0; i--) g = backs[i](g);
        e.backward(g);
      },
    };
  }

  /**
   * One truncated-BPTT training step on a segment: forward from `state`, mean cross-entropy over
   * the real steps, backward (accumulating into param grads), then `state` ← the final state.
   * @returns summed loss (nats) and the number of predictions
   */
  trainStep(batch: LmBatch, state: LmState): { loss: number; count: number } {
    const f = this.forward(batch.inputs, batch.T, batch.B, batch.lengths, state, true);
    const r = this.ce.compute(f.logits, batch.targets, this.V, { lengths: batch.lengths, T: batch.T });
    f.backward(r.dlogits);
    LanguageModel.carry(f.final, state);
    return { loss: r.sum, count: r.count };
  }

  /** Inference on a segment from `state` (then carried): summed loss (nats) and predictions. */
  evalStep(batch: LmBatch, state: LmState): { loss: number; count: number } {
    const f = this.forward(batch.inputs, batch.T, batch.B, batch.lengths, state, false);
    const r = this.ce.compute(f.logits, batch.targets, this.V, { lengths: batch.lengths, T: batch.T });
    LanguageModel.carry(f.final, state);
    return { loss: r.sum, count: r.count };
  }

  getDropoutState(): RngState {
    return this.dropoutRng.getState();
  }

  setDropoutState(s: RngState): void {
    this.dropoutRng.setState(s);
  }
}

/** A state as plain JSON (float32 values survive exactly), for checkpoints. */
export function stateToJson(s: LmState): { B: number; a: number[][]; c: (number[] | null)[] } {
  return { B: s.B, a: s.layers.map((l) => Array.from(l.a)), c: s.layers.map((l) => (l.c ? Array.from(l.c) : null)) };
}

export function stateFromJson(j: { B: number; a: number[][]; c: (number[] | null)[] }, into: LmState): void {
  if (j.B !== into.B || j.a.length !== into.layers.length) throw new Error('carried state does not match the model');
  into.layers.forEach((l, i) => {
    l.a.set(j.a[i]);
    if (l.c) l.c.set(j.c[i]!);
  });
}
