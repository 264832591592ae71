/**
 * The station's link to the register, as database state: where the register is, this station's
 * token, how far sync has come (the pull cursor, the last entry acknowledged) and how the last
 * attempt went, with what is still waiting or flagged.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import type { EnrolResponse } from './wire';

export interface SyncLink {
  registerUrl: string;
  token: string;
  epoch: string | null;
  cursor: number;
  acked: number;
  auditAcked: number;
  lastSuccessAt: number | null;
  lastAttemptAt: number | null;
  lastError: { sv: string; en: string } | null;
}

export function syncLink(store: StationDb): SyncLink | null {
  const row = stmt<Record<string, unknown>>(store, 'select * from sync_state').get();
  if (!row) return null;
  return {
    registerUrl: row.register_url as string,
    token: row.token as string,
    epoch: (row.epoch as string | null) ?? null,
    cursor: row.cursor as number,
    acked: row.acked as number,
    auditAcked: row.audit_acked as number,
    lastSuccessAt: (row.last_success_at as number | null) ?? null,
    lastAttemptAt: (row.last_attempt_at as number | null) ?? null,
    lastError: row.last_error ? (JSON.parse(row.last_error as string) as { sv: string; en: string }) : null,
  };
}

/** Remembers the register and this station's token (before the first full copy arrives). */
export function linkToRegister(store: StationDb, registerUrl: string, enrolment: EnrolResponse): void {
  store.sqlite.transaction(() => {
    stmt(store, 'delete from sync_state').run();
    stmt(store, 'insert into sync_state (singleton, register_url, token, cursor, acked) values (1, ?, ?, 0, 0)').run(registerUrl, enrolment.token);
    stmt(store, "insert or replace into station_settings (key, value, updated_at) values ('sync.enrolment', ?, ?)").run(
      JSON.stringify({ stationId: enrolment.stationId, name: enrolment.name, siteId: enrolment.siteId, numbers: enrolment.numbers }),
      Date.now(),
    );
  })();
}

export function noteAttempt(store: StationDb, error: { sv: string; en: string } | null, success: boolean): void {
  const now = Date.now();
  if (success) stmt(store, 'update sync_state set last_attempt_at = ?, last_success_at = ?, last_error = null').run(now, now);
  else stmt(store, 'update sync_state set last_attempt_at = ?, last_error = ?').run(now, error ? JSON.stringify(error) : null);
}

/** The station row and number blocks the register handed out at enrolment (once the sites have arrived). */
export function setUpFromEnrolment(store: StationDb): { id: string } | undefined {
  const row = stmt<{ value: string }>(store, "select value from station_settings where key = 'sync.enrolment'").get();
  if (!row) return undefined;
  const e = JSON.parse(row.value) as Pick<EnrolResponse, 'stationId' | 'name' | 'siteId' | 'numbers'>;
  stmt(store, 'insert into station (singleton, id, name, site_id, created_at) values (1, ?, ?, ?, ?)').run(e.stationId, e.name, e.siteId, Date.now());
  for (const [name, block] of Object.entries(e.numbers))
    stmt(store, 'insert or replace into number_series (name, next, last) values (?, ?, ?)').run(name, block.next, block.last);
  return { id: e.stationId };
}

export interface SyncCounts {
  waiting: number;
  waitingMovements: number;
  rejected: number;
  conflicts: number;
}

/** What waits to be sent, and what the register flagged that no supervisor has resolved yet. */
export function syncCounts(store: StationDb): SyncCounts {
  const link = syncLink(store);
  const acked = link?.acked ?? 0;
  const w = stmt<{ n: number; m: number | null }>(
    store,
    "select count(*) as n, sum(json_extract(payload, '$.lastSeq') - json_extract(payload, '$.firstSeq') + 1) as m from outbox where seq > ?",
  ).get(acked)!;
  const issues = stmt<{ kind: string; n: number }>(store, 'select kind, count(*) as n from sync_issues where resolved_at is null group by kind').all();
  return {
    waiting: w.n,
    waitingMovements: w.m ?? 0,
    rejected: issues.find((i) => i.kind === 'rejection')?.n ?? 0,
    conflicts: issues.find((i) => i.kind === 'conflict')?.n ?? 0,
  };
}
