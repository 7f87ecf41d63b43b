import type { CommandModule, Argv } from 'yargs';
import { modelInfo, formatModelInfo } from '../../tagger/info.js';

interface InfoArgs { model: string; json: boolean }

export const infoCommand: CommandModule<object, InfoArgs> = {
  command: 'info',
  describe: 'Show a model\'s configuration, vocabulary sizes, training data, scores and format version',
  builder: (y: Argv) => y
    .usage('$0 info --model DIR [--json]')
    .option('model', { type: 'string', demandOption: true, describe: 'Model directory' })
    .option('json', { type: 'boolean', default: false, describe: 'Print JSON' }) as unknown as Argv<InfoArgs>,
  handler: (a) => {
    const info = modelInfo(a.model);
    process.stdout.write(a.json ? JSON.stringify(info, null, 2) + '\n' : formatModelInfo(info));
  },
};
