/**
 * Changes from the register applied at the station: a page of changes after the cursor, or a full
 * copy that replaces the station's. Each runs in one transaction and moves the cursor with the
 * changes it covers, so a station killed at any moment resumes from a consistent place.
 */
import type { StationDb } from '../open';
import { backgroundSettled } from '../background';
import { invalidateAggregates } from '../replenishment/aggregates';
import { stmt } from '../statements';
import { applyEntity, columns as tableColumns, ownSite, TABLES, value } from './entities';
import { setUpFromEnrolment } from './link';
import { firstUnackedSeq, pendingHere } from './pending';
import { copyScope, devicesReferred, setCopyScope } from './scope';
import { getSetting, putSetting } from '../settings';
import { isStationSetUp } from '../station';
import { CopyRefused, type ColumnFrame } from './columns';
import type { Pending } from './pending';
import { MOVEMENT_COLUMNS, movementValues, type EntityChange, type MovementTuple, type PullPage, type SnapshotHeader } from './wire';

/**
 * Indexes kept while a copy's rows go in: the movements come in the order they were recorded, and
 * these follow it (when each happened; each station's own numbering), so each new row's key goes at
 * or near the end of its index. Kept up as the rows come, while the station mostly waits for the
 * next frame, they are not left to the end, when everything waits for the station.
 */
const KEPT_WHILE_ARRIVING: ReadonlySet<string> = new Set(['movements_occurred', 'movements_station_seq']);

/**
 * Takes away the indexes of the listed tables (empty ones), and gives back what builds them again:
 * building an index once over a full table is much faster than keeping it up to date row by row (a
 * new station's first copy). Inside the caller's transaction.
 */
function indexesBuiltAfter(store: StationDb, tables: readonly string[]): () => void {
  const sq = store.sqlite;
  const indexes = tables.flatMap(
    (t) => sq.prepare("select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null").all(t) as { name: string; sql: string }[],
  ).filter((i) => !KEPT_WHILE_ARRIVING.has(i.name));
  for (const i of indexes) sq.exec(`drop index ${i.name}`);
  return () => {
    for (const i of indexes) sq.exec(i.sql);
  };
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
 * Adds movements the ledger holds to the stock, as its triggers do for each movement written: out of
 * the place it left, into the one it reached, at this station's own site's places only when its copy
 * is a depot's. `where`: the movements (a condition on `movements`), with its `params`.
 */
function countInStock(store: StationDb, where: string, params: readonly unknown[]): void {
  const sq = store.sqlite;
  for (const [side, sign] of [['from_location_id', -1], ['to_location_id', 1]] as const)
    sq.prepare(
      `insert into balances (article_id, location_id, lot, quantity)
       select article_id, ${side}, coalesce(lot, ''), ${sign} * sum(quantity) from movements
       where ${where} and ${side} is not null
         and (not exists (select 1 from copy_scope) or ${side} in (select id from locations where site_id = (select site_id from copy_scope)))
       group by article_id, ${side}, coalesce(lot, '')
       on conflict (article_id, location_id, lot) do update set quantity = quantity + excluded.quantity`,
    ).run(...params);
  sq.exec('delete from balances where quantity = 0');
}

/**
 * Other stations' movements this station held when it took a full copy that did not carry them: a
 * register put back from a backup lost them. Its stock leaves them out, as the register's does; each
 * is counted when it comes again (sent again by the station that posted it), rather than taken as
 * held already and never counted.
 */
export const UNCOUNTED = 'sync.movements_uncounted';

/** Changes from the register that the station's ledger does not take: none of them is saved. */
export class NotTaken extends Error {
  constructor(reason: string) {
    super(`the register's changes were refused: ${reason}`);
  }
}

const NOT_TAKEN = "a movement the ledger does not take (its id or its station's number given to another movement, or failing the ledger's checks)";
const ID = MOVEMENT_COLUMNS.indexOf('id');
const STATION = MOVEMENT_COLUMNS.indexOf('station_id');
const SEQ = MOVEMENT_COLUMNS.indexOf('seq');
const OCCURRED = MOVEMENT_COLUMNS.indexOf('occurred_at');

/**
 * A movement from the register that the ledger did not take (`insert or ignore`) must be one it
 * holds already (its own, sent back, or one taken before): the same id from the same station under
 * the same number. Anything else (a number given to another movement, a movement failing the
 * ledger's checks) is refused with `refuse`, rather than left out without a word. `values` in the
 * order of `MOVEMENT_COLUMNS`.
 */
function mustBeHeld(store: StationDb, values: readonly unknown[], refuse: (reason: string) => Error): void {
  const held = stmt(store, 'select 1 from movements where id = ? and station_id = ? and seq = ?').get(values[ID], values[STATION], values[SEQ]);
  if (held === undefined) throw refuse(NOT_TAKEN);
}

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
    const uncounted = new Set(getSetting<string[]>(store, UNCOUNTED, []));
    const comeAgain: string[] = [];
    for (const values of kept) {
      if (insert.run(...values).changes > 0) continue;
      mustBeHeld(store, values, (reason) => new NotTaken(reason));
      if (uncounted.delete(values[ID] as string)) comeAgain.push(values[ID] as string);
    }
    if (comeAgain.length > 0) {
      countInStock(store, 'id in (select value from json_each(?))', [JSON.stringify(comeAgain)]);
      putSetting(store, UNCOUNTED, [...uncounted]);
      invalidateAggregates(store);
    }
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
  /** A frame of master data written many rows to a statement, if it can be (false: row by row). */
  inBulk?(f: EntityFrame): boolean;
}

type EntityFrame = Extract<ColumnFrame, { k: 'e' }>;

/** The tables a new station's first copy fills many rows to a statement, by kind, while they were empty when it began. */
const IN_BULK: Record<string, string> = { individual: 'individuals', service_job: 'service_jobs' };
const EVENT_COLUMNS = ['id', 'job_id', 'at', 'station_id', 'user_id', 'action', 'from_state', 'to_state', 'detail'] as const;

/**
 * Devices and the site's service jobs (with their steps) of a full copy, written many rows to a
 * statement into tables that were empty when the copy began: with no row held here and no change of
 * this station's waiting to be acknowledged, each is the register's row as it stands, as
 * `applyEntity` would write it one by one. A job's rule that a device has one open job is kept
 * once, at the end (`end`), instead of row by row.
 */
function bulkWriter(store: StationDb, pending: Pending, empty: ReadonlySet<string>) {
  const inserters = new Map<string, ReturnType<typeof columnInserter>>();
  const inserter = (verb: string, table: string, names: readonly string[]) => {
    const key = `${table}:${names.join(',')}`;
    let i = inserters.get(key);
    if (!i) inserters.set(key, (i = columnInserter(store, verb, table, names)));
    return i;
  };
  let jobs = false;
  return {
    frame(f: EntityFrame): boolean {
      const table = IN_BULK[f.kind];
      if (!table || !empty.has(table) || pending.edits.size > 0 || pending.moves.size > 0) return false;
      // The site's queue only: another site's jobs are not kept here.
      const siteAt = f.fields.indexOf('site_id');
      const site = ownSite(store);
      const rows: number[] = [];
      for (let r = 0; r < f.ids.length; r++) if (f.kind !== 'service_job' || (siteAt >= 0 && f.columns[siteAt]![r] === site)) rows.push(r);
      const has = new Set(tableColumns(store, table));
      const use = f.fields.flatMap((name, c) => (has.has(name) ? [[name, c] as const] : []));
      inserter('insert or replace', table, use.map(([name]) => name))(use.map(([, c]) => rows.map((r) => value(f.columns[c]![r]))), rows.length);
      if (f.kind !== 'service_job') return true;
      jobs = true;
      const eventsAt = f.fields.indexOf('events');
      const events: unknown[][] = EVENT_COLUMNS.map(() => []);
      if (eventsAt >= 0)
        for (const r of rows) {
          const list = f.columns[eventsAt]![r];
          for (const e of Array.isArray(list) ? (list as Record<string, unknown>[]) : []) {
            const row = [e.id, f.ids[r], e.at, e.station_id, e.user_id, e.action, e.from_state, e.to_state, typeof e.detail === 'string' ? e.detail : null];
            row.forEach((v, c) => events[c]!.push(v ?? null));
          }
        }
      inserter('insert or ignore', 'service_events', EVENT_COLUMNS)(events, events[0]!.length);
      return true;
    },
    /** Of a device's open jobs written in bulk, the one written last stays open, as one by one. */
    end(): void {
      if (!jobs) return;
      stmt(
        store,
        `update service_jobs set closed_at = ? where rowid in (
           select rowid from (select rowid, row_number() over (partition by individual_id order by rowid desc) as later
                              from service_jobs where closed_at is null and individual_id is not null)
           where later > 1)`,
      ).run(Date.now());
    },
  };
}

/** Rows inserted per statement when they come as columns. */
const ROWS_PER_INSERT = 50;

/** Inserts rows given as columns into `table`, `ROWS_PER_INSERT` to a prepared statement. */
function columnInserter(store: StationDb, verb: string, table: string, columns: readonly string[]) {
  const sq = store.sqlite;
  const statements = new Map<number, { run: (...values: unknown[]) => { changes: number } }>();
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
  // Answers the rows written (with `or ignore`, those not ignored).
  return (cols: readonly (readonly unknown[])[], n: number): number => {
    let written = 0;
    for (let from = 0; from < n; from += ROWS_PER_INSERT) {
      const rows = Math.min(ROWS_PER_INSERT, n - from);
      if (rows < ROWS_PER_INSERT) values.length = rows * width;
      for (let r = 0; r < rows; r++) for (let c = 0; c < width; c++) values[r * width + c] = cols[c]![from + r] ?? null;
      written += statement(rows).run(...values).changes;
    }
    return written;
  };
}

/**
 * Replaces this station's copy with a full one from the register, in one transaction: master
 * data and individuals upserted, recent movements added, and stock taken as the register's
 * balances plus this station's own movements it has not acknowledged yet. On a station not set
 * up yet, the copy's end creates its station row in the same transaction.
 */
export function applySnapshot(
  store: StationDb,
  header: SnapshotHeader,
  lines: Iterable<SnapshotLine>,
  onProgress?: (done: number) => void,
): void {
  store.sqlite.transaction(() => {
    const copy = beginCopy(store, header, false);
    let done = 0;
    for (const line of lines) {
      if (line[0] === 'e') copy.write.entity(line[1], line[2], line[3]);
      else if (line[0] === 'm') copy.write.movement(line.slice(1));
      else copy.write.balances([[line[1]], [line[2]], [line[3]], [line[4]]], 1);
      if (++done % 10_000 === 0) onProgress?.(done);
    }
    copy.end(done);
    onProgress?.(done);
  })();
}

/** Writes one columnar frame of a full copy; its rows. */
function writeFrame(write: CopyWriter, f: ColumnFrame): number {
  if (f.k === 'm') {
    write.movements(f.columns, f.columns[0]!.length);
    return f.columns[0]!.length;
  }
  if (f.k === 'b') {
    write.balances(f.columns, f.columns[0].length);
    return f.columns[0].length;
  }
  if (write.inBulk?.(f)) return f.ids.length;
  const { fields, columns } = f;
  for (let r = 0; r < f.ids.length; r++) {
    const data: Record<string, unknown> = {};
    for (let c = 0; c < fields.length; c++) data[fields[c]!] = columns[c]![r];
    write.entity(f.kind, f.ids[r]!, data);
  }
  return f.ids.length;
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
  store.sqlite.transaction(() => {
    const copy = beginCopy(store, header);
    let done = 0;
    for (const f of frames) {
      done += writeFrame(copy.write, f);
      onProgress?.(done);
    }
    copy.end(done);
    onProgress?.(done);
  })();
}

/**
 * A station's first copy written as its frames arrive, so the register's read, the way and the
 * station's writing overlap instead of following one another. Only for a station not set up yet:
 * it answers nothing but its status until the copy is in (api/dispatch.ts), so the transaction may
 * stay open while the download runs. A download cut off, a frame refused, a copy that ends short
 * of its header's counts or a row that refers to what the copy does not hold rolls the whole copy
 * back. `onSaved` is told the rows written so far, and
 * once more (with `finishing`) when every row is in and the indexes are being built.
 */
export async function applyStreamedColumnSnapshot(
  store: StationDb,
  header: SnapshotHeader,
  frames: AsyncIterable<ColumnFrame>,
  onSaved?: (done: number, finishing: boolean) => void,
): Promise<void> {
  const sq = store.sqlite;
  if (sq.inTransaction) throw new Error('a streamed copy needs the database to itself');
  if (isStationSetUp(store)) throw new Error('a streamed copy is only for a station not set up yet');
  // The database holds nothing of the region yet: the copy goes straight into its file under a
  // rollback journal, instead of into the write-ahead log and from there into the file again (twice
  // the writing). A station stopped midway finds the journal at its next start, which puts the
  // database back as it was. Back to the write-ahead log once done. The integrity check at start
  // reads on a connection of its own: it ends first (on a new station's empty database, in moments),
  // so it neither keeps the journal from changing nor holds up the commit. Should another connection
  // still have the database open, the mode cannot change and the copy goes through the log.
  await backgroundSettled();
  const direct = journalMode(store, 'DELETE') === 'delete';
  // The copy comes in any order (master data and movements in turns): references are checked once,
  // over the whole copy, before it commits, rather than row by row against rows still to come.
  sq.pragma('foreign_keys = OFF');
  try {
    sq.exec('begin immediate');
    const copy = beginCopy(store, header);
    // Movements are checked against the master data as they come once all of it is in (what those
    // that came before named, then), so the end checks only the rest of the copy.
    const movementsRefer = movementReferences(store);
    let done = 0;
    let entities = 0;
    for await (const f of frames) {
      const rows = writeFrame(copy.write, f);
      done += rows;
      // Master data comes in turns with the movements and ends first: its indexes are built while
      // the rest of the ledger is still on its way, rather than after the last row.
      if (f.k === 'e') {
        entities += rows;
        if (entities > header.counts.entities) throw new CopyRefused(`more master data than its header counts (${header.counts.entities})`);
        if (entities === header.counts.entities) {
          copy.entitiesIn();
          movementsRefer?.allIn();
        }
      } else if (f.k === 'm') movementsRefer?.frame(f.columns);
      onSaved?.(done, false);
    }
    mustBeWhole(header, done);
    onSaved?.(done, true);
    copy.end(done);
    movementsRefer?.allIn();
    const tables = (sq.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[]).filter((t) => t !== 'movements' || movementsRefer === null);
    const broken = tables.flatMap((t) => sq.pragma(`foreign_key_check("${t}")`) as { table: string; parent: string }[]);
    if (broken.length > 0) throw new CopyRefused(`${broken.length} rows refer to what the copy does not hold (${broken[0]!.table} to ${broken[0]!.parent})`);
    sq.exec('commit');
  } finally {
    if (sq.inTransaction) sq.exec('rollback');
    sq.pragma('foreign_keys = ON');
    if (direct) backToWal(store);
  }
}

/**
 * The check of the movements' references against what they refer to, as `foreign_key_check` makes
 * it, frame by frame as they are written: each value a frame names is looked up once in the table it
 * refers to rather than once per row (a frame names the same articles, places and people over and
 * over). Until all master data is in (`allIn`), what the frames name waits, each value once. The
 * copy is refused at the first movement that refers to a row it does not hold. Null when the
 * ledger's references are not all plain references to an id of a field of the copy's movements
 * (then the end checks them all).
 */
function movementReferences(store: StationDb): { frame(columns: readonly (readonly unknown[])[]): void; allIn(): void } | null {
  const sq = store.sqlite;
  const refs = sq.pragma('foreign_key_list(movements)') as { id: number; table: string; from: string; to: string | null }[];
  if (refs.length === 0 || refs.some((r) => r.to === null || refs.filter((o) => o.id === r.id).length > 1 || !MOVEMENT_COLUMNS.includes(r.from))) return null;
  const lookups = refs.map((r) => ({ table: r.table, column: MOVEMENT_COLUMNS.indexOf(r.from), has: sq.prepare<[unknown]>(`select 1 from ${r.table} where ${r.to} = ?`).pluck(), waiting: new Set<unknown>() }));
  const lookUp = (l: (typeof lookups)[number], value: unknown) => {
    if (l.has.get(value) === undefined) throw new CopyRefused(`rows refer to what the copy does not hold (movements to ${l.table})`);
  };
  let open = false;
  return {
    frame(columns) {
      for (const l of lookups) {
        const named = open ? new Set<unknown>() : l.waiting;
        for (const v of columns[l.column]!) {
          if (v === null || v === undefined || named.has(v)) continue;
          named.add(v);
          if (open) lookUp(l, v);
        }
      }
    },
    allIn() {
      open = true;
      for (const l of lookups) {
        for (const v of l.waiting) lookUp(l, v);
        l.waiting.clear();
      }
    },
  };
}

/**
 * Sets the journal mode, and answers the mode the database is in after: null when another
 * connection has it open, so the mode cannot change now (SQLite refuses with SQLITE_BUSY).
 */
function journalMode(store: StationDb, mode: 'DELETE' | 'WAL'): string | null {
  try {
    return String(store.sqlite.pragma(`journal_mode = ${mode}`, { simple: true }));
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_BUSY') return null;
    throw e;
  }
}

/**
 * The station's write-ahead log again, so reads in the background never hold up a scan. Should
 * another connection be in the way, the station opens with it at its next start (db/open.ts) and
 * says so now.
 */
function backToWal(store: StationDb): void {
  const mode = journalMode(store, 'WAL') ?? 'delete';
  if (mode !== 'wal') console.error(`the station database stays in journal mode ${mode} until the station starts again`);
  // The log is opened by the connection's next read: until then SQLite refuses to fold it in
  // ("database table is locked"), which a station closed the moment its copy is in would meet.
  else store.sqlite.prepare('select count(*) from sqlite_master').get();
}

/** A copy that ends before its header's counts are in was cut off on the way, and is never taken as whole. */
function mustBeWhole(header: SnapshotHeader, done: number): void {
  const total = header.counts.entities + header.counts.movements + header.counts.balances;
  if (done < total) throw new Error(`the copy ended after ${done} of its ${total} rows`);
}

/**
 * Starts replacing this station's copy with the register's, inside the caller's transaction: what
 * is written comes from the register (nothing goes back to its outbox), the balances and the
 * indexes of still empty tables wait for the end, and `end` checks the rows against the header's
 * counts, builds what waited and moves the cursor. `inBulk`: devices and jobs may go in many rows
 * to a statement (frames of columns; a copy as lines goes row by row).
 */
function beginCopy(store: StationDb, header: SnapshotHeader, inBulk = true): { write: CopyWriter; entitiesIn(): void; end(done: number): void } {
  const sq = store.sqlite;
  if (!sq.inTransaction) throw new Error('changes from the register are written in one transaction');
  stmt(store, 'insert or ignore into sync_applying (singleton) values (1)').run();
  sq.pragma('defer_foreign_keys = ON');
  // The balances come whole with the copy, so the ledger's triggers that keep them stand aside until
  // the end. So does the check that a tracked article moves with its device: it asks nothing of
  // what comes from the register (`sync_applying`), yet a table with a row trigger makes SQLite
  // stage every many-row insert in a temporary table first, which took the ledger's rows about
  // two and a half times as long to write.
  const triggers = sq
    .prepare("select name, sql from sqlite_master where type = 'trigger' and name in ('movements_balance_from', 'movements_balance_to', 'movements_individual_required')")
    .all() as { name: string; sql: string }[];
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
  const isEmpty = (t: string) => sq.prepare(`select 1 from ${t} limit 1`).get() === undefined;
  const empty = new Set(['movements', 'individuals', 'balances'].filter(isEmpty));
  // The jobs' indexes wait only when the jobs go in bulk (columns, nothing of this station's waiting):
  // one by one (a copy as JSON lines), each job looks up its device's other open job.
  if (inBulk && pending.edits.size === 0 && pending.moves.size === 0 && isEmpty('service_jobs') && isEmpty('service_events')) for (const t of ['service_jobs', 'service_events']) empty.add(t);
  const bulk = bulkWriter(store, pending, empty);
  const ledgerWasEmpty = empty.has('movements');
  const insertMovements = columnInserter(store, 'insert or ignore', 'movements', MOVEMENT_COLUMNS);
  // Into a ledger that holds movements, the copy's are noted, to find those held that it does not carry.
  const heldBefore = ledgerWasEmpty ? 0 : (stmt<{ n: number | null }>(store, 'select max(rowid) as n from movements').get()!.n ?? 0);
  if (!ledgerWasEmpty) sq.exec('create temp table if not exists copy_movements (id text primary key, occurred_at integer not null) without rowid; delete from temp.copy_movements');
  const noteMovements = ledgerWasEmpty ? null : columnInserter(store, 'insert or ignore', 'temp.copy_movements', ['id', 'occurred_at']);
  // The devices' and jobs' indexes are built once every row of master data is in (`entitiesIn`),
  // the ledger's and the balances' at the end.
  const ledger = new Set(['movements', 'balances']);
  const buildEntityIndexes = indexesBuiltAfter(store, [...empty].filter((t) => !ledger.has(t)));
  const buildIndexes = indexesBuiltAfter(store, [...empty].filter((t) => ledger.has(t)));
  let entitiesBuilt = false;
  const entitiesIn = () => {
    if (entitiesBuilt) return;
    entitiesBuilt = true;
    bulk.end();
    buildEntityIndexes();
  };
  const write: CopyWriter = {
    ...(inBulk ? { inBulk: (f: EntityFrame) => bulk.frame(f) } : {}),
    entity(kind, id, data) {
      applyEntity(store, [kind, id, data], pending, 'all');
      if (kind === 'individual') unsent.delete(id);
      withdrawn.get(kind)?.delete(id);
    },
    movement: (values) => {
      const row = movementValues(values as MovementTuple);
      noteMovements?.([[row[ID]], [row[OCCURRED]]], 1);
      if (insert.run(...row).changes === 0) mustBeHeld(store, row, (reason) => new CopyRefused(reason));
    },
    movements(columns, n) {
      noteMovements?.([columns[ID]!, columns[OCCURRED]!], n);
      const taken = insertMovements(columns, n);
      if (taken === n) return;
      // Into a ledger empty when the copy began, every movement of the copy goes in: one it does not
      // take (its id or its station's number given twice, or failing the ledger's checks) refuses the
      // copy, rather than the copy being taken without it. Otherwise those not taken must be held already.
      if (ledgerWasEmpty) throw new CopyRefused(`movements the ledger does not take (${n - taken} of a frame's ${n}: one given twice or failing the ledger's checks)`);
      for (let r = 0; r < n; r++) mustBeHeld(store, columns.map((c) => c[r] ?? null), (reason) => new CopyRefused(reason));
    },
    balances: columnInserter(store, 'insert', 'balances', ['article_id', 'location_id', 'lot', 'quantity']),
  };
  return {
    write,
    entitiesIn,
    end(done) {
      mustBeWhole(header, done);
      entitiesIn();
      buildIndexes();
      for (const [kind, ids] of withdrawn) for (const id of ids) applyEntity(store, [kind, id, null], pending);
      putSetting(store, DEVICES_TO_REFRESH, [...unsent]);
      const station = stmt<{ id: string }>(store, 'select id from station').get() ?? setUpFromEnrolment(store);
      // Own movements the register has not acknowledged are not in its balances yet.
      const first = firstUnackedSeq(store);
      if (first !== null && station) countInStock(store, 'station_id = ? and seq >= ?', [station.id, first]);
      // Other stations' movements held here that the copy does not carry, within the days it covers
      // (from its earliest movement when a register of an earlier version does not say): the register
      // lost them (put back from a backup); counted if they come again.
      if (noteMovements) {
        const lost = stmt<{ id: string }>(
          store,
          `select id from movements m where rowid <= ? and station_id is not ?
             and occurred_at >= coalesce(?, (select min(occurred_at) from temp.copy_movements))
             and not exists (select 1 from temp.copy_movements c where c.id = m.id)`,
        ).all(heldBefore, station?.id ?? null, header.since ?? null).map((r) => r.id);
        putSetting(store, UNCOUNTED, lost);
        sq.exec('delete from temp.copy_movements');
      }
      for (const t of triggers) sq.exec(t.sql);
      invalidateAggregates(store);
      stmt(store, 'update sync_state set epoch = ?, cursor = ?').run(header.epoch, header.cursor);
      stmt(store, 'delete from sync_applying').run();
    },
  };
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
