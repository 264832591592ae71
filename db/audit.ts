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

/** Appends to the audit log (who did what, when). The log rejects UPDATE and DELETE. */
export function audit(store: Store, e: AuditEntry, at = Date.now()): void {
  stmt(
    store,
    'insert into audit_log (id, at, station_id, user_id, action, entity, entity_id, detail) values (?, ?, ?, ?, ?, ?, ?, ?)',
  ).run(uuidv7(at), at, e.stationId, e.userId, e.action, e.entity, e.entityId ?? null, e.detail === undefined ? null : JSON.stringify(e.detail));
}
