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
import { MOVEMENT_COLUMNS, movementValues, type MovementTuple, type PullPage, type SnapshotHeader } from './wire';

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
    for (const e of page.e) applyEntity(store, e, pending);
    const insert = insertMovement(store);
    for (const m of page.m) insert.run(...movementValues(m));
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
  store: StationDb,
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
        else if (line[0] === 'm') insert.run(...movementValues(line.slice(1) as MovementTuple));
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
