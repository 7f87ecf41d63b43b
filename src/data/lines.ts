/**
 * Streaming text input shared by the file readers: open a file with clear errors, and split it
 * into lines incrementally (a 1 GB file is never held in memory, only one read chunk and the
 * partial line at its end).
 *
 * Line splitting is done on the bytes (0x0A), so every line is checked on its own: a NUL byte
 * or invalid UTF-8 is reported with the exact line it is on. A trailing CR (CRLF files) and a
 * UTF-8 byte-order mark at the start of the file are removed.
 *
 * Encodings: UTF-8 by default; `latin1` (ISO-8859-1) and `cp1252` (Windows-1252) on request.
 * A UTF-8 read of a line that is not UTF-8 but reads as Latin-1/cp1252 text (no control bytes)
 * says so and names the option, instead of the generic "not a text file".
 * Characters inside lines are never changed: a U+FEFF or a zero-width character inside a token
 * stays in the token (only a BOM at the very start of the file is dropped).
 */
import { createReadStream, promises as fsp, openSync, writeSync, fsyncSync, closeSync, renameSync, unlinkSync } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { InputError, UserError } from '../errors.js';

/** Throw an InputError unless `file` is an existing, readable regular file. */
export async function checkReadableFile(file: string): Promise<void> {
  let stat;
  try {
    stat = await fsp.stat(file);
  } catch (err) {
    throw fileError(file, err);
  }
  if (stat.isDirectory()) throw new InputError(file, null, 'is a directory, not a file');
  if (!stat.isFile()) throw new InputError(file, null, 'is not a regular file');
}

/** Turn a Node file-system error into a one-line InputError. */
export function fileError(file: string, err: unknown): Error {
  const code = (err as NodeJS.ErrnoException)?.code;
  if (code === 'ENOENT') return new InputError(file, null, 'no such file');
  if (code === 'EISDIR') return new InputError(file, null, 'is a directory, not a file');
  if (code === 'EACCES' || code === 'EPERM') return new InputError(file, null, 'permission denied');
  if (code) return new InputError(file, null, `cannot read (${code})`);
  return err as Error;
}

/** Text encodings the readers accept. */
export type TextEncoding = 'utf8' | 'latin1' | 'cp1252';
export const ENCODINGS: readonly TextEncoding[] = ['utf8', 'latin1', 'cp1252'];

export interface ReadLinesOptions {
  /** Encoding of the file. Default 'utf8'. */
  encoding?: TextEncoding;
  /**
   * Called once after the last line when the file does not end with a line break, with that
   * line's number (a file cut off in the middle of a line looks like this).
   */
  onUnterminated?: (lineNo: number) => void;
}

/**
 * Windows-1252 differs from Latin-1 only in 0x80–0x9F (€, curly quotes, dashes, …); the five
 * bytes it leaves undefined map to the C1 controls, as WHATWG decoders do. (A table rather than
 * TextDecoder('windows-1252'): some Node versions decode that label as plain Latin-1.)
 */
const CP1252_HIGH = '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';

function decodeCp1252(bytes: Buffer): string {
  const text = bytes.toString('latin1');
  return /[\u0080-\u009f]/.test(text) ? text.replace(/[\u0080-\u009f]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80]) : text;
}

/**
 * Does a line that is not valid UTF-8 look like Latin-1/cp1252 text? True when it has no
 * control bytes besides tab/CR/FF (binary data has many) and its bytes >= 0x80 are a minority.
 */
function looksLikeLatin1(bytes: Buffer): boolean {
  let high = 0;
  for (const b of bytes) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0d && b !== 0x0c) return false;
    if (b === 0x7f) return false;
    if (b >= 0x80) high++;
  }
  return high > 0 && high <= bytes.length / 2;
}

/** Is `bytes` valid UTF-8 but for an incomplete character at its end? */
function endsInsideCharacter(bytes: Buffer): boolean {
  for (let k = 1; k <= 3 && k < bytes.length; k++) {
    if (bytes[bytes.length - k] >= 0xc0) return isUtf8(bytes.subarray(0, bytes.length - k));
  }
  return false;
}

/** Check one line's bytes and decode them; `lineNo` is 1-based. */
function decodeLine(bytes: Buffer, file: string, lineNo: number, encoding: TextEncoding = 'utf8'): string {
  if (bytes.indexOf(0) !== -1) throw new InputError(file, lineNo, 'not a text file (contains NUL bytes)');
  let text: string;
  if (encoding === 'utf8') {
    if (!isUtf8(bytes)) {
      if (looksLikeLatin1(bytes)) {
        throw new InputError(file, lineNo, 'not UTF-8: looks like Latin-1/cp1252; convert it (iconv -f cp1252 -t utf-8) or pass --encoding latin1 (or cp1252)');
      }
      throw new InputError(file, lineNo, 'not a text file (invalid UTF-8)');
    }
    text = bytes.toString('utf8');
  } else if (encoding === 'latin1') {
    text = bytes.toString('latin1');
  } else {
    text = decodeCp1252(bytes);
  }
  if (text.endsWith('\r')) text = text.slice(0, -1);
  if (lineNo === 1 && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  return text;
}

/**
 * Yield the lines of a text file one by one (without their line terminator), streamed.
 * A final line without a newline is yielded too; an empty file yields nothing.
 * Errors (missing file, directory, NUL bytes, invalid UTF-8) are InputErrors with file and line.
 */
export async function* readLines(file: string, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  const encoding = options.encoding ?? 'utf8';
  if (!ENCODINGS.includes(encoding)) throw new UserError(`unknown encoding "${encoding}": expected one of ${ENCODINGS.join(', ')}`);
  await checkReadableFile(file);
  const stream = createReadStream(file, { highWaterMark: 1 << 16 });
  let rest: Buffer = Buffer.alloc(0);
  let lineNo = 0;
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const buf = rest.length > 0 ? Buffer.concat([rest, chunk]) : chunk;
      let start = 0;
      let nl: number;
      while ((nl = buf.indexOf(10, start)) !== -1) {
        lineNo++;
        yield decodeLine(buf.subarray(start, nl), file, lineNo, encoding);
        start = nl + 1;
      }
      // Copy the partial line so the chunk it came from can be released.
      rest = Buffer.from(buf.subarray(start));
    }
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw fileError(file, err);
  } finally {
    stream.destroy();
  }
  if (rest.length > 0) {
    lineNo++;
    options.onUnterminated?.(lineNo);
    if (encoding === 'utf8' && !isUtf8(rest) && endsInsideCharacter(rest)) {
      throw new InputError(file, lineNo, 'the file ends in the middle of a UTF-8 character: was it cut off?');
    }
    yield decodeLine(rest, file, lineNo, encoding);
  }
}

/** The InputError for a piece of bytes that is not valid UTF-8, at its first bad line. */
function utf8Error(bytes: Buffer, file: string, firstLine: number): InputError {
  let start = 0;
  for (let line = firstLine; ; line++) {
    const nl = bytes.indexOf(10, start);
    const seg = bytes.subarray(start, nl < 0 ? bytes.length : nl);
    if (!isUtf8(seg)) {
      return looksLikeLatin1(seg)
        ? new InputError(file, line, 'not UTF-8: looks like Latin-1/cp1252; convert it (iconv -f cp1252 -t utf-8) or pass --encoding latin1 (or cp1252)')
        : new InputError(file, line, 'not a text file (invalid UTF-8)');
    }
    if (nl < 0) return new InputError(file, line, 'not a text file (invalid UTF-8)');
    start = nl + 1;
  }
}

/**
 * Decode a stream of bytes as text, in pieces, keeping every character (CR, a BOM, NUL…) so that
 * offsets into the decoded text are offsets into the input. Pieces end at a line break, or at a
 * character boundary after 64 KiB of a longer line, so no character is ever split. Input that is
 * not valid UTF-8 is an InputError naming the line (and Latin-1/cp1252, as readLines does).
 */
export async function* decodeText(chunks: AsyncIterable<Buffer | string>, file: string, encoding: TextEncoding = 'utf8'): AsyncGenerator<string> {
  if (!ENCODINGS.includes(encoding)) throw new UserError(`unknown encoding "${encoding}": expected one of ${ENCODINGS.join(', ')}`);
  const decode = (b: Buffer) => (encoding === 'latin1' ? b.toString('latin1') : encoding === 'cp1252' ? decodeCp1252(b) : b.toString('utf8'));
  let rest: Buffer = Buffer.alloc(0);
  let line = 1;
  const emit = (part: Buffer): string => {
    if (encoding === 'utf8' && !isUtf8(part)) throw utf8Error(part, file, line);
    for (let i = part.indexOf(10); i >= 0; i = part.indexOf(10, i + 1)) line++;
    return decode(part);
  };
  for await (const chunk of chunks) {
    const buf = rest.length > 0 ? Buffer.concat([rest, Buffer.from(chunk)]) : Buffer.from(chunk);
    let cut = buf.lastIndexOf(10) + 1;
    if (cut === 0 && buf.length >= 1 << 16) {
      cut = buf.length;
      while (cut > 0 && (buf[cut - 1] & 0xc0) === 0x80) cut--; // back over continuation bytes…
      if (cut > 0 && buf[cut - 1] >= 0xc0) cut--; // …and the lead byte of an unfinished character
      if (cut === 0) cut = buf.length;
    }
    if (cut > 0) yield emit(buf.subarray(0, cut));
    rest = Buffer.from(buf.subarray(cut));
  }
  if (rest.length > 0) {
    if (encoding === 'utf8' && !isUtf8(rest) && endsInsideCharacter(rest)) {
      throw new InputError(file, line + (rest.toString('latin1').split('\n').length - 1), 'the file ends in the middle of a UTF-8 character: was it cut off?');
    }
    yield emit(rest);
  }
}

/** Split an in-memory text into lines exactly as readLines splits a file. */
export function splitLines(text: string): string[] {
  if (text.length === 0) return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    if (lines[i].endsWith('\r')) lines[i] = lines[i].slice(0, -1);
  }
  if (lines.length > 0 && lines[0].charCodeAt(0) === 0xfeff) lines[0] = lines[0].slice(1);
  return lines;
}

/**
 * A file written through a temporary name in the same directory and renamed over the target on
 * `close()`: a failure part-way (`abort()`, or the process dying) never leaves a half-written
 * output. Writes are synchronous and buffered in 64 KiB blocks.
 */
export class AtomicFileWriter {
  private readonly tmp: string;
  private fd: number | null;
  private pending: string[] = [];
  private pendingLength = 0;

  constructor(readonly target: string) {
    this.tmp = path.join(
      path.dirname(target),
      `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`,
    );
    try {
      this.fd = openSync(this.tmp, 'w');
    } catch (err) {
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'ENOENT') throw new InputError(target, null, 'cannot write: its directory does not exist');
      if (code === 'EACCES' || code === 'EPERM') throw new InputError(target, null, 'cannot write: permission denied');
      throw err;
    }
  }

  write(text: string): void {
    if (this.fd === null) throw new Error('AtomicFileWriter: write after close');
    this.pending.push(text);
    this.pendingLength += text.length;
    if (this.pendingLength >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.fd === null || this.pending.length === 0) return;
    const buf = Buffer.from(this.pending.join(''), 'utf8');
    this.pending = [];
    this.pendingLength = 0;
    let off = 0;
    while (off < buf.length) off += writeSync(this.fd, buf, off, buf.length - off);
  }

  /** Flush, sync and rename the temporary file over the target. */
  close(): void {
    if (this.fd === null) return;
    try {
      this.flush();
      fsyncSync(this.fd);
    } catch (err) {
      this.abort();
      throw err;
    }
    closeSync(this.fd);
    this.fd = null;
    try {
      renameSync(this.tmp, this.target);
    } catch (err) {
      try { unlinkSync(this.tmp); } catch { /* already gone */ }
      const code = (err as NodeJS.ErrnoException)?.code;
      if (code === 'EISDIR') throw new InputError(this.target, null, 'cannot write: is a directory');
      throw err;
    }
  }

  /** Drop the temporary file; the target is left untouched. */
  abort(): void {
    if (this.fd !== null) {
      try { closeSync(this.fd); } catch { /* ignore */ }
      this.fd = null;
    }
    try { unlinkSync(this.tmp); } catch { /* already gone */ }
  }
}
