/**
 * Leveranser end to end, at 1366×768 in Swedish: the customers' pallets of a route and day wait at
 * dispatch by delivery point; the driver's scan of one pallet's SSCC delivers it, a button the
 * other; each device on them is then on loan to its order, and a second scan says when it was
 * delivered and by whom, changing nothing. The supervisor's Hyror lists their rent from that day.
 * Then a pick-up: ordered by scanning a device on loan (a device on a shelf is refused), its
 * returlapp printed from the collection list, and collected when Retur takes the device in.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addToPallet, closePallet, openPallet } from '../../db/workflows/pallets';
import { pick } from '../../db/workflows/picking';
import { placeOrder, queries, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, type BrowserStation, openFromMenu } from './browser';
import { typeAsScanner } from './wedge';

let at: BrowserStation;
let page: Page;
/** The devices delivered by the first test, on loan to their orders. */
let delivered: { n: string; id: string; orderRef: string }[] = [];

beforeAll(async () => {
  at = await browserStation({ dataDir: tempDir('depot-e2e-deliveries-') });
  page = at.page;
  await page.setViewportSize({ width: 1366, height: 768 });
});
afterAll(() => at?.close());

describe('deliveries in browser mode', () => {
  it('delivers one pallet by its SSCC and another from the list; their devices are on loan, once', async () => {
    const s = at.station.store;
    const { one, all } = queries(s);
    const siteId = one<{ site_id: string }>('select site_id from station').site_id;
    const worker = one<{ id: string }>("select id from users where name = 'Lena Nilsson'").id;
    const actor = { stationId: one<{ id: string }>('select id from station').id, userId: worker, siteId };
    const day = new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10);
    const devices = all<{ id: string; n: string; articleId: string; locationId: string }>(
      `select i.id, i.individual_number as n, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id
       where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 2`,
      siteId,
    );
    // Two orders on one route and day, each picked and closed on its delivery point's pallet, waiting at dispatch.
    const pallets = devices.map((d, i) => {
      const point = ['Kalix vårdcentral', 'Solgården'][i]!;
      const orderRef = `KO-00770${i + 1}`;
      placeOrder(s, { ref: orderRef, customerRef: 'PSN-4711', siteId, day, route: 'Rutt Kalix', deliveryPoint: point, municipality: 'Kalix', lines: [{ articleId: d.articleId, quantity: 1 }] });
      pick(s, actor, { orderRef, articleId: d.articleId, individualId: d.id, fromLocationId: d.locationId, quantity: 1 });
      const p = openPallet(s, actor, { route: 'Rutt Kalix', deliveryDay: day, deliveryPoint: point, municipality: 'Kalix' });
      addToPallet(s, actor, { palletId: p.id, articleId: d.articleId, individualId: d.id, quantity: 1 });
      return { ...closePallet(s, actor, p.id).pallet, orderRef, device: d };
    });
    const status = (id: string) => one<{ status: string }>('select status from individuals where id = ?', id).status;
    expect(pallets.map((p) => status(p.device.id))).toEqual(['reserved', 'reserved']);

    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await openFromMenu(page, 'Leveranser');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Leveranser');
    await page.getByLabel('Rutt och leveransdag').selectOption(`Rutt Kalix|${day}`);
    await expect.poll(() => page.getByTestId('deliveries').count()).toBe(2);
    await expectAccessible(page, 'deliveries');

    // The driver scans the first pallet's label where it is handed over.
    const [first, second] = pallets as [(typeof pallets)[number], (typeof pallets)[number]];
    await typeAsScanner(page, `]C100${first.sscc}`);
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'levererad' }).textContent()).toContain('1 pall levererad (1 st)');
    // The line and the table agree the moment the line shows: the row says who delivered it, and its button is gone.
    const firstRow = page.getByRole('row', { name: new RegExp(first.sscc) });
    expect(await firstRow.textContent()).toMatch(/Levererad .+ av Lena Nilsson/);
    expect(await firstRow.getByRole('button', { name: 'Levererad' }).count()).toBe(0);
    expect(status(first.device.id)).toBe('on_loan');
    expect(one<{ r: string }>("select order_ref as r from movements where individual_id = ? and reason = 'delivery' order by recorded_at desc limit 1", first.device.id).r).toBe(first.orderRef);

    // The second from the list.
    await page.getByRole('row', { name: new RegExp(second.sscc) }).getByRole('button', { name: 'Levererad' }).click();
    await expect.poll(() => status(second.device.id)).toBe('on_loan');
    await expect.poll(() => page.getByRole('button', { name: 'Levererad' }).count()).toBe(0);

    // A second scan of the first: when and by whom, and nothing changes.
    const movements = one<{ n: number }>('select count(*) as n from movements').n;
    await typeAsScanner(page, `]C100${first.sscc}`);
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(new RegExp(`Pall ${first.sscc} levererades \\d{4}-\\d{2}-\\d{2} kl\\. \\d{2}:\\d{2} av Lena Nilsson`));
    expect(one<{ n: number }>('select count(*) as n from movements').n).toBe(movements);
    await expectAccessible(page, 'deliveries, delivered');

    // The supervisor sees the rent begin: this month's periods for Kalix, the devices still out, ready to export.
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, at.web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Hyror');
    await page.getByLabel('Kommun').selectOption('Kalix');
    for (const p of pallets) await expect.poll(() => page.getByRole('row', { name: new RegExp(p.device.n) }).textContent()).toContain('Ute');
    await page.getByRole('button', { name: 'Skapa CSV' }).click();
    await expect.poll(() => page.getByTestId('rentals-csv').getAttribute('download')).toMatch(/^hyror-\d{4}-\d{2}-Kalix\.csv$/);
    await expectAccessible(page, 'rentals');
    expect(at.errors).toEqual([]);
    delivered = pallets.map((p) => ({ n: p.device.n, id: p.device.id, orderRef: p.orderRef }));
  });

  it('orders a pick-up by scanning a device on loan, prints its returlapp, and the return closes it', async () => {
    const s = at.station.store;
    const { one } = queries(s);
    const [lent] = delivered as [(typeof delivered)[number]];
    at.station.api.printing.savePrinters([
      { id: 'ret', name: 'Returlappar', connection: { kind: 'tcp', host: '127.0.0.1', port: 1 }, dpi: 203, labelSize: { widthMm: 100, heightMm: 75 }, kinds: ['return'] },
    ]);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, at.web.openUrl, 'Lena Nilsson', '1111');
    await openFromMenu(page, 'Hämtorder');
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Hämtorder');
    // A tired worker scans a device from the shelf: nothing to collect, and nothing ordered.
    const onShelf = one<{ n: string }>("select individual_number as n from individuals where status = 'in_stock' order by individual_number limit 1").n;
    await typeAsScanner(page, onShelf);
    await expect.poll(() => page.getByRole('alert').textContent()).toContain(`${onShelf} är inte utlånad`);
    expect(one<{ n: number }>('select count(*) as n from pickup_orders').n).toBe(0);
    // The device on loan: collected on its route's next collection day.
    await typeAsScanner(page, lent.n);
    await expect.poll(() => page.getByRole('status').textContent()).toMatch(new RegExp(`Hämtorder HO-[0-9A-Z-]+: ${lent.n} hämtas på Rutt Kalix`));
    const pickup = one<{ id: string; number: string }>("select id, number from pickup_orders where state = 'ordered'");
    const row = () => page.getByRole('row', { name: new RegExp(pickup.number) });
    await expect.poll(() => row().textContent()).toContain(lent.orderRef);
    await expectAccessible(page, 'pickups');
    await row().getByRole('button', { name: 'Skriv ut returlapp' }).click();
    await expect.poll(() => page.getByRole('status').textContent()).toBe(`Returlappen för ${pickup.number} är skickad till skrivaren.`);
    await expect.poll(() => row().textContent()).toContain('Returlapp utskriven');
    expect(one<{ n: number }>("select count(*) as n from print_jobs where kind = 'return'").n).toBe(1);

    // At Retur the device is scanned back: the pick-up is done and its rental ends.
    await page.evaluate(() => (location.hash = '#/return'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Retur');
    await typeAsScanner(page, lent.n);
    await expect.poll(() => page.getByText(/Kontrollera komponenterna|inga komponenter/).count()).toBeGreaterThan(0);
    await typeAsScanner(page, 'CMD-CONFIRM');
    await expect.poll(() => one<{ state: string }>('select state from pickup_orders where id = ?', pickup.id).state).toBe('collected');
    await expect.poll(() => page.getByRole('status').last().textContent()).toContain(`hämtorder ${pickup.number} klar`);
    expect(at.errors).toEqual([]);
  });
});
