/**
 * The push side of the outbox: the entries after the last one the register acknowledged, as they
 * go on the wire, and the register's acknowledgement recorded. An entry is pushed again until
 * acknowledged (the register acknowledges a duplicate without effect).
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { encodeIndividual, encodeMovement, selectMovement, type EntityChange, type MovementField, type PushEntry, type PushResponse } from './wire';

interface OutboxRow {
  seq: number;
  kind: string;
  payload: string;
}

/** A movement read with `selectMovement`, with the individual it names. */
type MovementRow = Record<MovementField, unknown> & {
  individualId: string | null;
  individualNumber: string | null;
  individualArticle: string | null;
  serialNumber: string | null;
  udi: string | null;
};

/** The next outbox entries after `acked`, up to about `maxMovements` movements. */
export function outboxBatch(store: StationDb, acked: number, maxMovements = 10_000): PushEntry[] {
  const rows = stmt<OutboxRow>(store, 'select seq, kind, payload from outbox where seq > ? order by seq limit 5000').all(acked);
  const movements = stmt<MovementRow>(
    store,
    `select ${selectMovement('m')}, i.individual_number as "individualNumber", i.serial_number as "serialNumber", i.udi as "udi", i.article_id as "individualArticle"
     from movements m left join individuals i on i.id = m.individual_id
     where m.station_id = ? and m.seq between ? and ? order by m.seq`,
  );
  const entries: PushEntry[] = [];
  let count = 0;
  for (const row of rows) {
    const p = JSON.parse(row.payload) as { stationId: string; firstSeq: number; lastSeq: number };
    if (row.kind === 'entities') {
      entries.push({ n: row.seq, m: [], i: [], e: (JSON.parse(row.payload) as { changes: EntityChange[] }).changes });
      continue;
    }
    const ms = row.kind === 'movements' ? movements.all(p.stationId, p.firstSeq, p.lastSeq) : [];
    const individuals = new Map<string, PushEntry['i'][number]>();
    for (const m of ms)
      if (m.individualId)
        individuals.set(
          m.individualId,
          encodeIndividual({ id: m.individualId, individualNumber: m.individualNumber, articleId: m.individualArticle, serialNumber: m.serialNumber, udi: m.udi }),
        );
    entries.push({ n: row.seq, m: ms.map(encodeMovement), i: [...individuals.values()] });
    count += ms.length;
    if (count >= maxMovements) break;
  }
  return entries;
}

/** The register holds fewer of our entries than we thought (it was restored): pushing starts again after `lastApplied`. */
export function pushAgainFrom(store: StationDb, lastApplied: number): void {
  stmt(store, 'update sync_state set acked = ?').run(lastApplied);
}

/** Records the register's acknowledgement: entries up to `lastApplied` are done; rejections go to a supervisor. */
export function recordPushed(store: StationDb, response: PushResponse): void {
  store.sqlite.transaction(() => {
    const now = Date.now();
    stmt(store, 'update sync_state set acked = max(acked, ?)').run(response.lastApplied);
    stmt(store, 'update outbox set sent_at = ? where seq <= ? and sent_at is null').run(now, response.lastApplied);
    for (const r of response.rejected)
      stmt(store, "insert or ignore into sync_issues (id, kind, data, at) values (?, 'rejection', ?, ?)").run(`entry:${r.n}`, JSON.stringify(r), now);
  })();
}

/** Queues changes of master data made here for the register (in the caller's transaction), as the tables' triggers do for theirs. */
export function queueChanges(store: StationDb, changes: EntityChange[]): void {
  stmt(store, "insert into outbox (kind, payload, created_at) values ('entities', ?, ?)").run(JSON.stringify({ changes }), Date.now());
}
