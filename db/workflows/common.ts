import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { LocationKind } from '../schema';
import { stmt } from '../statements';

export interface LocationRef {
  id: string;
  code: string;
  siteId: string;
  kind: LocationKind;
  level: string;
}

export function locationById(store: StationDb, id: string): LocationRef {
  const l = stmt<LocationRef>(
    store,
    'select id, code, site_id as siteId, kind, level from locations where id = ? and retired_at is null',
  ).get(id);
  if (!l)
    throw new DepotError('stock.unknown_location', { sv: 'Okänd lagerplats. Skanna platsens etikett igen.', en: 'Unknown storage location. Scan the location label again.' });
  return l;
}

/** The site's own zone of a kind (goods in, dispatch, returns…), e.g. BOD-A for goods in at Boden. */
export function siteZone(store: StationDb, siteId: string, kind: LocationKind): LocationRef {
  const l = stmt<LocationRef>(
    store,
    "select id, code, site_id as siteId, kind, level from locations where site_id = ? and kind = ? and level = 'zone' and retired_at is null order by code limit 1",
  ).get(siteId, kind);
  if (!l)
    throw new DepotError('workflow.no_zone', {
      sv: `Det här förrådet saknar en plats för ${kind}. Be en arbetsledare lägga upp den.`,
      en: `This site has no ${kind} location. Ask a supervisor to set one up.`,
    });
  return l;
}

/** Where deliveries arrive at a site: its goods-in zone, or at a small depot without one, its first shelf. */
export function arrivalZone(store: StationDb, siteId: string): LocationRef {
  const shelf = stmt<LocationRef>(
    store,
    `select id, code, site_id as siteId, kind, level from locations where site_id = ? and kind in ('goods_in', 'shelf', 'rack', 'floor') and retired_at is null
     order by kind <> 'goods_in', level <> 'zone', code limit 1`,
  ).get(siteId);
  return shelf ?? siteZone(store, siteId, 'goods_in');
}

/** Refuses a location at another site than the station's: the worker scanned the wrong label. */
export function requireAtSite(l: LocationRef, siteId: string): void {
  if (l.siteId !== siteId)
    throw new DepotError(
      'workflow.wrong_site',
      { sv: `Plats ${l.code} hör till ett annat förråd. Skanna en plats här.`, en: `Location ${l.code} belongs to another site. Scan a location here.` },
      'locationId',
    );
}

export interface IndividualRef {
  id: string;
  individualNumber: string;
  articleId: string;
  locationId: string | null;
  status: string;
  updatedAt: number;
}

export function individualById(store: StationDb, id: string): IndividualRef {
  const i = stmt<IndividualRef>(
    store,
    'select id, individual_number as individualNumber, article_id as articleId, location_id as locationId, status, updated_at as updatedAt from individuals where id = ?',
  ).get(id);
  if (!i) throw new DepotError('stock.unknown_individual', { sv: 'Okänd individ. Skanna individmärkningen igen.', en: 'Unknown individual. Scan the individual label again.' });
  return i;
}

/** The next individual number from this station's own block, so numbers never collide offline. */
export function nextIndividualNumber(store: StationDb): string {
  let series = stmt<{ next: number; last: number }>(store, "select next, last from number_series where name = 'individual'").get();
  if (!series) {
    const max = stmt<{ n: number | null }>(store, "select max(cast(substr(individual_number, 2) as integer)) as n from individuals where individual_number glob 'I[0-9]*'").get()!.n ?? 0;
    series = { next: max + 1, last: 9_999_999 };
    stmt(store, "insert into number_series (name, next, last) values ('individual', ?, ?)").run(series.next, series.last);
  }
  if (series.next > series.last)
    throw new DepotError('workflow.numbers_used_up', {
      sv: 'Stationens serie av individnummer är slut. Kontakta en administratör.',
      en: "The station's block of individual numbers is used up. Call an administrator.",
    });
  stmt(store, "update number_series set next = next + 1 where name = 'individual'").run();
  return `I${String(series.next).padStart(7, '0')}`;
}
