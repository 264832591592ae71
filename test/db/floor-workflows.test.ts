/**
 * The scanning workflows as a worker meets them on the floor: one scan counts one unit (unless a
 * quantity was typed first) and says how far the line is; what the core would refuse is refused at
 * the first scan that shows it, with nothing waiting and nothing booked; undo says what it undid;
 * and closing a pallet with goods for its delivery point still at dispatch is refused, naming
 * them, until the worker confirms.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import type { WorkflowView } from '../../db/workflows/machines/table';
import { addToPallet, closePallet, loading, openPallet } from '../../db/workflows/pallets';
import { pick } from '../../db/workflows/picking';
import { openWorkflow, workflowInput } from '../../db/workflows/sessions';
import { uuidv7 } from '../../db/ids';
import { createApi } from '../../api/dispatch';
import { atTinyStation, scanOf, signedIn } from '../helpers';

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const ROUTE = 'Rutt Flyt';
const DAY = '2026-11-26';
const POINT = 'Kalix vårdcentral';
let orders = 0;

/** A customer order for `quantity` of a bulk article in stock at the station's site, to a delivery point that is no site. */
function bulkOrder(s: StationDb, siteId: string, quantity: number) {
  const one = <T>(sql: string, ...args: unknown[]) => s.sqlite.prepare(sql).get(...args) as T;
  const bulk = one<{ articleId: string; locationId: string; code: string; number: string }>(
    `select b.article_id as articleId, b.location_id as locationId, l.code, a.article_number as number from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.level = 'bin' and l.kind in ('shelf', 'rack', 'floor') and b.lot = '' and b.quantity >= ? and a.tracking = 'none' and a.rentable = 0
       and not exists (select 1 from individuals i where i.article_id = a.id) order by a.article_number limit 1`,
    siteId,
    quantity + 5,
  );
  const orderId = uuidv7();
  const orderRef = `KO-${7_800_000 + ++orders}`;
  s.sqlite
    .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'KST-1', ?, 'Kalix', ?, ?, ?, ?)")
    .run(orderId, orderRef, POINT, ROUTE, DAY, Date.parse('2026-11-16T08:00:00'), siteId);
  s.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, ?)').run(uuidv7(), orderId, bulk.articleId, quantity);
  return { orderRef, ...bulk };
}

function station() {
  const t = atTinyStation();
  stores.push(t.s);
  const movements = () => t.one<{ n: number }>('select count(*) as n from movements').n;
  return { ...t, movements };
}

describe('one scan, one unit, and the line says so', () => {
  it('picking: each article scan picks one unit and says "n av m"; a typed quantity counts for the next scan only; undo says where it went back', () => {
    const { s, actor, one } = station();
    const o = bulkOrder(s, actor.siteId, 3);
    type V = WorkflowView<'pick'>;
    const input = (i: Parameters<typeof workflowInput>[3]) => workflowInput(s, actor, 'pick', i, Date.now()).view as V;
    openWorkflow(s, actor, 'pick', Date.now());
    input({ kind: 'route', route: ROUTE, deliveryDay: DAY });
    input(scanOf(s, o.code));
    let view = input(scanOf(s, o.number));
    expect(view.feedback).toMatchObject({ kind: 'ok', message: { sv: `${o.number} plockad till ${o.orderRef}: 1 av 3.`, en: `${o.number} picked for ${o.orderRef}: 1 of 3.` } });
    expect(view.state.orders.find((x) => x.orderRef === o.orderRef)?.lines[0]).toMatchObject({ picked: 1, ordered: 3 });

    // Undo says what went back where, and the line reads 0 of 3 again.
    view = input(scanOf(s, 'CMD-UNDO'));
    expect(view.feedback?.message).toEqual({ sv: `Ångrat: 1 st ${o.number} tillbaka till ${o.code}.`, en: `Undone: 1 × ${o.number} back to ${o.code}.` });
    expect(view.state.orders.find((x) => x.orderRef === o.orderRef)?.lines[0]).toMatchObject({ picked: 0 });

    // Typed first: that scan picks two, the next one again.
    input({ kind: 'quantity', quantity: 2 });
    view = input(scanOf(s, o.number));
    expect(view.feedback?.message.sv).toBe(`2 st ${o.number} plockade till ${o.orderRef}: 2 av 3.`);
    expect(view.state.quantity).toBeNull();
    view = input(scanOf(s, o.number));
    expect(view.feedback?.message.sv).toBe(`${o.number} plockad till ${o.orderRef}: 3 av 3.`);
    expect(one<{ q: number }>("select sum(quantity) as q from movements where order_ref = ? and reason = 'pick'", o.orderRef).q).toBe(1 + 2 + 1);
  });
});

describe('closing a pallet with goods left to load', () => {
  it('the pallet counts "n av m" per scan; closing is refused while picked goods for its delivery point are on no pallet, until confirmed', () => {
    const { s, actor, movements } = station();
    const o = bulkOrder(s, actor.siteId, 3);
    pick(s, actor, { orderRef: o.orderRef, articleId: o.articleId, fromLocationId: o.locationId, quantity: 3 });
    type V = WorkflowView<'pallet'>;
    const input = (i: Parameters<typeof workflowInput>[3]) => workflowInput(s, actor, 'pallet', i, Date.now()).view as V;
    openWorkflow(s, actor, 'pallet', Date.now());
    input({ kind: 'route', route: ROUTE, deliveryDay: DAY });
    input({ kind: 'deliveryPoint', deliveryPoint: POINT, municipality: 'Kalix' });
    let view = input({ kind: 'command', command: 'confirm' });
    const sscc = view.state.pallet!.sscc;
    expect(view.state.loading).toEqual([expect.objectContaining({ deliveryPoint: POINT, articleId: o.articleId, picked: 3, loaded: 0 })]);

    view = input(scanOf(s, o.number));
    expect(view.feedback?.message.sv).toBe(`${o.number} lagd på pallen: 1 av 3 (1 rad på pallen).`);
    // The card does what the button does, and says what it took off.
    view = input(scanOf(s, 'CMD-UNDO'));
    expect(view.feedback?.message).toEqual({ sv: `Ångrat: ${o.number} av pall ${sscc}.`, en: `Undone: ${o.number} off pallet ${sscc}.` });
    expect(view.state.pallet?.items).toEqual([]);
    input(scanOf(s, o.number));
    view = input(scanOf(s, o.number));
    expect(view.feedback?.message.en).toBe(`${o.number} put on the pallet: 2 of 3 (2 lines on the pallet).`);

    // DONE: refused by the core, naming what is left; nothing is booked and the pallet stays open.
    const before = movements();
    view = input(scanOf(s, 'CMD-DONE'));
    expect(view.feedback).toMatchObject({ kind: 'warn', message: { sv: expect.stringContaining(`Kvar att lasta till ${POINT}: 1 st ${o.number}`) } });
    expect(view.state).toMatchObject({ closing: true, pallet: { state: 'open' } });
    expect(view.state.loading).toEqual([expect.objectContaining({ picked: 3, loaded: 2 })]);
    expect(view.prompt.sv).toContain('BEKRÄFTA');
    // Cancelled: still open, still building.
    view = input(scanOf(s, 'CMD-CANCEL'));
    expect(view.state).toMatchObject({ closing: false, pallet: { sscc, state: 'open' } });
    expect(movements()).toBe(before);
    // Asked again and confirmed: closed without the last one.
    input(scanOf(s, 'CMD-DONE'));
    view = input(scanOf(s, 'CMD-CONFIRM'));
    expect(view.state).toMatchObject({ closing: false, pallet: { sscc, state: 'closed' } });
    expect(loading(s, actor.siteId, ROUTE, DAY)).toEqual([expect.objectContaining({ picked: 3, loaded: 2 })]);
  });

  it('closes at once when everything picked for the delivery point is on a pallet; the plain call refuses with what is left unless told to leave it', () => {
    const { s, actor } = station();
    const o = bulkOrder(s, actor.siteId, 2);
    pick(s, actor, { orderRef: o.orderRef, articleId: o.articleId, fromLocationId: o.locationId, quantity: 2 });
    const p = openPallet(s, actor, { route: ROUTE, deliveryDay: DAY, deliveryPoint: POINT, municipality: 'Kalix' });
    addToPallet(s, actor, { palletId: p.id, articleId: o.articleId, quantity: 1 });
    expect(() => closePallet(s, actor, p.id, { leaveBehind: false })).toThrowError(expect.objectContaining({ code: 'pallets.left_to_load' }));
    addToPallet(s, actor, { palletId: p.id, articleId: o.articleId, quantity: 1 });
    expect(closePallet(s, actor, p.id, { leaveBehind: false }).pallet.state).toBe('closed');
  });

  it('the API refuses closing with goods left to load, naming them, and closes once told to leave them', async () => {
    const { s, actor } = station();
    const o = bulkOrder(s, actor.siteId, 2);
    pick(s, actor, { orderRef: o.orderRef, articleId: o.articleId, fromLocationId: o.locationId, quantity: 2 });
    const p = openPallet(s, actor, { route: ROUTE, deliveryDay: DAY, deliveryPoint: POINT, municipality: 'Kalix' });
    addToPallet(s, actor, { palletId: p.id, articleId: o.articleId, quantity: 1 });
    const worker = await signedIn(createApi(s), 'warehouse_worker');
    expect(await worker.call('pallets.close', { palletId: p.id })).toMatchObject({
      ok: false,
      error: { code: 'pallets.left_to_load', message: { sv: expect.stringContaining(`Kvar att lasta till ${POINT}: 1 st ${o.number}.`) } },
    });
    expect(await worker.call('pallets.close', { palletId: p.id, leaveBehind: true })).toMatchObject({ ok: true, value: { pallet: { state: 'closed' } } });
  });
});

describe('refused at the first scan that shows it', () => {
  it('putaway: another site’s location is refused when scanned, nothing waits for CONFIRM and nothing is booked', () => {
    const { s, actor, one, movements } = station();
    const o = bulkOrder(s, actor.siteId, 1);
    const elsewhere = one<{ code: string }>("select code from locations where site_id <> ? and level = 'bin' and retired_at is null order by code limit 1", actor.siteId).code;
    type V = WorkflowView<'putaway'>;
    const input = (i: Parameters<typeof workflowInput>[3]) => workflowInput(s, actor, 'putaway', i, Date.now()).view as V;
    openWorkflow(s, actor, 'putaway', Date.now());
    let view = input(scanOf(s, o.number));
    expect(view.state.suggestion).not.toBeNull();
    const before = movements();
    view = input(scanOf(s, elsewhere));
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: `Plats ${elsewhere} hör till ett annat förråd. Skanna en plats här.` } });
    expect(view.state.pending).toBeNull();
    expect(view.state.item?.label).toBe(o.number);
    view = input(scanOf(s, 'CMD-CONFIRM'));
    expect(view.state.pending).toBeNull();
    expect(movements()).toBe(before);
  });

  it('stock move: another site’s location to move from is refused when scanned; one here is where goods are moved from', () => {
    const { s, actor, one } = station();
    const elsewhere = one<{ code: string }>("select code from locations where site_id <> ? and level = 'bin' and retired_at is null order by code limit 1", actor.siteId).code;
    const here = one<{ code: string }>("select code from locations where site_id = ? and level = 'bin' and retired_at is null order by code limit 1", actor.siteId).code;
    type V = WorkflowView<'move'>;
    openWorkflow(s, actor, 'move', Date.now());
    let view = workflowInput(s, actor, 'move', scanOf(s, elsewhere), Date.now()).view as V;
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: `Plats ${elsewhere} hör till ett annat förråd. Skanna en plats här.` } });
    expect(view.state.from).toBeNull();
    view = workflowInput(s, actor, 'move', scanOf(s, here), Date.now()).view as V;
    expect(view.feedback?.message.sv).toBe(`Från ${here}. Skanna varan.`);
    expect(view.state.from?.code).toBe(here);
  });

  it('return: a device in stock is refused at its scan, before any component is asked for', () => {
    const { s, actor, one, movements } = station();
    const inStock = one<{ n: string }>("select individual_number as n from individuals where status = 'in_stock' and location_id is not null limit 1").n;
    type V = WorkflowView<'return'>;
    openWorkflow(s, actor, 'return', Date.now());
    const before = movements();
    const view = workflowInput(s, actor, 'return', scanOf(s, inStock), Date.now()).view as V;
    expect(view.feedback).toMatchObject({ kind: 'error', message: { sv: `Individ ${inStock} är inte utlånad, så den kan inte tas emot som retur. Kontrollera numret.` } });
    expect(view.state).toMatchObject({ device: null, looking: null, components: [] });
    expect(movements()).toBe(before);
  });
});
