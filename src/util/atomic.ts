/**
 * Crash-safe file writes: write to a temporary name in the same directory, flush to disk,
 * then rename over the target. A crash (or a full disk) at any moment leaves either the old
 * file or the new one, never a half-written file.
 */
import { promises as fsp, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { UserError } from '../errors.js';

/**
 * The synchronous file operations used by the writers below. Tests replace members to simulate
 * failures (a full disk part-way through a write); nothing else should touch this.
 */
export const atomicFs = { openSync, writeSync, fsyncSync, closeSync, renameSync };

const WRITE_PROBLEMS: Record<string, string> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
  EROFS: 'the file system is read-only',
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ENOENT: 'its directory does not exist',
  EIO: 'input/output error',
};

/** A failed write as a one-line UserError (the old file, if any, is untouched); other errors as they are. */
function writeError(target: string, err: unknown): unknown {
  const code = (err as NodeJS.ErrnoException)?.code;
  const problem = code ? WRITE_PROBLEMS[code] : undefined;
  if (!problem) return err;
  return new UserError(`${target}: cannot write: ${problem} (${code}); any earlier version of the file is left as it was`);
}

function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Atomically replace `target` with `data`. */
export async function writeFileAtomic(target: string, data: string | Uint8Array): Promise<void> {
  const tmp = tempName(target);
  const fh = await fsp.open(tmp, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } catch (err) {
    await fh.close().catch(() => {});
    await fsp.unlink(tmp).catch(() => {});
    throw err;
  }
  await fh.close();
  try {
    await fsp.rename(tmp, target);
  } catch (err) {
    await fsp.unlink(tmp).catch(() => {});
    throw err;
  }
}

/** Synchronous variant, for signal handlers and exit paths. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array): void {
  const tmp = tempName(target);
  let fd: number;
  try {
    fd = atomicFs.openSync(tmp, 'w');
  } catch (err) {
    throw writeError(target, err);
  }
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += atomicFs.writeSync(fd, buf, off, buf.length - off);
    atomicFs.fsyncSync(fd);
  } catch (err) {
    try { atomicFs.closeSync(fd); } catch { /* ignore */ }
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw writeError(target, err);
  }
  atomicFs.closeSync(fd);
  try {
    atomicFs.renameSync(tmp, target);
  } catch (err) {
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw writeError(target, err);
  }
}

/**
 * Writes a JSON document together with a binary blob it describes, crash-safely:
 * the blob goes to `<blobPrefix>-<hash12>.bin` first, then the JSON (which names that file, via
 * `makeJson(fileName)`) atomically replaces `jsonName`, then blobs of earlier saves are removed.
 * At every instant the JSON on disk points to a complete blob.
 */
export function writeJsonWithBlob(
  dir: string, jsonName: string, blobPrefix: string, blob: Uint8Array, sha256: string,
  makeJson: (blobFile: string) => unknown,
): void {
  mkdirSync(dir, { recursive: true });
  const file = `${blobPrefix}-${sha256.slice(0, 12)}.bin`;
  writeFileAtomicSync(path.join(dir, file), blob);
  writeFileAtomicSync(path.join(dir, jsonName), JSON.stringify(makeJson(file), null, 1));
  const stale = new RegExp(`^${blobPrefix}-[0-9a-f]+\\.bin$`);
  // Temporary files of writers that died (kill -9, power cut) before they could rename or remove them.
  const orphan = new RegExp(`^\\.(?:${jsonName.replace(/\./g, '\\.')}|${blobPrefix}-[0-9a-f]+\\.bin)\\.(\\d+)\\.[0-9a-f]+\\.tmp$`);
  for (const f of readdirSync(dir)) {
    const dead = orphan.exec(f);
    if ((stale.test(f) && f !== file) || (dead && !processAlive(Number(dead[1])))) {
      try { unlinkSync(path.join(dir, f)); } catch { /* best effort */ }
    }
  }
}

/** Is there a process with this id (ours counts as alive)? */
function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
