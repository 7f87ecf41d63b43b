/**
 * Bidirectional recurrent layer: one cell runs left-to-right, another right-to-left (each
 * sequence from its own last token), and the outputs are concatenated per step:
 *   y⟨t⟩ = [a→⟨t⟩, a←⟨t⟩]   y [T·B, 2H], forward half in columns [0, H), backward in [H, 2H).
 * Each direction writes straight into its half (strided output), so nothing is copied.
 * Parameters: `${name}.fwd.{Wx,Wa,b}` and `${name}.bwd.{Wx,Wa,b}`, 2·G·H·(D + H + 1) in all.
 */
import { addFast, KernelRecorder, type Buf, type KernelOp, type Rng } from '../tensor/index.js';
import type { Param } from './param.js';
import { ensureBuf, cellParamCount, type CellKind } from './cells/cell.js';
import { gatesOf } from './cells/factory.js';
import { Recurrent, type ProjectFn, type RecurrentState, type RecurrentStateGrad, type SequenceLayer } from './recurrent.js';

export interface BidirectionalConfig {
  type: 'Bidirectional.v1';
  name: string;
  cell: CellKind;
  inputSize: number;
  /** H per direction; the output has 2H features. */
  hiddenSize: number;
}

export interface BidirectionalOutput {
  /** y [T·B, 2H]: [a→⟨t⟩, a←⟨t⟩], 0 at padded steps. Layer-owned, overwritten by the next forward. */
  y: Buf;
  /** Final states [B, H]: fwd after each sequence's last token, bwd after its first (t = 0). */
  final: { fwd: RecurrentState; bwd: RecurrentState };
  /**
   * dy [T·B, 2H] (null: none), dFinal: gradients w.r.t. the final states. Accumulates into the
   * parameter grads; returns dx [T·B, D] (layer-owned), 0 at padded steps.
   */
  backward(dy: Buf | null, dFinal?: { fwd?: RecurrentStateGrad; bwd?: RecurrentStateGrad }): Buf;
}

/**
 * Another thread that computes with this one on this thread's WASM memory (see
 * src/parallel/dataParallel.ts, mode 'directions'). `run(fwd, bwd)` runs the two directions'
 * recorded kernel programs at once, one on each thread, the divisible parts of both (input
 * projections, weight gradients, dx) shared by pieces (tensor/remote.ts, runPairOps), and
 * returns once both are done.
 */
export interface DirectionHelper {
  run(fwd: KernelOp[], bwd: KernelOp[]): void;
}

export class Bidirectional implements SequenceLayer {
  readonly fwd: Recurrent;
  readonly bwd: Recurrent;
  /**
   * When set, an LSTM layer on the WASM backend computes its two directions at once: each is
   * recorded as a kernel program, and the helper runs the pair, the right-to-left loop on its
   * thread, the left-to-right one here. Same kernels on the same buffers, so the same results
   * bit for bit.
   */
  helper: DirectionHelper | null = null;
  private readonly recFwd = new KernelRecorder();
  private readonly recBwd = new KernelRecorder();
  private yBuf: Buf | null = null;
  private dxBuf: Buf | null = null;
  private dyBuf: Buf | null = null;

  /** x [T·B, D] → y [T·B, 2H]; `hiddenSize` is H per direction. */
  constructor(readonly name: string, readonly cellKind: CellKind, inputSize: number, hiddenSize: number, rng: Rng) {
    this.fwd = Recurrent.create(cellKind, `${name}.fwd`, inputSize, hiddenSize, rng);
    this.bwd = Recurrent.create(cellKind, `${name}.bwd`, inputSize, hiddenSize, rng, { reverse: true });
    const n = this.params().reduce((s, p) => s + p.value.length, 0);
    const want = 2 * cellParamCount(gatesOf(cellKind), inputSize, hiddenSize);
    if (n !== want) throw new Error(`${name}: ${n} parameters, expected 2·G·H·(D+H+1) = ${want}`);
  }

  static fromConfig(c: BidirectionalConfig, rng: Rng): Bidirectional {
    return new Bidirectional(c.name, c.cell, c.inputSize, c.hiddenSize, rng);
  }

  get inputSize(): number { return this.fwd.inputSize; }
  get hiddenSize(): number { return this.fwd.outputSize; }
  get outputSize(): number { return 2 * this.fwd.outputSize; }

  params(): Param[] {
    return [...this.fwd.params(), ...this.bwd.params()];
  }

  getConfig(): BidirectionalConfig {
    return { type: 'Bidirectional.v1', name: this.name, cell: this.cellKind, inputSize: this.inputSize, hiddenSize: this.hiddenSize };
  }

  /**
   * @param x        [T·B, D] time-major (kept by reference until backward)
   * @param lengths  [B]
   * @param opts.project  input projections for both directions (see RecurrentForwardOptions)
   */
  forward(x: Buf, T: number, B: number, lengths: Int32Array, opts: { training?: boolean; project?: ProjectFn } = {}): BidirectionalOutput {
    const H = this.hiddenSize, H2 = 2 * H, TB = T * B, D = this.inputSize;
    const y = (this.yBuf = ensureBuf(this.yBuf, TB * H2));
    const helper = this.helper !== null && this.cellKind === 'lstm' && KernelRecorder.canRecord(x, y) ? this.helper : null;
    if (helper) { this.recFwd.take(); this.recBwd.take(); } // nothing left over from a failed call
    const f = this.fwd.forward(x, T, B, lengths, { training: opts.training, output: { buf: y, ld: H2 }, project: opts.project, exec: helper ? this.recFwd : undefined });
    const r = this.bwd.forward(x, T, B, lengths, { training: opts.training, output: { buf: y.subarray(H), ld: H2 }, project: opts.project, exec: helper ? this.recBwd : undefined });
    if (helper) helper.run(this.recFwd.take(), this.recBwd.take());
    return {
      y: y.subarray(0, TB * H2),
      final: { fwd: f.final, bwd: r.final },
      backward: (dy, dFinal) => {
        let dyf = dy;
        if (helper && dy !== null && !KernelRecorder.canRecord(dy)) {
          // The recorded programs read dy from the heap: copy a gradient that lives outside it.
          dyf = (this.dyBuf = ensureBuf(this.dyBuf, TB * H2));
          dyf.set(dy.subarray(0, TB * H2));
        }
        const dyr = dyf ? dyf.subarray(H) : null;
        const dxf = f.backward(dyf, dFinal?.fwd);
        const dxr = r.backward(dyr, dFinal?.bwd);
        if (helper) helper.run(this.recFwd.take(), this.recBwd.take());
        const dx = (this.dxBuf = ensureBuf(this.dxBuf, TB * D));
        addFast(dxf, dxr, dx, TB * D);
        return dx.subarray(0, TB * D);
      },
    };
  }
}
