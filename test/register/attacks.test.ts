/**
 * Attacks on the register and on what travels through it, made through its HTTP face and the
 * stations' own calls. Each test here is one attack that succeeded when it was written; it fails
 * until the register (or the stations) refuse it.
 */
import { existsSync } from 'node:fs';
import { request as httpRequest, createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { enrolWithRegister } from '../../services/sync';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { chainHash, CHAIN_START } from '../../db/audit-chain';
import { uuidv7 } from '../../db/ids';
import { openStationDb, type StationDb } from '../../db/open';
import { PEPPER_FILE } from '../../db/pepper';
import { syncLink } from '../../db/sync/link';
import { pack, type AuditPushResponse, type AuditTuple } from '../../db/sync/wire';
import { serveRegister } from '../../register/http';
import { tempDir } from '../helpers';
import { enrolledStation, tinyRegister } from '../sync/harness';

const MIN = 60_000;
const servers: Server[] = [];
const stores: StationDb[] = [];
const closers: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of closers.splice(0)) await c();
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
  for (const s of stores.splice(0)) s.close();
});

/**
 * A reverse proxy in front of the register, as the README sets it up (TLS ends there): it passes
 * each request on and says whom it came from in `X-Forwarded-For`, as such proxies do.
 */
async function reverseProxy(target: string): Promise<string> {
  const to = new URL(target);
  const server = createServer((req, res) => {
    const headers = { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress ?? '' };
    const up = httpRequest({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers, agent: false }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    up.on('error', () => res.destroy());
    req.pipe(up);
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A POST from a given local address (127.0.0.2 is another machine as far as the proxy can tell). */
function postFrom(localAddress: string, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', localAddress, agent: false, headers: { 'Content-Type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('enrolment behind the region\'s proxy', () => {
  it('someone guessing codes does not stop another station from enrolling with a good one', async () => {
    // What a user notices: IT gives a technician a fresh code for a new station, and the station
    // says "För många försök. Vänta en minut och försök igen." again and again. Behind the
    // TLS-terminating proxy the README prescribes, every station and every stranger reaches the
    // register from the proxy's one address, so the limit of 20 enrolment attempts a minute "from
    // one address" is one limit for the whole region: anyone who can reach the proxy keeps every
    // enrolment refused by sending 21 wrong codes a minute.
    const reg = await tinyRegister('sqlite');
    // The register told which address is its proxy (`--trust-proxy`), as the README says to.
    const behind = await serveRegister(reg.register, { trustProxy: ['127.0.0.1', '::ffff:127.0.0.1'] });
    closers.push(() => behind.close());
    const proxy = await reverseProxy(behind.url);
    const refusedStranger: number[] = [];
    for (let i = 0; i < 21; i++) refusedStranger.push(await postFrom('127.0.0.2', `${proxy}/enrol`, JSON.stringify({ code: `GUESS${i}XXXXX` })));
    expect(refusedStranger).toContain(403);

    const sites = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id");
    const code = await reg.register.createEnrolmentCode({ stationName: 'Ny station', siteId: sites[0]!.id });
    const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
    stores.push(store);
    const enrolled = await enrolWithRegister(store, proxy, code).then(
      (e) => ({ ok: true as const, stationId: e.stationId }),
      (e: { status?: number; userMessage?: { en: string } }) => ({ ok: false as const, status: e.status, message: e.userMessage?.en }),
    );
    expect(enrolled).toMatchObject({ ok: true });
  });
});

describe('an administrator\'s unlock for the whole site', () => {
  it('lifts a lock at another station of the site although the unlocking station\'s clock is two minutes behind', async () => {
    // What a user notices: Per is locked out at station A. A minute later an administrator
    // (Helena) lifts his locks at station B of the same site; B answers that the lock is lifted at
    // every station of the site. After both have synced Per still cannot sign in at A. B's clock
    // runs two minutes slow, so the unlock is dated before the lock began and A counts it as
    // lifting nothing; Per waits out the quarter of an hour. Two minutes is well within the clock
    // drift the register itself accepts.
    const reg = await tinyRegister('sqlite');
    const sites = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id");
    const bod = sites.findIndex((s) => (JSON.parse(s.data) as { code: string }).code === 'BOD');
    const a = await enrolledStation(reg.register, reg.server.url, { site: bod, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: bod, start: false });
    const real = { now: Date.now() };
    const apiA = createApi(a.store, { now: () => real.now });
    const apiB = createApi(b.store, { now: () => real.now - 2 * MIN });
    const id = (s: StationDb, name: string) => (s.sqlite.prepare('select id from users where name = ?').get(name) as { id: string }).id;
    const pin = (name: string) => DEMO_USERS.find((u) => u.name === name)!.pin;
    const signIn = (api: typeof apiA, s: StationDb, name: string, p = pin(name)) => api.call({ name: 'auth.signIn', input: { userId: id(s, name), pin: p } });

    for (let i = 0; i < 5; i++) await signIn(apiA, a.store, 'Per Åström', '0000');
    expect(await signIn(apiA, a.store, 'Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });

    real.now += MIN;
    const helena = await signIn(apiB, b.store, 'Helena Forsberg');
    expect(helena.ok).toBe(true);
    const session = (helena as { value: { session: string } }).value.session;
    expect(await apiB.call({ name: 'auth.unlock', input: { userId: id(b.store, 'Per Åström') }, session })).toMatchObject({ ok: true, value: { siteWide: true } });
    await b.engine.syncNow();
    // The register took the unlock (nothing was rejected) and A has it.
    expect(await reg.register.db.all("select id from entities where kind = 'sign_in_unlock'")).toHaveLength(1);
    await a.engine.syncNow();
    expect(a.store.sqlite.prepare('select count(*) as n from sign_in_unlocks').get()).toEqual({ n: 1 });

    real.now += 1_000;
    expect(await signIn(apiA, a.store, 'Per Åström')).toMatchObject({ ok: true });
  });

  it('lifts the user\'s locks at the stations of the user\'s site, not at a station of another site', async () => {
    // What a user notices: someone keeps trying Per's PIN at a station of the Luleå depot, and it
    // locks him there. The Luleå supervisor sees the lock vanish although no one there lifted it:
    // an administrator in Boden (Per's site) lifted Per's locks "at every station of the site",
    // and the Luleå station applied the unlock too. Every station applies every unlock that comes
    // from the register, whatever its site (the site an unlock names is stored and never read), so
    // a station that may send unlocks only for its own site's users lifts their locks everywhere.
    const reg = await tinyRegister('sqlite');
    const sites = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id");
    const at = (code: string) => sites.findIndex((s) => (JSON.parse(s.data) as { code: string }).code === code);
    const boden = await enrolledStation(reg.register, reg.server.url, { site: at('BOD'), start: false });
    const lulea = await enrolledStation(reg.register, reg.server.url, { site: at('LUL'), start: false });
    const clock = { now: Date.now() };
    const apiBoden = createApi(boden.store, { now: () => clock.now });
    const apiLulea = createApi(lulea.store, { now: () => clock.now });
    const id = (s: StationDb, name: string) => (s.sqlite.prepare('select id from users where name = ?').get(name) as { id: string }).id;
    const pin = (name: string) => DEMO_USERS.find((u) => u.name === name)!.pin;
    const signIn = (api: typeof apiBoden, s: StationDb, name: string, p = pin(name)) => api.call({ name: 'auth.signIn', input: { userId: id(s, name), pin: p } });

    for (let i = 0; i < 5; i++) await signIn(apiLulea, lulea.store, 'Per Åström', '0000');
    expect(await signIn(apiLulea, lulea.store, 'Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
    clock.now += MIN;
    const helena = await signIn(apiBoden, boden.store, 'Helena Forsberg');
    const session = (helena as { value: { session: string } }).value.session;
    expect(await apiBoden.call({ name: 'auth.unlock', input: { userId: id(boden.store, 'Per Åström') }, session })).toMatchObject({ ok: true, value: { siteWide: true } });
    await boden.engine.syncNow();
    await lulea.engine.syncNow();
    clock.now += 1_000;
    expect(await signIn(apiLulea, lulea.store, 'Per Åström')).toMatchObject({ ok: false, error: { code: 'auth.locked' } });
  });
});

describe('a station\'s audit trail at the register', () => {
  it('takes no entry from one station that says it was made at another', async () => {
    // What a user notices: IT reads the register's copy of the trails to see what was done at
    // station B (the entries name the station they were made at) and finds an administrator's
    // count approval "at B" that no one made there. Station A sent it in its own trail, keyed
    // with its own chain key, naming B's station and B's administrator; the register checked the
    // link, kept the entry as sound and said nothing. A station's trail only ever holds entries
    // made at that station, so such an entry is a forgery the register can see.
    const reg = await tinyRegister('sqlite');
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    await a.engine.syncNow();
    const held = await reg.register.db.all<{ seq: number; hash: string | null }>('select seq, hash from audit_entries where station_id = $1 order by seq desc limit 1', [a.stationId]);
    const seq = Number(held[0]?.seq ?? 0) + 1;
    const prev = held[0]?.hash ?? (a.store.sqlite.prepare('select hash from audit_log order by rowid desc limit 1').get() as { hash: string } | undefined)?.hash ?? CHAIN_START.prev;
    const admin = b.store.sqlite.prepare("select id from users where role = 'admin' limit 1").get() as { id: string };
    const row = { id: uuidv7(), at: Date.now(), stationId: b.stationId, userId: admin.id, action: 'count.approve', entity: 'count', entityId: uuidv7(), detail: null };
    const hash = chainHash(a.store.auditKey, prev, row);
    const forged: AuditTuple = [seq, row.id, row.at, row.stationId, row.userId, row.action, row.entity, row.entityId, row.detail, hash];
    const res = await fetch(`${reg.server.url}/sync/audit`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${syncLink(a.store)!.token}`, 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' },
      body: new Uint8Array(pack({ entries: [forged], key: a.store.auditKey.toString('hex'), head: { seq, hash } })),
    });
    const answer = res.status === 200 ? ((await res.json()) as AuditPushResponse) : null;
    // Refused outright, or kept and marked as not A's.
    expect(answer === null || answer.broken.includes(seq)).toBe(true);
  });
});

describe('the region\'s PIN pepper (refused as it should be)', () => {
  it('is not handed to a caller without a station\'s token, nor to a revoked station, and a refused enrolment writes none', async () => {
    const reg = await tinyRegister('sqlite');
    const pepperAt = (headers: Record<string, string>) => fetch(`${reg.server.url}/sync/pepper`, { headers }).then(async (r) => ({ status: r.status, text: await r.text() }));
    const secret = reg.register.pinPepper()!.toString('hex');
    for (const headers of [{}, { Authorization: 'Bearer nonsense' }, { Authorization: secret }] as Record<string, string>[]) {
      const r = await pepperAt(headers);
      expect(r.status).toBe(401);
      expect(r.text).not.toContain(secret);
    }
    const sites = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id");
    const { token, stationId } = await reg.register.enrol(await reg.register.createEnrolmentCode({ stationName: 'Utgår', siteId: sites[0]!.id }));
    expect((await pepperAt({ Authorization: `Bearer ${token}` })).text).toContain(secret);
    await reg.register.revoke(stationId);
    expect(await pepperAt({ Authorization: `Bearer ${token}` })).toMatchObject({ status: 401 });

    // An enrolment the register refuses leaves an empty station without any pepper.
    const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
    stores.push(store);
    await expect(enrolWithRegister(store, reg.server.url, 'WRONGCODE123')).rejects.toMatchObject({ status: 403 });
    expect(existsSync(join(dirname(store.file), PEPPER_FILE))).toBe(false);
    expect(syncLink(store)).toBeNull();
  });
});
