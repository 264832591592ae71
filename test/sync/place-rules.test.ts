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
    const made = (s: StationDb, name: string) => createLocation(s, actorOf(s), { siteId: site, parentId: zone, code: 'DUBBEL-01', name, level: 'shelf', kind: 'shelf' });
    const first = made(s2.store, 'Hylla två');
    const second = made(s1.store, 'Hylla ett');
    await s2.engine.syncNow();
    await s1.engine.syncNow();
    await s1.engine.syncNow();
    // The second is refused, and its supervisor is told why; the code finds the first everywhere.
    expect(s1.store.sqlite.prepare("select count(*) from sync_issues where kind = 'rejection' and data like '%sync.bad_location%'").pluck().get()).toBe(1);
    const fresh = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    await running.engine.syncNow();
    for (const s of [s1, s2, running, fresh]) {
      expect(s.engine.status().lastError).toBeNull();
      expect(s.store.sqlite.prepare("select id from locations where code = 'DUBBEL-01'").pluck().get()).toBe(first);
    }
    const [holders] = await reg.register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'location' and deleted = 0 and data like '%DUBBEL-01%'");
    expect(Number(holders!.n)).toBe(1);
    expect(s1.store.sqlite.prepare('select code from locations where id = ?').pluck().get(second)).toBe(`DUBBEL-01~${second}`);
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
    for (const code of [`ÅTER~${place}`, 'x-01', 'A'.repeat(41), 42, '']) {
      await refused(made(code).id, made(code));
      expect(await stored(made(code).id)).toBeUndefined();
    }
    // One a worker could have given is taken.
    expect((await pushed('p-ok', { ...made('DEPÅ-NY-01'), id: 'p-ok' })).rejected).toEqual([]);
    expect(await stored('p-ok')).toMatchObject({ code: 'DEPÅ-NY-01', deleted: 0 });
  }, 90_000);
});
