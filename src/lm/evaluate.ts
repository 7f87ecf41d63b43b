/**
 * Perplexity of a language model on a text: exp of the mean negative log-likelihood per symbol,
 * and bits per symbol (= bits per character at char level) = mean NLL / ln 2.
 *
 * Every symbol of the text (line ends included) is predicted once, the first from the boundary
 * symbol. The text is read as B parallel streams in segments of `bptt` steps with the state
 * carried across segments (src/lm/stream.ts); with B = 1 every symbol sees its whole left
 * context, with B > 1 the streams 1 … B−1 start at a line start from a zero state, as the text
 * itself does (faster; nearly the same number).
 */
import { LanguageModel } from './model.js';
import { StreamBatches } from './stream.js';
import type { LmLevel } from './vocab.js';

export interface PerplexityOptions {
  /** Parallel streams B. Default 1 (exact left context for every symbol). */
  batchSize?: number;
  /** Steps per segment. Default 100. */
  bptt?: number;
}

export interface PerplexityResult {
  level: LmLevel;
  /** Predicted symbols (the text's symbols, line ends included). */
  symbols: number;
  /** Symbols outside the model's vocabulary (scored as `<unk>`). */
  unknown: number;
  /** Mean negative log-likelihood per symbol, in nats. */
  loss: number;
  perplexity: number;
  /** loss / ln 2: bits per character at char level, per word at word level. */
  bitsPerSymbol: number;
}

/** Summed NLL (nats) and count over an id stream [N+1] (boundary first). */
export function streamLoss(model: LanguageModel, ids: Int32Array, B: number, bptt: number): { loss: number; count: number } {
  const sb = new StreamBatches(ids, B, bptt, model.table.boundaryId);
  const state = model.newState(B);
  let loss = 0, count = 0;
  for (let k = 0; k < sb.segments; k++) {
    const r = model.evalStep(sb.segment(k), state);
    loss += r.loss;
    count += r.count;
  }
  return { loss, count };
}

export function perplexity(model: LanguageModel, text: string, o: PerplexityOptions = {}): PerplexityResult {
  const { ids, unknown } = model.table.encode(text);
  if (ids.length < 2) return { level: model.vocab.level, symbols: 0, unknown: 0, loss: NaN, perplexity: NaN, bitsPerSymbol: NaN };
  const r = streamLoss(model, ids, o.batchSize ?? 1, o.bptt ?? 100);
  const loss = r.loss / r.count;
  return { level: model.vocab.level, symbols: r.count, unknown, loss, perplexity: Math.exp(loss), bitsPerSymbol: loss / Math.LN2 };
}
