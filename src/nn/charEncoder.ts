/**
 * Character-level word encoder: the characters of each word → one vector per word.
 *
 *   char ids of N words (ragged) → char embeddings [L, N', E] (time-major, padded to the
 *   longest word L) → either
 *     'lstm': a bidirectional recurrent layer; vector = [a→ after the last char, a← after the
 *             first char]                                                  → [N', 2H]
 *     'cnn':  Conv1d (window w, same padding) → max over the word's chars → activation → [N', F]
 *   → scattered back to the N input positions [N, outputSize].
 *
 * All words of a batch are encoded together (large gemms). Identical words are encoded once
 * (N' ≤ N distinct words; their gradients are summed), and the distinct words are sorted by
 * length, longest first, so the recurrent layer's active row range shrinks as short words end.
 * Character id 0 is reserved for padding (the embedding's padding row, never trained).
 * Parameters: `${name}.emb.weight` [V, E], then `${name}.rnn.{fwd,bwd}.*` or `${name}.conv.{W,b}`.
 */
import { ensureBuf, type CellKind } from './cells/cell.js';
import { Embedding } from './embedding.js';
import { Bidirectional } from './bidirectional.js';
import { Conv1d, MaxPoolTime } from './conv1d.js';
import type { Param } from './param.js';
import { gatherRows, scatterAddRows, zeroRange, tanhBackwardInPlace, tanhFast, type Buf, type Rng } from '../tensor/index.js';

/** A string key of a word's char ids (ids < 2¹⁶ are one code unit each; larger ones get two). */
function charKey(ids: Int32Array): string {
  let k = '';
  for (let i = 0; i < ids.length; i++) {
    const c = ids[i];
    k += c < 0xffff ? String.fromCharCode(c) : String.fromCharCode(0xffff, c >>> 16, c & 0xffff);
  }
  return k;
}

export type CharActivation = 'linear' | 'tanh' | 'relu';

export type CharEncoderOptions =
  | {
    kind: 'lstm';
    /** V: character vocabulary size, id 0 = padding. */
    charVocabSize: number;
    /** E: character embedding size. */
    charDim: number;
    /** H per direction; output 2H. */
    hiddenSize: number;
    /** Recurrent cell. Default 'lstm'. */
    cell?: CellKind;
  }
  | {
    kind: 'cnn';
    charVocabSize: number;
    charDim: number;
    /** F: filters = output size. */
    filters: number;
    /** w: window in characters. Default 3. */
    window?: number;
    /** Applied after pooling (equivalent to before, being monotonic). Default 'tanh'. */
    activation?: CharActivation;
  };

export type CharEncoderConfig = CharEncoderOptions & { type: 'CharEncoder.v1'; name: string };

export interface CharEncoderOutput {
  /** y [N, outputSize], one row per input word (layer-owned, overwritten by the next forward). */
  y: Buf;
  /** dy [N, outputSize]: accumulates into the embedding table and the encoder's weights. */
  backward(dy: Buf): void;
}

export class CharEncoder {
  readonly embedding: Embedding;
  readonly rnn: Bidirectional | null = null;
  readonly conv: Conv1d | null = null;
  readonly outputSize: number;
  readonly opts: CharEncoderOptions;
  private readonly pool = new MaxPoolTime();
  private ids = new Int32Array(0);
  private yBuf: Buf | null = null;
  private uBuf: Buf | null = null; // [N', out]: per distinct word
  private duBuf: Buf | null = null; // [N', out]
  private gBuf: Buf | null = null; // [2·N', H]: gradients w.r.t. the final states
  private generation = 0;

  constructor(readonly name: string, options: CharEncoderOptions, rng: Rng) {
    this.opts = options.kind === 'lstm'
      ? { cell: 'lstm', ...options }
      : { window: 3, activation: 'tanh', ...options };
    const o = this.opts;
    this.embedding = new Embedding(`${name}.emb`, o.charVocabSize, o.charDim, rng, { paddingIdx: 0 });
    if (o.kind === 'lstm') {
      this.rnn = new Bidirectional(`${name}.rnn`, o.cell ?? 'lstm', o.charDim, o.hiddenSize, rng);
      this.outputSize = 2 * o.hiddenSize;
    } else if (o.kind === 'cnn') {
      this.conv = new Conv1d(`${name}.conv`, o.charDim, o.filters, o.window ?? 3, rng);
      this.outputSize = o.filters;
    } else {
      throw new RangeError(`CharEncoder ${name}: unknown kind '${String((o as { kind: unknown }).kind)}' (lstm, cnn)`);
    }
  }

  static fromConfig(c: CharEncoderConfig, rng: Rng): CharEncoder {
    const { type: _t, name, ...o } = c;
    return new CharEncoder(name, o as CharEncoderOptions, rng);
  }

  getConfig(): CharEncoderConfig {
    return { type: 'CharEncoder.v1', name: this.name, ...this.opts };
  }

  params(): Param[] {
    return [...this.embedding.params(), ...(this.rnn ? this.rnn.params() : this.conv!.params())];
  }

  /**
   * @param words  N words, each the char ids [len] (ids in [1, V); 0 is padding). An empty word
   *               gets the zero vector ('lstm': both states stay 0; 'cnn': max over nothing).
   * @returns y [N, outputSize]
   */
  forward(words: readonly Int32Array[], opts: { training?: boolean } = {}): CharEncoderOutput {
    const gen = ++this.generation;
    const N = words.length, O = this.outputSize;
    // Distinct words, longest first.
    const slotOf = new Int32Array(N);
    const keyIndex = new Map<string, number>();
    const uniq: Int32Array[] = [];
    for (let i = 0; i < N; i++) {
      const key = charKey(words[i]);
      let u = keyIndex.get(key);
      if (u === undefined) { u = uniq.length; keyIndex.set(key, u); uniq.push(words[i]); }
      slotOf[i] = u;
    }
    const order = Array.from(uniq.keys()).sort((a, b) => uniq[b].length - uniq[a].length || a - b);
    const rank = new Int32Array(uniq.length);
    order.forEach((u, r) => { rank[u] = r; });
    for (let i = 0; i < N; i++) slotOf[i] = rank[slotOf[i]];
    const M = uniq.length;
    const L = M > 0 ? uniq[order[0]].length : 0;
    const lengths = new Int32Array(M);
    if (this.ids.length < L * M) this.ids = new Int32Array(L * M);
    const ids = this.ids;
    ids.fill(0, 0, L * M);
    for (let r = 0; r < M; r++) {
      const w = uniq[order[r]];
      lengths[r] = w.length;
      for (let t = 0; t < w.length; t++) ids[t * M + r] = w[t];
    }

    const emb = this.embedding.forward(ids, L * M);
    const u = (this.uBuf = ensureBuf(this.uBuf, M * O));
    let encBackward: (du: Buf) => Buf;
    if (this.rnn) {
      const H = this.rnn.hiddenSize;
      const out = this.rnn.forward(emb.y, L, M, lengths, { training: opts.training });
      const fa = out.final.fwd.a, ba = out.final.bwd.a;
      for (let r = 0; r < M; r++) {
        for (let j = 0; j < H; j++) { u[r * O + j] = fa[r * H + j]; u[r * O + H + j] = ba[r * H + j]; }
      }
      encBackward = (du) => {
        const g = (this.gBuf = ensureBuf(this.gBuf, 2 * M * H));
        const gf = g.subarray(0, M * H), gb = g.subarray(M * H, 2 * M * H);
        for (let r = 0; r < M; r++) {
          for (let j = 0; j < H; j++) { gf[r * H + j] = du[r * O + j]; gb[r * H + j] = du[r * O + H + j]; }
        }
        return out.backward(null, { fwd: { a: gf }, bwd: { a: gb } });
      };
    } else {
      const conv = this.conv!, F = O;
      const act = (this.opts as { activation?: CharActivation }).activation ?? 'tanh';
      const c = conv.forward(emb.y, L, M, lengths);
      const p = this.pool.forward(c.y, L, M, F, lengths);
      if (act === 'tanh') tanhFast(p.y, u, M * F); // WASM SIMD when both are in the heap
      else {
        for (let i = 0; i < M * F; i++) {
          const v = p.y[i];
          u[i] = act === 'relu' ? (v > 0 ? v : 0) : v;
        }
      }
      encBackward = (du) => {
        // du ← du · act'(pooled), in place (du is our own buffer)
        if (act === 'tanh') tanhBackwardInPlace(du, u, M * F);
        else if (act === 'relu') for (let i = 0; i < M * F; i++) if (!(p.y[i] > 0)) du[i] = 0;
        return c.backward(p.backward(du));
      };
    }

    const y = (this.yBuf = ensureBuf(this.yBuf, N * O));
    gatherRows(y, u, slotOf, N, O); // y[i] = u[slotOf[i]]
    return {
      y: y.subarray(0, N * O),
      backward: (dy: Buf): void => {
        if (gen !== this.generation) throw new Error(`CharEncoder ${this.name}: backward of a stale forward`);
        const du = (this.duBuf = ensureBuf(this.duBuf, M * O));
        zeroRange(du, 0, M * O);
        scatterAddRows(du, dy, slotOf, N, O, -1); // du[slotOf[i]] += dy[i], i in order
        emb.backward(encBackward(du));
      },
    };
  }
}
