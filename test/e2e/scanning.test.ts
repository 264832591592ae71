/**
 * Scanning end to end: a scanner on a real serial line (a socat pty pair) and a keyboard-wedge
 * scanner drive the station in the browser.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { queries, tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';
import { browserStation, expectAccessible as checkAccessible, launchChromium, signIn as signInAs, type BrowserStation, openFromMenu } from './browser';
import { scanKeys } from './wedge';

let browser: Browser;
let at: BrowserStation;
let page: Page;
let pty: PtyPair;
const { one } = queries(() => at.station.store);

beforeAll(async () => {
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
});
beforeEach(async () => {
  const dir = tempDir('depot-e2e-scan-');
  pty = await ptyPair(dir);
  at = await browserStation({ dataDir: dir, devices: true }, { browser });
  page = at.page;
});
afterEach(async () => {
  await at.close();
  await pty.unplug().catch(() => undefined);
});

const signIn = (name: string, pin: string) => signInAs(page, at.web.openUrl, name, pin);
const expectAccessible = (screen: string) => checkAccessible(page, screen);

describe('scanners in browser mode', () => {
  it('sets up a serial scanner on the settings screen, then its scans open what they name', async () => {
    const ind = one<{ n: string }>('select individual_number as n from individuals order by individual_number limit 1');
    const loc = one<{ code: string }>("select code from locations where level = 'bin' order by code limit 1");
    // Scanners are set up by a supervisor.
    await signIn('Karin Lundberg', '4441');
    await openFromMenu(page, 'Skannrar');
    await expect.poll(() => page.getByRole('heading', { name: 'Skannrar', level: 1 }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Lägg till skanner' }).click();
    await page.getByLabel('Port eller enhet').fill(pty.station);
    await page.getByLabel('Avslut').selectOption('CRLF');
    await page.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('scanner-state-0').textContent()).toBe('Ansluten');
    await expectAccessible('scanners');

    // A test scan shows what the station reads, without leaving the settings screen.
    pty.write(`]C1${'01'}07350000000009\r\n`);
    await expect.poll(() => page.getByTestId('test-scan').textContent()).toContain('GS1-128');

    await openFromMenu(page, 'Skanna');
    pty.write(`${ind.n}\r\n`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(ind.n);
    pty.write(`${loc.code}\r\n`);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe(loc.code);

    // An unknown barcode and garbage on the line each say so, and change nothing.
    const before = one('select count(*) as n from movements');
    pty.write('NO-SUCH-CODE-42\r\n');
    await expect.poll(() => page.getByTestId('scan-toast').textContent()).toContain('Okänd streckkod "NO-SUCH-CODE-42"');
    pty.write('\x07\x01\x02\r\n');
    await expect.poll(() => page.getByTestId('scan-toast').textContent()).toContain('oläsbara tecken');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe(loc.code);
    expect(one('select count(*) as n from movements')).toEqual(before);

    // The settings stay with the station.
    expect(one("select value from station_settings where key = 'scanners'")).toBeTruthy();
  });

  it('takes a keyboard-wedge scanner burst anywhere outside a text field, and leaves typing alone', async () => {
    const ind = one<{ n: string }>('select individual_number as n from individuals order by individual_number desc limit 1');
    await signIn('Karin Lundberg', '4441');
    await expect.poll(() => page.getByRole('heading', { name: 'Översikt' }).isVisible()).toBe(true);
    await page.locator('h1').click();
    await scanKeys(page, ind.n);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toContain(ind.n);

    // Typed into the search field, the same characters stay in the field.
    await openFromMenu(page, 'Sök i lager');
    const box = page.getByRole('combobox');
    await box.click();
    await page.keyboard.type('A1000', { delay: 4 });
    expect(await box.inputValue()).toBe('A1000');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Sök i lager');
  });
});
