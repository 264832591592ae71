/** The figures a supervisor looks at, a technician's queue and a depot's shelf. */
import type { StationDb } from '../open';
import type { IndividualStatus, MovementReason, SiteKind } from '../schema';
import { stmt } from '../statements';
import { mustHoldRegion, mustHoldSite } from '../sync/scope';

export interface SiteStatusCount {
  siteId: string;
  siteCode: string;
  siteName: string;
  siteKind: SiteKind;
  status: IndividualStatus;
  count: number;
}

export interface Overview {
  articles: number;
  individuals: number;
  movements: number;
  /** Individuals per site and status (individuals on loan have no site). */
  bySite: SiteStatusCount[];
  onLoan: number;
  /** Movements per day over the last 30 days, oldest first, by reason. */
  daily: { day: string; reason: MovementReason; count: number }[];
}

export function overview(store: StationDb, now = Date.now()): Overview {
  // Every site's figures: a depot's own copy has its own only.
  mustHoldRegion(store);
  const one = (sql: string) => stmt<{ n: number }>(store, sql).get()!.n;
  const since = now - 30 * 86_400_000;
  return {
    articles: one('select count(*) as n from articles'),
    individuals: one('select count(*) as n from individuals'),
    movements: one('select max(rowid) as n from movements') ?? 0,
    bySite: stmt<SiteStatusCount>(
      store,
      `select s.id as siteId, s.code as siteCode, s.name as siteName, s.kind as siteKind, i.status, count(*) as count
       from individuals i join sites s on s.id = i.site_id group by s.id, i.status
       order by s.kind = 'central_store' desc, s.kind, sv_order(s.name), i.status`,
    ).all(),
    onLoan: one("select count(*) as n from individuals where status = 'on_loan'"),
    daily: stmt<{ day: string; reason: MovementReason; count: number }>(
      store,
      `select date(occurred_at / 1000, 'unixepoch') as day, reason, count(*) as count
       from movements where occurred_at >= ? group by day, reason order by day`,
    ).all(since),
  };
}

export interface QueueItem {
  id: string;
  individualNumber: string;
  articleName: string;
  status: IndividualStatus;
  locationCode: string | null;
  since: number;
}

/** Returned devices waiting for cleaning and reconditioning, oldest first; keyset-paged. */
export function reconditioningQueue(
  store: StationDb,
  after: { since: number; id: string } | null,
  limit = 100,
): { items: QueueItem[]; total: number } {
  const items = stmt<QueueItem>(
    store,
    `select i.id, i.individual_number as individualNumber, a.name as articleName, i.status, l.code as locationCode,
       i.updated_at as since
     from individuals i join articles a on a.id = i.article_id left join locations l on l.id = i.location_id
     where i.status in ('returned', 'in_cleaning', 'in_reconditioning', 'quarantine')
       and (i.updated_at, i.id) > (?, ?)
     order by i.updated_at, i.id limit ?`,
  ).all(after?.since ?? -1, after?.id ?? '', limit);
  const total = stmt<{ n: number }>(
    store,
    "select count(*) as n from individuals where status in ('returned', 'in_cleaning', 'in_reconditioning', 'quarantine')",
  ).get()!.n;
  return { items, total };
}

export interface SiteStockRow {
  articleId: string;
  articleNumber: string;
  name: string;
  quantity: number;
}

/** What a site holds, per article. */
export function siteStock(store: StationDb, siteId: string): SiteStockRow[] {
  mustHoldSite(store, siteId);
  return stmt<SiteStockRow>(
    store,
    `select a.id as articleId, a.article_number as articleNumber, a.name, sum(b.quantity) as quantity
     from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and b.quantity <> 0 group by a.id order by sv_order(a.name)`,
  ).all(siteId);
}

export function listSites(store: StationDb): { id: string; code: string; name: string; kind: SiteKind; municipality: string }[] {
  return stmt<{ id: string; code: string; name: string; kind: SiteKind; municipality: string }>(
    store,
    "select id, code, name, kind, municipality from sites order by kind = 'central_store' desc, kind, sv_order(name)",
  ).all();
}
