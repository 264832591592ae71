/**
 * The unmanned depot's kiosk through the station's API: a badge opens a kiosk session that only
 * registers what is taken from and put back to this depot, whoever the badge belongs to, and that
 * the station closes itself after the kiosk's idle time.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Api } from '../../api/dispatch';
import type { StationDb } from '../../db/open';
import { getSetting, putSetting } from '../../db/settings';
import { toScan } from '../../vocabulary/codes/scan';
import { callerFor, queries, signedIn, tinyApi } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  vi.useRealTimers();
  store?.close();
  store = null;
});

const IDLE_SECONDS = 60;

function kioskStation() {
  const t = tinyApi();
  store = t.store;
  putSetting(t.store, 'kiosk', { enabled: true, idleSeconds: IDLE_SECONDS });
  return t;
}

const here = (s: StationDb) => queries(s).one<{ id: string }>('select site_id as id from station').id;
const badgeOf = (s: StationDb, role: string) => queries(s).one<{ b: string }>('select badge_code as b from users where role = ? and active = 1 order by badge_code limit 1', role).b;

/** A badge at the kiosk: a caller bound to the kiosk session it opens. */
async function atKiosk(api: Api, badge: string) {
  const r = await api.call({ name: 'kiosk.start', input: { badge } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return callerFor(api, (r.value as { session: string }).session);
}

/** Everything a posting would change: the ledger, the balances, the devices and the outbox. */
const snapshot = (s: StationDb) => ({
  movements: queries(s).one<{ n: number }>('select count(*) as n from movements').n,
  outbox: queries(s).one<{ n: number }>('select count(*) as n from outbox').n,
  balances: queries(s).all('select article_id, location_id, lot, quantity from balances order by 1, 2, 3'),
  individuals: queries(s).all('select id, location_id, site_id, status from individuals order by id'),
});

/** Supplies this depot keeps on its shelves, and how many. */
const suppliesHere = (s: StationDb) =>
  queries(s).one<{ articleId: string; q: number }>(
    `select b.article_id as articleId, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
     where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and a.tracking = 'none' and a.rentable = 0 group by b.article_id order by q desc limit 1`,
    here(s),
  );

const onShelvesHere = (s: StationDb, articleId: string) =>
  queries(s).one<{ q: number }>(`select coalesce(sum(b.quantity), 0) as q from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ? and l.kind in ('shelf', 'rack', 'floor', 'goods_in')`, articleId, here(s)).q;

/** A device with the status, at this depot or elsewhere. */
const device = (s: StationDb, status: string, atThisSite: boolean) =>
  queries(s).one<{ id: string; articleId: string }>(
    `select i.id, i.article_id as articleId from individuals i join locations l on l.id = i.location_id where i.status = ? and (l.site_id = ?) = ? order by i.id limit 1`,
    status,
    here(s),
    atThisSite ? 1 : 0,
  );

describe('the kiosk', () => {
  it("keeps the visitor's basket in the station: filled by the kiosk's wedge and its own scanner, kept over a reload, registered by KLAR, and gone when the visit ends", async () => {
    const { store: s, api } = kioskStation();
    const { articleId, q } = suppliesHere(s);
    const number = queries(s).one<{ n: string }>('select article_number as n from articles where id = ?', articleId).n;
    const badge = badgeOf(s, 'prescriber');
    const kiosk = await atKiosk(api, badge);
    type Basket = { state: { lines: { articleId: string; quantity: number }[]; orderRef: string; registered: number | null }; canUndo: boolean; feedback: { kind: string } | null };
    const basket = async () => ((await kiosk('workflow.state', { workflow: 'kiosk' })) as { value: Basket }).value;
    expect(await kiosk('workflow.open', { workflow: 'kiosk' })).toMatchObject({ ok: true, value: { state: { lines: [] } } });
    // The kiosk's wedge, then its serial scanner with no screen's help: both land in the basket.
    expect(await kiosk('kiosk.scan', { raw: number })).toMatchObject({ ok: true, value: { workflow: 'kiosk' } });
    expect(api.scanning.accept(toScan(number, 'serial', '/dev/ttyS0')).workflow).toBe('kiosk');
    expect((await basket()).state.lines).toEqual([expect.objectContaining({ articleId, quantity: 2 })]);
    // KLAR without an order is refused, and nothing is posted.
    const before = snapshot(s);
    await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'command', command: 'done' } });
    expect((await basket()).feedback).toMatchObject({ kind: 'error' });
    expect(snapshot(s)).toEqual(before);
    // The window is reloaded: the same basket comes back.
    await kiosk('workflow.close', { workflow: 'kiosk' });
    expect(await kiosk('workflow.open', { workflow: 'kiosk' })).toMatchObject({ ok: true, value: { state: { lines: [{ articleId, quantity: 2 }] }, canUndo: true } });
    // A staff command card at the kiosk opens nothing; a cost centre typed, and KLAR registers the basket.
    expect(api.scanning.accept(toScan('CMD-RECEIPT', 'serial', '/dev/ttyS0')).workflow).toBeNull();
    await kiosk('workflow.input', { workflow: 'kiosk', input: { kind: 'orderRef', ref: 'KST-4711' } });
    expect(api.scanning.accept(toScan('CMD-DONE', 'serial', '/dev/ttyS0')).workflow).toBe('kiosk');
    expect((await basket()).state).toMatchObject({ lines: [], registered: 2 });
    expect(onShelvesHere(s, articleId)).toBe(q - 2);
    expect(queries(s).one<{ n: number }>("select count(*) as n from audit_log where action = 'kiosk.withdraw' and entity = 'workflow'").n).toBe(1);

    // The next visit by the same badge starts with an empty basket, even if the last one was left half-done.
    expect(await kiosk('kiosk.scan', { raw: number })).toMatchObject({ ok: true });
    expect(await kiosk('kiosk.finish', {})).toMatchObject({ ok: true });
    const next = await atKiosk(api, badge);
    expect(await next('workflow.open', { workflow: 'kiosk' })).toMatchObject({ ok: true, value: { state: { lines: [] }, canUndo: false } });
    // With nobody at the kiosk, its scanner fills no basket.
    expect(await next('kiosk.finish', {})).toMatchObject({ ok: true });
    expect(api.scanning.accept(toScan(number, 'serial', '/dev/ttyS0')).workflow).toBeNull();
  });

  it('refuses to take back a device that is in stock at another depot, and changes nothing', async () => {
    const { store: s, api } = kioskStation();
    const elsewhere = device(s, 'in_stock', false);
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    const before = snapshot(s);
    const r = await kiosk('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId: elsewhere.articleId, individualId: elsewhere.id, quantity: 1 }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    expect(snapshot(s)).toEqual(before);
  });

  it('refuses to take back supplies that were never taken here', async () => {
    const { store: s, api } = kioskStation();
    const { articleId } = suppliesHere(s);
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    const before = snapshot(s);
    const r = await kiosk('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 10_000 }] });
    expect(r).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    expect(snapshot(s)).toEqual(before);
  });

  it('takes back supplies only up to what was taken here on the order, onto a shelf here', async () => {
    const { store: s, api } = kioskStation();
    const { articleId, q } = suppliesHere(s);
    expect(q).toBeGreaterThan(2);
    const badge = badgeOf(s, 'prescriber');
    const take = await atKiosk(api, badge);
    expect(await take('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 2 }] })).toMatchObject({ ok: true });
    expect(await take('kiosk.finish', {})).toMatchObject({ ok: true });
    expect(onShelvesHere(s, articleId)).toBe(q - 2);

    const back = await atKiosk(api, badge);
    const before = snapshot(s);
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 3 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    // Two lines that together come to more are refused as one.
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }, { articleId, quantity: 2 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    // Not on another order than the one they were taken on.
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-9999', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    expect(snapshot(s)).toEqual(before);
    const r = await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 2 }] });
    expect(r).toMatchObject({ ok: true });
    expect(onShelvesHere(s, articleId)).toBe(q);
    const moved = queries(s).all<{ site: string; reason: string }>(
      `select l.site_id as site, m.reason from movements m join locations l on l.id = m.to_location_id where m.id in (select value from json_each(?))`,
      JSON.stringify((r as { value: { movementIds: string[] } }).value.movementIds),
    );
    expect(moved).toEqual([{ site: here(s), reason: 'return' }]);
    // Everything taken is back: nothing more goes back.
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    // The cost centre typed in small letters is the same cost centre.
    expect(await back('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: true });
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'kst-4711', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: true });
    expect(onShelvesHere(s, articleId)).toBe(q);
  });

  it('counts an undone withdrawal as never taken', async () => {
    const { store: s, api } = kioskStation();
    const { articleId } = suppliesHere(s);
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    const taken = await kiosk('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 2 }] });
    expect(taken).toMatchObject({ ok: true });
    const worker = await signedIn(api, 'warehouse_worker');
    expect(await worker.call('workflow.undo', { movementIds: (taken as { value: { movementIds: string[] } }).value.movementIds })).toMatchObject({ ok: true });
    expect(await kiosk('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [{ articleId, quantity: 2 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
  });

  it('takes back a device only while it is out on loan from here, into the returns place and the reconditioning queue, never onto a shelf', async () => {
    const { store: s, api } = kioskStation();
    const d = device(s, 'in_stock', true);
    const badge = badgeOf(s, 'prescriber');
    const line = { articleId: d.articleId, individualId: d.id, quantity: 1 };
    const take = await atKiosk(api, badge);
    expect(await take('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [line] })).toMatchObject({ ok: true });
    expect(queries(s).one('select status, location_id as at from individuals where id = ?', d.id)).toEqual({ status: 'on_loan', at: null });
    const back = await atKiosk(api, badge);
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [line] })).toMatchObject({ ok: true });
    // It has been with a patient: it waits in the depot's returns place for washing, with a job open, and cannot be taken again.
    expect(queries(s).one('select i.status, l.site_id as site, l.kind from individuals i join locations l on l.id = i.location_id where i.id = ?', d.id)).toEqual({ status: 'returned', site: here(s), kind: 'returns' });
    expect(queries(s).one<{ n: number }>("select count(*) as n from service_jobs where individual_id = ? and closed_at is null", d.id).n).toBe(1);
    expect(await back('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [line] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_ready' } });
    // Back, it cannot be put back a second time.
    const before = snapshot(s);
    expect(await back('kiosk.withdraw', { direction: 'return', orderRef: 'KST-4711', lines: [line] })).toMatchObject({ ok: false, error: { code: 'kiosk.not_taken_here' } });
    expect(snapshot(s)).toEqual(before);
  });

  it('refuses a device that is not ready to hand out, even on this site', async () => {
    const { store: s, api } = kioskStation();
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    const before = snapshot(s);
    for (const status of ['reserved', 'in_cleaning']) {
      const d = device(s, status, true);
      const r = await kiosk('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId: d.articleId, individualId: d.id, quantity: 1 }] });
      expect({ status, r }).toMatchObject({ status, r: { ok: false, error: { code: 'kiosk.not_ready' } } });
    }
    const elsewhere = device(s, 'in_stock', false);
    expect(await kiosk('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId: elsewhere.articleId, individualId: elsewhere.id, quantity: 1 }] })).toMatchObject({
      ok: false,
      error: { code: 'kiosk.not_here' },
    });
    expect(snapshot(s)).toEqual(before);
  });

  it("gives a supervisor's or an admin's badge a kiosk session and nothing more", async () => {
    const { store: s, api } = kioskStation();
    const { articleId } = suppliesHere(s);
    const shelf = queries(s).one<{ id: string }>(`select b.location_id as id from balances b where b.article_id = ? order by b.quantity desc limit 1`, articleId).id;
    const before = snapshot(s);
    for (const role of ['supervisor', 'admin']) {
      const kiosk = await atKiosk(api, badgeOf(s, role));
      const refused = { role, r: { ok: false, error: { code: 'auth.forbidden' } } };
      expect({ role, r: await kiosk('kiosk.configure', { enabled: false, idleSeconds: 60 }) }).toMatchObject(refused);
      expect({ role, r: await kiosk('stock.post', { movements: [{ articleId, fromLocationId: shelf, quantity: 1, reason: 'move', toLocationId: shelf }] }) }).toMatchObject(refused);
      expect({ role, r: await kiosk('station.setIdle', { minutes: 600 }) }).toMatchObject(refused);
      expect({ role, r: await kiosk('auth.me', {}) }).toMatchObject(refused);
    }
    expect(getSetting(s, 'kiosk', null)).toEqual({ enabled: true, idleSeconds: IDLE_SECONDS });
    expect(snapshot(s)).toEqual(before);
  });

  it('closes a kiosk session unused for longer than the kiosk idle time', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const { store: s, api } = kioskStation();
    const { articleId } = suppliesHere(s);
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    // Someone still at the kiosk keeps it open.
    vi.advanceTimersByTime((IDLE_SECONDS - 5) * 1000);
    expect(await kiosk('kiosk.touch', {})).toMatchObject({ ok: true });
    vi.advanceTimersByTime((IDLE_SECONDS - 5) * 1000);
    expect(await kiosk('kiosk.scan', { raw: 'KLAR' })).toMatchObject({ ok: true });
    // Then nobody, for longer than the kiosk idle time (far shorter than the staff lock).
    vi.advanceTimersByTime(IDLE_SECONDS * 1000 + 1);
    const before = snapshot(s);
    expect(await kiosk('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
    // Closed for good: it does not come back.
    expect(await kiosk('kiosk.touch', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
    expect(snapshot(s)).toEqual(before);
  });

  it('closes kiosk sessions when the station stops being a kiosk', async () => {
    const { store: s, api } = kioskStation();
    const kiosk = await atKiosk(api, badgeOf(s, 'prescriber'));
    expect(await kiosk('kiosk.touch', {})).toMatchObject({ ok: true });
    const boss = await signedIn(api, 'supervisor');
    expect(await boss.call('kiosk.configure', { enabled: false, idleSeconds: 60 })).toMatchObject({ ok: true });
    expect(await kiosk('kiosk.touch', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
  });

  it('registers kiosk withdrawals only from a badge at the kiosk', async () => {
    const { store: s, api } = kioskStation();
    const { articleId } = suppliesHere(s);
    const worker = await signedIn(api, 'warehouse_worker');
    const before = snapshot(s);
    expect(await worker.call('kiosk.withdraw', { direction: 'take', orderRef: 'KST-4711', lines: [{ articleId, quantity: 1 }] })).toMatchObject({ ok: false, error: { code: 'kiosk.badge_only' } });
    expect(snapshot(s)).toEqual(before);
  });
});
