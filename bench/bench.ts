/**
 * `npm run bench` (issue 6): bilstm-ner against PyTorch and TensorFlow.js, in one run, on the
 * same data (CoNLL-2003 eng.train / eng.testb) and the same model shape — word embedding 100 →
 * BiLSTM 100 per direction → Dense 9 (the IOB1 tag set), softmax cross-entropy, Adam(1e-3),
 * batch 32 — with the same number of threads. Every system runs in a child process of its own,
 * one after another, so that peak RSS is per system and no two compete for the cores.
 *
 *   PyTorch       ../shared/bench/torch_bilstm.py --threads 1 and 2 (packed sequences, one epoch)
 *   bilstm-ner    bench/speed/ours.ts --threads 1 and 2 (2 threads: training as `ner train
 *                 --threads 2` (DataParallel); tagging this thread + a worker taking whole
 *                 batches, and end to end as `ner tag --threads 2` (tagChunks + a TagPool
 *                 worker); a figure the package cannot produce is "n/a", never estimated)
 *   TensorFlow.js bench/tfjs/run.mjs, cpu and wasm backends (installed on first use into
 *                 bench/tfjs/node_modules, never into the root package; embedding frozen)
 *
 *   npm run bench                    # markdown: machine, table with ratios to PyTorch, notes
 *   npm run -s bench -- --json       # {"rows": [{system, threads, train_tok_s, tag_tok_s_b32,
 *                                    #   tag_tok_s_b1, peak_rss_mb}], "machine": {…}}
 *   npm run bench -- --rounds 3      # PyTorch and bilstm-ner 3 times, interleaved (1t, 2t, 1t, 2t, …):
 *                                    # the table shows each figure's median over the rounds, the notes
 *                                    # every round's figures and the 2t/1t ratio of each round
 *   npm run bench -- --quick         # smoke run: 60 training batches and a sample of the tagging
 *                                    # batches for bilstm-ner, short TF.js budgets (PyTorch's
 *                                    # script always runs its whole epoch)
 * Options: --data DIR (or CONLL_DIR), --systems torch,bilstm-ner,tfjs-wasm,tfjs-cpu,
 *   --threads 1,2, --epochs E (default 3, 1 with --quick: PyTorch and bilstm-ner time E epochs of
 *   eng.train after the warm-up, the same batches each epoch, and report the tokens/s over all of
 *   them, as torch_bilstm.py's --epochs does; training runs many epochs, and bilstm-ner's first
 *   one also pays for V8's optimizing compiler, whose background threads take time from both
 *   training threads when there are two, and for first touches of memory — its per-epoch figures
 *   are printed beside the ratio), --tfjs-train-seconds S (default 30), --tfjs-tag-seconds S (default 15),
 *   --no-install (never run npm install for TF.js), --child-timeout S (default 300: a system that
 *   takes longer is reported as timed out; PyTorch with 2 threads crawls when the other core is
 *   busy, as its threads spin-wait for each other). Env: PYTHON (the interpreter with torch),
 *   TORCH_BILSTM_PY (the reference script; default ../shared/bench/torch_bilstm.py).
 *
 * Before and after the systems, a host check (speed/hostcheck.ts) times bilstm-ner's gemm on
 * one thread and then on two at once: a virtual machine whose host is busy gives two threads
 * less than two cores, which lowers every 2-thread figure; the run then says so.
 *
 * Progress goes to stderr, the result to stdout. Another busy process on the machine takes a
 * core from the benchmark whatever its nice level: numbers (2-thread ones above all) need a quiet
 * machine; the load average at the start is recorded with the machine.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { conllDir, findTorchPython, fmt, lastJsonLine, machineInfo, opt, ratio, root } from './speed/common.js';
import type { OursResult } from './speed/ours.js';

const argv = process.argv.slice(2);
const asJson = argv.includes('--json');
const quick = argv.includes('--quick');
const epochs = Number(opt(argv, 'epochs', quick ? '1' : '3'));
if (!(Number.isInteger(epochs) && epochs >= 1)) {
  process.stderr.write(`bench: --epochs must be a positive integer, got ${opt(argv, 'epochs', '3')}\n`);
  process.exit(2);
}
const systems = new Set(opt(argv, 'systems', 'torch,bilstm-ner,tfjs-wasm,tfjs-cpu').split(',').map((s) => s.trim()));
const threadCounts = opt(argv, 'threads', '1,2').split(',').map(Number);
const rounds = Number(opt(argv, 'rounds', '1'));
if (!(Number.isInteger(rounds) && rounds >= 1)) {
  process.stderr.write(`bench: --rounds must be a positive integer, got ${opt(argv, 'rounds', '1')}\n`);
  process.exit(2);
}
const tfjsTrainSeconds = opt(argv, 'tfjs-train-seconds', quick ? '6' : '30');
const tfjsTagSeconds = opt(argv, 'tfjs-tag-seconds', quick ? '3' : '15');
const childTimeoutS = Number(opt(argv, 'child-timeout', '300'));
const say = (s: string): void => { process.stderr.write(`[bench] ${s}\n`); };

/** A table row: the JSON row plus what the markdown shows beside it. */
interface Row {
  system: string;
  threads: number;
  train_tok_s: number | null;
  tag_tok_s_b32: number | null;
  tag_tok_s_b1: number | null;
  peak_rss_mb: number | null;
  /** Why a cell is empty, or how a figure differs from its column (markdown footnote). */
  trainNote?: string;
  tagNote?: string;
  gemm?: number | null;
  /** Mean training loss over the timed batches (a sanity check that the same model learns alike). */
  loss?: number | null;
  /** bilstm-ner: each timed epoch's tokens/s. */
  epochTokS?: number[];
}

/** A row of the end-to-end table. */
interface E2e { threads: number; b32: number | null; b1: number | null; note?: string }

interface TorchResult {
  system: string; threads: number; gemm_gflops: number; train_tok_s: number; train_loss: number;
  tag_tok_s_b32: number; tag_tok_s_b1: number; peak_rss_mb: number;
}

interface TfjsResult {
  system: string; threads: number; train_tok_s: number; tag_tok_s_b32: number; tag_tok_s_b1: number;
  peak_rss_mb: number; train_batches: number; tag_batches_b32: number; tag_batches_b1: number;
}

/** Runs a child to completion; its stderr (progress) passes through, its last stdout JSON line is the result. */
function runChild<T>(label: string, cmd: string, args: string[]): { result: T | null; error?: string } {
  say(`${label}: ${[cmd, ...args].map((a) => (a.includes(' ') ? JSON.stringify(a) : a)).join(' ')}`);
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: childTimeoutS * 1000, killSignal: 'SIGKILL', maxBuffer: 64 << 20 });
  const secs = ((performance.now() - t0) / 1000).toFixed(0);
  if (r.signal === 'SIGKILL' && performance.now() - t0 >= childTimeoutS * 1000) {
    return { result: null, error: `${label} timed out after ${childTimeoutS} s (--child-timeout; a busy machine?)` };
  }
  if (r.error) return { result: null, error: `${label} did not run: ${r.error.message}` };
  const result = lastJsonLine<T>(r.stdout ?? '');
  if (r.status !== 0 || result === null) return { result: null, error: `${label} failed (exit ${r.status ?? r.signal}) after ${secs} s` };
  say(`${label}: done in ${secs} s`);
  return { result };
}

/** The row of a system that did not finish: empty cells that say why (details in the warnings). */
function failedRow(system: string, threads: number, error: string): Row {
  const why = /timed out/.test(error) ? 'n/a (timed out)' : 'n/a (failed)';
  return { system, threads, train_tok_s: null, tag_tok_s_b32: null, tag_tok_s_b1: null, peak_rss_mb: null, trainNote: why, tagNote: why };
}

function npmCommand(): { cmd: string; pre: string[] } {
  const cli = process.env.npm_execpath;
  return cli && existsSync(cli) && /\.c?js$/.test(cli) ? { cmd: process.execPath, pre: [cli] } : { cmd: 'npm', pre: [] };
}

/** Installs bench/tfjs's own package on first use; returns why TF.js cannot run, or null. */
function ensureTfjs(): string | null {
  const dir = path.join(root(), 'bench', 'tfjs');
  const installed = (): boolean => ['tfjs', 'tfjs-backend-wasm'].every((p) => existsSync(path.join(dir, 'node_modules', '@tensorflow', p, 'package.json')));
  if (installed()) return null;
  if (argv.includes('--no-install')) return 'not installed (run `npm install --prefix bench/tfjs`)';
  say('TensorFlow.js is not installed yet: npm install --prefix bench/tfjs (its own package; the root package is untouched)');
  const npm = npmCommand();
  const r = spawnSync(npm.cmd, [...npm.pre, 'install', '--prefix', dir, '--no-audit', '--no-fund', '--include=dev'], { stdio: ['ignore', 2, 2], timeout: 10 * 60_000 });
  if (r.status === 0 && installed()) return null;
  const why = `npm install --prefix bench/tfjs failed (${r.error?.message ?? `exit ${r.status}`}): is the npm registry reachable? Install it by hand and rerun; TF.js rows skipped`;
  process.stderr.write(`\n[bench] ${why}\n\n`);
  return why;
}

function main(): void {
  const t0 = performance.now();
  const machine = machineInfo();
  const data = conllDir(argv);
  say(`CoNLL-2003 from ${data}; ${machine.cpu}, ${machine.cores} cores, load average ${machine.load_avg_1m}`);
  const problems: string[] = [];
  const torchGemms: Record<number, number[]> = {};
  const oursGemms: number[] = [];

  const torchScript = path.resolve(process.env.TORCH_BILSTM_PY ?? path.join(root(), '..', 'shared', 'bench', 'torch_bilstm.py'));
  const torchPy = systems.has('torch') ? findTorchPython() : null;
  if (torchPy && torchPy.python === null) problems.push(`PyTorch rows skipped: ${torchPy.why}`);
  if (torchPy?.python && !existsSync(torchScript)) problems.push(`PyTorch rows skipped: ${torchScript} not found (set TORCH_BILSTM_PY)`);
  const oursJs = fileURLToPath(new URL('./speed/ours.js', import.meta.url));

  // Does the machine give two busy threads two cores? (before and after the systems; see hostcheck.ts)
  interface HostCheck { one: number; pair: [number, number]; efficiency: number }
  const hostJs = fileURLToPath(new URL('./speed/hostcheck.js', import.meta.url));
  const hostCheck = (): HostCheck | null => (threadCounts.some((t) => t > 1) ? runChild<HostCheck>('host check', process.execPath, [hostJs]).result : null);
  const hostBefore = hostCheck();

  // Each round runs every PyTorch and bilstm-ner configuration once, in the same order, so that a
  // host whose load drifts over minutes affects all of them alike (see medianRows).
  const roundRows: Row[][] = [];
  const roundE2e: E2e[][] = [];
  for (let round = 0; round < rounds; round++) {
    if (rounds > 1) say(`round ${round + 1} of ${rounds}`);
    const rows: Row[] = [];
    const e2e: E2e[] = [];
    roundRows.push(rows);
    roundE2e.push(e2e);
    for (const threads of threadCounts) {
      if (torchPy?.python && existsSync(torchScript)) {
        const { result: t, error } = runChild<TorchResult>(`PyTorch ${threads}t`, torchPy.python, [torchScript, data, '--threads', String(threads), '--epochs', String(epochs)]);
        if (t) {
          (torchGemms[threads] ??= []).push(t.gemm_gflops);
          rows.push({ system: t.system, threads, train_tok_s: t.train_tok_s, tag_tok_s_b32: t.tag_tok_s_b32, tag_tok_s_b1: t.tag_tok_s_b1, peak_rss_mb: t.peak_rss_mb, gemm: t.gemm_gflops, loss: t.train_loss });
          if (!(t.gemm_gflops >= 10)) {
            problems.push(`torch.mm ran at ${t.gemm_gflops} GFLOP/s with ${threads} thread(s): that is the reference BLAS, not OpenBLAS (apt-get install libopenblas0-serial) — every ratio to PyTorch is meaningless`);
          }
        } else { problems.push(error!); rows.push(failedRow(`pytorch-${/torch ([^)]+)/.exec(torchPy.why)?.[1] ?? '?'}`, threads, error!)); }
      }
      if (systems.has('bilstm-ner')) {
        const args = [oursJs, '--threads', String(threads), '--data', data, '--epochs', String(epochs), ...(quick ? ['--quick'] : [])];
        const { result: o, error } = runChild<OursResult>(`bilstm-ner ${threads}t`, process.execPath, args);
        if (o) {
          if (o.gemm_gflops !== null) oursGemms.push(o.gemm_gflops);
          rows.push({
            system: 'bilstm-ner', threads, train_tok_s: o.train_tok_s,
            tag_tok_s_b32: o.tag_tok_s_b32, tag_tok_s_b1: o.tag_tok_s_b1,
            peak_rss_mb: o.peak_rss_mb, loss: o.train_loss, epochTokS: o.train_epoch_tok_s,
            trainNote: o.train_tok_s === null ? o.train_note ?? 'n/a (not implemented)' : threads > 1 ? o.train_note : undefined,
            tagNote: o.tag_tok_s_b32 === null ? o.tag_note ?? 'n/a (not implemented)' : threads > 1 ? o.tag_note : undefined,
          });
          e2e.push({ threads, b32: o.e2e_tok_s_b32, b1: o.e2e_tok_s_b1, note: o.e2e_note });
        } else { problems.push(error!); rows.push(failedRow('bilstm-ner', threads, error!)); }
      }
    }
  }
  const rows = medianRows(roundRows);
  const torchGemm: Record<number, number | null> = Object.fromEntries(Object.entries(torchGemms).map(([k, v]) => [k, medianOf(v)]));
  const oursGemm = medianOf(oursGemms);
  const e2e = medianE2e(roundE2e);

  const tfjsWanted = ['wasm', 'cpu'].filter((b) => systems.has(`tfjs-${b}`));
  if (tfjsWanted.length > 0) {
    const why = ensureTfjs();
    if (why) {
      problems.push(`TensorFlow.js: ${why}`);
      for (const b of tfjsWanted) rows.push({ system: `tfjs-${b}`, threads: 1, train_tok_s: null, tag_tok_s_b32: null, tag_tok_s_b1: null, peak_rss_mb: null, trainNote: 'n/a (not installed)', tagNote: 'n/a (not installed)' });
    } else {
      const script = path.join(root(), 'bench', 'tfjs', 'run.mjs');
      for (const b of tfjsWanted) {
        const { result: t, error } = runChild<TfjsResult>(`TF.js ${b}`, process.execPath,
          [script, '--backend', b, '--data', data, '--train-seconds', tfjsTrainSeconds, '--tag-seconds', tfjsTagSeconds]);
        if (t) {
          rows.push({ system: t.system, threads: 1, train_tok_s: t.train_tok_s, tag_tok_s_b32: t.tag_tok_s_b32, tag_tok_s_b1: t.tag_tok_s_b1, peak_rss_mb: t.peak_rss_mb,
            trainNote: `embedding frozen; ${t.train_batches} shuffled batches within the time budget`,
            tagNote: `a shuffled sample within the time budget: ${t.tag_batches_b32} batches of 32 / ${t.tag_batches_b1} of 1` });
        } else { problems.push(error!); rows.push(failedRow(`tfjs-${b}`, 1, error!)); }
      }
    }
  }

  if (machine.load_avg_1m > machine.cores - 0.5) {
    problems.push(`the machine was busy: load average ${machine.load_avg_1m} on ${machine.cores} cores at the start — other processes take whole slices of CPU time from every system, so these figures are indicative only (2-thread ones above all)`);
  }
  const t1 = rows.find((r) => r.system.startsWith('pytorch') && r.threads === 1);
  const t2 = rows.find((r) => r.system.startsWith('pytorch') && r.threads === 2);
  if (t1 && t2 && (t2.train_tok_s ?? 0) < (t1.train_tok_s ?? 0)) {
    problems.push(`PyTorch trained slower with 2 threads (${fmt(t2.train_tok_s)} tok/s) than with 1 (${fmt(t1.train_tok_s)}): its second thread had no core of its own, so the 2-thread training ratios (⚠) say nothing about bilstm-ner`);
  }
  const hostAfter = hostCheck();
  const hostMin = Math.min(hostBefore?.efficiency ?? 1, hostAfter?.efficiency ?? 1);
  if (hostMin < 0.9) {
    problems.push(`two threads at once did ${hostMin.toFixed(2)}× two cores' worth of gemm (host check): the machine's second core was partly taken, so every 2-thread figure of this run (PyTorch's too) is lower than the code can do; rerun on a quiet machine`);
  }
  const totalS = (performance.now() - t0) / 1000;
  say(`all done in ${totalS.toFixed(0)} s`);
  const version = (JSON.parse(readFileSync(path.join(root(), 'package.json'), 'utf8')) as { version: string }).version;
  const machineOut = {
    ...machine,
    bilstm_ner: version,
    torch: torchPy?.why ?? 'not run',
    gemm_gflops_1024: { bilstm_ner_wasm_1t: oursGemm, torch_mm_1t: torchGemm[1] ?? null, torch_mm_2t: torchGemm[2] ?? null },
    quick,
    epochs,
    rounds,
    host_check: { before: hostBefore, after: hostAfter },
    seconds: Math.round(totalS),
  };

  if (asJson) {
    // The issue's row fields only.
    const jsonRow = ({ system, threads, train_tok_s, tag_tok_s_b32, tag_tok_s_b1, peak_rss_mb }: Row) => ({ system, threads, train_tok_s, tag_tok_s_b32, tag_tok_s_b1, peak_rss_mb });
    const perRound = rounds > 1 ? { per_round: roundRows.map((rs) => rs.map(jsonRow)) } : {};
    process.stdout.write(JSON.stringify({ rows: rows.map(jsonRow), machine: { ...machineOut, ...perRound, warnings: problems } }, null, 2) + '\n');
    return;
  }

  const torchRow = (threads: number): Row | undefined => rows.find((r) => r.system.startsWith('pytorch') && r.threads === threads);
  const notes: string[] = [];
  const mark = (note: string | undefined): string => {
    if (!note) return '';
    let i = notes.indexOf(note);
    if (i < 0) { notes.push(note); i = notes.length - 1; }
    return ` [${i + 1}]`;
  };
  const cell = (x: number | null, note: string | undefined): string => (x === null ? (note?.startsWith('n/a') ? note : `n/a${mark(note)}`) : `${fmt(x)}${mark(note)}`);
  const out: string[] = [];
  out.push(`Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.mem_gb} GB, Node ${machine.node}, ${machine.platform}; ${machine.date}; load average ${machine.load_avg_1m} at the start${quick ? '; --quick run' : ''}${epochs > 1 ? `; training timed over ${epochs} epochs` : ''}${rounds > 1 ? `; PyTorch and bilstm-ner run ${rounds} times, interleaved: each figure is the median of the ${rounds} rounds (every round below the table)` : ''}.`);
  out.push(`bilstm-ner ${version} (WASM SIMD backend); PyTorch via ${machineOut.torch}. Data: CoNLL-2003 eng.train (training) and eng.testb (tagging).`);
  const hc = (h: HostCheck | null): string => (h ? `${fmt(h.one, 1)} GFLOP/s alone, ${fmt(h.pair[0], 1)} + ${fmt(h.pair[1], 1)} at once: **${h.efficiency.toFixed(2)}×** two cores` : 'n/a');
  if (hostBefore || hostAfter) out.push(`Host check (gemm 960×100×400, one thread, then two at once; 1.00× = two full cores): before ${hc(hostBefore)}; after ${hc(hostAfter)}.`);
  out.push('');
  out.push('| system | threads | train tok/s | × PyTorch | tag tok/s, batch 32 | × PyTorch | tag tok/s, batch 1 | × PyTorch | peak RSS MB | × PyTorch |');
  out.push('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  // PyTorch slower with 2 threads than with 1 means its second thread had no core: flag those ratios.
  const torchCrippled = (threads: number): boolean => {
    const a = torchRow(1)?.train_tok_s, b = torchRow(threads)?.train_tok_s;
    return threads > 1 && a != null && b != null && b < a;
  };
  for (const r of rows) {
    const t = torchRow(r.threads);
    const self = t === r;
    const rr = (a: number | null, b: number | null | undefined): string => (self && a !== null ? '1.00×' : ratio(a, b));
    const trainRatio = rr(r.train_tok_s, t?.train_tok_s) + (!self && torchCrippled(r.threads) && r.train_tok_s !== null ? ' ⚠' : '');
    out.push(`| ${r.system} | ${r.threads} | ${cell(r.train_tok_s, r.trainNote)} | ${trainRatio} | ${cell(r.tag_tok_s_b32, r.tagNote)} | ${rr(r.tag_tok_s_b32, t?.tag_tok_s_b32)} | ${cell(r.tag_tok_s_b1, r.tagNote)} | ${rr(r.tag_tok_s_b1, t?.tag_tok_s_b1)} | ${r.peak_rss_mb === null ? 'n/a' : fmt(r.peak_rss_mb)} | ${rr(r.peak_rss_mb, t?.peak_rss_mb)} |`);
  }
  out.push('');
  for (let i = 0; i < notes.length; i++) out.push(`[${i + 1}] ${notes[i]}`);
  if (notes.length) out.push('');

  const g = machineOut.gemm_gflops_1024;
  out.push(`gemm 1024³, GFLOP/s (1 warm-up call, then the mean of 5, as torch_bilstm.py times torch.mm): bilstm-ner WASM SIMD ${fmt(g.bilstm_ner_wasm_1t, 1)} (1 thread); torch.mm (OpenBLAS) ${fmt(g.torch_mm_1t, 1)} with 1 thread, ${fmt(g.torch_mm_2t, 1)} with 2 — ours at ${ratio(g.bilstm_ner_wasm_1t, g.torch_mm_1t)} of torch's single-thread figure.`);
  const ours1 = rows.find((r) => r.system === 'bilstm-ner' && r.threads === 1);
  const ours2 = rows.find((r) => r.system === 'bilstm-ner' && r.threads === 2);
  const tfw = rows.find((r) => r.system.endsWith('-wasm') && r.system.startsWith('tfjs'));
  const tfc = rows.find((r) => r.system.endsWith('-cpu') && r.system.startsWith('tfjs'));
  if (ours1 && (tfw || tfc)) {
    out.push(`bilstm-ner (1 thread) against TensorFlow.js on training: ${ratio(ours1.train_tok_s, tfw?.train_tok_s)} the wasm backend, ${ratio(ours1.train_tok_s, tfc?.train_tok_s)} the cpu backend (TF.js trains less: its embedding is frozen).`);
  }
  const perEpoch = (r: Row): string => (r.epochTokS ?? []).map((x) => fmt(x)).join(', ');
  const first = (r: Row): number | null => r.epochTokS?.[0] ?? null;
  if (ours1 && ours2 && rounds === 1) {
    out.push(`bilstm-ner 2 threads / 1 thread: training ${ratio(ours2.train_tok_s, ours1.train_tok_s)}` +
      (epochs > 1 ? ` (first epoch alone ${ratio(first(ours2), first(ours1))}; tok/s per epoch: 1 thread ${perEpoch(ours1)}, 2 threads ${perEpoch(ours2)})` : '') + '.');
  }
  if (rounds > 1) {
    const pick = (rs: Row[], sys: string, threads: number): Row | undefined => rs.find((r) => r.system.startsWith(sys) && r.threads === threads);
    const paired = roundRows.map((rs) => {
      const a = pick(rs, 'bilstm-ner', 1)?.train_tok_s, b = pick(rs, 'bilstm-ner', 2)?.train_tok_s;
      return a != null && b != null && a > 0 ? b / a : null;
    });
    const got = paired.filter((x): x is number => x !== null);
    if (got.length) {
      out.push(`bilstm-ner 2 threads / 1 thread, training, each round's own pair: ${paired.map((x) => (x === null ? 'n/a' : `${x.toFixed(2)}×`)).join(', ')} — median **${median(got)!.toFixed(2)}×** (the table's medians: ${ratio(ours2?.train_tok_s ?? null, ours1?.train_tok_s ?? null)}).`);
    }
    out.push('');
    out.push('Every round (training, tagging batch 32 / batch 1 tok/s; bilstm-ner\'s training per epoch):');
    out.push('');
    roundRows.forEach((rs, i) => {
      const parts = rs.map((r) => `${r.system} ${r.threads}t ${fmt(r.train_tok_s)} / ${fmt(r.tag_tok_s_b32)} / ${fmt(r.tag_tok_s_b1)}` +
        (r.system === 'bilstm-ner' && epochs > 1 && r.epochTokS?.length ? ` (epochs ${perEpoch(r)})` : ''));
      out.push(`- round ${i + 1}: ${parts.join('; ')}`);
    });
  }
  const losses = rows.filter((r) => r.loss !== undefined && r.loss !== null && !r.system.startsWith('tfjs'));
  if (losses.length) out.push(`Mean training loss over the timed batches (same model, same batches, different initial weights): ${losses.map((r) => `${r.system} ${r.threads}t ${r.loss!.toFixed(4)}`).join(', ')}.`);
  if (e2e.length) {
    out.push('');
    out.push('bilstm-ner end to end, as `ner tag --threads N` tags a CoNLL file: tagChunks over 256-sentence chunks of eng.testb, each through `predict()` from token strings (encode, forward, constrained Viterbi, entity scores); N > 1: this thread + N−1 TagPool workers (started before the clock):');
    out.push('');
    out.push('| threads | tok/s, batch 32 | tok/s, batch 1 |');
    out.push('| ---: | ---: | ---: |');
    for (const e of e2e) out.push(`| ${e.threads} | ${e.b32 === null ? e.note ?? 'n/a' : fmt(e.b32)} | ${e.b1 === null ? e.note ?? 'n/a' : fmt(e.b1)} |`);
  }
  out.push('');
  out.push('How each system is measured:');
  out.push('- Same model everywhere: word embedding 100 → BiLSTM 100 per direction → Dense 9 (CoNLL-2003\'s IOB1 tags), softmax cross-entropy over real tokens, Adam(1e-3), batch 32, no dropout; bilstm-ner without char encoder and casing feature; it tags with the per-word input-projection cache that every loaded model uses (empty when the timed pass starts). Same batches: sentences sorted by length, cut into 32s (training batches shuffled).');
  out.push('- Training = zero grads + forward + backward + Adam step, after 10 warm-up batches (bilstm-ner first sizes its workspaces by the largest batch, as `ner train` does: SequenceTagger.reserve). PyTorch and bilstm-ner time ' + (epochs === 1 ? 'a whole epoch' : `${epochs} whole epochs (the mean)`) + ' of eng.train' + (quick ? ' (bilstm-ner: 60 batches in --quick)' : '') + '; TF.js times shuffled batches until its budget is spent.');
  out.push('- Tagging = forward + argmax on batches built before the clock starts (torch_bilstm.py\'s measure), all of eng.testb' + (quick ? ' (bilstm-ner: a strided sample in --quick)' : '') + '; TF.js a shuffled sample within its budget. With 2 threads PyTorch splits each batch\'s operations between its threads; bilstm-ner runs this thread and a worker thread, each holding the model (its own projection cache, empty at the start) and taking the next whole batch from a shared counter (bench/speed/forwardThreads.ts). The end-to-end table below is `ner tag`\'s whole path.');
  out.push('- PyTorch packs sequences (no work on padding); bilstm-ner pads, skipping finished rows of length-sorted batches; TF.js pads and masks every step. PyTorch updates its whole embedding table with dense Adam every step; bilstm-ner\'s Adam is lazy on embedding rows (only the rows of the batch); TF.js\'s embedding is frozen (no embedding gradient, no dx through the LSTM input) — TF.js 4.22 cannot train it on wasm and takes minutes per batch on cpu.');
  out.push('- Vocabulary: PyTorch and TF.js lower-cased training words; bilstm-ner lower case + digits → 0 (its lookup key), a slightly smaller table. Peak RSS: each system\'s own process (the 2-thread rows include their worker threads).');
  if (problems.length) {
    out.push('');
    for (const p of problems) out.push(`**Warning:** ${p}`);
  }
  process.stdout.write(out.join('\n') + '\n');
}

/** The median of the numbers (mean of the middle two for an even count); null for none. */
function median(xs: readonly number[]): number | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b), h = s.length >> 1;
  return s.length % 2 ? s[h] : (s[h - 1] + s[h]) / 2;
}

/** A figure's median over the rounds that produced it (null when none did). */
function medianOf(xs: readonly (number | null | undefined)[]): number | null {
  const m = median(xs.filter((x): x is number => x !== null && x !== undefined));
  return m === null ? null : Math.round(m * 1e4) / 1e4;
}

/**
 * One row per system and thread count (in the first round's order), each figure the median of
 * that figure over the rounds; notes and per-epoch figures from the round whose training
 * throughput is the median one (the first round when there is one round).
 */
function medianRows(roundRows: readonly Row[][]): Row[] {
  if (roundRows.length === 1) return roundRows[0];
  const out: Row[] = [];
  for (const r0 of roundRows[0]) {
    const same = roundRows.map((rs) => rs.find((r) => r.system === r0.system && r.threads === r0.threads)).filter((r): r is Row => r !== undefined);
    const train = medianOf(same.map((r) => r.train_tok_s));
    const mid = same.find((r) => r.train_tok_s === train) ?? same[0];
    const round = (x: number | null): number | null => (x === null ? null : Math.round(x));
    out.push({
      ...mid,
      train_tok_s: round(train),
      tag_tok_s_b32: round(medianOf(same.map((r) => r.tag_tok_s_b32))),
      tag_tok_s_b1: round(medianOf(same.map((r) => r.tag_tok_s_b1))),
      peak_rss_mb: round(medianOf(same.map((r) => r.peak_rss_mb))),
      gemm: medianOf(same.map((r) => r.gemm)),
      loss: medianOf(same.map((r) => r.loss)),
    });
  }
  return out;
}

/** The end-to-end table's rows, each figure the median over the rounds. */
function medianE2e(roundE2e: readonly E2e[][]): E2e[] {
  if (roundE2e.length === 1) return roundE2e[0];
  return roundE2e[0].map((e0) => {
    const same = roundE2e.map((es) => es.find((e) => e.threads === e0.threads)).filter((e): e is E2e => e !== undefined);
    const round = (x: number | null): number | null => (x === null ? null : Math.round(x));
    return { ...e0, b32: round(medianOf(same.map((e) => e.b32))), b1: round(medianOf(same.map((e) => e.b1))) };
  });
}

main();
