import { afterEach, describe, expect, it } from 'vitest';
import type { CallInput } from '../../api/contract';
import type { StationEvent } from '../../services/events';
import type { StationDb } from '../../db/open';
import { queries, signedIn, tinyApi } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

const counts = (s: StationDb) => {
  const n = (sql: string) => queries(s).one<{ n: number }>(sql).n;
  return { movements: n('select count(*) as n from movements'), outbox: n('select count(*) as n from outbox'), balances: n('select sum(quantity) as n from balances') };
};

type Movement = CallInput<'stock.post'>['movements'][number];

/** A move of bulk goods between two of the station's own bins: what the generic posting call may book. */
function moveInput(s: StationDb) {
  const { one } = queries(s);
  const from = one<{ articleId: string; locationId: string; quantity: number }>(
    `select b.article_id as articleId, b.location_id as locationId, b.quantity from balances b join locations l on l.id = b.location_id
     join articles a on a.id = b.article_id join station st on st.site_id = l.site_id
     where a.rentable = 0 and a.tracking = 'none' and l.level = 'bin' and b.quantity >= 4 order by b.article_id limit 1`,
  );
  const to = one<{ id: string }>("select l.id from locations l join station st on st.site_id = l.site_id where l.level = 'bin' and l.id <> ? order by l.code limit 1", from.locationId);
  return { articleId: from.articleId, fromLocationId: from.locationId, toLocationId: to.id, quantity: 4, reason: 'move' } satisfies Movement;
}

describe('API contract', () => {
  it('answers invalid input with an error in Swedish and English and writes nothing', async () => {
    const t = tinyApi();
    store = t.store;
    const w = await signedIn(t.api, 'admin');
    const before = counts(t.store);
    const good = moveInput(t.store);
    for (const input of [
      { movements: [{ ...good, quantity: -3 }] },
      { movements: [{ ...good, quantity: 1.5 }] },
      { movements: [{ ...good, reason: 'stolen' }] },
      { movements: [] },
      { movements: [good, { ...good, extra: 1 }] },
      'not an object',
    ]) {
      // Input the contract does not allow: sent as a stranger's program would, past the types.
      const r = await t.api.call({ name: 'stock.post', input, session: w.session });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.error.code).toBe('api.invalid_input');
        expect(r.error.message.sv).toMatch(/inget har sparats/);
        expect(r.error.message.en).toMatch(/nothing was saved/);
      }
    }
    expect(counts(t.store)).toEqual(before);
  });

  it('refuses a call the contract does not have, or input it does not take, at the typecheck and at run time alike', async () => {
    const t = tinyApi();
    store = t.store;
    const w = await signedIn(t.api, 'admin');
    const good = moveInput(t.store);
    // @ts-expect-error: the contract has no such call
    expect(await w.call('stock.steal', { movements: [good] })).toMatchObject({ ok: false, error: { code: 'api.unknown_call' } });
    // @ts-expect-error: a quantity is a number
    expect(await w.call('stock.post', { movements: [{ ...good, quantity: '4' }] })).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
    // @ts-expect-error: a movement names its article
    expect(await w.call('stock.post', { movements: [{ ...good, articleId: undefined }] })).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
  });

  it('refuses a call the role may not make, and any call without a session', async () => {
    const t = tinyApi();
    store = t.store;
    const depot = await signedIn(t.api, 'depot_staff');
    const r = await depot.call('supervisor.overview', {});
    expect(r).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    const tech = await signedIn(t.api, 'technician');
    expect(await tech.call('stock.siteStock', { siteId: 'x' })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    // A worker cannot point the station at another host or device: printers and scanners are a supervisor's to set up.
    const worker = await signedIn(t.api, 'warehouse_worker');
    expect(await worker.call('printers.save', { printers: [{ id: 'p', name: 'X', connection: { kind: 'tcp', host: '10.0.0.9', port: 9100 }, dpi: 203, labelSize: { widthMm: 50, heightMm: 25 }, kinds: ['individual'] }] })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await worker.call('scanners.save', { scanners: [] })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    expect(await worker.call('printers.list', {})).toMatchObject({ ok: true });
    expect(await t.api.call({ name: 'stock.search', input: { text: 'a' } })).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
    expect(await t.api.call({ name: 'stock.post', input: { movements: [moveInput(t.store)] }, session: 'forged' })).toMatchObject({
      ok: false,
      error: { code: 'auth.signed_out' },
    });
    expect(await t.api.call({ name: 'toString', input: {} })).toMatchObject({ ok: false, error: { code: 'api.unknown_call' } });
    const sup = await signedIn(t.api, 'supervisor');
    expect(await sup.call('supervisor.overview', {})).toMatchObject({ ok: true });
  });

  it('signs in only with the right PIN, locks the user for a while after five wrong ones (a supervisor may unlock sooner), and logs every attempt', async () => {
    const t = tinyApi();
    store = t.store;
    const users = await t.api.call({ name: 'auth.users', input: {} });
    const lena = (users.ok ? (users.value as { id: string; name: string }[]) : []).find((u) => u.name === 'Lena Nilsson')!;
    const attempt = (pin: string) => t.api.call({ name: 'auth.signIn', input: { userId: lena.id, pin } });
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'auth.wrong_pin', field: 'pin' } });
    for (let i = 0; i < 3; i++) expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'auth.wrong_pin' } });
    expect(await attempt('0000')).toMatchObject({ ok: false, error: { code: 'auth.locked', message: { sv: expect.stringMatching(/låst på den här stationen till (\d{4}-\d\d-\d\d )?kl\. \d\d:\d\d.*administratör/) } } });
    // Locked: the right PIN does not help until the lock is over or lifted.
    expect(await attempt('1111')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    const sup = await signedIn(t.api, 'supervisor');
    const locked = await sup.call('auth.locked', {});
    expect(locked).toMatchObject({ ok: true, value: [{ id: lena.id, name: 'Lena Nilsson', lockedUntil: expect.any(Number) }] });
    const { lockedAt, lockedUntil } = (locked as { value: { lockedAt: number; lockedUntil: number }[] }).value[0]!;
    expect(lockedUntil - lockedAt).toBe(15 * 60_000);
    expect(await sup.call('auth.unlock', { userId: lena.id })).toMatchObject({ ok: true, value: { unlocked: true, siteWide: false } });
    expect(await attempt('1111')).toMatchObject({ ok: true });
    const audit = t.store.sqlite.prepare('select action, count(*) as n from audit_log where entity_id = ? group by action order by action').all(lena.id);
    expect(audit).toEqual([
      { action: 'sign_in', n: 1 },
      { action: 'sign_in_failed', n: 5 },
      { action: 'sign_in_locked', n: 1 },
      { action: 'sign_in_refused_locked', n: 1 },
      { action: 'sign_in_unlocked', n: 1 },
    ]);
  });

  it('writes who, where, when and what to the audit trail for every call that changes the database, and nothing for reads', async () => {
    const t = tinyApi();
    store = t.store;
    const w = await signedIn(t.api, 'admin');
    const { one, all } = queries(t.store);
    const trail = () => all('select action, user_id as userId, station_id as stationId, entity, detail from audit_log order by rowid');
    const start = trail().length;
    const input = moveInput(t.store);
    expect(await w.call('stock.post', { movements: [input] })).toMatchObject({ ok: true });
    const station = one<{ id: string }>('select id from station').id;
    expect(trail().slice(start)).toEqual([
      { action: 'stock.post', userId: w.user.id, stationId: station, entity: 'call', detail: JSON.stringify({ input: { movements: [input] } }) },
    ]);
    // Reads, and a refused change, add nothing.
    await w.call('stock.search', { text: 'rullator' });
    await w.call('stock.post', { movements: [{ ...input, quantity: -1 }] });
    expect(trail()).toHaveLength(start + 1);
    // A call that writes its own entry is not written twice; a PIN never reaches the trail.
    const sup = await signedIn(t.api, 'supervisor');
    expect(await sup.call('station.setIdle', { minutes: 20 })).toMatchObject({ ok: true });
    const after = trail().slice(start + 1);
    expect(after.filter((e) => e.action === 'station.setIdle')).toHaveLength(1);
    expect(JSON.stringify(trail())).not.toMatch(/"pin"\s*:\s*"\d/);
  });

  it('locks a shared station after its idle time: the next call finds the user signed out', async () => {
    let clock = Date.now();
    const t = tinyApi({ now: () => clock });
    store = t.store;
    const sup = await signedIn(t.api, 'supervisor');
    expect(await sup.call('station.idle', {})).toMatchObject({ ok: true, value: { minutes: 15 } });
    expect(await sup.call('station.setIdle', { minutes: 0 })).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
    expect(await sup.call('station.setIdle', { minutes: 5 })).toMatchObject({ ok: true });
    expect(await sup.call('station.idle', {})).toMatchObject({ ok: true, value: { minutes: 5 } });
    const worker = await signedIn(t.api, 'warehouse_worker');
    // Five minutes without a call is still within the idle time; each call starts it over.
    clock += 5 * 60_000;
    expect(await worker.call('auth.me', {})).toMatchObject({ ok: true });
    clock += 5 * 60_000;
    expect(await worker.call('auth.me', {})).toMatchObject({ ok: true });
    // A moment longer, and the station has locked.
    clock += 5 * 60_000 + 1;
    expect(await worker.call('auth.me', {})).toMatchObject({ ok: false, error: { code: 'auth.signed_out' } });
  });

  it('names the user of a scanned badge, and only that', async () => {
    const t = tinyApi();
    store = t.store;
    expect(await t.api.call({ name: 'auth.badge', input: { code: 'u1001' } })).toMatchObject({ ok: true, value: { name: 'Lena Nilsson', role: 'warehouse_worker' } });
    expect(await t.api.call({ name: 'auth.badge', input: { code: 'U9999' } })).toMatchObject({ ok: false, error: { code: 'auth.unknown_badge' } });
  });

  it('posts movements for an admin, pushes a stock event and queues them for the register', async () => {
    const t = tinyApi();
    store = t.store;
    const events: StationEvent[] = [];
    t.api.events.subscribe((e) => events.push(e));
    const w = await signedIn(t.api, 'admin');
    const before = counts(t.store);
    const r = await w.call('stock.post', { movements: [moveInput(t.store)] });
    expect(r).toMatchObject({ ok: true, value: { posted: [{ seq: 1 }] } });
    expect(counts(t.store)).toEqual({ movements: before.movements + 1, outbox: before.outbox + 1, balances: before.balances });
    expect(events).toEqual([{ type: 'stock.changed', articleIds: [moveInput(t.store).articleId], movementCount: 1 }]);
  });

  it('turns a refused posting into a worker-facing message and writes nothing', async () => {
    const t = tinyApi();
    store = t.store;
    const w = await signedIn(t.api, 'admin');
    const before = counts(t.store);
    const good = moveInput(t.store);
    const r = await w.call('stock.post', {
      movements: [good, { articleId: good.articleId, fromLocationId: good.fromLocationId, toLocationId: good.toLocationId, quantity: 10_000, reason: 'move' }],
    });
    expect(r).toMatchObject({ ok: false, error: { code: 'stock.insufficient', field: 'quantity' } });
    if (!r.ok) expect(r.error.message.en).toMatch(/There are only \d+ of A\d{6}/);
    expect(counts(t.store)).toEqual(before);
  });

  it('keeps the generic posting call to admins moving stock within this site, at a believable time', async () => {
    const t = tinyApi();
    store = t.store;
    const good = moveInput(t.store);
    for (const role of ['warehouse_worker', 'depot_staff', 'technician', 'supervisor']) {
      const u = await signedIn(t.api, role);
      expect(await u.call('stock.post', { movements: [good] })).toMatchObject({ ok: false, error: { code: 'auth.forbidden' } });
    }
    const admin = await signedIn(t.api, 'admin');
    const before = counts(t.store);
    const other = t.store.sqlite.prepare("select l.id from locations l join station st on st.site_id <> l.site_id where l.level = 'bin' limit 1").get() as { id: string };
    const now = Date.now();
    const refused: [Movement, string][] = [
      // Each reason belongs to its own workflow: no count adjustment without a count, no scrapping outside the service flow.
      [{ ...good, toLocationId: null, quantity: 1_000_000, reason: 'count_adjustment' }, 'stock.reason_not_allowed'],
      [{ articleId: good.articleId, toLocationId: good.toLocationId, quantity: 1_000_000, reason: 'count_adjustment' }, 'stock.reason_not_allowed'],
      [{ ...good, toLocationId: null, reason: 'scrap' }, 'stock.reason_not_allowed'],
      [{ articleId: good.articleId, toLocationId: good.toLocationId, quantity: 5, reason: 'receipt' }, 'stock.reason_not_allowed'],
      [{ ...good, reason: 'correction' }, 'stock.reason_not_allowed'],
      // Another site's shelves are booked there, not here.
      [{ ...good, toLocationId: other.id }, 'stock.other_site'],
      // A date the station cannot believe.
      [{ ...good, occurredAt: 1 }, 'stock.bad_date'],
      [{ ...good, occurredAt: 2 ** 53 - 1 }, 'stock.bad_date'],
      [{ ...good, occurredAt: now + 86_400_000 }, 'stock.bad_date'],
      [{ ...good, occurredAt: now - 400 * 86_400_000 }, 'stock.bad_date'],
      [{ ...good, quantity: 1_000_001 }, 'api.invalid_input'],
    ];
    for (const [movement, code] of refused) {
      const r = await admin.call('stock.post', { movements: [movement] });
      expect(r, JSON.stringify(movement)).toMatchObject({ ok: false, error: { code } });
      if (!r.ok) expect(r.error.message.sv).not.toMatch(/occurredAt|toLocationId|reason/);
    }
    expect(counts(t.store)).toEqual(before);
    // Yesterday's move, booked today, is fine.
    expect(await admin.call('stock.post', { movements: [{ ...good, occurredAt: now - 86_400_000 }] })).toMatchObject({ ok: true });
  });

  it('keeps none of a failed call\'s writes: a call that breaks after its first write leaves the station as it was', async () => {
    const t = tinyApi();
    store = t.store;
    const sup = await signedIn(t.api, 'supervisor');
    const { one, all } = queries(t.store);
    const settings = () => all('select key, value from station_settings order by key');
    const trail = () => one<{ n: number }>('select count(*) as n from audit_log').n;
    // The second write of each call fails in the database (as a full disk or a broken file would).
    t.store.sqlite.exec(`create trigger fail_second_write before insert on audit_log when new.action in ('kiosk.configure', 'station.setIdle')
      begin select raise(abort, 'disk I/O error'); end`);
    t.store.sqlite.exec(`create trigger fail_gs1 before insert on station_settings when new.key = 'gs1' begin select raise(abort, 'disk I/O error'); end`);
    t.store.sqlite.exec(`create trigger fail_gs1_update before update on station_settings when new.key = 'gs1' begin select raise(abort, 'disk I/O error'); end`);
    const before = { settings: settings(), trail: trail() };
    for (const [name, input] of [
      ['kiosk.configure', { enabled: true, idleSeconds: 30 }],
      ['station.setIdle', { minutes: 3 }],
      ['settings.saveGs1', { companyPrefix: '7350001', extensionDigit: 1 }],
    ] as const) {
      const r = await sup.call(name, input);
      expect(r, name).toMatchObject({ ok: false, error: { code: 'internal' } });
      if (!r.ok) expect(r.error.message.sv).toMatch(/inget har sparats/);
    }
    expect({ settings: settings(), trail: trail() }).toEqual(before);
  });

  it('takes only well-formed text, of a sane length, even from a public call, and its audit chain stays whole', async () => {
    const t = tinyApi();
    store = t.store;
    const trail = () => queries(t.store).one<{ n: number }>('select count(*) as n from audit_log').n;
    const before = trail();
    // Lone surrogates, and NUL, which no text column of the register's PostgreSQL can hold.
    for (const userId of ['x\ud800y', '\udc00', 'a\ud800', 'a\u0000b']) {
      const r = await t.api.call({ name: 'auth.signIn', input: { userId, pin: '1234' } });
      expect(r).toMatchObject({ ok: false, error: { code: 'api.not_text' } });
    }
    expect(await t.api.call({ name: 'auth.signIn', input: { userId: 'x'.repeat(4 << 20), pin: '1234' } })).toMatchObject({ ok: false, error: { code: 'api.invalid_input' } });
    expect(trail()).toBe(before);
    // A well-formed attempt is recorded, and the chain verifies over it.
    await t.api.call({ name: 'auth.signIn', input: { userId: 'Åsa\u0308', pin: '1234' } });
    expect(trail()).toBe(before + 1);
    const boss = await signedIn(t.api, 'supervisor');
    expect(await boss.call('audit.verify', {})).toMatchObject({ ok: true, value: { ok: true } });
    // Decomposed and composed letters are the same text.
    const word = (t.store.sqlite.prepare("select name from articles where name glob '*[åäöÅÄÖ]*' limit 1").get() as { name: string }).name.split(' ').find((w) => /[åäöÅÄÖ]/.test(w))!;
    const composed = (await boss.call('stock.search', { text: word })) as { ok: true; value: { hits?: unknown[] } | unknown[] };
    expect(JSON.stringify(composed.value).length).toBeGreaterThan(20);
    expect(await boss.call('stock.search', { text: word.normalize('NFD') })).toEqual(composed);
  });

  it('finds a device by any of its codes, decoded and resolved as a scan is, and never a retired location', async () => {
    const t = tinyApi();
    store = t.store;
    const w = await signedIn(t.api, 'warehouse_worker');
    const ind = t.store.sqlite.prepare('select id, individual_number as n, serial_number as s from individuals where serial_number is not null limit 1').get() as { id: string; n: string; s: string };
    for (const code of [ind.n, ind.n.toLowerCase(), ` ${ind.n}\r`, ind.s]) {
      expect(await w.call('stock.resolve', { code })).toMatchObject({ ok: true, value: { kind: 'individual', id: ind.id } });
    }
    const gtin = t.store.sqlite.prepare('select gtin, article_id from article_gtins limit 1').get() as { gtin: string; article_id: string };
    expect(await w.call('stock.resolve', { code: gtin.gtin.slice(1) })).toMatchObject({ ok: true, value: { kind: 'article', id: gtin.article_id } });
    expect(await w.call('stock.resolve', { code: 'NO-SUCH-THING' })).toMatchObject({ ok: true, value: { kind: 'unknown' } });
    const place = t.store.sqlite.prepare("select id, code from locations where kind = 'shelf' limit 1").get() as { id: string; code: string };
    expect(await w.call('stock.resolve', { code: place.code })).toMatchObject({ ok: true, value: { kind: 'location', id: place.id } });
    t.store.sqlite.prepare('update locations set retired_at = 1 where id = ?').run(place.id);
    expect(await w.call('stock.resolve', { code: place.code })).toMatchObject({ ok: true, value: { kind: 'unknown' } });
    // A badge is a credential, not something to look up.
    const badge = t.store.sqlite.prepare('select badge_code as b from users where badge_code is not null limit 1').get() as { b: string };
    expect(await w.call('stock.resolve', { code: badge.b })).toMatchObject({ ok: true, value: { kind: 'unknown' } });
  });
});
