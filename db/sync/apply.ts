/**
 * Changes from the register applied at the station: a page of changes after the cursor, or a full
 * copy that replaces the station's. Each runs in one transaction and moves the cursor with the
 * changes it covers, so a station killed at any moment resumes from a consistent place.
 */
import type { StationDb } from '../open';
import { invalidateAggregates } from '../replenishment/aggregates';
import { stmt } from '../statements';
import { applyEntity, TABLES } from './entities';
import { setUpFromEnrolment } from './link';
import { firstUnackedSeq, pendingHere } from './pending';
import { copyScope, devicesReferred, setCopyScope } from './scope';
import { getSetting, putSetting } from '../settings';
import type { ColumnFrame } from './columns';
import { MOVEMENT_COLUMNS, movementValues, type EntityChange, type MovementTuple, type PullPage, type SnapshotHeader } from './wire';

/**
 * Runs `fn` with the indexes of the listed tables that are still empty taken away and built again
 * afterwards: building an index once over a full table is much faster than keeping it up to date
 * row by row (a new station's first copy). Inside the caller's transaction.
 */
function withIndexesBuiltAfter(store: StationDb, tables: readonly string[], fn: () => void): void {
  const sq = store.sqlite;
  const empty = tables.filter((t) => sq.prepare(`select 1 from ${t} limit 1`).get() === undefined);
  const indexes = empty.flatMap(
    (t) => sq.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null").all(t) as { name: string; sql: string }[],
  );
  for (const i of indexes) sq.exec(`drop index ${i.name}`);
  fn();
  for (const i of indexes) sq.exec(i.sql);
}

const FROM = MOVEMENT_COLUMNS.indexOf('from_location_id');
const TO = MOVEMENT_COLUMNS.indexOf('to_location_id');
const INDIVIDUAL = MOVEMENT_COLUMNS.indexOf('individual_id');

/** The places of the site this station's copy holds. */
const heldPlaces = (store: StationDb) =>
  new Set(stmt<{ id: string }>(store, 'select id from locations where site_id = (select site_id from copy_scope)').all().map((r) => r.id));

const insertMovement = (store: StationDb) =>
  stmt(store, `insert or ignore into movements (${MOVEMENT_COLUMNS.join(', ')}) values (${MOVEMENT_COLUMNS.map(() => '?').join(', ')})`);

/**
 * Writes changes that came from the register: inside the caller's transaction, with the outbox
 * triggers of the synced tables standing aside, so nothing received is sent back as this
 * station's own change.
 */
function fromRegister(store: StationDb, write: () => void): void {
  if (!store.sqlite.inTransaction) throw new Error('changes from the register are written in one transaction');
  stmt(store, 'insert or ignore into sync_applying (singleton) values (1)').run();
  write();
  stmt(store, 'delete from sync_applying').run();
}

/** Applies one page of changes and moves the cursor, in one transaction. Movements land in the ledger (balances follow). */
export function applyPull(store: StationDb, page: PullPage): void {
  store.sqlite.transaction(() => fromRegister(store, () => {
    // A page is in the register's order; a row may refer to one whose latest version comes later in it.
    store.sqlite.pragma('defer_foreign_keys = ON');
    const pending = pendingHere(store);
    // A depot's own copy keeps the movements that touch its site (the register sends it only those),
    // and the devices they and the page's master data refer to (the register sends those first).
    const scope = copyScope(store);
    const held = scope === null ? null : heldPlaces(store);
    // A place of the site that is new in this page holds what the page's movements bring to it.
    if (held) for (const [kind, id, data] of page.e) if (kind === 'location' && data?.site_id === scope) held.add(id);
    const kept = page.m.map(movementValues).filter((v) => !held || held.has(v[FROM] as string) || held.has(v[TO] as string));
    const wanted = new Set([...page.e.flatMap(([kind, , data]) => (kind === 'individual' ? [] : devicesReferred(data))), ...kept.flatMap((v) => (v[INDIVIDUAL] ? [v[INDIVIDUAL] as string] : []))]);
    for (const e of page.e) applyEntity(store, e, pending, wanted);
    const insert = insertMovement(store);
    for (const values of kept) insert.run(...values);
    stmt(store, 'update sync_state set epoch = ?, cursor = ?').run(page.epoch, page.cursor);
  }))();
}

export type SnapshotLine = ['e', string, string, Record<string, unknown>] | ['m', ...MovementTuple] | ['b', string, string, string, number];

/** What fills a station's copy: master data, movements and balances, in the order they come. */
interface CopyWriter {
  entity(kind: string, id: string, data: Record<string, unknown>): void;
  movement(values: unknown[]): void;
  /** Movements given as columns (in the order of `MOVEMENT_COLUMNS`), inserted many rows to a statement. */
  movements(columns: readonly (readonly unknown[])[], n: number): void;
  balances(columns: readonly (readonly unknown[])[], n: number): void;
}

/** Rows inserted per statement when they come as columns. */
const ROWS_PER_INSERT = 50;

/** Inserts rows given as columns into `table`, `ROWS_PER_INSERT` to a prepared statement. */
function columnInserter(store: StationDb, verb: string, table: string, columns: readonly string[]) {
  const sq = store.sqlite;
  const statements = new Map<number, { run: (...values: unknown[]) => unknown }>();
  const statement = (rows: number) => {
    let s = statements.get(rows);
    if (!s) {
      const row = `(${columns.map(() => '?').join(', ')})`;
      statements.set(rows, (s = sq.prepare<unknown[]>(`${verb} into ${table} (${columns.join(', ')}) values ${Array.from({ length: rows }, () => row).join(', ')}`)));
    }
    return s;
  };
  const width = columns.length;
  const values = new Array<unknown>(ROWS_PER_INSERT * width);
  return (cols: readonly (readonly unknown[])[], n: number) => {
    for (let from = 0; from < n; from += ROWS_PER_INSERT) {
      const rows = Math.min(ROWS_PER_INSERT, n - from);
      if (rows < ROWS_PER_INSERT) values.length = rows * width;
      for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) values[r * width + c] = cols[c]![from + r] ?? null;
      statement(rows).run(...values);
    }
  };
}

/**
 * Replaces this station's copy with a full one from the register, in one transaction: master
 * data and individuals upserted, recent movements added, and stock taken as the register's
 * balances plus this station's own movements it has not acknowledged yet. On a station not set
 * up yet, `setUp` creates its station row in the same transaction.
 */
export function applySnapshot(
  store: StationDb,
  header: SnapshotHeader,
  lines: Iterable<SnapshotLine>,
  onProgress?: (done: number) => void,
): void {
  replaceCopy(store, header, onProgress, (write, progress) => {
    let done = 0;
    for (const line of lines) {
      if (line[0] === 'e') write.entity(line[1], line[2], line[3]);
      else if (line[0] === 'm') write.movement(line.slice(1));
      else write.balances([[line[1]], [line[2]], [line[3]], [line[4]]], 1);
      if (++done % 10_000 === 0) progress(done);
    }
    return done;
  });
}

/**
 * The same from a copy in columnar frames (db/sync/columns.ts): each frame checked as it is read
 * (a frame refused rolls the whole copy back), movements and balances inserted many rows to a
 * statement.
 */
export function applyColumnSnapshot(
  store: StationDb,
  header: SnapshotHeader,
  frames: Iterable<ColumnFrame>,
  onProgress?: (done: number) => void,
): void {
  replaceCopy(store, header, onProgress, (write, progress) => {
    let done = 0;
    for (const f of frames) {
      if (f.k === 'm') {
        const n = f.columns[0]!.length;
        write.movements(f.columns, n);
        done += n;
      } else if (f.k === 'b') {
        const n = f.columns[0].length;
        write.balances(f.columns, n);
        done += n;
      } else {
        const { fields, columns } = f;
        for (let r = 0; r < f.ids.length; r++) {
          const data: Record<string, unknown> = {};
          for (let c = 0; c < fields.length; c++) data[fields[c]!] = columns[c]![r];
          write.entity(f.kind, f.ids[r]!, data);
        }
        done += f.ids.length;
      }
      progress(done);
    }
    return done;
  });
}

function replaceCopy(
  store: StationDb,
  header: SnapshotHeader,
  onProgress: ((done: number) => void) | undefined,
  fill: (write: CopyWriter, progress: (done: number) => void) => number,
): void {
  const sq = store.sqlite;
  sq.transaction(() => fromRegister(store, () => {
    sq.pragma('defer_foreign_keys = ON');
    const triggers = sq.prepare("select name, sql from sqlite_master where type = 'trigger' and name in ('movements_balance_from', 'movements_balance_to')").all() as { name: string; sql: string }[];
    for (const t of triggers) sq.exec(`drop trigger ${t.name}`);
    const pending = pendingHere(store);
    const insert = insertMovement(store);
    sq.exec('delete from balances');
    // The whole region's copy, or a depot's own: the balances it keeps and what its readers answer follow.
    setCopyScope(store, header.scope);
    // What this station holds that the copy no longer has was withdrawn centrally meanwhile.
    const withdrawn = new Map<string, Set<string>>(
      (['location', 'user', 'article'] as const).map((kind) => [kind, new Set(stmt<{ id: string }>(store, `select id from ${TABLES[kind]!}`).all().map((r) => r.id))]),
    );
    // A depot's own copy carries the devices at or recently at its site: one it held that left long
    // ago is not in it, and is asked of the register afterwards rather than kept as it was.
    const unsent = header.scope ? new Set(stmt<{ id: string }>(store, 'select id from individuals').all().map((r) => r.id)) : new Set<string>();
    let done = 0;
    withIndexesBuiltAfter(store, ['movements', 'individuals', 'balances'], () => {
      done = fill(
        {
          entity(kind, id, data) {
            applyEntity(store, [kind, id, data], pending, 'all');
            if (kind === 'individual') unsent.delete(id);
            withdrawn.get(kind)?.delete(id);
          },
          movement: (values) => insert.run(...movementValues(values as MovementTuple)),
          movements: columnInserter(store, 'insert or ignore', 'movements', MOVEMENT_COLUMNS),
          balances: columnInserter(store, 'insert', 'balances', ['article_id', 'location_id', 'lot', 'quantity']),
        },
        (n) => onProgress?.(n),
      );
    });
    for (const [kind, ids] of withdrawn) for (const id of ids) applyEntity(store, [kind, id, null], pending);
    putSetting(store, DEVICES_TO_REFRESH, [...unsent]);
    const station = stmt<{ id: string }>(store, 'select id from station').get() ?? setUpFromEnrolment(store);
    // Own movements the register has not acknowledged are not in its balances yet.
    const first = firstUnackedSeq(store);
    if (first !== null && station) {
      for (const [side, sign] of [['from_location_id', -1], ['to_location_id', 1]] as const)
        sq.prepare(
          `insert into balances (article_id, location_id, lot, quantity)
           select article_id, ${side}, coalesce(lot, ''), ${sign} * sum(quantity) from movements
           where station_id = ? and seq >= ? and ${side} is not null
             and (not exists (select 1 from copy_scope) or ${side} in (select id from locations where site_id = (select site_id from copy_scope)))
           group by article_id, ${side}, coalesce(lot, '')
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

/** Devices a depot held that its latest copy did not carry: asked of the register until it has answered for each. */
export const DEVICES_TO_REFRESH = 'sync.devices_to_refresh';

/** The devices still to be asked of the register after a depot's copy, at most `max`. */
export const devicesToRefresh = (store: StationDb, max: number): string[] => getSetting<string[]>(store, DEVICES_TO_REFRESH, []).slice(0, max);

/**
 * Devices the register sent as they stand, for a depot's own copy: one it did not hold and was
 * scanned, or those its latest copy did not carry (`crossOff`: the ids asked for, crossed off the
 * list of devices to refresh in the same transaction). Held from now on and followed by later pulls,
 * as if they had come with the copy.
 */
export function takeDevices(store: StationDb, devices: readonly EntityChange[], crossOff: readonly string[] = []): void {
  store.sqlite.transaction(() =>
    fromRegister(store, () => {
      store.sqlite.pragma('defer_foreign_keys = ON');
      const pending = pendingHere(store);
      for (const d of devices) if (d[0] === 'individual' && d[2]) applyEntity(store, d, pending, 'all');
      if (crossOff.length === 0) return;
      const done = new Set(crossOff);
      putSetting(store, DEVICES_TO_REFRESH, getSetting<string[]>(store, DEVICES_TO_REFRESH, []).filter((id) => !done.has(id)));
    }),
  )();
}
