/**
 * A device's whole loop across the region, on a register with two stations of the central store
 * and a depot's: ordered, picked, palletised and delivered at one Boden station (on loan, its rent
 * starts), a pick-up ordered with its returlapp, returned at the other Boden station (the pick-up
 * collected, the rent ends), washed, inspected and released at the first, counted at the second,
 * and picked again. At the end every station and the register agree on the device's status and
 * place, and every station on its rental days.
 */
import { describe, expect, it } from 'vitest';
import { approveCount, varianceReview } from '../../db/counts/approve';
import { countArticle, countIndividual, finishLocation, startLocation } from '../../db/counts/counting';
import { planCount } from '../../db/counts/plan';
import { returnLabelData } from '../../db/labels/data';
import { serviceStep } from '../../db/service/jobs';
import { rentalPeriods } from '../../db/stock/rentals';
import { addToPallet, closePallet, deliverPallet, openPallet } from '../../db/workflows/pallets';
import { openPickupFor, orderPickup } from '../../db/workflows/pickups';
import { pick, pickList } from '../../db/workflows/picking';
import { returnIndividual } from '../../db/workflows/returns';
import { addDays, localDay } from '../../vocabulary/calendar';
import { returnLabel } from '../../vocabulary/zpl';
import { allOk, placeOrder } from '../helpers';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

describe.each(STORES)('the loop of a device across the region, register on %s', (kind) => {
  it('delivered, on loan, collected, returned at one Boden station, reconditioned at the other, counted and picked again: every copy agrees', async () => {
    const reg = await tinyRegister(kind);
    const sites = (await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id")).map((s) => ({ id: s.id, kind: (JSON.parse(s.data) as { kind: string }).kind }));
    const boden = sites.findIndex((s) => s.kind === 'central_store');
    const depot = sites.findIndex((s) => s.kind !== 'central_store');
    const a = await enrolledStation(reg.register, reg.server.url, { site: boden, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: boden, start: false });
    const c = await enrolledStation(reg.register, reg.server.url, { site: depot, start: false });
    const stations = [a, b, c];
    const syncAll = async () => {
      for (let round = 0; round < 2; round++) for (const s of stations) await s.engine.syncNow();
    };
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const site = sites[boden]!.id;
    const users = a.store.sqlite.prepare("select id from users where active = 1 and role in ('warehouse_worker', 'supervisor', 'technician') order by id limit 3").all() as { id: string }[];
    const at = (s: TestStation, k = 0) => ({ stationId: s.stationId, userId: users[k]!.id, siteId: site });
    const shelf = (s: TestStation) => one<{ id: string }>(s, "select id from locations where site_id = ? and kind = 'shelf' and level = 'bin' and retired_at is null order by code limit 1", site).id;

    // An order at A for a rentable article, due on a route's day next week.
    const device = one<{ id: string; articleId: string; locationId: string; n: string }>(
      a,
      `select i.id, i.article_id as articleId, i.location_id as locationId, i.individual_number as n from individuals i join locations l on l.id = i.location_id
       where i.site_id = ? and i.status = 'in_stock' and l.kind = 'shelf' order by i.individual_number limit 1`,
      site,
    );
    const day = addDays(localDay(Date.now()), 7);
    const order = (ref: string) =>
      placeOrder(a.store, { ref, customerRef: 'PSN-LOOP', siteId: site, day, route: 'Rutt Loop', deliveryPoint: 'Solgården', municipality: 'Boden', lines: [{ articleId: device.articleId, quantity: 1 }] });
    order('KO-LOOP-1');
    pick(a.store, at(a), { orderRef: 'KO-LOOP-1', articleId: device.articleId, individualId: device.id, fromLocationId: device.locationId, quantity: 1 });
    const pallet = openPallet(a.store, at(a), { route: 'Rutt Loop', deliveryDay: day, deliveryPoint: 'Solgården', municipality: 'Boden' });
    addToPallet(a.store, at(a), { palletId: pallet.id, articleId: device.articleId, individualId: device.id, quantity: 1 });
    closePallet(a.store, at(a), pallet.id);
    deliverPallet(a.store, at(a), pallet.sscc);
    expect(one(a, 'select status, loan_order_ref as ref from individuals where id = ?', device.id)).toEqual({ status: 'on_loan', ref: 'KO-LOOP-1' });

    // A pick-up for it at A, with its returlapp.
    const pickup = orderPickup(a.store, at(a), { individualId: device.id });
    expect(pickup).toMatchObject({ orderRef: 'KO-LOOP-1', route: 'Rutt Loop', pickupPoint: 'Solgården' });
    expect(returnLabel(returnLabelData(a.store, device.id, pickup.number, pickup.pickupPoint, pickup.municipality), 203)).toContain(pickup.number);
    await syncAll();

    // Returned at B: the pick-up is collected there and the rent ends.
    expect(openPickupFor(b.store, device.id)?.number).toBe(pickup.number);
    expect(returnIndividual(b.store, at(b), { individualId: device.id, missing: [] })).toMatchObject({ orderRef: 'KO-LOOP-1', pickup: pickup.number });
    await syncAll();

    // Washed, inspected and released at A.
    // The station has the region's checklists from the register: the inspection answers every point.
    for (const action of [{ kind: 'send_to_cleaning' }, { kind: 'clean' }, { kind: 'inspect', passed: true }] as const)
      serviceStep(a.store, at(a, 2), { individualId: device.id, action, ...(action.kind === 'inspect' ? { answers: allOk(a.store, device.id) } : {}) });
    serviceStep(a.store, at(a, 2), { individualId: device.id, action: { kind: 'release' }, toLocationId: shelf(a) });
    await syncAll();

    // Counted at B: everything on its shelf as it stands.
    const counted = shelf(b);
    const count = planCount(b.store, at(b), { kind: 'spot', locationIds: [counted], thresholdQuantity: 0 });
    for (const who of [at(b, 1)]) {
      startLocation(b.store, who, count.id, counted);
      for (const x of b.store.sqlite.prepare('select b.article_id as a, b.lot, b.quantity as q, r.rentable from balances b join articles r on r.id = b.article_id where b.location_id = ? and b.quantity > 0').all(counted) as { a: string; lot: string; q: number; rentable: number }[])
        if (!x.rentable) countArticle(b.store, who, { countId: count.id, locationId: counted, articleId: x.a, quantity: x.q, lot: x.lot || null });
      for (const i of b.store.sqlite.prepare('select id from individuals where location_id = ?').all(counted) as { id: string }[]) countIndividual(b.store, who, { countId: count.id, locationId: counted, individualId: i.id });
      finishLocation(b.store, who, { countId: count.id, locationId: counted });
    }
    expect(varianceReview(b.store, count.id).lines).toEqual([]);
    expect(approveCount(b.store, at(b), { countId: count.id }).movements).toBe(0);
    await syncAll();

    // Picked again at A for a new order.
    order('KO-LOOP-2');
    await syncAll();
    const line = pickList(a.store, site, 'Rutt Loop', day).find((o) => o.orderRef === 'KO-LOOP-2')!.lines[0]!;
    expect(line.rentable).toBe(true);
    pick(a.store, at(a), { orderRef: 'KO-LOOP-2', articleId: device.articleId, individualId: device.id, fromLocationId: shelf(a), quantity: 1 });
    await syncAll();

    // Every copy agrees: status and place at every station and the register, rental days at every station.
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'individual' and id = $1", [device.id]);
    const register = JSON.parse(held!.data) as { status: string; location_id: string };
    expect(register.status).toBe('reserved');
    for (const s of stations) expect(one(s, 'select status, location_id as locationId from individuals where id = ?', device.id)).toEqual({ status: register.status, locationId: register.location_id });
    const month = localDay(Date.now()).slice(0, 7);
    const rent = (s: TestStation) => rentalPeriods(s.store, month).filter((r) => r.individualNumber === device.n);
    expect(rent(a)).toEqual([expect.objectContaining({ orderRef: 'KO-LOOP-1', from: localDay(Date.now()), to: localDay(Date.now()), days: 1 })]);
    expect(rent(b)).toEqual(rent(a));
    // The depot's own copy has its site's history only: it says so rather than count no rental days.
    expect(() => rent(c)).toThrowError(expect.objectContaining({ code: 'sync.not_held' }));
    for (const s of stations) expect(one(s, 'select state from pickup_orders where id = ?', pickup.id)).toEqual({ state: 'collected' });
  });
});
