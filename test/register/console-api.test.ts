/**
 * The register's console API meets hostile input: no cookie or a made-up one, a write without the
 * console's header or from another site's page, malformed and oversized bodies, unknown users,
 * wrong PINs until the lock, and users who are not administrators or supervisors. Every refusal
 * has the one shape, in words. What it does for an administrator (the fleet with a silent
 * station, codes, users) is checked here against the register's own records, and so is the
 * master data a supervisor or an administrator keeps there: articles (which reach a station at its
 * next sync), sites and delivery points, each refused in words with nothing changed when it breaks
 * a rule a station's change would break.
 */
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { regionSample } from '../../register/import/sample';
import { headRev } from '../../register/sql';
import { CONSOLE_BODY_LIMIT, CONSOLE_COOKIE, CONSOLE_HEADER } from '../../register/console/api';
import { lockedMessage } from '../../register/console/messages';
import { setPinWithCode, signIn as stationSignIn } from '../../db/users/users';
import { enrolledStation, STORES, tinyRegister, type TestRegister } from '../sync/harness';

describe('the console lock\'s words', () => {
  it('name the day too when the lock ends on another day, as a lock of up to a day can', () => {
    const late = new Date(2026, 11, 5, 23, 50).getTime();
    expect(lockedMessage(late + 5 * 60_000, late).sv).toContain('låst till kl. 23:55 ');
    expect(lockedMessage(late + 15 * 60_000, late).sv).toContain('låst till 2026-12-06 kl. 00:05 ');
    expect(lockedMessage(late + 15 * 60_000, late).en).toContain('locked until 00:05 on 2026-12-06 ');
    expect(lockedMessage(late - 12 * 60 * 60_000 + 16 * 60 * 60_000, late - 12 * 60 * 60_000).sv).toContain('låst till 2026-12-06 kl. 03:50 ');
  });
});

describe.each(STORES)('the console API on %s', (kind) => {
  let reg: TestRegister;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    reg = await tinyRegister(kind);
    for (const name of ['Per Åström', 'Helena Forsberg', 'Karin Lundberg', 'Erik Sandström', 'Lena Nilsson', 'Eva Lindgren, arbetsterapeut']) {
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
      expect(locked.body.error!.message.sv).toMatch(/låst till (\d{4}-\d\d-\d\d )?kl\. \d\d:\d\d/);
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

  describe('master data in the console', () => {
    const article = (over: Record<string, unknown> = {}) => ({
      articleNumber: 'K9001',
      name: 'Rollator Konsol',
      isoCode: '120606',
      supplier: 'Polarmedica AB',
      unit: 'st',
      purchasePrice: 123450,
      rentable: false,
      tracking: 'none',
      equivalenceGroup: null,
      gtins: ['7350000099010'],
      hibc: ['+e735k9001'],
      ...over,
    });
    const point = (over: Record<string, unknown> = {}) => ({ name: 'Boden äldreboende Älven', address: 'Älvgatan 4', postcode: '96133', town: 'Boden', municipality: 'Boden', route: 'Boden norr', weekday: 2, ...over });
    /** The register's change counter: unchanged when a refusal changed nothing. */
    const lastRev = async () => Number((await reg.register.db.all<{ n: number }>('select max(rev) as n from entities'))[0]!.n);
    const entity = async (kind: string, id: string) => {
      const [row] = await reg.register.db.all<{ data: string }>('select data from entities where kind = $1 and id = $2', [kind, id]);
      return row ? (JSON.parse(row.data) as Record<string, unknown>) : null;
    };
    const site = async (code: string) => {
      const rows = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site'");
      return rows.find((r) => JSON.parse(r.data).code === code)!.id;
    };

    it('an article a supervisor creates in the console reaches a station enrolled from the register, audited', async () => {
      const supervisor = await signIn('Karin Lundberg', '4441');
      const created = await call('POST', 'articles', { cookie: supervisor, body: article() });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const { id } = created.body.value as { id: string };
      expect(await entity('article', id)).toMatchObject({
        article_number: 'K9001',
        search_name: 'rollator konsol',
        iso_edition: 'ISO 9999:2016',
        rentable: 0,
        purchase_price: 123450,
        gtins: ['07350000099010'],
        hibc: ['E735K9001'],
        changed_by: ids['Karin Lundberg'],
      });
      const station = await enrolledStation(reg.register, reg.server.url, { start: false });
      const changed = await call('POST', `articles/${id}`, { cookie: supervisor, body: article({ name: 'Rollator Konsol XL', gtins: ['7350000099010', '07350000099027'] }) });
      expect(changed.status, JSON.stringify(changed.body)).toBe(200);
      await station.engine.syncNow();
      expect(station.store.sqlite.prepare('select article_number, name, iso_code, supplier, purchase_price, changed_by from articles where id = ?').get(id)).toEqual({
        article_number: 'K9001',
        name: 'Rollator Konsol XL',
        iso_code: '120606',
        supplier: 'Polarmedica AB',
        purchase_price: 123450,
        changed_by: ids['Karin Lundberg'],
      });
      expect(station.store.sqlite.prepare('select gtin from article_gtins where article_id = ? order by gtin').all(id)).toEqual([{ gtin: '07350000099010' }, { gtin: '07350000099027' }]);
      await station.close();
      const admin = await signIn('Per Åström', '9991');
      const audit = (await call('GET', 'audit', { cookie: admin })).body.value as { action: string; subject: string; userName: string }[];
      expect(audit.filter((a) => a.subject === id).map((a) => [a.action, a.userName])).toEqual([
        ['article.change', 'Karin Lundberg'],
        ['article.create', 'Karin Lundberg'],
      ]);
    });

    it('refuses a taken number, GTIN or HIBC code, an ISO code the region does not prescribe, and a changed way of following an article with stock, with nothing changed', async () => {
      const supervisor = await signIn('Karin Lundberg', '4441');
      const [stocked] = await reg.register.db.all<{ id: string; data: string }>(
        "select id, data from entities where kind = 'article' and id in (select article_id from balances where quantity <> 0) and data like '%\"rentable\":0%' order by id limit 1",
      );
      const theirs = JSON.parse(stocked!.data) as { article_number: string; gtins: string[]; hibc: string[]; name: string };
      const rev = await lastRev();
      const number = await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: theirs.article_number, gtins: [] }) });
      refused(number, 409, 'console.number_taken');
      expect(number.body.error!.message.sv).toContain(theirs.name);
      const gtin = await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9002', gtins: [theirs.gtins[0]!.slice(1)] }) });
      refused(gtin, 409, 'console.code_taken');
      expect(gtin.body.error!.message.sv).toContain(theirs.article_number);
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9002', gtins: [], hibc: [theirs.hibc[0]] }) }), 409, 'console.code_taken');
      const iso = await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9002', isoCode: '999999', gtins: [] }) });
      refused(iso, 400, 'console.bad_article');
      expect(iso.body.error!.message.sv).toContain('ISO 9999');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9002', gtins: ['7350000099011'] }) }), 400, 'console.bad_gtin');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9002', rentable: true, tracking: 'lot', gtins: [] }) }), 400, 'console.bad_article');
      const before = await entity('article', stocked!.id);
      const asIs = {
        articleNumber: before!.article_number,
        name: before!.name,
        isoCode: before!.iso_code,
        supplier: before!.supplier,
        unit: before!.unit,
        purchasePrice: before!.purchase_price,
        rentable: false,
        tracking: before!.tracking,
        equivalenceGroup: before!.equivalence_group,
        gtins: before!.gtins,
        hibc: before!.hibc,
      };
      refused(await call('POST', `articles/${stocked!.id}`, { cookie: supervisor, body: { ...asIs, tracking: 'lot_expiry' } }), 409, 'console.counted_differently');
      expect(await lastRev()).toBe(rev);
      expect(await entity('article', stocked!.id)).toEqual(before);
      // What does not change how it is counted may change.
      expect((await call('POST', `articles/${stocked!.id}`, { cookie: supervisor, body: { ...asIs, supplier: 'Norrbottens Hjälpmedel AB' } })).status).toBe(200);
      expect(await entity('article', stocked!.id)).toMatchObject({ supplier: 'Norrbottens Hjälpmedel AB', tracking: before!.tracking });
    });

    it('lets only an administrator change a site, whose code and kind stay', async () => {
      const supervisor = await signIn('Karin Lundberg', '4441');
      const admin = await signIn('Per Åström', '9991');
      const boden = await site('BOD');
      const before = (await entity('site', boden))!;
      const body = { name: before.name, municipality: before.municipality, address: 'Hedenbrovägen 9', postcode: '96136', town: 'Boden', route: 'Boden centrum', deliveryWeekday: 3 };
      const rev = await lastRev();
      refused(await call('POST', `sites/${boden}`, { cookie: supervisor, body }), 403, 'console.forbidden');
      refused(await call('POST', `sites/${boden}`, { cookie: admin, body: { ...body, code: 'XXX' } }), 400, 'console.bad_request');
      refused(await call('POST', `sites/${boden}`, { cookie: admin, body: { ...body, postcode: '9613' } }), 400, 'console.bad_place');
      refused(await call('POST', `sites/${boden}`, { cookie: admin, body: { ...body, deliveryWeekday: null } }), 400, 'console.bad_place');
      refused(await call('POST', 'sites/no-such-site', { cookie: admin, body }), 404, 'console.unknown_site');
      expect(await lastRev()).toBe(rev);
      expect((await call('POST', `sites/${boden}`, { cookie: admin, body })).status).toBe(200);
      expect(await entity('site', boden)).toMatchObject({ code: before.code, kind: before.kind, address: 'Hedenbrovägen 9', postcode: '961 36', route: 'Boden centrum', delivery_weekday: 3, changed_by: ids['Per Åström'] });
      const listed = (await call('GET', 'sites', { cookie: supervisor })).body.value as { id: string; address: string | null }[];
      expect(listed.find((s) => s.id === boden)?.address).toBe('Hedenbrovägen 9');
    });

    it("lets a supervisor keep their own site's delivery points and not another site's; an administrator keeps any site's", async () => {
      const karin = await signIn('Karin Lundberg', '4441');
      const erik = await signIn('Erik Sandström', '4442');
      const admin = await signIn('Per Åström', '9991');
      const boden = await site('BOD');
      const sunderby = await site('LUL');
      const points = (await call('GET', `delivery-points?site=${boden}`, { cookie: erik })).body.value as { id: string; name: string; siteId: string }[];
      expect(points.length).toBeGreaterThan(0);
      expect(points.every((p) => p.siteId === boden)).toBe(true);
      const rev = await lastRev();
      refused(await call('POST', `delivery-points/${points[0]!.id}`, { cookie: erik, body: { route: 'Annan' } }), 403, 'console.other_site');
      refused(await call('POST', 'delivery-points', { cookie: erik, body: { siteId: boden, ...point() } }), 403, 'console.other_site');
      refused(await call('POST', 'delivery-points', { cookie: karin, body: { siteId: boden, ...point({ postcode: '9613' }) } }), 400, 'console.bad_place');
      refused(await call('POST', 'delivery-points', { cookie: karin, body: { siteId: boden, ...point({ name: points[0]!.name }) } }), 409, 'console.point_name_taken');
      refused(await call('POST', 'delivery-points', { cookie: karin, body: { siteId: boden, ...point({ weekday: 6 }) } }), 400, 'console.bad_request');
      refused(await call('POST', 'delivery-points/no-such-point', { cookie: karin, body: { retired: true } }), 404, 'console.unknown_point');
      expect(await lastRev()).toBe(rev);
      const created = await call('POST', 'delivery-points', { cookie: karin, body: { siteId: boden, ...point() } });
      expect(created.status, JSON.stringify(created.body)).toBe(200);
      const { id } = created.body.value as { id: string };
      expect(await entity('delivery_point', id)).toMatchObject({ site_id: boden, postcode: '961 33', weekday: 2, retired_at: null, changed_by: ids['Karin Lundberg'] });
      expect((await call('POST', `delivery-points/${id}`, { cookie: karin, body: { retired: true } })).status).toBe(200);
      expect((await entity('delivery_point', id))!.retired_at).toEqual(expect.any(Number));
      expect(await entity('delivery_point', id)).toMatchObject({ name: 'Boden äldreboende Älven', route: 'Boden norr' });
      // Erik keeps Sunderby's; an administrator any site's.
      expect((await call('POST', 'delivery-points', { cookie: erik, body: { siteId: sunderby, ...point({ name: 'Sunderby vårdcentral', town: 'Luleå', municipality: 'Luleå' }) } })).status).toBe(200);
      expect((await call('POST', `delivery-points/${id}`, { cookie: admin, body: { retired: false, weekday: 4 } })).status).toBe(200);
      expect(await entity('delivery_point', id)).toMatchObject({ retired_at: null, weekday: 4, changed_by: ids['Per Åström'] });
      const all = (await call('GET', 'delivery-points', { cookie: karin })).body.value as { siteId: string }[];
      expect(new Set(all.map((p) => p.siteId))).toEqual(new Set([boden, sunderby]));
      const audit = (await call('GET', 'audit', { cookie: admin })).body.value as { action: string; subject: string }[];
      expect(audit.filter((a) => a.subject === id).map((a) => a.action)).toEqual(['delivery_point.reinstate', 'delivery_point.retire', 'delivery_point.create']);
    });

    it('refuses hostile master data input in the common shape, with nothing changed', async () => {
      const supervisor = await signIn('Karin Lundberg', '4441');
      const rev = await lastRev();
      refused(await call('POST', 'articles', { cookie: supervisor, body: { ...article({ articleNumber: 'K9100' }), changed_by: ids['Per Åström'] } }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', purchasePrice: -1 }) }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', purchasePrice: 1.5 }) }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', tracking: 'serial' }) }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', gtins: Array.from({ length: 21 }, () => '7350000099034') }) }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', name: 'x'.repeat(500) }) }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: "K1' or '1'='1", gtins: [] }) }), 400, 'console.bad_article');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', name: '   ', gtins: [] }) }), 400, 'console.bad_article');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', gtins: ['%'] }) }), 400, 'console.bad_gtin');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100', hibc: ['<script>'], gtins: [] }) }), 400, 'console.bad_article');
      refused(await call('POST', 'articles', { cookie: supervisor, body: '{"articleNumber":' }), 400, 'console.bad_request');
      refused(await call('POST', 'articles', { cookie: supervisor, body: JSON.stringify({ ...article(), pad: 'x'.repeat(CONSOLE_BODY_LIMIT) }) }), 413, 'console.too_large');
      refused(await call('POST', `articles/${'a'.repeat(65)}`, { cookie: supervisor, body: article() }), 400, 'console.bad_request');
      refused(await call('POST', 'articles/no-such-article', { cookie: supervisor, body: article({ articleNumber: 'K9100' }) }), 404, 'console.unknown_article');
      refused(await call('POST', 'articles', { body: article({ articleNumber: 'K9100' }) }), 401, 'console.signed_out');
      refused(await call('POST', 'articles', { cookie: supervisor, body: article({ articleNumber: 'K9100' }), headers: { [CONSOLE_HEADER]: '' } }), 403, 'console.csrf');
      refused(await call('GET', "delivery-points?site=x' or 1=1", { cookie: supervisor }), 400, 'console.bad_request');
      refused(await call('POST', 'delivery-points', { cookie: supervisor, body: { siteId: 'no-such-site', ...point() } }), 403, 'console.other_site');
      refused(await call('POST', 'delivery-points/x', { cookie: supervisor, body: { site_id: 'elsewhere' } }), 400, 'console.bad_request');
      expect(await lastRev()).toBe(rev);
      const admin = await signIn('Per Åström', '9991');
      refused(await call('POST', 'delivery-points', { cookie: admin, body: { siteId: 'no-such-site', ...point() } }), 404, 'console.unknown_site');
      expect(await lastRev()).toBe(rev);
    });
  });

  describe("the region's files from the console", () => {
    it('previews an import without changing anything, applies it once, names the rejected rows by the files chosen, and is an administrator\'s', async () => {
      const sites = (await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
      const sample = regionSample({ articles: 40, individuals: 120, orders: 10, sites, errors: true, firstIndividual: 8_000_001 });
      const files = [
        { name: 'artiklar.csv', content: sample.articles.toString('base64') },
        { name: 'individer.csv', content: sample.individuals.toString('base64') },
        { name: 'ordrar.csv', content: sample.orders.toString('base64') },
      ];
      const supervisor = await signIn('Karin Lundberg', '4441');
      refused(await call('POST', 'import', { cookie: supervisor, body: { apply: true, files } }), 403, 'console.forbidden');
      const admin = await signIn('Per Åström', '9991');
      const rev = await headRev(reg.register.db);
      const preview = await call('POST', 'import', { cookie: admin, body: { apply: false, files } });
      expect(preview.status, JSON.stringify(preview.body)).toBe(200);
      expect(preview.body.value).toMatchObject({ applied: false, created: { article: 38, individual: 118, order: 10 }, rejectedCount: 4 });
      expect(await headRev(reg.register.db)).toBe(rev);
      const rejected = (preview.body.value as { rejected: { file: string; row: number }[] }).rejected;
      expect(rejected.map((r) => r.file).sort()).toEqual(['artiklar.csv', 'artiklar.csv', 'individer.csv', 'individer.csv']);
      const applied = await call('POST', 'import', { cookie: admin, body: { apply: true, files } });
      expect(applied.body.value).toMatchObject({ applied: true, created: { article: 38, individual: 118, order: 10 } });
      const again = await call('POST', 'import', { cookie: admin, body: { apply: true, files } });
      expect(again.body.value).toMatchObject({ created: { article: 0, individual: 0, order: 0 }, updated: { article: 0, individual: 0, order: 0 } });
      const after = await headRev(reg.register.db);
      // Hostile files: a name that reaches out of the folder, not base64, a packed file, too many files; each refused, nothing changed.
      refused(await call('POST', 'import', { cookie: admin, body: { apply: true, files: [{ name: '../../etc/passwd.csv', content: files[0]!.content }] } }), 400, 'console.bad_request');
      refused(await call('POST', 'import', { cookie: admin, body: { apply: true, files: [{ name: 'a.csv', content: 'not base64!' }] } }), 400, 'console.bad_request');
      const packed = await call('POST', 'import', { cookie: admin, body: { apply: true, files: [{ name: 'artiklar.csv', content: gzipSync(sample.articles).toString('base64') }] } });
      refused(packed, 400, 'import.bad_file');
      expect(packed.body.error?.message.sv).toContain('artiklar.csv');
      expect(packed.body.error?.message.sv).not.toContain('depot-import-');
      refused(await call('POST', 'import', { cookie: admin, body: { apply: true, files: [...files, files[0]!] } }), 400, 'console.bad_request');
      expect(await headRev(reg.register.db)).toBe(after);
      const log = (await call('GET', 'audit', { cookie: admin })).body.value as { action: string }[];
      expect(log.filter((l) => l.action.startsWith('import.')).map((l) => l.action)).toEqual(expect.arrayContaining(['import.preview', 'import.apply']));
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
