/**
 * bilstm-ner's public API: re-exports of the floors below (see the README's table).
 * The most used functions are exported by name; every floor is also available as a namespace.
 */
export * from './errors.js';

// Tagging and training (floor 4)
export { SequenceTagger, DEFAULT_ARCHITECTURE, type TaggerArchitecture, type TaggerVocab } from './tagger/model.js';
export {
  trainTagger, predict, evaluateTagger, buildTaggerVocab, TRAIN_DEFAULTS, autoTrainThreads,
  type Tagger, type TrainTaggerOptions, type PredictOptions, type SentencePrediction, type ScoredSpan, type PretrainedVectors,
} from './tagger/tagger.js';
export { tagText, formatInline, sentenceJson, type TaggedSentence, type TaggedEntity, type TaggedToken, type TagTextOptions } from './tagger/text.js';
export { loadModel, saveModel, readModelMeta, type ModelMeta } from './tagger/store.js';
export { defaultModelDir, resolveModelDir } from './tagger/default.js';
export { modelInfo, type ModelInfo } from './tagger/info.js';
export { loadPretrained } from './tagger/pretrained.js';
export { packModel, modelBytes, type PackOptions, type PackResult } from './tagger/pack.js';

// Data, text, evaluation (floors 2–3)
export {
  readConll, readConllFile, readConllString, writeConll, readCsv, readCsvFile, writeCsv,
  detectScheme, convertTags, tagsToSpans, spansToTags, transitionMask,
  type Sentence, type Span, type SchemeName,
} from './data/index.js';
export { readSentences, formatOf, fileSha256 } from './data/open.js';
export { tokenize, splitSentences, type Token } from './text/index.js';
export { evaluate, formatConllevalReport, type EvalResult } from './eval/index.js';
export { train, type TrainTask, type TrainOptions, type RunRecord } from './train/trainer.js';
export { initBackend, useJs, useWasm, backendInfo } from './tensor/backend.js';

export { serveModel, BatchingTagger } from './server/index.js';

// Every floor as a namespace
export * as tensor from './tensor/index.js';
export * as nn from './nn/index.js';
export * as data from './data/index.js';
export * as text from './text/index.js';
export * as vocab from './vocab/index.js';
export * as evaluation from './eval/index.js';
export * as lm from './lm/index.js';
export * as server from './server/index.js';
