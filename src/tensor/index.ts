export * from './alloc.js';
export * from './gemm.js';
export * from './ops.js';
export * from './rng.js';
export * from './init.js';
export * from './backend.js';
export * from './remote.js';
