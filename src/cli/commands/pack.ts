import type { CommandModule, Argv } from 'yargs';
import { packModel } from '../../tagger/pack.js';
import { STORAGE_DTYPES, type StorageDType } from '../../nn/serialize.js';

interface PackArgs { model: string; out: string; words?: number; dtype: StorageDType; overwrite: boolean }

export const packCommand: CommandModule<object, PackArgs> = {
  command: 'pack',
  describe: 'Make a smaller copy of a model for shipping: fewer word vectors, int8/int4/float16 weights',
  builder: (y: Argv) => y
    .usage('$0 pack --model DIR --out DIR [--words N] [--dtype int8]')
    .option('model', { type: 'string', demandOption: true, describe: 'Model directory to read' })
    .option('out', { type: 'string', demandOption: true, describe: 'Directory of the packed model' })
    .option('words', { type: 'number', describe: 'Keep the first N rows of the word table (training words, then the most frequent added vectors)' })
    .option('dtype', { choices: STORAGE_DTYPES, default: 'int8' as StorageDType, describe: 'Storage type (int8/int4: word vectors in 8/4 bits with a scale per row, the rest float16)' })
    .option('overwrite', { type: 'boolean', default: false, describe: 'Replace a model already in --out' }) as unknown as Argv<PackArgs>,
  handler: (a) => {
    const r = packModel(a.model, a.out, { words: a.words, dtype: a.dtype, overwrite: a.overwrite });
    const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
    process.stderr.write(`packed ${a.model} → ${a.out}: ${r.wordsBefore.toLocaleString('en-US')} → ${r.wordsAfter.toLocaleString('en-US')} words, ${r.dtype}, ${mb(r.bytesBefore)} → ${mb(r.bytesAfter)}${r.note}\n`);
  },
};
