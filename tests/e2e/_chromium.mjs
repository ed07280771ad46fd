// Headless Debian Chromium for the end-to-end tests (not a test file itself). The flags
// keep Chromium from reaching out on its own (background networking, component updates,
// sync); /usr/bin/chromium comes from scripts/setup.sh, never from a browser download.
import assert from 'node:assert/strict';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function launchChromium() {
  return chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * The demo (www/ and pkg/, served on 127.0.0.1) open in headless Chromium at its Data view.
 * Every request the page makes is recorded in `requests`, uncaught page errors in
 * `pageErrors` (pass your own arrays to have them filled); `onPage(page)` runs before the first navigation (extra listeners).
 * `close()` shuts the browser and the server.
 */
export async function openDemo({ context: contextOptions = {}, onPage, requests = [], pageErrors = [] } = {}) {
  const { serve } = await import('../../scripts/serve.mjs');
  const { server } = await serve({ port: 0 });
  const close = async () => {
    await browser?.close();
    await new Promise((ok) => server.close(ok));
  };
  let browser;
  try {
    const origin = `http://127.0.0.1:${server.address().port}`;
    browser = await launchChromium();
    const context = await browser.newContext({ locale: 'en-US', viewport: { width: 1280, height: 900 }, ...contextOptions });
    const page = await context.newPage();
    page.on('request', (r) => requests.push({ url: r.url(), method: r.method(), postData: r.postData() }));
    page.on('pageerror', (e) => pageErrors.push(e));
    onPage?.(page, pageErrors);
    await page.goto(`${origin}/`);
    await page.locator('[data-testid=dropzone]').waitFor();
    return { origin, browser, context, page, requests, pageErrors, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** Every recorded request stayed on the page's origin (or a blob:/data: URL), was a GET and had no body. */
export function assertSameOriginGets(requests, origin) {
  assert.ok(requests.length > 3);
  for (const r of requests) {
    assert.ok(r.url.startsWith(`${origin}/`) || r.url.startsWith('blob:') || r.url.startsWith('data:'), r.url);
    assert.equal(r.method, 'GET', r.url);
    assert.equal(r.postData, null, r.url);
  }
}

/**
 * One demo for a whole test file: registers node:test's `before` (openDemo, then
 * `setup(page)`) and `after` (close), and returns what the tests use:
 * `page` (forwards to the opened page, so it can be destructured at module level),
 * `requests` and `pageErrors` (filled as the page runs), `origin` (a getter, known once
 * opened) and `go(hash)` (navigates the demo's router).
 */
export function useDemo({ context, setup } = {}) {
  let opened;
  const requests = [];
  const pageErrors = [];
  const live = () => {
    if (!opened) throw new Error('useDemo: the demo is not open yet (use it inside a test)');
    return opened.page;
  };
  const page = new Proxy({}, {
    get(_, key) {
      const p = live();
      const v = p[key];
      return typeof v === 'function' ? v.bind(p) : v;
    },
  });
  before(async () => {
    opened = await openDemo({ context, requests, pageErrors });
    await setup?.(page);
  });
  after(() => opened?.close());
  return {
    page,
    requests,
    pageErrors,
    get origin() { return opened?.origin; },
    go: (hash) => page.evaluate((h) => { location.hash = h; }, hash),
  };
}
