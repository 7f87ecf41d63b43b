/** Small file helpers shared by the reader and evaluator tests. */
import { expect } from 'vitest';
import { promises as fsp } from 'node:fs';
import path from 'node:path';
import { InputError } from '../../src/errors.js';

/** Writes `content` to `dir/name` and returns the path. */
export async function writeFileIn(dir: string, name: string, content: string | Buffer): Promise<string> {
  const f = path.join(dir, name);
  await fsp.writeFile(f, content);
  return f;
}

/** The InputError a promise rejects with (fails the test if it resolves or throws something else). */
export async function expectInputError(p: Promise<unknown>): Promise<InputError> {
  const err = await p.then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(InputError);
  return err as InputError;
}
