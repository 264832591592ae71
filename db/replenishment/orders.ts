/**
 * Turning suggestions into orders: purchase orders to suppliers (received later at goods
 * receipt), and refills to depots as internal orders on the depot's route and delivery day, which
 * the store then picks and palletises like any order; the depot receives the pallet by its SSCC.
 * Both go to the register with the next sync.
 */
import { audit } from '../audit';
import { DepotError } from '../../vocabulary/errors';
import { stationNumber } from '../numbers';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { Actor } from '../stock/ledger';
import { stmt } from '../statements';
import { computeSuggestions, REFILL_CUSTOMER, type Suggestions } from './suggestions';
import { addDays, localDay } from '../../vocabulary/calendar';

/** Quantities the person set on suggested lines before ordering, by article: 0 leaves the line out. */
export type ChosenQuantities = ReadonlyMap<string, number>;

/**
 * A group's lines as they are ordered: each suggested line with the quantity chosen for it, if
 * one was (0 leaves it out). Only suggested articles can be given a quantity: one not among the
 * lines is refused, so an order never holds what nobody suggested.
 */
function chosenLines<L extends { articleId: string; quantity: number }>(lines: readonly L[], chosen: ChosenQuantities | undefined): L[] {
  return lines.map((l) => ({ ...l, quantity: chosen?.get(l.articleId) ?? l.quantity })).filter((l) => l.quantity > 0);
}

function unknownChoices(groups: readonly { lines: readonly { articleId: string }[] }[], chosen: ChosenQuantities | undefined): void {
  if (!chosen) return;
  const suggested = new Set(groups.flatMap((g) => g.lines.map((l) => l.articleId)));
  if ([...chosen.keys()].some((a) => !suggested.has(a)))
    throw new DepotError('replenishment.not_suggested', {
      sv: 'Ett antal gäller en artikel som inte finns bland förslagen. Ladda om sidan och ändra antalet igen.',
      en: 'A quantity is for an article that is not among the suggestions. Reload the page and change the quantity again.',
    });
}

const nothing = () =>
  new DepotError('replenishment.nothing', { sv: 'Det finns inget förslag att beställa just nu.', en: 'There is nothing suggested to order right now.' });

/** Orders what is suggested for the given depots (all when none given): one refill order per depot. */
export function createRefillOrders(
  store: StationDb,
  actor: Actor,
  siteIds?: readonly string[],
  suggestions: Suggestions = computeSuggestions(store),
  chosen?: ChosenQuantities,
): { orderRefs: string[] } {
  return store.sqlite.transaction(() => {
    const asked = suggestions.refills.filter((r) => !siteIds || siteIds.includes(r.siteId));
    unknownChoices(asked, chosen);
    const refills = asked.map((r) => ({ ...r, lines: chosenLines(r.lines, chosen) })).filter((r) => r.lines.length > 0);
    if (refills.length === 0 || !suggestions.centralSiteId) throw nothing();
    const orderRefs: string[] = [];
    for (const r of refills) {
      const id = uuidv7();
      const orderRef = stationNumber(store, 'PF', 'refill');
      const order = {
        id,
        order_ref: orderRef,
        customer_ref: `${REFILL_CUSTOMER} ${r.siteCode}`,
        delivery_point: r.siteName,
        municipality: r.municipality,
        route: r.route,
        delivery_day: r.deliveryDay,
        placed_at: Date.now(),
        site_id: suggestions.centralSiteId,
        to_site_id: r.siteId,
      };
      stmt(
        store,
        `insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id, to_site_id)
         values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(order.id, order.order_ref, order.customer_ref, order.delivery_point, order.municipality, order.route, order.delivery_day, order.placed_at, order.site_id, order.to_site_id);
      const lines = r.lines.map((l, i) => ({ id: uuidv7(), line_no: i + 1, article_id: l.articleId, quantity: l.quantity }));
      for (const l of lines)
        stmt(store, 'insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)').run(l.id, id, l.line_no, l.article_id, l.quantity);
      audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'refill.order', entity: 'customer_order', entityId: id, detail: { orderRef, siteId: r.siteId, lines: lines.length } });
      orderRefs.push(orderRef);
    }
    return { orderRefs };
  })();
}

/** Orders what is suggested from the given suppliers (all when none given): one purchase order per supplier. */
export function createPurchaseOrders(
  store: StationDb,
  actor: Actor,
  suppliers?: readonly string[],
  suggestions: Suggestions = computeSuggestions(store),
  chosen?: ChosenQuantities,
): { poNumbers: string[] } {
  return store.sqlite.transaction(() => {
    const asked = suggestions.purchase.filter((g) => !suppliers || suppliers.includes(g.supplier));
    unknownChoices(asked, chosen);
    const groups = asked.map((g) => ({ ...g, lines: chosenLines(g.lines, chosen) })).filter((g) => g.lines.length > 0);
    if (groups.length === 0 || !suggestions.centralSiteId) throw nothing();
    const poNumbers: string[] = [];
    for (const g of groups) {
      const id = uuidv7();
      const lead = Math.max(...g.lines.map((l) => l.leadDays));
      const expected = addDays(localDay(Date.now()), lead);
      const poNumber = stationNumber(store, 'IO', 'purchase_order');
      const po = { id, po_number: poNumber, supplier: g.supplier, site_id: suggestions.centralSiteId, expected_on: expected, created_at: Date.now() };
      stmt(store, 'insert into purchase_orders (id, po_number, supplier, site_id, expected_on, created_at) values (?, ?, ?, ?, ?, ?)').run(po.id, po.po_number, po.supplier, po.site_id, po.expected_on, po.created_at);
      const lines = g.lines.map((l, i) => ({ id: uuidv7(), line_no: i + 1, article_id: l.articleId, quantity: l.quantity }));
      for (const l of lines)
        stmt(store, 'insert into purchase_order_lines (id, purchase_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)').run(l.id, id, l.line_no, l.article_id, l.quantity);
      audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'purchase.order', entity: 'purchase_order', entityId: id, detail: { poNumber, lines: lines.length } });
      poNumbers.push(poNumber);
    }
    return { poNumbers };
  })();
}

/** A purchase order not yet received in full: what was ordered, what has come in at goods-in, what is still to come. */
export interface OpenPurchaseOrder {
  poNumber: string;
  supplier: string;
  siteName: string;
  expectedOn: string;
  createdAt: number;
  lines: number;
  ordered: number;
  received: number;
}

/** Purchase orders with something still to receive (at most 200, the earliest expected first). */
export function openPurchaseOrders(store: StationDb): OpenPurchaseOrder[] {
  return stmt<OpenPurchaseOrder>(
    store,
    `select p.po_number as poNumber, p.supplier, s.name as siteName, p.expected_on as expectedOn, p.created_at as createdAt,
       count(*) as lines, sum(l.quantity) as ordered,
       sum(min(l.quantity, coalesce((select sum(m.quantity) from movements m where m.order_ref = p.po_number and m.article_id = l.article_id and m.reason = 'receipt'), 0))) as received
     from purchase_orders p join purchase_order_lines l on l.purchase_order_id = p.id join sites s on s.id = p.site_id
     group by p.id having received < ordered order by p.expected_on, p.po_number limit 200`,
  ).all();
}

/** What stands at goods-in and waits to be put away, per site and article (at most 200 rows, the largest first). */
export interface WaitingAtGoodsIn {
  siteName: string;
  locationCode: string;
  articleId: string;
  articleNumber: string;
  name: string;
  quantity: number;
}

export function waitingAtGoodsIn(store: StationDb): WaitingAtGoodsIn[] {
  return stmt<WaitingAtGoodsIn>(
    store,
    `select s.name as siteName, l.code as locationCode, a.id as articleId, a.article_number as articleNumber, a.name, sum(b.quantity) as quantity
     from balances b join locations l on l.id = b.location_id join sites s on s.id = l.site_id join articles a on a.id = b.article_id
     where l.kind = 'goods_in' and b.quantity > 0
     group by l.id, a.id order by s.name, l.code, a.article_number limit 200`,
  ).all();
}
