import { afterAll, describe, expect, it } from 'vitest';
import { makeParam } from '../../src/nn/param.js';
import { setDType } from '../../src/tensor/index.js';
import { useJs, useWasm, heapStats, kernelsFor } from '../../src/tensor/backend.js';

afterAll(() => useJs());

describe('makeParam', () => {
  it('allocates the gradient on first use: zero-filled, as long as the value, the same buffer after', () => {
    const p = makeParam('p', [3, 4]);
    expect(p.value.length).toBe(12);
    const g = p.grad;
    expect(g.length).toBe(12);
    expect(Array.from(g)).toEqual(new Array(12).fill(0));
    g[5] = 2;
    expect(p.grad).toBe(g);
    expect(p.grad[5]).toBe(2);
  });

  it('gives the gradient the value\'s element type, whatever the dtype when it is first used', () => {
    setDType('float64');
    let p;
    try {
      p = makeParam('p', [2]);
    } finally {
      setDType('float32');
    }
    expect(p.grad).toBeInstanceOf(Float64Array);
    expect(makeParam('q', [2]).grad).toBeInstanceOf(Float32Array);
  });

  it('with WASM on, a parameter costs its value until its gradient is used, and the gradient is in the heap too', () => {
    useWasm();
    const before = heapStats()!.live;
    const p = makeParam('big', [1000, 64]);
    const afterValue = heapStats()!.live;
    expect(afterValue - before).toBeGreaterThanOrEqual(64000 * 4);
    expect(afterValue - before).toBeLessThan(2 * 64000 * 4);
    expect(kernelsFor(p.value, p.grad)).not.toBeNull();
    expect(heapStats()!.live - afterValue).toBeGreaterThanOrEqual(64000 * 4);
  });
});
