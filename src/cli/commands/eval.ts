import type { CommandModule, Argv } from 'yargs';
import { evaluateConllevalFile, evaluateFiles, formatConllevalReport, formatErrorSummary, resultToJson } from '../../eval/index.js';
import type { EvalOptions } from '../../eval/index.js';
import { schemeByName } from '../../data/schemes.js';
import { UserError } from '../../errors.js';

interface EvalArgs {
  pred?: string;
  gold?: string;
  json: boolean;
  strict: boolean;
  scheme?: string;
  rules: string;
  errors: boolean;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Score predicted tags against gold tags: span precision/recall/F1 per type, counted as conlleval counts',
  builder: (y: Argv) => y
    .usage('$0 eval --pred FILE [--gold FILE] [--json] [--strict [--scheme S]] [--rules R] [--errors]\n\n' +
      'With --pred alone, FILE is in conlleval format: one token per line, the last two columns are the gold ' +
      'and the predicted tag, a blank line between sentences. With --gold, both files are CoNLL column files ' +
      '(tag in the last column) holding the same sentences and tokens.')
    .option('pred', { type: 'string', describe: 'Predictions: a conlleval-format file, or with --gold a CoNLL file (required for now)' })
    .option('gold', { type: 'string', describe: 'Gold CoNLL file to score --pred against (default: gold tags are in --pred)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON {overall, types} with fractions in [0, 1] instead of the conlleval report' })
    .option('strict', { type: 'boolean', default: false, describe: 'Count only entities well-formed in the scheme (ill-formed chunks are no entities), like seqeval strict mode' })
    .option('scheme', { type: 'string', describe: 'Scheme for --strict: iob1, iob2 (bio), iobes (bioes), bilou, io (default: detected from the gold tags)' })
    .option('rules', {
      type: 'string', default: 'conlleval',
      describe: "Chunk rules (without --strict): conlleval = the 2004-01-26 script's (B I E O); extended = also S/L/U for IOBES and BILOU",
    })
    .option('errors', { type: 'boolean', default: false, describe: 'Also print an error summary per type: type, boundary, boundary+type errors, missed, spurious' })
    .example('$0 eval --pred dev.eval', 'conlleval report of a file with gold and predicted tags')
    .example('$0 eval --gold eng.testb --pred testb.pred --json', 'compare two CoNLL files, JSON output')
    .example('$0 eval --pred out.eval --strict --scheme iobes --errors', 'strict scoring and an error table') as unknown as Argv<EvalArgs>,
  handler: async (a) => {
    if (!a.pred) throw new UserError('eval: name the predictions with --pred FILE');
    if (a.rules !== 'conlleval' && a.rules !== 'extended') throw new UserError(`eval: --rules is conlleval or extended, not "${a.rules}"`);
    if (a.scheme !== undefined && !a.strict) throw new UserError('eval: --scheme applies to --strict scoring; add --strict');
    const options: EvalOptions = {
      mode: a.strict ? 'strict' : 'conlleval',
      rules: a.rules,
      scheme: a.scheme !== undefined ? schemeByName(a.scheme).name : undefined,
      errors: a.errors,
    };
    const { result, evaluator } = a.gold ? await evaluateFiles(a.gold, a.pred, options) : await evaluateConllevalFile(a.pred, options);
    const unknown = evaluator.unknownPrefixes();
    if (unknown.length > 0) {
      process.stderr.write(`ner: warning: tags with ${unknown.map((p) => p + '-').join(', ')} prefixes: conlleval's rules do not know them; ` +
        'use --rules extended (or --strict --scheme iobes|bilou) to count IOBES/BILOU entities\n');
    }
    if (a.json) {
      process.stdout.write(resultToJson(result));
      return;
    }
    let out = formatConllevalReport(result);
    if (result.errors) out += '\n' + formatErrorSummary(result.errors);
    process.stdout.write(out);
  },
};
