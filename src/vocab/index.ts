// Vocabulary floor: symbol tables, encodings, vocabulary files, pretrained embeddings.
export * from './vocabulary.js';
export * from './build.js';
export * from './store.js';
export * from './embeddings.js';
