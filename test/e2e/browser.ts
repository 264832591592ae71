import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { chromium, type Browser, type Page } from 'playwright-core';
import { expect } from 'vitest';
import { startStation, type Station, type StationOptions } from '../../hosts/station';
import { serveBrowserMode, type WebServer } from '../../hosts/web';

const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** Debian's Chromium, headless, with nothing reaching out to the network. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
}

/** axe-core on the screen as it is: no serious or critical violations. */
export async function expectAccessible(page: Page, screen: string): Promise<void> {
  await page.evaluate(axeSource);
  const violations = await page.evaluate(async () => {
    const r = await (window as unknown as { axe: { run(): Promise<{ violations: { id: string; impact: string; nodes: { target: string[] }[] }[] }> } }).axe.run();
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
  expect(violations, screen).toEqual([]);
}

/** Signs in by picking the user and typing the PIN. */
export async function signIn(page: Page, openUrl: string, name: string, pin: string): Promise<void> {
  await page.goto(openUrl);
  await page.getByRole('radio', { name: new RegExp(name) }).check();
  await page.getByLabel(/PIN-kod/).fill(pin);
  await page.getByRole('button', { name: 'Logga in' }).click();
  await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
}

/**
 * Opens a screen from the top menu by its name: a link of its own (the home), or one in a group's
 * menu, which is opened first.
 */
export async function openFromMenu(page: Page, name: string): Promise<void> {
  const nav = page.getByRole('navigation', { name: /^(Huvudmeny|Main menu)$/ });
  const link = nav.getByRole('link', { name, exact: true });
  if (!(await link.isVisible())) await nav.locator('li.menu-group', { has: page.getByRole('link', { name, exact: true, includeHidden: true }) }).getByRole('button').click();
  await link.click();
}

/** A station served in browser mode with a page open on it in Chromium. */
export interface BrowserStation {
  browser: Browser;
  /** The running station; a new one after `restart`. */
  station: Station;
  /** Browser mode's server; a new one after `restart`. */
  web: WebServer;
  page: Page;
  /** What went wrong on the page: uncaught errors and console errors, in order. */
  errors: string[];
  /** Stops the station and its server, runs `between` on the stopped station's data dir, and starts both again on it. The page stays open. */
  restart(between?: (dataDir: string) => void | Promise<void>): Promise<void>;
  /** Closes the page, the server and the station, and the browser unless it was lent. */
  close(): Promise<void>;
}

/**
 * A station in browser mode with Chromium on it: what the end-to-end tests start from. Scanners
 * are left alone unless `devices: true`. Pass `browser` to open the page in a browser the test
 * shares between stations or tests (it is then the test's to close).
 */
export async function browserStation(options: StationOptions, lent: { browser?: Browser } = {}): Promise<BrowserStation> {
  const serve = async () => {
    const station = startStation({ devices: false, ...options });
    try {
      return { station, web: await serveBrowserMode({ api: station.api, rendererDir: join(import.meta.dirname, '..', '..', 'out', 'renderer') }) };
    } catch (e) {
      await station.close();
      throw e;
    }
  };
  const browser = lent.browser ?? (await launchChromium());
  let started: Awaited<ReturnType<typeof serve>>;
  let page: Page;
  try {
    started = await serve();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  } catch (e) {
    if (!lent.browser) await browser.close();
    throw e;
  }
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
  const at: BrowserStation = {
    browser,
    ...started,
    page,
    errors,
    async restart(between) {
      await at.web.close();
      await at.station.close();
      await between?.(options.dataDir);
      Object.assign(at, await serve());
    },
    async close() {
      await page.close();
      if (!lent.browser) await browser.close();
      await at.web.close();
      await at.station.close();
    },
  };
  return at;
}
