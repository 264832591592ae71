/**
 * The audit trail: who did what, at which station, when. Entries are never changed or removed (the
 * database refuses it) and each carries the SHA-256 of the entry before it together with its own
 * content, so an entry edited or removed in the file itself breaks the chain from there on, which
 * `verifyAuditChain` finds. Entries written before the chain began carry no hash.
 */
import { createHash } from 'node:crypto';
import { uuidv7 } from './ids';
import type { Store } from './open';
import { stmt } from './statements';

export interface AuditEntry {
  stationId: string;
  userId: string | null;
  action: string;
  entity: string;
  entityId?: string | null;
  detail?: unknown;
}

const GENESIS = 'depot-station-audit';

interface Row {
  id: string;
  at: number;
  stationId: string;
  userId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: string | null;
  hash: string | null;
}

const chained = (prev: string, r: Omit<Row, 'hash'>) =>
  createHash('sha256').update(JSON.stringify([prev, r.id, r.at, r.stationId, r.userId, r.action, r.entity, r.entityId, r.detail])).digest('hex');

/** Appends to the audit log (who did what, when), chained to the entry before. */
export function audit(store: Store, e: AuditEntry, at = Date.now()): void {
  store.sqlite.transaction(() => {
    const prev = stmt<{ hash: string | null }>(store, 'select hash from audit_log order by rowid desc limit 1').get()?.hash ?? GENESIS;
    const row = { id: uuidv7(at), at, stationId: e.stationId, userId: e.userId, action: e.action, entity: e.entity, entityId: e.entityId ?? null, detail: e.detail === undefined ? null : JSON.stringify(e.detail) };
    stmt(store, 'insert into audit_log (id, at, station_id, user_id, action, entity, entity_id, detail, hash) values (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
      row.id,
      row.at,
      row.stationId,
      row.userId,
      row.action,
      row.entity,
      row.entityId,
      row.detail,
      chained(prev, row),
    );
  })();
}

export interface AuditVerdict {
  ok: boolean;
  /** Entries checked, and those from before the chain began. */
  entries: number;
  unsealed: number;
  /** The first entry that does not follow from the one before: edited, or something before it removed. */
  brokenAt: { id: string; at: number; action: string } | null;
}

/** Walks the whole trail and checks every link. */
export function verifyAuditChain(store: Pick<Store, 'sqlite'>): AuditVerdict {
  let prev = GENESIS;
  let entries = 0;
  let unsealed = 0;
  let sealed = false;
  for (const r of store.sqlite
    .prepare('select id, at, station_id as stationId, user_id as userId, action, entity, entity_id as entityId, detail, hash from audit_log order by rowid')
    .iterate() as IterableIterator<Row>) {
    entries++;
    if (r.hash === null && !sealed) {
      unsealed++;
      continue;
    }
    sealed = true;
    if (r.hash === null || r.hash !== chained(prev, r)) return { ok: false, entries, unsealed, brokenAt: { id: r.id, at: r.at, action: r.action } };
    prev = r.hash;
  }
  return { ok: true, entries, unsealed, brokenAt: null };
}
