export * from './optimizer.js';
export * from './grad.js';
export * from './sgd.js';
export * from './adam.js';
export * from './schedule.js';
