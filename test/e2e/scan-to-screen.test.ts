/**
 * A scan on screen in the frame after it: the scan event carries what the core resolved, and the
 * screen it opens shows that at once, with no call to the station answered first. The screen's own
 * load (history, serial number, the place's site) comes after, once, and the history of screens
 * (Back) holds each scanned device. A scan a workflow session takes is shown from the scan's answer.
 */
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sv } from '../../renderer/src/i18n/sv';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation } from './browser';
import { feedbackSeq, scanKeys } from './wedge';

let at: BrowserStation;
let page: Page;
const { all } = queries(() => at.station.store);

/** The loads of a scanned thing's page (a device, an article, a location), held until the test lets them through. */
const PAGE_LOADS = new Set(['stock.individual', 'stock.article', 'stock.location']);
let holding = false;
let release: () => void = () => undefined;
let held: Promise<void> = Promise.resolve();
const hold = () => {
  holding = true;
  held = new Promise((r) => (release = r));
};
const letThrough = () => {
  holding = false;
  release();
};
/** Every call the page made, by name, with the id it asked for; and those answered. */
let asked: { name: string; id?: string }[] = [];
let answered: { name: string; id?: string }[] = [];

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-scan-screen-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.route('**/api/call', async (route: Route) => {
    const call = (route.request().postDataJSON() ?? {}) as { name?: string; input?: { id?: string } };
    const c = { name: call.name ?? '', ...(call.input?.id ? { id: call.input.id } : {}) };
    asked.push(c);
    if (holding && PAGE_LOADS.has(c.name)) await held;
    await route.continue();
  });
  page.on('requestfinished', (r) => {
    if (!r.url().endsWith('/api/call')) return;
    const call = (r.postDataJSON() ?? {}) as { name?: string; input?: { id?: string } };
    answered.push({ name: call.name ?? '', ...(call.input?.id ? { id: call.input.id } : {}) });
  });
});

/** Lena, a warehouse worker, signed in (once). */
const signedIn = async () => {
  if (!(await page.getByRole('button', { name: 'Logga ut' }).isVisible())) await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
};
afterAll(() => at?.close());

const heading = () => page.getByRole('heading', { level: 1 }).textContent();
const mainText = () => page.locator('main').textContent();

describe('scan to screen', () => {
  it('shows a scanned device at once as the core resolved it, before any load answers, and loads the rest once', async () => {
    await signedIn();
    await page.evaluate(() => (location.hash = '#/scan'));
    await expect.poll(heading).toBe('Skanningsstation');
    // Two devices in stock, each on a shelf of its own.
    const inStock = all<{ id: string; n: string; name: string; status: keyof typeof sv.status; code: string; site: string }>(
      `select i.id, i.individual_number as n, a.name, i.status, l.code, s.name as site
       from individuals i join articles a on a.id = i.article_id join locations l on l.id = i.location_id join sites s on s.id = l.site_id
       where i.status = 'in_stock' order by i.individual_number limit 50`,
    );
    const a = inStock[0];
    const b = inStock.find((x) => x.code !== a?.code && !x.code.includes(a!.code) && !a!.code.includes(x.code));
    expect(a && b).toBeTruthy();

    hold();
    asked = [];
    answered = [];
    await scanKeys(page, a!.n);
    // What the scan resolved is on screen while the device's own load is still held: number, article, status, place.
    await expect.poll(heading).toBe(`${a!.n} ${a!.name}`);
    expect(await mainText()).toContain(sv.status[a!.status]);
    expect(await mainText()).toContain(a!.code);
    // Nothing about the device was loaded to show it: the scan's own answer and event carried it.
    expect(answered.filter((c) => c.name.startsWith('stock.'))).toEqual([]);
    await expectAccessible(page, 'a scanned device, its page still loading');

    // Another device scanned on this page: it is shown at once, never the one before under its number.
    await scanKeys(page, b!.n);
    await expect.poll(heading).toBe(`${b!.n} ${b!.name}`);
    expect(await mainText()).toContain(b!.code);
    expect(await mainText()).not.toContain(a!.code);
    expect(answered.filter((c) => c.name.startsWith('stock.'))).toEqual([]);

    // The load answers: the page shows the rest (the place with its site, the history), the heading as it was.
    letThrough();
    await expect.poll(() => page.getByTestId('individual-where').textContent()).toContain(`${b!.site}: ${b!.code}`);
    await expect.poll(() => page.getByRole('heading', { name: sv.individual.history }).isVisible()).toBe(true);
    expect(await heading()).toBe(`${b!.n} ${b!.name}`);
    // Each device's page was loaded at most once, the one shown exactly once: no second load after the scan.
    await page.waitForTimeout(300);
    expect(asked.filter((c) => c.name === 'stock.individual' && c.id === b!.id)).toHaveLength(1);
    expect(asked.filter((c) => c.name === 'stock.individual' && c.id === a!.id).length).toBeLessThanOrEqual(1);
    await expectAccessible(page, 'a scanned device, its page loaded');

    // Back goes to the device scanned before, and Back again to the scanning station.
    await page.goBack();
    await expect.poll(heading).toBe(`${a!.n} ${a!.name}`);
    await expect.poll(() => page.getByTestId('individual-where').textContent()).toContain(`${a!.site}: ${a!.code}`);
    await page.goBack();
    await expect.poll(heading).toBe('Skanningsstation');
    await page.goForward();
    await expect.poll(heading).toBe(`${a!.n} ${a!.name}`);
    expect(page.url()).toContain(`#/individual/${a!.id}`);

    // A location scanned: its code and site at once, its contents when its load answers.
    hold();
    answered = [];
    await scanKeys(page, b!.code);
    await expect.poll(heading).toBe(b!.code);
    expect(await mainText()).toContain(b!.site);
    expect(answered.filter((c) => c.name.startsWith('stock.'))).toEqual([]);
    letThrough();
    await expect.poll(() => page.getByRole('heading', { name: sv.location.contents }).isVisible()).toBe(true);
    await expectAccessible(page, 'a scanned location');
  });

  it("shows a workflow session's answer to a wedge scan from the scan's own answer, with no second call", async () => {
    await signedIn();
    const [order] = all<{ po: string }>('select po_number as po from purchase_orders order by po_number limit 1');
    await page.evaluate(() => (location.hash = '#/receive'));
    await expect.poll(() => page.getByTestId('prompt').textContent()).not.toBe('');
    // A moment for the session to open, then only what the scan brings.
    await page.waitForTimeout(300);
    const before = await feedbackSeq(page);
    asked = [];
    await scanKeys(page, order!.po);
    // The session took the order: the screen shows it.
    await expect.poll(() => page.locator('main').textContent()).toContain(order!.po);
    await expect.poll(() => feedbackSeq(page)).not.toBe(before);
    await page.waitForTimeout(300);
    expect(asked.map((c) => c.name)).toEqual(['scan.submit']);
    await expectAccessible(page, 'goods receipt after a scan');
  });

  it('shows a device opened by a link, not a scan, from its own load, never the device before under its address', async () => {
    const [c, d] = all<{ id: string; n: string; name: string }>(
      "select i.id, i.individual_number as n, a.name from individuals i join articles a on a.id = i.article_id where i.status = 'in_stock' order by i.individual_number desc limit 2",
    );
    await signedIn();
    await page.evaluate((id) => (location.hash = `#/individual/${id}`), d!.id);
    await expect.poll(heading).toBe(`${d!.n} ${d!.name}`);
    hold();
    await page.evaluate((id) => (location.hash = `#/individual/${id}`), c!.id);
    // Nothing scanned names it: the page says it is loading until its load answers (the device before is not shown meanwhile), then shows the record.
    await expect.poll(() => page.locator('main[aria-busy="true"]').textContent()).toContain(sv.app.loading);
    expect(await page.getByRole('heading', { level: 1 }).count()).toBe(0);
    letThrough();
    await expect.poll(heading).toBe(`${c!.n} ${c!.name}`);
    expect(await page.getByRole('heading', { name: sv.individual.history }).isVisible()).toBe(true);
  });
});
