import { eq } from 'drizzle-orm';
import { DepotError } from '../vocabulary/errors';
import type { StationDb } from './open';
import { sites, station, type SiteKind } from './schema';

export interface StationInfo {
  id: string;
  name: string;
  siteId: string;
  siteCode: string;
  siteName: string;
  siteKind: SiteKind;
  municipality: string;
}

/** Which station this database belongs to; set once, when the database is first filled. */
export function getStation(store: StationDb): StationInfo {
  const row = store.db
    .select({
      id: station.id,
      name: station.name,
      siteId: station.siteId,
      siteCode: sites.code,
      siteName: sites.name,
      siteKind: sites.kind,
      municipality: sites.municipality,
    })
    .from(station)
    .innerJoin(sites, eq(sites.id, station.siteId))
    .get();
  if (!row)
    throw new DepotError('station.not_set_up', {
      sv: 'Stationen är inte uppsatt än. Starta om programmet så laddas grunddata.',
      en: 'This station is not set up yet. Restart the app to load its base data.',
    });
  return row;
}

export function isStationSetUp(store: StationDb): boolean {
  return store.db.select({ id: station.id }).from(station).get() !== undefined;
}
