/**
 * Read a labelled or raw data file in whichever format it is: CoNLL columns or CSV/TSV
 * (chosen by `format`, else by extension: .csv → CSV, .tsv → TSV with a header row only when the
 * first line has a known header, anything else → CoNLL columns).
 */
import path from 'node:path';
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Sentence } from './types.js';
import { readConllFile, type ConllReadOptions } from './conll.js';
import { readCsvFile, type CsvReadOptions } from './csv.js';
import { checkReadableFile, fileError, type TextEncoding } from './lines.js';
import { InputError } from '../errors.js';

export type DataFormat = 'conll' | 'csv' | 'tsv';

export interface OpenOptions {
  format?: DataFormat | 'auto';
  conll?: ConllReadOptions;
  csv?: CsvReadOptions;
  /** Text encoding of the file (utf8, latin1, cp1252), for either format. Default utf8. */
  encoding?: TextEncoding;
}

/** The format a file will be read as. */
export function formatOf(file: string, format: OpenOptions['format'] = 'auto'): DataFormat {
  if (format && format !== 'auto') return format;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.csv') return 'csv';
  if (ext === '.tsv') return 'tsv';
  return 'conll';
}

/**
 * All sentences of a data file (see module doc for the format choice). A file without any
 * sentence (empty, or only blank lines, comments or a header) is an InputError: it is never
 * what was meant.
 */
export async function readSentences(file: string, o: OpenOptions = {}): Promise<Sentence[]> {
  const f = formatOf(file, o.format);
  const encoding = o.encoding ?? o.conll?.encoding ?? o.csv?.encoding;
  const out = f === 'conll'
    ? await readConllFile(file, { ...o.conll, encoding })
    : await readCsvFile(file, { ...o.csv, encoding, delimiter: o.csv?.delimiter ?? (f === 'tsv' ? '\t' : ',') });
  if (out.length === 0) throw new InputError(file, null, 'no sentences (the file is empty or holds only blank lines, comments or a header)');
  return out;
}

/** SHA-256 of a file's bytes, hex (recorded with a model to identify its training data). */
export async function fileSha256(file: string): Promise<string> {
  await checkReadableFile(file);
  const h = createHash('sha256');
  try {
    for await (const chunk of createReadStream(file)) h.update(chunk as Buffer);
  } catch (err) {
    throw fileError(file, err);
  }
  return h.digest('hex');
}
