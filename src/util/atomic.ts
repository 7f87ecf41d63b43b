/**
 * Crash-safe file writes: write to a temporary name in the same directory, flush to disk,
 * then rename over the target. A crash (or a full disk) at any moment leaves either the old
 * file or the new one, never a half-written file.
 */
import { promises as fsp, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync, mkdirSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

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
  const fd = openSync(tmp, 'w');
  try {
    const buf = typeof data === 'string' ? Buffer.from(data) : data;
    let off = 0;
    while (off < buf.length) off += writeSync(fd, buf, off, buf.length - off);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    try { unlinkSync(tmp); } catch { /* already gone */ }
    throw err;
  }
  closeSync(fd);
  renameSync(tmp, target);
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
  for (const f of readdirSync(dir)) {
    if (stale.test(f) && f !== file) {
      try { unlinkSync(path.join(dir, f)); } catch { /* best effort */ }
    }
  }
}
