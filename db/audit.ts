/**
 * The audit trail: who did what, at which station, when. Entries are never changed or removed (the
 * database refuses it) and each carries an HMAC of the entry before it together with its own
 * content, keyed with the station's chain key (`audit-chain.ts`), so an entry edited or removed in
 * the file itself breaks the chain from there on, which `verifyAuditChain` finds. The head of the
 * trail (its last number and hash) is kept where a shortened trail shows: at the register, which
 * holds every entry sent, and beside each backup.
 */
import { asStored, CHAIN_START, chainHash, nextLink, type ChainedEntry, type ChainHead } from './audit-chain';
import { uuidv7 } from './ids';
import { isDepotError } from '../vocabulary/errors';
import type { StationDb } from './open';
import { stmt } from './statements';

export interface AuditEntry {
  stationId: string;
  userId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  detail?: unknown;
}

const stored = (s: string | null) => (s === null ? null : asStored(s));

/** Appends to the audit log (who did what, when), chained to the entry before. */
export function audit(store: StationDb, e: AuditEntry, at = Date.now()): void {
  store.sqlite.transaction(() => {
    const prev = stmt<{ hash: string | null }>(store, 'select hash from audit_log order by rowid desc limit 1').get()?.hash ?? CHAIN_START.prev;
    // Hashed exactly as SQLite keeps the text, so the link checks when it is read back.
    const row = {
      id: uuidv7(at),
      at,
      stationId: asStored(e.stationId),
      userId: stored(e.userId),
      action: asStored(e.action),
      entity: asStored(e.entity),
      entityId: stored(e.entityId ?? null),
      detail: e.detail === undefined ? null : asStored(JSON.stringify(e.detail)),
    };
    stmt(store, 'insert into audit_log (id, at, station_id, user_id, action, entity, entity_id, detail, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      row.id,
      row.at,
      row.stationId,
      row.userId,
      row.action,
      row.entity,
      row.entityId,
      row.detail,
      chainHash(store.auditKey, prev, row),
    );
  })();
}

/** The schema (count of migrations) that came with keyed links: a database below it has an older trail. */
export const KEYED_SCHEMA = 25;

/**
 * A trail written before the chain was keyed ends in an entry without a keyed link: one keyed
 * entry after it closes the older part, so from then on a trail must end keyed. Run once, on the
 * start that migrates a database to `KEYED_SCHEMA`; never again, or removing every hash and
 * restarting would close a rewritten trail the same way.
 */
export function keyTheChain(store: StationDb): void {
  // A database migrated only part of the way (a tool with older migrations) has no chain yet.
  if (!store.sqlite.prepare("select 1 from pragma_table_info('audit_log') where name = 'hash'").get()) return;
  const rows = stmt<ChainedEntry>(
    store,
    'select id, at, station_id as stationId, user_id as userId, action, entity, entity_id as entityId, detail, hash from audit_log order by rowid desc limit 2',
  ).all();
  const last = rows[0];
  if (!last) return;
  if (last.hash !== null && last.hash === chainHash(store.auditKey, rows[1]?.hash ?? CHAIN_START.prev, last)) return;
  audit(store, { stationId: last.stationId, userId: null, action: 'audit.chain_keyed', entity: 'audit_log' });
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries checked, and those from before the chain began. */
  entries: number;
  unsealed: number;
  /** The first entry that does not follow from the one before: edited, or something before it removed. */
  brokenAt: { id: string; at: number; action: string } | null;
  /**
   * Why the trail does not check: an entry altered (or one before it removed); its last entry
   * without a keyed link (hashes removed or recomputed without the key); or entries missing that the
   * register or a backup recorded as its head.
   */
  reason: 'altered' | 'unkeyed' | 'shortened' | null;
}

/** A head the trail must still hold (the register's, a backup's), and where it was recorded. */
export interface Anchor extends Pick<ChainHead, 'seq' | 'hash'> {
  where: 'register' | 'backup';
}

/** Walks the whole trail and checks every link, and that it still holds every anchored head. */
export function verifyAuditChain(store: Pick<StationDb, 'sqlite' | 'auditKey'>, anchors: readonly Anchor[] = []): AuditVerdict {
  let state = CHAIN_START;
  let entries = 0;
  let unsealed = 0;
  let last: (ChainedEntry & { seq: number }) | null = null;
  const heads = new Map<number, string[]>();
  for (const a of anchors) heads.set(a.seq, [...(heads.get(a.seq) ?? []), a.hash]);
  let held = 0;
  for (const r of store.sqlite
    .prepare('select rowid as seq, id, at, station_id as stationId, user_id as userId, action, entity, entity_id as entityId, detail, hash from audit_log order by rowid')
    .iterate() as IterableIterator<ChainedEntry & { seq: number }>) {
    entries++;
    const link = nextLink(store.auditKey, state, r);
    if (!link.ok) return { ok: false, entries, unsealed, brokenAt: { id: r.id, at: r.at, action: r.action }, reason: 'altered' };
    if (!link.state.sealed) unsealed++;
    const anchored = heads.get(r.seq);
    if (anchored !== undefined) {
      if (anchored.some((h) => h !== r.hash)) return { ok: false, entries, unsealed, brokenAt: { id: r.id, at: r.at, action: r.action }, reason: 'altered' };
      held++;
    }
    state = link.state;
    last = r;
  }
  if (last && !state.keyed) return { ok: false, entries, unsealed, brokenAt: { id: last.id, at: last.at, action: last.action }, reason: 'unkeyed' };
  if (held < heads.size) return { ok: false, entries, unsealed, brokenAt: null, reason: 'shortened' };
  return { ok: true, entries, unsealed, brokenAt: null, reason: null };
}

/** The setting that holds the register's head of the trail, recorded at the last sync. */
export const REGISTER_HEAD = 'audit.registerHead';

/** The trail's head now: its last entry's number and hash, or null when it is empty. */
export const auditHead = (store: Pick<StationDb, 'sqlite'>): { seq: number; hash: string | null } | null =>
  (store.sqlite.prepare('select rowid as seq, hash from audit_log order by rowid desc limit 1').get() as { seq: number; hash: string | null } | undefined) ?? null;

/** Where the connection stands: rows changed so far, and the last audit entry. */
export interface ChangeMark {
  changes: number;
  audited: number;
}

export const changeMark = (store: StationDb): ChangeMark => stmt<ChangeMark>(store, 'select total_changes() as changes, coalesce((select max(rowid) from audit_log), 0) as audited').get()!;

const SECRET_KEYS = /^(pin|new_?pin|old_?pin|one_?time_?code|password|secret|token)$/i;
const MAX_DETAIL = 4000;

/**
 * The audit entry for a call that changed the database without writing one of its own: the call's
 * name as the action and its input (secrets blanked, long inputs cut) as what was done. Together
 * with the entries the domain writes itself, every change of state has who, where, when and what.
 */
export function auditCallIfChanged(store: StationDb, before: ChangeMark, e: { stationId: string; userId: string | null; call: string; input: unknown }): void {
  const now = changeMark(store);
  if (now.changes === before.changes || now.audited !== before.audited) return;
  const input = JSON.stringify(e.input ?? {}, (k, v: unknown) => (k && SECRET_KEYS.test(k) ? '•••' : v));
  const detail = input.length > MAX_DETAIL ? { input: input.slice(0, MAX_DETAIL), cut: input.length } : { input: JSON.parse(input) as unknown };
  audit(store, { stationId: e.stationId, userId: e.userId, action: e.call, entity: 'call', detail });
}

/**
 * Runs a call's synchronous part in one transaction with its audit entry: the change and the
 * record of who made it are committed together, with one sync to disk, or not at all. A call that
 * ran to the end at once gets the core's entry when it wrote none itself (`entry`, read after the
 * run; null for none); a call that goes on asynchronously writes its own. A call that fails keeps
 * none of its writes: only what its refusal records (a wrong PIN counted, and its entry) is
 * written, after the rollback.
 */
export function runAudited<T>(store: StationDb, run: () => T, entry: () => { stationId: string; userId: string | null; call: string; input: unknown } | null): T {
  const before = changeMark(store);
  store.sqlite.exec('begin');
  try {
    const result = run();
    const e = result instanceof Promise ? null : entry();
    if (e) auditCallIfChanged(store, before, e);
    store.sqlite.exec('commit');
    return result;
  } catch (e) {
    if (store.sqlite.inTransaction) store.sqlite.exec('rollback');
    if (isDepotError(e) && e.record) store.sqlite.transaction(e.record)();
    throw e;
  }
}
