import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const sampleConll = path.join(root, 'data/sample.conll');

/** Runs the built CLI (`npm test` builds first) and returns its exit code and outputs. */
export function ner(args: string[], opts: { input?: string; cwd?: string; env?: Record<string, string> } = {}): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [path.join(root, 'bin/ner.js'), ...args], {
    input: opts.input, cwd: opts.cwd ?? root, encoding: 'utf8', env: { ...process.env, ...opts.env }, timeout: 120_000,
  });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}
