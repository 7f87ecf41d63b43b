import { describe, expect, it } from 'vitest';
import * as api from '../src/index.js';

describe('public API', () => {
  it('exports the documented entry points', () => {
    for (const name of ['loadModel', 'tagText', 'trainTagger', 'readConllFile', 'evaluate', 'predict', 'tokenize', 'train', 'initBackend']) {
      expect(typeof (api as Record<string, unknown>)[name], name).toBe('function');
    }
    for (const ns of ['tensor', 'nn', 'data', 'text', 'vocab', 'evaluation', 'lm']) {
      expect(typeof (api as Record<string, unknown>)[ns], ns).toBe('object');
    }
  });
});
