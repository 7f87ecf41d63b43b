/**
 * Convert the tags of a CoNLL file from one scheme to another, streamed in two passes (the
 * first only when the source scheme must be detected). Every other column and the DOCSTART
 * lines are kept; the output is written to a temporary file renamed over the target at the
 * end, so a failure never leaves a half-written output (and `in` may equal `out`).
 */
import { readConll, ConllWriter, type ConllReadOptions, type ConllWriteOptions } from './conll.js';
import { convertTags, firstInvalid, SchemeDetector, TagError, tagsToSpans, schemeByName, type SchemeName } from './schemes.js';
import type { Sentence } from './types.js';
import { InputError } from '../errors.js';

export interface ConvertOptions {
  /** Source scheme, or `auto` to detect it from the file. Default `auto`. */
  from?: SchemeName | 'auto' | string;
  /** Target scheme. */
  to: SchemeName | string;
  /** Column of the tag (negative counts from the end). Default -1 (last). */
  tagColumn?: number;
  /** Line terminator of the output. Default '\n'. */
  eol?: ConllWriteOptions['eol'];
  /** Text encoding of the input (utf8, latin1, cp1252); the output is always UTF-8. */
  encoding?: ConllReadOptions['encoding'];
}

export interface ConvertSummary {
  from: SchemeName;
  to: SchemeName;
  sentences: number;
  entities: number;
  /** Sentences that are not well-formed in the source scheme (read leniently, as conlleval does). */
  illFormed: number;
}

/** Rethrow a TagError as an InputError at the line of the offending token. */
function tagErrorAt(file: string, s: Sentence, err: unknown): never {
  if (err instanceof TagError) {
    const i = s.tags.indexOf(err.tag);
    throw new InputError(file, (s.line ?? 0) + Math.max(i, 0), err.message);
  }
  throw err;
}

export async function convertConllFile(inFile: string, outFile: string, options: ConvertOptions): Promise<ConvertSummary> {
  const to = schemeByName(options.to).name;
  const read: ConllReadOptions = { tagColumn: options.tagColumn ?? -1, keepEmptyDocuments: true, encoding: options.encoding };
  let from: SchemeName;
  if (options.from === undefined || options.from === 'auto') {
    const detector = new SchemeDetector();
    for await (const s of readConll(inFile, read)) {
      try { detector.add(s.tags); } catch (err) { tagErrorAt(inFile, s, err); }
    }
    from = detector.result();
  } else {
    from = schemeByName(options.from).name;
  }
  const summary: ConvertSummary = { from, to, sentences: 0, entities: 0, illFormed: 0 };
  const writer = new ConllWriter(outFile, { tagColumn: options.tagColumn ?? -1, eol: options.eol });
  try {
    for await (const s of readConll(inFile, read)) {
      if (s.tokens.length > 0) {
        try {
          if (firstInvalid(s.tags, from) !== -1) summary.illFormed++;
          summary.entities += tagsToSpans(s.tags, from).length;
          s.tags = convertTags(s.tags, from, to);
        } catch (err) {
          tagErrorAt(inFile, s, err);
        }
        summary.sentences++;
      }
      writer.write(s);
    }
  } catch (err) {
    writer.abort();
    throw err;
  }
  writer.close();
  return summary;
}
