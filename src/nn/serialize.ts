/**
 * Binary storage of parameters (and any other named tensors, e.g. optimizer moments): one blob
 * holding every tensor back to back, plus a JSON manifest telling where each one is.
 *
 * Blob format: little-endian IEEE-754 values, float32 (4 bytes) or float16 (2 bytes, "half"),
 * each tensor starting at a multiple of 8 bytes (zero padding in between). The manifest lists
 * `{name, shape, dtype, offset}` per tensor (offset in bytes), the blob length and its SHA-256.
 *
 * float16 halves the size of a shipped model; values are rounded to float32 first, then to the
 * nearest float16 (ties to even), with subnormals kept (down to 2⁻²⁴ ≈ 6e-8), magnitudes
 * ≥ 65520 becoming ±Infinity, and NaN staying NaN. Its precision (11 significant bits, ≈ 3
 * decimal digits) is ample for inference; checkpoints for resuming training use float32.
 *
 * int8 and int4 store a tensor as rows (the last dimension; a 1-D tensor is one row) of
 * symmetric integers with one float32 scale per row: value = q · scale, scale = max|row| / L,
 * q = round(value / scale) ∈ [−L, L] (L = 127 for int8, 7 for int4). Bytes: R scales (4R), then
 * the codes: int8 one byte each, int4 two per byte (low nibble first, two's complement), each row
 * starting on a byte. They are meant for the big word-vector tables of a shipped model (where a
 * row's relative error is ≈ 0.6% for int8 and ≈ 12% for int4), not for recurrent weights; see
 * `dtypeFor` for the model-level choice. Non-finite values cannot be stored in them.
 */
import { createHash } from 'node:crypto';
import { zeros, type Buf } from '../tensor/index.js';
import type { Param } from './param.js';

/** How one tensor is stored in the blob. */
export type TensorDType = 'float32' | 'float16' | 'int8' | 'int4';

/**
 * How a model's parameters are stored (the `--dtype` of a saved model): float32 or float16 for
 * every tensor; int8 / int4 for large embedding tables (parameters with `sparseRows`, i.e. the
 * rows of a lookup table, of at least QUANTIZED_MIN_ROWS rows: word vectors) with every other
 * tensor, small tables included, in float16.
 */
export type StorageDType = 'float32' | 'float16' | 'int8' | 'int4';

export const TENSOR_DTYPES: readonly TensorDType[] = ['float32', 'float16', 'int8', 'int4'];
export const STORAGE_DTYPES: readonly StorageDType[] = TENSOR_DTYPES;

/** Embedding tables with fewer rows (characters, casing classes) stay float16 under int8/int4. */
export const QUANTIZED_MIN_ROWS = 1000;

/** The storage type of one parameter under a model-level choice (see StorageDType). */
export function dtypeFor(p: Pick<Param, 'sparseRows' | 'shape'>, dtype: StorageDType): TensorDType {
  if (dtype === 'int8' || dtype === 'int4') return p.sparseRows !== undefined && p.shape[0] >= QUANTIZED_MIN_ROWS ? dtype : 'float16';
  return dtype;
}

export const MANIFEST_FORMAT = 'bilstm-ner.tensors';
export const MANIFEST_VERSION = 1;

export interface ManifestEntry {
  name: string;
  shape: number[];
  dtype: TensorDType;
  /** Byte offset of the first value in the blob (a multiple of 8). */
  offset: number;
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  version: number;
  /** Length of the blob in bytes. */
  byteLength: number;
  /** SHA-256 of the blob, lowercase hex. */
  sha256: string;
  tensors: ManifestEntry[];
}

/** A named tensor to pack: `data` holds product(shape) values. */
export interface NamedTensor {
  name: string;
  shape: readonly number[];
  data: ArrayLike<number>;
}

export interface PackOptions {
  /** Storage type for every tensor, or chosen per tensor name. Default float32. */
  dtype?: TensorDType | ((name: string) => TensorDType);
}

/** A problem with a blob or manifest (corrupt, truncated, or not matching the model). */
export class SerializeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SerializeError';
  }
}

/** SHA-256 of bytes, lowercase hex. */
export function sha256Hex(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

// ---------------------------------------------------------------------------------------------
// float16

/** Bit-casting cell (float32 ⇄ uint32). */
const cell = new DataView(new ArrayBuffer(4));

/**
 * The IEEE-754 binary16 bit pattern nearest to x (x is first rounded to float32): round to
 * nearest, ties to even; overflow to ±Infinity; gradual underflow through subnormals; NaN stays
 * NaN (quiet, sign and top payload bits kept); −0 stays −0.
 */
export function float16Bits(x: number): number {
  cell.setFloat32(0, x);
  const bits = cell.getUint32(0);
  const sign = (bits >>> 16) & 0x8000;
  const exp = (bits >>> 23) & 0xff;
  const mant = bits & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant !== 0 ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15; // biased float16 exponent
  if (e >= 31) return sign | 0x7c00;
  if (e <= 0) {
    // Subnormal float16 (or zero): value = m · 2^(e−25) with the implicit bit made explicit;
    // e < −10 is below half the smallest subnormal (2⁻²⁵), which rounds to zero.
    if (e < -10) return sign;
    const m = mant | 0x800000;
    const shift = 14 - e; // 14…24
    let h = m >>> shift;
    const rem = m & ((1 << shift) - 1);
    const half = 1 << (shift - 1);
    if (rem > half || (rem === half && (h & 1) !== 0)) h++; // a carry into bit 10 is the smallest normal: correct
    return sign | h;
  }
  let h = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (h & 1) !== 0)) h++; // a carry may reach the exponent (up to Infinity): correct
  return sign | h;
}

let f16Table: number[] | null = null;

/** The value of a binary16 bit pattern h ∈ [0, 65535]. */
export function float16Value(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >>> 10) & 0x1f;
  const mant = h & 0x3ff;
  if (exp === 0) return sign * mant * 2 ** -24;
  if (exp === 31) return mant === 0 ? sign * Infinity : NaN;
  return sign * (1 + mant / 1024) * 2 ** (exp - 15);
}

/** The value of every binary16 pattern (a decoding table, built on first use). */
function table(): number[] {
  if (f16Table === null) {
    f16Table = [];
    for (let h = 0; h < 65536; h++) f16Table.push(float16Value(h));
  }
  return f16Table;
}

// ---------------------------------------------------------------------------------------------
// packing

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const ALIGN = 8;

function product(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Rows R and row length C of a tensor for the integer encodings (a 1-D tensor is one row). */
function rowsOf(shape: readonly number[]): { R: number; C: number } {
  const C = shape.length === 0 ? 1 : shape[shape.length - 1];
  return { R: C === 0 ? 0 : product(shape) / C, C };
}

/** Bytes a tensor of this shape takes in the blob (before alignment). */
function byteSize(dtype: TensorDType, shape: readonly number[]): number {
  const n = product(shape);
  if (dtype === 'float32') return 4 * n;
  if (dtype === 'float16') return 2 * n;
  const { R, C } = rowsOf(shape);
  return 4 * R + R * (dtype === 'int8' ? C : Math.ceil(C / 2));
}

const INT_LEVELS = { int8: 127, int4: 7 } as const;

/** Writes src as rows of symmetric integers with a float32 scale per row (see the header). */
function encodeInt(dtype: 'int8' | 'int4', name: string, shape: readonly number[], src: ArrayLike<number>, view: DataView, off: number): void {
  const { R, C } = rowsOf(shape);
  const L = INT_LEVELS[dtype];
  const rowBytes = dtype === 'int8' ? C : Math.ceil(C / 2);
  const codes = off + 4 * R;
  for (let r = 0; r < R; r++) {
    let max = 0;
    for (let j = 0; j < C; j++) {
      const v = src[r * C + j];
      if (!Number.isFinite(v)) throw new SerializeError(`pack: tensor '${name}' holds ${v} (row ${r}), which ${dtype} cannot store`);
      max = Math.max(max, Math.abs(v));
    }
    const scale = Math.fround(max / L);
    view.setFloat32(off + 4 * r, scale, true);
    const inv = scale > 0 ? 1 / scale : 0;
    for (let j = 0; j < C; j++) {
      const q = Math.max(-L, Math.min(L, Math.round(src[r * C + j] * inv)));
      if (dtype === 'int8') view.setInt8(codes + r * rowBytes + j, q);
      else {
        const at = codes + r * rowBytes + (j >> 1);
        const nib = q & 0xf;
        view.setUint8(at, j & 1 ? view.getUint8(at) | (nib << 4) : nib);
      }
    }
  }
}

/** Reads rows written by encodeInt into dst [R·C]. */
function decodeInt(dtype: 'int8' | 'int4', shape: readonly number[], view: DataView, off: number, dst: Buf): void {
  const { R, C } = rowsOf(shape);
  const rowBytes = dtype === 'int8' ? C : Math.ceil(C / 2);
  const codes = off + 4 * R;
  for (let r = 0; r < R; r++) {
    const scale = view.getFloat32(off + 4 * r, true);
    const at = codes + r * rowBytes;
    if (dtype === 'int8') for (let j = 0; j < C; j++) dst[r * C + j] = view.getInt8(at + j) * scale;
    else {
      for (let j = 0; j < C; j++) {
        const b = view.getUint8(at + (j >> 1));
        const nib = j & 1 ? b >>> 4 : b & 0xf;
        dst[r * C + j] = (nib >= 8 ? nib - 16 : nib) * scale;
      }
    }
  }
}

/** Packs named tensors into one blob with its manifest. Names must be unique. */
export function packTensors(tensors: readonly NamedTensor[], opts: PackOptions = {}): { manifest: Manifest; blob: Uint8Array } {
  const pick = typeof opts.dtype === 'function' ? opts.dtype : () => (opts.dtype as TensorDType | undefined) ?? 'float32';
  const seen = new Set<string>();
  const entries: ManifestEntry[] = [];
  let offset = 0;
  for (const t of tensors) {
    if (seen.has(t.name)) throw new SerializeError(`pack: tensor name '${t.name}' appears twice`);
    seen.add(t.name);
    const n = product(t.shape);
    if (n !== t.data.length) throw new SerializeError(`pack: tensor '${t.name}' has ${t.data.length} values, its shape [${t.shape.join(', ')}] needs ${n}`);
    const dtype = pick(t.name);
    if (!TENSOR_DTYPES.includes(dtype)) throw new SerializeError(`pack: unknown dtype '${String(dtype)}' for '${t.name}'`);
    entries.push({ name: t.name, shape: [...t.shape], dtype, offset });
    offset += Math.ceil(byteSize(dtype, t.shape) / ALIGN) * ALIGN;
  }
  const blob = new Uint8Array(offset);
  // Typed views below are windows on the file bytes (little-endian format), not tensors.
  const view = new DataView(blob.buffer);
  tensors.forEach((t, i) => {
    const { dtype, offset: off } = entries[i];
    const n = t.data.length, src = t.data;
    if (dtype === 'int8' || dtype === 'int4') encodeInt(dtype, t.name, t.shape, src, view, off);
    else if (dtype === 'float32') {
      if (LITTLE_ENDIAN) new Float32Array(blob.buffer, off, n).set(src);
      else for (let j = 0; j < n; j++) view.setFloat32(off + 4 * j, src[j], true);
    } else if (LITTLE_ENDIAN) {
      const dst = new Uint16Array(blob.buffer, off, n);
      for (let j = 0; j < n; j++) dst[j] = float16Bits(src[j]);
    } else {
      for (let j = 0; j < n; j++) view.setUint16(off + 2 * j, float16Bits(src[j]), true);
    }
  });
  const manifest: Manifest = {
    format: MANIFEST_FORMAT, version: MANIFEST_VERSION, byteLength: blob.length, sha256: sha256Hex(blob), tensors: entries,
  };
  return { manifest, blob };
}

/**
 * Packs the values of these parameters (see packTensors). `storage` (a model-level StorageDType)
 * chooses each tensor's type through `dtypeFor`; `dtype` chooses it directly.
 */
export function packParams(params: readonly Param[], opts: PackOptions & { storage?: StorageDType } = {}): { manifest: Manifest; blob: Uint8Array } {
  const byName = new Map(params.map((p) => [p.name, p]));
  const dtype = opts.storage !== undefined ? (name: string) => dtypeFor(byName.get(name)!, opts.storage!) : opts.dtype;
  return packTensors(params.map((p) => ({ name: p.name, shape: p.shape, data: p.value })), { dtype });
}

export interface UnpackOptions {
  /** Verify the blob's SHA-256 against the manifest. Default true. */
  verifyChecksum?: boolean;
  /** What the blob is, for error messages (e.g. a file name). Default "parameters". */
  source?: string;
  /**
   * unpackParams: parameters whose values are already in place (shared with the thread that
   * loaded the same file): checked like the others, not written.
   */
  inPlace?: ReadonlySet<string>;
}

/**
 * Checks a manifest and its blob: format and version, blob length (truncation), checksum, and
 * that every entry's bytes lie inside the blob. Throws a SerializeError naming the problem.
 */
export function validateBlob(manifest: Manifest, blob: Uint8Array, opts: UnpackOptions = {}): void {
  const src = opts.source ?? 'parameters';
  if (manifest?.format !== MANIFEST_FORMAT) throw new SerializeError(`${src}: not a tensor manifest (format ${String(manifest?.format)})`);
  if (manifest.version !== MANIFEST_VERSION) {
    throw new SerializeError(`${src}: manifest version ${manifest.version} is not supported (this build reads version ${MANIFEST_VERSION})`);
  }
  if (blob.length < manifest.byteLength) {
    throw new SerializeError(`${src}: data truncated: ${blob.length} bytes, the manifest describes ${manifest.byteLength}`);
  }
  if (blob.length > manifest.byteLength) {
    throw new SerializeError(`${src}: data has ${blob.length} bytes, the manifest describes ${manifest.byteLength}`);
  }
  if (opts.verifyChecksum !== false) {
    const h = sha256Hex(blob);
    if (h !== manifest.sha256) throw new SerializeError(`${src}: checksum mismatch (corrupt data): sha256 ${h}, expected ${manifest.sha256}`);
  }
  for (const e of manifest.tensors) {
    if (!TENSOR_DTYPES.includes(e.dtype)) throw new SerializeError(`${src}: parameter '${e.name}': unknown dtype '${String(e.dtype)}'`);
    if (!Array.isArray(e.shape) || e.shape.some((d) => !(Number.isInteger(d) && d >= 0))) {
      throw new SerializeError(`${src}: parameter '${e.name}': bad shape ${JSON.stringify(e.shape)}`);
    }
    const end = e.offset + byteSize(e.dtype, e.shape);
    if (!(Number.isInteger(e.offset) && e.offset >= 0) || end > blob.length) {
      throw new SerializeError(`${src}: parameter '${e.name}': data truncated (needs bytes ${e.offset}…${end}, the data has ${blob.length})`);
    }
  }
}

/** Decodes one validated entry's values into dst [product(shape)]. */
function decodeInto(e: ManifestEntry, blob: Uint8Array, dst: Buf): void {
  const n = product(e.shape), off = blob.byteOffset + e.offset;
  if (e.dtype === 'int8' || e.dtype === 'int4') {
    decodeInt(e.dtype, e.shape, new DataView(blob.buffer, blob.byteOffset, blob.byteLength), e.offset, dst);
  } else if (e.dtype === 'float32') {
    if (LITTLE_ENDIAN && off % 4 === 0) dst.set(new Float32Array(blob.buffer, off, n));
    else {
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      for (let j = 0; j < n; j++) dst[j] = view.getFloat32(e.offset + 4 * j, true);
    }
  } else {
    const tab = table();
    if (LITTLE_ENDIAN && off % 2 === 0) {
      const src = new Uint16Array(blob.buffer, off, n);
      for (let j = 0; j < n; j++) dst[j] = tab[src[j]];
    } else {
      const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
      for (let j = 0; j < n; j++) dst[j] = tab[view.getUint16(e.offset + 2 * j, true)];
    }
  }
}

/** Unpacks every tensor of a blob into new buffers (allocated with `zeros`), after validation. */
export function unpackTensors(manifest: Manifest, blob: Uint8Array, opts: UnpackOptions = {}): Map<string, { shape: number[]; data: Buf }> {
  validateBlob(manifest, blob, opts);
  const out = new Map<string, { shape: number[]; data: Buf }>();
  for (const e of manifest.tensors) {
    if (out.has(e.name)) throw new SerializeError(`${opts.source ?? 'parameters'}: parameter '${e.name}' appears twice`);
    const data = zeros(product(e.shape));
    decodeInto(e, blob, data);
    out.set(e.name, { shape: [...e.shape], data });
  }
  return out;
}

/**
 * Loads a blob into the values of these parameters, after checking that the blob holds exactly
 * them: no parameter missing, none extra, every shape equal. All problems are reported in one
 * SerializeError naming each parameter. Nothing is written unless everything matches.
 */
export function unpackParams(params: readonly Param[], manifest: Manifest, blob: Uint8Array, opts: UnpackOptions = {}): void {
  validateBlob(manifest, blob, opts);
  const src = opts.source ?? 'parameters';
  const byName = new Map<string, ManifestEntry>();
  for (const e of manifest.tensors) {
    if (byName.has(e.name)) throw new SerializeError(`${src}: parameter '${e.name}' appears twice`);
    byName.set(e.name, e);
  }
  const problems: string[] = [];
  const known = new Set<string>();
  for (const p of params) {
    known.add(p.name);
    const e = byName.get(p.name);
    if (!e) problems.push(`parameter '${p.name}' [${p.shape.join(', ')}] is missing`);
    else if (e.shape.length !== p.shape.length || e.shape.some((d, i) => d !== p.shape[i])) {
      problems.push(`parameter '${p.name}' has shape [${e.shape.join(', ')}], the model expects [${p.shape.join(', ')}]`);
    }
  }
  for (const e of manifest.tensors) if (!known.has(e.name)) problems.push(`unexpected parameter '${e.name}' [${e.shape.join(', ')}] (not in the model)`);
  if (problems.length) {
    const shown = problems.slice(0, 10).join('; ') + (problems.length > 10 ? `; and ${problems.length - 10} more` : '');
    throw new SerializeError(`${src}: not the parameters of this model: ${shown}`);
  }
  for (const p of params) if (!opts.inPlace?.has(p.name)) decodeInto(byName.get(p.name)!, blob, p.value);
}
