/**
 * Putaway: the station suggests where an item goes (the article's preferred location at this
 * site, else a shelf that already holds it, else a free one of the right kind), and the worker
 * confirms by scanning the location.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';

export interface Suggestion {
  locationId: string;
  code: string;
  why: 'preferred' | 'holds_it' | 'free';
}

/** A location with a capacity that already holds that much is full. */
const HAS_ROOM = 'and (l.capacity is null or coalesce((select sum(x.quantity) from balances x where x.location_id = l.id), 0) < l.capacity)';

export function suggestLocation(store: StationDb, siteId: string, articleId: string): Suggestion | null {
  const preferred = stmt<{ locationId: string; code: string }>(
    store,
    `select p.location_id as locationId, l.code from preferred_locations p join locations l on l.id = p.location_id
     where p.article_id = ? and p.site_id = ? and l.retired_at is null ${HAS_ROOM}`,
  ).get(articleId, siteId);
  if (preferred) return { ...preferred, why: 'preferred' };
  const holds = stmt<{ locationId: string; code: string }>(
    store,
    `select l.id as locationId, l.code from balances b join locations l on l.id = b.location_id
     where b.article_id = ? and l.site_id = ? and l.level = 'bin' and l.kind in ('shelf', 'floor', 'rack') and l.retired_at is null ${HAS_ROOM}
     order by b.quantity desc limit 1`,
  ).get(articleId, siteId);
  if (holds) return { ...holds, why: 'holds_it' };
  // Beds, lifts and wheelchairs stand on the floor; everything else goes on a shelf.
  const floor = stmt<{ floor: number }>(store, "select iso_code glob '1812*' or iso_code glob '1236*' or iso_code glob '122[23]*' as floor from articles where id = ?").get(articleId);
  const free = stmt<{ locationId: string; code: string }>(
    store,
    `select l.id as locationId, l.code from locations l
     where l.site_id = ? and l.level = 'bin' and l.kind = ? and l.retired_at is null
       and not exists (select 1 from balances b where b.location_id = l.id)
     order by l.code limit 1`,
  ).get(siteId, floor?.floor ? 'floor' : 'shelf');
  return free ? { ...free, why: 'free' } : null;
}
