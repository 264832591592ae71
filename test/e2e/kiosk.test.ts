/**
 * The kiosk's basket runs in the station: a visitor scans their badge and what they take, the
 * window is reloaded in the middle, and the same basket is there with its undo; a scan while the
 * order field has focus is a scan, not typing; KLAR registers it, and the depot's shelves drop by
 * exactly that. At 1366×768, as a kiosk screen is.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, openFromMenu, signIn, type BrowserStation } from './browser';
import { scanKeys, typeAsScanner, wedge } from './wedge';

let at: BrowserStation;
let page: Page;
const db = queries(() => at.station.store);

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-kiosk-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(() => at?.close());

const lines = () => page.getByTestId('kiosk-lines').locator('tbody tr');
const basket = async () => (await lines().allTextContents()).map((t) => t.replace(/\s+/g, ' ').trim());

describe('the kiosk in browser mode', () => {
  it('starts the kiosk at the sign-out after a supervisor switches it on, without a reload, and back again', async () => {
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Förråd');
    await page.getByLabel('Kioskläge på den här stationen').check();
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await expect.poll(() => page.getByText('Sparat. Logga ut för att starta kiosken.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByText('Skanna din bricka för att börja.').isVisible()).toBe(true);
    // Staff sign in from the kiosk's start screen and switch it off: the sign-out then shows the sign-in screen.
    await page.getByRole('button', { name: 'Personal: logga in' }).click();
    await page.getByRole('radio', { name: /Karin Lundberg/ }).check();
    await page.getByLabel(/PIN-kod/).fill('4441');
    await page.getByRole('button', { name: 'Logga in' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Logga ut' }).isVisible()).toBe(true);
    await openFromMenu(page, 'Förråd');
    await page.getByLabel('Kioskläge på den här stationen').uncheck();
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    await expect.poll(() => page.getByText('Sparat. Logga ut för att starta kiosken.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Logga in' }).isVisible()).toBe(true);
    expect(await page.getByText('Skanna din bricka för att börja.').isVisible()).toBe(false);
  });

  it('keeps the basket over a reload, takes a scan into a focused field as a scan, and registers what KLAR says', async () => {
    const boss = await signedIn(at.station.api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: true, idleSeconds: 300 })).toMatchObject({ ok: true });
    const site = db.one<{ id: string }>('select site_id as id from station').id;
    // Two supplies on this site's shelves, each with a barcode.
    const [a, b] = db.all<{ id: string; number: string; gtin: string }>(
      `select a.id, a.article_number as number, min(g.gtin) as gtin from articles a join article_gtins g on g.article_id = a.id
       join balances x on x.article_id = a.id join locations l on l.id = x.location_id
       where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.rentable = 0 and a.tracking = 'none' and x.quantity > 5
       group by a.id order by a.article_number limit 2`,
      site,
    );
    const onShelves = (articleId: string) =>
      db.one<{ q: number }>("select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ? and l.kind in ('shelf', 'rack', 'floor', 'goods_in')", articleId, site).q;
    const before = { a: onShelves(a!.id), b: onShelves(b!.id) };
    const badge = db.one<{ b: string }>("select badge_code as b from users where role = 'prescriber' and active = 1 order by badge_code limit 1").b;

    // A retry starts as a new visitor would: the last attempt's visit is not this window's any more
    // (a fresh document: going to the same address would only change its hash), and what went wrong
    // on the page is counted from here.
    at.errors.length = 0;
    if (page.url().startsWith('http')) await page.evaluate(() => sessionStorage.clear());
    await page.goto('about:blank');
    await page.goto(at.web.openUrl);
    await expect.poll(() => page.getByText('Skanna din bricka för att börja.').isVisible()).toBe(true);
    await typeAsScanner(page, badge);
    await expect.poll(() => page.getByRole('heading', { name: /^Hej / }).isVisible()).toBe(true);
    await wedge(page, `]C101${a!.gtin}`);
    await wedge(page, `]C101${a!.gtin}`);
    await wedge(page, `]C101${b!.gtin}`);
    await expect.poll(() => lines().count()).toBe(2);
    const left = await basket();
    expect(left[0]).toContain(a!.number);
    await expectAccessible(page, 'kiosk basket');

    // Reloaded in the middle: the same visitor, the same basket, and undo still takes the last line off.
    await page.reload();
    await expect.poll(() => page.getByRole('heading', { name: /^Hej / }).isVisible()).toBe(true);
    await expect.poll(basket).toEqual(left);
    await wedge(page, 'CMD-UNDO');
    await expect.poll(() => lines().count()).toBe(1);
    expect(await page.getByTestId('workflow-feedback').textContent()).toBe('Sista raden borttagen.');

    // The cost centre is typed; a scan while the field still has focus goes to the basket, not into the field.
    const order = page.getByLabel('Order eller kostnadsställe');
    await order.click();
    await order.pressSequentially('KST-4711', { delay: 60 });
    await scanKeys(page, `]C101${a!.gtin}`);
    await expect.poll(() => page.getByTestId('kiosk-lines').locator('output').first().textContent()).toBe('3');
    await expect.poll(() => order.inputValue()).toBe('KST-4711');

    // KLAR: the basket is registered and the screen thanks the visitor (its feedback line is gone with the basket).
    await typeAsScanner(page, 'CMD-DONE');
    await expect.poll(() => page.getByText('3 saker registrerade.').isVisible()).toBe(true);
    expect(onShelves(a!.id)).toBe(before.a - 3);
    expect(onShelves(b!.id)).toBe(before.b);
    // The next visitor starts at the badge, with an empty basket.
    await expect.poll(() => page.getByText('Skanna din bricka för att börja.').isVisible(), { timeout: 10_000 }).toBe(true);
    await typeAsScanner(page, badge);
    await expect.poll(() => page.getByRole('heading', { name: /^Hej / }).isVisible()).toBe(true);
    await expect.poll(() => lines().count()).toBe(0);
    expect(at.errors).toEqual([]);
  });
});
