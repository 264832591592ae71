/**
 * The station's half of sync, as database operations (the HTTP loop is in `api/sync.ts`):
 * reading outbox entries to push, recording what the register acknowledged, applying pulled
 * changes and full copies. Each runs in one transaction, so a station killed at any moment
 * resumes from a consistent place: an entry is pushed again until acknowledged (the register
 * acknowledges a duplicate without effect), and the cursor moves with the changes it covers.
 */
import type { Store } from '../open';
import { invalidateAggregates } from '../replenishment/aggregates';
import { stmt } from '../statements';
import type { EnrolResponse, EntityChange, MovementTuple, PullPage, PushEntry, PushResponse, SnapshotHeader } from './wire';

export interface SyncLink {
  registerUrl: string;
  token: string;
  epoch: string | null;
  cursor: number;
  acked: number;
  auditAcked: number;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: { sv: string; en: string } | null;
}

export function syncLink(store: Store): SyncLink | null {
  const row = stmt<Record<string, unknown>>(store, 'select * from sync_state').get();
  if (!row) return null;
  return {
    registerUrl: row.register_url as string,
    token: row.token as string,
    epoch: (row.epoch as string | null) ?? null,
    cursor: row.cursor as number,
    acked: row.acked as number,
    auditAcked: row.audit_acked as number,
    lastSuccessAt: (row.last_success_at as number | null) ?? null,
    lastAttemptAt: (row.last_attempt_at as number | null) ?? null,
    lastError: row.last_error ? (JSON.parse(row.last_error as string) as { sv: string; en: string }) : null,
  };
}

/** Remembers the register and this station's token (before the first full copy arrives). */
export function linkToRegister(store: Store, registerUrl: string, enrolment: EnrolResponse): void {
  store.sqlite.transaction(() => {
    stmt(store, 'delete from sync_state').run();
    stmt(store, 'insert into sync_state (singleton, register_url, token, cursor, acked) values (1, ?, ?, 0, 0)').run(registerUrl, enrolment.token);
    stmt(store, "insert or replace into station_settings (key, value, updated_at) values ('sync.enrolment', ?, ?)").run(
      JSON.stringify({ stationId: enrolment.stationId, name: enrolment.name, siteId: enrolment.siteId, numbers: enrolment.numbers }),
      Date.now(),
    );
  })();
}

export function noteAttempt(store: Store, error: { sv: string; en: string } | null, success: boolean): void {
  const now = Date.now();
  if (success) stmt(store, 'update sync_state set last_attempt_at = ?, last_success_at = ?, last_error = null').run(now, now);
  else stmt(store, 'update sync_state set last_attempt_at = ?, last_error = ?').run(now, error ? JSON.stringify(error) : null);
}

// ---- push --------------------------------------------------------------------------------------

interface OutboxRow {
  seq: number;
  kind: string;
  payload: string;
}

/** The next outbox entries after `acked`, up to about `maxMovements` movements. */
export function outboxBatch(store: Store, acked: number, maxMovements = 10_000): PushEntry[] {
  const rows = stmt<OutboxRow>(store, 'select seq, kind, payload from outbox where seq > ? order by seq limit 5000').all(acked);
  const movements = stmt<MovementRow>(
    store,
    `select m.*, i.individual_number, i.serial_number, i.udi, i.article_id as individual_article
     from movements m left join individuals i on i.id = m.individual_id
     where m.station_id = ? and m.seq between ? and ? order by m.seq`,
  );
  const entries: PushEntry[] = [];
  let count = 0;
  for (const row of rows) {
    const p = JSON.parse(row.payload) as { stationId: string; firstSeq: number; lastSeq: number };
    if (row.kind === 'entities') {
      entries.push({ n: row.seq, m: [], i: [], e: (JSON.parse(row.payload) as { changes: EntityChange[] }).changes });
      continue;
    }
    const ms = row.kind === 'movements' ? movements.all(p.stationId, p.firstSeq, p.lastSeq) : [];
    const individuals = new Map<string, PushEntry['i'][number]>();
    for (const m of ms)
      if (m.individual_id) individuals.set(m.individual_id, [m.individual_id, m.individual_number!, m.individual_article!, m.serial_number ?? null, m.udi ?? null]);
    entries.push({ n: row.seq, m: ms.map(tuple), i: [...individuals.values()] });
    count += ms.length;
    if (count >= maxMovements) break;
  }
  return entries;
}

interface MovementRow {
  id: string;
  station_id: string;
  seq: number;
  user_id: string;
  occurred_at: number;
  recorded_at: number;
  article_id: string;
  individual_id: string | null;
  lot: string | null;
  from_location_id: string | null;
  to_location_id: string | null;
  quantity: number;
  reason: string;
  order_ref: string | null;
  reverses: string | null;
  individual_number?: string | null;
  serial_number?: string | null;
  udi?: string | null;
  individual_article?: string | null;
}

const tuple = (m: MovementRow): MovementTuple => [
  m.id,
  m.station_id,
  m.seq,
  m.user_id,
  m.occurred_at,
  m.recorded_at,
  m.article_id,
  m.individual_id,
  m.lot,
  m.from_location_id,
  m.to_location_id,
  m.quantity,
  m.reason,
  m.order_ref,
  m.reverses,
];

/** Records the register's acknowledgement: entries up to `lastApplied` are done; rejections go to a supervisor. */
export function recordPushed(store: Store, response: PushResponse): void {
  store.sqlite.transaction(() => {
    const now = Date.now();
    stmt(store, 'update sync_state set acked = max(acked, ?)').run(response.lastApplied);
    stmt(store, 'update outbox set sent_at = ? where seq <= ? and sent_at is null').run(now, response.lastApplied);
    for (const r of response.rejected)
      stmt(store, "insert or ignore into sync_issues (id, kind, data, at) values (?, 'rejection', ?, ?)").run(`entry:${r.n}`, JSON.stringify(r), now);
  })();
}

// ---- pull --------------------------------------------------------------------------------------

const TABLES: Record<string, string> = {
  site: 'sites',
  location: 'locations',
  article: 'articles',
  user: 'users',
  individual: 'individuals',
  purchase_order: 'purchase_orders',
  customer_order: 'customer_orders',
  reorder_setting: 'reorder_settings',
  pallet: 'pallets',
  work_order: 'work_orders',
  sign_in_unlock: 'sign_in_unlocks',
};
const KEYS: Record<string, string[]> = { reorder_settings: ['article_id', 'site_id'] };

const columnCache = new WeakMap<Store, Map<string, string[]>>();
function columns(store: Store, table: string): string[] {
  let byTable = columnCache.get(store);
  if (!byTable) columnCache.set(store, (byTable = new Map()));
  let cols = byTable.get(table);
  if (!cols) byTable.set(table, (cols = (store.sqlite.pragma(`table_info(${table})`) as { name: string }[]).map((c) => c.name)));
  return cols;
}

const value = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

const upsertPlans = new WeakMap<Store, Map<string, { run: (data: Record<string, unknown>) => void }>>();

/** Inserts or updates a row from the register's fields (those the table has); one prepared plan per table and field set. */
function upsert(store: Store, table: string, data: Record<string, unknown>): void {
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
 * Runs `fn` with the indexes of the listed tables that are still empty taken away and built again
 * afterwards: building an index once over a full table is much faster than keeping it up to date
 * row by row (a new station's first copy). Inside the caller's transaction.
 */
function withIndexesBuiltAfter(store: Store, tables: readonly string[], fn: () => void): void {
  const sq = store.sqlite;
  const empty = tables.filter((t) => sq.prepare(`select 1 from ${t} limit 1`).get() === undefined);
  const indexes = empty.flatMap(
    (t) => sq.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null").all(t) as { name: string; sql: string }[],
  );
  for (const i of indexes) sq.exec(`drop index ${i.name}`);
  fn();
  for (const i of indexes) sq.exec(i.sql);
}

type MoveKey = [occurredAt: number, stationId: string];
const later = (a: MoveKey, b: MoveKey) => a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);

/** This station's first movement number the register has not acknowledged, or null when it has them all. */
function firstUnackedSeq(store: Store): number | null {
  const link = syncLink(store);
  if (!link) return null;
  return stmt<{ s: number | null }>(store, "select min(json_extract(payload, '$.firstSeq')) as s from outbox where seq > ? and kind = 'movements'").get(link.acked)!.s;
}

/**
 * Individuals this station has moved in entries the register has not acknowledged yet, each with
 * its latest such move. The register's view of one of them is older than this station's unless it
 * already counts that move (or a later one).
 */
function pendingIndividuals(store: Store): Map<string, MoveKey> {
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

/**
 * A station keeps the work orders of its own site: field repairs (entered here, at another station
 * of the site, or sent by the register) and the repairs of its own reconditioning jobs. Another
 * station's reconditioning repair belongs to a job only that station has.
 */
function workOrderBelongsHere(store: Store, data: Record<string, unknown>): boolean {
  const site = stmt<{ site_id: string }>(store, 'select site_id from station').get()?.site_id;
  if (data.site_id !== site) return false;
  return data.job_id === null || data.job_id === undefined || stmt(store, 'select 1 from service_jobs where id = ?').get(data.job_id) !== undefined;
}

/** What this station has changed that the register has not acknowledged yet: devices it moved, and master data it edited. */
interface Pending {
  moves: Map<string, MoveKey>;
  /** `kind\u0000id` of master data edited here and not yet acknowledged. */
  edits: Set<string>;
}

function pendingHere(store: Store): Pending {
  const edits = new Set<string>();
  const acked = syncLink(store)?.acked ?? 0;
  for (const r of stmt<{ payload: string }>(store, "select payload from outbox where seq > ? and kind = 'entities'").all(acked))
    for (const [kind, id] of (JSON.parse(r.payload) as { changes: EntityChange[] }).changes) edits.add(`${kind}\u0000${id}`);
  return { moves: pendingIndividuals(store), edits };
}

function applyEntity(store: Store, [kind, id, data]: EntityChange, pending: Pending): void {
  if (kind === 'conflict' || kind === 'rejection') {
    if (!data) return;
    const station = stmt<{ id: string }>(store, 'select id from station').get();
    // A rejection concerns the station that pushed it; a conflict every station that holds the individual.
    if (kind === 'rejection' && data.station_id !== station?.id) return;
    // The push's answer may have recorded it already; the register's copy carries the movements too.
    stmt(store, 'insert into sync_issues (id, kind, data, at) values (?, ?, ?, ?) on conflict (id) do update set data = excluded.data').run(
      kind === 'rejection' ? `entry:${data.n as number}` : id,
      kind,
      JSON.stringify(data),
      (data.at as number) ?? Date.now(),
    );
    return;
  }
  const table = TABLES[kind];
  if (!table) return;
  // This station's own newer edit is on its way to the register; the register's older copy waits for it.
  if (pending.edits.has(`${kind}\u0000${id}`)) return;
  if (kind === 'work_order' && data && !workOrderBelongsHere(store, data)) return;
  if (data === null) {
    // Deleted centrally: what may still be referred to here is retired rather than removed.
    if (kind === 'location') stmt(store, 'update locations set retired_at = coalesce(retired_at, ?) where id = ?').run(Date.now(), id);
    else if (kind === 'user') stmt(store, 'update users set active = 0 where id = ?').run(id);
    else if (kind === 'article') stmt(store, 'delete from article_gtins where article_id = ?').run(id);
    return;
  }
  if (kind === 'individual') {
    // Keep this station's own newer view until the register has counted its move; once it has (even
    // through an earlier delivery this station never heard back about), the register's word stands.
    const mine = pending.moves.get(id);
    const theirs = (data.last as MoveKey | null | undefined) ?? null;
    if (mine && (!theirs || later(mine, theirs))) return;
  }
  upsert(store, table, data);
  if (kind === 'article' && Array.isArray(data.gtins)) {
    stmt(store, 'delete from article_gtins where article_id = ?').run(id);
    for (const gtin of data.gtins as string[]) stmt(store, 'insert or replace into article_gtins (gtin, article_id) values (?, ?)').run(gtin, id);
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

const insertMovement = (store: Store) =>
  stmt(
    store,
    `insert or ignore into movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, lot,
       from_location_id, to_location_id, quantity, reason, order_ref, reverses) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

/**
 * Writes changes that came from the register: inside the caller's transaction, with the outbox
 * triggers of the synced tables standing aside, so nothing received is sent back as this
 * station's own change.
 */
function fromRegister(store: Store, write: () => void): void {
  if (!store.sqlite.inTransaction) throw new Error('changes from the register are written in one transaction');
  stmt(store, 'insert or ignore into sync_applying (singleton) values (1)').run();
  write();
  stmt(store, 'delete from sync_applying').run();
}

/** Applies one page of changes and moves the cursor, in one transaction. Movements land in the ledger (balances follow). */
export function applyPull(store: Store, page: PullPage): void {
  store.sqlite.transaction(() => fromRegister(store, () => {
    // A page is in the register's order; a row may refer to one whose latest version comes later in it.
    store.sqlite.pragma('defer_foreign_keys = ON');
    const pending = pendingHere(store);
    for (const e of page.e) applyEntity(store, e, pending);
    const insert = insertMovement(store);
    for (const m of page.m) insert.run(...m.slice(0, 14), m[14] ?? null);
    stmt(store, 'update sync_state set epoch = ?, cursor = ?').run(page.epoch, page.cursor);
  }))();
}

export type SnapshotLine = ['e', string, string, Record<string, unknown>] | ['m', ...MovementTuple] | ['b', string, string, string, number];

/**
 * Replaces this station's copy with a full one from the register, in one transaction: master
 * data and individuals upserted, recent movements added, and stock taken as the register's
 * balances plus this station's own movements it has not acknowledged yet. On a station not set
 * up yet, `setUp` creates its station row in the same transaction.
 */
export function applySnapshot(
  store: Store,
  header: SnapshotHeader,
  lines: Iterable<SnapshotLine>,
  onProgress?: (done: number) => void,
): void {
  const sq = store.sqlite;
  sq.transaction(() => fromRegister(store, () => {
    sq.pragma('defer_foreign_keys = ON');
    const triggers = sq.prepare("select name, sql from sqlite_master where type = 'trigger' and name in ('movements_balance_from', 'movements_balance_to')").all() as { name: string; sql: string }[];
    for (const t of triggers) sq.exec(`drop trigger ${t.name}`);
    const pending = pendingHere(store);
    const insert = insertMovement(store);
    const balance = sq.prepare('insert into balances (article_id, location_id, lot, quantity) values (?, ?, ?, ?)');
    sq.exec('delete from balances');
    let done = 0;
    // What this station holds that the copy no longer has was withdrawn centrally meanwhile.
    const withdrawn = new Map<string, Set<string>>(
      (['location', 'user', 'article'] as const).map((kind) => [kind, new Set(stmt<{ id: string }>(store, `select id from ${TABLES[kind]!}`).all().map((r) => r.id))]),
    );
    withIndexesBuiltAfter(store, ['movements', 'individuals', 'balances'], () => {
      for (const line of lines) {
        if (line[0] === 'e') {
          applyEntity(store, [line[1], line[2], line[3]], pending);
          withdrawn.get(line[1])?.delete(line[2]);
        }
        else if (line[0] === 'm') insert.run(...line.slice(1, 15), line[15] ?? null);
        else balance.run(line[1], line[2], line[3], line[4]);
        if (++done % 10_000 === 0) onProgress?.(done);
      }
    });
    for (const [kind, ids] of withdrawn) for (const id of ids) applyEntity(store, [kind, id, null], pending);
    const station = stmt<{ id: string }>(store, 'select id from station').get() ?? setUpFromEnrolment(store);
    // Own movements the register has not acknowledged are not in its balances yet.
    const first = firstUnackedSeq(store);
    if (first !== null && station) {
      for (const [side, sign] of [['from_location_id', -1], ['to_location_id', 1]] as const)
        sq.prepare(
          `insert into balances (article_id, location_id, lot, quantity)
           select article_id, ${side}, coalesce(lot, ''), ${sign} * sum(quantity) from movements
           where station_id = ? and seq >= ? and ${side} is not null group by article_id, ${side}, coalesce(lot, '')
           on conflict (article_id, location_id, lot) do update set quantity = quantity + excluded.quantity`,
        ).run(station.id, first);
      sq.exec('delete from balances where quantity = 0');
    }
    for (const t of triggers) sq.exec(t.sql);
    invalidateAggregates(store);
    stmt(store, 'update sync_state set epoch = ?, cursor = ?').run(header.epoch, header.cursor);
    onProgress?.(done);
  }))();
}

/** The station row and number blocks the register handed out at enrolment (once the sites have arrived). */
function setUpFromEnrolment(store: Store): { id: string } | undefined {
  const row = stmt<{ value: string }>(store, "select value from station_settings where key = 'sync.enrolment'").get();
  if (!row) return undefined;
  const e = JSON.parse(row.value) as Pick<EnrolResponse, 'stationId' | 'name' | 'siteId' | 'numbers'>;
  stmt(store, 'insert into station (singleton, id, name, site_id, created_at) values (1, ?, ?, ?, ?)').run(e.stationId, e.name, e.siteId, Date.now());
  for (const [name, block] of Object.entries(e.numbers))
    stmt(store, 'insert or replace into number_series (name, next, last) values (?, ?, ?)').run(name, block.next, block.last);
  return { id: e.stationId };
}

// ---- status ------------------------------------------------------------------------------------

export interface SyncCounts {
  waiting: number;
  waitingMovements: number;
  rejected: number;
  conflicts: number;
}

export function syncCounts(store: Store): SyncCounts {
  const link = syncLink(store);
  const acked = link?.acked ?? 0;
  const w = stmt<{ n: number; m: number | null }>(
    store,
    "select count(*) as n, sum(json_extract(payload, '$.lastSeq') - json_extract(payload, '$.firstSeq') + 1) as m from outbox where seq > ?",
  ).get(acked)!;
  const issues = stmt<{ kind: string; n: number }>(store, 'select kind, count(*) as n from sync_issues where resolved_at is null group by kind').all();
  return {
    waiting: w.n,
    waitingMovements: w.m ?? 0,
    rejected: issues.find((i) => i.kind === 'rejection')?.n ?? 0,
    conflicts: issues.find((i) => i.kind === 'conflict')?.n ?? 0,
  };
}

// ---- issues for a supervisor -------------------------------------------------------------------

export interface SyncIssue {
  id: string;
  kind: 'rejection' | 'conflict';
  at: number;
  message: { sv: string; en: string };
  resolvedAt: number | null;
}

export function listSyncIssues(store: Store, resolved: boolean): SyncIssue[] {
  const rows = stmt<{ id: string; kind: 'rejection' | 'conflict'; data: string; at: number; resolved_at: number | null }>(
    store,
    `select id, kind, data, at, resolved_at from sync_issues where (resolved_at is not null) = ? order by at desc limit 500`,
  ).all(resolved ? 1 : 0);
  const locationOf = stmt<{ code: string }>(store, 'select l.code from movements m join locations l on l.id = m.to_location_id where m.id = ?');
  return rows.map((r) => {
    const d = JSON.parse(r.data) as Record<string, unknown>;
    let message: { sv: string; en: string };
    if (r.kind === 'rejection') {
      const why = d.message as { sv: string; en: string };
      const count = Array.isArray(d.movements) ? d.movements.length : null;
      message = {
        sv: `Registret avvisade post ${d.n as number}${count ? ` (${count} ${count === 1 ? 'rörelse' : 'rörelser'})` : ''}: ${why.sv}`,
        en: `The register rejected entry ${d.n as number}${count ? ` (${count} ${count === 1 ? 'movement' : 'movements'})` : ''}: ${why.en}`,
      };
    } else {
      const kept = typeof d.kept === 'string' ? locationOf.get(d.kept)?.code : undefined;
      message = {
        sv: `Individ ${d.individual_number as string} flyttades av två stationer utan nät. Registret behöll den senaste flytten${kept ? ` (till ${kept})` : ''}. Kontrollera var den står.`,
        en: `Individual ${d.individual_number as string} was moved by two stations while offline. The register kept the latest move${kept ? ` (to ${kept})` : ''}. Check where it is.`,
      };
    }
    return { id: r.id, kind: r.kind, at: r.at, message, resolvedAt: r.resolved_at };
  });
}

export function resolveSyncIssue(store: Store, id: string, userId: string): boolean {
  return stmt(store, 'update sync_issues set resolved_at = ?, resolved_by = ? where id = ? and resolved_at is null').run(Date.now(), userId, id).changes > 0;
}
