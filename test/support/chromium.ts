/** Headless Chromium for the HTML page tests: Debian's /usr/bin/chromium driven by playwright-core, offline. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM);
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export interface OfflineBrowser {
  browser: Browser;
  context: BrowserContext;
  /** every non-file:// URL a page tried to load (all refused) */
  blockedRequests: string[];
}

/** A browser whose context refuses every request but file:// ones, and records them. */
export async function launchOffline(viewport = { width: 1400, height: 900 }): Promise<OfflineBrowser> {
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const context = await browser.newContext({ viewport, offline: true });
  const blockedRequests: string[] = [];
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blockedRequests.push(url);
    return route.abort();
  });
  return { browser, context, blockedRequests };
}

/** Collects console errors and uncaught page errors into `errors`. */
export function recordErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(String(error)));
}

/** Painted pixels (alpha > 0) of every canvas matching `selector`, in document order. */
export function paintedPixels(page: Page, selector: string): Promise<number[]> {
  return page.evaluate((sel) => Array.from(document.querySelectorAll(sel)).map((node) => {
    const canvas = node as HTMLCanvasElement;
    if (canvas.width === 0 || canvas.height === 0) return 0;
    const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    let painted = 0;
    for (let p = 3; p < pixels.length; p += 4) if (pixels[p]! > 0) painted += 1;
    return painted;
  }), selector);
}
