/**
 * Purchase suggestions for the central store (grouped by supplier) and refills from it to every
 * depot (timed to the depot's weekly delivery and the 11:30 cut-off the working day before),
 * from the reorder settings and the ledger: usage over a window, stock on hand, reserved for
 * customer orders, and in transit (purchase orders not yet received; refills not yet received).
 */
import { addDays, localDay, previousWorkingDay, weekday } from '../../vocabulary/calendar';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { holdsSite } from '../sync/scope';
import { refreshAggregates } from './aggregates';
import { suggestQuantity, type SuggestionInput } from './arithmetic';

export const REFILL_CUSTOMER = 'PÅFYLLNING';

export interface SuggestionLine extends SuggestionInput {
  articleId: string;
  articleNumber: string;
  name: string;
  supplier: string;
  /** Purchase price in öre. */
  unitPrice: number;
  leadDays: number;
  quantity: number;
  /** The level ordered up to (the screen explains the line from these figures: vocabulary/suggestion.ts). */
  target: number;
}

export interface RefillSuggestion {
  siteId: string;
  siteCode: string;
  siteName: string;
  municipality: string;
  route: string;
  deliveryDay: string;
  /** Orders placed before this (ms) make `deliveryDay`. */
  cutoff: number;
  lines: SuggestionLine[];
}

export interface Suggestions {
  at: number;
  windowDays: number;
  centralSiteId: string | null;
  purchase: { supplier: string; value: number; lines: SuggestionLine[] }[];
  refills: RefillSuggestion[];
}

/** The first delivery on `weekdayNo` (1 = Monday) whose cut-off, 11:30 the working day before, is still ahead of `now`. */
export function nextDelivery(now: number, weekdayNo: number): { deliveryDay: string; cutoff: number } {
  let day = localDay(now);
  for (let i = 0; i < 60; i++, day = addDays(day, 1)) {
    if (weekday(day) !== weekdayNo) continue;
    const cutoff = new Date(`${previousWorkingDay(day)}T11:30:00`).getTime();
    if (cutoff > now) return { deliveryDay: day, cutoff };
  }
  throw new Error('no delivery day within 60 days');
}

const key = (article: string, site: string) => `${article}\u0000${site}`;
const DAY = 86_400_000;

function sums(store: StationDb, sql: string, ...params: unknown[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of stmt<{ a: string; s: string; q: number }>(store, sql).all(...params)) if (r.q) out.set(key(r.a, r.s), r.q);
  return out;
}

/**
 * The site's jobs made ready and scrapped from `since` (ms) on: the whole days after it from the
 * daily figures, the rest of its own day from the jobs (the day's few, by their finished-time index).
 */
export function jobsDone(store: StationDb, siteId: string, since: number): { ready: number; scrapped: number } {
  const day = Math.floor(since / DAY);
  const days = stmt<{ ready: number; scrapped: number }>(
    store,
    'select coalesce(sum(ready), 0) as ready, coalesce(sum(scrapped), 0) as scrapped from service_done_by_day where site_id = ? and day > ?',
  ).get(siteId, day)!;
  const rest = stmt<{ ready: number; scrapped: number }>(
    store,
    "select coalesce(sum(state = 'ready'), 0) as ready, coalesce(sum(state = 'scrapped'), 0) as scrapped from service_jobs where site_id = ? and done_at >= ? and done_at < ?",
  ).get(siteId, since, (day + 1) * DAY)!;
  return { ready: days.ready + rest.ready, scrapped: days.scrapped + rest.scrapped };
}

/**
 * The central store's devices on their way back to the shelf: each rentable article's open
 * reconditioning jobs and pick-ups ordered, and how many of them the workshop makes ready within a
 * lead time at the pace it has kept over the window (jobs made ready per day, against the whole
 * queue ahead of them), less the share it scrapped.
 */
export function reconditioningPipeline(store: StationDb, siteId: string, now: number, windowDays: number) {
  const since = now - windowDays * 86_400_000;
  // The queue and the pace are running figures the service jobs' triggers keep (migration 0039), not counts of the jobs;
  // an article's queue is looked up when asked for, unless the caller read it with its own line.
  const waiting = stmt<{ n: number }>(store, 'select coalesce(sum(open), 0) as n from service_queue_by_article where site_id = ?').get(siteId)!.n;
  const queued = stmt<{ open: number }>(store, 'select open from service_queue_by_article where site_id = ? and article_id = ?');
  const pickups = new Map<string, string[]>();
  for (const p of stmt<{ a: string; day: string }>(
    store,
    "select i.article_id as a, p.collection_day as day from pickup_orders p join individuals i on i.id = p.individual_id where p.site_id = ? and p.state = 'ordered'",
  ).iterate(siteId))
    pickups.set(p.a, [...(pickups.get(p.a) ?? []), p.day]);
  const ordered = [...pickups.values()].reduce((n, days) => n + days.length, 0);
  const done = jobsDone(store, siteId, since);
  const scrapRate = done.ready + done.scrapped > 0 ? done.scrapped / (done.ready + done.scrapped) : 0;
  const perDay = done.ready / windowDays;
  return {
    /**
     * Devices of the article expected ready within `days`: its queue (`inQueue` when the caller has
     * it) and its pick-ups due by then, at the workshop's pace.
     */
    readyWithin(articleId: string, days: number, inQueue?: number): number {
      const due = pickups.get(articleId);
      const by = due ? localDay(now + days * 86_400_000) : '';
      const coming = (inQueue ?? queued.get(siteId, articleId)?.open ?? 0) + (due ? due.filter((day) => day <= by).length : 0);
      if (coming === 0) return 0;
      const share = Math.min(1, (perDay * days) / (waiting + ordered));
      return Math.floor(coming * share * (1 - scrapRate));
    },
  };
}

export function computeSuggestions(store: StationDb, options: { now?: number; windowDays?: number } = {}): Suggestions {
  const now = options.now ?? Date.now();
  const windowDays = options.windowDays ?? 90;
  const sites = stmt<{ id: string; code: string; name: string; kind: string; municipality: string; route: string | null; delivery_weekday: number | null }>(
    store,
    "select id, code, name, kind, municipality, route, delivery_weekday from sites order by kind = 'central_store' desc, sv_order(name)",
  ).all()
    // A depot's own copy holds its own site's stock and usage only: its suggestions are its own refills.
    .filter((s) => holdsSite(store, s.id));
  const central = sites.find((s) => s.kind === 'central_store') ?? null;

  refreshAggregates(store, windowDays, now);
  // Reserved: orders (refills too) still to be picked where they are picked. In transit to the store: purchase orders not yet received.
  const reserved = sums(
    store,
    `select l.article_id as a, o.site_id as s,
       sum(l.quantity) - coalesce(sum((select sum(m.quantity) from movements m where m.order_ref = o.order_ref and m.article_id = l.article_id and m.reason = 'pick')), 0) as q
     from customer_orders o join customer_order_lines l on l.customer_order_id = o.id
     where o.delivery_day >= ? group by l.article_id, o.site_id`,
    localDay(now),
  );
  const inTransit = sums(
    store,
    `select l.article_id as a, p.site_id as s,
       sum(max(0, l.quantity - coalesce((select sum(m.quantity) from movements m where m.order_ref = p.po_number and m.article_id = l.article_id and m.reason = 'receipt'), 0))) as q
     from purchase_orders p join purchase_order_lines l on l.purchase_order_id = p.id group by l.article_id, p.site_id`,
  );
  // To a depot: refills ordered and not yet received there (received or reported missing on a pallet counts as arrived).
  for (const [k, q] of sums(
    store,
    `select l.article_id as a, o.to_site_id as s,
       sum(max(0, l.quantity - coalesce((select sum(pi.quantity) from pallet_items pi join pallets p on p.id = pi.pallet_id
         where pi.order_ref = o.order_ref and pi.article_id = l.article_id and pi.received_state <> 'pending'), 0))) as q
     from customer_orders o join customer_order_lines l on l.customer_order_id = o.id where o.to_site_id is not null group by l.article_id, o.to_site_id`,
  ))
    inTransit.set(k, (inTransit.get(k) ?? 0) + q);

  const pipeline = central ? reconditioningPipeline(store, central.id, now, windowDays) : null;

  const deliveries = new Map(
    sites.filter((s) => s.kind !== 'central_store' && s.delivery_weekday).map((s) => [s.id, nextDelivery(now, s.delivery_weekday!)]),
  );
  // Only the lines that need ordering leave SQLite: each site's look-ahead and the small in-transit
  // and reserved figures go in as temporary tables, and the reorder test runs in the query.
  const sq = store.sqlite;
  sq.exec(`create temp table if not exists suggest_sites (site_id text primary key, horizon real not null, central integer not null);
           create temp table if not exists suggest_adjust (article_id text not null, site_id text not null, delta integer not null, primary key (article_id, site_id));
           delete from suggest_sites; delete from suggest_adjust;`);
  const addSite = sq.prepare('insert into suggest_sites (site_id, horizon, central) values (?, ?, ?)');
  if (central) addSite.run(central.id, 0, 1);
  for (const [siteId, d] of deliveries) addSite.run(siteId, Math.max(0, (d.cutoff - now) / 86_400_000 + 1), 0);
  const addAdjust = sq.prepare('insert into suggest_adjust (article_id, site_id, delta) values (?, ?, ?) on conflict do update set delta = delta + excluded.delta');
  for (const [k, q] of inTransit) addAdjust.run(...(k.split('\u0000') as [string, string]), q);
  for (const [k, q] of reserved) addAdjust.run(...(k.split('\u0000') as [string, string]), -q);
  const settings = sq
    .prepare(
      `select rs.article_id, rs.site_id, rs.reorder_point, rs.safety_stock, rs.max_stock, rs.lead_days, rs.order_quantity,
         coalesce(s.on_hand, 0), coalesce(u.quantity, 0), x.horizon, x.central, a.article_number, a.name, a.supplier, a.purchase_price, coalesce(q.open, 0)
       from reorder_settings rs join suggest_sites x on x.site_id = rs.site_id
         left join stock_by_site s on s.article_id = rs.article_id and s.site_id = rs.site_id
         left join usage_window u on u.article_id = rs.article_id and u.site_id = rs.site_id
         left join suggest_adjust j on j.article_id = rs.article_id and j.site_id = rs.site_id
         join articles a on a.id = rs.article_id
         left join service_queue_by_article q on x.central = 1 and q.site_id = rs.site_id and q.article_id = rs.article_id
       where rs.stock_article = 1
         and coalesce(s.on_hand, 0) + coalesce(j.delta, 0) - coalesce(u.quantity, 0) * 1.0 / ? * x.horizon <= rs.reorder_point`,
    )
    .raw()
    .all(windowDays) as [string, string, number, number, number, number, number, number, number, number, number, string, string, string, number, number][];
  const purchase = new Map<string, SuggestionLine[]>();
  const refills = new Map<string, SuggestionLine[]>();
  for (const [articleId, siteId, reorderPoint, safetyStock, maxStock, leadDays, orderQuantity, onHand, used, horizonDays, centralFlag, articleNumber, name, supplier, unitPrice, inQueue] of settings) {
    const isCentral = centralFlag === 1;
    const k = key(articleId, siteId);
    // One object of one shape per line, its figures written once (a spread of a spread costs more than the query).
    const line: SuggestionLine = {
      articleId,
      articleNumber,
      name,
      supplier,
      unitPrice,
      leadDays,
      onHand,
      inTransit: inTransit.get(k) ?? 0,
      reserved: reserved.get(k) ?? 0,
      comingBack: isCentral && pipeline ? pipeline.readyWithin(articleId, leadDays, inQueue) : 0,
      reorderPoint,
      safetyStock,
      maxStock,
      usagePerDay: used / windowDays,
      horizonDays,
      cycleDays: isCentral ? leadDays : 7,
      orderQuantity,
      quantity: 0,
      target: 0,
    };
    const f = suggestQuantity(line);
    if (f.quantity === 0) continue;
    line.quantity = f.quantity;
    line.target = f.target;
    const bucket = isCentral ? purchase : refills;
    const group = isCentral ? supplier : siteId;
    const lines = bucket.get(group);
    if (lines) lines.push(line);
    else bucket.set(group, [line]);
  }
  // Article numbers are plain ASCII: a code-unit comparison sorts them, far faster than a locale's collation.
  const byNumber = (a: SuggestionLine, b: SuggestionLine) => (a.articleNumber < b.articleNumber ? -1 : a.articleNumber > b.articleNumber ? 1 : 0);
  return {
    at: now,
    windowDays,
    centralSiteId: central?.id ?? null,
    purchase: [...purchase]
      .map(([supplier, lines]) => ({ supplier, lines: lines.sort(byNumber), value: lines.reduce((v, l) => v + l.quantity * l.unitPrice, 0) }))
      .sort((a, b) => a.supplier.localeCompare(b.supplier, 'sv')),
    refills: sites
      .filter((s) => refills.has(s.id))
      .map((s) => ({
        siteId: s.id,
        siteCode: s.code,
        siteName: s.name,
        municipality: s.municipality,
        route: s.route ?? `Rutt ${s.municipality}`,
        ...deliveries.get(s.id)!,
        lines: refills.get(s.id)!.sort(byNumber),
      })),
  };
}
