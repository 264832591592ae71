/**
 * The station end to end in browser mode: a real database with the demo data, the real HTTP +
 * WebSocket transport, the built renderer, and Debian's Chromium driven by Playwright.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible as checkAccessible, launchChromium, signIn as signInAs, type BrowserStation, openFromMenu } from './browser';
import { scanKeys } from './wedge';

let browser: Browser;
let at: BrowserStation;
let page: Page;
const { one } = queries(() => at.station.store);

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});

beforeEach(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-') }, { browser });
  page = at.page;
});
afterEach(async () => {
  const errors = at.errors.splice(0);
  await at.close();
  expect(errors).toEqual([]);
});

const expectAccessible = (screen: string) => checkAccessible(page, screen);
const signIn = (name: string, pin: string) => signInAs(page, at.web.openUrl, name, pin);

describe('station in browser mode', () => {
  it('signs in, finds a device by typing its code, and shows where it is and its whole history', async () => {
    const ind = one<{ id: string; number: string; location: string; moves: number }>(
      `select i.id, i.individual_number as number, l.code as location, (select count(*) from movements m where m.individual_id = i.id) as moves
       from individuals i join locations l on l.id = i.location_id where i.status = 'in_stock' order by i.individual_number limit 1`,
    );

    await page.goto(at.web.openUrl);
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in' }).isVisible()).toBe(true);
    await expectAccessible('sign-in');

    // A wrong PIN is refused with a message, and nothing else happens.
    await page.getByRole('radio', { name: /Lena Nilsson/ }).check();
    await page.getByLabel(/PIN-kod/).fill('0000');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Fel PIN-kod. 4 försök kvar');

    await page.getByLabel(/PIN-kod/).fill('1111');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);
    await expectAccessible('scanning station');

    await openFromMenu(page, 'Sök i lager');
    const box = page.getByRole('combobox', { name: 'Sök eller skanna' });
    await box.pressSequentially(ind.number.toLowerCase().slice(0, 4), { delay: 20 });
    await expect.poll(() => page.getByRole('option').count()).toBeGreaterThan(10);
    await expectAccessible('search');
    await box.fill(ind.number.toLowerCase());
    await expect.poll(() => page.getByRole('option').first().textContent()).toContain(ind.number);
    await box.press('Enter');

    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(ind.number);
    expect(await page.getByTestId('individual-where').textContent()).toContain(ind.location);
    expect(await page.getByTestId('individual-status').textContent()).toBe('I lager');
    await expect.poll(() => page.getByTestId('history').locator('tbody tr').count()).toBe(ind.moves);
    expect(await page.getByTestId('history').locator('tbody tr').first().textContent()).toContain(ind.location);
    await expectAccessible('individual');

    // The article page shows where the article is, per depot and location.
    await page.getByRole('link', { name: /^A\d{6}$/ }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Saldo per förråd och plats' }).isVisible()).toBe(true);
    expect(await page.getByRole('link', { name: ind.location }).count()).toBeGreaterThan(0);
    await expectAccessible('article');

    await page.getByRole('link', { name: ind.location }).first().click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(ind.location);
    await expectAccessible('location');
  });

  it('opens a device by scanning at the station screen, and says so when a code is unknown', async () => {
    const ind = one<{ number: string }>('select individual_number as number from individuals order by individual_number desc limit 1');
    await signIn('Lena Nilsson', '1111');
    const scan = page.getByRole('textbox', { name: 'Skanna en kod' });
    await expect.poll(() => scan.isVisible()).toBe(true);
    // A keyboard-wedge scanner types fast and ends with Enter.
    await scan.pressSequentially('XYZ-NOPE', { delay: 5 });
    await scan.press('Enter');
    await expect.poll(() => page.getByTestId('scan-toast').textContent()).toContain('Okänd streckkod "XYZ-NOPE"');
    await expectAccessible('unknown code');
    // A scanner whose first key comes late, into the scan field: the field's whole code is the scan.
    await scan.focus();
    await scanKeys(page, ind.number, { firstKeyLateMs: 120 });
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(ind.number);
  });

  it('works with the keyboard alone: sign in, search, pick a hit with the arrow keys, open it', async () => {
    await page.goto(at.web.openUrl);
    await expect.poll(() => page.getByRole('radio').count()).toBeGreaterThan(3);
    // The first user has focus; arrow keys move through the list, Enter goes on to the PIN.
    const users = await page.getByRole('radio').evaluateAll((els) => els.map((e) => e.parentElement!.textContent ?? ''));
    const lena = users.findIndex((u) => u.includes('Lena Nilsson'));
    await page.keyboard.press('Space');
    for (let i = 0; i < lena; i++) await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);

    await page.goto(`${at.web.url}#/search`);
    await expect.poll(() => page.getByRole('combobox').evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('rollator');
    await expect.poll(() => page.getByRole('option').count()).toBeGreaterThan(2);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const third = (await page.getByRole('option').nth(2).textContent())!;
    expect(await page.getByRole('option', { selected: true }).textContent()).toBe(third);
    await page.keyboard.press('Enter');
    const number = /A\d{6}/.exec(third)![0];
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(third.replace(/^Artikel/, '').replace(number, '').replace(/120606$/, '').trim());
    expect(await page.locator('.eyebrow').textContent()).toContain(number);
  });

  it('signs in with a badge scanned by a keyboard scanner, then the PIN', async () => {
    await page.goto(at.web.openUrl);
    await expect.poll(() => page.getByRole('radio').count()).toBeGreaterThan(3);
    await scanKeys(page, 'U1001');
    await expect.poll(() => page.getByRole('radio', { name: /Lena Nilsson/ }).isChecked()).toBe(true);
    expect(await page.getByLabel(/PIN-kod/).evaluate((e) => e === document.activeElement)).toBe(true);
    await page.keyboard.type('1111');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('heading', { name: 'Skanningsstation' }).isVisible()).toBe(true);
  });

  it('shows each role its own screens, in Swedish or English', async () => {
    await signIn('Karin Lundberg', '4441');
    await expect.poll(() => page.getByRole('heading', { name: 'Översikt' }).isVisible()).toBe(true);
    // Two charts, each drawn with its bars and with its figures as a table behind it.
    await expect.poll(() => page.locator('figure.chart .recharts-wrapper').count()).toBe(2);
    await expect.poll(() => page.locator('figure.chart .recharts-bar-rectangle').count()).toBeGreaterThan(0);
    expect(await page.locator('figure.chart details.chart-figures table').count()).toBe(2);
    await expectAccessible('overview');
    // A bar's tooltip reads as well as the page.
    await page.locator('figure.chart .recharts-bar-rectangle').first().hover();
    await expect.poll(() => page.locator('.recharts-tooltip-wrapper .recharts-default-tooltip').first().isVisible()).toBe(true);
    await expectAccessible('overview, a tooltip shown');
    await page.getByRole('button', { name: 'English' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Overview' }).isVisible()).toBe(true);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await openFromMenu(page, 'Workshop queue');
    // The queue says what it counts, unlike the workshop board's open jobs at this site.
    await expect.poll(() => page.getByText(/individuals waiting: returned, in cleaning, reconditioning or quarantine, at every site of the station/).isVisible()).toBe(true);
    await expect.poll(() => page.getByRole('listitem').count()).toBeGreaterThan(5);
    await expectAccessible('queue');
    await openFromMenu(page, 'Depot');
    await expect.poll(() => page.getByText(/articles in stock/).isVisible()).toBe(true);
    await expectAccessible('depot');
    await page.getByRole('button', { name: 'Svenska' }).click();
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Logga in' }).isVisible()).toBe(true);

    // A technician starts at the reconditioning board and cannot open the supervisor overview.
    await page.getByRole('radio', { name: /Anders Björk/ }).check();
    await page.getByLabel(/PIN-kod/).fill('3331');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Rekonditionering', level: 1 }).isVisible()).toBe(true);
    await expectAccessible('reconditioning board');
    expect(await page.getByRole('link', { name: 'Översikt' }).count()).toBe(0);
  });
});
