/**
 * The register's console API meets hostile input: no cookie or a made-up one, a write without the
 * console's header or from another site's page, malformed and oversized bodies, unknown users,
 * wrong PINs until the lock, and users who are not administrators or supervisors. Every refusal
 * has the one shape, in words. What it does for an administrator (the fleet with a silent
 * station, codes, users) is checked here against the register's own records.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONSOLE_BODY_LIMIT, CONSOLE_COOKIE, CONSOLE_HEADER } from '../../register/console/api';
import { setPinWithCode, signIn as stationSignIn } from '../../db/users/users';
import { enrolledStation, STORES, tinyRegister, type TestRegister } from '../sync/harness';

describe.each(STORES)('the console API on %s', (kind) => {
  let reg: TestRegister;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    reg = await tinyRegister(kind);
    for (const name of ['Per Åström', 'Helena Forsberg', 'Karin Lundberg', 'Lena Nilsson', 'Eva Lindgren, arbetsterapeut']) {
      const [row] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'user' and data like $1", [`%"name":"${name}"%`]);
      ids[name] = row!.id;
    }
  });
  afterAll(() => reg.stop());

  interface Answer {
    status: number;
    body: { ok: boolean; value?: unknown; error?: { code: string; message: { sv: string; en: string } } };
    cookie: string | null;
  }

  async function call(method: 'GET' | 'POST', path: string, options: { body?: string | object; cookie?: string | null; headers?: Record<string, string> } = {}): Promise<Answer> {
    const headers: Record<string, string> = { ...(method === 'POST' ? { 'Content-Type': 'application/json', [CONSOLE_HEADER]: '1' } : {}), ...options.headers };
    if (options.cookie) headers.Cookie = `${CONSOLE_COOKIE}=${options.cookie}`;
    const res = await fetch(`${reg.server.url}/console/api/${path}`, {
      method,
      headers,
      ...(options.body === undefined ? (method === 'POST' ? { body: '{}' } : {}) : { body: typeof options.body === 'string' ? options.body : JSON.stringify(options.body) }),
    });
    const text = await res.text();
    const set = res.headers.get('set-cookie');
    return { status: res.status, body: JSON.parse(text) as Answer['body'], cookie: set ? (new RegExp(`${CONSOLE_COOKIE}=([^;]*)`).exec(set)?.[1] ?? null) : null };
  }

  /** A refusal in the common shape, with words in both languages. */
  function refused(a: Answer, status: number, code: string): void {
    expect(a.status).toBe(status);
    expect(a.body.ok).toBe(false);
    expect(a.body.error?.code).toBe(code);
    expect(a.body.error?.message.sv.length).toBeGreaterThan(10);
    expect(a.body.error?.message.en.length).toBeGreaterThan(10);
  }

  async function signIn(name: string, pin: string): Promise<string> {
    const a = await call('POST', 'session', { body: { userId: ids[name], pin } });
    expect(a.status, JSON.stringify(a.body)).toBe(200);
    return a.cookie!;
  }

  describe('the console API under hostile input', () => {
    it('answers a call without a session, or with a made-up one, with 401 in the common shape', async () => {
      refused(await call('GET', 'fleet'), 401, 'console.signed_out');
      refused(await call('GET', 'fleet', { cookie: 'x'.repeat(43) }), 401, 'console.signed_out');
      refused(await call('GET', 'users', { cookie: 'y'.repeat(500) }), 401, 'console.signed_out');
      refused(await call('POST', 'users', { cookie: 'nope', body: { name: 'A B', role: 'admin', siteId: null, badge: null } }), 401, 'console.signed_out');
      refused(await call('GET', 'no-such-route'), 401, 'console.signed_out');
    });

    it('refuses a write without the console header, from another site, or not as JSON', async () => {
      const body = JSON.stringify({ userId: ids['Per Åström'], pin: '9991' });
      refused(await call('POST', 'session', { body, headers: { [CONSOLE_HEADER]: '' } }), 403, 'console.csrf');
      refused(await call('POST', 'session', { body, headers: { [CONSOLE_HEADER]: 'yes' } }), 403, 'console.csrf');
      refused(await call('POST', 'session', { body, headers: { Origin: 'https://evil.example' } }), 403, 'console.csrf');
      refused(await call('POST', 'session', { body, headers: { Origin: 'null' } }), 403, 'console.csrf');
      refused(await call('POST', 'session', { body, headers: { 'Content-Type': 'text/plain' } }), 415, 'console.bad_request');
      // The register's own page may say where it comes from.
      const own = await call('POST', 'session', { body, headers: { Origin: reg.server.url } });
      expect(own.status).toBe(200);
    });

    it('refuses malformed, wrongly shaped and oversized bodies', async () => {
      refused(await call('POST', 'session', { body: '{"userId": ' }), 400, 'console.bad_request');
      refused(await call('POST', 'session', { body: '[]' }), 400, 'console.bad_request');
      refused(await call('POST', 'session', { body: { userId: ids['Per Åström'], pin: '99a1' } }), 400, 'console.bad_request');
      refused(await call('POST', 'session', { body: { userId: ids['Per Åström'], pin: '9991', role: 'admin' } }), 400, 'console.bad_request');
      refused(await call('POST', 'session', { body: { badge: "U1' or 1=1", pin: '9991' } }), 400, 'console.bad_request');
      refused(await call('POST', 'session', { body: JSON.stringify({ userId: ids['Per Åström'], pin: '9991', pad: 'x'.repeat(CONSOLE_BODY_LIMIT) }) }), 413, 'console.too_large');
      const admin = await signIn('Per Åström', '9991');
      refused(await call('POST', 'users', { cookie: admin, body: { name: 'X', role: 'admin', siteId: null, badge: null } }), 400, 'console.bad_request');
      refused(await call('POST', 'users', { cookie: admin, body: { name: 'Ny Person', role: 'king', siteId: null, badge: null } }), 400, 'console.bad_request');
      refused(await call('POST', 'users', { cookie: admin, body: { name: 'Ny Person', role: 'admin', siteId: null, badge: 'U12' } }), 400, 'console.bad_request');
      refused(await call('POST', 'users', { cookie: admin, body: { name: 'Ny Person', role: 'admin', siteId: 'no-such-site', badge: null } }), 400, 'console.unknown_site');
      refused(await call('POST', 'enrolment-codes', { cookie: admin, body: { siteId: 'no-such-site', stationName: 'Kassa 1' } }), 404, 'register.unknown_site');
      refused(await call('POST', `users/${'a'.repeat(65)}/active`, { cookie: admin, body: { active: false } }), 400, 'console.bad_request');
      refused(await call('POST', 'users/no-such-user/active', { cookie: admin, body: { active: false } }), 404, 'console.unknown_user');
      refused(await call('GET', 'articles?q=' + 'x'.repeat(65), { cookie: admin }), 400, 'console.bad_request');
      refused(await call('GET', 'no-such-route', { cookie: admin }), 404, 'console.not_found');
    });

    it('refuses an unknown user and a badge no one has like a wrong PIN, and locks a user after five wrong PINs', async () => {
      refused(await call('POST', 'session', { body: { userId: 'no-such-user', pin: '1234' } }), 401, 'console.wrong_pin');
      refused(await call('POST', 'session', { body: { badge: 'U999999', pin: '1234' } }), 401, 'console.wrong_pin');
      const helena = ids['Helena Forsberg'];
      for (let i = 0; i < 4; i++) refused(await call('POST', 'session', { body: { userId: helena, pin: '0000' } }), 401, 'console.wrong_pin');
      refused(await call('POST', 'session', { body: { userId: helena, pin: '0000' } }), 423, 'console.locked');
      // Locked: not even the right PIN is tried.
      const locked = await call('POST', 'session', { body: { userId: helena, pin: '9992' } });
      refused(locked, 423, 'console.locked');
      expect(locked.body.error!.message.sv).toMatch(/låst till kl\. \d\d:\d\d/);
      expect(locked.cookie).toBeNull();
    });

    it('lets only administrators and supervisors in; a supervisor may not do what only an administrator may', async () => {
      refused(await call('POST', 'session', { body: { userId: ids['Lena Nilsson'], pin: '1111' } }), 403, 'console.not_for_role');
      refused(await call('POST', 'session', { body: { userId: ids['Eva Lindgren, arbetsterapeut'], pin: '1111' } }), 401, 'console.no_pin');
      const supervisor = await signIn('Karin Lundberg', '4441');
      expect((await call('GET', 'fleet', { cookie: supervisor })).status).toBe(200);
      expect((await call('GET', 'issues', { cookie: supervisor })).status).toBe(200);
      refused(await call('GET', 'users', { cookie: supervisor }), 403, 'console.forbidden');
      refused(await call('POST', 'users', { cookie: supervisor, body: { name: 'Ny Person', role: 'admin', siteId: null, badge: null } }), 403, 'console.forbidden');
      const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' limit 1");
      refused(await call('POST', 'enrolment-codes', { cookie: supervisor, body: { siteId: site!.id, stationName: 'Kassa' } }), 403, 'console.forbidden');
      refused(await call('GET', 'audit', { cookie: supervisor }), 403, 'console.forbidden');
    });

    it('sets the session in an HttpOnly, SameSite=Strict cookie, and ends it on sign-out', async () => {
      const res = await fetch(`${reg.server.url}/console/api/session`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', [CONSOLE_HEADER]: '1' },
        body: JSON.stringify({ userId: ids['Per Åström'], pin: '9991' }),
      });
      const set = res.headers.get('set-cookie')!;
      expect(set).toMatch(/HttpOnly/i);
      expect(set).toMatch(/SameSite=Strict/i);
      expect(set).toMatch(/Path=\/console/);
      const token = new RegExp(`${CONSOLE_COOKIE}=([^;]*)`).exec(set)![1]!;
      expect((await call('GET', 'me', { cookie: token })).body.value).toMatchObject({ user: { name: 'Per Åström', role: 'admin' } });
      expect((await call('POST', 'session/end', { cookie: token })).status).toBe(200);
      refused(await call('GET', 'me', { cookie: token }), 401, 'console.signed_out');
    });

    it('keeps the station routes as they are: a bearer token, not a console session', async () => {
      const admin = await signIn('Per Åström', '9991');
      const res = await fetch(`${reg.server.url}/sync/me`, { headers: { Cookie: `${CONSOLE_COOKIE}=${admin}` } });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('register.unauthorised');
    });
  });

  describe('the console API for an administrator', () => {
    it('shows the fleet with a station silent for longer than the threshold, and the version a station sent', async () => {
      const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
      const admin = await signIn('Per Åström', '9991');
      const issued = await call('POST', 'enrolment-codes', { cookie: admin, body: { siteId: site!.id, stationName: 'Kassa Tyst' } });
      expect(issued.status).toBe(200);
      const { code } = issued.body.value as { code: string };
      const quiet = await reg.register.enrol(code);
      const loud = await reg.register.enrol(await reg.register.createEnrolmentCode({ siteId: site!.id, stationName: 'Kassa Hörd' }));
      // A sync request with the station's version; the quiet one was last heard from two days ago.
      const me = await fetch(`${reg.server.url}/sync/me`, { headers: { Authorization: `Bearer ${loud.token}`, 'X-Depot-Version': '0.1.0' } });
      expect(me.status).toBe(200);
      await reg.register.db.run('update stations set last_seen_at = $1 where id = $2', [Date.now() - 2 * 86_400_000, quiet.stationId]);
      await reg.register.db.run('update stations set last_seen_at = $1 where id = $2', [Date.now(), loud.stationId]);
      const fleet = (await call('GET', 'fleet', { cookie: admin })).body.value as { stations: { name: string; silent: boolean; version: string | null; siteName: string | null }[] };
      expect(fleet.stations.find((s) => s.name === 'Kassa Tyst')).toMatchObject({ silent: true, version: null });
      expect(fleet.stations.find((s) => s.name === 'Kassa Hörd')).toMatchObject({ silent: false, version: '0.1.0' });
      expect(fleet.stations.every((s) => typeof s.siteName === 'string')).toBe(true);
      // The code was used; revoking the quiet station ends its token.
      const codes = (await call('GET', 'enrolment-codes', { cookie: admin })).body.value as { stationName: string; state: string }[];
      expect(codes.find((c) => c.stationName === 'Kassa Tyst')?.state).toBe('used');
      expect((await call('POST', `stations/${quiet.stationId}/revoke`, { cookie: admin })).status).toBe(200);
      expect((await fetch(`${reg.server.url}/sync/me`, { headers: { Authorization: `Bearer ${quiet.token}` } })).status).toBe(401);
    });

    it('withdraws a waiting enrolment code, which then enrols nothing', async () => {
      const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
      const admin = await signIn('Per Åström', '9991');
      const { code } = (await call('POST', 'enrolment-codes', { cookie: admin, body: { siteId: site!.id, stationName: 'Kassa Ångrad' } })).body.value as { code: string };
      const codes = (await call('GET', 'enrolment-codes', { cookie: admin })).body.value as { id: string; stationName: string; state: string }[];
      const line = codes.find((c) => c.stationName === 'Kassa Ångrad')!;
      expect(line.state).toBe('waiting');
      expect(line.id).not.toContain(code);
      expect((await call('POST', `enrolment-codes/${line.id}/withdraw`, { cookie: admin })).status).toBe(200);
      await expect(reg.register.enrol(code)).rejects.toThrow(/not valid/);
      refused(await call('POST', `enrolment-codes/${line.id}/withdraw`, { cookie: admin }), 404, 'console.unknown_code');
    });

    it('creates a user with a one-time code kept only as a verifier, refuses a badge another has, and deactivates the user', async () => {
      const admin = await signIn('Per Åström', '9991');
      const [lena] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [ids['Lena Nilsson']]);
      const taken = (JSON.parse(lena!.data) as { badge_code: string }).badge_code;
      refused(await call('POST', 'users', { cookie: admin, body: { name: 'Nora Nyström', role: 'technician', siteId: null, badge: taken.toLowerCase() } }), 409, 'console.badge_taken');
      const created = await call('POST', 'users', { cookie: admin, body: { name: 'Nora Nyström', role: 'technician', siteId: null, badge: 'u7701' } });
      expect(created.status).toBe(200);
      const { id, code } = created.body.value as { id: string; code: string };
      expect(code).toMatch(/^\d{8}$/);
      const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [id]);
      expect(row!.data).not.toContain(code);
      expect(JSON.parse(row!.data)).toMatchObject({ name: 'Nora Nyström', role: 'technician', badge_code: 'U7701', active: 1, pin_hash: 'none', changed_by: ids['Per Åström'] });
      refused(await call('POST', `users/${ids['Per Åström']}/active`, { cookie: admin, body: { active: false } }), 409, 'console.self');
      expect((await call('POST', `users/${id}/active`, { cookie: admin, body: { active: false } })).status).toBe(200);
      const users = (await call('GET', 'users', { cookie: admin })).body.value as { id: string; active: boolean }[];
      expect(users.find((u) => u.id === id)?.active).toBe(false);
      const audit = (await call('GET', 'audit', { cookie: admin })).body.value as { action: string; userName: string }[];
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['user.create', 'user.deactivate', 'enrolment_code.issue', 'station.revoke']));
      expect(JSON.stringify(audit)).not.toContain(code);
    });

    it('hands a new user to the stations, where the one-time code sets their own PIN', async () => {
      const admin = await signIn('Per Åström', '9991');
      const { id, code } = (await call('POST', 'users', { cookie: admin, body: { name: 'Tove Tekniker', role: 'technician', siteId: null, badge: null } })).body.value as { id: string; code: string };
      const station = await enrolledStation(reg.register, reg.server.url, { start: false });
      setPinWithCode(station.store, station.stationId, { userId: id, code, pin: '5678' });
      expect(stationSignIn(station.store, station.stationId, id, '5678').name).toBe('Tove Tekniker');
      // The station sends the PIN it set; the register takes it, and the console then lets nobody in with it (a technician).
      await station.engine.syncNow();
      const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [id]);
      expect(JSON.parse(row!.data).pin_hash).toMatch(/^scrypt-pepper\$/);
      refused(await call('POST', 'session', { body: { userId: id, pin: '5678' } }), 403, 'console.not_for_role');
      await station.close();
    });

    it('signs out a supervisor deactivated by an administrator at their next call', async () => {
      const admin = await signIn('Per Åström', '9991');
      const supervisor = await signIn('Karin Lundberg', '4441');
      expect((await call('POST', `users/${ids['Karin Lundberg']}/active`, { cookie: admin, body: { active: false } })).status).toBe(200);
      refused(await call('GET', 'fleet', { cookie: supervisor }), 401, 'console.signed_out');
      refused(await call('POST', 'session', { body: { userId: ids['Karin Lundberg'], pin: '4441' } }), 401, 'console.wrong_pin');
      expect((await call('POST', `users/${ids['Karin Lundberg']}/active`, { cookie: admin, body: { active: true } })).status).toBe(200);
    });
  });
});
