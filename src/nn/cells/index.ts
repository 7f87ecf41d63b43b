export * from './cell.js';
export * from './rnn.js';
export * from './gru.js';
export * from './lstm.js';
export * from './factory.js';
