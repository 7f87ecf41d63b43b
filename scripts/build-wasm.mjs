// Builds wasm/kernels.wasm and wasm/kernels-relaxed.wasm from asm/kernels.ts with the AssemblyScript compiler (a dev
// dependency: this runs in `npm run build`, i.e. on `npm ci` in a clone, never on a user's
// install — the published package ships the built wasm/kernels.wasm).
//
// Flags: SIMD on, -O3, no runtime (the module allocates nothing; JS owns all memory), and an
// imported *shared* memory (max 65536 pages = 4 GiB) so that views never detach on growth and
// worker threads can later run the same module on the same memory. `threads` is required by
// the engine for a shared memory import. The -relaxed build also enables relaxed SIMD (the gemm
// kernels then use fused multiply-add); src/tensor/wasm.ts loads it where the engine has it.
import asc from 'assemblyscript/asc';
import { mkdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
mkdirSync(join(root, 'wasm'), { recursive: true });

for (const [name, extra] of [['kernels', []], ['kernels-relaxed', ['--enable', 'relaxed-simd']]]) {
  const out = join(root, 'wasm', `${name}.wasm`);
  const args = [
    join(root, 'asm', 'kernels.ts'),
    '--outFile', out,
    '--optimizeLevel', '3', '--shrinkLevel', '0', '--noAssert',
    '--runtime', 'stub',
    '--enable', 'simd', '--enable', 'threads',
    '--importMemory', '--sharedMemory', '--initialMemory', '1', '--maximumMemory', '65536',
    '--noExportMemory',
    '--use', 'abort=',
    ...extra,
  ];
  if (process.argv.includes('--wat')) args.push('--textFile', join(root, 'wasm', `${name}.wat`));

  const { error, stderr } = await asc.main(args);
  if (error) {
    console.error(stderr.toString());
    console.error(`build-wasm: ${error.message}`);
    process.exit(1);
  }
  console.log(`build-wasm: wrote wasm/${name}.wasm (${statSync(out).size} bytes)`);
}
