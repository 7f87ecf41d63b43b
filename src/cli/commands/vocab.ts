import type { CommandModule, Argv } from 'yargs';
import { readConll } from '../../data/conll.js';
import { checkReadableFile } from '../../data/lines.js';
import { UserError } from '../../errors.js';
import { buildVocabularies, corpusCoverage, saveVocabFile, type Coverage } from '../../vocab/index.js';

interface VocabArgs {
  train: string; dev?: string; out: string; 'min-count': number; 'max-size'?: number; lowercase: boolean;
  'digits-to-zero': boolean; 'char-min-count': number; 'token-column': number; 'tag-column': number;
  encoding: 'utf8' | 'latin1' | 'cp1252';
}

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const num = (x: number) => x.toLocaleString('en-US');

function checkCount(name: string, v: number | undefined, min: number): void {
  if (v === undefined) return;
  if (!Number.isInteger(v) || v < min) throw new UserError(`--${name} must be a whole number >= ${min}, not ${v}`);
}

/** The coverage line printed for --dev. */
export function coverageLine(file: string, c: Coverage): string {
  return `dev ${file}: tokens ${pct(c.tokenRate)} covered (${num(c.coveredTokens)} of ${num(c.tokens)}), ` +
    `types ${pct(c.typeRate)} (${num(c.coveredTypes)} of ${num(c.types)})`;
}

export const vocabCommand: CommandModule<object, VocabArgs> = {
  command: 'vocab',
  describe: 'Build word, character and tag vocabularies from a CoNLL file and save them as JSON',
  builder: (y: Argv) => y
    .usage('$0 vocab --train FILE --out vocab/NAME.json [options]')
    .option('train', { type: 'string', demandOption: true, describe: 'Training data (CoNLL columns: token first, tag last)' })
    .option('out', { type: 'string', demandOption: true, describe: 'Vocabulary file to write (e.g. vocab/conll.json); written atomically' })
    .option('dev', { type: 'string', describe: 'Also report how much of this CoNLL file the word vocabulary covers' })
    .option('min-count', { type: 'number', default: 1, describe: 'Keep words seen at least this often' })
    .option('max-size', { type: 'number', describe: 'At most this many words, <pad> and <unk> included (default: no limit)' })
    .option('lowercase', { type: 'boolean', default: false, describe: 'Lower-case words (characters keep their case)' })
    .option('digits-to-zero', { type: 'boolean', default: false, describe: 'Map every digit in words to 0, as GloVe-style vectors expect' })
    .option('char-min-count', { type: 'number', default: 1, describe: 'Keep characters seen at least this often' })
    .option('token-column', { type: 'number', default: 0, describe: 'Column of the token (0-based; negative counts from the end)' })
    .option('tag-column', { type: 'number', default: -1, describe: 'Column of the tag (0-based; -1 = last)' })
    .option('encoding', { choices: ['utf8', 'latin1', 'cp1252'] as const, default: 'utf8' as const, describe: 'Text encoding of the data files (latin1 = ISO-8859-1, cp1252 = Windows-1252)' })
    .example('$0 vocab --train ../shared/data/conll2003/eng.train --dev ../shared/data/conll2003/eng.testa --digits-to-zero --out vocab/conll2003.json', '')
    .strict() as unknown as Argv<VocabArgs>,
  handler: async (a) => {
    checkCount('min-count', a['min-count'], 1);
    checkCount('max-size', a['max-size'], 3);
    checkCount('char-min-count', a['char-min-count'], 1);
    for (const k of ['token-column', 'tag-column'] as const) if (!Number.isInteger(a[k])) throw new UserError(`--${k} must be a whole number, not ${a[k]}`);
    await checkReadableFile(a.train);
    if (a.dev) await checkReadableFile(a.dev);
    const read = { tokenColumn: a['token-column'], tagColumn: a['tag-column'], encoding: a.encoding };
    const set = await buildVocabularies(readConll(a.train, read), {
      minCount: a['min-count'], maxSize: a['max-size'], lowercase: a.lowercase, digitsToZero: a['digits-to-zero'],
      charMinCount: a['char-min-count'],
    });
    if (set.stats.tokens === 0) throw new UserError(`${a.train}: holds no tokens`);
    const lines = [
      `train ${a.train}: ${num(set.stats.sentences)} sentences, ${num(set.stats.tokens)} tokens`,
      `words ${num(set.words.size)} (<pad>, <unk> and ${num(set.words.size - 2)} forms)`,
      `chars ${num(set.chars.size)}`,
      `tags  ${num(set.tags.size)} (<pad> ${set.tags.items.slice(1).join(' ')})`,
    ];
    if (a.dev) lines.push(coverageLine(a.dev, await corpusCoverage(set.words, readConll(a.dev, { ...read, labelled: false }))));
    await saveVocabFile(a.out, set);
    lines.push(`wrote ${a.out}`);
    process.stdout.write(lines.join('\n') + '\n');
  },
};
