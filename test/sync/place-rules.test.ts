/**
 * The register's rules for places, on a station's push as on every other way master data is
 * written: a code names one live place, so a scan finds the same place at every station; a place
 * stays at its site, withdrawn or not; a code a station gives is one its workers could have given.
 */
import { describe, expect, it } from 'vitest';
import { createLocation } from '../../db/locations/manage';
import type { StationDb } from '../../db/open';
import { syncLink } from '../../db/sync/link';
import { enrolledStation, STORES, tinyRegister } from './harness';

const actorOf = (store: StationDb) => ({
  userId: store.sqlite.prepare("select id from users where active = 1 and role in ('supervisor', 'admin') order by id limit 1").pluck().get() as string,
  stationId: store.sqlite.prepare('select id from station').pluck().get() as string,
});

describe.each(STORES)('the register’s rules for places on a station’s push (%s register)', (kind) => {
  it('gives a code made at two stations while offline to the place that reached the register first, at every station', async () => {
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const [s1, s2, running] = [await enrolledStation(reg.register, reg.server.url, { site: 0, start: false }), await enrolledStation(reg.register, reg.server.url, { site: 0, start: false }), await enrolledStation(reg.register, reg.server.url, { site: 0, start: false })];
    const site = s1.store.sqlite.prepare('select site_id from station').pluck().get() as string;
    const zone = s1.store.sqlite.prepare("select id from locations where site_id = ? and level = 'zone' and retired_at is null order by id limit 1").pluck().get(site) as string;
    const made = (s: StationDb, name: string) => createLocation(s, actorOf(s), { siteId: site, parentId: zone, code: 'DUB-01', name, level: 'shelf', kind: 'shelf' });
    const first = made(s2.store, 'Hylla två');
    const second = made(s1.store, 'Hylla ett');
    // A bin under the place that will be refused: no station's copy could take it without its shelf.
    createLocation(s1.store, actorOf(s1.store), { siteId: site, parentId: second, code: 'DUB-01-1', name: 'Fack', level: 'bin', kind: 'shelf' });
    await s2.engine.syncNow();
    await s1.engine.syncNow();
    await s1.engine.syncNow();
    // The second is refused with the bin under it, and its supervisor is told why; the code finds the first everywhere.
    expect(s1.store.sqlite.prepare("select count(*) from sync_issues where kind = 'rejection' and data like '%sync.bad_location%'").pluck().get()).toBe(2);
    // Each told in the rule's own words: the code held by another place, the bin under a place not taken.
    const told = (s1.store.sqlite.prepare("select data from sync_issues where kind = 'rejection'").pluck().all() as string[]).join('\n');
    expect(told).toMatch(/Platskoden DUB-01 hör redan till en annan plats/);
    expect(told).toMatch(/Platsen DUB-01-1 ligger under en plats som registret inte har/);
    expect(await reg.register.db.all("select id from entities where kind = 'location' and data like '%DUB-01-1%'")).toEqual([]);
    const fresh = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    await running.engine.syncNow();
    for (const s of [s1, s2, running, fresh]) {
      expect(s.engine.status().lastError).toBeNull();
      expect(s.store.sqlite.prepare("select id from locations where code = 'DUB-01'").pluck().get()).toBe(first);
    }
    const [holders] = await reg.register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'location' and deleted = 0 and data like '%DUB-01%'");
    expect(Number(holders!.n)).toBe(1);
    expect(s1.store.sqlite.prepare('select code from locations where id = ?').pluck().get(second)).toBe(`DUB-01~${second}`);
  }, 90_000);

  it('refuses a withdrawn place brought back at another site, and a code no worker could give', async () => {
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const [own, other] = [central, depot].map((s) => s.store.sqlite.prepare('select site_id from station').pluck().get() as string);
    const place = central.store.sqlite
      .prepare('select id from locations l where site_id = ? and parent_id is not null and retired_at is null and not exists (select 1 from balances b where b.location_id = l.id) and not exists (select 1 from individuals i where i.location_id = l.id) order by id limit 1')
      .pluck()
      .get(own) as string;
    await reg.register.deleteEntity('location', place);
    const stored = async (id: string) => {
      const [row] = await reg.register.db.all<{ data: string; deleted: number }>("select data, deleted from entities where kind = 'location' and id = $1", [id]);
      return row ? { ...(JSON.parse(row.data) as Record<string, unknown>), deleted: Number(row.deleted) } : undefined;
    };
    const { deleted: _, ...data } = (await stored(place))!;
    const depotZone = depot.store.sqlite.prepare("select id from locations where site_id = ? and level = 'zone' order by id limit 1").pluck().get(other) as string;
    const station = (await reg.register.authenticate(syncLink(depot.store)!.token))!;
    let n = Number((await reg.register.db.all<{ n: number }>('select last_applied as n from stations where id = $1', [station.id]))[0]!.n);
    const pushed = (id: string, d: Record<string, unknown>) => reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['location', id, d]] }]);
    const refused = async (id: string, d: Record<string, unknown>) => expect((await pushed(id, d)).rejected.map((r) => r.code)).toEqual(['sync.bad_location']);
    await refused(place, { ...data, site_id: other, parent_id: depotZone });
    expect(await stored(place)).toMatchObject({ site_id: own, deleted: 1 });
    const made = (code: unknown) => ({ id: `p-${String(code).length}`, site_id: other, parent_id: depotZone, code, name: 'Ny hylla', level: 'shelf', kind: 'shelf', capacity: null, retired_at: null });
    // Nor one whose label would not scan as a place (an article's number, a word).
    for (const code of [`ÅTER~${place}`, 'x-01', 'A'.repeat(41), 42, '', 'A000123', 'LAGERHYLLA-1']) {
      await refused(made(code).id, made(code));
      expect(await stored(made(code).id)).toBeUndefined();
    }
    // One a worker could have given is taken.
    expect((await pushed('p-ok', { ...made('DEP-NY-01'), id: 'p-ok' })).rejected).toEqual([]);
    expect(await stored('p-ok')).toMatchObject({ code: 'DEP-NY-01', deleted: 0 });
  }, 90_000);

  it('judges a push’s places in its order: a code is free only once the entry giving it up is taken; a change naming another thing than itself is refused; two places that shared a code before the rule can still be kept', async () => {
    const reg = await tinyRegister(kind, { madeCopyChanges: 0 });
    const st = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const site = st.store.sqlite.prepare('select site_id from station').pluck().get() as string;
    const [a, c] = st.store.sqlite.prepare("select id from locations where site_id = ? and level = 'shelf' and retired_at is null order by id limit 2").pluck().all(site) as string[];
    const row = async (id: string): Promise<(Record<string, unknown> & { deleted: number }) | undefined> => {
      const [r] = await reg.register.db.all<{ data: string; deleted: number }>("select data, deleted from entities where kind = 'location' and id = $1", [id]);
      return r ? { ...(JSON.parse(r.data) as Record<string, unknown>), deleted: Number(r.deleted) } : undefined;
    };
    const { deleted: _a, ...A } = (await row(a!))!;
    const { deleted: _c, ...C } = (await row(c!))!;
    const station = (await reg.register.authenticate(syncLink(st.store)!.token))!;
    let n = Number((await reg.register.db.all<{ n: number }>('select last_applied as n from stations where id = $1', [station.id]))[0]!.n);
    const holders = async (code: unknown) => (await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0")).filter((r) => (JSON.parse(r.data) as { code: unknown }).code === code).map((r) => r.id);
    for (const [variant, newCode] of [['no place code', 'fel kod'], ['taken', C.code]] as const) {
      const B = { ...A, id: `b-${variant}`, name: 'B' };
      const res = await reg.register.push(station, [
        { n: ++n, m: [], i: [], e: [['location', a!, { ...A, code: newCode }]] },
        { n: ++n, m: [], i: [], e: [['location', B.id, B]] },
      ]);
      expect(res.rejected.map((r) => [r.n, r.code])).toEqual([
        [n - 1, 'sync.bad_location'],
        [n, 'sync.bad_location'],
      ]);
      expect(await holders(A.code)).toEqual([a]);
    }
    // A change whose data names another place than the change does.
    const res = await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['location', 'fresh-1', { ...C, code: 'STULEN-01' }]] }]);
    expect(res.rejected.map((r) => r.code)).toEqual(['sync.not_editable']);
    expect(await row('fresh-1')).toBeUndefined();
    expect(await row(c!)).toMatchObject({ code: C.code, deleted: 0 });
    // Two places sharing a code from before the rule: each can still be changed without giving a code.
    await reg.register.db.run("insert into entities (kind, id, data, rev, deleted) values ('location', $1, $2, 0, 0)", ['zzz-dup', JSON.stringify({ ...A, id: 'zzz-dup' })]);
    for (const id of [a!, 'zzz-dup']) expect((await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [['location', id, { ...A, id, name: 'Hylla med ny skylt' }]] }])).rejected).toEqual([]);
  }, 90_000);

  it('never keeps a place under itself: put under itself, two new places under each other, or two moves that cross', async () => {
    const reg = await tinyRegister(kind);
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'location' and deleted = 0 and data like '%\"level\":\"shelf\"%' order by id limit 1");
    const shelf = JSON.parse(row!.data) as Record<string, unknown>;
    const site = String(shelf.code).slice(0, 3);
    const place = (id: string, code: string, parent: unknown) => ({ kind: 'location' as const, id, data: { ...shelf, id, code: `${site}-${code}`, parent_id: parent, name: id } });
    const refused = { code: 'register.place_parent' };
    await expect(reg.register.putEntities([place('cy-self', 'CY-1', 'cy-self')])).rejects.toMatchObject(refused);
    await expect(reg.register.putEntities([place('cy-a', 'CY-2', 'cy-b'), place('cy-b', 'CY-3', 'cy-a')])).rejects.toMatchObject(refused);
    await reg.register.putEntities([place('cy-a', 'CY-2', shelf.parent_id), place('cy-b', 'CY-3', shelf.parent_id)]);
    await reg.register.putEntities([place('cy-a', 'CY-2', 'cy-b')]);
    await expect(reg.register.putEntities([place('cy-b', 'CY-3', 'cy-a')])).rejects.toMatchObject(refused);
    // Every station still takes the register's places.
    const fresh = await enrolledStation(reg.register, reg.server.url, { start: false });
    await fresh.engine.syncNow();
    expect(fresh.engine.status().lastError).toBeNull();
    expect(fresh.store.sqlite.prepare("select parent_id from locations where id = 'cy-b'").pluck().get()).toBe(shelf.parent_id);
  }, 90_000);
});
