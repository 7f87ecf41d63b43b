import type { CommandModule, Argv } from 'yargs';
import { convertConllFile } from '../../data/convert.js';
import { schemeByName } from '../../data/schemes.js';

interface ConvertArgs {
  in: string;
  out: string;
  to: string;
  from: string;
  'tag-column': number;
  crlf: boolean;
  encoding: 'utf8' | 'latin1' | 'cp1252';
}

const SCHEME_CHOICES = ['iob1', 'iob2', 'bio', 'iobes', 'bioes', 'bilou', 'io'];

export const convertCommand: CommandModule<object, ConvertArgs> = {
  command: 'convert',
  describe: 'Convert the tags of a CoNLL file to another scheme (IOB1, IOB2, IOBES, BILOU), keeping every other column',
  builder: (y: Argv) => y
    .usage('$0 convert --in FILE --out FILE --to SCHEME [--from auto|SCHEME]\n\n' +
      'Entities are read leniently (as conlleval reads them) and spelled in the target scheme; other ' +
      'columns and -DOCSTART- lines are kept. The output is written to a temporary file and renamed, ' +
      'so a failure never leaves a half-written file.')
    .option('in', { type: 'string', demandOption: true, describe: 'CoNLL file to read (required)' })
    .option('out', { type: 'string', demandOption: true, describe: 'CoNLL file to write (required; may equal --in)' })
    .option('to', { type: 'string', demandOption: true, describe: `Target scheme (required): ${SCHEME_CHOICES.join(', ')}` })
    .option('from', { type: 'string', default: 'auto', describe: `Source scheme: auto (detect it from the tags), ${SCHEME_CHOICES.join(', ')}` })
    .option('tag-column', { type: 'number', default: -1, describe: 'Column holding the tag, 0-based; negative counts from the end' })
    .option('encoding', { choices: ['utf8', 'latin1', 'cp1252'] as const, default: 'utf8' as const, describe: 'Text encoding of --in (the output is UTF-8)' })
    .option('crlf', { type: 'boolean', default: false, describe: 'End output lines with CRLF instead of LF' })
    .example('$0 convert --in eng.train --out train.bioes --to iobes', 'CoNLL-2003 IOB1 to IOBES')
    .example('$0 convert --in data/sample.conll --out sample.iob1 --from iob2 --to iob1', 'explicit source scheme') as unknown as Argv<ConvertArgs>,
  handler: async (a) => {
    const summary = await convertConllFile(a.in, a.out, {
      from: a.from === 'auto' ? 'auto' : schemeByName(a.from).name,
      to: schemeByName(a.to).name,
      tagColumn: a['tag-column'],
      eol: a.crlf ? '\r\n' : '\n',
      encoding: a.encoding,
    });
    const ill = summary.illFormed > 0
      ? `; ${summary.illFormed} sentence(s) were not well-formed ${summary.from} and were read as conlleval reads them`
      : '';
    process.stderr.write(`ner: converted ${summary.sentences} sentences (${summary.entities} entities) from ${summary.from} to ${summary.to}${ill}\n`);
  },
};
