/**
 * Master data from the register written into the station's tables: each kind to its table (with
 * its GTINs, pallet items or order lines), deletions as retirements where something here may
 * still refer to it, and the register's conflicts and rejections kept for a supervisor. What this
 * station changed itself and the register has not acknowledged yet stays as it is here.
 */
import type { StationDb } from '../open';
import { writeComponents, writePreferred, writeTraining } from '../service/workshop-data';
import { stmt } from '../statements';
import { putSetting } from '../settings';
import { GS1_KEY, gs1Holds } from '../workflows/pallets';
import { later, type MoveKey, type Pending } from './pending';
import { copyScope } from './scope';
import { CODE_OF, type EntityChange } from './wire';

/** The station's table of each kind of master data the register sends. */
export const TABLES: Record<string, string> = {
  site: 'sites',
  delivery_point: 'delivery_points',
  location: 'locations',
  article: 'articles',
  user: 'users',
  lot: 'lots',
  individual: 'individuals',
  purchase_order: 'purchase_orders',
  customer_order: 'customer_orders',
  pickup_order: 'pickup_orders',
  reorder_setting: 'reorder_settings',
  pallet: 'pallets',
  service_job: 'service_jobs',
  wash_batch: 'wash_batches',
  work_order: 'work_orders',
  sign_in_unlock: 'sign_in_unlocks',
  checklist: 'inspection_checklists',
  maintenance_plan: 'maintenance_plans',
};
const KEYS: Record<string, string[]> = { reorder_settings: ['article_id', 'site_id'], lots: ['article_id', 'lot'] };

const columnCache = new WeakMap<StationDb, Map<string, string[]>>();
/** The columns `table` has. */
export function columns(store: StationDb, table: string): string[] {
  let byTable = columnCache.get(store);
  if (!byTable) columnCache.set(store, (byTable = new Map()));
  let cols = byTable.get(table);
  if (!cols) byTable.set(table, (cols = (store.sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)));
  return cols;
}

/** A value from the register as SQLite stores it. */
export const value = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

const upsertPlans = new WeakMap<StationDb, Map<string, { run: (data: Record<string, unknown>) => void }>>();

/** Inserts or updates a row from the register's fields (those the table has); one prepared plan per table and field set. */
function upsert(store: StationDb, table: string, data: Record<string, unknown>): void {
  let plans = upsertPlans.get(store);
  if (!plans) upsertPlans.set(store, (plans = new Map()));
  const signature = `${table}:${Object.keys(data).join(',')}`;
  let plan = plans.get(signature);
  if (!plan) {
    const key = KEYS[table] ?? ['id'];
    const cols = columns(store, table).filter((c) => c in data);
    const sets = cols.filter((c) => !key.includes(c)).map((c) => `${c} = excluded.${c}`);
    const statement = store.sqlite.prepare(
      `insert into ${table} (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})
       on conflict (${key.join(', ')}) do ${sets.length ? `update set ${sets.join(', ')}` : 'nothing'}`,
    );
    plan = { run: (d) => statement.run(...cols.map((c) => value(d[c]))) };
    plans.set(signature, plan);
  }
  plan.run(data);
}

/**
 * A station keeps the work orders of its own site: field repairs (entered here, at another station
 * of the site, or sent by the register) and the repairs of its site's reconditioning jobs.
 */
function workOrderBelongsHere(store: StationDb, data: Record<string, unknown>): boolean {
  if (data.site_id !== ownSite(store)) return false;
  return data.job_id === null || data.job_id === undefined || stmt(store, 'select 1 from service_jobs where id = ?').get(data.job_id) !== undefined;
}

const sites = new WeakMap<StationDb, string>();

/** The site this station belongs to (it never changes); during its first copy, the site it was enrolled for. */
export function ownSite(store: StationDb): string | null {
  const known = sites.get(store);
  if (known) return known;
  let site = stmt<{ site_id: string }>(store, 'select site_id from station').get()?.site_id ?? null;
  if (!site) {
    const enrolment = stmt<{ value: string }>(store, "select value from station_settings where key = 'sync.enrolment'").get();
    site = enrolment ? ((JSON.parse(enrolment.value) as { siteId?: string }).siteId ?? null) : null;
  }
  if (site) sites.set(store, site);
  return site;
}

/** The reconditioning queue is the site's: a station keeps its own site's jobs and wash batches. */
const SITE_QUEUE = new Set(['service_job', 'wash_batch']);

/**
 * A service job as the register holds it, with its steps. The register decided which job of a
 * device is open: one this station opened for it meanwhile (while offline) is closed here.
 */
function applyServiceJob(store: StationDb, id: string, data: Record<string, unknown>): void {
  if (data.closed_at === null || data.closed_at === undefined)
    stmt(store, 'update service_jobs set closed_at = ? where individual_id = ? and closed_at is null and id <> ?').run(Date.now(), data.individual_id, id);
  upsert(store, 'service_jobs', data);
  const insert = stmt(
    store,
    'insert or ignore into service_events (id, job_id, at, station_id, user_id, action, from_state, to_state, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  for (const e of Array.isArray(data.events) ? (data.events as Record<string, unknown>[]) : [])
    insert.run(e.id, id, e.at, e.station_id, e.user_id, e.action, e.from_state, e.to_state, typeof e.detail === 'string' ? e.detail : null);
}

function applyWashBatch(store: StationDb, id: string, data: Record<string, unknown>): void {
  upsert(store, 'wash_batches', data);
  const items = Array.isArray(data.items) ? (data.items as Record<string, unknown>[]) : [];
  stmt(store, 'delete from wash_batch_items where batch_id = ? and individual_id not in (select value from json_each(?))').run(id, JSON.stringify(items.map((i) => i.individual_id)));
  for (const item of items) stmt(store, 'insert or ignore into wash_batch_items (batch_id, individual_id, added_at) values (?, ?, ?)').run(id, item.individual_id, item.added_at);
}

/** Workshop data kept as one list per technician, article or article and site. */
const LISTS = new Set(['training', 'components', 'preferred_location']);

function applyList(store: StationDb, kind: string, id: string, data: Record<string, unknown>): void {
  const list = (v: unknown) => (Array.isArray(v) ? (v as unknown[]) : []);
  if (kind === 'training') writeTraining(store, id, list(data.iso_prefixes));
  else if (kind === 'components') writeComponents(store, id, list(data.components));
  // Where an article is put away is its site's: another site's preference is not kept here.
  else if (data.site_id === ownSite(store)) writePreferred(store, data);
}

/**
 * Writes one change from the register (inside the caller's transaction). A change of a device goes
 * to every station; a depot's own copy takes it when the device is at its site, is held here already
 * (then it follows it wherever it goes), or is `wanted`: something else the change brings refers to it
 * (a movement into the site, a pallet's item, a pick-up). A full copy holds exactly what the copy is
 * to hold (`wanted` is 'all').
 */
export function applyEntity(store: StationDb, [kind, id, data]: EntityChange, pending: Pending, wanted: ReadonlySet<string> | 'all' = new Set()): void {
  if (kind === 'conflict' || kind === 'rejection') {
    if (!data) return;
    const station = stmt<{ id: string }>(store, 'select id from station').get();
    // A rejection concerns the station that pushed it; a conflict every station that holds the individual.
    if (kind === 'rejection' && data.station_id !== station?.id) return;
    // A job's conflict concerns the stations of its site.
    if (typeof data.site_id === 'string' && data.site_id !== ownSite(store)) return;
    // The push's answer may have recorded it already; the register's copy carries the movements too.
    stmt(store, 'insert into sync_issues (id, kind, data, at) values (?, ?, ?, ?) on conflict (id) do update set data = excluded.data').run(
      kind === 'rejection' ? `entry:${data.n as number}` : id,
      kind,
      JSON.stringify(data),
      (data.at as number) ?? Date.now(),
    );
    return;
  }
  // This station's own newer edit is on its way to the register; the register's older copy waits for it.
  if (pending.edits.has(`${kind}\u0000${id}`)) return;
  if (LISTS.has(kind)) {
    if (data) applyList(store, kind, id, data);
    return;
  }
  // The region's GS1 company prefix, for the SSCCs of the pallets made here.
  if (kind === 'setting') {
    if (data && id === GS1_KEY && gs1Holds(data)) putSetting(store, GS1_KEY, { companyPrefix: data.company_prefix, extensionDigit: data.extension_digit });
    return;
  }
  const table = TABLES[kind];
  if (!table) return;
  if (kind === 'work_order' && data && !workOrderBelongsHere(store, data)) return;
  if (SITE_QUEUE.has(kind)) {
    // Never deleted; another site's queue is not kept here.
    if (data === null || data.site_id !== ownSite(store)) return;
    if (kind === 'service_job') applyServiceJob(store, id, data);
    else applyWashBatch(store, id, data);
    return;
  }
  if (data === null) {
    // Deleted centrally: what may still be referred to here is retired rather than removed.
    if (kind === 'location') stmt(store, 'update locations set retired_at = coalesce(retired_at, ?) where id = ?').run(Date.now(), id);
    // A user who left signs in no more, and their badge is free to be given on.
    else if (kind === 'user') stmt(store, 'update users set active = 0, badge_code = null where id = ?').run(id);
    // A pick-up withdrawn is no longer to be collected.
    else if (kind === 'pickup_order') stmt(store, "update pickup_orders set state = 'cancelled', closed_at = coalesce(closed_at, ?) where id = ? and state = 'ordered'").run(Date.now(), id);
    else if (kind === 'article') {
      stmt(store, 'delete from article_gtins where article_id = ?').run(id);
      stmt(store, 'delete from article_hibc where article_id = ?').run(id);
    }
    return;
  }
  if (kind === 'pickup_order' && data.state === 'ordered') {
    // One open pick-up per device: the register's stands over one ordered here meanwhile.
    stmt(store, "update pickup_orders set state = 'cancelled', closed_at = ? where individual_id = ? and state = 'ordered' and id <> ?").run(Date.now(), data.individual_id, id);
  }
  if (kind === 'reorder_setting' || (kind === 'individual' && wanted !== 'all' && !wanted.has(id))) {
    const scope = copyScope(store);
    if (scope !== null && data.site_id !== scope && (kind === 'reorder_setting' || !stmt(store, 'select 1 from individuals where id = ?').get(id))) return;
  }
  if (kind === 'individual') {
    // Keep this station's own newer view until the register has counted its move; once it has (even
    // through an earlier delivery this station never heard back about), the register's word stands.
    const mine = pending.moves.get(id);
    const theirs = (data.last as MoveKey | null | undefined) ?? null;
    if (mine && (!theirs || later(mine, theirs))) return;
  }
  // A badge names one user: the register's word stands over a badge this station still gives someone else.
  if (kind === 'user' && typeof data.badge_code === 'string') stmt(store, 'update users set badge_code = null where badge_code = ? and id <> ?').run(data.badge_code, id);
  // So does a code: a place, article or site here that still holds the code the register gives this
  // one (taken down and its code given on, or renamed by a change still to come) is told apart by its
  // id, as a new station's copy holds a withdrawn one, rather than the pull stopping at this row.
  const code = CODE_OF[kind];
  if (code && typeof data[code] === 'string') stmt(store, `update ${table} set ${code} = ${code} || '~' || id where ${code} = ? and id <> ?`).run(data[code], id);
  upsert(store, table, data);
  if (kind === 'article' && Array.isArray(data.gtins)) {
    // A GTIN linked here and not yet acknowledged stays linked until the register's article carries it.
    const linking = [...pending.edits].filter((k) => k.startsWith('gtin_link\u0000')).map((k) => k.slice('gtin_link\u0000'.length));
    stmt(store, 'delete from article_gtins where article_id = ? and gtin not in (select value from json_each(?))').run(id, JSON.stringify(linking));
    for (const gtin of data.gtins as string[]) stmt(store, 'insert or replace into article_gtins (gtin, article_id) values (?, ?)').run(gtin, id);
  }
  if (kind === 'article' && Array.isArray(data.hibc)) {
    stmt(store, 'delete from article_hibc where article_id = ?').run(id);
    for (const code of data.hibc as string[]) stmt(store, 'insert or replace into article_hibc (code, article_id) values (?, ?)').run(code, id);
  }
  if (kind === 'pallet' && Array.isArray(data.items)) {
    const items = data.items as Record<string, unknown>[];
    stmt(store, `delete from pallet_items where pallet_id = ? and id not in (select value from json_each(?))`).run(id, JSON.stringify(items.map((i) => i.id)));
    for (const item of items) upsert(store, 'pallet_items', { ...item, pallet_id: id });
  }
  if ((kind === 'purchase_order' || kind === 'customer_order') && Array.isArray(data.lines)) {
    const lines = kind === 'purchase_order' ? 'purchase_order_lines' : 'customer_order_lines';
    const parent = kind === 'purchase_order' ? 'purchase_order_id' : 'customer_order_id';
    for (const line of data.lines as Record<string, unknown>[]) upsert(store, lines, { ...line, [parent]: id });
  }
}
