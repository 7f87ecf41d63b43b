/**
 * Helpers shared by the speed benchmarks (bench/bench.ts, bench/nn.ts, bench/speed/*.ts):
 * where the data and the package are, which python has torch, what machine this is, seeded
 * batch orders, timing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import path from 'node:path';
import { packageRoot } from '../../src/util/package.js';
import { Rng } from '../../src/tensor/index.js';

/** The 9 tags of torch_bilstm.py: CoNLL-2003's IOB1 tag set (its files use IOB1; no B-PER occurs). */
export const TAGS = ['O', 'B-PER', 'I-PER', 'B-ORG', 'I-ORG', 'B-LOC', 'I-LOC', 'B-MISC', 'I-MISC'];

export const root = (): string => packageRoot();

/** Value of `--name VALUE` in argv, or the default. */
export function opt(argv: readonly string[], name: string, dflt: string): string {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && i + 1 < argv.length ? argv[i + 1] : dflt;
}

/** The CoNLL-2003 directory: --data DIR, else $CONLL_DIR, else ../shared/data/conll2003 from the package root. */
export function conllDir(argv: readonly string[]): string {
  const given = opt(argv, 'data', process.env.CONLL_DIR ?? '');
  const dir = given !== '' ? path.resolve(given) : path.resolve(root(), '..', 'shared', 'data', 'conll2003');
  for (const f of ['eng.train', 'eng.testb']) {
    if (!existsSync(path.join(dir, f))) {
      throw new Error(`CoNLL-2003 file ${path.join(dir, f)} not found: pass --data DIR or set CONLL_DIR`);
    }
  }
  return dir;
}

/** The interpreter that imports torch: $PYTHON, python3 on PATH, then Debian's /usr/bin/python3 (where apt's python3-torch lands). */
export function findTorchPython(): { python: string | null; why: string } {
  const candidates = [process.env.PYTHON, 'python3', '/usr/bin/python3'].filter((p): p is string => !!p);
  for (const p of candidates) {
    const r = spawnSync(p, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8' });
    if (r.status === 0) return { python: p, why: `${p} (torch ${r.stdout.trim()})` };
  }
  return { python: null, why: `no python with torch among ${candidates.join(', ')} (set PYTHON=…; apt-get install python3-torch libopenblas0-serial)` };
}

export interface Machine {
  cpu: string;
  cores: number;
  node: string;
  date: string;
  platform: string;
  mem_gb: number;
  /** 1-minute load average when the run started (other jobs on the machine skew every figure). */
  load_avg_1m: number;
}

export function machineInfo(): Machine {
  let cpu = cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (m) cpu = m[1].trim();
  } catch {
    // not Linux: os.cpus() it is
  }
  return {
    cpu, cores: availableParallelism(), node: process.version, date: new Date().toISOString(),
    platform: `${process.platform}-${process.arch}`, mem_gb: Math.round(totalmem() / 2 ** 30 * 10) / 10,
    load_avg_1m: Math.round(loadavg()[0] * 100) / 100,
  };
}

/**
 * torch_bilstm.py's batching: sentence indices sorted by length, longest first (a stable sort),
 * cut into batches of `size`; optionally the batches shuffled (seeded).
 */
export function lengthSortedBatches(lengths: readonly number[], size: number, shuffleSeed?: number): number[][] {
  const order = Array.from({ length: lengths.length }, (_, i) => i).sort((a, b) => lengths[b] - lengths[a] || a - b);
  const out: number[][] = [];
  for (let i = 0; i < order.length; i += size) out.push(order.slice(i, i + size));
  return shuffleSeed === undefined ? out : new Rng(shuffleSeed).shuffle(out);
}

/** Every k-th item, k chosen so that about `n` remain (all of them when n ≥ length or n ≤ 0). */
export function strided<T>(xs: readonly T[], n: number): T[] {
  if (n <= 0 || n >= xs.length) return [...xs];
  const k = xs.length / n;
  const out: T[] = [];
  for (let i = 0; i < n; i++) out.push(xs[Math.floor(i * k)]);
  return out;
}

export function peakRssMb(): number {
  return Math.round(process.resourceUsage().maxRSS / 1024);
}

export { bestMs } from '../timing.js';

export function fillRandom(x: Float32Array, seed: number, scale = 1): void {
  let s = seed >>> 0 || 1;
  for (let i = 0; i < x.length; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    x[i] = (((s >>> 0) / 4294967296) * 2 - 1) * scale;
  }
}

/** The last line of `text` that parses as a JSON object. */
export function lastJsonLine<T>(text: string): T | null {
  const lines = text.trim().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const l = lines[i].trim();
    if (!l.startsWith('{')) continue;
    try {
      return JSON.parse(l) as T;
    } catch {
      // keep looking
    }
  }
  return null;
}

export const fmt = (x: number | null | undefined, digits = 0): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const ratio = (a: number | null | undefined, b: number | null | undefined): string =>
  a === null || a === undefined || b === null || b === undefined || !(b > 0) || !Number.isFinite(a) ? '—' : `${(a / b).toFixed(2)}×`;
