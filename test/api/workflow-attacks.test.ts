/**
 * Counting, the kiosk's basket and the workshop as sessions in the core, attacked through the
 * station's API: by a tired worker (the wrong label scanned, a second screen left open, a visit
 * walked away from) and by someone meaning harm (calls the screens never make, a session's saved
 * row edited behind the station's back). Each attack is refused in words for the worker (Swedish
 * and English) and changes nothing, or is harmless; the record never lies.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { Api } from '../../api/dispatch';
import type { StationDb } from '../../db/open';
import { putSetting } from '../../db/settings';
import type { Session } from '../../db/workflows/machines/session';
import type { WorkflowName, WorkflowView } from '../../db/workflows/machines/table';
import type { KioskState } from '../../db/workflows/machines/kiosk';
import type { ServiceSessionState } from '../../db/workflows/machines/service';
import { toScan } from '../../vocabulary/codes/scan';
import { callerFor, queries, receiveForTest, signedIn, tinyApi, type Caller } from '../helpers';

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

const IDLE_SECONDS = 60;

/** A tiny station through its API, on a clock of the test's own (sign-in sessions and the kiosk's idle time follow it). */
function station(kiosk = false) {
  const clock = { now: Date.now() };
  const t = tinyApi({ now: () => clock.now });
  stores.push(t.store);
  if (kiosk) putSetting(t.store, 'kiosk', { enabled: true, idleSeconds: IDLE_SECONDS });
  const q = queries(t.store);
  const siteId = q.one<{ id: string }>('select site_id as id from station').id;
  return { ...t, clock, q, siteId };
}

type Station = ReturnType<typeof station>;

/** One input to the caller's session of a workflow, and the view it answers with. */
async function send<W extends WorkflowName>(call: Caller, workflow: W, input: unknown): Promise<WorkflowView<W>> {
  const r = await call('workflow.input', { workflow, input } as never);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as WorkflowView<W>;
}

async function open<W extends WorkflowName>(call: Caller, workflow: W): Promise<WorkflowView<W>> {
  const r = await call('workflow.open', { workflow });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as WorkflowView<W>;
}

async function viewOf<W extends WorkflowName>(call: Caller, workflow: W): Promise<WorkflowView<W>> {
  const r = await call('workflow.state', { workflow });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value as WorkflowView<W>;
}

/** A scan typed by the keyboard-wedge scanner of the caller's own screen. */
async function wedge(call: Caller, raw: string) {
  const r = await call('scan.submit', { raw });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
}

/** A scan from the station's own (serial) scanner, with no screen's help. */
const serial = (api: Api, raw: string) => api.scanning.accept(toScan(raw, 'serial', '/dev/ttyS0')).workflow;

/** Refused in words for the worker: an error line, in Swedish and in English. */
function expectRefused(feedback: { kind: string; message: { sv: string; en: string } } | null | undefined) {
  expect(feedback).toMatchObject({ kind: 'error' });
  expect(feedback!.message.sv.length).toBeGreaterThan(5);
  expect(feedback!.message.en.length).toBeGreaterThan(5);
  expect(feedback!.message.sv).not.toBe(feedback!.message.en);
}

/** A refused call, in words for the worker. */
function expectCallRefused(r: { ok: boolean; error?: { code: string; message: { sv: string; en: string } } }, code?: string) {
  expect(r.ok).toBe(false);
  if (code) expect(r.error!.code).toBe(code);
  expect(r.error!.message.sv.length).toBeGreaterThan(5);
  expect(r.error!.message.en.length).toBeGreaterThan(5);
}

/** Everything a step could change: the ledger, balances, devices, the outbox, counts, the workshop's records. */
const snapshot = (s: StationDb) => {
  const q = queries(s);
  return {
    movements: q.one<{ n: number }>('select count(*) as n from movements').n,
    outbox: q.one<{ n: number }>('select count(*) as n from outbox').n,
    balances: q.all('select article_id, location_id, lot, quantity from balances order by 1, 2, 3'),
    individuals: q.all('select id, location_id, site_id, status from individuals order by id'),
    countLocations: q.all('select count_id, location_id, state, round, assignee, counted_by from count_locations order by 1, 2'),
    countScans: q.one<{ n: number }>('select count(*) as n from count_scans').n,
    jobs: q.all('select id, state, closed_at from service_jobs order by id'),
    workOrderEvents: q.one<{ n: number }>('select count(*) as n from work_order_events').n,
    washBatches: q.all('select id, closed_at from wash_batches order by id'),
  };
};

/** A session's saved row, edited behind the station's back (what only someone with the database in hand can do). */
function tamper<S>(s: StationDb, userId: string, workflow: WorkflowName, edit: (session: Session<S>) => void): void {
  const row = queries(s).one<{ session: string }>('select session from workflow_sessions where user_id = ? and workflow = ?', userId, workflow);
  const session = JSON.parse(row.session) as Session<S>;
  edit(session);
  s.sqlite.prepare('update workflow_sessions set session = ? where user_id = ? and workflow = ?').run(JSON.stringify(session), userId, workflow);
}

// ---------------------------------------------------------------------------------------------
// Counting

/** A shelf here with an article counted by quantity (more than two of it) on it, and that article. */
function countable(st: Station) {
  const loc = st.q.one<{ id: string; code: string }>(
    `select l.id, l.code from locations l where l.site_id = ? and l.retired_at is null
     and exists (select 1 from balances b join articles a on a.id = b.article_id where b.location_id = l.id and a.rentable = 0 and a.tracking = 'none' and b.quantity > 2) order by l.code limit 1`,
    st.siteId,
  );
  const art = st.q.one<{ id: string; number: string; q: number }>(
    `select a.id, a.article_number as number, b.quantity as q from balances b join articles a on a.id = b.article_id
     where b.location_id = ? and a.rentable = 0 and a.tracking = 'none' and b.quantity > 2 order by a.article_number limit 1`,
    loc.id,
  );
  return { loc, art };
}

/** A supervisor plans a count of the locations (any variance sends a location to a recount). */
async function planned(api: Api, locationIds: string[]) {
  const boss = await signedIn(api, 'supervisor');
  const r = await boss.call('count.plan', { kind: 'locations', locationIds });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { boss, count: r.value };
}

/** A counter signed in with the count open in their session. */
async function counter(api: Api, role: 'warehouse_worker' | 'depot_staff', countId: string) {
  const me = await signedIn(api, role);
  await open(me.call, 'count');
  await send(me.call, 'count', { kind: 'count', countId });
  return me;
}

const locationState = (st: Station, countId: string, locationId: string) =>
  st.q.one<{ state: string; round: number; countedBy: string | null; assignee: string | null }>(
    'select state, round, counted_by as countedBy, assignee from count_locations where count_id = ? and location_id = ?',
    countId,
    locationId,
  );

describe('counting, attacked', () => {
  it('takes no scan into a count cancelled while a location is being counted', async () => {
    const st = station();
    const { loc, art } = countable(st);
    const { boss, count } = await planned(st.api, [loc.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    await wedge(a.call, loc.code);
    await wedge(a.call, art.number);
    expect(await boss.call('count.cancel', { countId: count.id })).toMatchObject({ ok: true });
    const before = snapshot(st.store);
    await wedge(a.call, art.number);
    expectRefused((await viewOf(a.call, 'count')).feedback);
    await send(a.call, 'count', { kind: 'command', command: 'done' });
    expectRefused((await viewOf(a.call, 'count')).feedback);
    await send(a.call, 'count', { kind: 'command', command: 'undo' });
    expectRefused((await viewOf(a.call, 'count')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('takes no scan into an approved count, by a location scanned or chosen', async () => {
    const st = station();
    // A shelf with nothing on it: counted as empty, it agrees with the ledger, and the count is approved.
    const empty = st.q.one<{ id: string; code: string }>(
      `select l.id, l.code from locations l where l.site_id = ? and l.kind = 'shelf' and l.level = 'bin' and l.retired_at is null
       and not exists (select 1 from balances b where b.location_id = l.id and b.quantity <> 0) and not exists (select 1 from individuals i where i.location_id = l.id)
       order by l.code limit 1`,
      st.siteId,
    );
    const { art } = countable(st);
    const { boss, count } = await planned(st.api, [empty.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    await wedge(a.call, empty.code);
    await send(a.call, 'count', { kind: 'command', command: 'done' });
    expect(locationState(st, count.id, empty.id).state).toBe('counted');
    expect(await boss.call('count.approve', { countId: count.id, approve: 'all' })).toMatchObject({ ok: true });
    const before = snapshot(st.store);
    await wedge(a.call, empty.code);
    expectRefused((await viewOf(a.call, 'count')).feedback);
    await send(a.call, 'count', { kind: 'start', locationId: empty.id });
    expectRefused((await viewOf(a.call, 'count')).feedback);
    await wedge(a.call, art.number);
    expectRefused((await viewOf(a.call, 'count')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it("does not count a location of another site in this site's count, scanned or chosen", async () => {
    const st = station();
    const { loc } = countable(st);
    const foreign = st.q.one<{ id: string; code: string }>("select id, code from locations where site_id <> ? and kind = 'shelf' and retired_at is null order by code limit 1", st.siteId);
    const { count } = await planned(st.api, [loc.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    const before = snapshot(st.store);
    await send(a.call, 'count', { kind: 'start', locationId: foreign.id });
    let view = await viewOf(a.call, 'count');
    expectRefused(view.feedback);
    expect(view.state.at).toBeNull();
    await wedge(a.call, foreign.code);
    view = await viewOf(a.call, 'count');
    expectRefused(view.feedback);
    expect(view.state.at).toBeNull();
    expect(snapshot(st.store)).toEqual(before);
  });

  it('refuses a quantity read from a code beyond what one step may count', async () => {
    const st = station();
    const { loc } = countable(st);
    const gtin = st.q.one<{ gtin: string }>("select g.gtin from article_gtins g join articles a on a.id = g.article_id where a.rentable = 0 and a.tracking = 'none' order by g.gtin limit 1").gtin;
    const { count } = await planned(st.api, [loc.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    await wedge(a.call, loc.code);
    const before = snapshot(st.store);
    await wedge(a.call, `(01)${gtin}(30)99999999`);
    expectRefused((await viewOf(a.call, 'count')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('does not let a counter begin a location the supervisor gave to another counter', async () => {
    const st = station();
    const { loc } = countable(st);
    const { boss, count } = await planned(st.api, [loc.id]);
    const a = await signedIn(st.api, 'warehouse_worker');
    expect(await boss.call('count.assign', { countId: count.id, locationIds: [loc.id], userId: a.user.id })).toMatchObject({ ok: true, value: { assigned: 1 } });
    const b = await counter(st.api, 'depot_staff', count.id);
    // Not on their list…
    const listed = await b.call('count.get', { countId: count.id });
    expect(listed).toMatchObject({ ok: true, value: { locations: [{ locationId: loc.id, mine: false }] } });
    // …and not theirs by a scan either.
    const before = snapshot(st.store);
    await wedge(b.call, loc.code);
    const view = await viewOf(b.call, 'count');
    expect(locationState(st, count.id, loc.id)).toMatchObject({ state: 'open', assignee: a.user.id });
    expect(view.state.at).toBeNull();
    expectRefused(view.feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('does not let another counter take over and finish a location someone is counting', async () => {
    const st = station();
    const { loc, art } = countable(st);
    const { count } = await planned(st.api, [loc.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    await wedge(a.call, loc.code);
    await wedge(a.call, art.number); // one of several: half-way through the shelf
    const b = await counter(st.api, 'depot_staff', count.id);
    const before = snapshot(st.store);
    await send(b.call, 'count', { kind: 'start', locationId: loc.id });
    await send(b.call, 'count', { kind: 'command', command: 'done' });
    // Finished by B, the location's recount would fall to A, who counted it.
    expect(locationState(st, count.id, loc.id)).toMatchObject({ state: 'counting', countedBy: null });
    expectRefused((await viewOf(b.call, 'count')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('keeps the first counter out of the recount of their location, by the list or by a scan', async () => {
    const st = station();
    const { loc, art } = countable(st);
    const { count } = await planned(st.api, [loc.id]);
    const a = await counter(st.api, 'warehouse_worker', count.id);
    await wedge(a.call, loc.code);
    await wedge(a.call, art.number); // one, where there are more: a variance
    await send(a.call, 'count', { kind: 'command', command: 'done' });
    expect(locationState(st, count.id, loc.id)).toMatchObject({ state: 'recount', countedBy: a.user.id });
    // Another counter begins the recount.
    const b = await counter(st.api, 'depot_staff', count.id);
    await wedge(b.call, loc.code);
    expect(locationState(st, count.id, loc.id).state).toBe('recounting');
    const before = snapshot(st.store);
    // The first counter chooses it on the list, scans what they counted before, and presses Klar.
    const chosen = await send(a.call, 'count', { kind: 'start', locationId: loc.id });
    expectRefused(chosen.feedback);
    expect(chosen.state.at).toBeNull();
    await wedge(a.call, loc.code);
    await wedge(a.call, art.number);
    await send(a.call, 'count', { kind: 'command', command: 'done' });
    expect(st.q.one<{ n: number }>('select count(*) as n from count_scans where count_id = ? and user_id = ? and round = 2', count.id, a.user.id).n).toBe(0);
    expect(locationState(st, count.id, loc.id)).toMatchObject({ state: 'recounting', countedBy: a.user.id });
    expect(snapshot(st.store)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// The kiosk

const badgeOf = (st: Station, role: string, n = 0) =>
  st.q.one<{ b: string }>('select badge_code as b from users where role = ? and active = 1 order by badge_code limit 1 offset ?', role, n).b;
const userOfBadge = (st: Station, badge: string) => st.q.one<{ id: string }>('select id from users where badge_code = ?', badge).id;

/** A badge at the kiosk: a caller bound to the kiosk session it opens, with the basket open. */
async function atKiosk(api: Api, badge: string) {
  const r = await api.call({ name: 'kiosk.start', input: { badge } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const call = callerFor(api, (r.value as { session: string }).session);
  await open(call, 'kiosk');
  return call;
}

/** Supplies this depot keeps on its shelves (the most of), with their article number. */
const suppliesHere = (st: Station) =>
  st.q.one<{ articleId: string; number: string; q: number; locationId: string }>(
    `select b.article_id as articleId, a.article_number as number, sum(b.quantity) as q, max(b.location_id) as locationId
     from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.tracking = 'none' and a.rentable = 0 group by b.article_id order by q desc limit 1`,
    st.siteId,
  );

/** Other supplies here (not the ones above). */
const otherSuppliesHere = (st: Station, not: string) =>
  st.q.one<{ articleId: string; number: string }>(
    `select b.article_id as articleId, a.article_number as number from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.tracking = 'none' and a.rentable = 0 and b.quantity > 0 and a.id <> ? order by a.article_number limit 1`,
    st.siteId,
    not,
  );

/** The basket as its row in the station keeps it (whoever's screen is gone). */
const basketOf = (st: Station, userId: string) => {
  const row = st.q.maybe<{ session: string }>("select session from workflow_sessions where user_id = ? and workflow = 'kiosk'", userId);
  return row ? (JSON.parse(row.session) as Session<KioskState>).state : null;
};

const movementsBy = (st: Station, userId: string) => st.q.one<{ n: number }>('select count(*) as n from movements where user_id = ?', userId).n;

describe("the kiosk's basket, attacked", () => {
  it('is not used by a staff session signed in by PIN', async () => {
    const st = station(true);
    const { articleId } = suppliesHere(st);
    const worker = await signedIn(st.api, 'warehouse_worker');
    const before = snapshot(st.store);
    expectCallRefused(await worker.call('workflow.open', { workflow: 'kiosk' }), 'workflow.forbidden');
    expectCallRefused(await worker.call('workflow.input', { workflow: 'kiosk', input: { kind: 'orderRef', ref: 'KST-4711' } }), 'workflow.forbidden');
    expectCallRefused(await worker.call('workflow.input', { workflow: 'kiosk', input: { kind: 'command', command: 'done' } }), 'workflow.forbidden');
    expectCallRefused(await worker.call('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }] }), 'kiosk.badge_only');
    expect(snapshot(st.store)).toEqual(before);
    expect(st.q.maybe("select 1 from workflow_sessions where workflow = 'kiosk'")).toBeUndefined();
  });

  it("opens no other workflow for a badge at the kiosk, even a supervisor's", async () => {
    const st = station(true);
    const { loc } = countable(st);
    const kiosk = await atKiosk(st.api, badgeOf(st, 'supervisor'));
    const before = snapshot(st.store);
    for (const workflow of ['count', 'service', 'receipt', 'move'] as const) {
      expectCallRefused(await kiosk('workflow.open', { workflow }), 'workflow.forbidden');
      expectCallRefused(await kiosk('workflow.input', { workflow, input: { kind: 'command', command: 'done' } }), 'workflow.forbidden');
    }
    expectCallRefused(await kiosk('workflow.input', { workflow: 'count', input: { kind: 'start', locationId: loc.id } }), 'workflow.forbidden');
    // A command card, from the kiosk's wedge or its scanner, opens nothing; the scan submit of the staff screens is not the kiosk's.
    expect(await kiosk('kiosk.scan', { raw: 'CMD-SERVICE' })).toMatchObject({ ok: true, value: { workflow: null } });
    expect(serial(st.api, 'CMD-MOVE')).toBeNull();
    expectCallRefused(await kiosk('scan.submit', { raw: loc.code }), 'auth.forbidden');
    expect(st.q.all("select workflow from workflow_sessions where workflow <> 'kiosk'")).toEqual([]);
    expect(snapshot(st.store)).toEqual(before);
  });

  it("keeps two visitors' baskets apart: the second badge's scans and KLAR never touch the first one's", async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const y = otherSuppliesHere(st, x.articleId);
    const first = badgeOf(st, 'prescriber', 0);
    const second = badgeOf(st, 'prescriber', 1);
    const a = await atKiosk(st.api, first);
    expect(serial(st.api, x.number)).toBe('kiosk');
    // A walks away without KLAR; B badges a few seconds later.
    st.clock.now += 5000;
    const b = await atKiosk(st.api, second);
    expect((await viewOf(b, 'kiosk')).state.lines).toEqual([]);
    expect(serial(st.api, y.number)).toBe('kiosk');
    await send(b, 'kiosk', { kind: 'orderRef', ref: 'KST-4711' });
    expect(serial(st.api, 'CMD-DONE')).toBe('kiosk');
    expect((await viewOf(b, 'kiosk')).state).toMatchObject({ lines: [], registered: 1 });
    expect(st.q.all('select article_id as articleId, user_id as userId, order_ref as ref from movements where user_id in (?, ?)', userOfBadge(st, first), userOfBadge(st, second))).toEqual([
      { articleId: y.articleId, userId: userOfBadge(st, second), ref: 'KST-4711' },
    ]);
    // A's basket (kept, or gone with A's visit) was neither registered nor added to.
    expect(basketOf(st, userOfBadge(st, first))?.lines.map((l) => l.articleId) ?? []).not.toContain(y.articleId);
    // A's next visit starts with an empty basket.
    await a('kiosk.finish', {});
    const again = await atKiosk(st.api, first);
    expect((await viewOf(again, 'kiosk')).state.lines).toEqual([]);
  });

  it("ends the previous visit at the next badge: a leftover screen of the first visitor does not win the kiosk's scanner back", async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const y = otherSuppliesHere(st, x.articleId);
    const first = badgeOf(st, 'prescriber', 0);
    const second = badgeOf(st, 'prescriber', 1);
    const a = await atKiosk(st.api, first);
    expect(serial(st.api, x.number)).toBe('kiosk');
    st.clock.now += 5000;
    const b = await atKiosk(st.api, second);
    // The first visitor's screen, left open (a tab, a window that was not closed), reports a touch.
    st.clock.now += 1000;
    const leftover = await a('kiosk.touch', {});
    // B scans and registers with the kiosk's scanner.
    expect(serial(st.api, y.number)).toBe('kiosk');
    await send(b, 'kiosk', { kind: 'orderRef', ref: 'KST-4711' });
    serial(st.api, 'CMD-DONE');
    expect(basketOf(st, userOfBadge(st, first))?.lines.map((l) => l.articleId) ?? []).not.toContain(y.articleId);
    expect(movementsBy(st, userOfBadge(st, first))).toBe(0);
    expect(st.q.all('select article_id as articleId from movements where user_id = ?', userOfBadge(st, second))).toEqual([{ articleId: y.articleId }]);
    expectCallRefused(leftover, 'auth.signed_out');
  });

  it('ends a visit finished by KLAR-less kiosk.finish: the scanner fills no basket, and the next badge starts empty', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const badge = badgeOf(st, 'prescriber');
    const a = await atKiosk(st.api, badge);
    expect(serial(st.api, x.number)).toBe('kiosk');
    expect(await a('kiosk.finish', {})).toMatchObject({ ok: true });
    expect(basketOf(st, userOfBadge(st, badge))).toBeNull();
    const before = snapshot(st.store);
    expect(serial(st.api, x.number)).toBeNull();
    expect(serial(st.api, 'CMD-DONE')).toBeNull();
    expectCallRefused(await a('workflow.input', { workflow: 'kiosk', input: { kind: 'command', command: 'done' } }), 'auth.signed_out');
    expect(snapshot(st.store)).toEqual(before);
    const b = await atKiosk(st.api, badgeOf(st, 'prescriber', 1));
    expect((await viewOf(b, 'kiosk')).state.lines).toEqual([]);
  });

  it("ends a visit by the kiosk's idle time for good: raising the idle time afterwards does not bring it back", async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const first = userOfBadge(st, badgeOf(st, 'prescriber'));
    const a = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    expect(serial(st.api, x.number)).toBe('kiosk');
    // A walks away; the kiosk's idle time passes with nobody there.
    st.clock.now += (IDLE_SECONDS + 30) * 1000;
    expect(serial(st.api, x.number)).toBeNull();
    // A supervisor gives the kiosk a longer idle time.
    const boss = await signedIn(st.api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: true, idleSeconds: 600 })).toMatchObject({ ok: true });
    // The next person scans before badging: nothing lands in A's basket, nothing is registered in A's name.
    const before = snapshot(st.store);
    const fed = [serial(st.api, x.number), serial(st.api, 'KO-0000001'), serial(st.api, 'CMD-DONE')];
    expect(fed).toEqual([null, null, null]);
    expect(movementsBy(st, first)).toBe(0);
    expect(snapshot(st.store)).toEqual(before);
    expectCallRefused(await a('kiosk.touch', {}), 'auth.signed_out');
  });

  it('ends a visit when the station leaves kiosk mode, for good: turning kiosk mode on again does not bring it back', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const first = userOfBadge(st, badgeOf(st, 'prescriber'));
    const a = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    expect(serial(st.api, x.number)).toBe('kiosk');
    const boss = await signedIn(st.api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: false, idleSeconds: IDLE_SECONDS })).toMatchObject({ ok: true });
    expect(await boss.call('kiosk.configure', { enabled: true, idleSeconds: IDLE_SECONDS })).toMatchObject({ ok: true });
    const before = snapshot(st.store);
    const fed = [serial(st.api, x.number), serial(st.api, 'KO-0000001'), serial(st.api, 'CMD-DONE')];
    expect(fed).toEqual([null, null, null]);
    expect(movementsBy(st, first)).toBe(0);
    expect(snapshot(st.store)).toEqual(before);
    expectCallRefused(await a('kiosk.touch', {}), 'auth.signed_out');
  });

  it('registers nothing when the basket holds a device not ready here, reserved, or at another depot', async () => {
    const st = station(true);
    const device = (status: string, here: boolean) =>
      st.q.one<{ n: string }>(
        'select i.individual_number as n from individuals i join locations l on l.id = i.location_id where i.status = ? and (l.site_id = ?) = ? order by i.id limit 1',
        status,
        st.siteId,
        here ? 1 : 0,
      ).n;
    const kiosk = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    await send(kiosk, 'kiosk', { kind: 'orderRef', ref: 'KST-4711' });
    for (const n of [device('in_cleaning', true), device('reserved', true), device('in_stock', false)]) {
      expect(serial(st.api, n)).toBe('kiosk');
      const before = snapshot(st.store);
      expect(serial(st.api, 'CMD-DONE')).toBe('kiosk');
      const view = await viewOf(kiosk, 'kiosk');
      expectRefused(view.feedback);
      expect({ n, registered: view.state.registered }).toEqual({ n, registered: null });
      expect(snapshot(st.store)).toEqual(before);
      await send(kiosk, 'kiosk', { kind: 'command', command: 'undo' });
    }
  });

  it('holds at most 200 lines: the 201st is refused in words, and the basket stays as it was', async () => {
    const st = station(true);
    // A catalogue larger than the tiny one: 201 more supplies, copies of one with numbers of their own.
    const cols = (st.store.sqlite.pragma('table_info(articles)') as { name: string }[]).map((c) => c.name);
    const template = suppliesHere(st).articleId;
    const copy = st.store.sqlite.prepare(
      `insert into articles (${cols.join(', ')}) select ${cols.map((c) => (c === 'id' ? '@id' : c === 'article_number' ? '@number' : c)).join(', ')} from articles where id = @template`,
    );
    const numbers = Array.from({ length: 201 }, (_, i) => `A${String(700_000 + i)}`);
    expect(st.q.one<{ n: number }>("select count(*) as n from articles where article_number like 'A7%'").n).toBe(0);
    for (const [i, n] of numbers.entries()) copy.run({ id: `attack-article-${i}`, number: n, template });
    const kiosk = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    for (const n of numbers.slice(0, 200)) expect(serial(st.api, n)).toBe('kiosk');
    expect((await viewOf(kiosk, 'kiosk')).state.lines).toHaveLength(200);
    expect(serial(st.api, numbers[200]!)).toBe('kiosk');
    const view = await viewOf(kiosk, 'kiosk');
    expectRefused(view.feedback);
    expect(view.state.lines).toHaveLength(200);
    expect(view.state.lines.some((l) => l.articleId === 'attack-article-200')).toBe(false);
  });

  it('takes no quantity outside its bounds from the touch screen: negative, NaN, fractions, infinite, over the limit', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const d = st.q.one<{ id: string; n: string }>(
      "select i.id, i.individual_number as n from individuals i join locations l on l.id = i.location_id where i.status = 'in_stock' and l.site_id = ? order by i.id limit 1",
      st.siteId,
    );
    const kiosk = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    serial(st.api, x.number);
    serial(st.api, d.n);
    const lines = async () => (await viewOf(kiosk, 'kiosk')).state.lines.map((l) => [l.key, l.quantity]);
    expect(await lines()).toEqual([[x.articleId, 1], [d.id, 1]]);
    for (const quantity of [-1, Number.NaN, 1.5, Number.POSITIVE_INFINITY, 10_001, 1e300])
      expectCallRefused(await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'line', key: x.articleId, quantity } }), 'api.invalid_input');
    expectCallRefused(await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'line', key: x.articleId, quantity: '5' } } as never), 'api.invalid_input');
    expectCallRefused(await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'line', key: 'x'.repeat(65), quantity: 1 } }), 'api.invalid_input');
    expect(await lines()).toEqual([[x.articleId, 1], [d.id, 1]]);
    // A device is one, whatever is typed; the most of an article is the kiosk's limit, and the register's stock decides the rest.
    await send(kiosk, 'kiosk', { kind: 'line', key: d.id, quantity: 7 });
    await send(kiosk, 'kiosk', { kind: 'line', key: x.articleId, quantity: 10_000 });
    expect(await lines()).toEqual([[x.articleId, 10_000], [d.id, 1]]);
    await send(kiosk, 'kiosk', { kind: 'orderRef', ref: 'KST-4711' });
    const before = snapshot(st.store);
    expect(x.q).toBeLessThan(10_000);
    const view = await send(kiosk, 'kiosk', { kind: 'command', command: 'done' });
    expectRefused(view.feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('refuses an order reference too long for the record, and nothing is registered', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const kiosk = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    serial(st.api, x.number);
    const before = snapshot(st.store);
    expectCallRefused(await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'orderRef', ref: 'K'.repeat(10_000) } }), 'api.invalid_input');
    expectCallRefused(await kiosk('kiosk.scan', { raw: `KO-${'1'.repeat(5000)}` }), 'api.invalid_input');
    expect((await viewOf(kiosk, 'kiosk')).state.orderRef).toBe('');
    expect(serial(st.api, 'CMD-DONE')).toBe('kiosk');
    expectRefused((await viewOf(kiosk, 'kiosk')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('keeps an order reference as text a person can read: control and direction-override characters are refused, Swedish letters kept', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const kiosk = await atKiosk(st.api, badgeOf(st, 'prescriber'));
    for (const ref of ['KST\u00004711', 'KST-4711\nKST-9999', 'KST-\u202e1174', 'KST-4711\u200b']) {
      serial(st.api, x.number);
      const before = snapshot(st.store);
      const typed = await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'orderRef', ref } });
      if (typed.ok) {
        const view = await send(kiosk, 'kiosk', { kind: 'command', command: 'done' });
        expect({ ref, feedback: view.feedback?.kind }).toEqual({ ref, feedback: 'error' });
        expectRefused(view.feedback);
      } else expectCallRefused(typed);
      expect({ ref, movements: snapshot(st.store).movements }).toEqual({ ref, movements: before.movements });
      await send(kiosk, 'kiosk', { kind: 'command', command: 'cancel' });
    }
    // Text typed in decomposed form is kept composed, as the register and the audit chain read it.
    serial(st.api, x.number);
    await send(kiosk, 'kiosk', { kind: 'orderRef', ref: 'Kostnadsställe O\u0308verkalix 4711' });
    expect((await send(kiosk, 'kiosk', { kind: 'command', command: 'done' })).state.registered).toBe(1);
    expect(st.q.all('select order_ref as ref from movements where user_id = ?', userOfBadge(st, badgeOf(st, 'prescriber')))).toEqual([{ ref: 'Kostnadsställe Överkalix 4711' }]);
  });

  it('posts nothing from a tampered basket that the kiosk call itself refuses: 201 lines', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    receiveForTest(st.store, x.articleId, x.locationId, 500);
    const badge = badgeOf(st, 'prescriber');
    const kiosk = await atKiosk(st.api, badge);
    serial(st.api, x.number);
    const line = (await viewOf(kiosk, 'kiosk')).state.lines[0]!;
    const lines = Array.from({ length: 201 }, () => ({ articleId: x.articleId, quantity: 1 }));
    // The kiosk's own call takes at most 200 lines.
    expectCallRefused(await kiosk('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines }), 'api.invalid_input');
    tamper<KioskState>(st.store, userOfBadge(st, badge), 'kiosk', (s) => {
      s.state.lines = Array.from({ length: 201 }, () => ({ ...line, quantity: 1 }));
      s.state.orderRef = 'KST-4711';
    });
    const before = snapshot(st.store);
    expect(serial(st.api, 'CMD-DONE')).toBe('kiosk');
    expectRefused((await viewOf(kiosk, 'kiosk')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('posts nothing from a tampered basket that the kiosk call itself refuses: a 10 kB order reference', async () => {
    const st = station(true);
    const x = suppliesHere(st);
    const badge = badgeOf(st, 'prescriber');
    const kiosk = await atKiosk(st.api, badge);
    serial(st.api, x.number);
    const huge = `KST-${'4'.repeat(10_000)}`;
    expectCallRefused(await kiosk('kiosk.withdraw', { direction: 'take', orderRef: huge, lines: [{ articleId: x.articleId, quantity: 1 }] }), 'api.invalid_input');
    tamper<KioskState>(st.store, userOfBadge(st, badge), 'kiosk', (s) => {
      s.state.orderRef = huge;
    });
    const before = snapshot(st.store);
    expect(serial(st.api, 'CMD-DONE')).toBe('kiosk');
    expectRefused((await viewOf(kiosk, 'kiosk')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it("reverses nothing by an undo planted in a visitor's saved basket: the kiosk has no undo of what was registered", async () => {
    const st = station(true);
    const x = suppliesHere(st);
    // Someone else's withdrawal, registered at the kiosk.
    const other = await atKiosk(st.api, badgeOf(st, 'prescriber', 1));
    const taken = await other('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId: x.articleId, quantity: 2 }] });
    if (!taken.ok) throw new Error(JSON.stringify(taken.error));
    await other('kiosk.finish', {});
    const badge = badgeOf(st, 'prescriber', 0);
    const kiosk = await atKiosk(st.api, badge);
    // The direct way is closed to a kiosk session…
    expectCallRefused(await kiosk('workflow.undo', { movementIds: taken.value.movementIds }), 'auth.forbidden');
    // …and a planted undo entry opens no other.
    tamper<KioskState>(st.store, userOfBadge(st, badge), 'kiosk', (s) => {
      s.undo = [{ effect: { kind: 'undo', movementIds: taken.value.movementIds } }];
    });
    const before = snapshot(st.store);
    expect(serial(st.api, 'CMD-UNDO')).toBe('kiosk');
    await send(kiosk, 'kiosk', { kind: 'command', command: 'undo' });
    expect(snapshot(st.store)).toEqual(before);
    expect(st.q.one<{ n: number }>("select count(*) as n from movements where reason = 'correction'").n).toBe(0);
  });
});

// ---------------------------------------------------------------------------------------------
// The workshop

type ServiceView = WorkflowView<'service'>;

/** A workshop: devices just back from patients (their jobs open), a technician with the workshop open, a spare part in the store. */
async function workshop(devices = 1) {
  const st = station();
  const worker = await signedIn(st.api, 'warehouse_worker');
  const back = st.q.all<{ id: string; n: string; articleId: string }>(
    "select i.id, i.individual_number as n, i.article_id as articleId from individuals i where i.status = 'on_loan' and i.location_id is null order by i.individual_number limit ?",
    devices,
  );
  for (const d of back) expect(await worker.call('returns.receive', { individualId: d.id, missing: [], priority: 'urgent' })).toMatchObject({ ok: true });
  await worker.call('auth.signOut', {});
  const tech = await signedIn(st.api, 'technician');
  await open(tech.call, 'service');
  const part = st.q.one<{ id: string; gtin: string; locationId: string }>(
    `select a.id, g.gtin, b.location_id as locationId from articles a join article_gtins g on g.article_id = a.id join balances b on b.article_id = a.id
     join locations l on l.id = b.location_id where l.kind = 'spare_parts' and l.site_id = ? and a.rentable = 0 and a.tracking = 'none' order by b.quantity desc limit 1`,
    st.siteId,
  );
  const balance = () => st.q.one<{ n: number }>('select quantity as n from balances where article_id = ? and location_id = ?', part.id, part.locationId).n;
  return { st, tech, devices: back, part, balance };
}

/** The device washed and inspected, passed, so that the next step is its release. */
async function inspected(tech: Caller, n: string): Promise<ServiceView> {
  await wedge(tech, n);
  await send(tech, 'service', { kind: 'serviceStep', action: { kind: 'send_to_cleaning' } });
  const cleaned = await send(tech, 'service', { kind: 'serviceStep', action: { kind: 'clean' } });
  const answers = (cleaned.state.job?.checklist?.questions ?? []).map((q) => ({ questionId: q.id, ok: true }));
  const view = await send(tech, 'service', { kind: 'serviceStep', action: { kind: 'inspect', passed: true }, answers });
  expect(view.state.job?.job?.state).toBe('inspected');
  return view;
}

/** A field work order (a municipality's device) open in the technician's session. */
async function fieldOrder(tech: Caller) {
  const r = await tech('workorder.open', { origin: 'municipality', device: 'Duschpall, kommunens', owner: 'Luleå kommun', priority: 'urgent', fault: 'Ett ben glappar' });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  await send(tech, 'service', { kind: 'serviceWorkOrder', workOrderId: r.value.id });
  return r.value;
}

describe('the workshop, attacked', () => {
  it('does not release a device onto a shelf of another site: it waits for a shelf here', async () => {
    const { st, tech, devices } = await workshop();
    const d = devices[0]!;
    await inspected(tech.call, d.n);
    await send(tech.call, 'service', { kind: 'serviceStep', action: { kind: 'release' } });
    const foreign = st.q.one<{ code: string }>("select code from locations where site_id <> ? and kind = 'shelf' and retired_at is null order by code limit 1", st.siteId);
    const before = snapshot(st.store);
    await wedge(tech.call, foreign.code);
    const view = await viewOf(tech.call, 'service');
    expectRefused(view.feedback);
    expect(view.state).toMatchObject({ awaitingShelf: true, individual: { id: d.id }, job: { job: { state: 'inspected' } } });
    expect(snapshot(st.store)).toEqual(before);
  });

  it('does not release a clean, inspected device among the dirty returns, into the wash or out to dispatch', async () => {
    const { st, tech, devices } = await workshop();
    const d = devices[0]!;
    await inspected(tech.call, d.n);
    for (const kind of ['returns', 'cleaning', 'dispatch', 'quarantine']) {
      await send(tech.call, 'service', { kind: 'serviceStep', action: { kind: 'release' } });
      const zone = st.q.one<{ code: string }>('select code from locations where site_id = ? and kind = ? and retired_at is null order by code limit 1', st.siteId, kind);
      const before = snapshot(st.store);
      await wedge(tech.call, zone.code);
      const view = await viewOf(tech.call, 'service');
      expect({ kind, job: st.q.one('select state, closed_at is null as open from service_jobs where individual_id = ? order by arrived_at desc limit 1', d.id) }).toEqual({
        kind,
        job: { state: 'inspected', open: 1 },
      });
      expectRefused(view.feedback);
      expect(snapshot(st.store)).toEqual(before);
    }
  });

  it('takes out no spare part for a work order closed meanwhile at another screen', async () => {
    const { st, tech, part, balance } = await workshop();
    const wo = await fieldOrder(tech.call);
    await wedge(tech.call, part.gtin);
    const start = balance();
    const other = await signedIn(st.api, 'technician');
    expect(await other.call('workorder.close', { workOrderId: wo.id, actions: 'Benet bytt' })).toMatchObject({ ok: true });
    const before = snapshot(st.store);
    await wedge(tech.call, part.gtin);
    const view = await viewOf(tech.call, 'service');
    expectRefused(view.feedback);
    expect(view.state.workOrder).toBeNull();
    expect(balance()).toBe(start);
    expect(snapshot(st.store)).toEqual(before);
    // Nor by a session whose row names the closed order again.
    tamper<ServiceSessionState>(st.store, tech.user.id, 'service', (s) => {
      s.state.workOrder = { id: wo.id, number: wo.number };
    });
    await wedge(tech.call, part.gtin);
    expectRefused((await viewOf(tech.call, 'service')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('puts a spare part back once only, however many undo entries say so', async () => {
    const { st, tech, part, balance } = await workshop();
    await fieldOrder(tech.call);
    const start = balance();
    await wedge(tech.call, part.gtin);
    expect(balance()).toBe(start - 1);
    tamper<ServiceSessionState>(st.store, tech.user.id, 'service', (s) => {
      s.undo = [s.undo[0]!, s.undo[0]!];
    });
    await send(tech.call, 'service', { kind: 'command', command: 'undo' });
    expect(balance()).toBe(start);
    const before = snapshot(st.store);
    const view = await send(tech.call, 'service', { kind: 'command', command: 'undo' });
    expectRefused(view.feedback);
    expect(balance()).toBe(start);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('changes nothing when a stale second screen sends CMD-UNDO for a part already put back at the first', async () => {
    const { st, tech, part, balance } = await workshop();
    const wo = await fieldOrder(tech.call);
    const start = balance();
    await wedge(tech.call, part.gtin);
    const taken = (await viewOf(tech.call, 'service')).state.workOrderView!.parts[0]!;
    // The first screen puts the part back by the order's own button.
    expect(await tech.call('workorder.returnPart', { workOrderId: wo.id, movementId: taken.movementId })).toMatchObject({ ok: true });
    expect(balance()).toBe(start);
    // The second screen, still showing the part taken out, presses undo.
    const second = await signedIn(st.api, 'technician');
    const before = snapshot(st.store);
    const view = await send(second.call, 'service', { kind: 'command', command: 'undo' });
    expectRefused(view.feedback);
    expect(balance()).toBe(start);
    expect(snapshot(st.store)).toEqual(before);
  });

  it("never carries out a stale second screen's step on another device than the one it showed", async () => {
    const { st, tech, devices } = await workshop(2);
    const [x, y] = [devices[0]!, devices[1]!];
    const second = await signedIn(st.api, 'technician');
    await wedge(tech.call, x.n);
    // The second screen shows X, with its steps (scrap among them).
    const shown = await viewOf(second.call, 'service');
    expect(shown.state.individual?.id).toBe(x.id);
    expect(shown.state.job?.actions.map((a) => a.kind)).toContain('scrap');
    // Meanwhile the station's scanner reads Y.
    expect(serial(st.api, y.n)).toBe('service');
    // The second screen scraps what it shows: a screen sends the state it showed with the step, and the core sees it is behind.
    const late = await second.call('workflow.input', { workflow: 'service', input: { kind: 'serviceStep', action: { kind: 'scrap' }, scrap: { reason: 'Ramen sprucken', disposal: 'metal_recycling' } }, seen: shown.rev });
    expect(late).toMatchObject({ ok: false, error: { code: 'workflow.stale' } });
    expect(st.q.one('select status from individuals where id = ?', y.id)).not.toEqual({ status: 'scrapped' });
    expect(st.q.one('select state from service_jobs where individual_id = ? order by arrived_at desc limit 1', y.id)).toEqual({ state: 'returned' });
  });

  it('does nothing the direct calls refuse from a tampered session: a closed wash batch, a release out of turn', async () => {
    const { st, tech, devices } = await workshop(2);
    const [x, y] = [devices[0]!, devices[1]!];
    // A batch opened and closed with X in it.
    await wedge(tech.call, x.n);
    await send(tech.call, 'service', { kind: 'serviceStep', action: { kind: 'send_to_cleaning' } });
    await send(tech.call, 'service', { kind: 'washOpen', cabinet: 'Disk 1', method: 'Termisk' });
    const batch = (await viewOf(tech.call, 'service')).state.batch!;
    await wedge(tech.call, x.n);
    await wedge(tech.call, 'CMD-DONE');
    expect(st.q.one('select closed_at is not null as closed from wash_batches where id = ?', batch.id)).toEqual({ closed: 1 });
    // Y, waiting for cleaning: the row says the closed batch is open.
    await wedge(tech.call, y.n);
    await send(tech.call, 'service', { kind: 'serviceStep', action: { kind: 'send_to_cleaning' } });
    tamper<ServiceSessionState>(st.store, tech.user.id, 'service', (s) => {
      s.state.batch = batch;
    });
    let before = snapshot(st.store);
    await wedge(tech.call, y.n);
    expectRefused((await viewOf(tech.call, 'service')).feedback);
    await wedge(tech.call, 'CMD-DONE');
    expect(snapshot(st.store)).toEqual(before);
    // The row says Y is released and awaits its shelf, though it has not been washed or inspected.
    const shelf = st.q.one<{ code: string }>("select code from locations where site_id = ? and kind = 'shelf' and level = 'bin' and retired_at is null order by code limit 1", st.siteId);
    tamper<ServiceSessionState>(st.store, tech.user.id, 'service', (s) => {
      s.state.batch = null;
      s.state.awaitingShelf = true;
      s.state.individual = { id: y.id, individualNumber: y.n };
    });
    before = snapshot(st.store);
    await wedge(tech.call, shelf.code);
    expectRefused((await viewOf(tech.call, 'service')).feedback);
    expect(snapshot(st.store)).toEqual(before);
  });

  it('puts back no spare part by an undo planted in the saved count of someone outside the workshop', async () => {
    const { st, tech, part, balance } = await workshop();
    const wo = await fieldOrder(tech.call);
    await wedge(tech.call, part.gtin);
    const taken = (await viewOf(tech.call, 'service')).state.workOrderView!.parts[0]!;
    const start = balance();
    // Depot staff may count, but not put parts back: the direct call is refused.
    const staff = await signedIn(st.api, 'depot_staff');
    expectCallRefused(await staff.call('workorder.returnPart', { workOrderId: wo.id, movementId: taken.movementId }), 'auth.forbidden');
    await open(staff.call, 'count');
    tamper(st.store, staff.user.id, 'count', (s) => {
      s.undo = [{ effect: { kind: 'returnPart', workOrderId: wo.id, movementId: taken.movementId } }];
    });
    const before = snapshot(st.store);
    await send(staff.call, 'count', { kind: 'command', command: 'undo' });
    expect(balance()).toBe(start);
    expect(snapshot(st.store)).toEqual(before);
  });
});
