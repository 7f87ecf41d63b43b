/**
 * Damaged models and checkpoints, a full disk while saving, dev tags unseen in training
 * (issue 9). Every damaged file ends in one line on stderr naming the file, exit code 2.
 */
import { describe, expect, it, beforeAll, afterAll, afterEach } from 'vitest';
import { mkdtempSync, rmSync, cpSync, readdirSync, readFileSync, writeFileSync, truncateSync, unlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ner, root, sampleConll } from '../cli/helpers.js';
import { loadModel, saveModel } from '../../src/tagger/store.js';
import { atomicFs } from '../../src/util/atomic.js';
import { UserError } from '../../src/errors.js';

const TINY = ['--word-dim', '8', '--hidden', '8', '--char-hidden', '4', '--char-dim', '4', '--batch-size', '4', '--patience', '0', '--quiet'];

let dir: string;
let model: string;

beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'ner-rel-models-'));
  model = path.join(dir, 'model');
  const r = ner(['train', '--train', sampleConll, '--dev', sampleConll, '--out', model, '--epochs', '2', ...TINY]);
  expect(r.code, r.stderr).toBe(0);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of the trained model to damage. */
function copy(name: string): { dir: string; weights: string; json: string } {
  const d = path.join(dir, name);
  cpSync(model, d, { recursive: true });
  const w = readdirSync(d).find((f) => /^weights-.*\.bin$/.test(f))!;
  return { dir: d, weights: path.join(d, w), json: path.join(d, 'model.json') };
}

/** `ner eval --model DIR` must fail with exactly this one line and exit code 2. */
function refused(modelDir: string): string {
  const r = ner(['eval', '--model', modelDir, '--test', sampleConll]);
  expect(r.code).toBe(2);
  expect(r.stdout).toBe('');
  const lines = r.stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).not.toMatch(/internal error|    at /);
  return lines[0];
}

describe('damaged models: one clear line, exit 2', () => {
  it('the intact model evaluates (the baseline)', () => {
    const r = ner(['eval', '--model', model, '--test', sampleConll]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^processed 277 tokens/);
  });

  it('a truncated weights file', () => {
    const m = copy('truncated');
    truncateSync(m.weights, 1000);
    expect(refused(m.dir)).toMatch(new RegExp(`^ner: ${m.weights}: data truncated: 1000 bytes, the manifest describes \\d+$`));
  });

  it('one flipped byte in the weights: the checksum stored in model.json catches it', () => {
    const m = copy('flipped');
    const bytes = readFileSync(m.weights);
    bytes[bytes.length >> 1] ^= 0x40;
    writeFileSync(m.weights, bytes);
    expect(refused(m.dir)).toMatch(new RegExp(`^ner: ${m.weights}: checksum mismatch \\(corrupt data\\): sha256 [0-9a-f]{64}, expected [0-9a-f]{64}$`));
  });

  it('a model from a newer format version', () => {
    const m = copy('newer');
    const j = JSON.parse(readFileSync(m.json, 'utf8'));
    j.version = 2;
    writeFileSync(m.json, JSON.stringify(j));
    expect(refused(m.dir)).toBe(`ner: ${m.json}: model format version 2 is newer than this bilstm-ner reads (1); upgrade bilstm-ner`);
  });

  it('missing files: the weights, model.json, the directory; a file given as the model', () => {
    const a = copy('no-weights');
    unlinkSync(a.weights);
    expect(refused(a.dir)).toBe(`ner: ${a.weights}: missing weights file of the model`);
    const b = copy('no-json');
    unlinkSync(b.json);
    expect(refused(b.dir)).toBe(`ner: ${b.json}: missing (is ${b.dir} a bilstm-ner model directory?)`);
    expect(refused(path.join(dir, 'nowhere'))).toBe(`ner: ${path.join(dir, 'nowhere')}: no such model directory`);
    expect(refused(sampleConll)).toBe(`ner: ${sampleConll}: not a directory (a model is a directory holding model.json)`);
  });

  it('a truncated model.json', () => {
    const m = copy('cut-json');
    writeFileSync(m.json, readFileSync(m.json).subarray(0, 300));
    expect(refused(m.dir)).toMatch(new RegExp(`^ner: ${m.json}: corrupt model file \\(.*JSON.*\\)$`));
  });

  it('a vocabulary that does not match the weights', () => {
    const m = copy('vocab');
    const j = JSON.parse(readFileSync(m.json, 'utf8'));
    j.vocab.words.push('an-extra-word');
    writeFileSync(m.json, JSON.stringify(j));
    expect(refused(m.dir)).toMatch(new RegExp(
      `^ner: ${m.weights}: not the parameters of this model: parameter 'tagger.word_emb.weight' has shape \\[\\d+, 8\\], the model expects \\[\\d+, 8\\] ` +
      '\\(the vocabularies or architecture in model.json do not match the weights file\\)$'));
  });

  it('a damaged checkpoint: --resume refuses it in one line', () => {
    const m = copy('ckpt');
    const t = readdirSync(path.join(m.dir, 'checkpoint')).find((f) => f.startsWith('tensors-'))!;
    truncateSync(path.join(m.dir, 'checkpoint', t), 100);
    const r = ner(['train', '--train', sampleConll, '--dev', sampleConll, '--out', m.dir, '--resume', '--epochs', '3', ...TINY]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(new RegExp(`^ner: ${path.join(m.dir, 'checkpoint', t)}: data truncated: 100 bytes`));
  });
});

describe('out of disk space while saving: the previous model stays intact', () => {
  const real = { ...atomicFs };
  afterEach(() => Object.assign(atomicFs, real));

  /** Make writes to temporary files of `target` fail with ENOSPC after `okBytes` bytes. */
  function diskFullFor(target: RegExp, okBytes = 0): void {
    const doomed = new Set<number>();
    let written = 0;
    atomicFs.openSync = ((p: string, flags: string) => {
      const fd = real.openSync(p, flags);
      if (target.test(path.basename(p))) doomed.add(fd);
      return fd;
    }) as typeof atomicFs.openSync;
    atomicFs.writeSync = ((fd: number, buf: Uint8Array, off: number, len: number) => {
      if (doomed.has(fd)) {
        if (written >= okBytes) throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
        const n = real.writeSync(fd, buf, off, Math.min(len, okBytes - written));
        written += n;
        return n;
      }
      return real.writeSync(fd, buf, off, len);
    }) as typeof atomicFs.writeSync;
  }

  it.each([
    ['the weights file (half written)', /^\.weights-/, 4096],
    ['model.json, after the new weights were written', /^\.model\.json\./, 10],
  ])('the disk fills up while writing %s', (_what, target, okBytes) => {
    const m = copy(`full-${okBytes}`);
    const before = loadModel(m.dir);
    const filesBefore = readdirSync(m.dir).sort();
    const changed = loadModel(m.dir);
    for (const p of changed.model.params()) p.value.fill(0.5);
    diskFullFor(target, okBytes);
    let err: unknown = null;
    try { saveModel(m.dir, changed.model, changed.meta); } catch (e) { err = e; }
    Object.assign(atomicFs, real);
    expect(err).toBeInstanceOf(UserError);
    expect((err as Error).message).toMatch(/: cannot write: no space left on the device \(ENOSPC\); any earlier version of the file is left as it was$/);
    // The old model loads, with the old weights; no temporary file is left behind.
    const after = loadModel(m.dir);
    const a = after.model.params(), b = before.model.params();
    expect(a.map((p) => p.name)).toEqual(b.map((p) => p.name));
    a.forEach((p, i) => expect(Buffer.from(p.value.buffer).equals(Buffer.from(b[i].value.buffer))).toBe(true));
    expect(readdirSync(m.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
    if (okBytes === 4096) expect(readdirSync(m.dir).sort()).toEqual(filesBefore);
  });

  it('ner train on a full disk: one line, exit 2, and the model already in --out still evaluates', () => {
    const m = copy('full-cli');
    const before = ner(['eval', '--model', m.dir, '--test', sampleConll, '--json']);
    // Preloaded into the CLI: every atomic write fails as on a full disk.
    const preload = path.join(dir, 'disk-full.mjs');
    const atomicJs = pathToFileURL(path.join(root, 'dist/util/atomic.js')).href;
    writeFileSync(preload, `import { atomicFs } from ${JSON.stringify(atomicJs)};\n` +
      "atomicFs.writeSync = () => { throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' }); };\n");
    const r = ner(['train', '--train', sampleConll, '--dev', sampleConll, '--out', m.dir, '--overwrite', '--epochs', '1', ...TINY],
      { env: { NODE_OPTIONS: `--import ${pathToFileURL(preload).href}` } });
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n').pop()).toMatch(new RegExp(`^ner: ${m.dir}/weights-[0-9a-f]{12}\\.bin: cannot write: no space left on the device \\(ENOSPC\\); any earlier version of the file is left as it was$`));
    const after = ner(['eval', '--model', m.dir, '--test', sampleConll, '--json']);
    expect(after.code, after.stderr).toBe(0);
    expect(after.stdout).toBe(before.stdout);
  });
});

describe('temporary files of a writer that died', () => {
  it('are removed by the next save; those of a live process are kept', () => {
    const m = copy('orphans');
    const dead = path.join(m.dir, '.model.json.4194305.0badc0de.tmp'); // above Linux's largest pid
    const deadBlob = path.join(m.dir, '.weights-0123456789ab.bin.4194305.0badc0de.tmp');
    const live = path.join(m.dir, `.model.json.${process.pid}.0badc0de.tmp`);
    for (const f of [dead, deadBlob, live]) writeFileSync(f, 'partial');
    const { model: net, meta } = loadModel(m.dir);
    saveModel(m.dir, net, meta);
    expect(existsSync(dead)).toBe(false);
    expect(existsSync(deadBlob)).toBe(false);
    expect(existsSync(live)).toBe(true);
  });
});

describe('training', () => {
  it('a numeric blow-up (NaN loss) stops with the epoch and batch; the saved model and the checkpoint still load', () => {
    const out = path.join(dir, 'nan');
    // Batches of 32 sentences: epoch 1 (one batch) survives and saves a model, epoch 2 blows up.
    const args = ['train', '--train', sampleConll, '--dev', sampleConll, '--out', out, '--epochs', '4', '--lr', '1e38', '--clip-norm', '0',
      ...TINY.filter((x, i) => x !== '--batch-size' && TINY[i - 1] !== '--batch-size'), '--batch-size', '32'];
    const r = ner(args);
    expect(r.code).toBe(2);
    const last = r.stderr.trim().split('\n').pop()!;
    expect(last).toMatch(new RegExp(`^ner: training diverged: (loss is (NaN|-?Infinity)|non-finite gradient.*) at epoch \\d+, batch \\d+; the last good checkpoint is kept in ${out}/checkpoint`));
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /);
    // The model saved before the blow-up evaluates; the checkpoint loads (and diverges again).
    const e = ner(['eval', '--model', out, '--test', sampleConll]);
    expect(e.code, e.stderr).toBe(0);
    const again = ner([...args, '--resume']);
    expect(again.stderr).toMatch(/^resuming from epoch \d+, batch \d+$/m);
    expect(again.stderr.trim().split('\n').pop()).toMatch(/^ner: training diverged: /);
  });


  it('dev tags never seen in training: a warning, and dev is still evaluated', () => {
    const dev = path.join(dir, 'dev-unseen.conll');
    writeFileSync(dev, 'Helena B-PER\nMarsh I-PER\nat O\nWorld B-EVENT\nCup I-EVENT\n');
    const out = path.join(dir, 'unseen');
    const r = ner(['train', '--train', sampleConll, '--dev', dev, '--out', out, '--epochs', '1', ...TINY]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toMatch(/^warning: dev tags never seen in training: B-EVENT, E-EVENT \(still evaluated; the model cannot predict them\)$/m);
    expect(r.stderr).toMatch(/epoch 1: .* dev precision/);
    expect(existsSync(path.join(out, 'model.json'))).toBe(true);
  });
});
