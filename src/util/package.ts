import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const PACKAGE_NAME = 'bilstm-ner';
let cached: string | null = null;

/**
 * The root directory of this package: the first directory above this module whose package.json
 * names bilstm-ner. Works from src/ (tests), dist/ and an installed node_modules/bilstm-ner.
 */
export function packageRoot(from: string = import.meta.url): string {
  if (cached && from === import.meta.url) return cached;
  let dir = dirname(fileURLToPath(from));
  for (;;) {
    const pkg = join(dir, 'package.json');
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === PACKAGE_NAME) {
          if (from === import.meta.url) cached = dir;
          return dir;
        }
      } catch {
        // not a readable package.json: keep walking up
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`${PACKAGE_NAME}: package root not found above ${fileURLToPath(from)}`);
    dir = parent;
  }
}

/** The package's version from its package.json. */
export function packageVersion(): string {
  return (JSON.parse(readFileSync(join(packageRoot(), 'package.json'), 'utf8')) as { version: string }).version;
}
