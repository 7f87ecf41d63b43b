/**
 * What every optimizer offers the training loop, and helpers shared by the optimizers.
 *
 * An optimizer owns per-parameter state (moments) and updates `param.value` from the gradients
 * accumulated in `param.grad`. It never zeroes gradients (see `zeroGrad`).
 *
 * Sparse parameters: when `param.sparseRows` is set (Embedding tables), only the listed rows are
 * updated ("lazy" semantics: rows absent from the batch keep their values *and* their state).
 */
import type { Buf } from '../../tensor/index.js';
import type { Param } from '../param.js';

/**
 * The complete mutable state of an optimizer: small JSON (step count, lr, hyperparameters,
 * parameter names) and named buffers (moments). `buffers` are the live arrays, not copies: write
 * them out before the next `step`. Restoring it into an optimizer over the same parameters makes
 * the following steps bit-for-bit those of the run that saved it.
 */
export interface OptimizerState {
  json: unknown;
  buffers: Record<string, Buf>;
}

export interface Optimizer {
  /** Learning rate used by the next `step` (the loop sets it from the schedule). */
  lr: number;
  readonly params: readonly Param[];
  /** One update from the accumulated gradients (which it leaves in place). */
  step(): void;
  getState(): OptimizerState;
  setState(state: OptimizerState): void;
}

/** Elements per row of a parameter (product of the dims after the first; 1 for a vector). */
export function rowSize(p: Param): number {
  let n = 1;
  for (let i = 1; i < p.shape.length; i++) n *= p.shape[i];
  return n;
}

/**
 * Calls `f(start, end)` for every contiguous element range of `p` that may hold a non-zero
 * gradient: each listed row for a sparse parameter, the whole array otherwise.
 */
export function forEachRange(p: Param, f: (start: number, end: number) => void): void {
  if (p.sparseRows === undefined) {
    f(0, p.value.length);
    return;
  }
  const rs = rowSize(p);
  for (const r of p.sparseRows) f(r * rs, (r + 1) * rs);
}

let rowIdBuf = new Int32Array(1024);

/**
 * The listed rows of a sparse parameter (`sparseRows`, in its order) as an Int32Array: a view of
 * a buffer that the next call reuses, so use it before calling again.
 */
export function sparseRowIds(p: Param): Int32Array {
  const rows = p.sparseRows;
  if (rows === undefined) throw new Error(`sparseRowIds: ${p.name} is not sparse`);
  if (rowIdBuf.length < rows.size) rowIdBuf = new Int32Array(Math.max(2 * rowIdBuf.length, rows.size));
  let i = 0;
  for (const r of rows) rowIdBuf[i++] = r;
  return rowIdBuf.subarray(0, i);
}

/** Names must be unique: the state is keyed by them. */
export function checkUniqueNames(params: readonly Param[], who: string): void {
  const seen = new Set<string>();
  for (const p of params) {
    if (seen.has(p.name)) throw new Error(`${who}: parameter name '${p.name}' appears twice`);
    seen.add(p.name);
  }
}

/** Copies `state.buffers[key]` into `dst`, checking that it exists and has the right length. */
export function restoreBuffer(who: string, state: OptimizerState, key: string, dst: Buf): void {
  const src = state.buffers[key];
  if (src === undefined) throw new Error(`${who}.setState: missing buffer '${key}'`);
  if (src.length !== dst.length) {
    throw new Error(`${who}.setState: buffer '${key}' has ${src.length} elements, the parameter has ${dst.length}`);
  }
  dst.set(src);
}

/** Checks that a saved state names exactly these parameters, in this order. */
export function checkStateParams(who: string, saved: unknown, params: readonly Param[]): void {
  const names = params.map((p) => p.name);
  if (!Array.isArray(saved) || saved.length !== names.length || saved.some((n, i) => n !== names[i])) {
    const s = Array.isArray(saved) ? saved : [];
    const missing = names.filter((n) => !s.includes(n));
    const extra = s.filter((n) => !names.includes(n as string));
    throw new Error(
      `${who}.setState: the saved state is for other parameters` +
        (missing.length ? `; missing: ${missing.join(', ')}` : '') +
        (extra.length ? `; unknown: ${extra.join(', ')}` : '') +
        (!missing.length && !extra.length ? ' (different order)' : ''),
    );
  }
}
