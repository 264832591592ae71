/**
 * What stations pull: every change after a cursor (the register's `rev` counter), a page at a
 * time and without the station's own movements, or a full copy consistent at one cursor when a
 * station is new, has another epoch or is too far behind.
 */
import { CODE_OF, encodeMovement, MOVEMENT_FIELDS, selectMovement, type EntityChange, type MovementField, type MovementTuple, type PullPage, type ResyncNeeded, type SnapshotHeader } from '../db/sync/wire';
import type { SnapshotBatch } from '../db/sync/columns';
import { DAY, type RegisterContext, type StationRecord } from './context';
import { ENTITY_KINDS } from './entities';
import { entityField as field, headRev, selectIn } from './sql';
import { devicesReferred } from '../db/sync/scope';
import type { Sql } from './store';

/** A movement row read with `selectMovement()`. */
type MovementRow = Record<MovementField, unknown>;

/**
 * Kinds a full copy leaves out once withdrawn: a sync issue withdrawn is settled, and a station
 * shows none it never had. Every other kind withdrawn comes with the copy as `asWithdrawn` gives it.
 */
const SETTLED_WHEN_WITHDRAWN: readonly string[] = ['conflict', 'rejection'];

/** The condition on `entities` (its `deleted` flag) for the rows of `kind` a full copy carries. */
const inCopy = (kind: string): string => (SETTLED_WHEN_WITHDRAWN.includes(kind) ? 'and deleted = 0' : '');

/**
 * Master data withdrawn centrally, as a station that took the withdrawal holds it: nothing is
 * removed there, since the ledger, devices, jobs and orders still name it. A place is retired (from
 * `at`, the copy's time, when it was not before), a user no longer active and without a badge (one
 * given on to someone else stays theirs), an article has no codes left that find it, a pick-up still
 * ordered is cancelled (another ordered for the device since stays so), anything else stays as it
 * last was. A full copy carries it so: a new station holds what every station that took
 * the withdrawal holds, and finds all its copy names. `taken`: the codes (`CODE_OF`) the copy's
 * other rows of the kind hold; a withdrawn row's code that one of them holds (given to a new place
 * or article since) is told apart by the row's id, so the new one keeps it.
 */
function asWithdrawn(kind: string, id: string, data: string, at: number, taken?: Set<unknown>): string {
  if (kind !== 'location' && kind !== 'user' && kind !== 'article' && kind !== 'site' && kind !== 'pickup_order') return data;
  const d = JSON.parse(data) as Record<string, unknown>;
  const code = CODE_OF[kind];
  if (code && taken) {
    if (taken.has(d[code])) d[code] = `${String(d[code])}~${id}`;
    taken.add(d[code]);
  }
  if (kind === 'location') return JSON.stringify({ ...d, retired_at: d.retired_at ?? at });
  if (kind === 'user') return JSON.stringify({ ...d, active: typeof d.active === 'boolean' ? false : 0, badge_code: null });
  if (kind === 'article') return JSON.stringify({ ...d, gtins: [], hibc: [] });
  if (kind === 'pickup_order' && d.state === 'ordered') return JSON.stringify({ ...d, state: 'cancelled', closed_at: d.closed_at ?? at });
  return JSON.stringify(d);
}

/**
 * The kinds of master data that belong to one site (each row names its `site_id`): a depot's own
 * copy holds its site's rows of these and every row of the others.
 */
export const SITE_KINDS: readonly string[] = ['individual', 'service_job', 'wash_batch', 'reorder_setting', 'preferred_location', 'work_order'];

/**
 * What a station's copy holds: the whole region (null), or one depot's own site, with that site's
 * places (a movement belongs to the copy when it leaves or reaches one of them).
 */
export interface CopyScope {
  siteId: string;
  locations: string[];
}


/**
 * The scope of the copy a station asked for: its own site's when it asked for that and its site
 * is a depot (the central store holds the whole region), otherwise the whole region.
 */
async function copyScope({ db }: RegisterContext, q: Sql, station: StationRecord, siteAsked: boolean): Promise<CopyScope | null> {
  if (!siteAsked) return null;
  const [site] = await q.all<{ data: string }>("select data from entities where kind = 'site' and id = $1", [station.siteId]);
  if (!site || (JSON.parse(site.data) as { kind?: string }).kind === 'central_store') return null;
  // Retired places too: a movement to or from one is still the site's.
  const places = await q.all<{ id: string }>(`select id from entities where kind = 'location' and ${field(db.dialect, 'site_id')} = $1`, [station.siteId]);
  return { siteId: station.siteId, locations: places.map((p) => p.id) };
}

/** Which copy a station asking now gets: its depot site's own (the site's id) or the whole region's (null). */
export async function copyKey(ctx: RegisterContext, station: StationRecord, siteAsked: boolean): Promise<string | null> {
  return ctx.db.read(async (q) => (await copyScope(ctx, q, station, siteAsked))?.siteId ?? null);
}

/**
 * Whether a copy made earlier at `made.cursor` may be given to `station` now in place of one read
 * for it: the same epoch, history not forgotten below it, not so far behind that the station's
 * next pull would send it for a copy again, and nothing of the station's own after it (a station's
 * pull leaves its own movements out, as held already, so one that pushed since the copy was made
 * would never get those back).
 */
export async function madeCopyFits(ctx: RegisterContext, station: StationRecord, made: { epoch: string; cursor: number }, changes: number): Promise<boolean> {
  if (made.epoch !== ctx.epoch) return false;
  return ctx.db.read(async (q) => {
    const head = await headRev(q);
    const [c] = await q.all<{ value: string }>("select value from meta where key = 'compacted_below'");
    if (made.cursor > head || made.cursor < Number(c!.value) || head - made.cursor > Math.min(changes, ctx.options.resyncBehind)) return false;
    const own = await q.all<{ one: number }>('select 1 as one from movements where rev > $1 and station_id = $2 limit 1', [made.cursor, station.id]);
    return own.length === 0;
  });
}

/** Where a movement tuple names its device. */
const MOVEMENT_INDIVIDUAL = MOVEMENT_FIELDS.indexOf('individualId');

/** The devices named, each as the register holds it now. */
async function devicesAsTheyStand(q: Sql, ids: readonly string[]): Promise<EntityChange[]> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return [];
  const rows = await selectIn<{ id: string; data: string }>(q, (marks) => `select id, data from entities where kind = 'individual' and deleted = 0 and id in (${marks})`, unique);
  return rows.map((r) => ['individual', r.id, JSON.parse(r.data) as Record<string, unknown>]);
}

/** Where a movement tuple names its article, its places and its device. */
const MOVEMENT_REFS = (['articleId', 'fromLocationId', 'toLocationId', 'individualId'] as const).map((f) => MOVEMENT_FIELDS.indexOf(f));

/** The rows a change refers to: a device's place, site and article, a place's parent and site, the devices of the rest. */
function refersTo([kind, , d]: EntityChange): unknown[] {
  if (!d) return [];
  if (kind === 'individual') return [d.location_id, d.site_id, d.article_id];
  if (kind === 'location') return [d.parent_id, d.site_id];
  return devicesReferred(d);
}

/**
 * The sites, places, articles and devices a page refers to whose latest change comes after the page
 * (`to`), as they stand, with what those refer to in turn: a row's latest version lies where it last
 * changed, so a page that ends before it (a small page, a station far behind) would otherwise bring
 * a movement or a device naming a row the station does not hold yet, and never apply.
 */
async function newerThanThePage(q: Sql, page: readonly EntityChange[], movements: readonly MovementTuple[], to: number, head: number): Promise<EntityChange[]> {
  if (to >= head) return [];
  const out: EntityChange[] = [];
  const seen = new Set<unknown>(page.map(([, id]) => id));
  let refs: unknown[] = [...page.flatMap(refersTo), ...movements.flatMap((t) => MOVEMENT_REFS.map((i) => t[i]))];
  for (;;) {
    const ids = [...new Set(refs.filter((v): v is string => typeof v === 'string' && !seen.has(v)))];
    if (ids.length === 0) return out;
    for (const id of ids) seen.add(id);
    const rows = await selectIn<{ kind: string; id: string; data: string }>(
      q,
      (marks) => `select kind, id, data from entities where kind in ('site', 'location', 'article', 'individual') and deleted = 0 and rev > $1 and id in (${marks})`,
      ids,
      [to],
    );
    const changes = rows.map((r): EntityChange => [r.kind, r.id, JSON.parse(r.data) as Record<string, unknown>]);
    out.push(...changes);
    refs = changes.flatMap(refersTo);
  }
}

/** `(from in places or to in places)` with the places as parameters after the `before` first ones. */
function touchesScope(scope: CopyScope, before: number): string {
  if (scope.locations.length === 0) return 'false';
  const marks = scope.locations.map((_, i) => `$${before + i + 1}`).join(', ');
  return `(from_location_id in (${marks}) or to_location_id in (${marks}))`;
}

/** The register's latest change. */
export function head({ db }: RegisterContext): Promise<number> {
  return headRev(db);
}

/**
 * Changes after `cursor`, at most `limit` of them, oldest first. The station's own movements
 * are left out (it holds them already); the cursor still moves past them.
 */
export async function pull(ctx: RegisterContext, station: StationRecord, epoch: string | null, cursor: number, limit = 5_000, siteAsked = false): Promise<PullPage | ResyncNeeded> {
  if (epoch !== ctx.epoch) return { resync: true, reason: 'epoch' };
  return ctx.db.read(async (q) => {
    // A depot's own copy gets the movements that touch its site; every change of master data goes
    // to every station, which keeps what its copy holds (db/sync/entities.ts).
    const scope = await copyScope(ctx, q, station, siteAsked);
    const head = await headRev(q);
    const [c] = await q.all<{ value: string }>("select value from meta where key = 'compacted_below'");
    if (cursor > head || cursor < Number(c!.value)) return { resync: true, reason: 'cursor' } as const;
    if (head - cursor > ctx.options.resyncBehind) return { resync: true, reason: 'behind' } as const;
    const es = await q.all<{ rev: number; kind: string; id: string; data: string; deleted: number }>(
      'select rev, kind, id, data, deleted from entities where rev > $1 order by rev limit $2',
      [cursor, limit],
    );
    const ms = await q.all<MovementRow & { rev: number }>(
      `select ${selectMovement()}, rev from movements where rev > $1 and station_id <> $2 ${scope ? `and ${touchesScope(scope, 3)}` : ''} order by rev limit $3`,
      [cursor, station.id, limit, ...(scope?.locations ?? [])],
    );
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
    // A depot's own copy gets, first, each device the page refers to as it stands now, so a device
    // travels with the movement, pallet or pick-up that brings it into the depot's view.
    const devices = scope
      ? await devicesAsTheyStand(q, [...e.flatMap(([kind, , data]) => (kind === 'individual' ? [] : devicesReferred(data))), ...m.flatMap((t) => (t[MOVEMENT_INDIVIDUAL] ? [t[MOVEMENT_INDIVIDUAL] as string] : []))])
      : [];
    // And, for every station, what the page names that changed after it, so the page always applies.
    e.unshift(...(await newerThanThePage(q, [...devices, ...e], m, to, head)), ...devices);
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
 * to `sink` as they are read (the stored JSON of master data as it is, unparsed). Master data first,
 * then movements; `interleaved` (for a station that saves the copy as it arrives, and applies it
 * with its references checked at the end): the two in turns, five pages (about a frame) of each.
 * Balances last.
 */
export async function snapshot(
  ctx: RegisterContext,
  sink: SnapshotSink,
  page = 10_000,
  station: StationRecord | null = null,
  siteAsked = false,
  interleaved = false,
  signal?: AbortSignal,
): Promise<SnapshotHeader> {
  const since = ctx.options.now() - ctx.options.historyDays * DAY;
  // `signal`: the station gone while its copy waits to begin (see `longRead`).
  return ctx.db.longRead(async (q) => {
    const scope = station ? await copyScope(ctx, q, station, siteAsked) : null;
    const places = scope?.locations ?? [];
    // Rows of a site's kind belong to a depot's copy when they name its site.
    const ofSite = (kind: string, at: number) => (scope && SITE_KINDS.includes(kind) ? `and ${field(ctx.db.dialect, 'site_id')} = $${at}` : '');
    const siteParam = (kind: string) => (scope && SITE_KINDS.includes(kind) ? [scope.siteId] : []);
    const marks = (before: number) => places.map((_, i) => `$${before + i + 1}`).join(', ');
    const count = async (text: string, params: unknown[] = []) => Number((await q.all<{ n: number }>(text, params))[0]!.n);
    // A device also comes with a depot's copy when it left or reached the site within the history the
    // copy carries (lent out from here, sent away), or when something the copy holds refers to it
    // (a pallet's item, a pick-up, a job): read once, those not at the site follow its own devices.
    let travelling: { id: string; data: string }[] = [];
    if (scope) {
      const referred = new Set<string>();
      if (places.length > 0)
        for (const r of await q.all<{ individual_id: string }>(
          `select distinct individual_id from movements where individual_id is not null and occurred_at >= $1 and ${touchesScope(scope, 1)}`,
          [since, ...places],
        ))
          referred.add(r.individual_id);
      for (const kind of ENTITY_KINDS) {
        if (kind === 'individual') continue;
        let after = '';
        for (;;) {
          const rows = await q.all<{ id: string; data: string }>(
            `select id, data from entities where kind = $1 ${inCopy(kind)} and id > $2 and data like '%individual_id%' ${ofSite(kind, 4)} order by id limit $3`,
            [kind, after, page, ...siteParam(kind)],
          );
          for (const r of rows) for (const d of devicesReferred(JSON.parse(r.data) as Record<string, unknown>)) referred.add(d);
          if (rows.length < page) break;
          after = rows[rows.length - 1]!.id;
        }
      }
      travelling = (
        await selectIn<{ id: string; data: string }>(
          q,
          (m) => `select id, data from entities where kind = 'individual' and id in (${m}) and ${field(ctx.db.dialect, 'site_id')} is distinct from $1`,
          [...referred],
          [scope.siteId],
        )
      ).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
    let entities = travelling.length;
    for (const kind of ENTITY_KINDS) entities += await count(`select count(*) as n from entities where kind = $1 ${inCopy(kind)} ${ofSite(kind, 2)}`, [kind, ...siteParam(kind)]);
    const now = ctx.options.now();
    // The codes live rows of a kind hold, read at the copy's cursor once a withdrawn row of the kind
    // comes (a withdrawn row does not take one).
    const taken = new Map<string, Set<unknown>>();
    const takenOf = async (kind: string): Promise<Set<unknown> | undefined> => {
      const code = CODE_OF[kind];
      if (!code) return undefined;
      if (!taken.has(kind)) taken.set(kind, new Set((await q.all<{ code: unknown }>(`select ${field(ctx.db.dialect, code)} as code from entities where kind = $1 and deleted = 0`, [kind])).map((r) => r.code)));
      return taken.get(kind);
    };
    const header: SnapshotHeader = {
      epoch: ctx.epoch,
      cursor: await headRev(q),
      ...(scope ? { scope: scope.siteId } : {}),
      since,
      counts: {
        entities,
        movements: await count(`select count(*) as n from movements where occurred_at >= $1 ${scope ? `and ${touchesScope(scope, 1)}` : ''}`, [since, ...places]),
        balances: scope
          ? places.length === 0
            ? 0
            : await count(`select count(*) as n from balances where quantity <> 0 and location_id in (${marks(0)})`, places)
          : await count('select count(*) as n from balances where quantity <> 0'),
      },
    };
    await sink.header(header);
    const entityBatches = async function* (): AsyncGenerator<SnapshotBatch> {
      for (const kind of ENTITY_KINDS) {
        let after = '';
        for (;;) {
          const rows = await q.all<{ id: string; data: string; deleted: number }>(
            `select id, data, deleted from entities where kind = $1 ${inCopy(kind)} and id > $2 ${ofSite(kind, 4)} order by id limit $3`,
            [kind, after, page, ...siteParam(kind)],
          );
          const codes = rows.some((r) => Number(r.deleted)) ? await takenOf(kind) : undefined;
          if (rows.length > 0) yield { k: 'e', kind, ids: rows.map((r) => r.id), data: rows.map((r) => (Number(r.deleted) ? asWithdrawn(kind, r.id, r.data, now, codes) : r.data)) };
          if (rows.length < page) break;
          after = rows[rows.length - 1]!.id;
        }
      }
      for (let at = 0; at < travelling.length; at += page) {
        const rows = travelling.slice(at, at + page);
        yield { k: 'e', kind: 'individual', ids: rows.map((r) => r.id), data: rows.map((r) => r.data) };
      }
    };
    const movementBatches = async function* (): AsyncGenerator<SnapshotBatch> {
      let after = '';
      for (;;) {
        const rows = await q.all<MovementRow>(
          `select ${selectMovement()} from movements where occurred_at >= $1 and id > $2 ${scope ? `and ${touchesScope(scope, 3)}` : ''} order by id limit $3`,
          [since, after, page, ...places],
        );
        if (rows.length > 0) yield { k: 'm', rows: rows.map(encodeMovement) };
        if (rows.length < page) break;
        after = rows[rows.length - 1]!.id as string;
      }
    };
    if (interleaved) {
      // Master data is the register's heavier part to read and the station's lighter part to write,
      // movements the other way round: taken in turns, the two keep each other busy.
      const turns = [entityBatches(), movementBatches()];
      while (turns.length > 0)
        for (const turn of [...turns])
          for (let rows = 0; rows < 5 * page; ) {
            const next = await turn.next();
            if (next.done) {
              turns.splice(turns.indexOf(turn), 1);
              break;
            }
            rows += next.value.k === 'e' ? next.value.ids.length : next.value.rows.length;
            await sink.batch(next.value);
          }
    } else {
      for await (const b of entityBatches()) await sink.batch(b);
      for await (const b of movementBatches()) await sink.batch(b);
    }
    let key: [string, string, string] = ['', '', ''];
    for (;;) {
      if (scope && places.length === 0) break;
      const rows = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
        `select article_id, location_id, lot, quantity from balances
         where quantity <> 0 and (article_id > $1 or (article_id = $1 and (location_id > $2 or (location_id = $2 and lot > $3))))
         ${scope ? `and location_id in (${marks(4)})` : ''}
         order by article_id, location_id, lot limit $4`,
        [...key, page, ...places],
      );
      if (rows.length > 0) await sink.batch({ k: 'b', rows: rows.map((b) => [b.article_id, b.location_id, b.lot, Number(b.quantity)] as [string, string, string, number]) });
      if (rows.length < page) break;
      const l = rows[rows.length - 1]!;
      key = [l.article_id, l.location_id, l.lot];
    }
    return header;
  }, signal);
}

/**
 * A full copy in its first shape, for a station that does not ask for columns: JSON lines, the
 * header first, then `["e",kind,id,data]`, `["m",…tuple]` and `["b",article,location,lot,qty]`.
 * `write` may return a promise to hold the reading back.
 */
export function snapshotLines(ctx: RegisterContext, write: (line: string) => Promise<void> | void, signal?: AbortSignal): Promise<SnapshotHeader> {
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
  }, undefined, null, false, false, signal);
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

/**
 * Devices as the register holds them now, by id (those it has): for a depot whose new copy no
 * longer carries devices it held, so none of them stays as it last knew it.
 */
export async function devicesByIds(ctx: RegisterContext, ids: readonly string[]): Promise<EntityChange[]> {
  return ctx.db.read((q) => devicesAsTheyStand(q, ids));
}

/**
 * One device as the register holds it now, named by its individual number, UDI or maker's serial
 * number (null when none or more than one has it): for a depot whose own copy does not hold it.
 */
export async function deviceByCode(ctx: RegisterContext, code: string): Promise<EntityChange | null> {
  const f = (name: string) => field(ctx.db.dialect, name);
  return ctx.db.read(async (q) => {
    const rows = await q.all<{ id: string; data: string }>(
      `select id, data from entities where kind = 'individual' and deleted = 0 and (${f('individual_number')} = $1 or ${f('udi')} = $1 or ${f('serial_number')} = $1) limit 2`,
      [code],
    );
    return rows.length === 1 ? ['individual', rows[0]!.id, JSON.parse(rows[0]!.data) as Record<string, unknown>] : null;
  });
}
