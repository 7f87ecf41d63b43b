import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { afterAll, describe, expect, it } from 'vitest';
import { setDType, zeros } from '../../src/tensor/alloc.js';
import {
  activeKernels, backendInfo, freeBuf, initBackend, lstmGatesForward, sigmoidFast, tanhFast, useJs,
} from '../../src/tensor/backend.js';
import { gemm, gemmRef } from '../../src/tensor/gemm.js';
import { lstmGatesForwardRef } from '../../src/tensor/ops-wasm-ref.js';
import { HeapBuf, kernelsWasmPath, relaxedSimdAvailable, WasmKernels } from '../../src/tensor/wasm.js';

afterAll(() => {
  setDType('float32');
  useJs();
});

describe('backend selection', () => {
  it('finds both kernel builds from src/ and from dist/', () => {
    for (const [relaxed, file] of [[false, '/wasm/kernels.wasm'], [true, '/wasm/kernels-relaxed.wasm']] as const) {
      const fromSrc = kernelsWasmPath(new URL('../../src/tensor/wasm.ts', import.meta.url).href, relaxed);
      const fromDist = kernelsWasmPath(new URL('../../dist/tensor/wasm.js', import.meta.url).href, relaxed);
      expect(fromSrc).toBe(fromDist);
      expect(fromSrc.replaceAll('\\', '/').endsWith(file)).toBe(true);
      expect(existsSync(fromSrc)).toBe(true);
    }
    expect(relaxedSimdAvailable('0')).toBe(false);
  });

  it('the relaxed SIMD build (fused multiply-add) and the plain one agree with the reference gemm', () => {
    const builds = [new WasmKernels({ relaxed: false, initialPages: 16 })];
    // Where the engine runs relaxed SIMD (Node 20 after the flag, Node ≥ 22), that build too.
    if (relaxedSimdAvailable()) builds.push(new WasmKernels({ relaxed: true, initialPages: 16 }));
    expect(builds.map((k) => k.variant)).toEqual(relaxedSimdAvailable() ? ['simd', 'relaxed-simd'] : ['simd']);
    for (const [M, N, K] of [[1, 400, 100], [32, 400, 100], [37, 19, 300]]) {
      const a = Array.from({ length: M * K }, (_, i) => Math.sin(i * 0.7));
      const b = Array.from({ length: K * N }, (_, i) => Math.cos(i * 0.3));
      const want = new Float32Array(M * N);
      gemmRef(false, false, M, N, K, 1, Float32Array.from(a), K, Float32Array.from(b), N, 0, want, N);
      for (const k of builds) {
        const A = k.heap.uninit(M * K), B = k.heap.uninit(K * N), C = k.heap.uninit(M * N);
        A.set(a); B.set(b);
        k.gemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
        for (let i = 0; i < M * N; i++) expect(Math.abs(C[i] - want[i]), `${k.variant} ${M}×${N}×${K} [${i}]`).toBeLessThan(1e-4 * Math.sqrt(K));
      }
    }
  });

  it('BILSTM_NER_BACKEND=js keeps the TypeScript reference path', () => {
    expect(initBackend('js')).toBe('js');
    expect(backendInfo()).toEqual({ name: 'js', reason: 'BILSTM_NER_BACKEND=js' });
    expect(zeros(4)).not.toBeInstanceOf(HeapBuf);
    expect(activeKernels()).toBeNull();
    expect(() => initBackend('gpu')).toThrow(/must be "js" or "wasm"/);
  });

  it('the default installs the WASM gemm and the heap allocator behind zeros/gemm', () => {
    expect(initBackend(undefined)).toBe('wasm');
    const info = backendInfo();
    expect(info.name).toBe('wasm');
    expect(info.startupMs).toBeGreaterThan(0);
    const M = 9, N = 13, K = 11;
    const A = zeros(M * K), B = zeros(K * N), C = zeros(M * N);
    expect(A).toBeInstanceOf(HeapBuf);
    for (let i = 0; i < A.length; i++) A[i] = Math.sin(i);
    for (let i = 0; i < B.length; i++) B[i] = Math.cos(i);
    gemm(false, false, M, N, K, 1, A, K, B, N, 0, C, N);
    const want = new Float32Array(M * N);
    gemmRef(false, false, M, N, K, 1, new Float32Array(A), K, new Float32Array(B), N, 0, want, N);
    for (let i = 0; i < want.length; i++) expect(C[i]).toBeCloseTo(want[i], 5);
    freeBuf(A); freeBuf(B); freeBuf(C);
  });

  it('float64 mode still allocates plain arrays and runs the references under WASM', () => {
    initBackend('wasm');
    setDType('float64');
    try {
      const A = zeros(6), B = zeros(6), C = zeros(4);
      expect(A).toBeInstanceOf(Float64Array);
      A.set([1, 2, 3, 4, 5, 6]); B.set([1, 0, 0, 1, 1, 1]);
      gemm(false, false, 2, 2, 3, 1, A, 3, B, 2, 0, C, 2);
      expect(Array.from(C)).toEqual([4, 5, 10, 11]);
      const x = zeros(3); x.set([0.1, -2, 3]);
      tanhFast(x);
      expect(Array.from(x)).toEqual([Math.tanh(0.1), Math.tanh(-2), Math.tanh(3)]);
      sigmoidFast(x);
      expect(x[0]).toBe(1 / (1 + Math.exp(-Math.tanh(0.1))));
    } finally {
      setDType('float32');
    }
  });

  it('fused LSTM gates dispatch to WASM for heap buffers and to the reference otherwise', () => {
    initBackend('wasm');
    const B = 3, H = 5;
    const z = zeros(B * 4 * H), cPrev = zeros(B * H);
    for (let i = 0; i < z.length; i++) z[i] = Math.sin(i * 1.3) * 2;
    for (let i = 0; i < cPrev.length; i++) cPrev[i] = Math.cos(i);
    const g = zeros(B * 4 * H), c = zeros(B * H), a = zeros(B * H);
    lstmGatesForward(B, H, z, cPrev, g, c, a);
    const pg = new Float32Array(B * 4 * H), pc = new Float32Array(B * H), pa = new Float32Array(B * H);
    lstmGatesForward(B, H, new Float32Array(z), new Float32Array(cPrev), pg, pc, pa); // plain → reference
    const rg = new Float32Array(B * 4 * H), rc = new Float32Array(B * H), ra = new Float32Array(B * H);
    lstmGatesForwardRef(B, H, new Float32Array(z), new Float32Array(cPrev), rg, rc, ra);
    expect(Array.from(pa)).toEqual(Array.from(ra));
    for (let i = 0; i < ra.length; i++) expect(Math.abs(a[i] - ra[i])).toBeLessThan(5e-7);
    expect(() => lstmGatesForward(B, H, z, cPrev, g, c, a.subarray(1))).toThrow(RangeError);
  });

  it('a worker thread runs the same module on the same shared memory', async () => {
    const k = initBackend('wasm') === 'wasm' ? activeKernels()! : null;
    expect(k).not.toBeNull();
    const x = k!.heap.zeros(10);
    for (let i = 0; i < 10; i++) x[i] = i - 5;
    const code = `
      const { parentPort, workerData } = require('node:worker_threads');
      const { module, memory, offset, n } = workerData;
      const inst = new WebAssembly.Instance(module, { env: { memory } });
      inst.exports.tanh(offset, offset, n);
      parentPort.postMessage('done');
    `;
    const worker = new Worker(code, {
      eval: true,
      workerData: { module: k!.module, memory: k!.heap.memory, offset: x.byteOffset, n: 10 },
    });
    const msg = await new Promise((resolve, reject) => {
      worker.once('message', resolve);
      worker.once('error', reject);
    });
    await worker.terminate();
    expect(msg).toBe('done');
    for (let i = 0; i < 10; i++) expect(Math.abs(x[i] - Math.tanh(i - 5))).toBeLessThan(1e-7);
  });
});
