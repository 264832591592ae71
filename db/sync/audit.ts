/**
 * The audit trail's way to the register: entries in the order they were written (their place in
 * the trail is the row's number; the trail is never changed or removed from, so the numbers
 * hold), a batch at a time after the last the register holds.
 */
import type { StationDb } from '../open';
import { REGISTER_HEAD } from '../audit';
import { putSetting } from '../settings';
import { stmt } from '../statements';
import type { AuditPushResponse, AuditTuple } from './wire';

/** The next audit entries after `after`: at most `maxEntries`, and about `maxBytes` of detail. */
export function auditBatch(store: StationDb, after: number, maxEntries = 1000, maxBytes = 2_000_000): AuditTuple[] {
  const rows = stmt<AuditTuple>(
    store,
    'select rowid, id, at, station_id, user_id, action, entity, entity_id, detail, hash from audit_log where rowid > ? order by rowid limit ?',
  )
    .raw(true)
    .all(after, maxEntries);
  let bytes = 0;
  const out: AuditTuple[] = [];
  for (const r of rows) {
    bytes += (r[8]?.length ?? 0) + 200;
    if (out.length > 0 && bytes > maxBytes) break;
    out.push(r);
  }
  return out;
}

/**
 * Records how far the register holds the trail, the first entry it found altered, and its head,
 * which the trail here must keep holding (`audit.verify` checks it).
 */
export function recordAuditPushed(store: StationDb, response: AuditPushResponse): void {
  stmt(store, 'update sync_state set audit_acked = ?, audit_broken_at = coalesce(audit_broken_at, ?)').run(response.last, response.broken.length > 0 ? Math.min(...response.broken) : null);
  if (response.head?.hash) putSetting(store, REGISTER_HEAD, { seq: response.head.seq, hash: response.head.hash });
}

export interface AuditAtRegister {
  linked: boolean;
  /** Entries the register holds, and entries not sent yet. */
  held: number;
  waiting: number;
  /** The first entry the register found not following from the one before. */
  brokenAt: number | null;
}

export function auditAtRegister(store: StationDb): AuditAtRegister {
  const link = stmt<{ audit_acked: number; audit_broken_at: number | null }>(store, 'select audit_acked, audit_broken_at from sync_state').get();
  const total = stmt<{ n: number | null }>(store, 'select max(rowid) as n from audit_log').get()!.n ?? 0;
  if (!link) return { linked: false, held: 0, waiting: total, brokenAt: null };
  return { linked: true, held: link.audit_acked, waiting: Math.max(0, total - link.audit_acked), brokenAt: link.audit_broken_at };
}
