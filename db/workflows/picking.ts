/**
 * Picking customer orders by delivery route and day. An order placed by 11:30 on the working day
 * before the delivery day makes that delivery. For a rentable article the station proposes the
 * ready individual that has waited longest (since it became ready, however often it was moved
 * between shelves since) among the article and its equivalents (articles of its equivalence
 * group, which stand in for each other), and nothing is picked without its individual.
 */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { addDays, previousWorkingDay } from '../../vocabulary/calendar';
import { maintenanceBlock } from '../service/maintenance';
import { firstExpiryFirst, lotExpiry } from '../stock/lots';
import { individualById, locationById, requireAtSite, siteZone } from './common';
import { proposedEn, proposedSv } from './machines/pick';
import { compareSwedish } from '../../vocabulary/language';

/** The last moment an order makes a delivery: 11:30 local time on the working day before (weekends and holidays skipped). */
export function orderCutoff(deliveryDay: string): Date {
  return new Date(`${previousWorkingDay(deliveryDay)}T11:30:00`);
}

/** Routes run weekly: how far apart a route's deliveries are, in days. */
export const ROUTE_INTERVAL_DAYS = 7;

/**
 * The delivery an order goes with: the day it asks for, or, placed after that day's cut-off, the
 * route's next delivery whose cut-off it makes.
 */
export function dueDay(deliveryDay: string, placedAt: number): string {
  let day = deliveryDay;
  // A year of weekly moves at most: an order dated further ahead than that is a wrong clock, not a plan.
  for (let moves = 0; moves < 53 && placedAt > orderCutoff(day).getTime(); moves++) day = addDays(day, ROUTE_INTERVAL_DAYS);
  return day;
}

/** How far back an order may ask for a day and still be due later (a year of weekly moves at most). */
const LOOKBACK_DAYS = 366;

export interface PickLine {
  lineNo: number;
  articleId: string;
  articleNumber: string;
  name: string;
  rentable: boolean;
  ordered: number;
  picked: number;
  /** Rentable articles of the same equivalence group, which may be picked for this line. */
  equivalents: string[];
  /** For a rentable article: the ready individual that has waited longest among the article and its equivalents, and where it is. */
  proposal: Proposal | null;
  /** For other articles: where there is stock (for an article followed by lot, the lot that expires first). */
  fromLocation: { locationId: string; code: string; quantity: number; lot?: string; expiresOn?: string | null } | null;
}

/** The individual picking proposes, and why: it has waited longest since it became ready (an equivalent article's, when that one has). */
export interface Proposal {
  individualId: string;
  individualNumber: string;
  locationId: string;
  locationCode: string;
  articleId: string;
  articleNumber: string;
  /** Since when it has been ready on a shelf. */
  readySince: number;
  /** Of an equivalent article, not the one ordered. */
  substitute: boolean;
}

export interface PickOrder {
  orderRef: string;
  customerRef: string;
  deliveryPoint: string;
  municipality: string;
  placedAt: number;
  /** Placed after the cut-off of the day it asked for: it goes with a later delivery, this one. */
  late: boolean;
  /** The day it asked for. */
  askedFor: string;
  lines: PickLine[];
}

/** The delivery an order goes with: its delivery point, route and the day it goes (a late order's is its route's next). */
export interface OrderDelivery {
  orderRef: string;
  deliveryPoint: string;
  route: string;
  deliveryDay: string;
}

export function orderDelivery(store: StationDb, siteId: string, orderRef: string): OrderDelivery {
  const o = stmt<OrderDelivery & { placedAt: number }>(
    store,
    'select order_ref as orderRef, delivery_point as deliveryPoint, route, delivery_day as deliveryDay, placed_at as placedAt from customer_orders where order_ref = ? and site_id = ?',
  ).get(orderRef, siteId);
  if (!o) throw new DepotError('picking.unknown_order', { sv: `Order ${orderRef} finns inte här.`, en: `Order ${orderRef} is not here.` }, 'orderRef');
  return { orderRef: o.orderRef, deliveryPoint: o.deliveryPoint, route: o.route, deliveryDay: dueDay(o.deliveryDay, o.placedAt) };
}

/** The route and delivery day an order goes with. */
export function orderRoute(store: StationDb, siteId: string, orderRef: string): { route: string; deliveryDay: string } {
  const { route, deliveryDay } = orderDelivery(store, siteId, orderRef);
  return { route, deliveryDay };
}

/** The routes and days this site delivers on, with how many orders each carries (late orders counted on the day they go). */
export function routesAndDays(store: StationDb, siteId: string): { route: string; deliveryDay: string; orders: number }[] {
  const due = new Map<string, { route: string; deliveryDay: string; orders: number }>();
  for (const o of stmt<{ route: string; deliveryDay: string; placedAt: number }>(
    store,
    'select route, delivery_day as deliveryDay, placed_at as placedAt from customer_orders where site_id = ?',
  ).iterate(siteId)) {
    const deliveryDay = dueDay(o.deliveryDay, o.placedAt);
    const key = `${o.route}\u0000${deliveryDay}`;
    const row = due.get(key);
    if (row) row.orders++;
    else due.set(key, { route: o.route, deliveryDay, orders: 1 });
  }
  return [...due.values()].sort((a, b) => a.deliveryDay.localeCompare(b.deliveryDay) || compareSwedish(a.route, b.route));
}

/** The orders of a route due on a day: those that asked for it in time, and late ones moved to it. */
export function ordersDue(store: StationDb, siteId: string, route: string, deliveryDay: string) {
  return stmt<{ id: string; orderRef: string; customerRef: string; deliveryPoint: string; municipality: string; placedAt: number; askedFor: string }>(
    store,
    `select id, order_ref as orderRef, customer_ref as customerRef, delivery_point as deliveryPoint, municipality, placed_at as placedAt, delivery_day as askedFor
     from customer_orders where site_id = ? and route = ? and delivery_day <= ? and delivery_day >= ? order by placed_at, order_ref`,
  )
    .all(siteId, route, deliveryDay, addDays(deliveryDay, -LOOKBACK_DAYS))
    .filter((o) => dueDay(o.askedFor, o.placedAt) === deliveryDay);
}

function proposal(store: StationDb, siteId: string, articleId: string, equivalents: readonly string[], taken: Set<string>): Proposal | null {
  const rows = stmt<Omit<Proposal, 'substitute'>>(
    store,
    `select i.id as individualId, i.individual_number as individualNumber, l.id as locationId, l.code as locationCode,
       a.id as articleId, a.article_number as articleNumber, coalesce(i.ready_since, i.updated_at) as readySince
     from individuals i join locations l on l.id = i.location_id join articles a on a.id = i.article_id
     where i.article_id in (select value from json_each(?)) and i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor', 'rack')
     order by coalesce(i.ready_since, i.updated_at), i.individual_number limit 20`,
  ).all(JSON.stringify([articleId, ...equivalents]), siteId);
  // A device whose preventive maintenance falls due soon is not offered.
  const p = rows.find((r) => !taken.has(r.individualId) && maintenanceBlock(store, r.individualId) === null);
  return p ? { ...p, substitute: p.articleId !== articleId } : null;
}

/** The rentable articles that stand in for a rentable article: the others of its equivalence group. */
function equivalentsOf(store: StationDb, articleId: string): string[] {
  return stmt<{ id: string }>(
    store,
    `select b.id from articles a join articles b on b.equivalence_group = a.equivalence_group and b.id <> a.id and b.rentable = 1
     where a.id = ? and a.rentable = 1 and a.equivalence_group is not null order by b.article_number`,
  )
    .all(articleId)
    .map((r) => r.id);
}

/**
 * How many of each line are picked: an order's picks of an article count first on its own line,
 * and what is left of an equivalent article on a rentable line it stands in for.
 */
function pickedPerLine<L extends { articleId: string; ordered: number; equivalents: string[] }>(store: StationDb, orderRef: string, lines: L[]): (L & { picked: number })[] {
  const left = new Map(
    stmt<{ articleId: string; n: number }>(
      store,
      `select article_id as articleId, sum(case when reason = 'pick' then quantity else -quantity end) as n
       from movements where order_ref = ? and reason in ('pick', 'correction') group by article_id`,
    )
      .all(orderRef)
      .map((r) => [r.articleId, r.n]),
  );
  const take = (articleId: string, want: number) => {
    const n = Math.max(0, Math.min(want, left.get(articleId) ?? 0));
    left.set(articleId, (left.get(articleId) ?? 0) - n);
    return n;
  };
  const counted = lines.map((l) => ({ ...l, picked: take(l.articleId, l.ordered) }));
  for (const l of counted) for (const e of l.equivalents) l.picked += take(e, l.ordered - l.picked);
  return counted;
}

export function pickList(store: StationDb, siteId: string, route: string, deliveryDay: string): PickOrder[] {
  const orders = ordersDue(store, siteId, route, deliveryDay);
  const taken = new Set<string>();
  return orders.map((o) => ({
    ...o,
    late: o.askedFor !== deliveryDay,
    lines: pickedPerLine(
      store,
      o.orderRef,
      stmt<{ lineNo: number; articleId: string; articleNumber: string; name: string; rentable: number; tracking: string; ordered: number }>(
        store,
        `select l.line_no as lineNo, a.id as articleId, a.article_number as articleNumber, a.name, a.rentable, a.tracking, l.quantity as ordered
         from customer_order_lines l join articles a on a.id = l.article_id where l.customer_order_id = ? order by l.line_no`,
      )
        .all(o.id)
        .map((l) => ({ ...l, equivalents: l.rentable === 1 ? equivalentsOf(store, l.articleId) : [] })),
    ).map(({ tracking, ...l }) => {
        const rentable = l.rentable === 1;
        const p = rentable && l.picked < l.ordered ? proposal(store, siteId, l.articleId, l.equivalents, taken) : null;
        if (p) taken.add(p.individualId);
        const first = !rentable && tracking !== 'none' ? firstExpiryFirst(store, siteId, l.articleId)[0] : undefined;
        const from = rentable
          ? null
          : first
            ? { locationId: first.locationId, code: first.code, quantity: first.quantity, lot: first.lot, expiresOn: first.expiresOn }
            : (stmt<{ locationId: string; code: string; quantity: number }>(
              store,
              `select l.id as locationId, l.code, b.quantity from balances b join locations l on l.id = b.location_id
               where b.article_id = ? and l.site_id = ? and l.level = 'bin' and b.quantity > 0 order by b.quantity desc limit 1`,
            ).get(l.articleId, siteId) ?? null);
        return { ...l, rentable, proposal: p, fromLocation: from };
      }),
  }));
}

/** The line a picked article goes on: its own line that still needs it, else a rentable line it stands in for. */
export function lineFor<L extends { articleId: string; equivalents: string[]; picked: number; ordered: number }>(lines: readonly L[], articleId: string): L | undefined {
  const open = lines.filter((l) => l.picked < l.ordered);
  return open.find((l) => l.articleId === articleId) ?? open.find((l) => l.equivalents.includes(articleId)) ?? lines.find((l) => l.articleId === articleId);
}

export interface PickInput {
  orderRef: string;
  articleId: string;
  fromLocationId: string;
  individualId?: string | null;
  quantity: number;
  lot?: string | null;
}

export function pick(store: StationDb, actor: Actor & { siteId: string }, input: PickInput): { movements: PostedMovement[]; notProposed: string | null } {
  return store.sqlite.transaction(() => {
    const order = orderRoute(store, actor.siteId, input.orderRef);
    const lines = pickList(store, actor.siteId, order.route, order.deliveryDay).find((o) => o.orderRef === input.orderRef)?.lines ?? [];
    const line = lineFor(lines, input.articleId);
    if (!line)
      throw new DepotError('picking.not_on_order', {
        sv: `Artikeln finns inte på order ${input.orderRef}. Lägg tillbaka den.`,
        en: `The article is not on order ${input.orderRef}. Put it back.`,
      });
    if (line.picked + input.quantity > line.ordered)
      throw new DepotError('picking.too_many', {
        sv: `Order ${input.orderRef} behöver bara ${line.ordered - line.picked} st till av ${line.articleNumber}.`,
        en: `Order ${input.orderRef} needs only ${line.ordered - line.picked} more of ${line.articleNumber}.`,
      });
    if (line.rentable && !input.individualId) {
      const p = line.proposal;
      throw new DepotError(
        'picking.individual_required',
        p
          ? {
              sv: `${line.articleNumber} följs per individ: skanna individens egen etikett. ${proposedSv(p)}`,
              en: `${line.articleNumber} is tracked one by one: scan the device's own label. ${proposedEn(p)}`,
            }
          : {
              sv: `${line.articleNumber} följs per individ: skanna individens egen etikett. Ingen färdig individ finns på hyllorna här.`,
              en: `${line.articleNumber} is tracked one by one: scan the device's own label. There is no ready individual on the shelves here.`,
            },
        'individualId',
      );
    }
    const from = locationById(store, input.fromLocationId);
    requireAtSite(from, actor.siteId);
    let notProposed: string | null = null;
    if (input.individualId) {
      const ind = individualById(store, input.individualId);
      if (ind.articleId !== input.articleId && !line.equivalents.includes(ind.articleId))
        throw new DepotError('stock.individual_article_mismatch', {
          sv: `${ind.individualNumber} hör inte till artikel ${line.articleNumber}.`,
          en: `${ind.individualNumber} does not belong to article ${line.articleNumber}.`,
        });
      if (ind.status !== 'in_stock')
        throw new DepotError('picking.not_ready', {
          sv: `${ind.individualNumber} är inte färdig att lämna ut. Välj en annan individ.`,
          en: `${ind.individualNumber} is not ready to go out. Choose another individual.`,
        });
      const blocked = maintenanceBlock(store, ind.id);
      if (blocked) throw new DepotError('picking.maintenance_due', blocked);
      if (line.proposal && line.proposal.individualId !== ind.id) notProposed = line.proposal.individualNumber;
    }
    // First expiry first: a later lot taken while an earlier one is on the shelves is said.
    const first = line.fromLocation?.lot;
    if (first && input.lot && input.lot !== first) {
      const mine = lotExpiry(store, input.articleId, input.lot);
      const theirs = line.fromLocation!.expiresOn ?? null;
      if (theirs !== null && (mine === null || mine > theirs)) notProposed = `batch ${first} (${theirs})`;
    }
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    const movements = postMovements(store, actor, [
      {
        // A device goes out as its own article, whichever line it stands in for.
        articleId: input.individualId ? individualById(store, input.individualId).articleId : input.articleId,
        individualId: input.individualId ?? null,
        lot: input.lot ?? null,
        fromLocationId: from.id,
        toLocationId: dispatch.id,
        quantity: input.quantity,
        reason: 'pick',
        orderRef: input.orderRef,
      },
    ], 'picking');
    return { movements, notProposed };
  })();
}
