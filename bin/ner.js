#!/usr/bin/env node
// Thin launcher: the command line lives in dist/cli/main.js (built by `npm run build`).
import('../dist/cli/main.js').then((m) => m.main(process.argv.slice(2))).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(`ner: internal error: ${err && err.stack ? err.stack : err}`); process.exitCode = 1; },
);
