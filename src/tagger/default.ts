import path from 'node:path';
import { existsSync } from 'node:fs';
import { packageRoot } from '../util/package.js';
import { UserError } from '../errors.js';

/** Name of the English model shipped in the package's models/ directory. */
export const DEFAULT_MODEL_NAME = 'en';

/** Directory of the default model (models/en inside the installed package). */
export function defaultModelDir(): string {
  return path.join(packageRoot(), 'models', DEFAULT_MODEL_NAME);
}

/** The model directory to use: the given one, or the shipped default. */
export function resolveModelDir(dir?: string): string {
  if (dir) return dir;
  const d = defaultModelDir();
  if (!existsSync(path.join(d, 'model.json'))) {
    throw new UserError(`no --model given and the default model (${d}) is not installed; train one with 'ner train' and pass --model DIR`);
  }
  return d;
}
