/** Reading the audit trail: newest first, a page at a time, filtered by what and who, and as CSV. */
import type { AuditKind } from '../vocabulary/audit-kind';
import type { UserMessage } from '../vocabulary/errors';
import { lookup, sentence } from './audit-sentences';
import { csv } from './csv';
import type { StationDb } from './open';
import { stmt } from './statements';

export interface AuditLine {
  seq: number;
  id: string;
  at: number;
  station: string;
  user: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: string | null;
  /** The entry as a sentence: who did what to what, with the numbers and codes people know. */
  says: UserMessage;
}

export interface AuditQuery {
  /** Entries before this one (the `seq` of the last line shown), for the next page. */
  before?: number | null;
  /** Words in who did it, the station, the action or the entity: "Lena", "sign_in". */
  text?: string | null;
  /** The kind of entry, in the warehouse's words (`audit_kind` over the action). */
  kind?: AuditKind | null;
  userId?: string | null;
  from?: number | null;
  to?: number | null;
  limit?: number;
}

export function auditLines(store: StationDb, q: AuditQuery): AuditLine[] {
  const text = q.text?.trim() ? `%${q.text.trim()}%` : null;
  const rows = stmt<Omit<AuditLine, 'says'>>(
    store,
    `select a.rowid as seq, a.id, a.at, coalesce(s.name, a.station_id) as station, u.name as user, a.action, a.entity, a.entity_id as entityId, a.detail
     from audit_log a left join users u on u.id = a.user_id left join station s on s.id = a.station_id
     where ($before is null or a.rowid < $before) and ($text is null or a.action like $text or a.entity like $text or u.name like $text or s.name like $text)
       and ($kind is null or audit_kind(a.action) = $kind)
       and ($user is null or a.user_id = $user) and ($from is null or a.at >= $from) and ($to is null or a.at < $to)
     order by a.rowid desc limit $limit`,
  ).all({ before: q.before ?? null, text, kind: q.kind ?? null, user: q.userId ?? null, from: q.from ?? null, to: q.to ?? null, limit: Math.min(q.limit ?? 200, 100_000) });
  const names = lookup(store);
  return rows.map((r) => ({ ...r, says: sentence(r, names) }));
}

export function auditCsv(lines: readonly AuditLine[]): string {
  return csv([
    ['Nr', 'Tid (UTC)', 'Station', 'Användare', 'Vad', 'Händelse', 'Avser', 'Id', 'Detaljer'],
    ...lines.map((l) => [l.seq, new Date(l.at).toISOString(), l.station, l.user, l.says.sv, l.action, l.entity, l.entityId, l.detail]),
  ]);
}
