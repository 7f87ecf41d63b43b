import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { HeapBuf, WasmHeap } from '../../src/tensor/wasm.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until `done()` holds (finalizers run on a later task), or gives up. */
async function collectUntil(done: () => boolean): Promise<boolean> {
  for (let i = 0; i < 20 && !done(); i++) {
    gc();
    await new Promise((r) => setTimeout(r, 5));
  }
  return done();
}

describe('WasmHeap', () => {
  it('hands out 16-byte aligned, zero-filled, non-overlapping views', () => {
    const heap = new WasmHeap(4);
    const views: HeapBuf[] = [];
    for (let n = 0; n < 200; n++) {
      const v = heap.zeros(n * 37 % 1500) as HeapBuf;
      expect(v).toBeInstanceOf(HeapBuf);
      expect(v.byteOffset % 16).toBe(0);
      expect(v.every((x) => x === 0)).toBe(true);
      v.fill(n + 1);
      views.push(v);
    }
    views.forEach((v, n) => expect(v.every((x) => x === n + 1)).toBe(true));
  });

  it('reuses freed blocks, zero-filled again; ignores subarrays, foreign arrays and double frees', () => {
    const heap = new WasmHeap(4);
    const a = heap.zeros(100).fill(3);
    const offset = a.byteOffset;
    heap.free(a.subarray(1));
    heap.free(new Float32Array(100));
    expect(heap.stats().frees).toBe(0);
    heap.free(a);
    heap.free(a);
    expect(heap.stats().frees).toBe(1);
    const b = heap.zeros(99); // same class (400 bytes → 400)
    expect(b.byteOffset).toBe(offset);
    expect(b.every((x) => x === 0)).toBe(true);
    expect(heap.stats().live).toBe(400);
  });

  it('growing the shared memory keeps earlier views valid (no detach in this Node)', () => {
    const heap = new WasmHeap(1);
    const old = heap.zeros(1000);
    for (let i = 0; i < old.length; i++) old[i] = i;
    const oldBuffer = old.buffer;
    const before = heap.stats().capacity;
    const big = heap.zeros(4 << 20); // 16 MiB: forces growth
    expect(heap.stats().capacity).toBeGreaterThan(before);
    expect(oldBuffer.byteLength).toBe(before); // the old buffer object keeps its length …
    expect(old.length).toBe(1000);
    expect(old[999]).toBe(999); // … and its view still reads and writes the same memory
    old[5] = -5;
    const again = new Float32Array(heap.memory.buffer, old.byteOffset, 1000);
    expect(again[5]).toBe(-5);
    expect(heap.contains(old)).toBe(true);
    expect(heap.contains(old.subarray(3))).toBe(true);
    expect(heap.contains(big)).toBe(true);
    expect(heap.contains(new Float32Array(4))).toBe(false);
    expect(heap.contains(new Float64Array(heap.memory.buffer as ArrayBuffer, 0, 2))).toBe(false);
  });

  it('reclaims the block of a collected view, but not while a subarray of it lives', async () => {
    const heap = new WasmHeap(4);
    let sub: Float32Array | null = (() => heap.zeros(256).subarray(10, 20))();
    const ok1 = await collectUntil(() => heap.stats().frees > 0);
    expect(ok1).toBe(false); // root unreachable, but its subarray keeps the block
    sub![0] = 1;
    sub = null;
    const ok2 = await collectUntil(() => heap.stats().frees > 0);
    expect(ok2).toBe(true);
    expect(heap.stats().live).toBe(0);
  });

  it('reclaim() takes back what a synchronous loop dropped, and the memory stops growing', async () => {
    const heap = new WasmHeap(4);
    const keep = heap.zeros(1000).fill(7);
    const loop = () => {
      for (let i = 0; i < 200; i++) heap.zeros(10_000)[0] = i; // dropped at once
    };
    loop();
    expect(heap.stats().frees).toBe(0); // no finalizer can run inside a synchronous job
    const freed = await heap.reclaim();
    expect(freed).toBeGreaterThanOrEqual(190 * 40_000);
    const capacity = heap.stats().capacity;
    loop(); // served from the free list
    expect(heap.stats().capacity).toBe(capacity);
    expect(keep.every((x) => x === 7)).toBe(true);
  });
});
