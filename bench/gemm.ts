/**
 * gemm and activation throughput: the TypeScript reference vs the WASM SIMD kernels, and
 * torch.mm (1 thread) when `python3 -c "import torch"` works (PYTHON=… picks the interpreter).
 *
 *   npm run bench:gemm            # table
 *   npm run bench:gemm -- --json  # one JSON document
 *   npm run bench:gemm -- --quick # shorter timings
 *
 * Numbers need a quiet machine: another busy process takes a core whatever its nice level.
 */
import { spawnSync } from 'node:child_process';
import { gemmRef } from '../src/tensor/gemm.js';
import { lstmGatesBackwardRef, lstmGatesForwardRef, sigmoidRef, tanhRef } from '../src/tensor/ops-wasm-ref.js';
import { WasmKernels } from '../src/tensor/wasm.js';
import { bestMs } from './timing.js';

interface Shape { name: string; tA: boolean; tB: boolean; M: number; N: number; K: number }

const SHAPES: Shape[] = [
  { name: 'step fwd B=32 [32,100]·[100,400]', tA: false, tB: false, M: 32, N: 400, K: 100 },
  { name: 'step fwd B=1 [1,100]·[100,400]', tA: false, tB: false, M: 1, N: 400, K: 100 },
  { name: 'input proj [32,200]·[200,800]', tA: false, tB: false, M: 32, N: 800, K: 200 },
  { name: 'input proj T·B [800,100]·[100,800]', tA: false, tB: false, M: 800, N: 800, K: 100 },
  { name: 'dX = dZ·Wᵀ [800,800]·[100,800]ᵀ', tA: false, tB: true, M: 800, N: 100, K: 800 },
  { name: 'dW = Xᵀ·dZ [800,100]ᵀ·[800,800]', tA: true, tB: false, M: 100, N: 800, K: 800 },
  { name: 'step dA = dZ·Wᵀ [32,400]·[100,400]ᵀ', tA: false, tB: true, M: 32, N: 100, K: 400 },
  { name: 'step dW = Aᵀ·dZ [32,100]ᵀ·[32,400]', tA: true, tB: false, M: 100, N: 400, K: 32 },
  { name: '512³', tA: false, tB: false, M: 512, N: 512, K: 512 },
  { name: '512³ AᵀB', tA: true, tB: false, M: 512, N: 512, K: 512 },
  { name: '512³ ABᵀ', tA: false, tB: true, M: 512, N: 512, K: 512 },
  { name: '512³ AᵀBᵀ', tA: true, tB: true, M: 512, N: 512, K: 512 },
  { name: '1024³', tA: false, tB: false, M: 1024, N: 1024, K: 1024 },
  { name: '1024³ ABᵀ', tA: false, tB: true, M: 1024, N: 1024, K: 1024 },
];

const args = new Set(process.argv.slice(2));
const asJson = args.has('--json');
const budgetMs = args.has('--quick') ? 60 : 250;

/** Best time per call (ms), see bench/timing.ts. */
function timeIt(fn: () => void, budget = budgetMs): number {
  return bestMs(fn, budget);
}

function timeOnce(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

function fillRandom(x: Float32Array, seed: number): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < x.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    x[i] = ((s >>> 0) / 4294967296) * 2 - 1;
  }
}

/** Interpreters to try for torch: $PYTHON, the one on PATH, Debian's (where apt's python3-torch lands). */
function findTorchPython(): string | null {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const p of candidates) {
    if (spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0) return p;
  }
  return null;
}

function torchGflops(shapes: Shape[]): number[] | string {
  const python = findTorchPython();
  if (python === null) return 'torch unavailable (no python3 with "import torch"; set PYTHON=…)';
  const script = `
import json, sys, time, torch
torch.set_num_threads(1)
out = []
for tA, tB, M, N, K in json.loads(sys.argv[1]):
    a = torch.randn(K, M).t() if tA else torch.randn(M, K)
    b = torch.randn(N, K).t() if tB else torch.randn(K, N)
    c = torch.empty(M, N)
    torch.mm(a, b, out=c)
    reps = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(reps): torch.mm(a, b, out=c)
        dt = time.perf_counter() - t0
        if dt > ${budgetMs / 5000}: break
        reps *= 2
    best = float('inf')
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(reps): torch.mm(a, b, out=c)
        best = min(best, (time.perf_counter() - t0) / reps)
    out.append(2 * M * N * K / best / 1e9)
print(json.dumps(out))
`;
  const res = spawnSync(python, ['-c', script, JSON.stringify(shapes.map((s) => [s.tA, s.tB, s.M, s.N, s.K]))], { encoding: 'utf8' });
  if (res.status !== 0) return `torch failed: ${res.stderr.trim().split('\n').pop()}`;
  return JSON.parse(res.stdout) as number[];
}

const k = new WasmKernels();
const heap = k.heap;

interface GemmRow { shape: string; ref: number; wasm: number; torch?: number }
const rows: GemmRow[] = [];
for (const s of SHAPES) {
  const { tA, tB, M, N, K } = s;
  const flop = 2 * M * N * K;
  const A = heap.zeros(M * K), B = heap.zeros(K * N), C = heap.zeros(M * N);
  fillRandom(A, 1); fillRandom(B, 2);
  const lda = tA ? M : K, ldb = tB ? K : N;
  const wasmMs = timeIt(() => k.gemm(tA, tB, M, N, K, 1, A, lda, B, ldb, 0, C, N));
  const pa = new Float32Array(A), pb = new Float32Array(B), pc = new Float32Array(M * N);
  const ref = () => gemmRef(tA, tB, M, N, K, 1, pa, lda, pb, ldb, 0, pc, N);
  // The JS loops run 1 GFLOP/s: one timed call is enough (and all there is time for) on big shapes.
  const refMs = flop > 2e8 ? timeOnce(ref) : timeIt(ref);
  rows.push({ shape: s.name, ref: flop / refMs / 1e6, wasm: flop / wasmMs / 1e6 });
  heap.free(A); heap.free(B); heap.free(C);
}
const torch = torchGflops(SHAPES);
if (Array.isArray(torch)) torch.forEach((g, i) => { rows[i].torch = g; });

interface ActRow { kernel: string; n: number; refMelems: number; wasmMelems: number }
const acts: ActRow[] = [];
for (const n of [12_800, 1_048_576]) {
  const x = heap.zeros(n), y = heap.zeros(n);
  fillRandom(x, 3);
  for (let i = 0; i < n; i++) x[i] *= 6;
  const px = new Float32Array(x), py = new Float32Array(n);
  for (const [name, w, r] of [['sigmoid', k.sigmoid.bind(k), sigmoidRef], ['tanh', k.tanh.bind(k), tanhRef]] as const) {
    const wm = timeIt(() => w(x, y, n));
    const rm = timeIt(() => r(px, py, n));
    acts.push({ kernel: name, n, refMelems: n / rm / 1e3, wasmMelems: n / wm / 1e3 });
  }
  heap.free(x); heap.free(y);
}

// Fused LSTM step (B = 32, H = 100) vs the TS reference.
const Bn = 32, H = 100;
const z = heap.zeros(Bn * 4 * H), gates = heap.zeros(Bn * 4 * H), cPrev = heap.zeros(Bn * H);
const c = heap.zeros(Bn * H), a = heap.zeros(Bn * H), da = heap.zeros(Bn * H), dc = heap.zeros(Bn * H);
const dz = heap.zeros(Bn * 4 * H), dcPrev = heap.zeros(Bn * H);
fillRandom(z, 4); fillRandom(cPrev, 5); fillRandom(da, 6); fillRandom(dc, 7);
const ex = k.exports;
const lstmFwdWasm = timeIt(() => ex.lstmForward(Bn, H, z.byteOffset, cPrev.byteOffset, gates.byteOffset, c.byteOffset, a.byteOffset));
const lstmBwdWasm = timeIt(() => ex.lstmBackward(Bn, H, gates.byteOffset, cPrev.byteOffset, c.byteOffset, da.byteOffset, dc.byteOffset, dz.byteOffset, dcPrev.byteOffset));
const lstmFwdRef = timeIt(() => lstmGatesForwardRef(Bn, H, z, cPrev, gates, c, a));
const lstmBwdRef = timeIt(() => lstmGatesBackwardRef(Bn, H, gates, cPrev, c, da, dc, dz, dcPrev));

const result = {
  node: process.version,
  startupMs: k.startupMs,
  gemmGflops: rows,
  torch: Array.isArray(torch) ? 'torch.mm, 1 thread' : torch,
  activationsMelemsPerS: acts,
  lstmStepUs: { B: Bn, H, forward: { ref: lstmFwdRef * 1e3, wasm: lstmFwdWasm * 1e3 }, backward: { ref: lstmBwdRef * 1e3, wasm: lstmBwdWasm * 1e3 } },
};

if (asJson) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const f = (x: number | undefined, d = 2) => (x === undefined ? '—' : x.toFixed(d));
  console.log(`Node ${process.version}; kernel module startup ${result.startupMs.toFixed(2)} ms (read + compile + instantiate)`);
  console.log(`\ngemm GFLOP/s (single thread; ${result.torch})`);
  console.log('| shape | gemmRef | wasm | torch | wasm/torch |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(`| ${r.shape} | ${f(r.ref)} | ${f(r.wasm)} | ${f(r.torch)} | ${r.torch ? f(r.wasm / r.torch) : '—'} |`);
  }
  console.log('\nactivations, million elements/s');
  console.log('| kernel | n | TS ref | wasm | speedup |\n| --- | ---: | ---: | ---: | ---: |');
  for (const r of acts) console.log(`| ${r.kernel} | ${r.n} | ${f(r.refMelems, 0)} | ${f(r.wasmMelems, 0)} | ${f(r.wasmMelems / r.refMelems, 1)}× |`);
  const l = result.lstmStepUs;
  console.log(`\nfused LSTM gates, B=${Bn} H=${H}, µs per step: forward ref ${f(l.forward.ref)} wasm ${f(l.forward.wasm)}; backward ref ${f(l.backward.ref)} wasm ${f(l.backward.wasm)}`);
}
