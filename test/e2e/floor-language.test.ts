/**
 * The station in Swedish at a 1366×768 screen, in a browser whose own language is American
 * English: one of a thing in the singular, names in Swedish alphabetical order, decimal commas,
 * refusals that name the field as the screen does, and a wrong PIN without "Något gick fel".
 */
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn } from './browser';
import { typeAsScanner } from './wedge';

let browser: Browser;
let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  // Chromium as a station bought abroad would start it: American English, whatever the station says.
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--lang=en-US'],
  });
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-language-') }, { browser }));
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(async () => {
  await close?.();
  await browser?.close();
});

/** The station's API as a demo user, for what a test sets up before the screens are looked at. */
async function as(name: string) {
  const users = await station.api.call({ name: 'auth.users', input: {} });
  if (!users.ok) throw new Error('no users');
  const user = (users.value as { id: string; name: string }[]).find((u) => u.name === name)!;
  const signedIn = await station.api.call({ name: 'auth.signIn', input: { userId: user.id, pin: DEMO_USERS.find((u) => u.name === name)!.pin } });
  if (!signedIn.ok) throw new Error(JSON.stringify(signedIn.error));
  const session = (signedIn.value as { session: string }).session;
  return async <T>(call: string, input: unknown): Promise<T> => {
    const r = await station.api.call({ name: call, input, session });
    if (!r.ok) throw new Error(`${call}: ${JSON.stringify(r.error)}`);
    return r.value as T;
  };
}

const go = (hash: string) => page.evaluate((h) => void (location.hash = h), hash);
const alertText = () => page.getByRole('alert').first().textContent();

describe('the station in Swedish on the floor', () => {
  it('says "1 rad" and "1 avvikelse" for one of a thing, on the count and its report', async () => {
    const { one } = queries(station.store);
    // A bin holding one article only, bulk goods: a spot count of it finds one fewer.
    const bin = one<{ locationId: string; code: string; articleId: string; quantity: number }>(
      `select b.location_id as locationId, l.code, b.article_id as articleId, b.quantity from balances b
       join locations l on l.id = b.location_id join station s on s.site_id = l.site_id join articles a on a.id = b.article_id
       where l.level = 'bin' and l.retired_at is null and a.tracking = 'none' and a.rentable = 0 and b.quantity >= 2
         and (select count(*) from balances x where x.location_id = b.location_id and x.quantity <> 0) = 1
         and not exists (select 1 from individuals i where i.location_id = b.location_id)
       order by l.code limit 1`,
    );
    const karin = await as('Karin Lundberg');
    const count = await karin<{ id: string; number: string }>('count.plan', { kind: 'spot', locationIds: [bin.locationId], blind: false, thresholdQuantity: 1000, thresholdValueSek: 1_000_000 });
    await karin('count.start', { countId: count.id, locationId: bin.locationId });
    await karin('count.article', { countId: count.id, locationId: bin.locationId, articleId: bin.articleId, quantity: bin.quantity - 1 });
    await karin('count.finish', { countId: count.id, locationId: bin.locationId });

    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await go(`#/count/${count.id}`);
    const approve = page.getByRole('button', { name: /^Godkänn 1 rad och boka den$/ });
    await expect.poll(() => approve.isVisible()).toBe(true);
    expect(await page.locator('main').textContent()).toContain('1 avvikelse, värde');
    expect(await page.locator('main').textContent()).not.toMatch(/\b1 (rader|avvikelser|individer|platser)\b/);
    await expectAccessible(page, 'count review');
    await approve.click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toContainEqual(expect.stringContaining('1 rad godkänd, 1 justering bokad.'));
    await expect.poll(() => page.getByTestId('report-total').textContent()).toMatch(/1 plats, 1 rad, 1 avvikelse, värde netto/);
    expect(await page.getByTestId('report-total').textContent()).toContain('0 saknade individer och 0 hittade individer');
    await expectAccessible(page, 'count report');
  });

  it('lists names in Swedish alphabetical order: Å, Ä and Ö after Z', async () => {
    const { one } = queries(station.store);
    const like = one<{ address: string; postcode: string; town: string; municipality: string; route: string; weekday: number }>(
      'select p.address, p.postcode, p.town, p.municipality, p.route, p.weekday from delivery_points p join station s on s.site_id = p.site_id where p.retired_at is null order by p.name limit 1',
    );
    const karin = await as('Karin Lundberg');
    // Saved in an order of their own; byte order would put Ä before Å, and lower case after both.
    for (const name of ['Örnäset', 'Ängsgården', 'Åkerbacken', 'Zakrisgården', 'Alvik'])
      await karin('places.savePoint', { id: null, name, address: like.address, postcode: like.postcode, town: like.town, municipality: like.municipality, route: like.route, weekday: like.weekday });

    await go('#/places');
    const table = page.getByTestId('delivery-points');
    await expect.poll(() => table.textContent()).toContain('Örnäset');
    const rows = await table.locator('tbody tr').allTextContents();
    const at = (name: string) => rows.findIndex((r) => r.includes(name));
    expect(at('Alvik')).toBeGreaterThanOrEqual(0);
    expect(at('Alvik')).toBeLessThan(at('Zakrisgården'));
    expect(at('Zakrisgården')).toBeLessThan(at('Åkerbacken'));
    expect(at('Åkerbacken')).toBeLessThan(at('Ängsgården'));
    expect(at('Ängsgården')).toBeLessThan(at('Örnäset'));
    await expectAccessible(page, 'places');
  });

  it('writes a price with a decimal comma, in a browser set to American English', async () => {
    const { one } = queries(station.store);
    const article = one<{ id: string }>("select id from articles where rentable = 0 and tracking = 'none' order by article_number limit 1");
    await go(`#/article/${article.id}`);
    await page.getByRole('button', { name: 'Ändra artikeln' }).click();
    await page.getByLabel('Inköpspris (kr)').fill('1234,5');
    await page.getByRole('button', { name: 'Spara artikeln' }).click();
    await expect.poll(() => page.locator('dl.facts').textContent()).toContain('1\u00a0234,5 kr');
    await expectAccessible(page, 'article');
  });

  it('names the field as the screen does when it refuses an input', async () => {
    await go('#/counts');
    await page.getByLabel('Typ').selectOption({ label: 'En zon' });
    await page.getByRole('combobox', { name: /^Zon/ }).selectOption({ index: 1 });
    await page.getByLabel('Omräkning vid avvikelse över (antal)').fill('-3');
    await page.getByRole('button', { name: 'Skapa inventeringen' }).click();
    await expect.poll(alertText).toContain('"Omräkning vid avvikelse över (antal)" ska vara minst 0');
    const refusal = (await alertText())!;
    expect(refusal).not.toMatch(/thresholdQuantity|Något gick fel/);
    await expectAccessible(page, 'count planning refused');

    await go('#/printing');
    await page.getByRole('button', { name: 'Lägg till skrivare' }).click();
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await expect.poll(alertText).toMatch(/Fyll i "Adress \(skrivare \d+\)"; inget har sparats\./);
    expect(await alertText()).not.toMatch(/printers|connection|host|Något gick fel/);
    await expectAccessible(page, 'printers refused');
  });

  it('says what the test scan read in Swedish, not in the words of its drivers', async () => {
    const { one } = queries(station.store);
    const individual = one<{ n: string }>('select individual_number as n from individuals order by individual_number limit 1');
    await go('#/scanners');
    await expect.poll(() => page.getByTestId('test-scan').isVisible()).toBe(true);
    await typeAsScanner(page, individual.n);
    const card = page.getByTestId('test-scan');
    await expect.poll(() => card.textContent()).toContain('Tangentbordet');
    const text = (await card.textContent())!;
    expect(text).toContain('Individ');
    expect(text).not.toMatch(/keyboard|unknown|individual/);
    await expectAccessible(page, 'scanners test scan');
  });

  it('says a wrong PIN is wrong, without "Något gick fel"', async () => {
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await page.goto(web.openUrl);
    await page.getByRole('radio', { name: /Lena Nilsson/ }).check();
    await page.getByLabel(/PIN-kod/).fill('9876');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(alertText).toMatch(/PIN/);
    expect(await alertText()).not.toContain('Något gick fel');
    await expectAccessible(page, 'wrong PIN');
  });
});
