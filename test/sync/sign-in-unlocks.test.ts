/**
 * An administrator lifts sign-in locks for the whole site: an unlock made at one station travels
 * through the register to every station, where a lock that began before it counts as lifted. So
 * does one made in the register's command line. The register takes an unlock from a station only
 * for a user of the station's own site, new, believable, by an administrator, and never a delete.
 */
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { uuidv7 } from '../../db/ids';
import type { StationDb } from '../../db/open';
import type { EntityChange } from '../../db/sync/wire';
import { RegisterError } from '../../register/register';
import { enrolledStation, STORES, tinyRegister } from './harness';

const MIN = 60_000;

describe.each(STORES)('sign-in unlocks through the register on %s', (kind) => {
  it('an unlock at one station of the site lifts a lock at another after sync, and so does the register\'s command line', async () => {
    const reg = await tinyRegister(kind);
    const sites = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id");
    const bod = sites.findIndex((s) => (JSON.parse(s.data) as { code: string }).code === 'BOD');
    const a = await enrolledStation(reg.register, reg.server.url, { site: bod, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: bod, start: false });
    const clock = { now: Date.now() };
    const tick = () => (clock.now += 1);
    const apiA = createApi(a.store, { now: () => clock.now });
    const apiB = createApi(b.store, { now: () => clock.now });
    const id = (s: StationDb, name: string) => (s.sqlite.prepare('select id from users where name = ?').get(name) as { id: string }).id;
    const pin = (name: string) => DEMO_USERS.find((u) => u.name === name)!.pin;
    const signIn = (api: typeof apiA, s: StationDb, name: string, p = pin(name)) => api.call({ name: 'auth.signIn', input: { userId: id(s, name), pin: p } });

    // Twenty public calls at station A lock every supervisor and administrator there.
    for (const name of ['Karin Lundberg', 'Erik Sandström', 'Per Åström', 'Helena Forsberg']) for (let i = 0; i < 5; i++) await signIn(apiA, a.store, name, '0000');
    tick();
    expect(await signIn(apiA, a.store, 'Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });

    // At station B of the same site, an administrator lifts Per's locks.
    const helena = await signIn(apiB, b.store, 'Helena Forsberg');
    expect(helena.ok).toBe(true);
    const session = (helena as { value: { session: string } }).value.session;
    tick();
    expect(await apiB.call({ name: 'auth.unlock', input: { userId: id(b.store, 'Per Åström') }, session })).toMatchObject({ ok: true, value: { siteWide: true } });
    await b.engine.syncNow();
    expect(await signIn(apiA, a.store, 'Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    await a.engine.syncNow();
    tick();
    expect(await signIn(apiA, a.store, 'Per Åström')).toMatchObject({ ok: true });
    expect(await signIn(apiA, a.store, 'Helena Forsberg')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });

    // IT lifts Helena's in the register (`npm run register -- unlock <user id>`).
    const unlocked = await reg.register.unlockSignIn(id(a.store, 'Helena Forsberg'));
    expect(unlocked.siteId).toBe(sites[bod]!.id);
    await a.engine.syncNow();
    // The register dates its unlock by its own clock: the station's comes up to it.
    clock.now = Math.max(clock.now, Date.now()) + 1;
    expect(await signIn(apiA, a.store, 'Helena Forsberg')).toMatchObject({ ok: true });
    await expect(reg.register.unlockSignIn('no-such-user')).rejects.toBeInstanceOf(RegisterError);
    // Karin's lock at A stands: nobody lifted it, and its time is not over.
    expect(await signIn(apiA, a.store, 'Karin Lundberg')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    clock.now += 15 * MIN;
    expect(await signIn(apiA, a.store, 'Karin Lundberg')).toMatchObject({ ok: true });
  });

  it('refuses an unlock from a station for a user of another site, for another site, changed, far ahead, by a non-administrator, or as a delete', async () => {
    const reg = await tinyRegister(kind);
    const register = reg.register;
    const sites = (await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id")).map((s) => ({ id: s.id, ...(JSON.parse(s.data) as { code: string }) }));
    const bod = sites.find((s) => s.code === 'BOD')!.id;
    const users = (await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'user'")).map((u) => ({ id: u.id, ...(JSON.parse(u.data) as { name: string; role: string; site_id: string }) }));
    const user = (name: string) => users.find((u) => u.name === name)!;
    const lena = user('Lena Nilsson');
    const erik = user('Erik Sandström');
    const per = user('Per Åström');
    expect([lena.site_id, per.site_id, erik.site_id === bod]).toEqual([bod, bod, false]);
    const code = await register.createEnrolmentCode({ stationName: 'Forger', siteId: bod });
    const station = (await register.authenticate((await register.enrol(code)).token))!;
    const now = Date.now();
    const unlock = (over: Record<string, unknown> = {}): EntityChange => {
      const data = { id: uuidv7(), user_id: lena.id, site_id: bod, at: now, by_user_id: per.id, ...over };
      return ['sign_in_unlock', data.id as string, data];
    };
    const good = unlock();
    const cases: [string, EntityChange][] = [
      ['a user of another site, claimed for this one', unlock({ user_id: erik.id })],
      ['a user of another site, for that site', unlock({ user_id: erik.id, site_id: erik.site_id })],
      ['another site', unlock({ site_id: erik.site_id })],
      ['an unknown user', unlock({ user_id: 'nobody' })],
      ['a time two days ahead', unlock({ at: now + 2 * 24 * 60 * MIN })],
      ['a time half an hour ahead', unlock({ at: now + 30 * MIN })],
      ['no administrator named (from a station)', unlock({ by_user_id: null })],
      ['a time that is no time', unlock({ at: 'soon' })],
      ['made by a supervisor', unlock({ by_user_id: user('Karin Lundberg').id })],
      ['an id that is not its own', ['sign_in_unlock', uuidv7(), good[2]]],
      ['a delete', ['sign_in_unlock', good[1], null]],
    ];
    let n = 0;
    const push = (e: EntityChange) => register.push(station, [{ n: ++n, m: [], i: [], e: [e] }]);
    for (const [what, e] of cases) expect({ what, ...(await push(e)) }).toMatchObject({ what, lastApplied: n, rejected: [{ n, code: 'sync.not_editable' }] });
    expect(await push(good)).toEqual({ lastApplied: n, rejected: [] });
    // Once held, an unlock is never changed (a later time would lift locks not yet begun).
    expect(await push(['sign_in_unlock', good[1], { ...good[2]!, at: now + 60 * MIN }])).toMatchObject({ rejected: [{ n, code: 'sync.not_editable' }] });
    const held = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'sign_in_unlock' and deleted = 0");
    expect(held).toHaveLength(1);
    expect(held.map((h) => h.id)).toContain(good[1]);
    expect(JSON.parse(held.find((h) => h.id === good[1])!.data)).toEqual(good[2]);
  });
});
