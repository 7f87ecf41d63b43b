// Public library API: re-exports of the floors below (see ARCHITECTURE in the README).
export * from './errors.js';
export * as tensor from './tensor/index.js';
