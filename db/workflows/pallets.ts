/**
 * Pallets for deliveries: picked goods at dispatch are scanned onto a pallet with its own SSCC.
 * A depot's pallet ships when it is closed (out of stock here, in transit), and the depot receiving
 * it by its SSCC takes everything in at once, then confirms or reports differences item by item. A
 * customer's pallet waits at dispatch once closed, until it is delivered at its delivery point:
 * then what is on it leaves stock, and each device on it is on loan to its order from that day.
 */
import { makeSscc } from '../../vocabulary/codes/sscc';
import { localDay } from '../../vocabulary/calendar';
import { DepotError } from '../../vocabulary/errors';
import { palletLabel, type Dpi } from '../../vocabulary/zpl';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { getSetting, putSetting } from '../settings';
import { audit } from '../audit';
import { queueChanges } from '../sync/outbox';
import { requireRole } from '../users/users';
import { SUPERVISOR_ROLES } from '../../vocabulary/domain';
import { maintenanceBlock } from '../service/maintenance';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { MAX_QUANTITY } from '../stock/rules';
import { stmt } from '../statements';
import { getStation } from '../station';
import { arrivalZone, individualById, siteZone } from './common';
import { dueDay, orderDelivery, ordersDue, type OrderDelivery } from './picking';

export interface Gs1Settings {
  companyPrefix: string;
  extensionDigit: number;
}

/** A demo company prefix; each region sets its own GS1 prefix, which the register hands to every station. */
export const DEFAULT_GS1: Gs1Settings = { companyPrefix: '7350000', extensionDigit: 3 };
export const GS1_KEY = 'gs1';

/** Who sets the region's GS1 company prefix. */
export const SETS_GS1 = SUPERVISOR_ROLES;

/** Whether the region's GS1 setting (the register's `setting` entity `gs1`) holds: a 7–10 digit company prefix and an extension digit. */
export const gs1Holds = (d: Record<string, unknown>): boolean =>
  d.id === GS1_KEY && typeof d.company_prefix === 'string' && /^\d{7,10}$/.test(d.company_prefix) && Number.isInteger(d.extension_digit) && (d.extension_digit as number) >= 0 && (d.extension_digit as number) <= 9;

/** The region's GS1 setting as the register's entity holds it. */
export const gs1Entity = (gs1: Gs1Settings, changedBy: string | null, changedAt: number): Record<string, unknown> => ({
  id: GS1_KEY,
  company_prefix: gs1.companyPrefix,
  extension_digit: gs1.extensionDigit,
  changed_by: changedBy,
  changed_at: changedAt,
});

/** Sets the region's GS1 company prefix and extension digit here, audited, and queues it for the register, which hands it to every station. */
export function saveGs1(store: StationDb, actor: Actor, gs1: Gs1Settings): Gs1Settings {
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, SETS_GS1, { sv: 'Bara en arbetsledare kan ändra GS1-prefixet.', en: 'Only a supervisor can change the GS1 prefix.' });
    const data = gs1Entity(gs1, actor.userId, Date.now());
    if (!gs1Holds(data))
      throw new DepotError('settings.bad_gs1', { sv: 'GS1-prefixet har 7–10 siffror och tilläggssiffran är 0–9.', en: 'The GS1 company prefix has 7–10 digits and the extension digit is 0–9.' }, 'companyPrefix');
    audit(store, { ...actor, action: 'settings.gs1', entity: 'setting', entityId: GS1_KEY, detail: gs1 });
    putSetting(store, GS1_KEY, gs1);
    queueChanges(store, [['setting', GS1_KEY, data]]);
    return gs1;
  })();
}

/** The next SSCC from a counter that never goes back, so no two pallets ever share one. */
export function nextSscc(store: StationDb): string {
  const gs1 = getSetting<Gs1Settings>(store, GS1_KEY, DEFAULT_GS1);
  return store.sqlite.transaction(() => {
    let row = stmt<{ next: number }>(store, "select next from number_series where name = 'sscc'").get();
    if (!row) {
      stmt(store, "insert into number_series (name, next, last) values ('sscc', 1, ?)").run(10 ** (16 - gs1.companyPrefix.length) - 1);
      row = { next: 1 };
    }
    stmt(store, "update number_series set next = next + 1 where name = 'sscc'").run();
    return makeSscc(gs1.extensionDigit, gs1.companyPrefix, row.next);
  })();
}

export interface PalletView {
  id: string;
  sscc: string;
  route: string;
  deliveryDay: string;
  deliveryPoint: string;
  municipality: string;
  toSiteId: string | null;
  state: 'open' | 'closed' | 'received' | 'delivered';
  /** When a customer's pallet was delivered, and by whom. */
  deliveredAt: number | null;
  deliveredBy: string | null;
  items: { id: string; articleId: string; articleNumber: string; name: string; individualNumber: string | null; quantity: number; orderRef: string | null; receivedState: string }[];
}

/** A pallet's state as read: a customer's closed pallet once delivered is delivered. */
const STATE = "case when p.delivered_at is not null then 'delivered' else p.state end as state";

export function pallet(store: StationDb, idOrSscc: string): PalletView {
  const p = stmt<Omit<PalletView, 'items'>>(
    store,
    `select p.id, p.sscc, p.route, p.delivery_day as deliveryDay, p.delivery_point as deliveryPoint, p.municipality, p.to_site_id as toSiteId,
       ${STATE}, p.delivered_at as deliveredAt, u.name as deliveredBy
     from pallets p left join users u on u.id = p.delivered_by where p.id = @k or p.sscc = @k`,
  ).get({ k: idOrSscc });
  if (!p) throw new DepotError('pallets.unknown', { sv: `Pallen ${idOrSscc} finns inte.`, en: `Pallet ${idOrSscc} does not exist.` });
  const items = stmt<PalletView['items'][number]>(
    store,
    `select pi.id, a.id as articleId, a.article_number as articleNumber, a.name, i.individual_number as individualNumber, pi.quantity,
       pi.order_ref as orderRef, pi.received_state as receivedState
     from pallet_items pi join articles a on a.id = pi.article_id left join individuals i on i.id = pi.individual_id
     where pi.pallet_id = ? order by pi.added_at, pi.id`,
  ).all(p.id);
  return { ...p, items };
}

export function openPallet(
  store: StationDb,
  actor: Actor & { siteId: string },
  input: { route: string; deliveryDay: string; deliveryPoint: string; municipality: string },
): PalletView {
  const id = uuidv7();
  // A pallet for a depot (a refill) goes to that site: it is received there by its SSCC. Where a
  // pallet goes follows from its delivery point alone, so a customer's delivery is never addressed to a site.
  const toSiteId = stmt<{ id: string }>(store, 'select id from sites where name = ? and id <> ?').get(input.deliveryPoint, actor.siteId)?.id ?? null;
  stmt(
    store,
    `insert into pallets (id, sscc, site_id, route, delivery_day, delivery_point, municipality, to_site_id, state, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
  ).run(id, nextSscc(store), actor.siteId, input.route, input.deliveryDay, input.deliveryPoint, input.municipality, toSiteId, Date.now());
  return pallet(store, id);
}

/** A pallet is built and closed only at the site that opened it. */
function requireBuiltHere(store: StationDb, p: PalletView, siteId: string): void {
  if (stmt<{ site_id: string }>(store, 'select site_id from pallets where id = ?').get(p.id)?.site_id !== siteId)
    throw new DepotError('pallets.not_built_here', {
      sv: `Pall ${p.sscc} byggs i ett annat förråd. Öppna en egen pall här.`,
      en: `Pallet ${p.sscc} is built at another site. Open a pallet of your own here.`,
    });
}

const notOpen = (sscc: string) =>
  new DepotError('pallets.not_open', { sv: `Pall ${sscc} är redan stängd. Öppna en ny pall.`, en: `Pallet ${sscc} is already closed. Open a new pallet.` });

/** Goods picked for one delivery go only on a pallet for that delivery point, route and day. */
function requireSameDelivery(p: PalletView, o: OrderDelivery, what: string): void {
  if (o.deliveryPoint !== p.deliveryPoint)
    throw new DepotError('pallets.other_delivery_point', {
      sv: `${what} är plockad till ${o.deliveryPoint}, inte till ${p.deliveryPoint}. Lägg den på den pallen.`,
      en: `${what} is picked for ${o.deliveryPoint}, not for ${p.deliveryPoint}. Put it on that pallet.`,
    });
  if (o.route !== p.route || o.deliveryDay !== p.deliveryDay)
    throw new DepotError('pallets.other_delivery', {
      sv: `${what} är plockad till ${o.deliveryPoint} med ${o.route} ${o.deliveryDay}, men pallen går med ${p.route} ${p.deliveryDay}. Lägg den på en pall för den leveransen.`,
      en: `${what} is picked for ${o.deliveryPoint} on ${o.route} ${o.deliveryDay}, but the pallet goes on ${p.route} ${p.deliveryDay}. Put it on a pallet for that delivery.`,
    });
}

/**
 * The order an individual at dispatch was picked for: the order on its latest pick, unless that
 * pick was undone (a correction under the same order) or the individual has been dispatched since.
 */
function individualPickedFor(store: StationDb, individualId: string): string | null {
  const last = stmt<{ id: string; orderRef: string | null; recordedAt: number }>(
    store,
    "select id, order_ref as orderRef, recorded_at as recordedAt from movements where individual_id = ? and reason = 'pick' order by recorded_at desc, id desc limit 1",
  ).get(individualId);
  if (!last?.orderRef) return null;
  const since = stmt(
    store,
    `select 1 from movements where individual_id = @ind and (recorded_at > @at or (recorded_at = @at and id > @id))
       and (reason = 'dispatch' or (reason = 'correction' and order_ref = @order)) limit 1`,
  ).get({ ind: individualId, at: last.recordedAt, id: last.id, order: last.orderRef });
  return since ? null : last.orderRef;
}

/** Per order: how many of an article (bulk, one lot) were picked for it and are not yet on a pallet. */
function leftToPalletise(
  store: StationDb,
  siteId: string,
  articleId: string,
  lot: string,
  only: Omit<OrderDelivery, 'orderRef'> | null,
): (OrderDelivery & { remaining: number })[] {
  return stmt<OrderDelivery & { remaining: number; placedAt: number }>(
    store,
    `select order_ref as orderRef, delivery_point as deliveryPoint, route, delivery_day as deliveryDay, placed_at as placedAt, remaining from (
       select o.order_ref, o.delivery_point, o.route, o.delivery_day, o.placed_at,
         coalesce((select sum(case when m.reason = 'pick' then m.quantity else -m.quantity end) from movements m
                   where m.order_ref = o.order_ref and m.article_id = @article and m.individual_id is null and coalesce(m.lot, '') = @lot
                     and m.reason in ('pick', 'correction')), 0)
         - coalesce((select sum(pi.quantity) from pallet_items pi
                   where pi.order_ref = o.order_ref and pi.article_id = @article and pi.individual_id is null and coalesce(pi.lot, '') = @lot), 0) as remaining
       from customer_orders o
       where o.site_id = @site and exists (select 1 from customer_order_lines l where l.customer_order_id = o.id and l.article_id = @article)
         and (@point is null or (o.delivery_point = @point and o.route = @route and o.delivery_day <= @day)))
     where remaining > 0 order by placed_at, order_ref`,
  )
    .all({ site: siteId, article: articleId, lot, point: only?.deliveryPoint ?? null, route: only?.route ?? null, day: only?.deliveryDay ?? null })
    // Each order with the delivery it goes on (a late one on the route's next).
    .map(({ placedAt, ...o }) => ({ ...o, deliveryDay: dueDay(o.deliveryDay, placedAt) }))
    .filter((o) => only === null || o.deliveryDay === only.deliveryDay);
}

const points = (rows: { deliveryPoint: string }[]) => [...new Set(rows.map((r) => r.deliveryPoint))].join(', ');

/**
 * Puts picked goods (at dispatch) on an open pallet, only goods picked for the pallet's delivery
 * point, route and day. An individual goes with the order it was picked for; bulk goods with the
 * order given, or else with the pallet's orders that still have picked goods off a pallet.
 */
export function addToPallet(
  store: StationDb,
  actor: Actor & { siteId: string },
  input: { palletId: string; articleId: string; individualId?: string | null; lot?: string | null; quantity: number; orderRef?: string | null },
): PalletView {
  return store.sqlite.transaction(() => {
    const p = pallet(store, input.palletId);
    requireBuiltHere(store, p, actor.siteId);
    if (p.state !== 'open') throw notOpen(p.sscc);
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    if (!Number.isInteger(input.quantity) || input.quantity <= 0 || input.quantity > MAX_QUANTITY)
      throw new DepotError('stock.bad_quantity', { sv: 'Antalet måste vara ett heltal större än noll.', en: 'The quantity must be a whole number above zero.' }, 'quantity');
    const lot = input.lot?.trim() || null;
    let articleId = input.articleId;
    const lines: { orderRef: string; quantity: number }[] = [];
    if (input.individualId) {
      const ind = individualById(store, input.individualId);
      articleId = ind.articleId;
      if (ind.locationId !== dispatch.id)
        throw new DepotError('pallets.not_picked', {
          sv: `${ind.individualNumber} är inte plockad till utlastningen. Plocka den först.`,
          en: `${ind.individualNumber} has not been picked to dispatch. Pick it first.`,
        });
      const on = stmt<{ sscc: string }>(
        store,
        "select p.sscc from pallet_items pi join pallets p on p.id = pi.pallet_id where pi.individual_id = ? and (p.state = 'open' or (p.state = 'closed' and p.to_site_id is null and p.delivered_at is null))",
      ).get(ind.id);
      if (on) throw new DepotError('pallets.already_on', { sv: `${ind.individualNumber} ligger redan på pall ${on.sscc}.`, en: `${ind.individualNumber} is already on pallet ${on.sscc}.` });
      const due = maintenanceBlock(store, ind.id);
      if (due) throw new DepotError('maintenance.due', due, 'individualId');
      if (input.quantity !== 1) throw new DepotError('stock.individual_quantity', { sv: 'En individ flyttas alltid en i taget.', en: 'An individual always moves one at a time.' });
      const orderRef = individualPickedFor(store, ind.id);
      if (!orderRef)
        throw new DepotError('pallets.no_order', {
          sv: `${ind.individualNumber} är inte plockad till någon order. Plocka den till sin order först.`,
          en: `${ind.individualNumber} is not picked for any order. Pick it for its order first.`,
        });
      requireSameDelivery(p, orderDelivery(store, actor.siteId, orderRef), ind.individualNumber);
      lines.push({ orderRef, quantity: 1 });
    } else {
      const art = stmt<{ n: string }>(store, 'select article_number as n from articles where id = ?').get(articleId);
      if (!art) throw new DepotError('stock.unknown_article', { sv: 'Okänd artikel. Skanna varans etikett igen.', en: 'Unknown article. Scan the label on the goods again.' });
      const have = stmt<{ q: number }>(store, "select coalesce(sum(quantity), 0) as q from balances where article_id = ? and location_id = ? and lot = coalesce(?, '')").get(articleId, dispatch.id, lot)!.q;
      const onPallets = stmt<{ q: number }>(
        store,
        "select coalesce(sum(pi.quantity), 0) as q from pallet_items pi join pallets p on p.id = pi.pallet_id where pi.article_id = ? and pi.individual_id is null and coalesce(pi.lot, '') = coalesce(?, '') and p.state = 'open' and p.site_id = ?",
      ).get(articleId, lot, actor.siteId)!.q;
      if (have - onPallets < input.quantity)
        throw new DepotError('pallets.not_picked', {
          sv: `Det finns bara ${Math.max(0, have - onPallets)} plockade vid utlastningen.`,
          en: `There are only ${Math.max(0, have - onPallets)} picked at dispatch.`,
        });
      let orders: (OrderDelivery & { remaining: number })[];
      if (input.orderRef) {
        const o = orderDelivery(store, actor.siteId, input.orderRef);
        requireSameDelivery(p, o, art.n);
        orders = leftToPalletise(store, actor.siteId, articleId, lot ?? '', o).filter((r) => r.orderRef === o.orderRef);
      } else orders = leftToPalletise(store, actor.siteId, articleId, lot ?? '', p);
      const left = orders.reduce((n, o) => n + o.remaining, 0);
      if (left < input.quantity) {
        const elsewhere = leftToPalletise(store, actor.siteId, articleId, lot ?? '', null).filter(
          (o) => o.deliveryPoint !== p.deliveryPoint || o.route !== p.route || o.deliveryDay !== p.deliveryDay,
        );
        if (left === 0 && elsewhere.length > 0 && !input.orderRef)
          throw new DepotError('pallets.other_delivery_point', {
            sv: `${art.n} är plockad till ${points(elsewhere)}, inte till ${p.deliveryPoint}. Lägg den på den pallen.`,
            en: `${art.n} is picked for ${points(elsewhere)}, not for ${p.deliveryPoint}. Put it on that pallet.`,
          });
        const to = input.orderRef ? `order ${input.orderRef}` : p.deliveryPoint;
        const rest = elsewhere.length > 0 ? { sv: ` Resten är plockad till ${points(elsewhere)}.`, en: ` The rest is picked for ${points(elsewhere)}.` } : { sv: '', en: '' };
        throw new DepotError('pallets.not_picked_for', {
          sv: `Bara ${left} st ${art.n} är plockade till ${to} och inte redan lagda på pall.${rest.sv}`,
          en: `Only ${left} of ${art.n} are picked for ${to} and not yet on a pallet.${rest.en}`,
        });
      }
      let need = input.quantity;
      for (const o of orders) {
        if (need === 0) break;
        const q = Math.min(need, o.remaining);
        lines.push({ orderRef: o.orderRef, quantity: q });
        need -= q;
      }
    }
    const insert = stmt(store, 'insert into pallet_items (id, pallet_id, article_id, individual_id, lot, quantity, order_ref, added_at) values (?, ?, ?, ?, ?, ?, ?, ?)');
    const at = Date.now();
    for (const l of lines) insert.run(uuidv7(), p.id, articleId, input.individualId ?? null, lot, l.quantity, l.orderRef, at);
    return pallet(store, p.id);
  })();
}

export function removeFromPallet(store: StationDb, siteId: string, palletId: string, itemId: string, more: readonly string[] = []): PalletView {
  const p = pallet(store, palletId);
  requireBuiltHere(store, p, siteId);
  if (p.state !== 'open') throw notOpen(p.sscc);
  const remove = stmt(store, 'delete from pallet_items where id = ? and pallet_id = ?');
  for (const id of new Set([itemId, ...more])) remove.run(id, p.id);
  return pallet(store, p.id);
}

/** What is on a pallet, line by line in the order it was put on, for the movements that ship or deliver it. */
function palletLines(store: StationDb, palletId: string) {
  return stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number; orderRef: string | null }>(
    store,
    'select article_id as articleId, individual_id as individualId, lot, quantity, order_ref as orderRef from pallet_items where pallet_id = ? order by added_at, id',
  ).all(palletId);
}

/** Of one article, for one delivery point of a route and day: how many were picked for it, how many of those are on a pallet, and the devices not on one. */
export interface LoadingRow {
  deliveryPoint: string;
  municipality: string;
  articleId: string;
  articleNumber: string;
  name: string;
  picked: number;
  loaded: number;
  /** Individual numbers picked for the delivery point and on no pallet. */
  individuals: string[];
}

/**
 * What the route and day's orders had picked for them, per delivery point and article, against what
 * of it is on a pallet (open or closed). What is picked and on no pallet is still at dispatch:
 * left to load.
 */
export function loading(store: StationDb, siteId: string, route: string, deliveryDay: string): LoadingRow[] {
  const rows = new Map<string, LoadingRow>();
  const picked = stmt<{ articleId: string; individualId: string | null; individualNumber: string | null; q: number }>(
    store,
    `select m.article_id as articleId, m.individual_id as individualId, i.individual_number as individualNumber,
       sum(case when m.reason = 'pick' then m.quantity else -m.quantity end) as q
     from movements m left join individuals i on i.id = m.individual_id
     where m.order_ref = ? and m.reason in ('pick', 'correction') group by m.article_id, m.individual_id`,
  );
  const loaded = stmt<{ q: number }>(
    store,
    "select coalesce(sum(quantity), 0) as q from pallet_items where order_ref = ? and article_id = ? and coalesce(individual_id, '') = coalesce(?, '')",
  );
  const article = stmt<{ articleNumber: string; name: string }>(store, 'select article_number as articleNumber, name from articles where id = ?');
  for (const o of ordersDue(store, siteId, route, deliveryDay)) {
    for (const r of picked.all(o.orderRef)) {
      if (r.q <= 0) continue;
      const on = Math.min(r.q, loaded.get(o.orderRef, r.articleId, r.individualId)!.q);
      const key = `${o.deliveryPoint}|${o.municipality}|${r.articleId}`;
      let row = rows.get(key);
      if (!row) {
        const a = article.get(r.articleId)!;
        row = { deliveryPoint: o.deliveryPoint, municipality: o.municipality, articleId: r.articleId, articleNumber: a.articleNumber, name: a.name, picked: 0, loaded: 0, individuals: [] };
        rows.set(key, row);
      }
      row.picked += r.q;
      row.loaded += on;
      if (r.individualNumber && on < r.q) row.individuals.push(r.individualNumber);
    }
  }
  return [...rows.values()].sort((a, b) => a.deliveryPoint.localeCompare(b.deliveryPoint, 'sv') || a.articleNumber.localeCompare(b.articleNumber));
}

/** What is left to load for a pallet's delivery point, in words ("2 st 123456, I0100002"), or null when nothing is. */
export function leftToLoadFor(store: StationDb, siteId: string, p: PalletView): { rows: LoadingRow[]; text: { sv: string; en: string } } | null {
  const rows = loading(store, siteId, p.route, p.deliveryDay).filter((r) => r.deliveryPoint === p.deliveryPoint && r.municipality === p.municipality && r.picked > r.loaded);
  if (rows.length === 0) return null;
  const say = (st: string) =>
    rows.map((r) => (r.individuals.length ? r.individuals.join(', ') : `${r.picked - r.loaded} ${st} ${r.articleNumber}`)).join(', ');
  return { rows, text: { sv: say('st'), en: say('×') } };
}

/**
 * Closes the pallet. A depot's pallet ships: what is on it leaves stock here and is in transit,
 * under the pallet's SSCC. A customer's pallet waits at dispatch for its delivery. With
 * `leaveBehind` false, closing is refused while goods picked for the pallet's delivery point are
 * still at dispatch on no pallet (the refusal names them): the worker loads them or confirms.
 */
export function closePallet(
  store: StationDb,
  actor: Actor & { siteId: string },
  palletId: string,
  { leaveBehind = true }: { leaveBehind?: boolean } = {},
): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, palletId);
    requireBuiltHere(store, p, actor.siteId);
    if (p.state !== 'open') throw notOpen(p.sscc);
    if (p.items.length === 0) throw new DepotError('pallets.empty', { sv: 'Pallen är tom. Skanna varor till den först.', en: 'The pallet is empty. Scan goods onto it first.' });
    const left = leaveBehind ? null : leftToLoadFor(store, actor.siteId, p);
    if (left)
      throw new DepotError('pallets.left_to_load', {
        sv: `Kvar att lasta till ${p.deliveryPoint}: ${left.text.sv}. De står i utlastningen utan pall. Lasta dem, eller bekräfta att pallen stängs utan dem.`,
        en: `Left to load for ${p.deliveryPoint}: ${left.text.en}. They are at dispatch on no pallet. Load them, or confirm closing the pallet without them.`,
      });
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    const movements = p.toSiteId === null ? [] : postMovements(
      store,
      actor,
      palletLines(store, p.id).map(({ orderRef: _order, ...r }) => ({ ...r, fromLocationId: dispatch.id, toLocationId: null, reason: 'dispatch' as const, orderRef: p.sscc })),
      'pallets',
    );
    stmt(store, "update pallets set state = 'closed', closed_at = ? where id = ?").run(Date.now(), p.id);
    // In transit now: the receiving site learns of it through the register.
    return { pallet: pallet(store, p.id), movements };
  })();
}

const pad = (n: number) => String(n).padStart(2, '0');
/** A moment as the messages say it: its local day and its time of day. */
const dayAndTime = (ms: number) => {
  const t = new Date(ms);
  return { day: localDay(ms), time: `${pad(t.getHours())}:${pad(t.getMinutes())}` };
};

/** Refuses a pallet that is not addressed to this site: a customer's delivery, or another depot's refill. */
function requireAddressedHere(store: StationDb, p: PalletView, siteId: string): void {
  if (p.toSiteId === null)
    throw new DepotError('pallets.customer_delivery', {
      sv: `Pall ${p.sscc} är en leverans till ${p.deliveryPoint}; den tas inte emot i lager. Den ska ut med ${p.route} ${p.deliveryDay}.`,
      en: `Pallet ${p.sscc} is a delivery to ${p.deliveryPoint}; it is not received into stock. It goes out on ${p.route} ${p.deliveryDay}.`,
    });
  if (p.toSiteId !== siteId) {
    const to = stmt<{ name: string }>(store, 'select name from sites where id = ?').get(p.toSiteId)?.name ?? p.deliveryPoint;
    throw new DepotError('pallets.other_site', {
      sv: `Pall ${p.sscc} ska till ${to}, inte hit. Den tas emot där.`,
      en: `Pallet ${p.sscc} is addressed to ${to}, not to this site. It is received there.`,
    });
  }
}

/**
 * A pallet is received only at the site it is addressed to, once, after it has been closed and
 * sent. A pallet for a customer's delivery point is never received into stock.
 */
export function requireReceivableHere(store: StationDb, siteId: string, idOrSscc: string): PalletView {
  const p = pallet(store, idOrSscc);
  requireAddressedHere(store, p, siteId);
  if (p.state === 'received') {
    const at = stmt<{ at: number | null }>(store, 'select received_at as at from pallets where id = ?').get(p.id)?.at ?? null;
    const when = at === null ? null : dayAndTime(at);
    throw new DepotError('pallets.already_received', {
      sv: when ? `Pall ${p.sscc} togs emot ${when.day} kl. ${when.time}. En pall tas emot en gång.` : `Pall ${p.sscc} är redan mottagen. En pall tas emot en gång.`,
      en: when ? `Pallet ${p.sscc} was received on ${when.day} at ${when.time}. A pallet is received once.` : `Pallet ${p.sscc} is already received. A pallet is received once.`,
    });
  }
  if (p.state !== 'closed') throw new DepotError('pallets.not_closed', { sv: `Pall ${p.sscc} är inte stängd och skickad än.`, en: `Pallet ${p.sscc} has not been closed and sent yet.` });
  return p;
}

/** At a depot: everything on the pallet comes in at once, to this site's goods-in. */
export function receivePallet(store: StationDb, actor: Actor & { siteId: string }, sscc: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = requireReceivableHere(store, actor.siteId, sscc);
    // Shelved item by item in a restocking run already: that run finishes the receipt.
    const shelved = stmt<{ q: number }>(
      store,
      `select coalesce(sum(case when m.reason = 'transfer' then m.quantity else -m.quantity end), 0) as q
       from movements m left join locations t on t.id = m.to_location_id left join locations f on f.id = m.from_location_id
       where m.order_ref = ? and ((m.reason = 'transfer' and t.site_id = @site) or (m.reason = 'correction' and f.site_id = @site and m.to_location_id is null))`,
    ).get(p.sscc, { site: actor.siteId })!.q;
    if (shelved > 0)
      throw new DepotError('pallets.restock_started', {
        sv: `Pall ${p.sscc} tas redan emot i en påfyllningsrunda. Avsluta den med KLAR i Påfyllningsrunda.`,
        en: `Pallet ${p.sscc} is already being received in a restocking run. Finish it with DONE in the restocking run.`,
      });
    const goodsIn = arrivalZone(store, actor.siteId);
    const rows = stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number }>(
      store,
      'select article_id as articleId, individual_id as individualId, lot, quantity from pallet_items where pallet_id = ?',
    ).all(p.id);
    const movements = postMovements(
      store,
      actor,
      rows.map((r) => ({ ...r, fromLocationId: null, toLocationId: goodsIn.id, reason: 'transfer' as const, orderRef: p.sscc })),
      'pallets',
    );
    stmt(store, "update pallet_items set received_state = 'received' where pallet_id = ?").run(p.id);
    stmt(store, "update pallets set state = 'received', received_at = ? where id = ?").run(Date.now(), p.id);
    return { pallet: pallet(store, p.id), movements };
  })();
}

/** An item that was on the manifest but not on the pallet: it leaves this depot's stock again, and the difference is recorded. */
export function reportMissing(store: StationDb, actor: Actor & { siteId: string }, palletId: string, itemId: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, palletId);
    requireAddressedHere(store, p, actor.siteId);
    const item = stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number; receivedState: string }>(
      store,
      'select article_id as articleId, individual_id as individualId, lot, quantity, received_state as receivedState from pallet_items where id = ? and pallet_id = ?',
    ).get(itemId, p.id);
    if (!item || item.receivedState !== 'received')
      throw new DepotError('pallets.not_received_item', { sv: 'Den raden är inte mottagen.', en: 'That line has not been received.' });
    const goodsIn = arrivalZone(store, actor.siteId);
    // A device that never arrived is as it was when the pallet left: on its way (whichever station of the site received the pallet).
    const arrival = item.individualId
      ? (stmt<{ id: string }>(store, "select id from movements where individual_id = ? and reason = 'transfer' and order_ref = ? order by recorded_at desc, seq desc limit 1").get(item.individualId, p.sscc)?.id ?? null)
      : null;
    const movements = postMovements(
      store,
      actor,
      [{ articleId: item.articleId, individualId: item.individualId, lot: item.lot, quantity: item.quantity, fromLocationId: goodsIn.id, toLocationId: null, reason: 'correction', orderRef: p.sscc, reverses: arrival }],
      'pallets',
    );
    stmt(store, "update pallet_items set received_state = 'missing' where id = ?").run(itemId);
    return { pallet: pallet(store, p.id), movements };
  })();
}

export interface LoadListRow {
  sscc: string;
  deliveryPoint: string;
  municipality: string;
  state: string;
  items: number;
}

/** The load list: the pallets of a route and day. */
export function loadList(store: StationDb, siteId: string, route: string, deliveryDay: string): LoadListRow[] {
  return stmt<LoadListRow>(
    store,
    `select p.sscc, p.delivery_point as deliveryPoint, p.municipality, ${STATE},
       (select coalesce(sum(quantity), 0) from pallet_items where pallet_id = p.id) as items
     from pallets p where p.site_id = ? and p.route = ? and p.delivery_day = ? order by p.created_at`,
  ).all(siteId, route, deliveryDay);
}

/** The pallet's GS1 logistic label (from this site, to the delivery point, what is on it), in ZPL for the printer's resolution. */
export function palletLabelZpl(store: StationDb, p: PalletView, dpi: Dpi): string {
  const here = getStation(store);
  const counts = new Map<string, number>();
  for (const i of p.items) counts.set(i.name, (counts.get(i.name) ?? 0) + i.quantity);
  return palletLabel(
    {
      sscc: p.sscc,
      from: { name: here.siteName, municipality: here.municipality },
      to: { deliveryPoint: p.deliveryPoint, municipality: p.municipality },
      route: p.route,
      deliveryDay: p.deliveryDay,
      contents: [...counts].map(([name, n]) => `${n} × ${name}`),
      itemCount: p.items.reduce((n, i) => n + i.quantity, 0),
    },
    dpi,
  );
}

/** A customer's pallet on the deliveries list of a route and day. */
export interface DeliveryRow {
  id: string;
  sscc: string;
  deliveryPoint: string;
  municipality: string;
  state: 'open' | 'closed' | 'delivered';
  items: number;
  deliveredAt: number | null;
  deliveredBy: string | null;
}

/** The customers' pallets of this site for a route and day, by delivery point, with what is delivered. */
export function deliveries(store: StationDb, siteId: string, route: string, deliveryDay: string): DeliveryRow[] {
  return stmt<DeliveryRow>(
    store,
    `select p.id, p.sscc, p.delivery_point as deliveryPoint, p.municipality, ${STATE},
       (select coalesce(sum(quantity), 0) from pallet_items where pallet_id = p.id) as items, p.delivered_at as deliveredAt, u.name as deliveredBy
     from pallets p left join users u on u.id = p.delivered_by
     where p.site_id = ? and p.route = ? and p.delivery_day = ? and p.to_site_id is null order by sv_order(p.delivery_point), p.created_at`,
  ).all(siteId, route, deliveryDay);
}

/**
 * A customer's pallet is delivered at its delivery point (its SSCC scanned by the driver, or marked
 * at the station): what is on it leaves stock, each device on loan to the order it was picked for
 * from this moment (its rental starts), and the pallet records who delivered it and when. Only a
 * closed customer's pallet of this site, and only once.
 */
export function deliverPallet(store: StationDb, actor: Actor & { siteId: string }, idOrSscc: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, idOrSscc);
    requireBuiltHere(store, p, actor.siteId);
    if (p.toSiteId !== null)
      throw new DepotError('deliveries.depot_pallet', {
        sv: `Pall ${p.sscc} går till ett förråd och tas emot där med sin SSCC; den markeras inte som levererad här.`,
        en: `Pallet ${p.sscc} goes to a depot and is received there by its SSCC; it is not marked delivered here.`,
      });
    if (p.state === 'delivered') {
      const when = dayAndTime(p.deliveredAt!);
      throw new DepotError('deliveries.already', {
        sv: `Pall ${p.sscc} levererades ${when.day} kl. ${when.time}${p.deliveredBy ? ` av ${p.deliveredBy}` : ''}. En pall levereras en gång.`,
        en: `Pallet ${p.sscc} was delivered on ${when.day} at ${when.time}${p.deliveredBy ? ` by ${p.deliveredBy}` : ''}. A pallet is delivered once.`,
      });
    }
    if (p.state !== 'closed')
      throw new DepotError('deliveries.not_closed', {
        sv: `Pall ${p.sscc} är inte stängd. Stäng den i Pall innan den lastas och levereras.`,
        en: `Pallet ${p.sscc} is not closed. Close it in Pallet before it is loaded and delivered.`,
      });
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    const movements = postMovements(
      store,
      actor,
      palletLines(store, p.id).map((r) => ({ ...r, fromLocationId: dispatch.id, toLocationId: null, reason: 'delivery' as const, orderRef: r.orderRef ?? p.sscc })),
      'pallets',
    );
    stmt(store, 'update pallets set delivered_at = ?, delivered_by = ? where id = ?').run(Date.now(), actor.userId, p.id);
    return { pallet: pallet(store, p.id), movements };
  })();
}
