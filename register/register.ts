/**
 * The central register: authoritative master data, every station's movements, and the sync
 * protocol's two halves. Push applies each station's outbox entries exactly once and in order;
 * pull serves every change after a cursor (the register's `rev` counter), or a full copy.
 *
 * This class ties the parts together; each lives in a file of its own: enrolment and tokens
 * (enrol.ts), master data (entities.ts), the push and its checks (push.ts, checks.ts), pull and
 * full copies (pull.ts), the stations' audit trails (audit.ts), stock and its check (ledger.ts),
 * over the SQL both dialects share (sql.ts, store.ts).
 */
import { uuidv7 } from '../db/ids';
import type { AuditPushResponse, AuditTuple, EnrolResponse, EntityChange, MovementTuple, PullPage, PushEntry, PushResponse, ResyncNeeded, SnapshotHeader } from '../db/sync/wire';
import { receiveAudit } from './audit';
import type { RegisterContext, RegisterOptions, StationRecord } from './context';
import { authenticate, createEnrolmentCode, enrol, revoke, stations } from './enrol';
import { deleteEntity, putEntities, unlockSignIn, withdrawPlaceIfEmpty, type EntityKind } from './entities';
import { stock, verifyLedger, type LedgerCheck } from './ledger';
import { MadeCopies } from './made-copies';
import { copyKey, deviceByCode, deviceHistory, devicesByIds, head, madeCopyFits, markCompactedBelow, pull, snapshot, snapshotLines, type SnapshotSink } from './pull';
import { push } from './push';
import type { RegisterDb } from './store';

export { RegisterError, type RegisterOptions, type StationRecord } from './context';
export { ENTITY_KINDS, type EntityKind } from './entities';
export type { LedgerCheck, LedgerDifference } from './ledger';

/** Full copies one register process reads at once by default: fewer than half its PostgreSQL pool (`PG_POOL_SIZE`). */
export const COPIES_AT_ONCE = 3;

/**
 * Runs tasks at most `n` at a time, the rest in the order they came. A task whose `signal` aborts
 * while it waits (its station went away) leaves the line without running.
 */
function atMost(n: number): <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T> {
  let running = 0;
  const waiting: (() => void)[] = [];
  const passOn = () => {
    // The place passes to the next in line, or is given up.
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
  return async (task, signal) => {
    signal?.throwIfAborted();
    if (running < n) running++;
    else
      await new Promise<void>((go, fail) => {
        const turn = () => {
          signal?.removeEventListener('abort', leave);
          go();
        };
        const leave = () => {
          waiting.splice(waiting.indexOf(turn), 1);
          fail(signal!.reason);
        };
        waiting.push(turn);
        signal?.addEventListener('abort', leave, { once: true });
      });
    try {
      signal?.throwIfAborted();
      return await task();
    } finally {
      passOn();
    }
  };
}

/**
 * How far a file import's numbering moves on when the register's history starts over after a
 * restore: more than any import between a backup and its restore could number (the large dataset's
 * whole import is 300,000 devices).
 */
const IMPORT_NUMBERS_SKIPPED = 1_000_000_000;

export class Register {
  /** Full copies take their turn (`copiesAtOnce`). */
  private readonly copies: <T>(task: () => Promise<T>, signal?: AbortSignal) => Promise<T>;
  /** Copies in columns already made, given again while they fit (made-copies.ts). */
  private readonly made: MadeCopies;

  private constructor(private readonly ctx: RegisterContext) {
    const n = ctx.options.copiesAtOnce;
    this.copies = atMost(Number.isSafeInteger(n) && n >= 1 ? n : COPIES_AT_ONCE);
    this.made = new MadeCopies(ctx.options.madeCopyChanges > 0 ? ctx.options.madeCopyMs : 0);
  }

  static async open(db: RegisterDb, options: RegisterOptions = {}): Promise<Register> {
    const opts = { historyDays: 90, resyncBehind: 500_000, copyPage: 10_000, copiesAtOnce: COPIES_AT_ONCE, madeCopyChanges: 10_000, madeCopyMs: 3_600_000, now: Date.now, pinPepper: null, ...options };
    const epoch = await db.tx(async (q) => {
      for (const name of ['rev', 'individual_next', 'sscc_next'])
        await q.run('insert into counters (name, value) values ($1, $2) on conflict (name) do nothing', [name, name === 'rev' ? 0 : 1]);
      await q.run("insert into meta (key, value) values ('epoch', $1) on conflict (key) do nothing", [uuidv7()]);
      await q.run("insert into meta (key, value) values ('compacted_below', '0') on conflict (key) do nothing");
      const [row] = await q.all<{ value: string }>("select value from meta where key = 'epoch'");
      return row!.value;
    });
    return new Register({ db, epoch, options: opts });
  }

  get db(): RegisterDb {
    return this.ctx.db;
  }

  /**
   * Starts the register's history over (a new epoch), for after its database was put back from a
   * backup: a station that took changes the restore took away, or whose cursor the register's
   * new changes pass again, would otherwise keep the first and never pull the second. With a new
   * epoch every station takes a full copy at its next sync (what it posted and the register has
   * not acknowledged stays counted, and is sent again). Register nodes read the epoch as they
   * start: run with every node stopped (`npm run register -- restored`).
   */
  static async startHistoryOver(db: RegisterDb): Promise<string> {
    const epoch = uuidv7();
    await db.tx(async (q) => {
      await q.run("update meta set value = $1 where key = 'epoch'", [epoch]);
      // The movements the register makes itself (a file import's receipts) are numbered past any the
      // lost days could have given: stations hold those numbers under movements the register no longer has.
      const [imported] = await q.all<{ value: string }>("select value from meta where key = 'region_import_seq'");
      await q.run("insert into meta (key, value) values ('region_import_seq', $1) on conflict (key) do update set value = excluded.value", [
        String(Number(imported?.value ?? 0) + IMPORT_NUMBERS_SKIPPED),
      ]);
    });
    return epoch;
  }

  /** Changes when the register's history starts over; a station with another epoch gets a full copy. */
  get epoch(): string {
    return this.ctx.epoch;
  }

  close(): Promise<void> {
    return this.ctx.db.close();
  }

  /** The region's PIN pepper, when the register was given one. */
  pinPepper(): Buffer | null {
    return this.ctx.options.pinPepper;
  }

  // ---- stations (enrol.ts) ---------------------------------------------------------------------

  createEnrolmentCode(input: { stationName: string; siteId: string; ttlMs?: number }): Promise<string> {
    return createEnrolmentCode(this.ctx, input);
  }

  enrol(code: string): Promise<EnrolResponse> {
    return enrol(this.ctx, code);
  }

  revoke(stationId: string): Promise<boolean> {
    return revoke(this.ctx, stationId);
  }

  authenticate(token: string | undefined): Promise<StationRecord | null> {
    return authenticate(this.ctx, token);
  }

  stations(): Promise<StationRecord[]> {
    return stations(this.ctx);
  }

  // ---- master data (entities.ts) ---------------------------------------------------------------

  putEntities(list: readonly { kind: EntityKind; id: string; data: Record<string, unknown> }[]): Promise<void> {
    return putEntities(this.ctx, list);
  }

  deleteEntity(kind: EntityKind, id: string): Promise<void> {
    return deleteEntity(this.ctx, kind, id);
  }

  /** Withdraws a place unless stock or a device is on it; answers whether it did. */
  withdrawPlaceIfEmpty(id: string): Promise<boolean> {
    return withdrawPlaceIfEmpty(this.ctx, id);
  }

  unlockSignIn(userId: string): Promise<{ id: string; siteId: string }> {
    return unlockSignIn(this.ctx, userId);
  }

  // ---- sync (push.ts, pull.ts, audit.ts) -------------------------------------------------------

  push(station: StationRecord, entries: readonly PushEntry[]): Promise<PushResponse> {
    return push(this.ctx, station, entries);
  }

  receiveAudit(station: StationRecord, entries: readonly AuditTuple[], key: string | undefined, stationHead: { seq: number; hash: string | null } | null = null): Promise<AuditPushResponse> {
    return receiveAudit(this.ctx, station, entries, key, stationHead);
  }

  head(): Promise<number> {
    return head(this.ctx);
  }

  /** `siteAsked`: the station's copy is its own site's (a depot's), so only movements touching its site go to it. */
  pull(station: StationRecord, epoch: string | null, cursor: number, limit?: number, siteAsked = false): Promise<PullPage | ResyncNeeded> {
    return pull(this.ctx, station, epoch, cursor, limit, siteAsked);
  }

  /** Devices as they stand, by id: for a depot whose new copy no longer carries devices it held. */
  devicesByIds(ids: readonly string[]): Promise<EntityChange[]> {
    return devicesByIds(this.ctx, ids);
  }

  /** One device as it stands, by its number, UDI or serial number: for a depot whose own copy does not hold it. */
  deviceByCode(code: string): Promise<EntityChange | null> {
    return deviceByCode(this.ctx, code);
  }

  /** One device's movements, for a station whose copy holds only the recent ones. */
  deviceHistory(individualId: string): Promise<MovementTuple[]> {
    return deviceHistory(this.ctx, individualId);
  }

  /** A full copy as JSON lines (its first shape). `signal`: the station went away (the copy leaves its turn). */
  snapshot(write: (line: string) => Promise<void> | void, signal?: AbortSignal): Promise<SnapshotHeader> {
    return this.copies(() => snapshotLines(this.ctx, write, signal), signal);
  }

  /**
   * A full copy read in batches of rows (for columnar frames, or for a count): the whole region's,
   * or, when `station` asks for its site's and is a depot's, its own site's.
   */
  snapshotBatches(sink: SnapshotSink, station: StationRecord | null = null, siteAsked = false, interleaved = false, signal?: AbortSignal): Promise<SnapshotHeader> {
    return this.copies(() => snapshot(this.ctx, sink, this.ctx.options.copyPage, station, siteAsked, interleaved, signal), signal);
  }

  /**
   * The frames of a copy in columns made earlier that `station` may be given now instead of one read
   * for it (the same copy it asks for, and it fits: `madeCopyFits`), or null.
   */
  async madeCopy(station: StationRecord, siteAsked = false): Promise<readonly Buffer[] | null> {
    const made = this.made.get(await copyKey(this.ctx, station, siteAsked), this.ctx.options.now());
    return made && (await madeCopyFits(this.ctx, station, made, this.ctx.options.madeCopyChanges)) ? made.frames : null;
  }

  /** Keeps the frames of a copy in columns just read and packed (`madeAt`: when its read began), to be given again. */
  keepMadeCopy(header: SnapshotHeader, frames: readonly Buffer[], madeAt: number): void {
    this.made.keep(header, frames, madeAt);
  }

  /** The time as the register tells it. */
  now(): number {
    return this.ctx.options.now();
  }

  markCompactedBelow(rev: number): Promise<void> {
    return markCompactedBelow(this.ctx, rev);
  }

  // ---- stock (ledger.ts) -----------------------------------------------------------------------

  stock(): Promise<Map<string, number>> {
    return stock(this.ctx);
  }

  verifyLedger(): Promise<LedgerCheck> {
    return verifyLedger(this.ctx);
  }
}
