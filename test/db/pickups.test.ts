/**
 * Pick-up orders (hämtorder): ordered for a device on loan, collected on its route's next
 * collection day by the delivery rules, printed as a returlapp from the order, listed per route and
 * day, and closed by the return that takes the device in (which ends its rental); an undone
 * return opens it again.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { rentalPeriods } from '../../db/stock/rentals';
import { collectionList, openPickupFor, orderPickup } from '../../db/workflows/pickups';
import { dueDay, orderCutoff } from '../../db/workflows/picking';
import { returnIndividual } from '../../db/workflows/returns';
import { undoMovements } from '../../db/workflows/undo';
import { addDays, localDay } from '../../vocabulary/calendar';
import { queries, signedIn, tinyStore } from '../helpers';

describe('pick-up orders', () => {
  it('go on the route of the loan on its next collection day, print a returlapp, and are closed by the return (and opened again by its undo)', async () => {
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id, siteId: st.site_id };
    // A device out on an order the station knows (the register keeps every customer order).
    const out = one<{ id: string; ref: string }>("select id, loan_order_ref as ref from individuals where status = 'on_loan' and loan_order_ref is not null order by individual_number limit 1");
    store.sqlite
      .prepare(
        `insert or ignore into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id)
         values ('loan-order', ?, 'P-4711', 'Vårdboendet Tallen', 'Boden', 'BODEN-ONS', '2026-10-07', ?, ?)`,
      )
      .run(out.ref, Date.parse('2026-10-01T08:00:00Z'), st.site_id);
    const lent = one<{ id: string; n: string; orderRef: string; route: string; day: string; point: string }>(
      `select i.id, i.individual_number as n, i.loan_order_ref as orderRef, o.route, o.delivery_day as day, o.delivery_point as point
       from individuals i join customer_orders o on o.order_ref = i.loan_order_ref
       where i.status = 'on_loan' and o.site_id = ? order by i.individual_number limit 1`,
      st.site_id,
    );
    // Ordered just after a collection day's cut-off: it goes a week later, on the loan's weekday.
    const now = Date.now();
    const placedAt = now;
    const p = orderPickup(store, actor, { individualId: lent.id, placedAt });
    expect(p).toMatchObject({ state: 'ordered', orderRef: lent.orderRef, route: lent.route, pickupPoint: lent.point, collectionDay: dueDay(lent.day, placedAt) });
    expect(orderCutoff(p.collectionDay).getTime()).toBeGreaterThanOrEqual(placedAt);
    expect(orderCutoff(addDays(p.collectionDay, -7)).getTime()).toBeLessThan(placedAt);
    expect(new Date(`${p.collectionDay}T12:00:00Z`).getUTCDay()).toBe(new Date(`${lent.day}T12:00:00Z`).getUTCDay());
    expect(() => orderPickup(store, actor, { individualId: lent.id })).toThrow(expect.objectContaining({ code: 'pickups.already_ordered' }));
    const onShelf = one<{ id: string }>("select id from individuals where status = 'in_stock' limit 1").id;
    expect(() => orderPickup(store, actor, { individualId: onShelf })).toThrow(expect.objectContaining({ code: 'pickups.not_on_loan' }));
    expect(collectionList(store, st.site_id, p.collectionDay, lent.route).map((x) => x.number)).toContain(p.number);

    // The returlapp prints from the order, to the printer that takes return labels, and the order says so.
    const api = createApi(store);
    // A return-label printer that is switched off: the label waits in its queue.
    api.printing.savePrinters([{ id: 'ret', name: 'Returlappar', connection: { kind: 'tcp', host: '127.0.0.1', port: 1 }, dpi: 203, labelSize: { widthMm: 100, heightMm: 75 }, kinds: ['return'] }]);
    const worker = await signedIn(api, 'warehouse_worker');
    // A tired worker's wrong codes: an article's barcode, and a code that is nothing here. Nothing is ordered.
    const articleNumber = one<{ n: string }>('select a.article_number as n from articles a join individuals i on i.article_id = a.id where i.id = ?', lent.id).n;
    expect(await worker.call('pickups.order', { individual: articleNumber })).toMatchObject({ ok: false, error: { code: 'pickups.not_a_device', field: 'individual' } });
    expect(await worker.call('pickups.order', { individual: 'HELLO-123' })).toMatchObject({ ok: false, error: { code: 'pickups.not_a_device' } });
    // The device's number typed in lower case is the device: it already has its pick-up.
    expect(await worker.call('pickups.order', { individual: lent.n.toLowerCase() })).toMatchObject({ ok: false, error: { code: 'pickups.already_ordered' } });
    expect(one<{ n: number }>('select count(*) as n from pickup_orders').n).toBe(1);
    const listed = await worker.call('pickups.list', { collectionDay: p.collectionDay });
    expect(listed.ok && listed.value.pickups.some((x) => x.number === p.number && x.labelPrintedAt === null)).toBe(true);
    const printed = await worker.call('pickups.label', { pickupId: p.id });
    expect(printed.ok).toBe(true);
    if (printed.ok) {
      expect(printed.value.pickup.labelPrintedAt).not.toBeNull();
      expect(printed.value.jobs[0]).toMatchObject({ kind: 'return' });
    }

    // Taken in at return intake: the pick-up is collected and the rental of its order ends today.
    const back = returnIndividual(store, actor, { individualId: lent.id, missing: [] });
    expect(back).toMatchObject({ orderRef: lent.orderRef, pickup: p.number });
    expect(openPickupFor(store, lent.id)).toBeUndefined();
    const today = localDay(Date.now());
    const period = rentalPeriods(store, today.slice(0, 7)).find((r) => r.individualNumber === lent.n && r.orderRef === lent.orderRef);
    expect(period?.to).toBe(today);
    // Taken in by mistake and undone: the device is out there still, and so is its pick-up.
    undoMovements(store, actor, [back.movement.id]);
    expect(openPickupFor(store, lent.id)?.number).toBe(p.number);
    await api.printing.stop();
    store.close();
  });

  it('collect on the first collection day whose cut-off the order makes, whenever it is placed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 7 * 24 * 60 - 1 }), (weeks, minute) => {
        const loanDay = '2026-01-07';
        const placedAt = Date.parse('2026-01-07T00:00:00') + weeks * 7 * 86_400_000 + minute * 60_000;
        const day = dueDay(loanDay, placedAt);
        return orderCutoff(day).getTime() >= placedAt && (day === loanDay || orderCutoff(addDays(day, -7)).getTime() < placedAt);
      }),
    );
  });
});
