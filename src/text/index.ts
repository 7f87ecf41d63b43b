// Text floor: tokens and sentences with character offsets (UTF-16 code units).
export { type Token, tokenizeSentence, maskForTreebank } from './tokenizer.js';
export { type SentenceSpan, type SplitOptions, splitSentences, sentenceBoundaries, tokenize } from './sentences.js';
export { SEPARATOR, isSeparatorAt } from './chars.js';
