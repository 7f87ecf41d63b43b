import type { CommandModule } from 'yargs';
import { trainCommand } from './train.js';
import { infoCommand } from './info.js';
import { tagCommand } from './tag.js';
import { lmCommand } from './lm.js';
import { vocabCommand } from './vocab.js';
import { tokenizeCommand } from './tokenize.js';
import { evalCommand } from './eval.js';
import { convertCommand } from './convert.js';
import { serveCommand } from './serve.js';
import { packCommand } from './pack.js';

/**
 * Every `ner` command, in the order `ner --help` lists them. Each module lives in its own file
 * here and stays thin: parse options, call the library, print.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: CommandModule<any, any>[] = [
  tagCommand,
  trainCommand,
  infoCommand,
  lmCommand,
  vocabCommand,
  tokenizeCommand,
  evalCommand,
  convertCommand,
  serveCommand,
  packCommand,
];
