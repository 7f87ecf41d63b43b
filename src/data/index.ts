/** The data floor: sentence types, CoNLL and CSV readers/writers, tag schemes and spans. */
export type { Sentence, Span } from './types.js';
export {
  readConll, readConllFile, readConllString, formatConll, writeConll, ConllWriter, ConllFormatter, ConllParser,
  splitColumns, sentenceRows, DOCSTART, type ConllReadOptions, type ConllWriteOptions,
} from './conll.js';
export {
  readCsv, readCsvFile, readCsvString, formatCsv, writeCsv, CSV_COLUMN_NAMES, type CsvReadOptions, type CsvWriteOptions,
} from './csv.js';
export {
  SCHEMES, SCHEME_SPECS, schemeByName, parseTag, TagError, isValidTransition, transitionMask, firstInvalid,
  countInvalid, detectScheme, SchemeDetector, tagsToSpans, spansToTags, convertTags,
  type SchemeName, type SchemeSpec, type ParsedTag, type TransitionMask, type SpanOptions,
} from './schemes.js';
export { CHUNK_RULES, chunkEnds, chunkStarts, rulesSpans, splitTag, type ChunkRuleSet } from './chunks.js';
export { readLines, splitLines, checkReadableFile, AtomicFileWriter } from './lines.js';
export { convertConllFile, type ConvertOptions, type ConvertSummary } from './convert.js';
export { MAX_SENTENCE_TOKENS, windowStarts, splitLongSentences } from './windows.js';
