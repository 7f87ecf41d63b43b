export * from './alloc.js';
export * from './gemm.js';
