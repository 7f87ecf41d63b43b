/**
 * The `ner` command line. Each command is a thin call into the library API (see src/index.ts);
 * this file only parses arguments, prints, and maps errors to exit codes:
 *   0 success · 2 user error (bad arguments, bad input) · 1 internal failure.
 */
import yargs from 'yargs';
import { UserError } from '../errors.js';
import { commands } from './commands/index.js';

export async function main(argv: string[]): Promise<number> {
  let exitCode = 0;
  const parser = yargs(argv)
    .scriptName('ner')
    .usage('$0 <command> [options]')
    .command(commands)
    .strict()
    .demandCommand(1, "name a command (run 'ner --help' for the list)")
    .recommendCommands()
    .help()
    .alias('h', 'help')
    .version()
    .wrap(Math.min(110, process.stdout.columns || 100))
    .fail((msg, err) => {
      if (err) throw err;
      throw new UserError(msg.replace(/\s*\n\s*/g, ' '));
    });
  try {
    await parser.parseAsync();
  } catch (err) {
    exitCode = reportError(err);
  }
  return exitCode;
}

/** Print an error as one line (user mistakes) or with its stack (bugs); return the exit code. */
export function reportError(err: unknown): number {
  if (err instanceof UserError) {
    process.stderr.write(`ner: ${err.message}\n`);
    return 2;
  }
  const e = err as Error;
  process.stderr.write(`ner: internal error: ${e?.stack ?? String(err)}\n`);
  return 1;
}
