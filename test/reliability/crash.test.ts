/**
 * The crash test (issue 9): start `ner train`, kill -9 it at 20 seeded random moments, and check
 * each time that what is on disk is usable — the saved model (if one was saved yet) loads and
 * evaluates, and `--resume` completes the run from the checkpoint (if one was written yet;
 * otherwise it says so in one line, exit 2).
 *
 * Tiny model and data so that a whole run takes about a second; checkpoints every few
 * milliseconds (`--checkpoint-seconds 0.002`) so that kills land in checkpoint and model writes
 * too. Two kills run at a time (CI has two cores).
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { root, sampleConll } from '../cli/helpers.js';
// mulberry32, as the evaluator tests use it: the kill moments are the same on every run.
import { seeded } from '../eval/reference.js';

const BIN = path.join(root, 'bin/ner.js');
const TRAIN = ['--train', sampleConll, '--dev', sampleConll, '--epochs', '2', '--batch-size', '2', '--patience', '0',
  '--word-dim', '8', '--hidden', '8', '--char-hidden', '4', '--char-dim', '4', '--checkpoint-seconds', '0.002', '--quiet'];

interface Run {
  code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string;
  /** Milliseconds from the spawn to the exit, to the `train:` line (training starts), to the `epoch 1:` line. */
  ms: number; startedMs: number; epochMs: number;
}

/**
 * When to SIGKILL: `ms` after the spawn, after training started (the `train:` line), or after
 * the first epoch ended (the `epoch 1:` line, printed just before the first model is saved).
 */
interface Kill { after: 'spawn' | 'training' | 'epoch'; ms: number; signal?: NodeJS.Signals }

/** Run the CLI, optionally killing it; `startedMs` is when training started (the `train:` line). */
function run(args: string[], kill?: Kill): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, [BIN, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    let startedMs = -1;
    let epochMs = -1;
    let timer: NodeJS.Timeout | null = null;
    const arm = (ms: number) => { timer = setTimeout(() => child.kill(kill?.signal ?? 'SIGKILL'), ms); };
    if (kill?.after === 'spawn') arm(kill.ms);
    child.stdout.on('data', (d) => { stdout += d; });
    child.stderr.on('data', (d) => {
      stderr += d;
      if (startedMs < 0 && /^train: /m.test(stderr)) {
        startedMs = performance.now() - t0;
        if (kill?.after === 'training') arm(kill.ms);
      }
      if (epochMs < 0 && /^epoch 1: /m.test(stderr)) {
        epochMs = performance.now() - t0;
        if (kill?.after === 'epoch') arm(kill.ms);
      }
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout, stderr, ms: performance.now() - t0, startedMs, epochMs });
    });
  });
}


let dir: string;
let startupMs = 0;
let trainingMs = 0;
let afterEpochMs = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'ner-rel-crash-'));
  const r = await run(['train', ...TRAIN, '--out', path.join(dir, 'reference')]);
  expect(r.stderr).toMatch(/best dev F1/);
  expect(r.code).toBe(0);
  startupMs = r.startedMs;
  trainingMs = r.ms - r.startedMs;
  afterEpochMs = r.ms - r.epochMs;
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

interface Outcome { kill: Kill; killed: boolean; model: boolean; checkpoint: boolean; resumed: boolean }

/**
 * Kill run `i` at `fraction` of its start-up, of its training or of what follows its first epoch.
 * The durations are those of the reference run; when a run finishes before its kill (the machine
 * got faster), it is run again with the durations it just showed, up to three times.
 */
async function killAndRecover(i: number, after: Kill['after'], fraction: number): Promise<Outcome> {
  const out = path.join(dir, `run-${i}`);
  let durations = { spawn: startupMs, training: trainingMs, epoch: afterEpochMs };
  let kill: Kill;
  let r: Run;
  for (let attempt = 0; ; attempt++) {
    kill = { after, ms: Math.round(fraction * durations[after]) };
    r = await run(['train', ...TRAIN, '--out', out], kill);
    if (r.signal === 'SIGKILL' || attempt === 2) break;
    expect(r.code, r.stderr).toBe(0); // finished before the kill: fine, but try again
    durations = { spawn: r.startedMs, training: r.ms - r.startedMs, epoch: r.ms - r.epochMs };
    rmSync(out, { recursive: true, force: true });
  }
  const killed = r.signal === 'SIGKILL';
  const killAfterMs = `${kill.ms} ms after ${kill.after === 'spawn' ? 'the spawn' : 'training started'}`;
  const model = existsSync(path.join(out, 'model.json'));
  const checkpoint = existsSync(path.join(out, 'checkpoint', 'checkpoint.json'));
  if (model) {
    const e = await run(['eval', '--model', out, '--test', sampleConll]);
    expect(e.stderr, `run ${i}: the model saved before the kill at ${killAfterMs} ms must load`).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toMatch(/^processed 277 tokens with 34 phrases/);
  }
  const res = await run(['train', ...TRAIN, '--out', out, '--resume']);
  let resumed = false;
  if (checkpoint) {
    expect(res.stderr, `run ${i}: --resume after the kill at ${killAfterMs} ms`).toMatch(/best dev F1 .* \(stopped: epochs\)/);
    expect(res.code).toBe(0);
    resumed = true;
    expect(existsSync(path.join(out, 'model.json'))).toBe(true);
    // The resumed run's checkpoints removed the temporary files the killed process left.
    expect(readdirSync(path.join(out, 'checkpoint')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  } else {
    // Killed before the first checkpoint: nothing to resume, said in one line.
    expect(res.code).toBe(2);
    const lines = res.stderr.trim().split('\n');
    expect(lines.filter((l) => l.startsWith('ner: '))).toHaveLength(1);
    expect(lines[lines.length - 1]).toMatch(/^ner: .*(nothing to resume|no checkpoint\.json)/);
  }
  // No half-written model or checkpoint file is ever left under its final name.
  for (const d of [out, path.join(out, 'checkpoint')]) {
    if (!existsSync(d)) continue;
    for (const f of readdirSync(d)) expect(f.endsWith('.tmp') || !f.startsWith('.'), f).toBe(true);
  }
  return { kill, killed, model, checkpoint, resumed };
}

describe('kill -9 during ner train', () => {
  it('at 20 random moments: the saved model loads and evaluates, --resume completes', async () => {
    const rand = seeded(9);
    // One in ten during start-up and reading the data, half anywhere in training, the rest after
    // the first epoch (while the first model and checkpoints are written, and in the next epoch).
    const moments = Array.from({ length: 20 }, () => {
      const u = rand();
      if (u < 0.1) return { after: 'spawn' as const, fraction: u / 0.1 };
      if (u < 0.6) return { after: 'training' as const, fraction: (u - 0.1) / 0.5 };
      return { after: 'epoch' as const, fraction: (u - 0.6) / 0.4 };
    });
    const outcomes: Outcome[] = [];
    for (let i = 0; i < moments.length; i += 2) {
      outcomes.push(...await Promise.all([i, i + 1].map((k) => killAndRecover(k, moments[k].after, moments[k].fraction))));
    }
    const killed = outcomes.filter((o) => o.killed);
    // The kills land while training runs (retried when a run was faster than its moment), some
    // after a model was saved.
    expect(killed.length).toBeGreaterThanOrEqual(18);
    expect(killed.filter((o) => o.model).length).toBeGreaterThanOrEqual(2);
    expect(killed.filter((o) => o.resumed).length).toBeGreaterThanOrEqual(5);
    console.log(`crash test: start-up ${Math.round(startupMs)} ms, training ${Math.round(trainingMs)} ms (${Math.round(afterEpochMs)} after epoch 1); ${killed.length} of 20 runs killed; ` +
      `${killed.filter((o) => o.model).length} left a model (all loaded and evaluated); ` +
      `${killed.filter((o) => o.checkpoint).length} left a checkpoint (all resumed to completion)`);
  }, 150_000);
});

describe('Ctrl-C during ner train', () => {
  it('is honoured within the epoch: a checkpoint is saved, the run stops, --resume finishes it', async () => {
    // An epoch of ~110,000 tokens with the default model size: seconds, not milliseconds.
    const big = path.join(dir, 'big.conll');
    writeFileSync(big, Array.from({ length: 400 }, () => readFileSync(sampleConll, 'utf8').trimEnd() + '\n\n').join(''));
    const out = path.join(dir, 'ctrl-c');
    const args = ['train', '--train', big, '--dev', sampleConll, '--epochs', '1', '--patience', '0', '--quiet', '--out', out];
    // 2 s after the `train:` line: past vocabulary building and worker start-up even on a busy
    // machine, well before the end of the epoch.
    const r = await run(args, { after: 'training', ms: 2000, signal: 'SIGINT' });
    expect(r.signal).toBeNull();
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/interrupted: saving a checkpoint/);
    expect(r.stderr).toMatch(/checkpoint saved in .*; continue with --resume/);
    expect(r.stderr).not.toMatch(/^epoch 1: /m); // stopped inside the epoch, not after it
    const ckpt = JSON.parse(readFileSync(path.join(out, 'checkpoint', 'checkpoint.json'), 'utf8'));
    expect(JSON.stringify(ckpt)).toMatch(/"stepInEpoch":[1-9]/);
    const res = await run([...args, '--resume']);
    expect(res.code, res.stderr).toBe(0);
    expect(res.stderr).toMatch(/best dev F1 .* \(stopped: epochs\)/);
    expect(existsSync(path.join(out, 'model.json'))).toBe(true);
  }, 120_000);
});
