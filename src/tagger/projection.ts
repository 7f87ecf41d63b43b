/**
 * Inference cache of the first recurrent layer's input projections, per word id.
 *
 * The encoder's input at each token is x = [word vector (Dw) | char features | casing] and the
 * first layer's input projection is Z = x·Wx + b [T·B, G·H]. The word block's share,
 * e_w·Wx[0:Dw, :] + b, depends on the word id alone, so it is computed once per word and
 * direction and kept: a batch then costs one row copy per token plus the product of the remaining
 * (char and casing) columns, instead of the whole product. Word ids below `maxRows` (the word
 * table is ordered by frequency, so these are the common words) are kept, in blocks allocated on
 * first use; rarer words are projected per batch.
 *
 * Inference only: the rows belong to the weights they were computed with (`clear()` after
 * changing the weights). Results equal the plain product up to float rounding.
 */
import { gemm, fillRows, zeros, kernelsFor, type Buf } from '../tensor/index.js';
import type { Embedding, ProjectFn, Recurrent } from '../nn/index.js';

const BLOCK_ROWS = 1024;

interface LayerCache {
  GH: number;
  /** blocks[k] holds rows k·BLOCK_ROWS … of [maxRows, G·H] (in the WASM heap when it is on). */
  blocks: (Buf | null)[];
  filled: Uint8Array; // [maxRows]
}

export class ProjectionCache {
  /** Word ids of the batch being run, [T·B] time-major; set by the tagger before the forward pass. */
  wordIds: Int32Array = new Int32Array(0);
  private readonly layers = new Map<Recurrent, LayerCache>();
  private gathered: Buf = zeros(0);
  private projected: Buf = zeros(0);
  /** Byte address of each row's source, for the WASM gather (i32 view on a heap block). */
  private ptrBuf: Buf = zeros(0);
  private ptrs: Int32Array = new Int32Array(0);

  /** @param maxRows  word ids below this are kept (memory: maxRows · G·H · 4 bytes per direction at most) */
  constructor(readonly wordEmb: Embedding, readonly maxRows: number) {}

  /** Forgets every kept row (after the weights changed). */
  clear(): void {
    this.layers.clear();
  }

  /** Rows kept so far, over all directions (for tests and memory reports). */
  keptRows(): number {
    let n = 0;
    for (const c of this.layers.values()) for (let i = 0; i < c.filled.length; i++) n += c.filled[i];
    return n;
  }

  readonly project: ProjectFn = (z, x, T, B, layer) => {
    const cell = layer.cell;
    const GH = cell.gates * cell.hiddenSize, D = cell.inputSize, Dw = this.wordEmb.dim, TB = T * B;
    const ids = this.wordIds;
    if (ids.length < TB) throw new Error('ProjectionCache: wordIds not set for this batch');
    let c = this.layers.get(layer);
    if (!c) {
      c = { GH, blocks: new Array(Math.ceil(this.maxRows / BLOCK_ROWS)).fill(null), filled: new Uint8Array(this.maxRows) };
      this.layers.set(layer, c);
    }
    // Words to project now: kept ids not yet filled (each once), and every rare-word row.
    const todo: number[] = [];
    const rareRows: number[] = [];
    for (let r = 0; r < TB; r++) {
      const w = ids[r];
      if (w >= this.maxRows) rareRows.push(r);
      else if (c.filled[w] === 0) { c.filled[w] = 2; todo.push(w); } // 2: queued
    }
    const n = todo.length + rareRows.length;
    if (n > 0) {
      // P = b + E[w]·Wx[0:Dw, :] for each listed word: [n, Dw] · [Dw, G·H].
      if (this.gathered.length < n * Dw) this.gathered = zeros(n * Dw);
      if (this.projected.length < n * GH) this.projected = zeros(n * GH);
      const E = this.wordEmb.weight.value, A = this.gathered, P = this.projected;
      for (let i = 0; i < n; i++) {
        const w = i < todo.length ? todo[i] : ids[rareRows[i - todo.length]];
        A.set(E.subarray(w * Dw, (w + 1) * Dw), i * Dw);
      }
      fillRows(P, cell.b.value, n, GH);
      gemm(false, false, n, GH, Dw, 1, A, Dw, cell.Wx.value, GH, 1, P, GH);
      for (let i = 0; i < todo.length; i++) {
        const w = todo[i], k = Math.floor(w / BLOCK_ROWS);
        const block = c.blocks[k] ?? (c.blocks[k] = zeros(BLOCK_ROWS * GH));
        block.set(P.subarray(i * GH, (i + 1) * GH), (w - k * BLOCK_ROWS) * GH);
        c.filled[w] = 1;
      }
    }
    this.assemble(z, c, TB, todo.length, rareRows);
    // The other input columns (char features, casing): Z += x[:, Dw:] · Wx[Dw:, :].
    if (D > Dw) gemm(false, false, TB, GH, D - Dw, 1, x.subarray(Dw), D, cell.Wx.value.subarray(Dw * GH), GH, 1, z, GH);
  };

  /**
   * z[r, :] = the kept row of word ids[r], or for a rare word its row of `projected` (the rare
   * words' rows follow the `queued` new ones there, in row order). One WASM gather over byte
   * addresses when the kernels are on, else row copies.
   */
  private assemble(z: Buf, c: LayerCache, TB: number, queued: number, rareRows: number[]): void {
    const ids = this.wordIds, GH = c.GH, P = this.projected;
    const k = kernelsFor(z);
    if (k !== null && (rareRows.length === 0 || kernelsFor(P) !== null) && c.blocks.every((b) => b === null || kernelsFor(b) !== null)) {
      if (this.ptrs.length < TB) {
        this.ptrBuf = zeros(Math.max(TB, 1024));
        this.ptrs = new Int32Array(this.ptrBuf.buffer, this.ptrBuf.byteOffset, this.ptrBuf.length); // kept alive by ptrBuf
      }
      const ptrs = this.ptrs;
      let rare = 0;
      for (let r = 0; r < TB; r++) {
        const w = ids[r];
        if (w >= this.maxRows) ptrs[r] = P.byteOffset + 4 * (queued + rare++) * GH;
        else {
          const b = Math.floor(w / BLOCK_ROWS);
          ptrs[r] = c.blocks[b]!.byteOffset + 4 * (w - b * BLOCK_ROWS) * GH;
        }
      }
      k.copyRows(z.byteOffset, this.ptrBuf.byteOffset, TB, GH);
      return;
    }
    for (let i = 0; i < rareRows.length; i++) {
      const j = queued + i;
      z.set(P.subarray(j * GH, (j + 1) * GH), rareRows[i] * GH);
    }
    for (let r = 0; r < TB; r++) {
      const w = ids[r];
      if (w >= this.maxRows) continue;
      const b = Math.floor(w / BLOCK_ROWS), o = (w - b * BLOCK_ROWS) * GH;
      z.set(c.blocks[b]!.subarray(o, o + GH), r * GH);
    }
  }
}
