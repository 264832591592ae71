/**
 * A station's push: its outbox entries applied in order, each exactly once, in one transaction
 * with the station's last-applied number. Each entry is judged first (register/checks.ts); one
 * that passes books its movements, moves stock, updates the individuals it moved (a conflict when
 * two stations moved one while offline, decided by occurred-at, then station id) and takes its
 * master data changes, all numbered by the `rev` counter for every station to pull.
 */
import { uuidv7 } from '../db/ids';
import type { IndividualStatus, LocationKind, MovementReason } from '../db/schema';
import { stateAfter, stateFromHistory, type DeviceState, type HistoryMovement } from '../db/stock/status';
import { decodeIndividual, decodeMovement, MOVEMENT_COLUMNS, MOVEMENT_FIELDS, type PushEntry, type PushResponse, type Rejection } from '../db/sync/wire';
import { checkEdits, checkMovements, type ArticleFacts, type Problem, type PushedEntry, type Taken } from './checks';
import { judgeQueue, namedBy } from './queue';
import type { RegisterContext, StationRecord } from './context';
import { PlaceRules, type EntityKind } from './entities';
import { insertRows, revs, selectIn } from './sql';
import type { Sql } from './store';

/** An individual as the register holds it (its entity's data). */
interface IndividualState {
  id: string;
  individual_number: string;
  article_id: string;
  serial_number: string | null;
  udi: string | null;
  status: IndividualStatus;
  site_id: string | null;
  location_id: string | null;
  /** When it last became ready on a shelf; null while it is anything but ready. */
  ready_since?: number | null;
  updated_at: number;
  /** Its latest loan: the order it went out on and when (current while on loan). */
  loan_order_ref?: string | null;
  loan_since?: number | null;
  /** The movement that put it where it is: [occurredAt, stationId, movementId, reason]. */
  last?: [number, string, string, string] | null;
}

/**
 * Applies a station's outbox entries in order, each exactly once, in one transaction with the
 * station's last-applied number. Entries already applied are acknowledged without effect; a
 * skipped number stops the batch there (`gap`); an entry that can never apply is recorded as
 * rejected and counts as handled.
 */
export async function push(ctx: RegisterContext, station: StationRecord, entries: readonly PushEntry[]): Promise<PushResponse> {
  const now = ctx.options.now();
  return ctx.db.changes(async (q) => {
    const r = await revs(q);
    const [s] = await q.all<{ last_applied: number }>('select last_applied from stations where id = $1', [station.id]);
    let last = Number(s!.last_applied);
    const rejected: Rejection[] = [];
    let gap = false;
    const todo: PushEntry[] = [];
    for (const entry of [...entries].sort((a, b) => a.n - b.n)) {
      if (entry.n <= last) continue;
      if (entry.n > last + 1) {
        gap = true;
        break;
      }
      todo.push(entry);
      last = entry.n;
    }
    if (todo.length > 0) await apply(ctx, q, station, todo, r.next, rejected, now);
    await q.run('update stations set last_applied = $1, last_seen_at = $2 where id = $3', [last, now, station.id]);
    await r.save();
    return gap ? { lastApplied: last, rejected, gap } : { lastApplied: last, rejected };
  });
}

async function apply(ctx: RegisterContext, q: Sql, station: StationRecord, entries: PushEntry[], nextRev: () => number, rejected: Rejection[], now: number): Promise<void> {
  const pushed: PushedEntry[] = entries.map((entry) => ({ entry, movements: entry.m.map(decodeMovement), individuals: entry.i.map(decodeIndividual) }));
  const all = pushed.flatMap((p) => p.movements);
  const articleIds = [...new Set(all.map((m) => m.articleId))];
  const locationIds = [...new Set(all.flatMap((m) => [m.fromLocationId, m.toLocationId]).filter((x): x is string => x !== null))];
  const individualIds = [...new Set(all.map((m) => m.individualId).filter((x): x is string => x !== null))];
  const articles = new Map<string, ArticleFacts>(
    (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'article' and deleted = 0 and id in (${m})`, articleIds)).map((a) => {
      const d = JSON.parse(a.data) as { rentable?: unknown };
      return [a.id, { individual: d.rentable === true || d.rentable === 1 }] as const;
    }),
  );
  const taken: Taken = {
    ids: new Set(
      (await selectIn<{ id: string }>(q, (m) => `select id from movements where id in (${m})`, [...new Set(all.map((m) => m.id))])).map((r) => r.id),
    ),
    seqs: new Set(
      (
        await selectIn<{ seq: number }>(
          q,
          (m) => `select seq from movements where station_id = $1 and seq in (${m})`,
          [...new Set(all.map((m) => m.seq).filter((n) => Number.isSafeInteger(n) && n > 0))],
          [station.id],
        )
      ).map((r) => Number(r.seq)),
    ),
    own: new Map(
      (
        await selectIn<{ id: string; individual_id: string | null }>(
          q,
          (m) => `select mv.id, mv.individual_id from movements mv join stations s on s.id = mv.station_id where s.site_id = $1 and mv.id in (${m})`,
          [...new Set(all.map((m) => m.reverses).filter((x): x is string => typeof x === 'string'))],
          [station.siteId],
        )
      ).map((r) => [r.id, r.individual_id]),
    ),
  };
  const locations = new Map(
    (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'location' and deleted = 0 and id in (${m})`, locationIds)).map((l) => {
      const d = JSON.parse(l.data) as { site_id: string; kind: LocationKind };
      return [l.id, d] as const;
    }),
  );
  const individuals = new Map<string, IndividualState>(
    (await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'individual' and id in (${m})`, individualIds)).map((i) => [
      i.id,
      JSON.parse(i.data) as IndividualState,
    ]),
  );
  // What the edited master data is now, so a station changes only its own site's (and the users an unlock names).
  const edited = [...new Set(entries.flatMap((e) => (e.e ?? []).flatMap(([kind, id, data]) => [id, ...namedBy(kind, data)])))].filter((id): id is string => typeof id === 'string');
  const stored = new Map(
    (await selectIn<{ kind: string; id: string; data: string }>(q, (m) => `select kind, id, data from entities where deleted = 0 and id in (${m})`, edited)).map((r) => [
      `${r.kind}\u0000${r.id}`,
      JSON.parse(r.data) as Record<string, unknown>,
    ]),
  );
  // Who already carries each badge a pushed user names (a badge names one user, region-wide).
  for (const [kind, , data] of entries.flatMap((e) => e.e ?? []))
    if (kind === 'user' && data && typeof data.badge_code === 'string' && /^U\d{4,6}$/.test(data.badge_code))
      for (const holder of await q.all<{ id: string }>("select id from entities where kind = 'user' and deleted = 0 and data like $1", [`%"badge_code":"${data.badge_code}"%`]))
        stored.set(`badge\u0000${data.badge_code}`, { user_id: holder.id });
  // Which article already carries each GTIN a station links (a GTIN names one article, region-wide).
  for (const [kind, id] of entries.flatMap((e) => e.e ?? []))
    if (kind === 'gtin_link' && typeof id === 'string' && /^\d{14}$/.test(id))
      for (const owner of await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'article' and deleted = 0 and data like $1", [`%"${id}"%`])) {
        stored.set(`article\u0000${owner.id}`, JSON.parse(owner.data) as Record<string, unknown>);
        if (((stored.get(`article\u0000${owner.id}`)!.gtins as unknown[]) ?? []).includes(id)) stored.set(`gtin\u0000${id}`, { article_id: owner.id });
      }
  // Which article already carries each number, GTIN and HIBC code a pushed article names, and
  // whether an article whose way of being counted changes has stock or devices anywhere.
  for (const [kind, id, data] of entries.flatMap((e) => e.e ?? [])) {
    if (kind !== 'article' || !data) continue;
    const codes = [
      ['article_number', data.article_number],
      ...(Array.isArray(data.gtins) ? data.gtins : []).map((g: unknown) => ['gtin', g]),
      ...(Array.isArray(data.hibc) ? data.hibc : []).map((h: unknown) => ['hibc', h]),
    ].filter((c): c is [string, string] => typeof c[1] === 'string' && /^[A-Za-z0-9._-]{1,32}$/.test(c[1]));
    for (const [what, code] of codes)
      for (const owner of await q.all<{ id: string; data: string }>("select id, data from entities where kind = 'article' and deleted = 0 and data like $1", [`%"${code}"%`])) {
        const d = JSON.parse(owner.data) as Record<string, unknown>;
        const has = what === 'article_number' ? d.article_number === code : ((d[what === 'gtin' ? 'gtins' : 'hibc'] as unknown[] | undefined) ?? []).includes(code);
        if (has) stored.set(`${what}\u0000${code}`, { article_id: owner.id });
      }
    if (typeof id === 'string' && stored.has(`article\u0000${id}`)) {
      const [stock] = await q.all<{ n: number }>(
        "select count(*) as n from (select 1 from balances where article_id = $1 and quantity <> 0 union all select 1 from entities where kind = 'individual' and data like $2) t",
        [id, `%"article_id":"${id}"%`],
      );
      if (Number(stock!.n) > 0) stored.set(`stock\u0000${id}`, {});
    }
  }
  // The register's rules for places (`PlaceRules`: a place stays at its site, withdrawn or not; a
  // code names one live place and scans as one; a place goes under one the register holds), judging
  // each entry's places as the entries before it left them.
  const placesOf = (entry: PushEntry) => (entry.e ?? []).flatMap(([kind, id, data]) => (kind === 'location' && typeof id === 'string' && data ? [{ id, data }] : []));
  const pushedPlaces = entries.flatMap(placesOf);
  const placeRules = pushedPlaces.length > 0 ? await PlaceRules.read(q) : null;
  const touched = new Set<string>();
  /** Each individual's movements booked by this push so far, for the rule that decides its state. */
  const booked = new Map<string, HistoryMovement[]>();
  const movementRows: unknown[][] = [];
  const deltas = new Map<string, [string, string, string, number]>();
  const flagged: { kind: EntityKind; id: string; data: Record<string, unknown> }[] = [];
  const edits = new Map<string, { kind: EntityKind; id: string; data: Record<string, unknown> | null }>();
  const addDelta = (article: string, location: string, lot: string, q: number) => {
    const key = `${article}\u0000${location}\u0000${lot}`;
    const d = deltas.get(key);
    if (d) d[3] += q;
    else deltas.set(key, [article, location, lot, q]);
  };

  const reject = (entry: PushEntry, problem: Problem) => {
    rejected.push({ n: entry.n, ...problem });
    flagged.push({ kind: 'rejection', id: `${station.id}:${entry.n}`, data: { id: `${station.id}:${entry.n}`, station_id: station.id, station_name: station.name, n: entry.n, code: problem.code, message: problem.message, movements: entry.m, at: now } });
  };

  for (const p of pushed) {
    const { entry } = p;
    const places = placesOf(entry);
    const placesWrong = new Map([...(placeRules && places.length > 0 ? placeRules.problems(places) : [])].map(([id, w]) => [id, w.words]));
    const problem = checkEdits(entry, station, stored, ctx.options.now, placesWrong) ?? checkMovements(p, station, articles, locations, individuals, taken, now);
    if (problem) {
      reject(entry, problem);
      continue;
    }
    const queue = judgeQueue(entry, station, stored, now);
    if ('code' in queue) {
      reject(entry, queue);
      continue;
    }
    for (const [kind, id, pushedData] of entry.e ?? []) {
      const data = queue.merged.get(`${kind}\u0000${id}`) ?? pushedData;
      edits.set(`${kind}\u0000${id}`, { kind: kind as EntityKind, id, data });
      if (data) stored.set(`${kind}\u0000${id}`, data);
      if (kind === 'user' && data && typeof data.badge_code === 'string') stored.set(`badge\u0000${data.badge_code}`, { user_id: id });
      if (kind === 'article' && data) {
        // Goods of a new article may be received in a later entry of the same push.
        articles.set(id, { individual: data.rentable === true || data.rentable === 1 });
        stored.set(`article_number\u0000${data.article_number as string}`, { article_id: id });
        for (const g of data.gtins as string[]) stored.set(`gtin\u0000${g}`, { article_id: id });
        for (const h of data.hibc as string[]) stored.set(`hibc\u0000${h}`, { article_id: id });
      }
      // A linked GTIN goes on its article, which every station pulls.
      if (kind === 'gtin_link' && data) {
        const articleId = data.article_id as string;
        const article = stored.get(`article\u0000${articleId}`)!;
        const withGtin = { ...article, gtins: [...new Set([...((article.gtins as string[] | undefined) ?? []), id])] };
        stored.set(`article\u0000${articleId}`, withGtin);
        stored.set(`gtin\u0000${id}`, { article_id: articleId });
        edits.set(`article\u0000${articleId}`, { kind: 'article', id: articleId, data: withGtin });
      }
    }
    flagged.push(...queue.flagged);
    placeRules?.written(places);
    const identities = new Map(p.individuals.map((i) => [i.id, i]));
    for (const m of p.movements) {
      taken.ids.add(m.id);
      taken.seqs.add(m.seq);
      taken.own.set(m.id, m.individualId);
      // The check above made sure the movement's station is the one pushing it.
      movementRows.push(MOVEMENT_FIELDS.map((f) => m[f]));
      const lot = m.lot ?? '';
      if (m.fromLocationId) addDelta(m.articleId, m.fromLocationId, lot, -m.quantity);
      if (m.toLocationId) addDelta(m.articleId, m.toLocationId, lot, m.quantity);
      const individualId = m.individualId;
      if (!individualId) continue;
      let ind = individuals.get(individualId);
      if (!ind) {
        const who = identities.get(individualId)!;
        ind = {
          id: who.id,
          individual_number: who.individualNumber,
          article_id: who.articleId,
          serial_number: who.serialNumber,
          udi: who.udi,
          status: 'in_stock',
          site_id: null,
          location_id: m.fromLocationId,
          updated_at: m.recordedAt,
          last: null,
        };
        individuals.set(individualId, ind);
      }
      const conflict = ind.location_id !== m.fromLocationId;
      const mine: [number, string, string, string] = [m.occurredAt, station.id, m.id, m.reason];
      const later = !ind.last || mine[0] > ind.last[0] || (mine[0] === ind.last[0] && mine[1] > ind.last[1]);
      if (conflict) {
        const id = uuidv7(now);
        flagged.push({
          kind: 'conflict',
          id,
          data: {
            id,
            individual_id: individualId,
            individual_number: ind.individual_number,
            movements: [ind.last?.[2] ?? null, m.id],
            stations: [ind.last?.[1] ?? null, station.id],
            kept: later ? m.id : (ind.last?.[2] ?? null),
            at: now,
          },
        });
      }
      const to = m.toLocationId ? locations.get(m.toLocationId)! : null;
      const mineSoFar = booked.get(individualId) ?? [];
      mineSoFar.push({ id: m.id, reason: m.reason as MovementReason, toKind: to?.kind ?? null, occurredAt: m.occurredAt, reverses: m.reverses });
      booked.set(individualId, mineSoFar);
      if (later || !conflict) {
        // The same rule as at the station: an undo puts it back as its movements still standing say.
        const state: DeviceState =
          m.reason === 'correction'
            ? stateFromHistory([...(await history(q, individualId)), ...mineSoFar])
            : stateAfter({ status: ind.status, readySince: ind.ready_since ?? null }, m.reason as MovementReason, to, m.occurredAt);
        ind.status = state.status;
        ind.ready_since = state.readySince;
        // Out to a patient: the loan it is on, kept with the device whatever its age.
        if (state.status === 'on_loan' && m.reason !== 'correction') {
          ind.loan_order_ref = m.orderRef;
          ind.loan_since = m.occurredAt;
        }
        ind.location_id = m.toLocationId;
        ind.site_id = to?.site_id ?? null;
        ind.updated_at = m.recordedAt;
        ind.last = later ? mine : ind.last;
      }
      touched.add(individualId);
    }
  }
  const changed = [
    ...edits.values(),
    ...[...touched].map((id) => ({ kind: 'individual' as const, id, data: individuals.get(id)! as unknown as Record<string, unknown> })),
    ...flagged,
  ];
  // What the movements refer to (a new device, a new location) is numbered before them, so a
  // station pulling in small pages never meets a movement before the things it names.
  await insertRows(
    q,
    'insert into entities (kind, id, data, rev, deleted)',
    5,
    changed.map((e) => [e.kind, e.id, JSON.stringify(e.data ?? {}), nextRev(), e.data === null ? 1 : 0]),
    'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = excluded.deleted',
  );
  // No `on conflict`: the check above keeps every id once, and a repeat must fail the push rather than count twice.
  await insertRows(q, `insert into movements (${MOVEMENT_COLUMNS.join(', ')}, rev)`, MOVEMENT_COLUMNS.length + 1, movementRows.map((row) => [...row, nextRev()]));
  await insertRows(
    q,
    'insert into balances (article_id, location_id, lot, quantity)',
    4,
    [...deltas.values()].filter((d) => d[3] !== 0),
    'on conflict (article_id, location_id, lot) do update set quantity = balances.quantity + excluded.quantity',
  );
}

/** An individual's movements the register holds, in the order they were recorded. */
async function history(q: Sql, individualId: string): Promise<HistoryMovement[]> {
  const rows = await q.all<{ id: string; reason: string; occurred_at: number; reverses: string | null; data: string | null }>(
    `select mv.id, mv.reason, mv.occurred_at, mv.reverses, e.data from movements mv left join entities e on e.kind = 'location' and e.id = mv.to_location_id
     where mv.individual_id = $1 order by mv.recorded_at, mv.station_id, mv.seq`,
    [individualId],
  );
  return rows.map((r) => ({
    id: r.id,
    reason: r.reason as MovementReason,
    toKind: r.data ? (JSON.parse(r.data) as { kind: LocationKind }).kind : null,
    occurredAt: Number(r.occurred_at),
    reverses: r.reverses,
  }));
}
