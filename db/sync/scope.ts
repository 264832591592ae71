/**
 * What this station's copy holds: the whole region's stock, devices and history, or one depot's
 * own (its site's stock, devices, queue and history, with the region's master data). What a depot's
 * copy does not hold is never shown as a figure: the core refuses it as "not held at this station".
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { DepotError } from '../../vocabulary/errors';

/** The site whose own copy this station holds, or null for the whole region's. */
export function copyScope(store: StationDb): string | null {
  return stmt<{ site_id: string }>(store, 'select site_id from copy_scope').get()?.site_id ?? null;
}

/** Records what the copy just taken holds (inside the copy's transaction). */
export function setCopyScope(store: StationDb, siteId: string | null | undefined): void {
  stmt(store, 'delete from copy_scope').run();
  if (siteId) stmt(store, 'insert into copy_scope (singleton, site_id) values (1, ?)').run(siteId);
}

/** Whether this station's copy holds the stock and history of `siteId`. */
export function holdsSite(store: StationDb, siteId: string): boolean {
  const scope = copyScope(store);
  return scope === null || scope === siteId;
}

const siteName = (store: StationDb, siteId: string) => stmt<{ name: string }>(store, 'select name from sites where id = ?').get(siteId)?.name ?? null;

/** The site whose own copy this station holds, named; null for the whole region's. */
export function heldSite(store: StationDb): { id: string; name: string } | null {
  const scope = copyScope(store);
  return scope === null ? null : { id: scope, name: siteName(store, scope) ?? scope };
}

/** The name of the site whose own copy this station holds; null for the whole region's. */
export const heldSiteName = (store: StationDb): string | null => heldSite(store)?.name ?? null;

/** Refuses to answer about a site this station's copy does not hold (rather than answer with nothing). */
export function mustHoldSite(store: StationDb, siteId: string): void {
  if (holdsSite(store, siteId)) return;
  const name = siteName(store, siteId);
  const own = siteName(store, copyScope(store)!) ?? '';
  throw new DepotError('sync.not_held', {
    sv: `Den här stationens kopia har bara lager och historik för ${own}${name ? `, inte för ${name}` : ''}. Se det på en station i centralförrådet.`,
    en: `This station's copy holds only the stock and history of ${own}${name ? `, not of ${name}` : ''}. Look it up at a station in the central store.`,
  });
}

/** Refuses what needs the whole region's stock and history (an overview of every site, rentals) at a depot's own copy. */
export function mustHoldRegion(store: StationDb): void {
  const scope = copyScope(store);
  if (scope === null) return;
  const own = siteName(store, scope) ?? '';
  throw new DepotError('sync.not_held', {
    sv: `Den här stationens kopia har bara lager och historik för ${own}, inte för hela regionen. Se det på en station i centralförrådet.`,
    en: `This station's copy holds only the stock and history of ${own}, not the whole region's. Look it up at a station in the central store.`,
  });
}

/** A device this station's copy does not hold: named by the code scanned, never "unknown". */
export function deviceNotHeld(store: StationDb, code: string): DepotError {
  const own = siteName(store, copyScope(store) ?? '') ?? '';
  return new DepotError('sync.device_not_held', {
    sv: `${code} finns inte i den här stationens kopia, som bara har hjälpmedel som är eller nyligen var på ${own}. Stationen frågar registret efter det och tar skanningen igen när det har kommit. Utan förbindelse: se var det är på en station i centralförrådet.`,
    en: `${code} is not in this station's copy, which holds only devices that are or recently were at ${own}. The station asks the register for it and takes the scan again once it has come. Without a connection: look it up at a station in the central store.`,
  });
}

/**
 * The devices a change of master data refers to (a pallet's items, a pick-up, a job, a work order):
 * a depot's own copy holds each of them with it, so what it holds never points at a device it lacks.
 */
export function devicesReferred(data: Record<string, unknown> | null): string[] {
  if (!data) return [];
  const out: string[] = [];
  const take = (v: unknown) => {
    if (typeof v === 'string' && v.length > 0 && v.length <= 64) out.push(v);
  };
  take(data.individual_id);
  for (const list of [data.items, data.lines, data.events])
    if (Array.isArray(list)) for (const row of list) if (row && typeof row === 'object') take((row as Record<string, unknown>).individual_id);
  return out;
}
