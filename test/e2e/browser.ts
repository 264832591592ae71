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

/** A station in browser mode with Chromium on it: what most end-to-end tests start from. */
export async function browserStation(options: StationOptions): Promise<{ browser: Browser; station: Station; web: WebServer; page: Page; close(): Promise<void> }> {
  const browser = await launchChromium();
  const station = startStation({ devices: false, ...options });
  const web = await serveBrowserMode({ api: station.api, rendererDir: join(import.meta.dirname, '..', '..', 'out', 'renderer') });
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  return {
    browser,
    station,
    web,
    page,
    async close() {
      await page.close();
      await browser.close();
      await web.close();
      await station.close();
    },
  };
}
