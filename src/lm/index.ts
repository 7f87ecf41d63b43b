/**
 * The language-model floor (beside the tagger): next-symbol prediction on the shared recurrent
 * core with truncated BPTT, sampling, perplexity, model store, and the entity-name application.
 */
export * from './vocab.js';
export * from './stream.js';
export * from './model.js';
export * from './sample.js';
export * from './evaluate.js';
export * from './store.js';
export * from './train.js';
export * from './entities.js';
