/**
 * The workshop's own data is kept once, in the register, and reaches every station: a station
 * enrolled from the register holds the region's checklists, maintenance plans, training and
 * component lists and its own site's preferred locations; a change written at one station appears
 * at the other after a sync; and a change the station would refuse is refused by the register too,
 * whatever a forged push says.
 */
import { describe, expect, it } from 'vitest';
import { checklistFor } from '../../db/service/checklists';
import { maintenanceBlock } from '../../db/service/maintenance';
import { retirePlan, saveChecklist, savePlan, setComponents, setPreferred, setTraining } from '../../db/service/workshop-data';
import { syncLink } from '../../db/sync/link';
import { componentsOf } from '../../db/workflows/returns';
import { tinyStore } from '../helpers';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
const count = (s: TestStation, table: string) => one<{ n: number }>(s, `select count(*) as n from ${table}`).n;

describe.each(STORES)('the workshop’s own data, register on %s', (kind) => {
  it('comes with enrolment, is written at one station and appears at another, and a forged change is refused', async () => {
    const source = tinyStore();
    const region = (table: string) => (source.sqlite.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
    const expected = { checklists: region('inspection_checklists'), plans: region('maintenance_plans'), training: region('technician_training'), components: region('article_components'), hibc: region('article_hibc') };
    source.close();
    expect(Object.values(expected).every((n) => n > 0)).toBe(true);

    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const site = one<{ site_id: string }>(a, 'select site_id from station').site_id;
    const otherSite = one<{ site_id: string }>(other, 'select site_id from station').site_id;

    // Enrolled from the register, each station holds all of it (articles' HIBC codes too): the region's, and its own site's preferred locations.
    for (const s of [a, b, other]) {
      expect({ checklists: count(s, 'inspection_checklists'), plans: count(s, 'maintenance_plans'), training: count(s, 'technician_training'), components: count(s, 'article_components'), hibc: count(s, 'article_hibc') }).toEqual(expected);
      const own = one<{ site_id: string }>(s, 'select site_id from station').site_id;
      expect(one<{ n: number }>(s, 'select count(*) as n from preferred_locations where site_id <> ?', own).n).toBe(0);
    }
    expect(count(a, 'preferred_locations')).toBeGreaterThan(0);

    const user = (s: TestStation, role: string) => one<{ id: string }>(s, 'select id from users where role = ? and active = 1 order by name limit 1', role).id;
    const tech = user(a, 'technician');
    const boss = user(a, 'supervisor');
    const worker = user(a, 'warehouse_worker');
    const at = (s: TestStation, userId: string) => ({ stationId: s.stationId, userId });
    const syncAll = async () => {
      for (const s of [a, b, other]) await s.engine.syncNow();
      for (const s of [a, b, other]) await s.engine.syncNow();
    };

    // A device and its article, for the checklist, the training, the plan and the parts.
    const device = one<{ id: string; articleId: string; iso: string }>(
      a,
      "select i.id, i.article_id as articleId, a.iso_code as iso from individuals i join articles a on a.id = i.article_id where i.status = 'in_stock' and a.iso_code not like '1223%' order by i.individual_number limit 1",
    );
    const shelf = one<{ id: string }>(a, "select id from locations where site_id = ? and kind = 'shelf' and level = 'bin' and retired_at is null order by code desc limit 1", site).id;

    // Written at A by the technician and the supervisor.
    const list = saveChecklist(a.store, at(a, tech), {
      name: 'Kontroll för just den här artikeln',
      articleId: device.articleId,
      questions: [{ sv: 'Bromsar tar', en: 'Brakes hold' }, { sv: 'Inga sprickor i ramen', en: 'No cracks in the frame' }],
    });
    const plan = savePlan(a.store, at(a, tech), { name: 'Årlig kontroll', isoPrefix: device.iso.slice(0, 4), intervalDays: 365 });
    setTraining(a.store, at(a, boss), { userId: tech, isoPrefixes: [device.iso.slice(0, 4), '1223'] });
    setComponents(a.store, at(a, tech), { articleId: device.articleId, components: [{ name: 'Laddare', quantity: 1 }, { name: 'Benstöd', quantity: 2 }] });
    setPreferred(a.store, at(a, worker), { articleId: device.articleId, siteId: site, locationId: shelf });
    await syncAll();

    // B, at the same site, has every change; the other site has the region's, not A's site's preferred location.
    for (const s of [a, b]) {
      expect(checklistFor(s.store, device.articleId)).toMatchObject({ id: list.id, questions: [{ sv: 'Bromsar tar' }, { sv: 'Inga sprickor i ramen' }] });
      expect(one(s, 'select name, interval_days as days, changed_by as by from maintenance_plans where id = ?', plan.id)).toEqual({ name: 'Årlig kontroll', days: 365, by: tech });
      expect(componentsOf(s.store, device.articleId)).toEqual([{ name: 'Benstöd', quantity: 2 }, { name: 'Laddare', quantity: 1 }]);
      expect(one(s, 'select location_id as l from preferred_locations where article_id = ? and site_id = ?', device.articleId, site)).toEqual({ l: shelf });
    }
    expect(checklistFor(other.store, device.articleId)?.id).toBe(list.id);
    expect((other.store.sqlite.prepare('select iso_prefix as p from technician_training where user_id = ? order by p').all(tech) as { p: string }[]).map((r) => r.p)).toEqual([device.iso.slice(0, 4), '1223'].sort());
    expect(one(other, 'select count(*) as n from preferred_locations where article_id = ? and site_id = ?', device.articleId, site)).toEqual({ n: 0 });
    // The plan blocks the device at B until it is signed off; retired at B, it blocks nowhere.
    expect(maintenanceBlock(b.store, device.id, Date.now() + 400 * 86_400_000)).not.toBeNull();
    retirePlan(b.store, at(b, tech), plan.id);
    await syncAll();
    for (const s of [a, b, other]) expect(maintenanceBlock(s.store, device.id, Date.now() + 400 * 86_400_000)).toBeNull();

    // The station refuses what the role may not do, and what does not hold.
    expect(() => saveChecklist(a.store, at(a, worker), { name: 'X', isoPrefix: '12', questions: [{ sv: 'a', en: 'a' }] })).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
    expect(() => setTraining(a.store, at(a, tech), { userId: tech, isoPrefixes: ['12'] })).toThrow(expect.objectContaining({ code: 'auth.forbidden' }));
    expect(() => saveChecklist(a.store, at(a, tech), { name: 'Tom', isoPrefix: '12', questions: [] })).toThrow(expect.objectContaining({ code: 'workshop.invalid', field: 'questions' }));
    expect(() => savePlan(a.store, at(a, tech), { name: 'Aldrig', isoPrefix: '12' })).toThrow(expect.objectContaining({ code: 'workshop.invalid' }));
    expect(() => setTraining(a.store, at(a, boss), { userId: worker, isoPrefixes: ['12'] })).toThrow(expect.objectContaining({ code: 'workshop.not_technician' }));

    // The register refuses the same, pushed straight past the station's rules; nothing changes there.
    const held = async () => reg.register.db.all<{ kind: string; id: string; data: string }>("select kind, id, data from entities where kind in ('checklist', 'maintenance_plan', 'training', 'components', 'preferred_location') order by kind, id");
    const before = await held();
    const station = (await reg.register.authenticate(syncLink(a.store)!.token))!;
    const now = Date.now();
    const questions = JSON.stringify([{ id: 'q1', sv: 'Hjul', en: 'Wheels' }]);
    const checklist = (by: string) => ({ id: 'forged', name: 'Förfalskad', article_id: null, iso_prefix: '12', questions, retired_at: null, changed_by: by, changed_at: now });
    const forged: [string, string, Record<string, unknown>][] = [
      ['checklist', 'forged', checklist(worker)],
      ['checklist', 'forged', { ...checklist(tech), questions: '[]' }],
      ['checklist', 'forged', { ...checklist(tech), changed_at: now + 30 * 86_400_000 }],
      ['training', worker, { id: worker, user_id: worker, iso_prefixes: ['12'], changed_by: boss, changed_at: now }],
      ['training', tech, { id: tech, user_id: tech, iso_prefixes: ['12'], changed_by: tech, changed_at: now }],
      ['components', 'no-such-article', { id: 'no-such-article', article_id: 'no-such-article', components: [], changed_by: tech, changed_at: now }],
      ['preferred_location', `${device.articleId}|${otherSite}`, { id: `${device.articleId}|${otherSite}`, article_id: device.articleId, site_id: otherSite, location_id: null, changed_by: tech, changed_at: now }],
    ];
    let n = syncLink(a.store)!.acked;
    for (const e of forged) {
      const res = await reg.register.push(station, [{ n: ++n, m: [], i: [], e: [e] }]);
      expect(res.rejected, JSON.stringify(e)).toMatchObject([{ code: 'sync.bad_workshop_data' }]);
    }
    expect(await held()).toEqual(before);
    // The same checklist, by the technician, holds.
    expect((await reg.register.push(station, [{ n: n + 1, m: [], i: [], e: [['checklist', 'forged', checklist(tech)]] }])).rejected).toEqual([]);
  });
});
