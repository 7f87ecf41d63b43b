/**
 * A mistake of the user's (bad argument, bad input file, missing model): the CLI prints its
 * message as one line and exits with code 2, never with a stack trace.
 * Messages about a file read `FILE:LINE: what is wrong`.
 */
export class UserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UserError';
  }
}

/** A UserError located in a file (and optionally a line, 1-based). */
export class InputError extends UserError {
  constructor(readonly file: string, readonly line: number | null, readonly problem: string) {
    super(line === null ? `${file}: ${problem}` : `${file}:${line}: ${problem}`);
    this.name = 'InputError';
  }
}
