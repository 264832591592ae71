import { describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { decodeMovement, pack, unpack, type PushEntry, type PushResponse } from '../../db/sync/wire';
import { syncLink } from '../../db/sync/link';
import { outboxBatch } from '../../db/sync/outbox';
import { enrolledStation, movableStock, stationStock, STORES, tinyRegister } from '../sync/harness';

const siteOf = (store: StationDb) => (store.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;

const individualAt = (store: StationDb, id: string) =>
  store.sqlite.prepare('select location_id as locationId, status from individuals where id = ?').get(id) as { locationId: string | null; status: string };

describe.each(STORES)('register on %s', (kind) => {
  it('enrols an empty station with a one-time code and fills it with the register’s data and stock', async () => {
    const reg = await tinyRegister(kind);
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const count = (t: string) => (station.store.sqlite.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n;
    expect(count('sites')).toBe(3);
    expect(count('articles')).toBe(24 + 12); // the range and the spare parts
    expect(count('individuals')).toBe(40);
    expect(count('users')).toBeGreaterThan(5);
    expect(stationStock(station.store)).toEqual(await reg.register.stock());
    const me = station.store.sqlite.prepare('select id, name from station').get() as { id: string };
    expect(me.id).toBe(station.stationId);
    // Its own block of individual numbers, after the ones the register knows.
    const series = station.store.sqlite.prepare("select next, last from number_series where name = 'individual'").get() as { next: number; last: number };
    expect(series.next).toBeGreaterThan(40);
    expect(series.last - series.next + 1).toBe(100_000);
  });

  it('refuses a used code, a wrong code, a missing or revoked token, with a message to act on', async () => {
    const reg = await tinyRegister(kind);
    const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' limit 1");
    const code = await reg.register.createEnrolmentCode({ stationName: 'X', siteId: site!.id });
    const enrol = (c: string) => fetch(`${reg.server.url}/enrol`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ code: c }) });
    const first = await enrol(code);
    expect(first.status).toBe(200);
    const { token, stationId } = (await first.json()) as { token: string; stationId: string };
    const again = await enrol(code);
    expect(again.status).toBe(403);
    expect(((await again.json()) as { error: { message: { sv: string } } }).error.message.sv).toMatch(/ny kod/);
    expect((await enrol('WRONGCODE123')).status).toBe(403);

    const pull = (t?: string) => fetch(`${reg.server.url}/sync/pull?cursor=0`, { headers: t ? { Authorization: `Bearer ${t}` } : {} });
    expect((await pull()).status).toBe(401);
    expect((await pull('not-a-token')).status).toBe(401);
    const ok = await pull(token);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-encoding')).toBe('gzip');
    expect(await reg.register.revoke(stationId)).toBe(true);
    const revoked = await pull(token);
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { error: { message: { en: string } } }).error.message.en).toMatch(/revoked/);
  });

  it('applies pushed entries exactly once and in order: a duplicate is acknowledged without effect, a gap is refused', async () => {
    const reg = await tinyRegister(kind);
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const stock = movableStock(station.store, siteOf(station.store))[0]!;
    const to = (station.store.sqlite.prepare("select id from locations where id <> ? and site_id = ? and retired_at is null and kind = 'rack' limit 1").get(stock.locationId, siteOf(station.store)) as { id: string }).id;
    for (let i = 0; i < 3; i++) station.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: i % 2 ? to : stock.locationId, toLocationId: i % 2 ? stock.locationId : to, quantity: 1, reason: 'move' }]);
    const entries = outboxBatch(station.store, 0);
    expect(entries.map((e) => e.n)).toEqual([1, 2, 3]);
    const token = syncLink(station.store)!.token;
    const push = async (es: PushEntry[]) => {
      const res = await fetch(`${reg.server.url}/sync/push`, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Encoding': 'gzip', 'Content-Type': 'application/json' },
        body: new Uint8Array(pack({ entries: es })),
      });
      return { status: res.status, body: (await res.json()) as PushResponse };
    };
    const before = await reg.register.stock();
    expect(await push([entries[1]!])).toEqual({ status: 409, body: { lastApplied: 0, rejected: [], gap: true } });
    expect(await push([entries[0]!])).toEqual({ status: 200, body: { lastApplied: 1, rejected: [] } });
    expect(await push([entries[0]!, entries[1]!, entries[2]!])).toEqual({ status: 200, body: { lastApplied: 3, rejected: [] } });
    expect(await push(entries)).toEqual({ status: 200, body: { lastApplied: 3, rejected: [] } });
    const [n] = await reg.register.db.all<{ n: number }>('select count(*) as n from movements where station_id = $1', [station.stationId]);
    expect(Number(n!.n)).toBe(3);
    const after = await reg.register.stock();
    const key = `${stock.articleId}|${stock.locationId}|${stock.lot ?? ''}`;
    expect(after.get(key)).toBe((before.get(key) ?? 0) - 1);
    // Malformed bodies are refused whole.
    const bad = await fetch(`${reg.server.url}/sync/push`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: '{"entries":[{"n":"x"}]}' });
    expect(bad.status).toBe(400);
  });

  it('syncs postings both ways: what one station posts reaches the register and every other station', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { start: false });
    const stock = movableStock(a.store)[0]!;
    a.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 2, reason: 'delivery', orderRef: 'KO-1' }]);
    expect(stationStock(a.store)).not.toEqual(await reg.register.stock());
    await a.engine.syncNow();
    await b.engine.syncNow();
    const register = await reg.register.stock();
    expect(stationStock(a.store)).toEqual(register);
    expect(stationStock(b.store)).toEqual(register);
    expect(a.engine.status()).toMatchObject({ enrolled: true, online: true, waiting: 0, rejected: 0 });
  });

  it('sends a station none of its own movements back, only the others’, and brings its cursor to the head', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const mine = movableStock(a.store, siteOf(a.store))[0]!;
    const theirs = movableStock(b.store, siteOf(b.store))[0]!;
    const me = (await reg.register.authenticate(syncLink(a.store)!.token))!;
    const from = syncLink(a.store)!.cursor;
    for (let i = 0; i < 3; i++) a.post([{ articleId: mine.articleId, lot: mine.lot, fromLocationId: mine.locationId, quantity: 1, reason: 'delivery' }]);
    await a.engine.syncNow();
    for (let i = 0; i < 2; i++) b.post([{ articleId: theirs.articleId, lot: theirs.lot, fromLocationId: theirs.locationId, quantity: 1, reason: 'delivery' }]);
    await b.engine.syncNow();
    for (let i = 0; i < 3; i++) a.post([{ articleId: mine.articleId, lot: mine.lot, fromLocationId: mine.locationId, quantity: 1, reason: 'delivery' }]);
    await a.engine.syncNow();
    const head = await reg.register.head();
    const pages = async (cursor: number, limit: number) => {
      const seen: string[] = [];
      for (let i = 0; i < 100; i++) {
        const page = await reg.register.pull(me, syncLink(a.store)!.epoch, cursor, limit);
        if ('resync' in page) throw new Error(`unexpected resync: ${page.reason}`);
        seen.push(...page.m.map((m) => decodeMovement(m).stationId));
        expect(page.cursor).toBeGreaterThanOrEqual(cursor);
        cursor = page.cursor;
        if (!page.more) break;
      }
      return { seen, cursor };
    };
    // Page by page, one change at a time: b's two movements, none of a's six, and the cursor at the head.
    const one = await pages(from, 1);
    expect(one.seen).toEqual([b.stationId, b.stationId]);
    expect(one.cursor).toBe(head);
    // A stretch holding only its own movements is stepped over in one page.
    const [own] = await reg.register.db.all<{ rev: number }>('select min(rev) as rev from movements where station_id = $1 and rev > (select max(rev) from movements where station_id = $2)', [a.stationId, b.stationId]);
    expect(await reg.register.pull(me, syncLink(a.store)!.epoch, Number(own!.rev) - 1, 2)).toMatchObject({ cursor: head, head, more: false, m: [] });
    // The station itself ends where the register is, with the same stock.
    expect(syncLink(a.store)!.cursor).toBe(head);
    expect(stationStock(a.store)).toEqual(await reg.register.stock());
    // A full copy still carries the station's own history.
    const lines: string[] = [];
    await reg.register.snapshot((l) => void lines.push(l));
    expect(lines.filter((l) => l.startsWith('["m"') && l.includes(a.stationId))).toHaveLength(6);
  });

  it('records an entry that can never apply as rejected, moves past it, and tells the station', async () => {
    const reg = await tinyRegister(kind);
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const [first, second] = movableStock(station.store).filter((s, i, all) => all.findIndex((x) => x.articleId === s.articleId) === i);
    station.post([{ articleId: first!.articleId, lot: first!.lot, fromLocationId: first!.locationId, quantity: 1, reason: 'delivery' }]);
    station.post([{ articleId: second!.articleId, lot: second!.lot, fromLocationId: second!.locationId, quantity: 1, reason: 'delivery' }]);
    await reg.register.deleteEntity('article', first!.articleId);
    await station.engine.syncNow();
    expect(syncLink(station.store)!.acked).toBe(2);
    const issues = station.store.sqlite.prepare('select kind, data from sync_issues').all() as { kind: string; data: string }[];
    expect(issues).toHaveLength(1);
    expect(JSON.parse(issues[0]!.data)).toMatchObject({ n: 1, code: 'sync.article_gone' });
    expect(station.engine.status()).toMatchObject({ waiting: 0, rejected: 1 });
    const [n] = await reg.register.db.all<{ n: number }>('select count(*) as n from movements where station_id = $1', [station.stationId]);
    expect(Number(n!.n)).toBe(1);
  });

  it('resolves two stations moving one individual while offline by occurred-at, then station id, and flags it', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { start: false });
    const site = siteOf(a.store);
    const ind = a.store.sqlite
      .prepare("select i.id, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.status = 'in_stock' and l.site_id = ? limit 1")
      .get(site) as { id: string; articleId: string; locationId: string };
    const racks = a.store.sqlite.prepare("select id from locations where kind = 'rack' and id <> ? and site_id = ? and retired_at is null limit 2").all(ind.locationId, site) as { id: string }[];
    const t = Date.now();
    a.post([{ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, toLocationId: racks[0]!.id, quantity: 1, reason: 'move', occurredAt: t + 1000 }]);
    b.post([{ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, toLocationId: racks[1]!.id, quantity: 1, reason: 'move', occurredAt: t }]);
    // The later move (a's) wins whichever arrives first.
    await b.engine.syncNow();
    await a.engine.syncNow();
    await b.engine.syncNow();
    expect(individualAt(a.store, ind.id).locationId).toBe(racks[0]!.id);
    expect(individualAt(b.store, ind.id).locationId).toBe(racks[0]!.id);
    const conflicts = b.store.sqlite.prepare("select data from sync_issues where kind = 'conflict'").all() as { data: string }[];
    expect(conflicts).toHaveLength(1);
    expect(JSON.parse(conflicts[0]!.data)).toMatchObject({ individual_id: ind.id, kept: expect.any(String) });
    // Quantities never conflict: both movements count.
    expect(stationStock(a.store)).toEqual(await reg.register.stock());
    expect(stationStock(b.store)).toEqual(await reg.register.stock());
  });

  it('gives a station with an unusable cursor a full copy', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { start: false });
    const stock = movableStock(a.store)[0]!;
    b.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 1, reason: 'delivery' }]);
    await b.engine.syncNow();
    a.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 1, reason: 'delivery' }]);
    // A location is withdrawn centrally; a's copy must show it retired even though it never pulled the change.
    const gone = (a.store.sqlite.prepare("select id from locations where kind = 'rack' and retired_at is null and id not in (select location_id from balances) limit 1").get() as { id: string }).id;
    await reg.register.deleteEntity('location', gone);
    await reg.register.markCompactedBelow(await reg.register.head());
    await a.engine.syncNow();
    expect((a.store.sqlite.prepare('select retired_at from locations where id = ?').get(gone) as { retired_at: number | null }).retired_at).not.toBeNull();
    await b.engine.syncNow();
    expect(stationStock(a.store)).toEqual(await reg.register.stock());
    expect(stationStock(b.store)).toEqual(await reg.register.stock());
  });

  it('sends gzip both ways and keeps movements compact on the wire', async () => {
    const reg = await tinyRegister(kind);
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const stock = movableStock(station.store)[0]!;
    for (let i = 0; i < 50; i++) station.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 1, reason: 'delivery' }]);
    const body = pack({ entries: outboxBatch(station.store, 0) });
    expect(unpack<{ entries: PushEntry[] }>(body).entries).toHaveLength(50);
    expect(body.length / 50).toBeLessThan(150);
  });
});
