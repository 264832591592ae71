/**
 * Users are kept by administrators at any station and reach every station: a new user sets their
 * own PIN with a one-time code at another station, signs in with it everywhere, is refused
 * everywhere once deactivated, and a reset ends the old PIN. The code is never written down, and a
 * change the station would refuse is refused by the register too.
 */
import { describe, expect, it } from 'vitest';
import { createUser, issuePinCode, updateUser } from '../../db/users/admin';
import { listActiveUsers, setPinWithCode, signIn } from '../../db/users/users';
import { runAudited } from '../../db/audit';
import { syncLink } from '../../db/sync/link';
import { refusal } from '../helpers';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

describe.each(STORES)('users kept once, register on %s', (kind) => {
  it('set their own PIN with a one-time code anywhere, are refused everywhere once deactivated, and a reset ends the old PIN', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const idOf = (s: TestStation, role: string) => one<{ id: string }>(s, 'select id from users where role = ? and active = 1 order by name limit 1', role).id;
    const admin = { stationId: a.stationId, userId: idOf(a, 'admin') };
    const site = one<{ site_id: string }>(a, 'select site_id from station').site_id;
    const syncAll = async () => {
      for (const s of [a, b, a, b]) await s.engine.syncNow();
    };
    // A refused sign-in keeps its record, as dispatch would have it.
    const trySignIn = (s: TestStation, userId: string, pin: string) => refusal(() => runAudited(s.store, () => signIn(s.store, s.stationId, userId, pin), () => null));

    // Only an administrator keeps users.
    expect(refusal(() => createUser(a.store, { stationId: a.stationId, userId: idOf(a, 'supervisor') }, { name: 'Nya Nilsson', role: 'technician', siteId: site, badge: null }))).toBe('auth.forbidden');
    const created = createUser(a.store, admin, { name: 'Nya Nilsson', role: 'technician', siteId: site, badge: 'u9901' });
    expect(created.code).toMatch(/^\d{8}$/);
    // The code is never written down: not in the audit trail, not in the user's record.
    expect(JSON.stringify(a.store.sqlite.prepare('select * from audit_log').all())).not.toContain(created.code);
    expect(JSON.stringify(one(a, 'select * from users where id = ?', created.id))).not.toContain(created.code);
    await syncAll();

    // At B: in the sign-in list as someone to set a PIN; a wrong code is refused, the right one sets the PIN and signs in.
    expect(listActiveUsers(b.store).find((u) => u.id === created.id)).toMatchObject({ name: 'Nya Nilsson', role: 'technician', setsPin: true });
    expect(trySignIn(b, created.id, '4242')).toBe('auth.wrong_pin');
    expect(refusal(() => runAudited(b.store, () => setPinWithCode(b.store, b.stationId, { userId: created.id, code: '00000000', pin: '4242' }), () => null))).toBe('auth.wrong_pin');
    expect(setPinWithCode(b.store, b.stationId, { userId: created.id, code: created.code, pin: '4242' })).toMatchObject({ id: created.id });
    expect(trySignIn(b, created.id, '4242')).toBe('accepted');
    // The code is used up.
    expect(refusal(() => runAudited(b.store, () => setPinWithCode(b.store, b.stationId, { userId: created.id, code: created.code, pin: '9999' }), () => null))).toBe('auth.wrong_pin');
    await syncAll();
    expect(trySignIn(a, created.id, '4242')).toBe('accepted');
    expect(listActiveUsers(a.store).find((u) => u.id === created.id)?.setsPin).toBe(false);

    // A code replaced at A before the PIN set with it at B reached the register: that PIN is refused there.
    const first = issuePinCode(a.store, admin, created.id);
    await syncAll();
    setPinWithCode(b.store, b.stationId, { userId: created.id, code: first.code, pin: '1357' });
    issuePinCode(a.store, admin, created.id);
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(one<{ n: number }>(b, "select count(*) as n from sync_issues where kind = 'rejection' and data like '%sync.bad_user%'").n).toBe(1);
    await syncAll();
    expect(trySignIn(a, created.id, '1357')).toBe('auth.wrong_pin');

    // A reset at A: the old PIN stops working at B once synced; the new code sets a new PIN.
    const reset = issuePinCode(a.store, admin, created.id);
    await syncAll();
    expect(trySignIn(b, created.id, '4242')).toBe('auth.wrong_pin');
    expect(trySignIn(b, created.id, '1357')).toBe('auth.wrong_pin');
    setPinWithCode(b.store, b.stationId, { userId: created.id, code: reset.code, pin: '5353' });
    await syncAll();
    expect(trySignIn(a, created.id, '5353')).toBe('accepted');

    // Deactivated at A: refused at B once synced.
    updateUser(a.store, admin, { id: created.id, name: 'Nya Nilsson', role: 'technician', siteId: site, badge: 'U9901', active: false });
    await syncAll();
    expect(trySignIn(b, created.id, '5353')).toBe('auth.wrong_pin');
    expect(listActiveUsers(b.store).some((u) => u.id === created.id)).toBe(false);

    // Pushed past the station's rules, the register refuses: a supervisor's change, an administrator setting a PIN, a user changing their own role.
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [created.id]);
    const user = JSON.parse(held!.data) as Record<string, unknown>;
    const station = (await reg.register.authenticate(syncLink(b.store)!.token))!;
    let n = syncLink(b.store)!.acked;
    const now = Date.now();
    for (const forged of [
      { ...user, active: 1, changed_by: idOf(b, 'supervisor'), changed_at: now },
      { ...user, pin_hash: user.pin_hash === 'none' ? 'scrypt-pepper$00$00' : `${user.pin_hash as string}x`, changed_by: idOf(b, 'admin'), changed_at: now },
      { ...user, role: 'admin', changed_by: created.id, changed_at: now },
      // Another user's badge.
      { ...user, badge_code: one<{ b: string }>(b, "select badge_code as b from users where role = 'supervisor' and badge_code is not null limit 1").b, changed_by: idOf(b, 'admin'), changed_at: now },
    ]) {
      const res = await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['user', created.id, forged]] }]);
      expect(res.rejected).toMatchObject([{ code: 'sync.bad_user' }]);
    }
    expect(await reg.register.db.all("select data from entities where kind = 'user' and id = $1", [created.id])).toEqual([held]);
  });
});
