/**
 * Each screen's code is loaded when it is first opened: the sign-in screen loads only what it
 * needs (no charts, within a budget of bytes), a screen with charts brings the charts with it, a
 * screen that takes a while to load says so in the language on screen, and a scan made while a
 * screen loads reaches that screen once it is shown. Sizes in bytes, never times.
 */
import type { Page, Request, Response } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { typeAsScanner } from './wedge';

/** The most script the sign-in screen may load, as served (the whole renderer in one file was over 2 MB). */
const SIGN_IN_BUDGET = 450 * 1024;
/** What only the charts' library has in it (its drawing's class name). */
const CHARTS = 'recharts-surface';

let at: BrowserStation;
let page: Page;
const db = queries(() => at.station.store);

/** Every script the page loads from now on, with its text. */
function scriptsLoaded(p: Page): { loaded: Promise<{ url: string; text: string }>[] } {
  const seen = { loaded: [] as Promise<{ url: string; text: string }>[] };
  p.on('response', (r: Response) => {
    if (new URL(r.url()).pathname.endsWith('.js')) seen.loaded.push(r.text().then((text) => ({ url: r.url(), text })));
  });
  return seen;
}

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-loading-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(() => at?.close());

const signOut = async () => {
  await page.getByRole('button', { name: 'Logga ut' }).click();
  await expect.poll(() => page.getByRole('heading', { name: 'Logga in' }).isVisible()).toBe(true);
};

describe('screens loaded when they are opened', () => {
  it('shows the product\'s name while the script is still on its way, never a blank window, and then the sign-in screen', async () => {
    const fresh = await at.browser.newPage();
    try {
      // The script is held back, as on a slow PC, until the page has been looked at.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await fresh.route(/\.js$/, async (route) => {
        await held;
        await route.continue();
      });
      // The page's own scripts run before it counts as loaded: wait only for its first bytes.
      await fresh.goto(at.web.openUrl, { waitUntil: 'commit' });
      const waitingLine = fresh.locator('[aria-busy="true"]', { hasText: 'Depot Station' });
      await expect.poll(() => waitingLine.isVisible()).toBe(true);
      expect(await fresh.getByRole('radio').count()).toBe(0);
      release();
      await expect.poll(() => fresh.getByRole('radio', { name: /Karin Lundberg/ }).isVisible()).toBe(true);
      expect(await waitingLine.count()).toBe(0);
    } finally {
      await fresh.close();
    }
  });

  it('the sign-in screen loads no charts and stays within its budget; the overview brings its charts', async () => {
    // A fresh page: nothing cached from before.
    const fresh = await at.browser.newPage();
    try {
      await fresh.setViewportSize({ width: 1366, height: 768 });
      const seen = scriptsLoaded(fresh);
      await fresh.goto(at.web.openUrl);
      await expect.poll(() => fresh.getByRole('radio', { name: /Karin Lundberg/ }).isVisible()).toBe(true);
      const atSignIn = await Promise.all(seen.loaded);
      expect(atSignIn.length).toBeGreaterThan(0);
      const bytes = atSignIn.reduce((n, s) => n + Buffer.byteLength(s.text), 0);
      expect(bytes, `script loaded for the sign-in screen: ${atSignIn.map((s) => new URL(s.url).pathname).join(', ')}`).toBeLessThanOrEqual(SIGN_IN_BUDGET);
      expect(atSignIn.filter((s) => s.text.includes(CHARTS)).map((s) => s.url)).toEqual([]);
      await expectAccessible(fresh, 'sign-in');

      // The supervisor's home, the overview, draws two charts: their code comes now.
      await signIn(fresh, at.web.openUrl, 'Karin Lundberg', '4441');
      await expect.poll(() => fresh.getByRole('heading', { name: 'Översikt' }).isVisible()).toBe(true);
      await expect.poll(() => fresh.locator('figure.chart').count()).toBe(2);
      await expect.poll(() => fresh.locator('figure.chart .recharts-bar-rectangle').count()).toBeGreaterThan(0);
      const all = await Promise.all(seen.loaded);
      expect(all.some((s) => s.text.includes(CHARTS))).toBe(true);
      // Signed in, the screens a scan opens are loaded ahead of the first scan.
      for (const screen of ['IndividualPage', 'ArticlePage', 'LocationPage'])
        await expect.poll(async () => (await Promise.all(seen.loaded)).some((s) => new URL(s.url).pathname.includes(`/${screen}-`))).toBe(true);
      await fresh.mouse.move(0, 0);
      await expectAccessible(fresh, 'overview');
    } finally {
      await fresh.close();
    }
  });

  it('says a screen is loading when it takes a while, and the scan made meanwhile reaches it', async () => {
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);
    // The putaway screen's code is held back (a slow disk, a busy PC) until the scan has been made.
    let letThrough!: () => void;
    const scanned = new Promise<void>((resolve) => (letThrough = resolve));
    const held = /\/assets\/PutawayPage-[^/]*\.js$/;
    let asked = false;
    await page.route(held, async (route) => {
      asked = true;
      await scanned;
      await route.continue();
    });
    try {
      await page.evaluate(() => (location.hash = '#/putaway'));
      await expect.poll(() => asked).toBe(true);
      // A short while without anything, then a line saying so, in Swedish.
      await expect.poll(() => page.getByTestId('screen-loading').getByRole('status').textContent()).toBe('Skärmen laddas…');
      await expectAccessible(page, 'a screen loading');

      // A location scanned before the goods: the putaway session, once the screen is there, answers it.
      const bin = db.one<{ code: string }>("select code from locations where level = 'bin' order by code limit 1").code;
      await typeAsScanner(page, bin);
      await expect.poll(async () => (await at.station.api.scanning.overview()).lastScan?.text).toBe(bin);
      letThrough();
      await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Inlagring');
      await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('Skanna varan först');
      await expectAccessible(page, 'putaway, after the scan made while it loaded');
    } finally {
      letThrough();
      await page.unroute(held);
    }
    await signOut();
  });

  it('hands a scan held for a screen to no one else: not to the next person after a sign-out, not to another screen', async () => {
    // Every scan the page sends to the station, by what it read.
    const sent: string[] = [];
    const listen = (r: Request) => {
      const body = r.url().endsWith('/api/call') ? r.postData() : null;
      if (body?.includes('"scan.submit"')) sent.push((JSON.parse(body) as { input: { raw: string } }).input.raw);
    };
    // Workflow sessions opened, once the station has answered (a held scan would be sent right after).
    const opened: string[] = [];
    const answered = (r: Response) => {
      const body = r.url().endsWith('/api/call') ? r.request().postData() : null;
      if (body?.includes('"workflow.open"')) opened.push((JSON.parse(body) as { input: { workflow: string } }).input.workflow);
    };
    page.on('request', listen);
    page.on('response', answered);
    let letThrough!: () => void;
    const gate = new Promise<void>((resolve) => (letThrough = resolve));
    const held = /\/assets\/PickPage-[^/]*\.js$/;
    let asked = false;
    await page.route(held, async (route) => {
      asked = true;
      await gate;
      await route.continue();
    });
    try {
      await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
      await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);
      await page.evaluate(() => (location.hash = '#/pick'));
      await expect.poll(() => asked).toBe(true);
      await expect.poll(() => page.getByTestId('screen-loading').count()).toBe(1);
      // Lena scans a device while picking loads, then signs out before it has loaded.
      const device = db.one<{ n: string }>("select individual_number as n from individuals where status = 'in_stock' order by individual_number limit 1").n;
      await typeAsScanner(page, device);
      await expect.poll(() => sent.filter((raw) => raw === device).length).toBe(1);
      await signOut();
      letThrough();

      // The technician's workshop opens on its own session: Lena's scan is not sent again into it.
      await signIn(page, at.web.openUrl, 'Anders Björk', '3331');
      await expect.poll(() => page.getByRole('heading', { name: 'Rekonditionering', level: 1 }).isVisible()).toBe(true);
      await expect.poll(() => opened.includes('service')).toBe(true);
      // A scan of the technician's own is the first the station hears from this page after Lena's.
      await typeAsScanner(page, 'CMD-CANCEL');
      await expect.poll(() => sent.at(-1)).toBe('CMD-CANCEL');
      expect(sent.filter((raw) => raw === device)).toEqual([device]);
    } finally {
      letThrough();
      await page.unroute(held);
      page.off('request', listen);
      page.off('response', answered);
    }
    await signOut();
  });

  it('in English, the loading line is English', async () => {
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('en');
    let letThrough!: () => void;
    const gate = new Promise<void>((resolve) => (letThrough = resolve));
    const held = /\/assets\/AuditPage-[^/]*\.js$/;
    await page.route(held, async (route) => {
      await gate;
      await route.continue();
    });
    try {
      await page.evaluate(() => (location.hash = '#/audit'));
      await expect.poll(() => page.getByTestId('screen-loading').getByRole('status').textContent()).toBe('Loading the screen…');
      letThrough();
      await expect.poll(() => page.getByTestId('screen-loading').count()).toBe(0);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).isVisible()).toBe(true);
    } finally {
      letThrough();
      await page.unroute(held);
    }
    await page.getByRole('button', { name: 'Svenska' }).click();
    await signOut();
  });
});
