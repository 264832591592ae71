/**
 * The sign-in lockout through the station's API, on a clock the test moves: public sign-in calls
 * with wrong PINs lock users for a while, never for good, so they cannot leave a station without
 * anyone who may unlock; a prescriber (badge only) cannot be locked out of the kiosk; and a locked
 * user's open sessions end.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import type { StationEvent } from '../../services/events';
import { DEMO_USERS } from '../../db/demo/catalogue';
import type { StationDb } from '../../db/open';
import { putSetting } from '../../db/settings';
import { tinyStore } from '../helpers';

const MIN = 60_000;

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

/** A tiny station whose clock stands still until the test moves it. */
function station() {
  const s = tinyStore();
  store = s;
  const clock = { now: new Date(2026, 2, 10, 9, 0, 0).getTime() };
  const api = createApi(s, { now: () => clock.now });
  const events: StationEvent[] = [];
  api.events.subscribe((e) => events.push(e));
  const userId = (name: string) => (s.sqlite.prepare('select id from users where name = ?').get(name) as { id: string }).id;
  const signIn = (name: string, pin: string) => api.call({ name: 'auth.signIn', input: { userId: userId(name), pin } });
  const as = async (name: string) => {
    const demo = DEMO_USERS.find((u) => u.name === name)!;
    const r = await signIn(name, demo.pin);
    if (!r.ok) return { ok: false as const, error: r.error };
    const session = (r.value as { session: string }).session;
    return { ok: true as const, session, call: (call: string, input: unknown) => api.call({ name: call, input, session }) };
  };
  return { s, api, clock, events, userId, signIn, as };
}

const BOSSES = DEMO_USERS.filter((u) => u.role === 'supervisor' || u.role === 'admin').map((u) => u.name);

describe('sign-in lockout through the API', () => {
  it('twenty wrong PINs lock every supervisor and administrator for a quarter of an hour only; then an administrator gets in', async () => {
    const { clock, signIn, as } = station();
    expect(BOSSES).toHaveLength(4);
    const answers: string[] = [];
    for (const name of BOSSES)
      for (let i = 0; i < 5; i++) {
        const r = await signIn(name, '0000');
        answers.push(r.ok ? 'ok' : r.error.code);
      }
    expect(answers.filter((a) => a === 'auth.locked')).toHaveLength(4);
    for (const name of BOSSES) expect(await as(name)).toMatchObject({ ok: false, error: { code: 'auth.locked' } });

    clock.now += 15 * MIN - 1;
    expect(await as('Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    clock.now += 1;
    const per = await as('Per Åström');
    expect(per.ok).toBe(true);
    // The others' locks are over too.
    expect((await as('Karin Lundberg')).ok).toBe(true);
  });

  it('lets an administrator lift the locks at once, and the unlock list says until when each user is locked', async () => {
    const { clock, signIn, as, userId } = station();
    const per = await as('Per Åström');
    for (const name of BOSSES.filter((n) => n !== 'Per Åström')) for (let i = 0; i < 5; i++) await signIn(name, '0000');
    const t0 = clock.now;
    clock.now += MIN;
    // Per's session was opened before the locks and stays: he is not locked.
    const list = await per.call!('auth.locked', {});
    expect(list).toMatchObject({ ok: true });
    const locked = (list as { value: { name: string; lockedUntil: number }[] }).value;
    expect(locked.map((u) => u.name).sort()).toEqual(BOSSES.filter((n) => n !== 'Per Åström').sort());
    for (const u of locked) expect(u.lockedUntil).toBe(t0 + 15 * MIN);
    expect(await per.call!('auth.unlock', { userId: userId('Helena Forsberg') })).toMatchObject({ ok: true, value: { siteWide: true } });
    expect((await as('Helena Forsberg')).ok).toBe(true);
    expect(await as('Karin Lundberg')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
  });

  it('never locks a prescriber, who has no PIN: a sign-in for one is a wrong PIN, and the badge still opens the kiosk', async () => {
    const { s, api, signIn } = station();
    putSetting(s, 'kiosk', { enabled: true, idleSeconds: 60 });
    const prescriber = DEMO_USERS.find((u) => u.role === 'prescriber')!.name;
    for (let i = 0; i < 20; i++) expect(await signIn(prescriber, '0000')).toMatchObject({ ok: false, error: { code: 'auth.wrong_pin', field: 'pin' } });
    const badge = (s.sqlite.prepare('select badge_code as b from users where name = ?').get(prescriber) as { b: string }).b;
    const kiosk = await api.call({ name: 'kiosk.start', input: { badge } });
    expect(kiosk).toMatchObject({ ok: true, value: { user: { name: prescriber } } });
    const session = (kiosk as { value: { session: string } }).value.session;
    expect(await api.call({ name: 'kiosk.touch', input: {}, session })).toMatchObject({ ok: true });
  });

  it('ends a locked user\'s open sessions: closed when the lock begins, and refused at the next call whatever locked them', async () => {
    const { s, clock, events, signIn, as, userId } = station();
    const lena = await as('Lena Nilsson');
    expect(await lena.call!('auth.me', {})).toMatchObject({ ok: true });
    for (let i = 0; i < 5; i++) await signIn('Lena Nilsson', '0000');
    expect(events).toContainEqual({ type: 'session.signedOut', userId: userId('Lena Nilsson') });
    expect(await lena.call!('auth.me', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });

    // A lock this session did not see begin (written behind the API's back): the next call ends it.
    clock.now += 15 * MIN;
    const again = await as('Lena Nilsson');
    expect(again.ok).toBe(true);
    s.sqlite.prepare('insert into sign_in_locks (user_id, failures, locks, locked_at, locked_until) values (?, 0, 1, ?, ?)').run(userId('Lena Nilsson'), clock.now, clock.now + 15 * MIN);
    const refused = await again.call!('auth.me', {});
    expect(refused).toMatchObject({ ok: false, error: { code: 'auth.locked', message: { sv: expect.stringContaining('till kl.') } } });
    expect(await again.call!('auth.me', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
  });
});
