/**
 * What stations pull: every change after a cursor (the register's `rev` counter), a page at a
 * time and without the station's own movements, or a full copy consistent at one cursor when a
 * station is new, has another epoch or is too far behind.
 */
import { encodeMovement, selectMovement, type EntityChange, type MovementField, type MovementTuple, type PullPage, type ResyncNeeded, type SnapshotHeader } from '../db/sync/wire';
import type { SnapshotBatch } from '../db/sync/columns';
import { DAY, type RegisterContext, type StationRecord } from './context';
import { ENTITY_KINDS } from './entities';
import { headRev } from './sql';

/** A movement row read with `selectMovement()`. */
type MovementRow = Record<MovementField, unknown>;

/** The register's latest change. */
export function head({ db }: RegisterContext): Promise<number> {
  return headRev(db);
}

/**
 * Changes after `cursor`, at most `limit` of them, oldest first. The station's own movements
 * are left out (it holds them already); the cursor still moves past them.
 */
export async function pull(ctx: RegisterContext, station: StationRecord, epoch: string | null, cursor: number, limit = 5_000): Promise<PullPage | ResyncNeeded> {
  if (epoch !== ctx.epoch) return { resync: true, reason: 'epoch' };
  return ctx.db.read(async (q) => {
    const head = await headRev(q);
    const [c] = await q.all<{ value: string }>("select value from meta where key = 'compacted_below'");
    if (cursor > head || cursor < Number(c!.value)) return { resync: true, reason: 'cursor' } as const;
    if (head - cursor > ctx.options.resyncBehind) return { resync: true, reason: 'behind' } as const;
    const es = await q.all<{ rev: number; kind: string; id: string; data: string; deleted: number }>(
      'select rev, kind, id, data, deleted from entities where rev > $1 order by rev limit $2',
      [cursor, limit],
    );
    const ms = await q.all<MovementRow & { rev: number }>(`select ${selectMovement()}, rev from movements where rev > $1 and station_id <> $2 order by rev limit $3`, [
      cursor,
      station.id,
      limit,
    ]);
    // Merge the two by rev and keep the first `limit`.
    let i = 0;
    let j = 0;
    let to = cursor;
    const e: EntityChange[] = [];
    const m: MovementTuple[] = [];
    while (e.length + m.length < limit && (i < es.length || j < ms.length)) {
      const er = es[i];
      const mr = ms[j];
      if (er && (!mr || Number(er.rev) < Number(mr.rev))) {
        e.push([er.kind, er.id, Number(er.deleted) ? null : (JSON.parse(er.data) as Record<string, unknown>)]);
        to = Number(er.rev);
        i++;
      } else {
        m.push(encodeMovement(mr!));
        to = Number(mr!.rev);
        j++;
      }
    }
    // Everything after the cursor was read (what is left is the station's own): it is up to date.
    if (i === es.length && j === ms.length && es.length < limit && ms.length < limit) to = head;
    touch(ctx, station.id);
    return { epoch: ctx.epoch, cursor: to, head, more: to < head, e, m };
  });
}

/** Notes when a station last asked; never holds the answer back. */
function touch({ db, options }: RegisterContext, stationId: string): void {
  // Kept out of the read snapshot's transaction on SQLite (a separate, read-only connection).
  void db.run('update stations set last_seen_at = $1 where id = $2', [options.now(), stationId]).catch(() => undefined);
}

/** Where a full copy goes as it is read: its totals first, then batches of rows of one kind. */
export interface SnapshotSink {
  header(header: SnapshotHeader): Promise<void> | void;
  /** May return a promise to hold the reading back. */
  batch(batch: SnapshotBatch): Promise<void> | void;
}

/**
 * A full copy, consistent at one cursor: master data, the individuals as they stand, stock as
 * balances, and the movements of the last `historyDays` days, read in batches of `page` rows that go
 * to `sink` as they are read (the stored JSON of master data as it is, unparsed).
 */
export async function snapshot(ctx: RegisterContext, sink: SnapshotSink, page = 10_000): Promise<SnapshotHeader> {
  const since = ctx.options.now() - ctx.options.historyDays * DAY;
  return ctx.db.read(async (q) => {
    const count = async (text: string, params: unknown[] = []) => Number((await q.all<{ n: number }>(text, params))[0]!.n);
    const header: SnapshotHeader = {
      epoch: ctx.epoch,
      cursor: await headRev(q),
      counts: {
        entities: await count('select count(*) as n from entities where deleted = 0'),
        movements: await count('select count(*) as n from movements where occurred_at >= $1', [since]),
        balances: await count('select count(*) as n from balances where quantity <> 0'),
      },
    };
    await sink.header(header);
    for (const kind of ENTITY_KINDS) {
      let after = '';
      for (;;) {
        const rows = await q.all<{ id: string; data: string }>(
          'select id, data from entities where kind = $1 and deleted = 0 and id > $2 order by id limit $3',
          [kind, after, page],
        );
        if (rows.length > 0) await sink.batch({ k: 'e', kind, ids: rows.map((r) => r.id), data: rows.map((r) => r.data) });
        if (rows.length < page) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    let after = '';
    for (;;) {
      const rows = await q.all<MovementRow>(
        `select ${selectMovement()} from movements where occurred_at >= $1 and id > $2 order by id limit $3`,
        [since, after, page],
      );
      if (rows.length > 0) await sink.batch({ k: 'm', rows: rows.map(encodeMovement) });
      if (rows.length < page) break;
      after = rows[rows.length - 1]!.id as string;
    }
    let key: [string, string, string] = ['', '', ''];
    for (;;) {
      const rows = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
        `select article_id, location_id, lot, quantity from balances
         where quantity <> 0 and (article_id > $1 or (article_id = $1 and (location_id > $2 or (location_id = $2 and lot > $3))))
         order by article_id, location_id, lot limit $4`,
        [...key, page],
      );
      if (rows.length > 0) await sink.batch({ k: 'b', rows: rows.map((b) => [b.article_id, b.location_id, b.lot, Number(b.quantity)] as [string, string, string, number]) });
      if (rows.length < page) break;
      const l = rows[rows.length - 1]!;
      key = [l.article_id, l.location_id, l.lot];
    }
    return header;
  });
}

/**
 * A full copy in its first shape, for a station that does not ask for columns: JSON lines, the
 * header first, then `["e",kind,id,data]`, `["m",…tuple]` and `["b",article,location,lot,qty]`.
 * `write` may return a promise to hold the reading back.
 */
export function snapshotLines(ctx: RegisterContext, write: (line: string) => Promise<void> | void): Promise<SnapshotHeader> {
  return snapshot(ctx, {
    header: (h) => write(JSON.stringify(h)),
    async batch(b) {
      if (b.k === 'e') {
        // The stored JSON goes out as it is, without being parsed and written again.
        const prefix = `["e",${JSON.stringify(b.kind)},`;
        for (let i = 0; i < b.ids.length; i++) {
          const w = write(`${prefix}${JSON.stringify(b.ids[i])},${b.data[i]}]`);
          if (w) await w;
        }
      } else
        for (const r of b.rows) {
          const w = write(JSON.stringify([b.k, ...r]));
          if (w) await w;
        }
    },
  });
}

/** Forgets the change log below `rev` for movements older than the history kept; stations behind it get a full copy. */
export async function markCompactedBelow({ db }: RegisterContext, rev: number): Promise<void> {
  await db.run("update meta set value = $1 where key = 'compacted_below'", [String(rev)]);
}

/**
 * One device's movements as the register holds them, oldest first (at most `limit`): the history a
 * station's copy no longer carries. A station asks only about devices, never about people.
 */
export async function deviceHistory(ctx: RegisterContext, individualId: string, limit = 2_000): Promise<MovementTuple[]> {
  return ctx.db.read(async (q) => {
    const rows = await q.all<MovementRow>(`select ${selectMovement()} from movements where individual_id = $1 order by occurred_at, id limit $2`, [individualId, limit]);
    return rows.map(encodeMovement);
  });
}
