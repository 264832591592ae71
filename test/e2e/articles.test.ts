/**
 * The article range kept at the station: a supervisor creates an article (a wrong ISO code is
 * refused in words they can act on, nothing saved), changes it and puts it in an equivalence group,
 * and each change is queued for the register; a warehouse worker sees the article but no way to
 * change it.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn } from './browser';

let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-articles-') }));
});
afterAll(() => close?.());

describe('articles kept at the station', () => {
  it('lets a supervisor create and change an article, refusing a wrong ISO code, and shows a worker no way to change it', async () => {
    const { one } = queries(station.store);
    await page.setViewportSize({ width: 1366, height: 768 });
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await page.evaluate(() => (location.hash = '#/new-article'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Ny artikel');
    const form = page.getByTestId('article-editor');
    await form.getByLabel('Artikelnummer').fill('R-900100');
    await form.getByLabel('Benämning').fill('Rollator Nordic lätt');
    await form.getByLabel('ISO 9999').fill('999999');
    await form.getByLabel('Leverantör').fill('Nordic Mobility AB');
    await form.getByLabel('Inköpspris (kr)').fill('2 499,50');
    await form.getByLabel('Hyrs ut och följs per individ').check();
    await form.getByLabel('Likvärdighetsgrupp').fill('Rollator lätt');
    await form.getByLabel('GTIN (en per rad)').fill('07350000000016');
    await expectAccessible(page, 'new article');
    await form.getByRole('button', { name: 'Spara artikeln' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Ange en ISO 9999-kod som regionen förskriver');
    expect(one("select count(*) as n from articles where article_number = 'R-900100'")).toEqual({ n: 0 });

    await form.getByLabel('ISO 9999').fill('120606');
    await form.getByRole('button', { name: 'Spara artikeln' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rollator Nordic lätt');
    const saved = one<{ id: string; price: number; rentable: number; group: string }>(
      "select id, purchase_price as price, rentable, equivalence_group as \"group\" from articles where article_number = 'R-900100'",
    );
    expect(saved).toMatchObject({ price: 249_950, rentable: 1, group: 'Rollator lätt' });
    await expect.poll(() => page.locator('dl.facts').textContent()).toMatch(/Senast ändrad\s*Karin Lundberg/);

    // Changed on its page.
    await page.getByRole('button', { name: 'Ändra artikeln' }).click();
    await page.getByTestId('article-editor').getByLabel('Benämning').fill('Rollator Nordic lätt, blå');
    await page.getByTestId('article-editor').getByRole('button', { name: 'Spara artikeln' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rollator Nordic lätt, blå');
    expect(one<{ n: number }>("select count(*) as n from outbox where kind = 'entities' and payload like ?", `%["article","${saved.id}",%`).n).toBe(2);
    await expectAccessible(page, 'article page, supervisor');

    // A warehouse worker sees it, and no way to change it.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Lena Nilsson', '1111');
    await page.evaluate((id) => (location.hash = `#/article/${id}`), saved.id);
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Rollator Nordic lätt, blå');
    expect(await page.getByRole('button', { name: 'Ändra artikeln' }).count()).toBe(0);
    // Reached by its address, the form is there, and the core refuses the worker's article.
    await page.evaluate(() => (location.hash = '#/new-article'));
    const worker = page.getByTestId('article-editor');
    await worker.getByLabel('Artikelnummer').fill('R-900101');
    await worker.getByLabel('Benämning').fill('Smygartikel');
    await worker.getByLabel('ISO 9999').fill('120606');
    await worker.getByLabel('Leverantör').fill('X AB');
    await worker.getByRole('button', { name: 'Spara artikeln' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Din roll får inte göra det här');
    expect(one("select count(*) as n from articles where article_number = 'R-900101'")).toEqual({ n: 0 });
  });

  it('lets a supervisor keep the delivery points with their addresses and an administrator the sites', async () => {
    const { one } = queries(station.store);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await page.evaluate(() => (location.hash = '#/places'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Förråd och leveransställen');
    await page.getByRole('button', { name: 'Nytt leveransställe' }).click();
    const form = page.getByRole('form', { name: 'Nytt leveransställe' });
    await form.getByLabel('Namn').fill('Bodens vårdcentral');
    await form.getByLabel('Gatuadress').fill('Sjukhusvägen 3');
    await form.getByLabel('Postnummer').fill('961');
    await form.getByLabel('Ort').fill('Boden');
    await form.getByLabel('Kommun').fill('Boden');
    await form.getByLabel('Rutt').fill('Rutt Boden');
    await form.getByLabel('Veckodag').selectOption({ label: 'tisdag' });
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Postnumret har fem siffror');
    expect(one("select count(*) as n from delivery_points where name = 'Bodens vårdcentral'")).toEqual({ n: 0 });
    await form.getByLabel('Postnummer').fill('96185');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('places-note').textContent()).toBe('Leveransstället Bodens vårdcentral är sparat.');
    await expect.poll(() => page.getByTestId('delivery-points').getByRole('row', { name: /Bodens vårdcentral/ }).textContent()).toMatch(/Sjukhusvägen 3, 961 85 Boden.*Rutt Boden, tisdag.*Karin Lundberg/);
    // A supervisor changes no site.
    expect(await page.getByRole('button', { name: /Ändra förrådet/ }).count()).toBe(0);
    await expectAccessible(page, 'places, supervisor');

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Per Åström', '9991');
    await page.evaluate(() => (location.hash = '#/places'));
    await page.getByRole('button', { name: /Ändra förrådet Centralförrådet|Ändra förrådet .*Boden/ }).first().click();
    const siteForm = page.getByRole('form', { name: /Ändra förrådet/ });
    await siteForm.getByLabel('Gatuadress').fill('Förrådsgatan 1');
    await siteForm.getByLabel('Postnummer').fill('961 44');
    await siteForm.getByLabel('Ort').fill('Boden');
    await siteForm.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('sites').textContent()).toContain('Förrådsgatan 1, 961 44 Boden');
    expect(one<{ n: number }>("select count(*) as n from outbox where kind = 'entities' and payload like '%[\"site\",%'").n).toBe(1);
    await expectAccessible(page, 'places, administrator');
  });
});
