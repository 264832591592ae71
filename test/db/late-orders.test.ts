/** An order placed after the 11:30 cut-off goes with its route's next delivery: on that day's pick list and pallets, not the day it asked for. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addToPallet, openPallet } from '../../db/workflows/pallets';
import { dueDay, orderCutoff, pick, pickList, routesAndDays, ROUTE_INTERVAL_DAYS } from '../../db/workflows/picking';
import { addDays } from '../../vocabulary/calendar';
import { placeOrder, queries, tinyStore } from '../helpers';

describe('the delivery an order goes with', () => {
  it('is the first delivery of its route whose cut-off it makes, never earlier, never a week more than needed', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('2026-01-05T00:00:00Z'), max: new Date('2027-12-27T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -3 * 86_400_000, max: 30 * 86_400_000 }), (asked, offset) => {
        const day = asked.toISOString().slice(0, 10);
        const placedAt = orderCutoff(day).getTime() + offset;
        const due = dueDay(day, placedAt);
        const weeks = Math.round((Date.parse(due) - Date.parse(day)) / (ROUTE_INTERVAL_DAYS * 86_400_000));
        expect(addDays(day, weeks * ROUTE_INTERVAL_DAYS)).toBe(due);
        expect(placedAt).toBeLessThanOrEqual(orderCutoff(due).getTime());
        if (weeks > 0) expect(placedAt).toBeGreaterThan(orderCutoff(addDays(due, -ROUTE_INTERVAL_DAYS)).getTime());
        expect(weeks === 0).toBe(offset <= 0);
      }),
    );
  });

  it('puts a late order on the next delivery’s pick list and pallets, and off the day it asked for', () => {
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id, siteId: st.site_id };
    const ind = one<{ id: string; articleId: string; locationId: string }>(
      "select i.id, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 1",
      st.site_id,
    );
    const asked = '2026-12-10';
    const next = addDays(asked, ROUTE_INTERVAL_DAYS);
    const place = (ref: string, placedAt: number) =>
      placeOrder(store, { ref, siteId: st.site_id, day: asked, placedAt, route: 'Rutt Arjeplog', deliveryPoint: 'Arjeplog hälsocentral', municipality: 'Arjeplog', lines: [{ articleId: ind.articleId, quantity: 1 }] });
    const cutoff = orderCutoff(asked).getTime();
    place('KO-0055001', cutoff - 60_000); // in time
    place('KO-0055002', cutoff + 60_000); // a minute late
    const refs = (day: string) => pickList(store, st.site_id, 'Rutt Arjeplog', day).map((o) => [o.orderRef, o.late, o.askedFor]);
    expect(refs(asked)).toEqual([['KO-0055001', false, asked]]);
    expect(refs(next)).toEqual([['KO-0055002', true, asked]]);
    expect(routesAndDays(store, st.site_id).filter((r) => r.route === 'Rutt Arjeplog')).toEqual([
      { route: 'Rutt Arjeplog', deliveryDay: asked, orders: 1 },
      { route: 'Rutt Arjeplog', deliveryDay: next, orders: 1 },
    ]);
    // Picked, it goes on a pallet for the next delivery only.
    pick(store, actor, { orderRef: 'KO-0055002', articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, quantity: 1 });
    const pallet = (day: string) => openPallet(store, actor, { route: 'Rutt Arjeplog', deliveryDay: day, deliveryPoint: 'Arjeplog hälsocentral', municipality: 'Arjeplog' });
    expect(() => addToPallet(store, actor, { palletId: pallet(asked).id, articleId: ind.articleId, individualId: ind.id, quantity: 1 })).toThrowError(
      expect.objectContaining({ code: 'pallets.other_delivery', userMessage: expect.objectContaining({ sv: expect.stringContaining(next) }) }),
    );
    expect(addToPallet(store, actor, { palletId: pallet(next).id, articleId: ind.articleId, individualId: ind.id, quantity: 1 }).items).toHaveLength(1);
    store.close();
  });
});
