/** Location management in the browser: a supervisor adds an aisle of shelves and bins, empties a location into another, and sees an article's reorder settings and stock over time. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, openFromMenu } from './browser';

let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-loc-') }));
});
afterAll(() => close?.());

describe('locations in browser mode', () => {
  it('shows a refused place where the worker pressed the button, saying what is wrong with it', async () => {
    const { one } = queries(station.store);
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Platser');
    await expect.poll(() => page.getByRole('heading', { name: 'Lagerplatser', level: 1 }).isVisible()).toBe(true);
    const inView = (testId: string) =>
      page.getByTestId(testId).evaluate((el) => {
        const box = el.getBoundingClientRect();
        return box.height > 0 && box.top >= 0 && box.bottom <= window.innerHeight;
      });
    const site = one<{ code: string }>('select s.code from sites s join station st on st.site_id = s.id');
    const zone = one<{ code: string }>("select code from locations l join station st on st.site_id = l.site_id where l.level = 'zone' and l.retired_at is null order by code limit 1");
    // A single shelf whose code has an Ö after the site's code: the form is at the bottom of the page, and so is its answer.
    await page.getByLabel('Nivå').selectOption({ label: 'Hylla' });
    await page.getByLabel('Ligger under').fill(zone.code);
    await page.getByLabel('Platskod').fill(`${site.code}-Ö-01`);
    await page.getByRole('button', { name: 'Skapa platsen' }).click();
    await expect.poll(() => page.getByTestId('locations-single-outcome').textContent()).toMatch(/^Delen "Ö" har Å, Ä eller Ö/);
    expect(await inView('locations-single-outcome')).toBe(true);
    // An aisle of a range that cannot be part of a code: told about the aisle, under the range's button.
    await page.getByLabel('Gång', { exact: true }).fill('Ö');
    await page.getByRole('button', { name: 'Skapa platserna' }).click();
    await expect.poll(() => page.getByTestId('locations-range-outcome').textContent()).toMatch(/^Gången skrivs med en till tre bokstäver/);
    expect(await inView('locations-range-outcome')).toBe(true);
    expect(one<{ n: number }>('select count(*) as n from locations where code like ?', `${site.code}-Ö%`).n).toBe(0);
    await page.getByLabel('Gång', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Logga in' }).isVisible()).toBe(true);
  });

  it('creates a range, empties a location into another, and shows reorder settings and stock over time', async () => {
    const { one } = queries(station.store);
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Platser');
    await expect.poll(() => page.getByRole('heading', { name: 'Lagerplatser', level: 1 }).isVisible()).toBe(true);
    await page.getByLabel('Gång', { exact: true }).fill('Z');
    await page.getByLabel('Hyllor från').fill('1');
    await page.getByLabel('till').first().fill('2');
    await page.getByLabel('Fack från').fill('1');
    await page.getByLabel('till').nth(1).fill('3');
    await page.getByLabel('Skriv ut etiketterna').uncheck();
    await page.getByRole('button', { name: 'Skapa platserna' }).click();
    await expect.poll(() => page.getByText('9 platser skapade.').isVisible()).toBe(true);
    await expectAccessible(page, 'locations');
    const zone = one<{ code: string }>("select z.code from locations a join locations z on z.id = a.parent_id where a.code like '%-Z' and a.level = 'aisle'");
    expect(one<{ n: number }>("select count(*) as n from locations where code like ?", `${zone.code}-Z-%`).n).toBe(8);

    // A shelf with stock is emptied into the new bin by typing (or scanning) its code.
    const full = one<{ id: string; code: string; q: number }>(
      "select l.id, l.code, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id join station st on st.site_id = l.site_id where l.level = 'bin' and l.kind = 'shelf' and not exists (select 1 from individuals i where i.location_id = l.id) group by l.id order by q desc limit 1",
    );
    await page.evaluate((id) => (location.hash = `#/location/${id}`), full.id);
    await expect.poll(() => page.getByRole('heading', { name: 'Hantera platsen' }).isVisible()).toBe(true);
    await page.getByLabel('Flytta allt härifrån till').fill(`${zone.code}-Z-01-1`);
    await page.getByRole('button', { name: 'Flytta allt' }).click();
    await expect.poll(() => page.getByText(`Allt är flyttat till ${zone.code}-Z-01-1.`).isVisible()).toBe(true);
    expect(one<{ q: number }>("select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where l.code = ?", `${zone.code}-Z-01-1`).q).toBe(full.q);
    await expectAccessible(page, 'location');

    // The same by scanning alone, in the move-everything workflow: the source, then the target.
    await page.evaluate(() => (location.hash = '#/move-all'));
    const field = page.getByLabel(/Skriv en kod/);
    await field.fill(`${zone.code}-Z-01-1`);
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('prompt').textContent()).toContain(`${zone.code}-Z-01-1`);
    await field.fill(`${zone.code}-Z-02-3`);
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain(`är flyttat till ${zone.code}-Z-02-3`);
    expect(one<{ q: number }>("select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where l.code = ?", `${zone.code}-Z-02-3`).q).toBe(full.q);
    await expectAccessible(page, 'move everything');

    // A rentable article (a device's safety notice finds its individuals; bulk goods get a lot recall instead).
    const article = one<{ id: string }>(
      "select rs.article_id as id from reorder_settings rs join sites s on s.id = rs.site_id join articles a on a.id = rs.article_id where s.kind = 'central_store' and a.rentable = 1 limit 1",
    );
    await page.evaluate((id) => (location.hash = `#/article/${id}`), article.id);
    await expect.poll(() => page.getByTestId('reorder-settings').locator('tbody tr').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('stock-chart-now').textContent()).toMatch(/^Nu \d+\u00a0st på /);
    // A safety notice for the article: every individual and where it is, with a CSV.
    await page.getByRole('button', { name: 'Sök', exact: true }).click();
    await expect.poll(() => page.getByRole('link', { name: 'Ladda ner som CSV' }).isVisible()).toBe(true);
    await expectAccessible(page, 'article with reorder settings and a safety notice');
  });
});
