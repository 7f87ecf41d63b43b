import type { CommandModule, Argv } from 'yargs';
import { formatCalibration, evaluateConllevalFile, evaluateFiles, formatConllevalReport, formatErrorSummary, resultToJson } from '../../eval/index.js';
import { readSentences } from '../../data/open.js';
import { loadModel } from '../../tagger/store.js';
import { resolveModelDir } from '../../tagger/default.js';
import { evaluateTagger } from '../../tagger/tagger.js';
import { initBackend } from '../../tensor/backend.js';
import type { EvalOptions } from '../../eval/index.js';
import { schemeByName } from '../../data/schemes.js';
import { UserError } from '../../errors.js';
import type { TextEncoding } from '../../data/lines.js';

interface EvalArgs {
  model?: string;
  test?: string;
  pred?: string;
  gold?: string;
  json: boolean;
  strict: boolean;
  scheme?: string;
  rules: string;
  errors: boolean;
  calibration: boolean;
  encoding: TextEncoding;
}

export const evalCommand: CommandModule<object, EvalArgs> = {
  command: 'eval',
  describe: 'Score predicted tags against gold tags: span precision/recall/F1 per type, counted as conlleval counts',
  builder: (y: Argv) => y
    .usage('$0 eval --pred FILE [--gold FILE] [--json] [--strict [--scheme S]] [--rules R] [--errors]\n' +
      '$0 eval --model DIR --test FILE [--json] [...]\n\n' +
      'With --model and --test, the model tags the test file (its token column) and is scored against the file\'s own tags, ' +
      'in the file\'s own tag scheme. ' +
      'With --pred alone, FILE is in conlleval format: one token per line, the last two columns are the gold ' +
      'and the predicted tag, a blank line between sentences. With --gold, both files are CoNLL column files ' +
      '(tag in the last column) holding the same sentences and tokens.')
    .option('model', { type: 'string', describe: 'Model directory: tag --test with it and score the result (default model: models/en)' })
    .option('test', { type: 'string', describe: 'Labelled CoNLL/CSV file for --model' })
    .option('pred', { type: 'string', describe: 'Predictions: a conlleval-format file, or with --gold a CoNLL file' })
    .option('gold', { type: 'string', describe: 'Gold CoNLL file to score --pred against (default: gold tags are in --pred)' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON {overall, types} with fractions in [0, 1] instead of the conlleval report' })
    .option('strict', { type: 'boolean', default: false, describe: 'Count only entities well-formed in the scheme (ill-formed chunks are no entities), like seqeval strict mode' })
    .option('scheme', { type: 'string', describe: 'Scheme for --strict: iob1, iob2 (bio), iobes (bioes), bilou, io (default: detected from the gold tags)' })
    .option('rules', {
      type: 'string', default: 'conlleval',
      describe: "Chunk rules (without --strict): conlleval = the 2004-01-26 script's (B I E O); extended = also S/L/U for IOBES and BILOU",
    })
    .option('calibration', { type: 'boolean', default: false, describe: 'With --model: also print how well entity scores are calibrated (precision per score bucket)' })
    .option('encoding', { choices: ['utf8', 'latin1', 'cp1252'] as const, default: 'utf8' as const, describe: 'Text encoding of the data files (latin1 = ISO-8859-1, cp1252 = Windows-1252)' })
    .option('errors', { type: 'boolean', default: false, describe: 'Also print an error summary per type: type, boundary, boundary+type errors, missed, spurious' })
    .example('$0 eval --model models/en --test eng.testb', 'tag a labelled file with a model and score it')
    .example('$0 eval --pred dev.eval', 'conlleval report of a file with gold and predicted tags')
    .example('$0 eval --gold eng.testb --pred testb.pred --json', 'compare two CoNLL files, JSON output')
    .example('$0 eval --pred out.eval --strict --scheme iobes --errors', 'strict scoring and an error table') as unknown as Argv<EvalArgs>,
  handler: async (a) => {
    if (a.test !== undefined && a.pred !== undefined) throw new UserError('eval: give either --model/--test or --pred, not both');
    if (a.model !== undefined && a.test === undefined) throw new UserError('eval: --model needs the labelled file to tag: --test FILE');
    if (a.test === undefined && !a.pred) throw new UserError('eval: name the predictions with --pred FILE, or a model and a labelled file with --model DIR --test FILE');
    if (a.rules !== 'conlleval' && a.rules !== 'extended') throw new UserError(`eval: --rules is conlleval or extended, not "${a.rules}"`);
    if (a.scheme !== undefined && !a.strict) throw new UserError('eval: --scheme applies to --strict scoring; add --strict');
    const options: EvalOptions = {
      mode: a.strict ? 'strict' : 'conlleval',
      rules: a.rules,
      scheme: a.scheme !== undefined ? schemeByName(a.scheme).name : undefined,
      errors: a.errors,
    };
    if (a.calibration && a.test === undefined) throw new UserError('eval: --calibration needs entity scores: use it with --model DIR --test FILE');
    let result, unknown: string[];
    let calibrationText = '';
    if (a.test !== undefined) {
      initBackend();
      const tagger = loadModel(resolveModelDir(a.model));
      const sentences = await readSentences(a.test, { encoding: a.encoding });
      const r = evaluateTagger(tagger, sentences, { eval: options, calibration: a.calibration });
      result = r.result;
      unknown = [];
      if (r.calibration) calibrationText = formatCalibration(r.calibration);
    } else {
      const r = a.gold
        ? await evaluateFiles(a.gold, a.pred!, { ...options, gold: { encoding: a.encoding }, pred: { encoding: a.encoding } })
        : await evaluateConllevalFile(a.pred!, { ...options, encoding: a.encoding });
      result = r.result;
      unknown = r.evaluator.unknownPrefixes();
    }
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
    if (calibrationText) out += '\n' + calibrationText;
    process.stdout.write(out);
  },
};
