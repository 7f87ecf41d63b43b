/** The evaluation floor: span P/R/F1 per type with conlleval semantics, reports, file input. */
export { ConllevalCounter, type ChunkCounts, type ConllevalCounts } from './conlleval.js';
export {
  evaluate, Evaluator, classifyErrors, scoresFromCounts, scoresOf,
  type EvalOptions, type EvalMode, type EvalResult, type EvalCounts, type TypeScores, type OverallScores,
  type ErrorCounts, type ErrorSummary,
} from './evaluate.js';
export { formatConllevalReport, formatErrorSummary, resultToJson, fixed2 } from './report.js';
export { readConllevalFile, evaluateConllevalFile, evaluateFiles, type TaggedPair, type TwoFileOptions } from './files.js';
export { calibration, formatCalibration, type CalibrationTable, type CalibrationBucket, type ScoredEntity } from './calibration.js';
