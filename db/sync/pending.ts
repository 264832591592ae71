/**
 * What this station has changed that the register has not acknowledged yet: the register's view
 * of those things is older than the station's, so changes pulled meanwhile do not overwrite them.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { syncLink } from './link';
import type { EntityChange } from './wire';

/** When a device was moved, and by which station: the later move wins. */
export type MoveKey = [occurredAt: number, stationId: string];
export const later = (a: MoveKey, b: MoveKey) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** This station's first movement number the register has not acknowledged, or null when it has them all. */
export function firstUnackedSeq(store: StationDb): number | null {
  const link = syncLink(store);
  if (!link) return null;
  return stmt<{ s: number | null }>(store, "select min(json_extract(payload, '$.firstSeq')) as s from outbox where seq > ? and kind = 'movements'").get(link.acked)!.s;
}

/**
 * Individuals this station has moved in entries the register has not acknowledged yet, each with
 * its latest such move. The register's view of one of them is older than this station's unless it
 * already counts that move (or a later one).
 */
function pendingIndividuals(store: StationDb): Map<string, MoveKey> {
  const station = stmt<{ id: string }>(store, 'select id from station').get();
  const pending = new Map<string, MoveKey>();
  const first = station ? firstUnackedSeq(store) : null;
  if (!station || first === null) return pending;
  for (const r of stmt<{ id: string; at: number }>(
    store,
    'select individual_id as id, max(occurred_at) as at from movements where station_id = ? and seq >= ? and individual_id is not null group by individual_id',
  ).all(station.id, first))
    pending.set(r.id, [r.at, station.id]);
  return pending;
}

/** What this station has changed that the register has not acknowledged yet: devices it moved, and master data it edited. */
export interface Pending {
  moves: Map<string, MoveKey>;
  /** `kind\u0000id` of master data edited here and not yet acknowledged. */
  edits: Set<string>;
}

export function pendingHere(store: StationDb): Pending {
  const edits = new Set<string>();
  const acked = syncLink(store)?.acked ?? 0;
  for (const r of stmt<{ payload: string }>(store, "select payload from outbox where seq > ? and kind = 'entities'").all(acked))
    for (const [kind, id] of (JSON.parse(r.payload) as { changes: EntityChange[] }).changes) edits.add(`${kind}\u0000${id}`);
  return { moves: pendingIndividuals(store), edits };
}
