/**
 * SequenceTagger: features + encoder + decoder.
 *
 *   words  → word embedding   [T·B, Dw]   (looked up by wordKey: lower-cased, digits → 0)
 *   chars  → char encoder     [T·B, Dc]   (CNN + max-pool or BiLSTM over each word's characters)
 *   casing → casing embedding [T·B, Dk]
 *   concat [T·B, D = Dw + Dc + Dk] → dropout → Stack of (Bi)RNN/GRU/LSTM [T·B, dirs·H]
 *   → dropout → Dense [T·B, K] → softmax over tags at every step, or a linear-chain CRF over the
 *   whole sequence (the dense layer's outputs are then the CRF's emission scores)
 *
 * Batches are time-major (row t·B + b) with lengths [B]; see src/nn. The model knows tags only as
 * indices into `tags` (in the training scheme, IOBES by default); reading and writing tag strings
 * in the data's own scheme is the job of src/tagger/tagger.ts.
 */
import { Rng, zeros, copyBlock, zeroRange, type Buf, type RngState, softmaxRows } from '../tensor/index.js';
import {
  Embedding, CharEncoder, Dropout, Stack, Dense, SoftmaxCrossEntropy, CRF, optim, type CRFAllowed, type Param, type CellKind,
} from '../nn/index.js';
import { casingOf, CASINGS, wordKey } from './features.js';
import { ProjectionCache } from './projection.js';

import { PAD, UNK } from '../vocab/vocabulary.js';

export { PAD, UNK };

export interface TaggerArchitecture {
  /** Word embedding size Dw. */
  wordDim: number;
  /** Character encoder: 'cnn', 'lstm' or 'none'. */
  charEncoder: 'cnn' | 'lstm' | 'none';
  /** Character embedding size. */
  charDim: number;
  /** CNN filters, or BiLSTM hidden units per direction (output 2×). */
  charHidden: number;
  /** CNN window in characters. */
  charWindow: number;
  /** Casing embedding size Dk (0 = no casing feature). */
  casingDim: number;
  cell: CellKind;
  layers: number;
  /** Hidden units per direction. */
  hidden: number;
  bidirectional: boolean;
  /** Dropout on the encoder's input and output and between stacked layers. */
  dropout: number;
  /**
   * Variational dropout: those masks are drawn once per sentence and feature and shared by all
   * its tokens, instead of per element. Absent (older models): false.
   */
  variationalDropout?: boolean;
}

export const DEFAULT_ARCHITECTURE: TaggerArchitecture = {
  wordDim: 100, charEncoder: 'cnn', charDim: 30, charHidden: 50, charWindow: 3, casingDim: 8,
  cell: 'lstm', layers: 1, hidden: 100, bidirectional: true, dropout: 0.5,
};

/** The symbol tables a model is built over. Index 0 of words and chars is PAD, 1 is UNK. */
export interface TaggerVocab {
  words: string[];
  chars: string[];
  /** Tags in the training scheme; index = class id. */
  tags: string[];
}

/** A padded, time-major batch of sentences encoded as indices. */
export interface TaggerBatch {
  T: number;
  B: number;
  lengths: Int32Array; // [B]
  wordIds: Int32Array; // [T·B], 0 at padding
  caseIds: Int32Array; // [T·B], 0 at padding (all 0 when the model has no casing feature)
  /** Row index t·B + b of each real token, in order; [N]. */
  realRows: Int32Array;
  /** Character ids of each real token; [N] ragged. */
  charIds: Int32Array[];
  /** Gold class ids [T·B], −1 at padding (absent for unlabelled batches). */
  gold?: Int32Array;
}

export class SequenceTagger {
  readonly wordIndex: Map<string, number>;
  readonly charIndex: Map<string, number>;
  readonly tagIndex: Map<string, number>;
  readonly wordEmb: Embedding;
  readonly charEnc: CharEncoder | null;
  readonly caseEmb: Embedding | null;
  readonly inDrop: Dropout;
  readonly encoder: Stack;
  readonly outDrop: Dropout;
  readonly out: Dense;
  /** The CRF output layer (null: independent softmax per token). */
  readonly crf: CRF | null;
  readonly K: number;
  readonly inputDim: number;
  /** Source of every dropout mask (its state is checkpointed for exact resume). */
  readonly dropoutRng: DropoutRng;
  private readonly xe = new Grow();
  private readonly dxe = new Grow();
  private readonly ce = new SoftmaxCrossEntropy('mean');
  private readonly ceSum = new SoftmaxCrossEntropy('sum');
  private readonly probs = new Grow();
  /** Inference cache of per-word input projections (null: off); see enableProjectionCache. */
  private projCache: ProjectionCache | null = null;

  /**
   * @param crf  use a CRF output layer with these transition constraints (from the tag scheme);
   *             absent: softmax. A model whose weights are loaded next is built inside
   *             `withoutInit` (src/tensor/init.ts), which skips drawing them.
   */
  constructor(readonly arch: TaggerArchitecture, readonly vocab: TaggerVocab, seed: number, crf?: CRFAllowed) {
    if (vocab.words[0] !== PAD || vocab.words[1] !== UNK) throw new Error('SequenceTagger: words[0..1] must be <pad>, <unk>');
    if (vocab.chars[0] !== PAD || vocab.chars[1] !== UNK) throw new Error('SequenceTagger: chars[0..1] must be <pad>, <unk>');
    const rng = new Rng(seed);
    this.dropoutRng = new DropoutRng(seed ^ 0x5bd1e995);
    this.wordIndex = new Map(vocab.words.map((w, i) => [w, i]));
    this.charIndex = new Map(vocab.chars.map((c, i) => [c, i]));
    this.tagIndex = new Map(vocab.tags.map((t, i) => [t, i]));
    this.K = vocab.tags.length;
    const a = arch;
    this.wordEmb = new Embedding('tagger.word_emb', vocab.words.length, a.wordDim, rng, { paddingIdx: 0 });
    this.charEnc = a.charEncoder === 'none' ? null : new CharEncoder('tagger.char_enc',
      a.charEncoder === 'cnn'
        ? { kind: 'cnn', charVocabSize: vocab.chars.length, charDim: a.charDim, filters: a.charHidden, window: a.charWindow }
        : { kind: 'lstm', charVocabSize: vocab.chars.length, charDim: a.charDim, hiddenSize: a.charHidden },
      rng);
    this.caseEmb = a.casingDim > 0 ? new Embedding('tagger.case_emb', CASINGS.length, a.casingDim, rng, { paddingIdx: 0 }) : null;
    this.inputDim = a.wordDim + (this.charEnc?.outputSize ?? 0) + a.casingDim;
    this.inDrop = new Dropout(a.dropout, this.dropoutRng);
    this.encoder = new Stack('tagger.encoder', {
      cell: a.cell, inputSize: this.inputDim, hiddenSize: a.hidden, numLayers: a.layers,
      bidirectional: a.bidirectional, dropout: a.dropout, variationalDropout: a.variationalDropout === true,
    }, rng, this.dropoutRng);
    this.outDrop = new Dropout(a.dropout, this.dropoutRng);
    this.out = new Dense('tagger.out', a.hidden * (a.bidirectional ? 2 : 1), this.K, rng);
    this.crf = crf ? new CRF('tagger.crf', this.K, rng, { allowed: crf }) : null;
  }

  params(): Param[] {
    return [
      ...this.wordEmb.params(), ...(this.charEnc?.params() ?? []), ...(this.caseEmb?.params() ?? []),
      ...this.encoder.params(), ...this.out.params(), ...(this.crf?.params() ?? []),
    ];
  }

  /**
   * Inference speed-up for a model whose weights no longer change (a loaded model): the first
   * recurrent layer's input projection of each of the `maxRows` most frequent words is computed
   * once and reused (src/tagger/projection.ts), which removes most of that layer's input product.
   * Memory: up to maxRows · 4H · 4 bytes per direction, allocated as words are met. A training
   * step empties the cache.
   */
  enableProjectionCache(maxRows: number = DEFAULT_CACHED_WORDS): void {
    this.projCache = maxRows > 0 ? new ProjectionCache(this.wordEmb, Math.min(maxRows, this.vocab.words.length)) : null;
  }

  /** The projection cache, if on (for tests and memory reports). */
  get projectionCache(): ProjectionCache | null {
    return this.projCache;
  }

  /** Word id of a token (by its lookup key), UNK if unknown. */
  wordId(token: string): number {
    return this.wordIndex.get(wordKey(token)) ?? 1;
  }

  /**
   * Encodes sentences (token lists, optional gold tags in the training scheme) as a batch.
   * @param unkRate  training only: replace each word id in `unkable` by UNK with this probability
   */
  encode(tokens: readonly (readonly string[])[], tags?: readonly (readonly string[])[],
    unk?: { rate: number; unkable: (id: number) => boolean; rng: Rng }): TaggerBatch {
    const B = tokens.length;
    let T = 0;
    for (const s of tokens) if (s.length > T) T = s.length;
    const lengths = new Int32Array(B);
    const wordIds = new Int32Array(T * B), caseIds = new Int32Array(T * B);
    const gold = tags ? new Int32Array(T * B).fill(-1) : undefined;
    let N = 0;
    for (const s of tokens) N += s.length;
    const realRows = new Int32Array(N);
    const charIds: Int32Array[] = new Array(N);
    let n = 0;
    for (let t = 0; t < T; t++) {
      for (let b = 0; b < B; b++) {
        const s = tokens[b];
        if (t >= s.length) continue;
        const row = t * B + b;
        const tok = s[t];
        let wid = this.wordId(tok);
        if (unk && wid > 1 && unk.unkable(wid) && unk.rng.float() < unk.rate) wid = 1;
        wordIds[row] = wid;
        if (this.caseEmb) caseIds[row] = casingOf(tok); // no casing feature: nothing reads them
        realRows[n] = row;
        charIds[n] = this.charEnc ? this.charIds(tok) : NO_CHARS; // no char encoder: nothing reads them
        n++;
        if (gold) {
          const g = this.tagIndex.get(tags![b][t]);
          if (g === undefined) throw new Error(`unknown tag '${tags![b][t]}'`);
          gold[row] = g;
        }
      }
    }
    tokens.forEach((s, b) => { lengths[b] = s.length; });
    return { T, B, lengths, wordIds, caseIds, realRows, charIds, gold };
  }

  private charIds(token: string): Int32Array {
    const cps = Array.from(token);
    const out = new Int32Array(cps.length);
    for (let i = 0; i < cps.length; i++) out[i] = this.charIndex.get(cps[i]) ?? 1;
    return out;
  }

  /**
   * Forward pass to tag scores.
   * @returns logits [T·B, K] (layer-owned) and the backward closure dlogits [T·B, K] → void
   */
  forward(batch: TaggerBatch, training: boolean): { logits: Buf; backward(dlogits: Buf): void } {
    const { T, B, lengths } = batch;
    const R = T * B, D = this.inputDim, Dw = this.arch.wordDim;
    const Dc = this.charEnc?.outputSize ?? 0, Dk = this.arch.casingDim;
    const we = this.wordEmb.forward(batch.wordIds, R);
    const ce = this.charEnc ? this.charEnc.forward(batch.charIds, { training }) : null;
    const ke = this.caseEmb ? this.caseEmb.forward(batch.caseIds, R) : null;
    // x [R, D] = [word | char | casing] per row (one block copy each; the char vectors go to
    // the real rows, padded rows keep zeros there); word vectors alone are used as they are.
    let x: Buf;
    if (D === Dw) x = we.y.subarray(0, R * D);
    else {
      x = this.xe.get(R * D);
      zeroRange(x);
      copyBlock(x, D, we.y, Dw, R, Dw);
      if (ce) copyBlock(x.subarray(Dw), D, ce.y, Dc, batch.realRows.length, Dc, batch.realRows, 'dst');
      if (ke) copyBlock(x.subarray(Dw + Dc), D, ke.y, Dk, R, Dk);
    }

    const shared = this.arch.variationalDropout === true;
    const xd = shared ? this.inDrop.forwardShared(x, T, B, D, training) : this.inDrop.forward(x, R * D, training);
    const cache = training ? null : this.projCache;
    if (training) this.projCache?.clear(); // the weights are about to change
    if (cache) cache.wordIds = batch.wordIds;
    const h = this.encoder.forward(xd.y, T, B, lengths, { training, project: cache?.project });
    const Hout = this.out.inDim;
    const hd = shared ? this.outDrop.forwardShared(h.y, T, B, Hout, training) : this.outDrop.forward(h.y, R * Hout, training);
    const o = this.out.forward(hd.y, R);

    return {
      logits: o.y,
      backward: (dlogits: Buf) => {
        const dhd = o.backward(dlogits);
        const dh = hd.backward(dhd);
        const dxd = h.backward(dh);
        const dx = xd.backward(dxd);
        // Split dx [R, D] into the three feature blocks.
        if (D === Dw) {
          we.backward(dx.subarray(0, R * Dw));
          return;
        }
        const dwe = this.dxe.get(R * Math.max(Dw, Dc, Dk));
        copyBlock(dwe, Dw, dx, D, R, Dw);
        we.backward(dwe.subarray(0, R * Dw));
        if (ce) {
          const N = batch.realRows.length;
          copyBlock(dwe, Dc, dx.subarray(Dw), D, N, Dc, batch.realRows, 'src');
          ce.backward(dwe.subarray(0, N * Dc));
        }
        if (ke) {
          copyBlock(dwe, Dk, dx.subarray(Dw + Dc), D, R, Dk);
          ke.backward(dwe.subarray(0, R * Dk));
        }
      },
    };
  }

  /**
   * Forward + backward in training mode; returns the summed loss and the token count. The
   * gradient is that of the loss per token (softmax: mean cross-entropy over real tokens; CRF:
   * the sentences' summed negative log-likelihood divided by the number of real tokens), so one
   * learning rate suits both decoders.
   */
  trainStep(batch: TaggerBatch): { loss: number; count: number } {
    const f = this.forward(batch, true);
    if (this.crf) {
      const r = this.crf.nll(f.logits, batch.gold!, batch.T, batch.B, batch.lengths, 'sum');
      f.backward(r.backward(r.tokens > 0 ? 1 / r.tokens : 0));
      return { loss: r.sum, count: r.tokens };
    }
    const r = this.ce.compute(f.logits, batch.gold!, this.K, { lengths: batch.lengths, T: batch.T });
    f.backward(r.dlogits);
    return { loss: r.sum, count: r.count };
  }

  /**
   * Grows every workspace to the size `batch` needs — give it the largest batch training will
   * see — through a forward + backward that leaves nothing behind: the gradients are zeroed
   * after (call it while they are zero, before training) and the dropout stream is put back
   * where it was, so training then runs exactly as without. Shuffled batches otherwise raise the
   * longest batch seen a few times in the first epoch, and each workspace grows each time into a
   * new heap block: with the bench model (BiLSTM 100, batch 32 on CoNLL-2003) 46 blocks and
   * 52 MB of fresh heap in the first epoch; reserving first, none, the 2-thread first epoch's
   * page faults fall from ~26,000 to ~13,000 and the heap from 96 to 69 MB.
   * @param run how a training step runs (default trainStep; DataParallel's trainBatch with threads)
   */
  reserve(batch: TaggerBatch, run: (b: TaggerBatch) => unknown = (b) => this.trainStep(b)): void {
    const state = this.dropoutRng.getState();
    try {
      run(batch);
    } finally {
      this.dropoutRng.setState(state);
      optim.zeroGrad(this.params());
    }
  }

  /**
   * Forward + backward of one shard of a batch (data-parallel training, src/parallel): as
   * `trainStep`, but the gradient is that of the shard's summed loss times `scale` (1 / the real
   * tokens of the whole batch), so the shards' gradients add up to `trainStep`'s on the whole
   * batch, up to float rounding.
   */
  trainShard(batch: TaggerBatch, scale: number): { loss: number; count: number } {
    const f = this.forward(batch, true);
    if (this.crf) {
      const r = this.crf.nll(f.logits, batch.gold!, batch.T, batch.B, batch.lengths, 'sum');
      f.backward(r.backward(scale));
      return { loss: r.sum, count: r.tokens };
    }
    const r = this.ceSum.compute(f.logits, batch.gold!, this.K, { lengths: batch.lengths, T: batch.T });
    const d = r.dlogits;
    for (let i = 0; i < d.length; i++) d[i] *= scale;
    f.backward(d);
    return { loss: r.sum, count: r.count };
  }

  /** Tag scores [T·B, K] in inference mode: logits (softmax) or emission scores (CRF); model-owned. */
  scores(batch: TaggerBatch): Buf {
    return this.forward(batch, false).logits;
  }

  /**
   * Per-token tag probabilities [T·B, K] (inference mode). The buffer belongs to the model and is
   * overwritten by the next call (no per-batch allocation: WASM heap memory is only reclaimed
   * by the garbage collector between event-loop turns).
   */
  probabilities(batch: TaggerBatch): Buf {
    const f = this.forward(batch, false);
    const R = batch.T * batch.B;
    const p = this.probs.get(R * this.K);
    softmaxRows(f.logits, R, this.K, p);
    return p;
  }

  getDropoutState(): RngState {
    return this.dropoutRng.getState();
  }

  setDropoutState(s: RngState): void {
    this.dropoutRng.setState(s);
  }
}

/**
 * The generator of the dropout masks: a plain Rng, except that data-parallel training
 * (src/parallel) sets `replay` while a shard of a batch runs, so that the shard's masks are the
 * ones the whole batch would draw at its elements.
 */
export class DropoutRng extends Rng {
  replay: (() => number) | null = null;

  override float(): number {
    return this.replay === null ? super.float() : this.replay();
  }

  override bulkDraws(): boolean {
    return this.replay === null;
  }

  override bernoulliMask(mask: Float32Array | Float64Array, n: number, p: number, keep: number): void {
    if (this.replay === null) {
      super.bernoulliMask(mask, n, p, keep);
      return;
    }
    for (let i = 0; i < n; i++) mask[i] = this.replay() < p ? 0 : keep;
  }
}

const NO_CHARS = new Int32Array(0);

/** Words whose input projections a loaded model keeps (at most 16,384 · 4H · 4 bytes per direction: 52 MB for H = 100, 105 MB for H = 200, both directions). */
export const DEFAULT_CACHED_WORDS = 16384;

/** A grow-only scratch buffer. */
class Grow {
  private buf: Buf = zeros(0);
  get(n: number): Buf {
    if (this.buf.length < n) this.buf = zeros(n);
    return this.buf.subarray(0, n);
  }
}
