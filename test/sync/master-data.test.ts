/**
 * Master data end to end: a register filled from the region's files, two stations enrolled from
 * it. Both hold every kind of master data (sites, locations, articles with their codes and groups,
 * users, checklists, maintenance plans, training, return parts, preferred locations, open orders,
 * the imported devices); a checklist written at one appears at the other after a sync; a user
 * deactivated at one is refused at both.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEMO_USERS } from '../../db/demo/catalogue';
import { runAudited } from '../../db/audit';
import { saveChecklist } from '../../db/service/workshop-data';
import { updateUser } from '../../db/users/admin';
import { nextSscc, saveGs1 } from '../../db/workflows/pallets';
import { saveDeliveryPoint, saveSite } from '../../db/locations/places';
import { syncLink } from '../../db/sync/link';
import { signIn } from '../../db/users/users';
import { importFiles } from '../../register/import/apply';
import { regionSample } from '../../register/import/sample';
import { refusal, tempDir } from '../helpers';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

describe.each(STORES)('master data from a file import to two stations, register on %s', (kind) => {
  it('reaches both stations whole; a checklist written at one appears at the other; a deactivated user is refused at both', async () => {
    const reg = await tinyRegister(kind);
    const sites = (await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
    const dir = tempDir('depot-master-');
    const sample = regionSample({ articles: 60, individuals: 300, orders: 30, sites });
    const files = ['artiklar.csv', 'individer.csv', 'ordrar.csv'].map((f) => join(dir, f));
    writeFileSync(files[0]!, sample.articles);
    writeFileSync(files[1]!, sample.individuals);
    writeFileSync(files[2]!, sample.orders);
    expect((await importFiles(reg.register, files, { apply: true })).rejected).toEqual([]);

    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const syncAll = async () => {
      for (const s of [a, b, a, b]) await s.engine.syncNow();
    };
    await syncAll();
    const count = (s: TestStation, sql: string) => (s.store.sqlite.prepare(`select count(*) as n from ${sql}`).get() as { n: number }).n;
    for (const s of [a, b]) {
      const held = {
        sites: count(s, 'sites'),
        deliveryPoints: count(s, 'delivery_points'),
        gs1: count(s, "station_settings where key = 'gs1'"),
        locations: count(s, 'locations'),
        articles: count(s, "articles where article_number like 'R2%'"),
        gtins: count(s, 'article_gtins'),
        hibc: count(s, 'article_hibc'),
        groups: count(s, 'articles where equivalence_group is not null'),
        users: count(s, 'users where active = 1'),
        checklists: count(s, 'inspection_checklists'),
        plans: count(s, 'maintenance_plans'),
        training: count(s, 'technician_training'),
        parts: count(s, 'article_components'),
        orders: count(s, "customer_orders where order_ref like 'SO-%'"),
        devices: count(s, "individuals where individual_number >= 'I5000001'"),
      };
      for (const [what, n] of Object.entries(held)) expect(n, what).toBeGreaterThan(0);
      expect(held.articles).toBe(60);
      // Preferred locations are each site's own: the station holds exactly its site's.
      const site = (s.store.sqlite.prepare('select site_id as id from station').get() as { id: string }).id;
      const [own] = await reg.register.db.all<{ n: number }>("select count(*) as n from entities where kind = 'preferred_location' and deleted = 0 and data like $1", [`%"site_id":"${site}"%`]);
      expect(count(s, 'preferred_locations')).toBe(Number(own!.n));
      expect(held.orders).toBe(30);
    }

    // A checklist written at A is at B after a sync.
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const tech = one<{ id: string }>(a, "select id from users where role = 'technician' and active = 1 limit 1").id;
    const list = saveChecklist(a.store, { stationId: a.stationId, userId: tech }, { name: 'Importerade rollatorer', isoPrefix: '1206', questions: [{ sv: 'Bromsarna tar', en: 'The brakes hold' }] });
    await syncAll();
    expect(one(b, 'select name from inspection_checklists where id = ?', list.id)).toEqual({ name: 'Importerade rollatorer' });

    // The region's GS1 prefix, set at A, makes B's next pallet's SSCC; a worker's is refused at A and, pushed past it, at the register.
    const supervisor = one<{ id: string }>(a, "select id from users where role = 'supervisor' and active = 1 limit 1").id;
    const worker = one<{ id: string }>(a, "select id from users where role = 'warehouse_worker' and active = 1 limit 1").id;
    expect(refusal(() => saveGs1(a.store, { stationId: a.stationId, userId: worker }, { companyPrefix: '7391234', extensionDigit: 1 }))).toBe('auth.forbidden');
    saveGs1(a.store, { stationId: a.stationId, userId: supervisor }, { companyPrefix: '7391234', extensionDigit: 1 });
    await syncAll();
    expect(nextSscc(b.store)).toMatch(/^173912340/);
    const station = (await reg.register.authenticate(syncLink(b.store)!.token))!;
    const forged = { id: 'gs1', company_prefix: '7399999', extension_digit: 2, changed_by: worker, changed_at: Date.now() };
    // Forged entries take the register's next number for B (B itself has nothing waiting).
    const nextN = async () => Number((await reg.register.db.all<{ n: number }>('select last_applied as n from stations where id = $1', [station.id]))[0]!.n) + 1;
    const res = await reg.register.push(station, [{ n: await nextN(), m: [], i: [], e: [['setting', 'gs1', forged]] }]);
    expect(res.rejected).toMatchObject([{ code: 'sync.not_editable' }]);
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'setting' and id = 'gs1'");
    expect(JSON.parse(held!.data)).toMatchObject({ company_prefix: '7391234', extension_digit: 1 });

    // A's supervisor adds a delivery point of A's site and the administrator gives A's site an address: both reach B.
    const siteA = one<{ id: string }>(a, 'select site_id as id from station').id;
    const point = saveDeliveryPoint(a.store, { stationId: a.stationId, userId: supervisor, siteId: siteA }, { name: 'Bodens vårdcentral', address: 'Sjukhusvägen 3', postcode: '96185', town: 'Boden', municipality: 'Boden', route: 'Rutt Boden', weekday: 2 });
    expect(point.postcode).toBe('961 85');
    expect(() => saveDeliveryPoint(a.store, { stationId: a.stationId, userId: supervisor, siteId: siteA }, { name: 'Utan postnummer', address: 'Gatan 1', postcode: '12', town: 'Boden', municipality: 'Boden', route: 'Rutt Boden', weekday: 2 })).toThrow(
      expect.objectContaining({ code: 'places.invalid', field: 'postcode' }),
    );
    const siteRow = one<{ name: string; municipality: string }>(a, 'select name, municipality from sites where id = ?', siteA);
    expect(refusal(() => saveSite(a.store, { stationId: a.stationId, userId: supervisor }, { id: siteA, ...siteRow, address: 'Förrådsgatan 1' }))).toBe('auth.forbidden');
    saveSite(a.store, { stationId: a.stationId, userId: one<{ id: string }>(a, "select id from users where role = 'admin' and active = 1 limit 1").id }, { id: siteA, ...siteRow, address: 'Förrådsgatan 1', postcode: '961 44', town: 'Boden' });
    await syncAll();
    expect(one(b, 'select name, route, weekday from delivery_points where id = ?', point.id)).toEqual({ name: 'Bodens vårdcentral', route: 'Rutt Boden', weekday: 2 });
    expect(one(b, 'select address, postcode from sites where id = ?', siteA)).toEqual({ address: 'Förrådsgatan 1', postcode: '961 44' });
    // Pushed past B's rules: a point of another site, a site's code changed; both refused, nothing changes.
    const [heldSite] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and id = $1", [siteA]);
    const bSupervisor = one<{ id: string }>(b, "select id from users where role = 'supervisor' and active = 1 limit 1").id;
    const bAdmin = one<{ id: string }>(b, "select id from users where role = 'admin' and active = 1 limit 1").id;
    for (const [kind, id, data] of [
      ['delivery_point', point.id, { ...point, name: 'Kapad', changed_by: bSupervisor, changed_at: Date.now() }],
      ['site', siteA, { ...(JSON.parse(heldSite!.data) as Record<string, unknown>), code: 'XXX', changed_by: bAdmin, changed_at: Date.now() }],
    ] as [string, string, Record<string, unknown>][]) {
      const r = await reg.register.push(station, [{ n: await nextN(), m: [], i: [], e: [[kind, id, data]] }]);
      expect(r.rejected, kind).toMatchObject([{ code: 'sync.not_editable' }]);
    }
    const [pointNow] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'delivery_point' and id = $1", [point.id]);
    expect(JSON.parse(pointNow!.data)).toMatchObject({ name: 'Bodens vårdcentral' });

    // A user deactivated at A is refused at both.
    const karin = DEMO_USERS.find((u) => u.name === 'Karin Lundberg')!;
    const user = one<{ id: string; role: string; site_id: string; badge_code: string }>(a, 'select id, role, site_id, badge_code from users where name = ?', karin.name);
    const trySignIn = (s: TestStation) => refusal(() => runAudited(s.store, () => signIn(s.store, s.stationId, user.id, karin.pin), () => null));
    expect([trySignIn(a), trySignIn(b)]).toEqual(['accepted', 'accepted']);
    const admin = one<{ id: string }>(a, "select id from users where role = 'admin' and active = 1 limit 1").id;
    updateUser(a.store, { stationId: a.stationId, userId: admin }, { id: user.id, name: karin.name, role: 'supervisor', siteId: user.site_id, badge: user.badge_code, active: false });
    await syncAll();
    expect([trySignIn(a), trySignIn(b)]).toEqual(['auth.wrong_pin', 'auth.wrong_pin']);
  });
});
