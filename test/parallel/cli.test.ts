/** `ner train --threads`: the same run as one thread (dev F1 per epoch), and a bad count is a user error. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { availableParallelism } from 'node:os';
import { ner, sampleConll } from '../cli/helpers.js';

let dir: string;
beforeAll(() => { dir = mkdtempSync(path.join(tmpdir(), 'ner-cli-threads-')); });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const args = (out: string, threads: number) => ['train', '--train', sampleConll, '--dev', sampleConll, '--out', path.join(dir, out),
  '--epochs', '3', '--patience', '0', '--batch-size', '6', '--lr', '0.01', '--word-dim', '16', '--hidden', '16',
  '--char-hidden', '8', '--char-dim', '8', '--dropout', '0.2', '--quiet', '--threads', String(threads)];

const devScores = (out: string) => readFileSync(path.join(dir, out, 'train-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l).dev_score);

describe('ner train --threads', () => {
  it('2 threads (auto: by direction; and by batch): the dev F1 of every epoch equals 1 thread\'s', () => {
    const r1 = ner(args('one', 1));
    const r2 = ner(args('two', 2));
    const r3 = ner([...args('two-batch', 2), '--parallel', 'batch']);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    expect(r3.code).toBe(0);
    expect(devScores('two')).toEqual(devScores('one'));
    expect(devScores('two-batch')).toEqual(devScores('one'));
  }, 60_000);

  it('--parallel directions: every epoch\'s training loss and dev F1 equal 1 thread\'s exactly', () => {
    const extra = ['--char-encoder', 'none'];
    const r1 = ner([...args('dir-one', 1), ...extra]);
    const r2 = ner([...args('dir-two', 2), ...extra, '--parallel', 'directions']);
    expect(r1.code).toBe(0);
    expect(r2.code).toBe(0);
    const log = (out: string) => readFileSync(path.join(dir, out, 'train-log.jsonl'), 'utf8').trim().split('\n')
      .map((l) => { const e = JSON.parse(l); return [e.train_loss, e.dev_score]; });
    expect(log('dir-two')).toEqual(log('dir-one'));
  }, 60_000);

  it('--parallel directions with other than 2 threads, or without a bidirectional LSTM, is a user error', () => {
    const r = ner([...args('bad-dir', 3), '--parallel', 'directions']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--parallel directions runs on exactly 2 threads/);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    const g = ner([...args('bad-gru', 2), '--parallel', 'directions', '--cell', 'gru']);
    expect(g.code).toBe(2);
    expect(g.stderr).toMatch(/needs a bidirectional LSTM/);
  });

  it('without --threads: 2 threads by direction on a machine with 2+ cores (the same run as 1 thread), else 1', () => {
    const base = args('default', 1).filter((x, i, all) => x !== '--threads' && all[i - 1] !== '--threads');
    const r = ner(base);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(availableParallelism() >= 2 ? /backend wasm[^;]*; 2 threads\)/ : /; 1 thread\)/);
    const one = ner(args('default-one', 1));
    expect(one.stderr).toMatch(/; 1 thread\)/);
    expect(devScores('default')).toEqual(devScores('default-one'));
  }, 60_000);

  it('rejects a bad thread count', () => {
    const r = ner(args('bad', 0));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--threads must be a positive integer/);
  });
});
