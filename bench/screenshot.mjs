/**
 * Screenshot of the `ner serve` page with a tagged example, for the README (docs/serve.png).
 * Starts the service on 127.0.0.1 (any free port) and drives Debian's chromium with
 * playwright-core: types the text, clicks Tag, waits for the highlights, saves the page.
 *
 *   npm run build && node bench/screenshot.mjs --model DIR [--out docs/serve.png] [--text "..."]
 *
 * CHROMIUM_PATH overrides /usr/bin/chromium.
 */
import { parseArgs } from 'node:util';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { initBackend } from '../dist/tensor/backend.js';
import { resolveModelDir } from '../dist/tagger/default.js';
import { serveModel } from '../dist/server/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const { values: o } = parseArgs({
  options: {
    model: { type: 'string' },
    out: { type: 'string', default: path.join(root, 'docs/serve.png') },
    text: {
      type: 'string',
      default: 'Angela Merkel met Emmanuel Macron in Paris on Tuesday, and the two leaders later spoke to reporters '
        + 'from Reuters about the future of the European Union.\n\nShares of Volkswagen rose 3 percent in Frankfurt '
        + 'after the German carmaker said it would build a new plant near Lisbon.',
    },
    width: { type: 'string', default: '1000' },
  },
});

initBackend();
const { server, url } = await serveModel({ modelDir: resolveModelDir(o.model), port: 0, host: '127.0.0.1', log: () => {} });
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
    '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(o.width), height: 800 }, deviceScaleFactor: 1, colorScheme: 'light' });
  await page.goto(url);
  await page.waitForSelector('#legend .chip');
  await page.fill('#text', o.text);
  await page.click('#tag');
  await page.waitForFunction(() => /entit(y|ies) in/.test(document.getElementById('status').textContent));
  // A stable status line for the picture (the real one shows this run's time).
  await page.$eval('#status', (s) => { s.textContent = s.textContent.replace(/ · \d+ ms$/, ''); });
  await page.screenshot({ path: o.out, fullPage: true });
  process.stderr.write(`wrote ${o.out}\n`);
} finally {
  await browser.close();
  await server.close();
}
