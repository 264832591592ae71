import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { dirname } from 'node:path';
import { openStationDb, type StationDb } from '../../db/open';
import { createApi } from '../../api/dispatch';
import { localDay } from '../../vocabulary/calendar';
import type { DepotError } from '../../vocabulary/errors';
import { addToPallet, closePallet, loadList, nextSscc, openPallet, pallet, receivePallet, removeFromPallet, reportMissing } from '../../db/workflows/pallets';
import { moveStock } from '../../db/workflows/moving';
import { pick } from '../../db/workflows/picking';
import { undoMovements } from '../../db/workflows/undo';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { placeOrder, queries, signedIn, tinyStore } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

let orders = 0;
/** A customer order placed at the site, as the order import would: its delivery point, route and day, and its lines. */
function orderFor(
  s: StationDb,
  siteId: string,
  deliveryPoint: string,
  lines: { articleId: string; quantity: number }[],
  o: { route?: string; deliveryDay?: string; toSiteId?: string | null } = {},
): string {
  const orderRef = `KO-${String(8_800_000 + ++orders)}`;
  // Placed a week ahead, in time for the day it asks for.
  const day = o.deliveryDay ?? '2026-11-26';
  placeOrder(s, {
    ref: orderRef,
    customerRef: 'KST-1',
    siteId,
    day,
    placedAt: Date.parse(`${day}T08:00:00`) - 7 * 86_400_000,
    route: o.route ?? 'Rutt Luleå',
    deliveryPoint,
    municipality: 'Kommun',
    toSiteId: o.toSiteId ?? null,
    lines,
  });
  return orderRef;
}

/** The same database, set up as the station of another site (as the register's copy would be there). */
function stationAt(s: StationDb, siteId: string) {
  s.sqlite.prepare('update station set site_id = ?').run(siteId);
  const st = s.sqlite.prepare('select id from station').get() as { id: string };
  const user = (s.sqlite.prepare("select id from users where role in ('depot_staff', 'warehouse_worker') order by role limit 1").get() as { id: string }).id;
  return { stationId: st.id, userId: user, siteId };
}

describe('pallets', () => {
  it('hands out SSCCs that never repeat, with right check digits, even after a restart', () => {
    store = tinyStore();
    const a = nextSscc(store);
    const b = nextSscc(store);
    store.close();
    store = openStationDb({ dataDir: dirname(store.file), quickCheck: 'skip' });
    const c = nextSscc(store);
    expect(new Set([a, b, c]).size).toBe(3);
    for (const s of [a, b, c]) expect(gs1CheckDigit(s.slice(0, 17))).toBe(Number(s[17]));
  });

  it('builds a pallet from picked goods, ships it, and a depot receives it by its SSCC and reports what was missing', () => {
    store = tinyStore();
    const s = store;
    const { one } = queries(s);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
    const actor = { stationId: st.id, userId: user, siteId: st.site_id };
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", st.site_id).id;
    const ind = one<{ id: string; article_id: string; location_id: string }>(
      "select i.id, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' limit 1",
      st.site_id,
    );
    const orderRef = orderFor(s, st.site_id, 'Filialförråd Sunderby sjukhus', [{ articleId: ind.article_id, quantity: 1 }]);
    const p = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Filialförråd Sunderby sjukhus', municipality: 'Luleå' });
    expect(() => addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'pallets.not_picked' }));
    pick(s, actor, { orderRef, articleId: ind.article_id, fromLocationId: ind.location_id, individualId: ind.id, quantity: 1 });
    expect(one('select location_id as l from individuals where id = ?', ind.id)).toEqual({ l: dispatch });
    addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 });
    expect(() => addToPallet(s, actor, { palletId: p.id, articleId: ind.article_id, individualId: ind.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'pallets.already_on' }));
    expect(loadList(s, st.site_id, 'Rutt Luleå', '2026-11-26')).toEqual([{ sscc: p.sscc, deliveryPoint: 'Filialförråd Sunderby sjukhus', municipality: 'Luleå', state: 'open', items: 1 }]);

    const closed = closePallet(s, actor, p.id);
    expect(closed.pallet.state).toBe('closed');
    expect(one('select status, location_id as l from individuals where id = ?', ind.id)).toEqual({ status: 'in_transit', l: null });
    expect(closed.movements.map((m) => [m.reason, m.orderRef])).toEqual([['dispatch', p.sscc]]);

    // At the depot in Luleå.
    const depot = one<{ id: string }>("select id from sites where code = 'LUL'").id;
    const depotActor = stationAt(s, depot);
    const got = receivePallet(s, depotActor, p.sscc);
    expect(got.pallet.items.map((i) => i.receivedState)).toEqual(['received']);
    expect(one('select status, site_id as site from individuals where id = ?', ind.id)).toEqual({ status: 'in_stock', site: depot });
    expect(() => receivePallet(s, depotActor, p.sscc)).toThrowError(expect.objectContaining({ code: 'pallets.already_received' }));
    reportMissing(s, depotActor, p.id, got.pallet.items[0]!.id);
    expect(one('select received_state as r from pallet_items where id = ?', got.pallet.items[0]!.id)).toEqual({ r: 'missing' });
    expect(one('select location_id as l from individuals where id = ?', ind.id)).toEqual({ l: null });
  });
});

describe('SSCC settings', () => {
  it('makes SSCCs from the configured GS1 company prefix and extension digit', async () => {
    const { putSetting } = await import('../../db/settings');
    store = tinyStore();
    putSetting(store, 'gs1', { companyPrefix: '7391234567', extensionDigit: 5 });
    const sscc = nextSscc(store);
    expect(sscc).toMatch(/^57391234567\d{6}\d$/);
    expect(gs1CheckDigit(sscc.slice(0, 17))).toBe(Number(sscc[17]));
  });
});

describe('a restocking run', () => {
  it('takes a refill pallet in item by item onto the depot’s shelves and reports what was short, undo included', async () => {
    const { restockFinish, restockReport, restockScan } = await import('../../db/workflows/restock');
    const { undoMovements } = await import('../../db/workflows/undo');
    store = tinyStore();
    const s = store;
    const { one } = queries(s);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
    const actor = { stationId: st.id, userId: user, siteId: st.site_id };
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", st.site_id).id;
    const bulk = one<{ article_id: string; location_id: string }>(
      "select b.article_id, b.location_id from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id where l.site_id = ? and l.level = 'bin' and b.lot = '' and b.quantity >= 5 and a.tracking = 'none' and not exists (select 1 from individuals i where i.article_id = a.id) limit 1",
      st.site_id,
    );
    const depot = one<{ id: string; name: string }>("select id, name from sites where kind <> 'central_store' order by code limit 1");
    const orderRef = orderFor(s, st.site_id, depot.name, [{ articleId: bulk.article_id, quantity: 5 }], { route: 'Rutt', toSiteId: depot.id });
    pick(s, actor, { orderRef, articleId: bulk.article_id, fromLocationId: bulk.location_id, quantity: 5 });
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', bulk.article_id, dispatch).q).toBeGreaterThanOrEqual(5);
    const p = openPallet(s, actor, { route: 'Rutt', deliveryDay: '2026-11-26', deliveryPoint: depot.name, municipality: 'X' });
    expect(p.toSiteId).toBe(depot.id);
    addToPallet(s, actor, { palletId: p.id, articleId: bulk.article_id, quantity: 5 });
    closePallet(s, actor, p.id);

    const depotActor = stationAt(s, depot.id);
    const shelf = one<{ id: string }>("select id from locations where site_id = ? and kind in ('shelf', 'rack', 'floor') order by code limit 1", depot.id).id;
    const elsewhere = one<{ id: string }>("select id from locations where site_id = ? and kind = 'shelf' limit 1", st.site_id).id;
    expect(() => restockScan(s, depotActor, { sscc: p.sscc, locationId: elsewhere, articleId: bulk.article_id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'workflow.wrong_site' }));
    restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: bulk.article_id, quantity: 3 });
    // More than the pallet brought, or goods it never had, book nothing.
    expect(() => restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: bulk.article_id, quantity: 3 })).toThrowError(expect.objectContaining({ code: 'restock.more_than_sent' }));
    const other = one<{ id: string }>("select id from articles where rentable = 0 and tracking = 'none' and id <> ? limit 1", bulk.article_id).id;
    expect(() => restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: other, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'restock.more_than_sent' }));
    expect(restockReport(s, depot.id, p.sscc).lines[0]).toMatchObject({ expected: 5, received: 3 });
    const mistake = restockScan(s, depotActor, { sscc: p.sscc, locationId: shelf, articleId: bulk.article_id, quantity: 1 });
    expect(restockReport(s, depot.id, p.sscc).lines[0]).toMatchObject({ expected: 5, received: 4 });
    undoMovements(s, depotActor, mistake.map((m) => m.id));
    expect(restockReport(s, depot.id, p.sscc).lines[0]).toMatchObject({ expected: 5, received: 3 });

    const report = restockFinish(s, depotActor, p.sscc);
    expect(report.complete).toBe(false);
    expect(report.pallet.state).toBe('received');
    expect(report.pallet.items.map((i) => i.receivedState)).toEqual(['missing']);
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', bulk.article_id, shelf).q).toBeGreaterThanOrEqual(3);
    const change = JSON.parse((one<{ payload: string }>("select payload from outbox where kind = 'entities' order by seq desc limit 1")).payload).changes[0];
    expect(change[2].items[0].received_state).toBe('missing');
  });
});

/** Boden with its orders: a worker there, its dispatch, goods on its shelves to pick. */
function boden() {
  const s = tinyStore();
  store = s;
  const { one } = queries(s);
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id;
  const actor = { stationId: st.id, userId: user, siteId: st.site_id };
  const site = (code: string) => one<{ id: string; name: string }>('select id, name from sites where code = ?', code);
  const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", st.site_id).id;
  const individual = () =>
    one<{ id: string; n: string; articleId: string; locationId: string }>(
      `select i.id, i.individual_number as n, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id
       where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' order by i.individual_number limit 1`,
      st.site_id,
    );
  const bulk = () =>
    one<{ articleId: string; n: string; locationId: string }>(
      `select b.article_id as articleId, a.article_number as n, b.location_id as locationId from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
       where l.site_id = ? and l.level = 'bin' and b.lot = '' and b.quantity >= 10 and a.tracking = 'none' and not exists (select 1 from individuals i where i.article_id = a.id)
       order by a.article_number limit 1`,
      st.site_id,
    );
  const balances = () => s.sqlite.prepare('select article_id, location_id, lot, quantity from balances order by article_id, location_id, lot').all();
  /** A pallet for a depot, with bulk goods picked for its refill order, closed and sent. */
  const refillFor = (code: string, quantity = 4) => {
    const depot = site(code);
    const b = bulk();
    const orderRef = orderFor(s, st.site_id, depot.name, [{ articleId: b.articleId, quantity }], { toSiteId: depot.id });
    pick(s, actor, { orderRef, articleId: b.articleId, fromLocationId: b.locationId, quantity });
    const p = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: depot.name, municipality: 'Kommun' });
    expect(p.toSiteId).toBe(depot.id);
    addToPallet(s, actor, { palletId: p.id, articleId: b.articleId, quantity });
    return { ...closePallet(s, actor, p.id).pallet, articleId: b.articleId };
  };
  /** A pallet for a customer's delivery point (not a site), with an individual picked for it, closed and sent. */
  const customerPallet = () => {
    const ind = individual();
    const orderRef = orderFor(s, st.site_id, 'Kalix vårdcentral', [{ articleId: ind.articleId, quantity: 1 }]);
    pick(s, actor, { orderRef, articleId: ind.articleId, fromLocationId: ind.locationId, individualId: ind.id, quantity: 1 });
    const p = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix' });
    expect(p.toSiteId).toBeNull();
    addToPallet(s, actor, { palletId: p.id, articleId: ind.articleId, individualId: ind.id, quantity: 1 });
    return { ...closePallet(s, actor, p.id).pallet, individualId: ind.id };
  };
  return { s, one, actor, site, dispatch, individual, bulk, balances, refillFor, customerPallet };
}

const refused = (f: () => unknown, code: string, sv?: string | RegExp) => {
  let error: unknown = null;
  try {
    f();
  } catch (e) {
    error = e;
  }
  expect(error).toMatchObject({ code });
  if (typeof sv === 'string') expect((error as DepotError).userMessage.sv).toBe(sv);
  else if (sv) expect((error as DepotError).userMessage.sv).toMatch(sv);
};

describe('what goes on a pallet', () => {
  it('takes an individual only onto a pallet for the delivery point, route and day of the order it was picked for', () => {
    const { s, actor, individual, dispatch } = boden();
    const ind = individual();
    const bod = actor.siteId;
    const kalix = orderFor(s, bod, 'Kalix vårdcentral', [{ articleId: ind.articleId, quantity: 1 }]);
    const solgarden = orderFor(s, bod, 'Solgården', [{ articleId: ind.articleId, quantity: 1 }]);
    const [picked] = pick(s, actor, { orderRef: kalix, articleId: ind.articleId, fromLocationId: ind.locationId, individualId: ind.id, quantity: 1 }).movements;
    const open = (deliveryPoint: string, deliveryDay = '2026-11-26') => openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay, deliveryPoint, municipality: 'Kalix' });
    const toSolgarden = open('Solgården');
    const toKalix = open('Kalix vårdcentral');
    const toKalixLater = open('Kalix vårdcentral', '2026-11-27');
    const add = (palletId: string) => addToPallet(s, actor, { palletId, articleId: ind.articleId, individualId: ind.id, quantity: 1 });

    refused(() => add(toSolgarden.id), 'pallets.other_delivery_point', `${ind.n} är plockad till Kalix vårdcentral, inte till Solgården. Lägg den på den pallen.`);
    refused(() => add(toKalixLater.id), 'pallets.other_delivery', /2026-11-26/);
    // The order the screen or a caller names does not change what it was picked for.
    refused(() => addToPallet(s, actor, { palletId: toSolgarden.id, articleId: ind.articleId, individualId: ind.id, quantity: 1, orderRef: solgarden }), 'pallets.other_delivery_point');
    expect(pallet(s, toSolgarden.id).items).toEqual([]);
    expect(add(toKalix.id).items.map((i) => i.orderRef)).toEqual([kalix]);

    // Taken off, the pick undone and picked again for Solgården: its latest pick decides.
    removeFromPallet(s, actor.siteId, toKalix.id, pallet(s, toKalix.id).items[0]!.id);
    undoMovements(s, actor, [picked!.id]);
    // Carried to dispatch by hand after the undo, it is picked for no order.
    const [carried] = moveStock(s, actor, { articleId: ind.articleId, individualId: ind.id, quantity: 1, fromLocationId: ind.locationId, toLocationId: dispatch }, 'move');
    refused(() => add(toKalix.id), 'pallets.no_order', `${ind.n} är inte plockad till någon order. Plocka den till sin order först.`);
    undoMovements(s, actor, [carried!.id]);
    pick(s, actor, { orderRef: solgarden, articleId: ind.articleId, fromLocationId: ind.locationId, individualId: ind.id, quantity: 1 });
    refused(() => add(toKalix.id), 'pallets.other_delivery_point', `${ind.n} är plockad till Solgården, inte till Kalix vårdcentral. Lägg den på den pallen.`);
    expect(add(toSolgarden.id).items.map((i) => i.orderRef)).toEqual([solgarden]);
  });

  it('takes bulk goods only as far as they were picked for the pallet’s delivery point, and names where the rest goes', () => {
    const { s, actor, bulk, dispatch, one } = boden();
    const b = bulk();
    const bod = actor.siteId;
    const kalix = orderFor(s, bod, 'Kalix vårdcentral', [{ articleId: b.articleId, quantity: 3 }]);
    const solgarden = orderFor(s, bod, 'Solgården', [{ articleId: b.articleId, quantity: 2 }]);
    pick(s, actor, { orderRef: kalix, articleId: b.articleId, fromLocationId: b.locationId, quantity: 3 });
    pick(s, actor, { orderRef: solgarden, articleId: b.articleId, fromLocationId: b.locationId, quantity: 2 });
    const atDispatch = one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', b.articleId, dispatch).q;
    expect(atDispatch).toBeGreaterThanOrEqual(5);
    const toSolgarden = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Solgården', municipality: 'Kalix' });
    const toKalix = openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix' });
    const add = (palletId: string, quantity: number, orderRef?: string) => addToPallet(s, actor, { palletId, articleId: b.articleId, quantity, orderRef });

    refused(() => add(toSolgarden.id, 3), 'pallets.not_picked_for', `Bara 2 st ${b.n} är plockade till Solgården och inte redan lagda på pall. Resten är plockad till Kalix vårdcentral.`);
    expect(add(toSolgarden.id, 2).items.map((i) => [i.quantity, i.orderRef])).toEqual([[2, solgarden]]);
    refused(() => add(toSolgarden.id, 1), 'pallets.other_delivery_point', `${b.n} är plockad till Kalix vårdcentral, inte till Solgården. Lägg den på den pallen.`);
    refused(() => add(toSolgarden.id, 1, kalix), 'pallets.other_delivery_point', `${b.n} är plockad till Kalix vårdcentral, inte till Solgården. Lägg den på den pallen.`);
    refused(() => add(toKalix.id, 1, solgarden), 'pallets.other_delivery_point');
    refused(() => add(toKalix.id, 4, kalix), 'pallets.not_picked', 'Det finns bara 3 plockade vid utlastningen.');
    expect(add(toKalix.id, 3, kalix).items.map((i) => [i.quantity, i.orderRef])).toEqual([[3, kalix]]);
    expect(pallet(s, toSolgarden.id).items.map((i) => i.quantity)).toEqual([2]);
    expect(one<{ q: number }>('select quantity as q from balances where article_id = ? and location_id = ?', b.articleId, dispatch).q).toBe(atDispatch);
  });
});

describe('delivering a customer’s pallet', () => {
  it('puts each device on it on loan to its order from the moment it is delivered, once; a return takes it back', async () => {
    const { returnIndividual } = await import('../../db/workflows/returns');
    const { deliverPallet } = await import('../../db/workflows/pallets');
    const w = boden();
    const p = w.customerPallet();
    const orderRef = w.one<{ r: string }>("select order_ref as r from movements where individual_id = ? and reason = 'pick' order by recorded_at desc, seq desc limit 1", p.individualId).r;
    expect(orderRef).toMatch(/^KO-/);
    // Before it is delivered, it is nobody's: a return refuses it, and it goes on no second pallet while it waits on this one.
    refused(() => returnIndividual(w.s, w.actor, { individualId: p.individualId, missing: [] }), 'returns.not_on_loan');
    const again = openPallet(w.s, w.actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix' });
    const articleId = w.one<{ a: string }>('select article_id as a from individuals where id = ?', p.individualId).a;
    refused(() => addToPallet(w.s, w.actor, { palletId: again.id, articleId, individualId: p.individualId, quantity: 1 }), 'pallets.already_on', new RegExp(p.sscc));
    const before = Date.now();
    const { pallet: done, movements } = deliverPallet(w.s, w.actor, p.sscc);
    expect(done).toMatchObject({ state: 'delivered', deliveredBy: expect.any(String) });
    expect(done.deliveredAt).toBeGreaterThanOrEqual(before);
    expect(movements.map((m) => [m.reason, m.orderRef, m.fromLocationId, m.toLocationId])).toEqual([['delivery', orderRef, w.dispatch, null]]);
    expect(w.one('select status, location_id as l from individuals where id = ?', p.individualId)).toEqual({ status: 'on_loan', l: null });
    // Once: a second scan says when and by whom, and changes nothing.
    const after = w.balances();
    refused(() => deliverPallet(w.s, w.actor, p.sscc), 'deliveries.already', /^Pall \d{18} levererades \d{4}-\d{2}-\d{2} kl\. \d{2}:\d{2} av /);
    expect(w.balances()).toEqual(after);
    // It comes back: the return is taken, into the reconditioning queue.
    returnIndividual(w.s, w.actor, { individualId: p.individualId, missing: [] });
    expect(w.one('select status from individuals where id = ?', p.individualId)).toEqual({ status: 'returned' });
  });

  it('delivers neither an open pallet nor a depot’s, nor another site’s, and a technician not at all', async () => {
    const { deliverPallet } = await import('../../db/workflows/pallets');
    const w = boden();
    const refill = w.refillFor('LUL');
    refused(() => deliverPallet(w.s, w.actor, refill.sscc), 'deliveries.depot_pallet');
    const open = openPallet(w.s, w.actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix' });
    refused(() => deliverPallet(w.s, w.actor, open.sscc), 'deliveries.not_closed');
    const p = w.customerPallet();
    const api = createApi(w.s);
    const tech = await signedIn(api, 'technician');
    expect(await tech.call('deliveries.confirm', { idOrSscc: p.sscc })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    refused(() => deliverPallet(w.s, stationAt(w.s, w.site('LUL').id), p.sscc), 'pallets.not_built_here');
    const worker = await signedIn(api, 'warehouse_worker');
    w.s.sqlite.prepare('update station set site_id = ?').run(w.actor.siteId);
    expect(await worker.call('deliveries.list', { route: 'Rutt Luleå', deliveryDay: '2026-11-26' })).toMatchObject({ ok: true, value: expect.arrayContaining([expect.objectContaining({ sscc: p.sscc, state: 'closed' })]) });
    expect(await worker.call('deliveries.confirm', { idOrSscc: p.sscc })).toMatchObject({ ok: true, value: { state: 'delivered' } });
  });
});

describe('where a pallet is received', () => {
  it('never receives a customer’s delivery into stock, neither where it was built nor at a depot', () => {
    const w = boden();
    const p = w.customerPallet();
    const before = w.balances();
    const received = () => w.one<{ n: number }>("select count(*) as n from movements where order_ref = ? and reason = 'transfer'", p.sscc).n;
    refused(() => receivePallet(w.s, w.actor, p.sscc), 'pallets.customer_delivery', new RegExp(`^Pall ${p.sscc} är en leverans till Kalix vårdcentral; den tas inte emot i lager\\.`));
    const depot = stationAt(w.s, w.site('LUL').id);
    refused(() => receivePallet(w.s, depot, p.sscc), 'pallets.customer_delivery');
    expect(w.balances()).toEqual(before);
    expect(received()).toBe(0);
    // Closed, it waits at dispatch for its delivery.
    expect(w.one('select status, location_id as l from individuals where id = ?', p.individualId)).toEqual({ status: 'reserved', l: w.dispatch });
    expect(pallet(w.s, p.id).state).toBe('closed');
  });

  it('receives a depot’s pallet only at that depot, once, and only there are differences reported', () => {
    const w = boden();
    const lul = w.site('LUL');
    const p = w.refillFor('LUL');
    const before = w.balances();
    refused(() => receivePallet(w.s, w.actor, p.sscc), 'pallets.other_site', `Pall ${p.sscc} ska till ${lul.name}, inte hit. Den tas emot där.`);
    refused(() => receivePallet(w.s, stationAt(w.s, w.site('JKK').id), p.sscc), 'pallets.other_site');
    expect(w.balances()).toEqual(before);
    expect(pallet(w.s, p.id).state).toBe('closed');

    const depot = stationAt(w.s, lul.id);
    const got = receivePallet(w.s, depot, p.sscc);
    expect(got.pallet.state).toBe('received');
    const at = w.one<{ at: number }>('select received_at as at from pallets where id = ?', p.id).at;
    const t = new Date(at);
    const time = `${String(t.getHours()).padStart(2, '0')}:${String(t.getMinutes()).padStart(2, '0')}`;
    const afterOnce = w.balances();
    refused(() => receivePallet(w.s, depot, p.sscc), 'pallets.already_received', `Pall ${p.sscc} togs emot ${localDay(at)} kl. ${time}. En pall tas emot en gång.`);
    expect(w.balances()).toEqual(afterOnce);

    // Boden cannot report a line of it missing: that is the depot's to do.
    refused(() => reportMissing(w.s, stationAt(w.s, w.actor.siteId), p.id, got.pallet.items[0]!.id), 'pallets.other_site');
    expect(w.balances()).toEqual(afterOnce);
    // Nor is a pallet's receipt undone: the pallet would stay received with its goods gone from the record.
    refused(() => undoMovements(w.s, depot, got.movements.map((m) => m.id)), 'undo.not_here');
    // A closed pallet's shipment is not undone either: the goods would be both in Boden and on their way.
    refused(() => undoMovements(w.s, stationAt(w.s, w.actor.siteId), w.s.sqlite.prepare("select id from movements where reason = 'dispatch' and order_ref = ?").all(p.sscc).map((r) => (r as { id: string }).id)), 'undo.not_here');
    expect(w.balances()).toEqual(afterOnce);
  });

  it('is built and closed only where it was opened, and goes where its delivery point says', () => {
    const w = boden();
    const ind = w.individual();
    const orderRef = orderFor(w.s, w.actor.siteId, 'Kalix vårdcentral', [{ articleId: ind.articleId, quantity: 1 }]);
    pick(w.s, w.actor, { orderRef, articleId: ind.articleId, fromLocationId: ind.locationId, individualId: ind.id, quantity: 1 });
    // A raw call cannot address a customer's pallet to a site: where it goes follows from its delivery point.
    const p = openPallet(w.s, w.actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix', toSiteId: w.site('LUL').id } as Parameters<typeof openPallet>[2]);
    expect(p.toSiteId).toBeNull();
    const depot = stationAt(w.s, w.site('LUL').id);
    refused(() => addToPallet(w.s, depot, { palletId: p.id, articleId: ind.articleId, individualId: ind.id, quantity: 1 }), 'pallets.not_built_here');
    addToPallet(w.s, stationAt(w.s, w.actor.siteId), { palletId: p.id, articleId: ind.articleId, individualId: ind.id, quantity: 1 });
    const before = w.balances();
    refused(() => closePallet(w.s, depot, p.id), 'pallets.not_built_here');
    refused(() => removeFromPallet(w.s, depot.siteId, p.id, pallet(w.s, p.id).items[0]!.id), 'pallets.not_built_here');
    expect(w.balances()).toEqual(before);
    expect(pallet(w.s, p.id)).toMatchObject({ state: 'open', items: [{ individualNumber: ind.n }] });
  });
});

describe('a restocking run checks the pallet first', () => {
  it('refuses a customer’s pallet and another depot’s pallet when the pallet is scanned, and at every step after', async () => {
    const { restockFinish, restockScan, restockStart } = await import('../../db/workflows/restock');
    const w = boden();
    const customer = w.customerPallet();
    const forJokkmokk = w.refillFor('JKK', 2);
    const forLulea = w.refillFor('LUL', 3);
    const lul = w.site('LUL').id;
    const depot = stationAt(w.s, lul);
    const shelf = w.one<{ id: string }>("select id from locations where site_id = ? and kind in ('shelf', 'rack', 'floor') order by code limit 1", lul).id;
    const before = w.balances();

    refused(() => restockStart(w.s, lul, customer.sscc), 'pallets.customer_delivery');
    refused(() => restockStart(w.s, lul, forJokkmokk.sscc), 'pallets.other_site');
    const ind = w.one<{ articleId: string }>('select article_id as articleId from individuals where id = ?', customer.individualId);
    refused(() => restockScan(w.s, depot, { sscc: customer.sscc, locationId: shelf, articleId: ind.articleId, individualId: customer.individualId, quantity: 1 }), 'pallets.customer_delivery');
    refused(() => restockScan(w.s, depot, { sscc: forJokkmokk.sscc, locationId: shelf, articleId: forJokkmokk.articleId, quantity: 1 }), 'pallets.other_site');
    refused(() => restockFinish(w.s, depot, customer.sscc), 'pallets.customer_delivery');
    refused(() => restockFinish(w.s, depot, forJokkmokk.sscc), 'pallets.other_site');
    expect(w.balances()).toEqual(before);
    expect([pallet(w.s, customer.id).state, pallet(w.s, forJokkmokk.id).state]).toEqual(['closed', 'closed']);

    // Its own pallet: the manifest; once shelving has begun, the pallet is not also taken in all at once.
    expect(restockStart(w.s, lul, forLulea.sscc).lines.map((l) => [l.expected, l.received])).toEqual([[3, 0]]);
    restockScan(w.s, depot, { sscc: forLulea.sscc, locationId: shelf, articleId: forLulea.articleId, quantity: 3 });
    refused(() => receivePallet(w.s, depot, forLulea.sscc), 'pallets.restock_started');
    expect(restockFinish(w.s, depot, forLulea.sscc).complete).toBe(true);
    refused(() => restockStart(w.s, lul, forLulea.sscc), 'pallets.already_received', /togs emot/);
    refused(() => restockScan(w.s, depot, { sscc: forLulea.sscc, locationId: shelf, articleId: forLulea.articleId, quantity: 1 }), 'pallets.already_received');
  });

  it('refuses it through the API at the pallet scan, before a shelf is asked for', async () => {
    const w = boden();
    const customer = w.customerPallet();
    const api = createApi(w.s);
    const worker = await signedIn(api, 'warehouse_worker');
    expect(await worker.call('restock.start', { sscc: customer.sscc })).toMatchObject({ ok: false, error: { code: 'pallets.customer_delivery' } });
    expect(await worker.call('pallets.receive', { sscc: customer.sscc })).toMatchObject({ ok: false, error: { code: 'pallets.customer_delivery' } });
  });
});

describe('pallets, whatever is scanned onto them', () => {
  it('hold only goods picked for their own delivery, never more than was picked for it', () => {
    const points = ['Kalix vårdcentral', 'Solgården', 'Sunderby hälsocentral'] as const;
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 3, maxLength: 3 }),
        fc.array(fc.record({ pallet: fc.integer({ min: 0, max: 2 }), quantity: fc.integer({ min: 1, max: 4 }), order: fc.option(fc.integer({ min: 0, max: 2 })) }), { maxLength: 8 }),
        (picked, adds) => {
          store?.close();
          const { s, actor, bulk, one } = boden();
          const b = bulk();
          const orderRefs = points.map((point) => orderFor(s, actor.siteId, point, [{ articleId: b.articleId, quantity: 3 }]));
          picked.forEach((q, i) => q > 0 && pick(s, actor, { orderRef: orderRefs[i]!, articleId: b.articleId, fromLocationId: b.locationId, quantity: q }));
          const pallets = points.map((deliveryPoint) => openPallet(s, actor, { route: 'Rutt Luleå', deliveryDay: '2026-11-26', deliveryPoint, municipality: 'Kommun' }));
          for (const a of adds) {
            try {
              addToPallet(s, actor, { palletId: pallets[a.pallet]!.id, articleId: b.articleId, quantity: a.quantity, orderRef: a.order === null ? null : orderRefs[a.order] });
            } catch (e) {
              expect((e as DepotError).code).toMatch(/^pallets\./);
            }
          }
          points.forEach((_, i) => {
            const items = pallet(s, pallets[i]!.id).items;
            expect(items.every((it) => it.orderRef === orderRefs[i])).toBe(true);
            expect(items.reduce((n, it) => n + it.quantity, 0)).toBeLessThanOrEqual(picked[i]!);
          });
          expect(one<{ n: number }>('select count(*) as n from pallet_items where order_ref is null').n).toBe(0);
        },
      ),
      { numRuns: 15 },
    );
  });
});
