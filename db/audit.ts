/**
 * The audit trail: who did what, at which station, when. Entries are never changed or removed (the
 * database refuses it) and each carries the SHA-256 of the entry before it together with its own
 * content (`audit-chain.ts`), so an entry edited or removed in the file itself breaks the chain
 * from there on, which `verifyAuditChain` finds. Entries written before the chain began carry no
 * hash. The trail goes to the register, which checks the chain again as it arrives.
 */
import { CHAIN_START, chainHash, nextLink, type ChainedEntry } from './audit-chain';
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

/** Appends to the audit log (who did what, when), chained to the entry before. */
export function audit(store: Store, e: AuditEntry, at = Date.now()): void {
  store.sqlite.transaction(() => {
    const prev = stmt<{ hash: string | null }>(store, 'select hash from audit_log order by rowid desc limit 1').get()?.hash ?? CHAIN_START.prev;
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
      chainHash(prev, row),
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
  let state = CHAIN_START;
  let entries = 0;
  let unsealed = 0;
  for (const r of store.sqlite
    .prepare('select id, at, station_id as stationId, user_id as userId, action, entity, entity_id as entityId, detail, hash from audit_log order by rowid')
    .iterate() as IterableIterator<ChainedEntry>) {
    entries++;
    const link = nextLink(state, r);
    if (!link.ok) return { ok: false, entries, unsealed, brokenAt: { id: r.id, at: r.at, action: r.action } };
    if (!link.state.sealed) unsealed++;
    state = link.state;
  }
  return { ok: true, entries, unsealed, brokenAt: null };
}

/** Where the connection stands: rows changed so far, and the last audit entry. */
export interface ChangeMark {
  changes: number;
  audited: number;
}

export const changeMark = (store: Store): ChangeMark => stmt<ChangeMark>(store, 'select total_changes() as changes, coalesce((select max(rowid) from audit_log), 0) as audited').get()!;

const SECRET_KEYS = /^(pin|new_?pin|old_?pin|password|secret|token)$/i;
const MAX_DETAIL = 4000;

/**
 * The audit entry for a call that changed the database without writing one of its own: the call's
 * name as the action and its input (secrets blanked, long inputs cut) as what was done. Together
 * with the entries the domain writes itself, every change of state has who, where, when and what.
 */
export function auditCallIfChanged(store: Store, before: ChangeMark, e: { stationId: string; userId: string | null; call: string; input: unknown }): void {
  const now = changeMark(store);
  if (now.changes === before.changes || now.audited !== before.audited) return;
  const input = JSON.stringify(e.input ?? {}, (k, v: unknown) => (k && SECRET_KEYS.test(k) ? '•••' : v));
  const detail = input.length > MAX_DETAIL ? { input: input.slice(0, MAX_DETAIL), cut: input.length } : { input: JSON.parse(input) as unknown };
  audit(store, { stationId: e.stationId, userId: e.userId, action: e.call, entity: 'call', detail });
}
