/**
 * A station set up from a full copy holds only recent movements. An undo there still puts a device
 * back exactly as it was, and the register, which replays the device's whole history, agrees.
 */
import { describe, expect, it } from 'vitest';
import { syncLink } from '../../db/sync/link';
import { moveStock } from '../../db/workflows/moving';
import { undoMovements } from '../../db/workflows/undo';
import { enrolledStation, stepByStep, tinyRegister } from './harness';

describe('an undo at a station that holds only part of a device\'s history', () => {
  it('puts the device back as it was, as the register also has it', async () => {
    // A full copy with no history at all: the station knows its devices only as they stand.
    const reg = await tinyRegister('sqlite', { historyDays: 0 });
    const st = await enrolledStation(reg.register, reg.server.url, { start: false });
    await st.engine.stop();
    const one = <T>(sql: string, ...args: unknown[]) => st.store.sqlite.prepare(sql).get(...args) as T;
    const site = one<{ site_id: string }>('select site_id from station').site_id;
    const actor = { stationId: st.stationId, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' and active = 1 limit 1").id, siteId: site };
    const d = one<{ id: string; article_id: string; location_id: string; ready_since: number | null }>(
      "select i.id, i.article_id, i.location_id, i.ready_since from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.level = 'bin' limit 1",
      site,
    );
    expect(one<{ n: number }>('select count(*) as n from movements where individual_id = ?', d.id).n).toBe(0);
    const to = one<{ id: string }>("select id from locations where site_id = ? and level = 'bin' and kind in ('shelf', 'floor') and id <> ? limit 1", site, d.location_id).id;
    const moved = moveStock(st.store, actor, { articleId: d.article_id, individualId: d.id, fromLocationId: d.location_id, toLocationId: to, quantity: 1 }, 'move');
    undoMovements(st.store, actor, moved.map((m) => m.id));
    const here = one('select status, location_id, ready_since from individuals where id = ?', d.id);
    expect(here).toEqual({ status: 'in_stock', location_id: d.location_id, ready_since: d.ready_since });

    const sync = stepByStep(() => reg.register, () => st.store, syncLink(st.store)!.token);
    await sync.drain();
    while (await sync.pull(100));
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'individual' and id = $1", [d.id]);
    const there = JSON.parse(held!.data) as { status: string; location_id: string; ready_since: number | null };
    expect({ status: there.status, location_id: there.location_id }).toEqual({ status: 'in_stock', location_id: d.location_id });
    expect(one('select status, location_id, ready_since from individuals where id = ?', d.id)).toEqual(here);
    await st.close();
  });
});
