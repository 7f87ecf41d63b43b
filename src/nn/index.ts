/**
 * The nn floor: layers with explicit forward/backward (forward returns its backward closure;
 * backward accumulates into `param.grad` and returns the input gradient), losses, optimizers.
 * Layout convention: time-major padded batches x [T·B, D] with lengths [B].
 */
export * from './param.js';
// recurrent core
export * from './cells/index.js';
export * from './recurrent.js';
export * from './bidirectional.js';
export * from './stack.js';
export * from './conv1d.js';
export * from './charEncoder.js';
// feed-forward layers, losses, serialization
export * from './embedding.js';
export * from './dense.js';
export * from './onehot.js';
export * from './dropout.js';
export * from './loss.js';
export * from './crf.js';
export * from './serialize.js';
export * as optim from './optim/index.js';
