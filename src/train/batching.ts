import type { Rng } from '../tensor/index.js';

/**
 * Length-bucketed batches for one epoch: shuffle the examples, cut the shuffled list into
 * pools of `poolBatches` batches, sort each pool by length (so a batch pads little), cut it
 * into batches, and shuffle the batches. Deterministic given the Rng state.
 *
 * @param sizes  length of every example (tokens) [N]
 * @returns      a list of batches, each a list of example indices
 */
export function bucketedBatches(sizes: readonly number[], batchSize: number, rng: Rng, poolBatches = 50): number[][] {
  const order = rng.shuffle(Array.from({ length: sizes.length }, (_, i) => i));
  const batches: number[][] = [];
  const pool = Math.max(1, poolBatches) * batchSize;
  for (let p = 0; p < order.length; p += pool) {
    const chunk = order.slice(p, p + pool).sort((a, b) => sizes[a] - sizes[b] || a - b);
    for (let i = 0; i < chunk.length; i += batchSize) batches.push(chunk.slice(i, i + batchSize));
  }
  return rng.shuffle(batches);
}

/**
 * Batches for tagging: sentence indices sorted by length, longest first (ties in input order),
 * cut into `batchSize`s — little padding, and the first batch is the largest, so a model's
 * workspaces reach their size for these sentences at once instead of growing batch by batch
 * (each growth leaves the old block to the garbage collector).
 */
export function sortedBatches(sizes: readonly number[], batchSize: number): number[][] {
  const order = Array.from({ length: sizes.length }, (_, i) => i).sort((a, b) => sizes[b] - sizes[a] || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += batchSize) out.push(order.slice(i, i + batchSize));
  return out;
}
