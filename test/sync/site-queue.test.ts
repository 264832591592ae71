/**
 * The reconditioning queue belongs to the site: a device taken back at one station of the site is
 * washed, inspected and released at another, both see every step, and another site sees none of
 * it. Two technicians who take the same job at two stations are told who took it first; a station
 * enrolled later gets the site's open queue; a forged job that skips the wash is refused.
 */
import { describe, expect, it } from 'vitest';
import { openJobFor, serviceStep, takeJob } from '../../db/service/jobs';
import { serviceJobView } from '../../db/service/views';
import { addToWashBatch, closeWashBatch, openWashBatch } from '../../db/service/wash';
import { listSyncIssues } from '../../db/sync/issues';
import { syncLink } from '../../db/sync/link';
import { componentsOf, returnIndividual } from '../../db/workflows/returns';
import { allOk } from '../helpers';
import { enrolledStation, STORES, tinyRegister, type TestStation } from './harness';

describe.each(STORES)('the site reconditioning queue, register on %s', (kind) => {
  it('is worked from any station of the site, told who took a job first, and brought to a station enrolled later', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const one = <T>(s: TestStation, sql: string, ...args: unknown[]) => s.store.sqlite.prepare(sql).get(...args) as T;
    const site = one<{ site_id: string }>(a, 'select site_id from station').site_id;
    const [anna, bo] = a.store.sqlite.prepare('select id, name from users where active = 1 order by id limit 2').all() as { id: string; name: string }[];
    const at = (s: TestStation, userId: string) => ({ stationId: s.stationId, userId, siteId: site });
    const syncAll = async () => {
      for (const s of [a, b, other]) await s.engine.syncNow();
      for (const s of [a, b, other]) await s.engine.syncNow();
    };
    const lent = a.store.sqlite
      .prepare(
        `select i.id, i.article_id as articleId, i.individual_number as number from individuals i
         where i.status = 'on_loan' and i.location_id is null
         order by i.individual_number limit 2`,
      )
      .all() as { id: string; articleId: string; number: string }[];
    expect(lent).toHaveLength(2);
    const [first, second] = lent as [(typeof lent)[number], (typeof lent)[number]];
    // The article's component list, as the workshop keeps it at A.
    a.store.sqlite.prepare("insert or ignore into article_components (article_id, name, quantity) values (?, 'Benstöd', 2)").run(first.articleId);
    const lost = componentsOf(a.store, first.articleId)[0]!.name;

    // Taken back at A, short of a component.
    returnIndividual(a.store, at(a, anna!.id), { individualId: first.id, missing: [lost] });
    await syncAll();
    // B works the same job: what is missing shows there too.
    expect(openJobFor(b.store, first.id)).toMatchObject({ state: 'returned', siteId: site });
    expect(serviceJobView(b.store, first.id).missing).toEqual([lost]);
    serviceStep(b.store, at(b, bo!.id), { individualId: first.id, action: { kind: 'send_to_cleaning' } });
    const batch = openWashBatch(b.store, at(b, bo!.id), { cabinet: 'Disk 2', method: '85 °C' });
    addToWashBatch(b.store, batch.id, first.id);
    closeWashBatch(b.store, at(b, bo!.id), batch.id);
    await syncAll();
    // A inspects it and releases it to a shelf: every step is on both stations' record.
    expect(openJobFor(a.store, first.id)).toMatchObject({ state: 'cleaned' });
    expect(one<{ closed_at: number | null }>(a, 'select closed_at from wash_batches where id = ?', batch.id).closed_at).not.toBeNull();
    serviceStep(a.store, at(a, anna!.id), { individualId: first.id, action: { kind: 'inspect', passed: true }, answers: allOk(a.store, first.id) });
    const shelf = one<{ id: string }>(a, "select id from locations where site_id = ? and kind = 'shelf' and level = 'bin' and retired_at is null order by code limit 1", site).id;
    serviceStep(a.store, at(a, anna!.id), { individualId: first.id, action: { kind: 'release' }, toLocationId: shelf });
    await syncAll();
    const steps = (s: TestStation) =>
      (s.store.sqlite.prepare('select e.action from service_events e join service_jobs j on j.id = e.job_id where j.individual_id = ? order by e.at, e.id').all(first.id) as { action: string }[]).map((e) => e.action);
    for (const s of [a, b]) {
      expect(steps(s)).toEqual(['open', 'send_to_cleaning', 'clean', 'inspect', 'release']);
      expect(one(s, 'select status, location_id as locationId from individuals where id = ?', first.id)).toEqual({ status: 'in_stock', locationId: shelf });
      expect(openJobFor(s.store, first.id)).toBeUndefined();
    }
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'service_job' and data like $1", [`%${first.id}%`]);
    expect(JSON.parse(held!.data)).toMatchObject({ state: 'ready', events: [{ action: 'open' }, {}, {}, {}, { action: 'release' }] });
    // Another site keeps none of it.
    expect(one<{ n: number }>(other, 'select count(*) as n from service_jobs where individual_id = ?', first.id).n).toBe(0);

    // Two technicians take the second job at once, at two stations: the first to reach the register has it.
    returnIndividual(a.store, at(a, anna!.id), { individualId: second.id, missing: [] });
    await syncAll();
    const job = openJobFor(a.store, second.id)!;
    takeJob(a.store, job.id, anna!.id);
    takeJob(b.store, job.id, bo!.id);
    await a.engine.syncNow();
    await b.engine.syncNow();
    await a.engine.syncNow();
    for (const s of [a, b]) expect(openJobFor(s.store, second.id)?.takenBy).toBe(anna!.id);
    const told = listSyncIssues(b.store, false).find((i) => i.kind === 'conflict');
    expect(told?.message.sv).toContain(`${anna!.name} tog det först`);
    expect(told?.message.sv).toContain(second.number);
    // At the station, a job someone has is theirs until they give it back.
    expect(() => takeJob(b.store, job.id, bo!.id)).toThrow(expect.objectContaining({ code: 'service.taken' }));

    // A station enrolled now gets the site's open queue, with its steps.
    const late = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    expect(openJobFor(late.store, second.id)).toMatchObject({ state: 'returned', takenBy: anna!.id });
    expect(one<{ n: number }>(late, "select count(*) as n from service_events where job_id = ? and action = 'open'", job.id).n).toBe(1);

    // A job pushed as washed and inspected without its steps is refused, and nothing changes.
    const before = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'service_job' and id = $1", [job.id]);
    const station = (await reg.register.authenticate(syncLink(late.store)!.token))!;
    const forged = { ...JSON.parse(before[0]!.data), state: 'inspected' };
    const res = await reg.register.push(station, [{ n: syncLink(late.store)!.acked + 1, m: [], i: [], e: [['service_job', job.id, forged]] }]);
    expect(res.rejected).toMatchObject([{ code: 'sync.bad_job' }]);
    expect(await reg.register.db.all("select data from entities where kind = 'service_job' and id = $1", [job.id])).toEqual(before);
  });
});
