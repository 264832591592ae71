/**
 * The search field's reads: articles, individuals and locations by code, name, ISO class or
 * serial number, a page at a time in a stable order, on index ranges only.
 */
import { normalizeCode } from '../../vocabulary/codes/station-codes';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { heldSiteName } from '../sync/scope';

export type HitKind = 'article' | 'individual' | 'location';

export interface SearchHit {
  kind: HitKind;
  id: string;
  code: string;
  title: string;
  /** Extra context: the article of an individual, the site of a location. */
  detail: string;
}

/** Where a search page left off: the branch (articles, locations, individuals…) and the last key. */
export interface SearchCursor {
  branch: number;
  after: string[];
}

export interface SearchPage {
  hits: SearchHit[];
  next: SearchCursor | null;
  /** How many hits in all, counted up to `SEARCH_COUNT_CAP`. */
  total: number;
  totalCapped: boolean;
  /** The site whose own copy this station holds (a depot's): devices elsewhere are not searched here. Null: the whole region's. */
  heldSite: string | null;
}

export const SEARCH_COUNT_CAP = 1000;

const prefixBounds = (p: string): [string, string] => [
  p,
  p.slice(0, -1) + String.fromCharCode(p.charCodeAt(p.length - 1) + 1),
];
const likeContains = (s: string): string => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

interface Branch {
  /** Rows after the cursor keys, in key order. */
  page(store: StationDb, q: Query, after: string[] | null, limit: number): (SearchHit & { key: string[] })[];
  count(store: StationDb, q: Query, cap: number): number;
}
interface Query {
  code: string;
  lo: string;
  hi: string;
  name: string;
}

/** The columns of a hit, per kind: id, code, title and detail. */
const ARTICLE_HITS = `select a.id, a.article_number as code, a.name as title, a.iso_code as detail from articles a`;
const LOCATION_HITS = `select l.id, l.code, l.name as title, s.name as detail from locations l join sites s on s.id = l.site_id`;
const INDIVIDUAL_HITS = `select i.id, i.individual_number as code, a.name as title, coalesce(i.serial_number, '') as detail
  from individuals i join articles a on a.id = i.article_id`;

const articleWhere = `((a.article_number >= @lo and a.article_number < @hi) or a.search_name like @name escape '\\' or a.iso_code = @code)`;
const locationWhere = `l.code >= @lo and l.code < @hi`;
const individualWhere = `i.individual_number >= @lo and i.individual_number < @hi`;
const serialWhere = `i.serial_number >= @lo and i.serial_number < @hi`;

const BRANCHES: Branch[] = [
  {
    page: (store, q, after, limit) =>
      stmt<{ id: string; code: string; title: string; detail: string }>(
        store,
        `${ARTICLE_HITS} where ${articleWhere} and a.article_number > @after order by a.article_number limit @limit`,
      )
        .all({ ...q, after: after?.[0] ?? '', limit })
        .map((r) => ({ kind: 'article', ...r, key: [r.code] })),
    count: (store, q, cap) =>
      stmt<{ n: number }>(store, `select count(*) as n from (select 1 from articles a where ${articleWhere} limit @cap)`).get({ ...q, cap })!.n,
  },
  {
    page: (store, q, after, limit) =>
      stmt<{ id: string; code: string; title: string; detail: string }>(
        store,
        `${LOCATION_HITS} where ${locationWhere} and l.code > @after order by l.code limit @limit`,
      )
        .all({ ...q, after: after?.[0] ?? '', limit })
        .map((r) => ({ kind: 'location', ...r, key: [r.code] })),
    count: (store, q, cap) =>
      stmt<{ n: number }>(store, `select count(*) as n from (select 1 from locations l where ${locationWhere} limit @cap)`).get({ ...q, cap })!.n,
  },
  {
    page: (store, q, after, limit) =>
      stmt<{ id: string; code: string; title: string; detail: string }>(
        store,
        `${INDIVIDUAL_HITS} where ${individualWhere} and i.individual_number > @after order by i.individual_number limit @limit`,
      )
        .all({ ...q, after: after?.[0] ?? '', limit })
        .map((r) => ({ kind: 'individual', ...r, key: [r.code] })),
    count: (store, q, cap) =>
      stmt<{ n: number }>(store, `select count(*) as n from (select 1 from individuals i where ${individualWhere} limit @cap)`).get({ ...q, cap })!.n,
  },
  {
    // Individuals by the manufacturer's serial number (never the ones already found by their own number).
    page: (store, q, after, limit) =>
      stmt<{ id: string; code: string; title: string; detail: string; serial: string }>(
        store,
        `select i.id, i.individual_number as code, a.name as title, i.serial_number as detail, i.serial_number as serial
         from individuals i join articles a on a.id = i.article_id
         where ${serialWhere} and not (${individualWhere}) and (i.serial_number, i.id) > (@after, @afterId)
         order by i.serial_number, i.id limit @limit`,
      )
        .all({ ...q, after: after?.[0] ?? '', afterId: after?.[1] ?? '', limit })
        .map(({ serial, ...r }) => ({ kind: 'individual', ...r, key: [serial, r.id] })),
    count: (store, q, cap) =>
      stmt<{ n: number }>(
        store,
        `select count(*) as n from (select 1 from individuals i where ${serialWhere} and not (${individualWhere}) limit @cap)`,
      ).get({ ...q, cap })!.n,
  },
];

/**
 * Finds articles (by number, name or ISO code), locations (by code) and individuals (by number
 * or serial number) as the user types. Pages are keyset-based, so page 500 costs what page 1 does.
 */
export function search(store: StationDb, text: string, cursor: SearchCursor | null = null, limit = 50): SearchPage {
  const code = normalizeCode(text);
  if (code === '') return { hits: [], next: null, total: 0, totalCapped: false, heldSite: heldSiteName(store) };
  const [lo, hi] = prefixBounds(code);
  const q: Query = { code, lo, hi, name: likeContains(text.trim().toLocaleLowerCase('sv-SE')) };
  const hits: SearchHit[] = [];
  let next: SearchCursor | null = null;
  let after = cursor?.after ?? null;
  for (let branch = cursor?.branch ?? 0; branch < BRANCHES.length; branch++, after = null) {
    const want = limit - hits.length;
    const rows = BRANCHES[branch]!.page(store, q, after, want + 1);
    const taken = rows.slice(0, want);
    for (const { key: _key, ...hit } of taken) hits.push(hit);
    if (rows.length > want) {
      next = { branch, after: taken.at(-1)?.key ?? after ?? [] };
      break;
    }
    if (hits.length === limit) {
      next = branch + 1 < BRANCHES.length ? { branch: branch + 1, after: [] } : null;
      break;
    }
  }
  let total = 0;
  let totalCapped = false;
  if (!cursor) {
    for (const b of BRANCHES) {
      total += b.count(store, q, SEARCH_COUNT_CAP + 1);
      if (total > SEARCH_COUNT_CAP) {
        total = SEARCH_COUNT_CAP;
        totalCapped = true;
        break;
      }
    }
  }
  return { hits, next, total, totalCapped, heldSite: heldSiteName(store) };
}
