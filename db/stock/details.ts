/**
 * One article's, individual's or location's page: what it is, where its stock is, and its
 * history in the ledger.
 */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { IndividualStatus, LocationKind, LocationLevel, MovementReason, SiteKind, Tracking } from '../schema';
import { stmt } from '../statements';
import { heldSite } from '../sync/scope';

export interface SiteBalance {
  siteId: string;
  siteCode: string;
  siteName: string;
  siteKind: SiteKind;
  quantity: number;
  locations: { locationId: string; code: string; name: string; kind: LocationKind; lot: string; expiresOn: string | null; quantity: number }[];
}

export interface ArticleDetail {
  id: string;
  articleNumber: string;
  name: string;
  isoCode: string;
  isoEdition: string;
  isoTitle: string | null;
  rentable: boolean;
  unit: string;
  supplier: string;
  purchasePrice: number;
  tracking: Tracking;
  gtins: string[];
  /** HIBC codes (labeler and product number). */
  hibc: string[];
  /** The group of articles that stand in for each other, and the others in it with how many of each are ready here and elsewhere. */
  equivalenceGroup: string | null;
  equivalents: { id: string; articleNumber: string; name: string; ready: number }[];
  /** Who last changed the article, and when (null: as the register loaded it). */
  changedBy: string | null;
  changedAt: number | null;
  totalQuantity: number;
  sites: SiteBalance[];
  individualsByStatus: { status: IndividualStatus; count: number }[];
  /** The site whose own copy this station holds: the figures are that site's, not the region's (null: the whole region's). */
  heldSite: { id: string; name: string } | null;
}

const notFound = (what: { sv: string; en: string }) => new DepotError('stock.not_found', what);

export function articleDetail(store: StationDb, id: string): ArticleDetail {
  const a = stmt<Omit<ArticleDetail, 'gtins' | 'hibc' | 'sites' | 'individualsByStatus' | 'totalQuantity' | 'rentable' | 'equivalents'> & { rentable: number }>(
    store,
    `select a.id, a.article_number as articleNumber, a.name, a.iso_code as isoCode, a.iso_edition as isoEdition,
       c.title as isoTitle, a.rentable, a.unit, a.supplier, a.purchase_price as purchasePrice, a.tracking,
       a.equivalence_group as equivalenceGroup, u.name as changedBy, a.changed_at as changedAt
     from articles a left join iso_codes c on c.code = a.iso_code and c.edition = a.iso_edition
       left join users u on u.id = a.changed_by where a.id = ?`,
  ).get(id);
  if (!a) throw notFound({ sv: 'Artikeln finns inte. Sök igen.', en: 'The article does not exist. Search again.' });
  const gtins = stmt<{ gtin: string }>(store, 'select gtin from article_gtins where article_id = ? order by gtin')
    .all(id)
    .map((r) => r.gtin);
  const hibc = stmt<{ code: string }>(store, 'select code from article_hibc where article_id = ? order by code')
    .all(id)
    .map((r) => r.code);
  const rows = stmt<{
    siteId: string;
    siteCode: string;
    siteName: string;
    siteKind: SiteKind;
    locationId: string;
    code: string;
    name: string;
    kind: LocationKind;
    lot: string;
    expiresOn: string | null;
    quantity: number;
  }>(
    store,
    `select s.id as siteId, s.code as siteCode, s.name as siteName, s.kind as siteKind, l.id as locationId, l.code, l.name,
       l.kind, b.lot, lt.expires_on as expiresOn, b.quantity
     from balances b join locations l on l.id = b.location_id join sites s on s.id = l.site_id
       left join lots lt on lt.article_id = b.article_id and lt.lot = b.lot
     where b.article_id = ? and b.quantity <> 0 order by s.kind = 'central_store' desc, sv_order(s.name), l.code, b.lot`,
  ).all(id);
  const sites: SiteBalance[] = [];
  for (const r of rows) {
    let s = sites.at(-1);
    if (!s || s.siteId !== r.siteId) {
      s = { siteId: r.siteId, siteCode: r.siteCode, siteName: r.siteName, siteKind: r.siteKind, quantity: 0, locations: [] };
      sites.push(s);
    }
    s.quantity += r.quantity;
    s.locations.push({ locationId: r.locationId, code: r.code, name: r.name, kind: r.kind, lot: r.lot, expiresOn: r.expiresOn, quantity: r.quantity });
  }
  const individualsByStatus = stmt<{ status: IndividualStatus; count: number }>(
    store,
    'select status, count(*) as count from individuals where article_id = ? group by status order by count desc',
  ).all(id);
  const equivalents = a.equivalenceGroup
    ? stmt<{ id: string; articleNumber: string; name: string; ready: number }>(
        store,
        `select a.id, a.article_number as articleNumber, a.name,
           (select count(*) from individuals i where i.article_id = a.id and i.status = 'in_stock') as ready
         from articles a where a.equivalence_group = ? and a.id <> ? order by a.article_number`,
      ).all(a.equivalenceGroup, id)
    : [];
  return {
    ...a,
    rentable: a.rentable === 1,
    gtins,
    hibc,
    equivalents,
    totalQuantity: sites.reduce((n, s) => n + s.quantity, 0),
    sites,
    individualsByStatus,
    heldSite: heldSite(store),
  };
}

export interface HistoryEntry {
  id: string;
  occurredAt: number;
  recordedAt: number;
  reason: MovementReason;
  fromCode: string | null;
  fromSite: string | null;
  toCode: string | null;
  toSite: string | null;
  quantity: number;
  userName: string;
  orderRef: string | null;
}

export interface IndividualDetail {
  id: string;
  individualNumber: string;
  serialNumber: string | null;
  udi: string | null;
  status: IndividualStatus;
  article: { id: string; articleNumber: string; name: string; isoCode: string };
  site: { id: string; name: string; municipality: string } | null;
  location: { id: string; code: string; name: string; kind: LocationKind; level: LocationLevel; path: string[] } | null;
  history: HistoryEntry[];
}

export function individualDetail(store: StationDb, id: string): IndividualDetail {
  const r = stmt<{
    id: string;
    individualNumber: string;
    serialNumber: string | null;
    udi: string | null;
    status: IndividualStatus;
    articleId: string;
    articleNumber: string;
    articleName: string;
    isoCode: string;
    siteId: string | null;
    siteName: string | null;
    municipality: string | null;
    locationId: string | null;
    locationCode: string | null;
    locationName: string | null;
    locationKind: LocationKind | null;
    locationLevel: LocationLevel | null;
  }>(
    store,
    `select i.id, i.individual_number as individualNumber, i.serial_number as serialNumber, i.udi, i.status,
       a.id as articleId, a.article_number as articleNumber, a.name as articleName, a.iso_code as isoCode,
       s.id as siteId, s.name as siteName, s.municipality, l.id as locationId, l.code as locationCode,
       l.name as locationName, l.kind as locationKind, l.level as locationLevel
     from individuals i join articles a on a.id = i.article_id
       left join sites s on s.id = i.site_id left join locations l on l.id = i.location_id
     where i.id = ?`,
  ).get(id);
  if (!r) throw notFound({ sv: 'Individen finns inte. Skanna eller sök igen.', en: 'The individual does not exist. Scan or search again.' });
  const path = r.locationId ? locationPath(store, r.locationId) : [];
  const history = stmt<HistoryEntry>(
    store,
    `select m.id, m.occurred_at as occurredAt, m.recorded_at as recordedAt, m.reason, fl.code as fromCode,
       fs.name as fromSite, tl.code as toCode, ts.name as toSite, m.quantity, u.name as userName, m.order_ref as orderRef
     from movements m join users u on u.id = m.user_id
       left join locations fl on fl.id = m.from_location_id left join sites fs on fs.id = fl.site_id
       left join locations tl on tl.id = m.to_location_id left join sites ts on ts.id = tl.site_id
     where m.individual_id = ? order by m.occurred_at desc, m.id desc`,
  ).all(id);
  return {
    id: r.id,
    individualNumber: r.individualNumber,
    serialNumber: r.serialNumber,
    udi: r.udi,
    status: r.status,
    article: { id: r.articleId, articleNumber: r.articleNumber, name: r.articleName, isoCode: r.isoCode },
    site: r.siteId ? { id: r.siteId, name: r.siteName!, municipality: r.municipality! } : null,
    location: r.locationId
      ? { id: r.locationId, code: r.locationCode!, name: r.locationName!, kind: r.locationKind!, level: r.locationLevel!, path }
      : null,
    history,
  };
}

/** How deep a place tree is walked at most (zone, aisle, shelf and bin are four). */
const TREE_DEPTH = 16;

/**
 * The codes from the top of the tree down to the location: site zone › aisle › shelf › bin. At most
 * `TREE_DEPTH` places up, so a tree that loops (data from before the register refused a place under
 * itself) shows a path cut short rather than never answering.
 */
function locationPath(store: StationDb, id: string): string[] {
  return stmt<{ code: string }>(
    store,
    `with recursive up(id, parent_id, code, depth) as (
       select id, parent_id, code, 0 from locations where id = ?
       union all select l.id, l.parent_id, l.code, up.depth + 1 from locations l join up on l.id = up.parent_id where up.depth < ${TREE_DEPTH})
     select code from up order by depth desc`,
  )
    .all(id)
    .map((p) => p.code);
}

export interface LocationDetail {
  id: string;
  code: string;
  name: string;
  kind: LocationKind;
  level: LocationLevel;
  siteName: string;
  capacity: number | null;
  retiredAt: number | null;
  path: string[];
  children: { id: string; code: string; name: string }[];
  contents: { articleId: string; articleNumber: string; name: string; lot: string; expiresOn: string | null; quantity: number }[];
  /** The individuals at the location, each by its number (at most 500, in number order). */
  individuals: { id: string; individualNumber: string; articleNumber: string; articleName: string; status: IndividualStatus }[];
}

export function locationDetail(store: StationDb, id: string): LocationDetail {
  const l = stmt<{ id: string; code: string; name: string; kind: LocationKind; level: LocationLevel; siteName: string; capacity: number | null; retiredAt: number | null }>(
    store,
    `select l.id, l.code, l.name, l.kind, l.level, s.name as siteName, l.capacity, l.retired_at as retiredAt from locations l join sites s on s.id = l.site_id where l.id = ?`,
  ).get(id);
  if (!l) throw notFound({ sv: 'Lagerplatsen finns inte. Skanna etiketten igen.', en: 'The location does not exist. Scan its label again.' });
  const path = locationPath(store, id);
  const children = stmt<{ id: string; code: string; name: string }>(
    store,
    'select id, code, name from locations where parent_id = ? and retired_at is null order by code limit 500',
  ).all(id);
  const contents = stmt<{ articleId: string; articleNumber: string; name: string; lot: string; expiresOn: string | null; quantity: number }>(
    store,
    `select a.id as articleId, a.article_number as articleNumber, a.name, b.lot, lt.expires_on as expiresOn, b.quantity
     from balances b join articles a on a.id = b.article_id left join lots lt on lt.article_id = b.article_id and lt.lot = b.lot
     where b.location_id = ? and b.quantity <> 0
     order by a.article_number, b.lot limit 1000`,
  ).all(id);
  const individuals = stmt<LocationDetail['individuals'][number]>(
    store,
    `select i.id, i.individual_number as individualNumber, a.article_number as articleNumber, a.name as articleName, i.status
     from individuals i join articles a on a.id = i.article_id where i.location_id = ? order by i.individual_number limit 500`,
  ).all(id);
  return { ...l, path, children, contents, individuals };
}
