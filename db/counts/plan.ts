/**
 * Planning inventory counts: a whole site (the annual count), a zone, a list of locations, one
 * location (a spot count), or a cycle count from the ABC schedule; parts assigned to counters.
 */
import { audit } from '../audit';
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import { stationNumber } from '../numbers';
import type { StationDb } from '../open';
import type { CountKind, CountLocationState } from '../schema';
import type { Actor } from '../stock/ledger';
import { stmt } from '../statements';

export type SiteActor = Actor & { siteId: string };

export interface CountPlan {
  kind: CountKind;
  title?: string | null;
  /** The zone for a zone count; the locations for a list, spot or cycle count. */
  zoneId?: string | null;
  locationIds?: readonly string[];
  blind?: boolean;
  thresholdQuantity?: number;
  /** In öre. */
  thresholdValue?: number;
}

export interface CountHead {
  id: string;
  number: string;
  siteId: string;
  kind: CountKind;
  title: string;
  blind: boolean;
  thresholdQuantity: number;
  thresholdValue: number;
  state: 'counting' | 'approved' | 'cancelled';
  createdAt: number;
  approvedAt: number | null;
}

/** The id of the zone a location lies in (itself when it is a zone), as an SQL expression on `location`. */
export const zoneOf = (location: string) =>
  `(with recursive up(id, parent_id, level) as (select id, parent_id, level from locations where id = ${location}
      union select p.id, p.parent_id, p.level from locations p join up on p.id = up.parent_id where up.level <> 'zone')
    select id from up where level = 'zone' limit 1)`;

// Where stock can lie: a location with nothing under it (a bin, a floor spot, a zone with no shelves).
const LEAVES = `l.site_id = ? and l.retired_at is null and not exists (select 1 from locations c where c.parent_id = l.id and c.retired_at is null)`;

export function countHead(store: StationDb, countId: string): CountHead {
  const c = stmt<Omit<CountHead, 'blind'> & { blind: number }>(
    store,
    `select id, number, site_id as siteId, kind, title, blind, threshold_quantity as thresholdQuantity, threshold_value as thresholdValue, state,
       created_at as createdAt, approved_at as approvedAt from counts where id = ? or number = ?`,
  ).get(countId, countId);
  if (!c) throw new DepotError('count.unknown', { sv: 'Okänd inventering. Välj den i listan.', en: 'Unknown count. Choose it from the list.' });
  return { ...c, blind: c.blind === 1 };
}

/** Creates the count with its locations, all open and unassigned. */
export function planCount(store: StationDb, actor: SiteActor, plan: CountPlan): CountHead {
  return store.sqlite.transaction(() => {
    let locationIds: string[];
    if (plan.kind === 'site') locationIds = stmt<{ id: string }>(store, `select l.id from locations l where ${LEAVES} order by l.code`).all(actor.siteId).map((r) => r.id);
    else if (plan.kind === 'zone') {
      if (!plan.zoneId) throw new DepotError('count.zone', { sv: 'Välj zonen som ska räknas.', en: 'Choose the zone to count.' }, 'zoneId');
      locationIds = stmt<{ id: string }>(
        store,
        `with recursive tree(id) as (select id from locations where id = ? union select c.id from locations c join tree t on c.parent_id = t.id)
         select l.id from locations l where l.id in (select id from tree) and ${LEAVES} order by l.code`,
      )
        .all(plan.zoneId, actor.siteId)
        .map((r) => r.id);
    } else locationIds = [...new Set(plan.locationIds ?? [])];
    if (plan.kind === 'spot' && locationIds.length !== 1)
      throw new DepotError('count.spot', { sv: 'En stickprovsinventering gäller en plats.', en: 'A spot count covers one location.' }, 'locationIds');
    if (locationIds.length === 0) throw new DepotError('count.empty', { sv: 'Det finns inga platser att räkna. Välj en zon eller platser.', en: 'There are no locations to count. Choose a zone or locations.' });
    const foreign = stmt<{ code: string }>(store, `select code from locations where id in (select value from json_each(?)) and (site_id <> ? or retired_at is not null) limit 1`).get(
      JSON.stringify(locationIds),
      actor.siteId,
    );
    if (foreign) throw new DepotError('count.wrong_site', { sv: `Plats ${foreign.code} hör inte till det här förrådet.`, en: `Location ${foreign.code} does not belong to this site.` });
    const busy = stmt<{ code: string; number: string }>(
      store,
      `select l.code, c.number from count_locations cl join counts c on c.id = cl.count_id join locations l on l.id = cl.location_id
       where c.state = 'counting' and cl.location_id in (select value from json_each(?)) limit 1`,
    ).get(JSON.stringify(locationIds));
    if (busy)
      throw new DepotError('count.busy', {
        sv: `Plats ${busy.code} räknas redan i ${busy.number}. Godkänn eller avbryt den först.`,
        en: `Location ${busy.code} is already being counted in ${busy.number}. Approve or cancel that first.`,
      });
    const at = Date.now();
    const id = uuidv7(at);
    const number = stationNumber(store, 'INV', 'count');
    const title = plan.title?.trim() || number;
    stmt(
      store,
      `insert into counts (id, number, site_id, kind, title, blind, threshold_quantity, threshold_value, state, created_at, created_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, 'counting', ?, ?)`,
    ).run(id, number, actor.siteId, plan.kind, title, plan.blind === false ? 0 : 1, Math.max(0, plan.thresholdQuantity ?? 0), Math.max(0, plan.thresholdValue ?? 0), at, actor.userId);
    const ins = stmt(store, "insert into count_locations (count_id, location_id, state, round) values (?, ?, 'open', 1)");
    for (const l of locationIds) ins.run(id, l);
    audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'count.plan', entity: 'count', entityId: id, detail: { kind: plan.kind, locations: locationIds.length } }, at);
    return countHead(store, id);
  })();
}

/** Gives locations of a count to a counter (or takes them back, with null). */
export function assignLocations(store: StationDb, countId: string, locationIds: readonly string[], userId: string | null): number {
  const c = countHead(store, countId);
  if (c.state !== 'counting') throw new DepotError('count.closed', { sv: `${c.number} är avslutad.`, en: `${c.number} is closed.` });
  return stmt(store, 'update count_locations set assignee = ? where count_id = ? and location_id in (select value from json_each(?))').run(userId, c.id, JSON.stringify(locationIds)).changes;
}

export interface CountProgress {
  total: number;
  byState: Record<CountLocationState, number>;
  byCounter: { userId: string | null; name: string | null; total: number; done: number }[];
}

const DONE = "('counted', 'recounted')";

/** How far a count has come: locations by state, and per counter. */
export function countProgress(store: StationDb, countId: string): CountProgress {
  const byState = Object.fromEntries(['open', 'counting', 'counted', 'recount', 'recounting', 'recounted'].map((s) => [s, 0])) as Record<CountLocationState, number>;
  for (const r of stmt<{ state: CountLocationState; n: number }>(store, 'select state, count(*) as n from count_locations where count_id = ? group by state').all(countId)) byState[r.state] = r.n;
  const byCounter = stmt<CountProgress['byCounter'][number]>(
    store,
    `select cl.assignee as userId, u.name, count(*) as total, sum(cl.state in ${DONE}) as done
     from count_locations cl left join users u on u.id = cl.assignee where cl.count_id = ? group by cl.assignee order by sv_order(u.name)`,
  ).all(countId);
  return { total: Object.values(byState).reduce((a, b) => a + b, 0), byState, byCounter };
}

/** The site's latest counts, newest first. */
export function siteCountIds(store: StationDb, siteId: string, limit = 100): string[] {
  return stmt<{ id: string }>(store, 'select id from counts where site_id = ? order by created_at desc limit ?').all(siteId, limit).map((c) => c.id);
}

export interface CountLocationRow {
  locationId: string;
  code: string;
  state: CountLocationState;
  round: number;
  assignee: string | null;
  assigneeName: string | null;
  recountReason: string | null;
  countedBy: string | null;
}

/** A count's locations with who counts them, by code; never what the ledger expects (counting is blind). */
export function countLocations(store: StationDb, countId: string): CountLocationRow[] {
  return stmt<CountLocationRow>(
    store,
    `select cl.location_id as locationId, l.code, cl.state, cl.round, cl.assignee, u.name as assigneeName, cl.recount_reason as recountReason, cl.counted_by as countedBy
     from count_locations cl join locations l on l.id = cl.location_id left join users u on u.id = cl.assignee where cl.count_id = ? order by l.code`,
  ).all(countId);
}
