/**
 * The tagging page end to end, in a real headless browser (Debian's chromium, driven by
 * playwright-core): type a sentence, click Tag, see the entities highlighted by type.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { initBackend } from '../../src/tensor/backend.js';
import { serveModel, type NerServer } from '../../src/server/index.js';
import { trainTinyModel } from './model.js';
import { postTag } from './http.js';
import { launchChromium } from './browser.js';

let cleanup: () => void;
let server: NerServer;
let base: string;
let browser: Browser;

beforeAll(async () => {
  initBackend();
  const m = await trainTinyModel();
  cleanup = m.cleanup;
  ({ server, url: base } = await serveModel({ modelDir: m.dir, port: 0, log: () => {} }));
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  cleanup?.();
});

interface Watched {
  page: Page;
  /** Every URL the page asked for. */
  requests: string[];
  /** Console errors and uncaught exceptions (a CSP violation shows up here). */
  errors: string[];
}

async function openPage(): Promise<Watched> {
  const page = await browser.newPage();
  const w: Watched = { page, requests: [], errors: [] };
  page.on('request', (r) => w.requests.push(r.url()));
  page.on('console', (m) => { if (m.type() === 'error') w.errors.push(m.text()); });
  page.on('pageerror', (e) => w.errors.push(e.message));
  await page.goto(base);
  // The legend is filled from GET /v1/model once the page has loaded.
  await page.waitForSelector('#legend .chip[data-type="PER"]');
  return w;
}

/** The highlighted entities as the page shows them. */
function marks(page: Page): Promise<{ type: string; text: string; title: string }[]> {
  return page.$$eval('#output mark.ent', (ms) => ms.map((m) => ({ type: (m as HTMLElement).dataset.type!, text: m.textContent!, title: (m as HTMLElement).title })));
}

async function tagOnPage(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.click('#tag');
  await page.waitForFunction(() => /entit(y|ies) in/.test(document.getElementById('status')!.textContent!));
}

describe('tagging page (headless chromium)', () => {
  it('type a sentence, click Tag: the entities are highlighted by type, with type and score on hover, and the JSON below', async () => {
    const { page, requests, errors } = await openPage();
    try {
      expect(await page.$$eval('#legend .chip', (cs) => cs.map((c) => c.textContent))).toEqual(['LOC', 'MISC', 'ORG', 'PER']);
      const text = 'Chief executive Helena Marsh said, "Norvale Mining will close its plant in Tarrow Bay."';
      await tagOnPage(page, text);
      const api = JSON.parse((await postTag(base, { text })).body) as { sentences: { entities: { type: string; text: string; score: number }[] }[] };
      const want = api.sentences.flatMap((s) => s.entities);
      expect(want.map((e) => `${e.type}:${e.text}`)).toContain('PER:Helena Marsh');
      const got = await marks(page);
      expect(got.map((m) => ({ type: m.type, text: m.text }))).toEqual(want.map((e) => ({ type: e.type, text: e.text })));
      got.forEach((m, i) => expect(m.title).toBe(`${want[i].type} · score ${want[i].score.toFixed(3)}`));
      // Highlighting wraps the text, never changes it.
      expect(await page.textContent('#output')).toBe(text);
      // Each type has its own colour, the same as its legend chip.
      const colour = (sel: string) => page.$eval(sel, (el) => getComputedStyle(el).getPropertyValue('--fg-ent').trim());
      const per = await colour('#output mark.ent[data-type="PER"]');
      expect(per).toBe(await colour('#legend .chip[data-type="PER"]'));
      if (want.some((e) => e.type === 'ORG')) expect(await colour('#output mark.ent[data-type="ORG"]')).not.toBe(per);
      const background = await page.$eval('#output mark.ent', (el) => getComputedStyle(el).backgroundColor);
      expect(background).not.toMatch(/^rgba\(0, 0, 0, 0\)$|^transparent$/);
      // The JSON is the API's answer.
      expect(JSON.parse((await page.textContent('#json'))!)).toEqual(api);
      expect(await page.textContent('#status')).toMatch(new RegExp(`^${want.length} entit(y|ies) in 1 sentence · \\d+ ms$`));
      // Everything came from the server itself, and nothing went wrong (a CSP violation is a console error).
      expect(requests.length).toBeGreaterThan(0);
      for (const u of requests) expect(u.startsWith(base)).toBe(true);
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('input is shown as text, never run as markup', async () => {
    const { page, errors } = await openPage();
    try {
      const text = '<img src=x onerror="window.pwned=1"> Helena Marsh <b>spoke</b> &amp; <script>window.pwned=2</script>';
      await tagOnPage(page, text);
      expect(await page.$$('#output img, #output b, #output script')).toHaveLength(0);
      expect(await page.textContent('#output')).toBe(text);
      expect(await page.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
      expect(errors).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('Ctrl+Enter tags too; an error from the server is shown, not thrown', async () => {
    const { page } = await openPage();
    try {
      await page.fill('#text', 'Helena Marsh left.');
      await page.press('#text', 'Control+Enter');
      await page.waitForSelector('#output mark.ent[data-type="PER"]');
      // A body over the limit: the page reports the server's message.
      await page.fill('#text', 'a'.repeat(1_100_000));
      await page.click('#tag');
      await page.waitForSelector('#status.error');
      expect(await page.textContent('#status')).toMatch(/^Error: the body is larger than the limit of 1 MiB/);
      expect(await page.isEnabled('#tag')).toBe(true);
    } finally {
      await page.close();
    }
  });
});
