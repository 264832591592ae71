/**
 * Refilling an unmanned depot, end to end: a withdrawal scanned at the depot's kiosk reaches Boden
 * through the register and shows on its replenishment screen; Boden orders the refill, picks,
 * palletises and ships it; the depot's staff receive the pallet by scanning its SSCC.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callerFor, queries, receiveForTest, signedIn, tempDir } from '../helpers';
import { tinyRegister, type TestRegister } from '../sync/harness';
import { browserStation, expectAccessible, launchChromium, signIn, type BrowserStation, openFromMenu } from './browser';
import { typeAsScanner } from './wedge';

let browser: Browser;
let reg: TestRegister;
const stations: BrowserStation[] = [];

/** A station enrolled with the register for the site, filled by its first sync, with a page open on it. */
async function enrolled(siteCode: string, name: string) {
  const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like $1", [`%"code":"${siteCode}"%`]);
  const code = await reg.register.createEnrolmentCode({ stationName: name, siteId: site!.id });
  const at = await browserStation({ dataDir: tempDir('depot-e2e-refill-'), enrol: { registerUrl: reg.server.url, code } }, { browser });
  stations.push(at);
  const info = callerFor(at.station.api, null);
  await expect.poll(async () => {
    const r = await info('station.info', {});
    return r.ok && r.value.setUp;
  }, { timeout: 20_000 }).toBe(true);
  return at;
}

beforeAll(async () => {
  browser = await launchChromium();
  reg = await tinyRegister('sqlite');
});
afterAll(async () => {
  for (const at of stations.splice(0)) await at.close();
  await browser?.close();
});

describe('refilling an unmanned depot', () => {
  it('takes a kiosk withdrawal through the register to Boden’s refill, and back on a pallet received by its SSCC', async () => {
    const boden = await enrolled('BOD', 'Skanningsstation Boden');
    const depot = await enrolled('JKK', 'Kiosk Jokkmokk');
    const inDepot = queries(depot.station.store);
    const inBoden = queries(boden.station.store);
    const jkk = inDepot.one<{ id: string; name: string }>("select id, name from sites where code = 'JKK'");
    const line = inDepot.one<{ articleId: string; q: number; gtin: string; number: string }>(
      `select b.article_id as articleId, sum(b.quantity) as q, (select gtin from article_gtins g where g.article_id = b.article_id limit 1) as gtin, a.article_number as number
       from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
       where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.tracking = 'none' and a.rentable = 0
         and exists (select 1 from article_gtins g where g.article_id = b.article_id)
       group by b.article_id order by q desc limit 1`,
      jkk.id,
    );
    // The depot keeps it with a reorder point just under its stock; the depot's station is its kiosk.
    const bodenBoss = await signedIn(boden.station.api, 'supervisor');
    expect((await bodenBoss.call('reorder.save', { articleId: line.articleId, siteId: jkk.id, stockArticle: true, reorderPoint: line.q - 1, safetyStock: 0, maxStock: line.q + 4, leadDays: 0, orderQuantity: 0 })).ok).toBe(true);
    const depotBoss = await signedIn(depot.station.api, 'supervisor');
    expect((await depotBoss.call('kiosk.configure', { enabled: true, idleSeconds: 120 })).ok).toBe(true);
    const badge = inDepot.one<{ b: string }>("select badge_code as b from users where role = 'prescriber' and badge_code is not null limit 1").b;

    // At the kiosk, by scanning alone: badge, the article twice, the cost centre typed, DONE.
    const kiosk = depot.page;
    await kiosk.goto(depot.web.openUrl);
    await expect.poll(() => kiosk.getByText('Skanna din bricka för att börja.').isVisible()).toBe(true);
    await expectAccessible(kiosk, 'kiosk start');
    await typeAsScanner(kiosk, badge);
    await expect.poll(() => kiosk.getByRole('heading', { name: /^Hej / }).isVisible()).toBe(true);
    await typeAsScanner(kiosk, `]C101${line.gtin}`);
    await expect.poll(async () => (await kiosk.getByTestId('kiosk-lines').textContent()) ?? '').toContain(line.number);
    await typeAsScanner(kiosk, `]C101${line.gtin}`);
    await expect.poll(() => kiosk.getByTestId('kiosk-lines').locator('output').first().textContent()).toBe('2');
    await kiosk.getByLabel('Order eller kostnadsställe').fill('KST-4711');
    await expectAccessible(kiosk, 'kiosk withdrawal');
    await kiosk.getByLabel('Order eller kostnadsställe').blur();
    await typeAsScanner(kiosk, 'CMD-DONE');
    await expect.poll(() => kiosk.getByText('2 saker registrerade.').isVisible()).toBe(true);

    // The depot syncs, and so does Boden: the refill is on Boden's screen, explained.
    await depot.station.api.sync.syncNow();
    await boden.station.api.sync.syncNow();
    const page = boden.page;
    await signIn(page, boden.web.openUrl, 'Lena Nilsson', '1111');
    await openFromMenu(page, 'Påfyllning');
    const group = page.getByTestId('refill-JKK');
    await expect.poll(() => group.isVisible()).toBe(true);
    await group.locator('summary').click();
    await expect.poll(() => page.getByTestId('refill-lines-JKK').textContent()).toContain(`i lager ${line.q - 2}, på väg 0, beställningspunkt ${line.q - 1}`);
    await expectAccessible(page, 'replenishment');
    await group.getByRole('button', { name: `Beställ påfyllning till ${jkk.name}` }).click();
    await expect.poll(() => page.getByText(/Beställt: PF-/).isVisible()).toBe(true);

    // Boden picks it to dispatch, palletises it for Jokkmokk and ships it.
    const order = inBoden.one<{ ref: string; day: string; route: string; qty: number }>(
      "select o.order_ref as ref, o.delivery_day as day, o.route, l.quantity as qty from customer_orders o join customer_order_lines l on l.customer_order_id = o.id where o.to_site_id = ? and l.article_id = ?",
      jkk.id,
      line.articleId,
    );
    const worker = await signedIn(boden.station.api, 'warehouse_worker');
    const from = inBoden.one<{ id: string }>("select l.id from locations l join sites s on s.id = l.site_id where s.code = 'BOD' and l.kind = 'shelf' order by l.code limit 1");
    receiveForTest(boden.station.store, line.articleId, from.id, order.qty);
    expect((await worker.call('picking.pick', { orderRef: order.ref, articleId: line.articleId, fromLocationId: from.id, quantity: order.qty })).ok).toBe(true);
    const pallet = (await worker.call('pallets.open', { route: order.route, deliveryDay: order.day, deliveryPoint: jkk.name, municipality: 'Jokkmokk' })) as { ok: true; value: { id: string; sscc: string } };
    expect((await worker.call('pallets.add', { palletId: pallet.value.id, articleId: line.articleId, quantity: order.qty, orderRef: order.ref })).ok).toBe(true);
    expect((await worker.call('pallets.close', { palletId: pallet.value.id })).ok).toBe(true);
    await boden.station.api.sync.syncNow();
    await depot.station.api.sync.syncNow();

    // At the depot, staff sign in from the kiosk and receive the pallet by scanning its SSCC.
    await kiosk.getByRole('button', { name: 'Personal: logga in' }).click();
    await signIn(kiosk, depot.web.openUrl, 'Sara Öberg', '2221');
    await kiosk.evaluate(() => (location.hash = '#/pallet-receive'));
    await expect.poll(() => kiosk.getByRole('heading', { name: 'Ta emot pall', level: 1 }).isVisible()).toBe(true);
    await typeAsScanner(kiosk, `]C100${pallet.value.sscc}`);
    await expect.poll(() => kiosk.getByTestId('received-items').locator('tbody tr').first().textContent()).toContain('Mottagen');
    const stock = inDepot.one<{ q: number }>('select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ?', line.articleId, jkk.id);
    expect(stock.q).toBe(line.q - 2 + order.qty);

    // Back in Boden, the shipment shows as received.
    await depot.station.api.sync.syncNow();
    await boden.station.api.sync.syncNow();
    await page.reload();
    await expect.poll(() => page.getByTestId('transfers').textContent()).toContain(pallet.value.sscc);
    await expect.poll(() => page.getByTestId('transfers').locator('tr', { hasText: pallet.value.sscc }).textContent()).toContain('Mottagen');
  });
});
