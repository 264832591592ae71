/** Rental periods from the ledger: delivered to returned, per individual and order, by municipality and month. */
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { rentalPeriods } from '../../db/stock/rentals';
import { postMovements } from '../../db/stock/ledger';
import { pick } from '../../db/workflows/picking';
import { returnIndividual } from '../../db/workflows/returns';
import { undoMovements } from '../../db/workflows/undo';
import { addDays, localDay } from '../../vocabulary/calendar';
import { createApi } from '../../api/dispatch';
import { queries, signedIn, tinyStore } from '../helpers';

const DAY = 86_400_000;

/** Every day from one to the other, both counted (a plain walk, not the module's arithmetic). */
function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

describe('rental periods', () => {
  it('run from the day a device is delivered to the day it comes back, split by month, and an undone delivery is none', async () => {
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id, siteId: st.site_id };
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch' and level = 'zone'", st.site_id).id;
    const ind = one<{ id: string; n: string; articleId: string; locationId: string }>(
      "select i.id, i.individual_number as n, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 1",
      st.site_id,
    );
    const orderId = uuidv7();
    store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, 'KO-0066001', 'PSN-9001', 'Överkalix hälsocentral', 'Överkalix', 'Rutt Ö', ?, ?, ?)")
      .run(orderId, localDay(Date.now()), Date.now() - 30 * DAY, st.site_id);
    store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), orderId, ind.articleId);
    pick(store, actor, { orderRef: 'KO-0066001', articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, quantity: 1 });
    // Delivered 40 days ago (its pallet), back 3 days ago.
    const outAt = Date.now() - 40 * DAY;
    postMovements(store, actor, [{ articleId: ind.articleId, individualId: ind.id, fromLocationId: dispatch, quantity: 1, reason: 'delivery', orderRef: 'KO-0066001', occurredAt: outAt }], 'pallets');
    const backDay = localDay(Date.now() - 3 * DAY);
    returnIndividual(store, actor, { individualId: ind.id, returnedOn: backDay, missing: [] });

    const days = daysBetween(localDay(outAt), backDay);
    const months = [...new Set(days.map((d) => d.slice(0, 7)))];
    expect(months.length).toBeGreaterThanOrEqual(2);
    let total = 0;
    for (const month of months) {
      const mine = rentalPeriods(store, month, 'Överkalix').filter((p) => p.orderRef === 'KO-0066001');
      expect(mine).toEqual([
        { individualNumber: ind.n, articleNumber: expect.any(String), articleName: expect.any(String), orderRef: 'KO-0066001', customerRef: 'PSN-9001', municipality: 'Överkalix', from: localDay(outAt), to: backDay, days: days.filter((d) => d.startsWith(month)).length },
      ]);
      total += mine[0]!.days;
    }
    expect(total).toBe(days.length);
    // Another municipality's list does not hold it.
    expect(rentalPeriods(store, months[0]!, 'Boden').some((p) => p.orderRef === 'KO-0066001')).toBe(false);

    // Exported for the invoice, as CSV a Swedish spreadsheet opens, by a supervisor only.
    const api = createApi(store);
    const boss = await signedIn(api, 'supervisor');
    const file = await boss.call('rentals.export', { month: months[0]!, municipality: 'Överkalix', format: 'csv' });
    if (!file.ok) throw new Error(JSON.stringify(file.error));
    const text = Buffer.from(file.value.url.split(',')[1]!, 'base64').toString('utf8');
    expect(text.split('\r\n')[0]).toBe('\ufeffKommun;Individ;Artikel;Benämning;Order;Kund;Från;Till;Dagar i månaden');
    expect(text).toContain(`Överkalix;${ind.n};`);
    // The screen gets each municipality's count and days, and the periods of the one chosen.
    const summary = await boss.call('rentals.list', { month: months[0]!, municipality: 'Överkalix' });
    if (!summary.ok) throw new Error(JSON.stringify(summary.error));
    const mine = rentalPeriods(store, months[0]!, 'Överkalix');
    expect(summary.value.municipalities.find((m) => m.municipality === 'Överkalix')).toEqual({ municipality: 'Överkalix', periods: mine.length, days: mine.reduce((n, p) => n + p.days, 0) });
    expect(summary.value.periods.map((p) => p.orderRef)).toContain('KO-0066001');
    expect(await (await signedIn(api, 'warehouse_worker')).call('rentals.list', { month: months[0]! })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await boss.call('rentals.list', { month: '2026-13' })).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });

    // A delivery undone is no rental at all.
    const second = one<{ id: string; n: string; articleId: string; locationId: string }>(
      "select i.id, i.individual_number as n, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' and i.id <> ? order by i.individual_number limit 1",
      st.site_id,
      ind.id,
    );
    const secondOrder = uuidv7();
    store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, 'KO-0066002', 'PSN-9002', 'Överkalix hälsocentral', 'Överkalix', 'Rutt Ö', ?, ?, ?)")
      .run(secondOrder, localDay(Date.now()), Date.now() - DAY, st.site_id);
    store.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), secondOrder, second.articleId);
    pick(store, actor, { orderRef: 'KO-0066002', articleId: second.articleId, individualId: second.id, fromLocationId: second.locationId, quantity: 1 });
    const [wrong] = postMovements(store, actor, [{ articleId: second.articleId, individualId: second.id, fromLocationId: dispatch, quantity: 1, reason: 'delivery', orderRef: 'KO-0066002' }], 'pallets');
    const month = localDay(Date.now()).slice(0, 7);
    const onOrder = () => rentalPeriods(store, month).filter((p) => p.orderRef === 'KO-0066002');
    expect(onOrder()).toHaveLength(1);
    undoMovements(store, actor, [wrong!.id]);
    expect(onOrder()).toEqual([]);
    store.close();
  });
});
