/**
 * Work orders travel through the register: one entered at a station shows on the board of the
 * other stations at that site (and not elsewhere); one the register sends (from the region's
 * register) arrives on the site's board; a reconditioning repair stays with the station that has its job.
 */
import { describe, expect, it } from 'vitest';
import { technicianBoard } from '../../db/service/jobs';
import { openWorkOrder } from '../../db/service/workorders';
import { serviceClock } from '../../db/service/levels';
import { enrolledStation, STORES, tinyRegister } from './harness';

describe.each(STORES)('work orders through the register on %s', (kind) => {
  it('reach the stations of their site, whoever entered them', async () => {
    const reg = await tinyRegister(kind);
    const a = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const b = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const siteOf = (s: typeof a) => (s.store.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;
    const user = (a.store.sqlite.prepare("select id from users where active = 1 order by id limit 1").get() as { id: string }).id;

    const wo = openWorkOrder(a.store, { userId: user, stationId: a.stationId, siteId: siteOf(a) }, { origin: 'municipality', device: 'Kommunens duschpall', owner: 'Bodens kommun', priority: 'urgent', fault: 'Ett ben glappar' });
    await a.engine.syncNow();
    await b.engine.syncNow();
    await other.engine.syncNow();
    const onBoard = (s: typeof a) => technicianBoard(s.store, siteOf(s), Date.now(), 100_000).lines.find((l) => l.workOrder?.number === wo.number);
    expect(onBoard(b)).toMatchObject({ kind: 'work_order', label: 'Kommunens duschpall', priority: 'urgent' });
    expect(other.store.sqlite.prepare('select count(*) as n from work_orders where id = ?').get(wo.id)).toEqual({ n: 0 });

    // The region's register asks for a repair of a device out with a patient at this site.
    const at = Date.now();
    await reg.register.putEntities([
      {
        kind: 'work_order',
        id: 'region-wo-1',
        data: {
          id: 'region-wo-1', number: 'AO-REG-000001', site_id: siteOf(a), origin: 'municipality', individual_id: null, job_id: null, device: 'Taklyft, kommunens', owner: 'Luleå kommun',
          place: 'Vårdboendet Tallen', priority: 'acute', due_at: serviceClock('acute', at).due, fault: 'Stannar i halva lyftet', actions: null, minutes: 0, state: 'open',
          opened_at: at, opened_by: user, started_at: null, taken_by: null, breached_at: null, closed_at: null, closed_by: null,
        },
      },
    ]);
    await a.engine.syncNow();
    expect(technicianBoard(a.store, siteOf(a), at, 100_000).lines[0]).toMatchObject({ id: 'region-wo-1', priority: 'acute', label: 'Taklyft, kommunens' });
  });
});
