/**
 * Does the machine give two busy threads two cores' worth of work? `npm run bench` runs this
 * before and after the systems it measures. Each thread runs bilstm-ner's WASM gemm on the
 * bench model's input-projection shape for a fixed time: first this thread alone, then this
 * thread and a worker at once. On a machine of its own the pair does ~2× the work of one
 * thread; on a virtual machine whose host is loaded (vCPUs sharing a physical core, a shared
 * cache filled by other tenants) the pair does less, and every 2-thread figure of the run
 * (PyTorch's as much as ours) is lower for a reason no code controls. Measured on the 2-core VM
 * of BENCHMARKS.md: 0.92–1.07 in most runs, 0.75 in one, while its host was busy (one thread
 * of a pair at 33–42 GFLOP/s against 45–50 alone). A rough signal only: the load comes in
 * bursts that a few seconds of checking can miss.
 *
 *   node …/bench/speed/hostcheck.js [--seconds S]   → one JSON line:
 *   {"one": GFLOP/s alone, "pair": [GFLOP/s, GFLOP/s] at once, "efficiency": Σpair / (2·one)}
 */
import { Worker, isMainThread, parentPort, workerData } from 'node:worker_threads';
import { useWasm, zeros, gemm } from '../../src/tensor/index.js';
import { fillRandom, opt } from './common.js';

/**
 * The shape of the bench model's input projection for a batch of ~30 steps: [960 × 100] ×
 * [100 × 400], a 1.5 MB result: more than a core's L2 cache, as the training working set is,
 * so that the check also sees a shared cache or memory bus that other tenants load.
 */
const M = 960, K = 100, N = 400;

/** GFLOP/s of repeated M×K×N gemms for `seconds` (after a short warm-up). */
function gemmRate(seconds: number): number {
  useWasm();
  const A = zeros(M * K), B = zeros(K * N), C = zeros(M * N);
  fillRandom(A, 1); fillRandom(B, 2);
  for (let i = 0; i < 20; i++) gemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
  const t0 = performance.now();
  let k = 0, t = t0;
  while (t - t0 < seconds * 1000) {
    for (let i = 0; i < 8; i++) gemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
    k += 8;
    t = performance.now();
  }
  return (2 * M * N * K * k) / ((t - t0) / 1000) / 1e9;
}

if (!isMainThread) {
  parentPort!.postMessage(gemmRate((workerData as { seconds: number }).seconds));
} else {
  const seconds = Number(opt(process.argv.slice(2), 'seconds', '1.5'));
  const one = gemmRate(seconds);
  const worker = new Worker(new URL(import.meta.url), { workerData: { seconds } });
  const other = new Promise<number>((resolve, reject) => { worker.once('message', resolve); worker.once('error', reject); });
  const mine = gemmRate(seconds);
  const theirs = await other;
  await worker.terminate();
  const r = (x: number): number => Math.round(x * 10) / 10;
  process.stdout.write(JSON.stringify({ one: r(one), pair: [r(mine), r(theirs)], efficiency: Math.round(((mine + theirs) / (2 * one)) * 100) / 100 }) + '\n');
}
