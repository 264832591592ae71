/** What supervisors watch: per site, lines under their reorder point, stock value, turnover and what is on its way; and stock over time. */
import { addDays, localDay } from '../../vocabulary/calendar';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { holdsSite, mustHoldSite } from '../sync/scope';
import { ON_HAND_KINDS, refreshAggregates } from './aggregates';
import type { Suggestions } from './suggestions';

export interface SiteFigures {
  siteId: string;
  code: string;
  name: string;
  kind: string;
  /** Stock articles whose stock is at or under the reorder point. */
  underReorderPoint: number;
  stockArticles: number;
  /** Stock on hand at purchase price, in öre. */
  stockValue: number;
  /** Usage over the window at purchase price, per year, divided by the stock value. */
  turnover: number;
  inTransit: number;
}

export function siteFigures(store: StationDb, suggestions: Suggestions): SiteFigures[] {
  refreshAggregates(store, suggestions.windowDays, suggestions.at);
  const rows = stmt<{ id: string; code: string; name: string; kind: string; under: number; articles: number; value: number | null; used: number | null }>(
    store,
    `select s.id, s.code, s.name, s.kind,
       (select count(*) from reorder_settings rs left join stock_by_site ss on ss.article_id = rs.article_id and ss.site_id = rs.site_id
          where rs.site_id = s.id and rs.stock_article = 1 and coalesce(ss.on_hand, 0) <= rs.reorder_point) as under,
       (select count(*) from reorder_settings rs where rs.site_id = s.id and rs.stock_article = 1) as articles,
       (select sum(ss.on_hand * a.purchase_price) from stock_by_site ss join articles a on a.id = ss.article_id where ss.site_id = s.id and ss.on_hand > 0) as value,
       (select sum(u.quantity * a.purchase_price) from usage_window u join articles a on a.id = u.article_id where u.site_id = s.id) as used
     from sites s order by s.kind = 'central_store' desc, s.kind, sv_order(s.name)`,
  )
    .all()
    // A depot's own copy holds its own site's stock and usage only: another site's would read as nothing.
    .filter((r) => holdsSite(store, r.id));
  const transit = new Map<string, number>();
  for (const r of suggestions.refills) transit.set(r.siteId, r.lines.reduce((n, l) => n + l.inTransit, 0));
  const inTransit = stmt<{ site: string; q: number }>(
    store,
    `select p.to_site_id as site, sum(pi.quantity) as q from pallets p join pallet_items pi on pi.pallet_id = p.id
     where p.state = 'closed' and p.to_site_id is not null group by p.to_site_id`,
  ).all();
  for (const t of inTransit) transit.set(t.site, t.q);
  return rows.map((r) => ({
    siteId: r.id,
    code: r.code,
    name: r.name,
    kind: r.kind,
    underReorderPoint: r.under,
    stockArticles: r.articles,
    stockValue: r.value ?? 0,
    turnover: r.value ? Math.round(((r.used ?? 0) * (365 / suggestions.windowDays) * 100) / r.value) / 100 : 0,
    inTransit: transit.get(r.id) ?? 0,
  }));
}

/**
 * An article's stock at a site, day by day back from today (the station's local days): `onHand`
 * is what stands to be used (goods-in, shelves, racks, floor, spare parts: what reordering counts),
 * `total` is everything at the site, at dispatch, returns, cleaning, quarantine and the workshop
 * too, as the article page's table adds it up. Each is today's figure less each day's movements.
 */
export function stockHistory(store: StationDb, articleId: string, siteId: string, days: number, now = Date.now()): { day: string; onHand: number; total: number }[] {
  mustHoldSite(store, siteId);
  refreshAggregates(store);
  let onHand = stmt<{ q: number }>(store, 'select on_hand as q from stock_by_site where article_id = ? and site_id = ?').get(articleId, siteId)?.q ?? 0;
  let total = stmt<{ q: number | null }>(store, 'select sum(b.quantity) as q from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ?').get(articleId, siteId)?.q ?? 0;
  const since = now - days * 86_400_000;
  const net = new Map<string, { onHand: number; total: number }>();
  for (const m of stmt<{ at: number; q: number; fromHere: number; toHere: number; fromSite: number; toSite: number }>(
    store,
    `select m.occurred_at as at, m.quantity as q,
       coalesce(f.site_id = $site and f.kind in ${ON_HAND_KINDS}, 0) as fromHere,
       coalesce(t.site_id = $site and t.kind in ${ON_HAND_KINDS}, 0) as toHere,
       coalesce(f.site_id = $site, 0) as fromSite,
       coalesce(t.site_id = $site, 0) as toSite
     from movements m left join locations f on f.id = m.from_location_id left join locations t on t.id = m.to_location_id
     where m.article_id = $article and m.occurred_at >= $since`,
  ).all({ site: siteId, article: articleId, since })) {
    const day = localDay(m.at);
    const n = net.get(day) ?? net.set(day, { onHand: 0, total: 0 }).get(day)!;
    n.onHand += (m.toHere ? m.q : 0) - (m.fromHere ? m.q : 0);
    n.total += (m.toSite ? m.q : 0) - (m.fromSite ? m.q : 0);
  }
  const out: { day: string; onHand: number; total: number }[] = [];
  const today = localDay(now);
  for (let i = 0; i <= days; i++) {
    const day = addDays(today, -i);
    out.push({ day, onHand, total });
    onHand -= net.get(day)?.onHand ?? 0;
    total -= net.get(day)?.total ?? 0;
  }
  return out.reverse();
}

export interface ReorderSetting {
  articleId: string;
  siteId: string;
  stockArticle: boolean;
  reorderPoint: number;
  safetyStock: number;
  maxStock: number;
  leadDays: number;
  orderQuantity: number;
}

export function reorderSettingsFor(store: StationDb, articleId: string): (ReorderSetting & { siteCode: string; siteName: string; preferredCode: string | null })[] {
  return stmt<Omit<ReorderSetting, 'stockArticle'> & { siteCode: string; siteName: string; stockArticle: number; preferredCode: string | null }>(
    store,
    `select rs.article_id as articleId, rs.site_id as siteId, rs.stock_article as stockArticle, rs.reorder_point as reorderPoint,
       rs.safety_stock as safetyStock, rs.max_stock as maxStock, rs.lead_days as leadDays, rs.order_quantity as orderQuantity,
       s.code as siteCode, s.name as siteName,
       (select l.code from preferred_locations p join locations l on l.id = p.location_id where p.article_id = rs.article_id and p.site_id = rs.site_id) as preferredCode
     from reorder_settings rs join sites s on s.id = rs.site_id where rs.article_id = ? order by s.kind = 'central_store' desc, sv_order(s.name)`,
  )
    .all(articleId)
    .map((r) => ({ ...r, stockArticle: Boolean(r.stockArticle) }));
}

/** Saves a reorder setting here and sends it to the register, which holds it for every station. */
export function saveReorderSetting(store: StationDb, s: ReorderSetting): void {
  if (s.maxStock > 0 && s.maxStock <= s.reorderPoint)
    throw new DepotError(
      'reorder.max_below_point',
      { sv: 'Maxnivån måste vara högre än beställningspunkten (eller 0 för ingen maxnivå).', en: 'The maximum must be above the reorder point (or 0 for none).' },
      'maxStock',
    );
  if (s.safetyStock > s.reorderPoint)
    throw new DepotError('reorder.safety_above_point', { sv: 'Säkerhetslagret kan inte vara större än beställningspunkten.', en: 'The safety stock cannot be above the reorder point.' }, 'safetyStock');
  store.sqlite.transaction(() => {
    const row = {
      article_id: s.articleId,
      site_id: s.siteId,
      stock_article: s.stockArticle ? 1 : 0,
      reorder_point: s.reorderPoint,
      safety_stock: s.safetyStock,
      max_stock: s.maxStock,
      lead_days: s.leadDays,
      order_quantity: s.orderQuantity,
      updated_at: Date.now(),
    };
    stmt(
      store,
      `insert into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)
       on conflict (article_id, site_id) do update set stock_article = excluded.stock_article, reorder_point = excluded.reorder_point,
         safety_stock = excluded.safety_stock, max_stock = excluded.max_stock, lead_days = excluded.lead_days, order_quantity = excluded.order_quantity, updated_at = excluded.updated_at`,
    ).run(row.article_id, row.site_id, row.stock_article, row.reorder_point, row.safety_stock, row.max_stock, row.lead_days, row.order_quantity, row.updated_at);
  })();
}

export interface TransferRow {
  sscc: string;
  fromSite: string;
  toSite: string;
  state: string;
  closedAt: number | null;
  receivedAt: number | null;
  lines: number;
  missing: number;
}

/** Pallets between sites from the last `days` days, with the lines the receiving end reported missing: the same list at both ends. */
export function transfers(store: StationDb, days = 30, now = Date.now()): TransferRow[] {
  return stmt<TransferRow>(
    store,
    `select p.sscc, f.name as fromSite, t.name as toSite, p.state, p.closed_at as closedAt, p.received_at as receivedAt,
       (select count(*) from pallet_items pi where pi.pallet_id = p.id) as lines,
       (select count(*) from pallet_items pi where pi.pallet_id = p.id and pi.received_state = 'missing') as missing
     from pallets p join sites f on f.id = p.site_id join sites t on t.id = p.to_site_id
     where p.to_site_id is not null and p.state <> 'open' and coalesce(p.closed_at, p.created_at) >= ?
     order by coalesce(p.closed_at, p.created_at) desc limit 500`,
  ).all(now - days * 86_400_000);
}
