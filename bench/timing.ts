/**
 * Benchmark timing shared by every bench: warm up once, grow the repetition count until a round
 * lasts at least budget/5 ms, then return the best mean time per call (ms) over 5 rounds.
 */
export function bestMs(fn: () => void, budgetMs: number): number {
  fn();
  let reps = 1;
  for (;;) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    const dt = performance.now() - t0;
    if (dt >= budgetMs / 5 || reps >= 1 << 20) break;
    reps = Math.max(reps * 2, Math.ceil((reps * budgetMs) / 5 / Math.max(dt, 0.01)));
  }
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const t0 = performance.now();
    for (let r = 0; r < reps; r++) fn();
    best = Math.min(best, (performance.now() - t0) / reps);
  }
  return best;
}
