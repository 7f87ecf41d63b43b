/**
 * `npm run bench:nn` (issue 3): the recurrent core alone, against PyTorch on the same shapes.
 *
 * - A bidirectional LSTM layer (src/nn Bidirectional: 100-d inputs, 100 hidden units per
 *   direction), batch 32, on batches of sentence lengths from CoNLL-2003 eng.train as `ner train`
 *   cuts them (bucketedBatches: shuffled, length-sorted within pools of 50 batches, seeded):
 *   forward-only and forward+backward (zero grads, forward, BPTT with dx) tokens/s, with the WASM
 *   SIMD backend and the TypeScript reference backend (the latter within a time budget);
 * - gemm GFLOP/s on 32×200·200×800 (a step's input projection) and 1024³, WASM and TypeScript;
 * - in the same run, PyTorch with 1 thread (bench/speed/torch_layer.py: nn.LSTM bidirectional on
 *   the same batches, packed, and torch.mm on the same shapes), and the ratios.
 *
 *   npm run bench:nn [-- --json] [-- --quick] [-- --data DIR] [-- --batches N] [-- --passes P] [-- --js-seconds S]
 * (defaults: 150 batches, best of 3 passes, 15 s for the TypeScript backend; --quick: 30, 1, 4).
 * Env: CONLL_DIR (data), PYTHON (an interpreter with torch; else python3, then /usr/bin/python3).
 * Progress on stderr; the table (or JSON) on stdout. Numbers need a quiet machine.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { useWasm, useJs, zeros, gemm, gemmRef, freeBuf, Rng, type Buf } from '../src/tensor/index.js';
import { Bidirectional, optim } from '../src/nn/index.js';
import { readConllFile } from '../src/data/index.js';
import { bucketedBatches } from '../src/train/batching.js';
import { bestMs, conllDir, fillRandom, findTorchPython, fmt, lastJsonLine, machineInfo, opt, ratio, root } from './speed/common.js';

const argv = process.argv.slice(2);
const asJson = argv.includes('--json');
const quick = argv.includes('--quick');
const nBatches = Number(opt(argv, 'batches', quick ? '30' : '150'));
const jsSeconds = Number(opt(argv, 'js-seconds', quick ? '4' : '15'));
/** Passes over the batches; the fastest counts (a shared machine steals whole slices of time). */
const passes = Number(opt(argv, 'passes', quick ? '1' : '3'));
const gemmBudgetMs = quick ? 80 : 300;
const D = 100, H = 100, B = 32;
/** Multiply-adds of the layer per token: 2 directions × (D + H) × 4H, ×2 for FLOPs; backward ≈ 2× forward. */
const FWD_FLOP_PER_TOKEN = 2 * 2 * (D + H) * 4 * H;
const say = (s: string): void => { process.stderr.write(`[bench:nn] ${s}\n`); };

interface LayerResult { fwd_tok_s: number; fwdbwd_tok_s: number; fwd_tokens: number; fwdbwd_tokens: number }

/**
 * Times the layer under the active backend: the best of `passes` passes over all batches, or
 * (budgetS > 0) one pass over the batches until the budget is spent.
 */
function timeLayer(batches: Int32Array[], budgetS: number): LayerResult {
  const layer = new Bidirectional('bench.bilstm', 'lstm', D, H, new Rng(2));
  const params = layer.params();
  const tMax = Math.max(...batches.map((l) => Math.max(...l)));
  const x = zeros(tMax * B * D), dy = zeros(tMax * B * 2 * H);
  fillRandom(x, 3); fillRandom(dy, 4, 0.1);
  const fwd = (l: Int32Array): void => {
    const T = Math.max(...l);
    layer.forward(x, T, l.length, l, { training: false });
  };
  const fwdbwd = (l: Int32Array): void => {
    const T = Math.max(...l);
    optim.zeroGrad(params);
    const out = layer.forward(x, T, l.length, l, { training: true });
    out.backward(dy.subarray(0, T * l.length * 2 * H));
  };
  const run = (f: (l: Int32Array) => void): [number, number] => {
    for (const l of batches.slice(0, 3)) f(l);
    let best = 0, tokens = 0;
    for (let p = 0; p < (budgetS > 0 ? 1 : passes); p++) {
      tokens = 0;
      const t0 = performance.now();
      for (const l of batches) {
        f(l);
        tokens += l.reduce((a, b) => a + b, 0);
        if (budgetS > 0 && performance.now() - t0 > budgetS * 1000) break;
      }
      best = Math.max(best, tokens / ((performance.now() - t0) / 1000));
    }
    return [Math.round(best), tokens];
  };
  const [f1, n1] = run(fwd);
  const [f2, n2] = run(fwdbwd);
  return { fwd_tok_s: f1, fwdbwd_tok_s: f2, fwd_tokens: n1, fwdbwd_tokens: n2 };
}

interface GemmShape { name: string; M: number; N: number; K: number }
const SHAPES: GemmShape[] = [
  { name: '32×200·200×800', M: 32, N: 800, K: 200 },
  { name: '1024³', M: 1024, N: 1024, K: 1024 },
];

function gemmGflops(s: GemmShape, kind: 'wasm' | 'js'): number {
  const { M, N, K } = s;
  const A = zeros(M * K), Bm = zeros(K * N), C = zeros(M * N);
  fillRandom(A, 5); fillRandom(Bm, 6);
  const flop = 2 * M * N * K;
  let ms: number;
  if (kind === 'wasm') {
    ms = bestMs(() => gemm(false, false, M, N, K, 1, A, K, Bm, N, 0, C, N), gemmBudgetMs);
  } else {
    const call = (): void => gemmRef(false, false, M, N, K, 1, A, K, Bm, N, 0, C, N);
    if (flop > 2e8) {
      // ~0.6 GFLOP/s: one call of a few seconds is all there is time for.
      const t0 = performance.now(); call(); ms = performance.now() - t0;
    } else ms = bestMs(call, gemmBudgetMs);
  }
  freeBuf(A); freeBuf(Bm); freeBuf(C);
  return flop / ms / 1e6;
}

interface TorchLayer { torch: string; threads: number; fwd_tok_s: number; fwdbwd_tok_s: number; gemm_gflops: number[] }

function runTorch(batches: Int32Array[]): { result: TorchLayer | null; why: string } {
  const py = findTorchPython();
  if (py.python === null) return { result: null, why: py.why };
  const script = path.join(root(), 'bench', 'speed', 'torch_layer.py');
  const spec = { D, H, B, batches: batches.map((l) => Array.from(l)), gemm: SHAPES.map((s) => [s.M, s.N, s.K]), budget: gemmBudgetMs / 1000, passes };
  const r = spawnSync(py.python, [script, '--threads', '1'], { input: JSON.stringify(spec), encoding: 'utf8', stdio: ['pipe', 'pipe', 'inherit'], maxBuffer: 16 << 20 });
  const result = r.status === 0 ? lastJsonLine<TorchLayer>(r.stdout) : null;
  return { result, why: result ? py.why : `torch_layer.py failed (exit ${r.status})` };
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const dir = conllDir(argv);
  const train = (await readConllFile(path.join(dir, 'eng.train'))).filter((s) => s.tokens.length > 0);
  const sizes = train.map((s) => s.tokens.length);
  const batches = bucketedBatches(sizes, B, new Rng(1)).filter((b) => b.length === B).slice(0, nBatches)
    .map((idx) => Int32Array.from(idx, (i) => sizes[i]));
  const meanLen = batches.reduce((a, l) => a + l.reduce((x, y) => x + y, 0), 0) / (batches.length * B);
  say(`${batches.length} batches of ${B} sentences from eng.train (mean length ${meanLen.toFixed(1)}), load average ${machine.load_avg_1m}`);

  useWasm();
  say('WASM SIMD backend: layer');
  const wasm = timeLayer(batches, 0);
  say(`  forward ${wasm.fwd_tok_s} tok/s, forward+backward ${wasm.fwdbwd_tok_s} tok/s; gemm`);
  const wasmGemm = SHAPES.map((s) => gemmGflops(s, 'wasm'));

  useJs('bench:nn reference');
  say(`TypeScript reference backend: layer (${jsSeconds} s budget per measure)`);
  const js = timeLayer(batches, jsSeconds);
  say(`  forward ${js.fwd_tok_s} tok/s, forward+backward ${js.fwdbwd_tok_s} tok/s; gemm`);
  const jsGemm = SHAPES.map((s) => gemmGflops(s, 'js'));

  say('PyTorch, 1 thread: layer and torch.mm');
  const torch = runTorch(batches);
  if (torch.result === null) say(`  ${torch.why}`);
  const t = torch.result;

  const result = {
    machine: { ...machine, torch: torch.why },
    layer: {
      shape: `BiLSTM D=${D} H=${H} per direction, batch ${B}, ${batches.length} CoNLL-2003 batches (mean length ${meanLen.toFixed(1)})`,
      flop_per_token: { forward: FWD_FLOP_PER_TOKEN, forward_backward: 3 * FWD_FLOP_PER_TOKEN },
      tok_s: {
        wasm: { forward: wasm.fwd_tok_s, forward_backward: wasm.fwdbwd_tok_s },
        js: { forward: js.fwd_tok_s, forward_backward: js.fwdbwd_tok_s, tokens_timed: { forward: js.fwd_tokens, forward_backward: js.fwdbwd_tokens } },
        torch_1t: t ? { forward: t.fwd_tok_s, forward_backward: t.fwdbwd_tok_s } : null,
      },
    },
    gemm_gflops: SHAPES.map((s, i) => ({ shape: s.name, wasm: wasmGemm[i], js: jsGemm[i], torch_1t: t?.gemm_gflops[i] ?? null })),
  };
  if (asJson) {
    process.stdout.write(JSON.stringify(result, null, 2) + '\n');
    return;
  }
  const gf = (tps: number | null | undefined, mult: number): string => (tps ? fmt((tps * mult * FWD_FLOP_PER_TOKEN) / 1e9, 1) : '—');
  const o: string[] = [];
  o.push(`Machine: ${machine.cpu}, ${machine.cores} cores, Node ${machine.node}, ${machine.date}; load average ${machine.load_avg_1m} at the start${quick ? '; --quick run' : ''}. PyTorch: ${torch.why}.`);
  o.push('');
  o.push(`${result.layer.shape}; tokens/s, best of ${passes} pass(es) (≈ GFLOP/s at ${FWD_FLOP_PER_TOKEN / 1000} kFLOP per token forward, 3× that forward+backward):`);
  o.push('');
  o.push('| backend | forward tok/s | ≈ GFLOP/s | × torch | forward+backward tok/s | ≈ GFLOP/s | × torch |');
  o.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  const row = (name: string, f: number | undefined, fb: number | undefined): void => {
    o.push(`| ${name} | ${fmt(f)} | ${gf(f, 1)} | ${ratio(f, t?.fwd_tok_s)} | ${fmt(fb)} | ${gf(fb, 3)} | ${ratio(fb, t?.fwdbwd_tok_s)} |`);
  };
  row('bilstm-ner WASM SIMD', wasm.fwd_tok_s, wasm.fwdbwd_tok_s);
  row(`bilstm-ner TypeScript reference (${jsSeconds} s sample)`, js.fwd_tok_s, js.fwdbwd_tok_s);
  row(t ? `PyTorch ${t.torch}, 1 thread (nn.LSTM, packed)` : 'PyTorch (not run)', t?.fwd_tok_s, t?.fwdbwd_tok_s);
  o.push('');
  o.push('gemm GFLOP/s, single thread (best of 5 rounds):');
  o.push('');
  o.push('| shape | WASM SIMD | TypeScript | torch.mm | WASM / torch |');
  o.push('| --- | ---: | ---: | ---: | ---: |');
  for (const g of result.gemm_gflops) o.push(`| ${g.shape} | ${fmt(g.wasm, 1)} | ${fmt(g.js, 2)} | ${fmt(g.torch_1t, 1)} | ${ratio(g.wasm, g.torch_1t)} |`);
  o.push('');
  o.push('Same batches everywhere (lengths and order); PyTorch packs them (no work on padding, output left packed), bilstm-ner pads and skips the finished rows of its length-sorted batches; both compute dx and zero the parameter grads every forward+backward step.');
  process.stdout.write(o.join('\n') + '\n');
}

await main();
