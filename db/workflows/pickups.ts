/**
 * Pick-up orders (hämtorder): a device on loan is collected on its route's next collection day,
 * by the same weekly days and 11:30 cut-off as deliveries. Its return label (returlapp) prints
 * from the order; the collection list gives the driver each route's day. The pick-up is collected
 * when the device (or its returlapp, which carries the device's number) is taken in as a return,
 * which also ends its rental; an undone return opens the pick-up again.
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { Actor } from '../stock/ledger';
import { stmt } from '../statements';
import { resolveCode } from '../stock/resolve';
import { individualById } from './common';
import { dueDay } from './picking';

export interface PickupOrder {
  id: string;
  number: string;
  individualId: string;
  individualNumber: string;
  articleName: string;
  orderRef: string | null;
  customerRef: string | null;
  pickupPoint: string;
  municipality: string;
  route: string;
  collectionDay: string;
  placedAt: number;
  state: 'ordered' | 'collected' | 'cancelled';
  labelPrintedAt: number | null;
  closedAt: number | null;
}

const COLUMNS = `p.id, p.number, p.individual_id as individualId, i.individual_number as individualNumber, a.name as articleName, p.order_ref as orderRef,
  p.customer_ref as customerRef, p.pickup_point as pickupPoint, p.municipality, p.route, p.collection_day as collectionDay, p.placed_at as placedAt,
  p.state, p.label_printed_at as labelPrintedAt, p.closed_at as closedAt
  from pickup_orders p join individuals i on i.id = p.individual_id join articles a on a.id = i.article_id`;

export function pickupOrder(store: StationDb, idOrNumber: string): PickupOrder {
  const p = stmt<PickupOrder>(store, `select ${COLUMNS} where p.id = ? or p.number = ?`).get(idOrNumber, idOrNumber);
  if (!p) throw new DepotError('pickups.unknown', { sv: 'Okänd hämtorder.', en: 'Unknown pick-up order.' });
  return p;
}

/**
 * A device by its id, or by any code a scan or the keyboard gives for it (its number, serial
 * number or UDI), read as a scan reads it; any other code is refused saying what it is.
 */
export function deviceByCode(store: StationDb, code: string): string {
  const byId = stmt<{ id: string }>(store, 'select id from individuals where id = ?').get(code);
  if (byId) return byId.id;
  const r = resolveCode(store, code.trim());
  if (r.kind === 'individual') return r.id;
  throw new DepotError(
    'pickups.not_a_device',
    r.kind === 'unknown' ? r.message : { sv: 'Skanna hjälpmedlets egen individmärkning (I…), inte artikelns eller platsens kod.', en: "Scan the device's own individual label (I…), not the article's or the location's code." },
    'individual',
  );
}

/** The open pick-up of a device, if one is ordered. */
export function openPickupFor(store: StationDb, individualId: string): PickupOrder | undefined {
  return stmt<PickupOrder>(store, `select ${COLUMNS} where p.individual_id = ? and p.state = 'ordered'`).get(individualId);
}

export interface PickupInput {
  individualId: string;
  /** Where it is collected, when not where its loan went (a patient's home, another ward). */
  pickupPoint?: string | null;
  municipality?: string | null;
  route?: string | null;
  /** When the order came in (a pick-up arriving from the register keeps its time). */
  placedAt?: number;
}

/**
 * Orders the collection of a device on loan. It goes from where its loan was delivered, on that
 * route's next collection day whose cut-off (11:30 the working day before) it makes.
 */
export function orderPickup(store: StationDb, actor: Actor & { siteId: string }, input: PickupInput): PickupOrder {
  return store.sqlite.transaction(() => {
    const ind = individualById(store, input.individualId);
    if (ind.status !== 'on_loan' || ind.locationId !== null)
      throw new DepotError('pickups.not_on_loan', {
        sv: `${ind.individualNumber} är inte utlånad, så det finns inget att hämta.`,
        en: `${ind.individualNumber} is not on loan, so there is nothing to collect.`,
      });
    const open = openPickupFor(store, ind.id);
    if (open)
      throw new DepotError('pickups.already_ordered', {
        sv: `${ind.individualNumber} har redan hämtorder ${open.number} (${open.route} ${open.collectionDay}).`,
        en: `${ind.individualNumber} already has pick-up order ${open.number} (${open.route} ${open.collectionDay}).`,
      });
    const loan = stmt<{ orderRef: string; customerRef: string; deliveryPoint: string; municipality: string; route: string; deliveryDay: string; siteId: string }>(
      store,
      `select o.order_ref as orderRef, o.customer_ref as customerRef, o.delivery_point as deliveryPoint, o.municipality, o.route, o.delivery_day as deliveryDay, o.site_id as siteId
       from individuals i join customer_orders o on o.order_ref = i.loan_order_ref where i.id = ?`,
    ).get(ind.id);
    const pickupPoint = input.pickupPoint?.trim() || loan?.deliveryPoint;
    const municipality = input.municipality?.trim() || loan?.municipality;
    const route = input.route?.trim() || loan?.route;
    if (!pickupPoint || !municipality || !route)
      throw new DepotError('pickups.where', {
        sv: `Det syns inte vart ${ind.individualNumber} levererades. Ange hämtställe, kommun och rutt.`,
        en: `It is not known where ${ind.individualNumber} was delivered. Give the pick-up point, municipality and route.`,
      }, 'pickupPoint');
    // The route's weekday: the day its loan was delivered on, or the route's next delivery here.
    const routeDay =
      (loan && loan.route === route ? loan.deliveryDay : undefined) ??
      stmt<{ day: string }>(store, 'select delivery_day as day from customer_orders where route = ? and site_id = ? order by delivery_day desc limit 1').get(route, actor.siteId)?.day;
    if (!routeDay)
      throw new DepotError('pickups.unknown_route', { sv: `Rutt ${route} kör inte härifrån.`, en: `Route ${route} does not run from here.` }, 'route');
    const placedAt = input.placedAt ?? Date.now();
    const id = uuidv7(placedAt);
    const number = `HO-${new Date(placedAt).toISOString().slice(2, 10).replaceAll('-', '')}-${id.slice(-6).toUpperCase()}`;
    stmt(
      store,
      `insert into pickup_orders (id, number, site_id, individual_id, order_ref, customer_ref, pickup_point, municipality, route, collection_day, placed_at, placed_by, state)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'ordered')`,
    ).run(id, number, actor.siteId, ind.id, loan?.orderRef ?? null, loan?.customerRef ?? null, pickupPoint, municipality, route, dueDay(routeDay, placedAt), placedAt, actor.userId);
    return pickupOrder(store, id);
  })();
}

/** Withdraws a pick-up that is no longer wanted. */
export function cancelPickup(store: StationDb, actor: Actor, idOrNumber: string): PickupOrder {
  const p = pickupOrder(store, idOrNumber);
  if (p.state !== 'ordered')
    throw new DepotError('pickups.closed', { sv: `Hämtorder ${p.number} är redan avslutad.`, en: `Pick-up order ${p.number} is already closed.` });
  stmt(store, "update pickup_orders set state = 'cancelled', closed_at = ?, closed_by = ? where id = ?").run(Date.now(), actor.userId, p.id);
  return pickupOrder(store, p.id);
}

/** The device came back: its pick-up is collected (inside the return's transaction). */
export function collectPickup(store: StationDb, actor: Actor, individualId: string, at: number): PickupOrder | undefined {
  const p = openPickupFor(store, individualId);
  if (!p) return undefined;
  stmt(store, "update pickup_orders set state = 'collected', closed_at = ?, closed_by = ? where id = ?").run(at, actor.userId, p.id);
  return pickupOrder(store, p.id);
}

/** A return undone: the pick-up it collected is open again (the device is still out there). */
export function reopenPickup(store: StationDb, individualId: string): void {
  const last = stmt<{ id: string }>(store, "select id from pickup_orders where individual_id = ? and state = 'collected' order by closed_at desc limit 1").get(individualId);
  if (last && !openPickupFor(store, individualId)) stmt(store, "update pickup_orders set state = 'ordered', closed_at = null, closed_by = null where id = ?").run(last.id);
}

export function markReturnLabelPrinted(store: StationDb, pickupId: string): void {
  stmt(store, 'update pickup_orders set label_printed_at = ? where id = ?').run(Date.now(), pickupId);
}

/** The collection days with how many pick-ups each route carries. */
export function collectionDays(store: StationDb, siteId: string): { route: string; collectionDay: string; pickups: number }[] {
  return stmt<{ route: string; collectionDay: string; pickups: number }>(
    store,
    `select route, collection_day as collectionDay, count(*) as pickups from pickup_orders where site_id = ? and state = 'ordered'
     group by route, collection_day order by collection_day, route`,
  ).all(siteId);
}

/** A route's collection list for a day (every route's when none is named), in the order of the pick-up points. */
export function collectionList(store: StationDb, siteId: string, collectionDay: string, route?: string | null): PickupOrder[] {
  return stmt<PickupOrder>(
    store,
    `select ${COLUMNS} where p.site_id = ? and p.collection_day = ? and (? is null or p.route = ?) and p.state <> 'cancelled'
     order by sv_order(p.route), sv_order(p.municipality), sv_order(p.pickup_point), i.individual_number`,
  ).all(siteId, collectionDay, route ?? null, route ?? null);
}
