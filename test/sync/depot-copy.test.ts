/**
 * A depot's station holds its own site's copy: the region's master data, its site's stock, devices,
 * queue and history. What it does not hold it never shows as a figure: a question about another site
 * is answered "not held here". (Devices that travel into the depot with a pallet, a pick-up or a
 * movement are followed across stations by test/sync/model.test.ts and test/sync/loop.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { resolveCode } from '../../db/stock/resolve';
import { search } from '../../db/stock/search';
import { overview, siteStock } from '../../db/stock/overview';
import { articleDetail } from '../../db/stock/details';
import { computeSuggestions } from '../../db/replenishment/suggestions';
import { copyScope } from '../../db/sync/scope';
import { syncLink } from '../../db/sync/link';
import { EventHub } from '../../services/events';
import { ScanService, type ScanEvent } from '../../services/scanning';
import { toScan } from '../../vocabulary/codes/scan';
import { enrolledStation, heldStock, holdsDevice, stationStock, STORES, tinyRegister } from './harness';

const one = <T>(s: { store: { sqlite: { prepare(sql: string): { get(...a: unknown[]): unknown } } } }, sql: string, ...a: unknown[]) => s.store.sqlite.prepare(sql).get(...a) as T;

describe.each(STORES)('a depot station’s own copy, register on %s', (kind) => {
  it('holds its site’s stock and devices only, keeps no figure for another site’s moves, and says what it does not hold', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const sites = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' order by id");
    const [boden, lulea] = [sites[0]!.id, sites[1]!.id];

    expect(copyScope(central.store)).toBeNull();
    expect(copyScope(depot.store)).toBe(lulea);
    // What each holds is on its register page.
    expect(central.engine.status().heldSite).toBeNull();
    expect(depot.engine.status().heldSite).toBe((JSON.parse(sites[1]!.data) as { name: string }).name);
    const stock = await reg.register.stock();
    expect(stationStock(central.store)).toEqual(stock);
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, stock));
    expect(stationStock(depot.store).size).toBeGreaterThan(0);
    expect(stationStock(depot.store).size).toBeLessThan(stock.size);
    const devices = (await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual'")).map((d) => ({
      id: d.id,
      ...(JSON.parse(d.data) as { site_id: string | null; individual_number: string; location_id: string | null }),
    }));
    for (const d of devices) holdsDevice(depot.store, d.id, d.site_id);
    const held = one<{ n: number }>(depot, 'select count(*) as n from individuals').n;
    expect(held).toBeLessThan(devices.length);

    // Stock moved inside the central store reaches the central copy; the depot keeps no figure for it.
    const bulk = one<{ article_id: string; location_id: string; lot: string }>(
      central,
      `select b.article_id, b.location_id, b.lot from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
       where l.site_id = ? and l.kind = 'shelf' and a.rentable = 0 and b.quantity >= 2 order by b.article_id limit 1`,
      boden,
    );
    const to = one<{ id: string }>(central, "select id from locations where site_id = ? and kind = 'shelf' and id <> ? and retired_at is null order by code limit 1", boden, bulk.location_id).id;
    central.post([{ articleId: bulk.article_id, lot: bulk.lot || null, fromLocationId: bulk.location_id, toLocationId: to, quantity: 2, reason: 'move' }]);
    await central.engine.syncNow();
    await depot.engine.syncNow();
    const after = await reg.register.stock();
    expect(after).not.toEqual(stock);
    expect(stationStock(central.store)).toEqual(after);
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, after));
    expect(one(depot, 'select count(*) as n from balances where location_id in (?, ?)', bulk.location_id, to)).toEqual({ n: 0 });
    expect(one(depot, 'select count(*) as n from movements where from_location_id = ?', bulk.location_id)).toEqual({ n: 0 });

    // Another site's stock, the region's overview: refused in words, never zero.
    expect(() => siteStock(depot.store, boden)).toThrowError(expect.objectContaining({ code: 'sync.not_held', userMessage: expect.objectContaining({ sv: expect.stringContaining('inte för Centralförrådet') }) }));
    expect(siteStock(depot.store, lulea).length).toBeGreaterThan(0);
    expect(() => overview(depot.store)).toThrowError(expect.objectContaining({ code: 'sync.not_held' }));
    // An article's figures at the depot are named as the depot's, never as the region's total.
    expect(articleDetail(depot.store, bulk.article_id).heldSite).toMatchObject({ id: lulea });
    expect(articleDetail(central.store, bulk.article_id).heldSite).toBeNull();
    expect(overview(central.store).articles).toBeGreaterThan(0);
    // Its suggestions are its own refills: no purchase for a store whose stock it does not hold.
    const suggested = computeSuggestions(depot.store);
    expect(suggested.purchase).toEqual([]);
    for (const line of suggested.refills) expect(line.siteId).toBe(lulea);

    // A device it does not hold, scanned: not held here, not "not in the register".
    const elsewhere = devices.find((d) => d.site_id === boden && !one(depot, 'select 1 from individuals where id = ?', d.id))!;
    const r = resolveCode(depot.store, elsewhere.individual_number);
    expect(r).toMatchObject({ kind: 'unknown', notHeld: elsewhere.individual_number, message: { sv: expect.stringContaining('finns inte i den här stationens kopia') } });
    expect(resolveCode(central.store, elsewhere.individual_number)).toMatchObject({ kind: 'individual', id: elsewhere.id });
    // Searched for, it is not found in the depot's copy, and the answer says whose copy that is.
    expect(search(depot.store, elsewhere.individual_number)).toMatchObject({ total: 0, heldSite: (JSON.parse(sites[1]!.data) as { name: string }).name });
    expect(search(central.store, elsewhere.individual_number)).toMatchObject({ total: 1, heldSite: null });

    // The copy's scope is asked for in words the register knows, and nothing else.
    const token = syncLink(depot.store)!.token;
    for (const path of ['/sync/snapshot?scope=region', '/sync/snapshot?scope=', `/sync/pull?cursor=0&scope=${'x'.repeat(5000)}`, '/sync/pull?cursor=0&scope=SITE']) {
      const res = await fetch(`${reg.server.url}${path}`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status, path).toBe(400);
    }
    // A station that does not ask (an earlier version) at a depot gets the whole region's copy, as before.
    const station = (await reg.register.authenticate(token))!;
    const header = await reg.register.snapshotBatches({ header: () => undefined, batch: () => undefined }, station, false);
    expect(header.scope).toBeUndefined();
    const scoped = await reg.register.snapshotBatches({ header: () => undefined, batch: () => undefined }, station, true);
    expect(scoped.scope).toBe(lulea);
    expect(scoped.counts.balances).toBeLessThan(header.counts.balances);
  }, 60_000);

  it('after a new copy of its own site, asks the register for the devices it held that the copy no longer carries, and shows each as the register has it', async () => {
    // No history carried, and a station two changes behind gets a new copy.
    const reg = await tinyRegister(kind, { historyDays: 0, resyncBehind: 2 });
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const lulea = one<{ site_id: string }>(depot, 'select site_id from station').site_id;
    const device = one<{ id: string; article_id: string; location_id: string }>(
      depot,
      "select i.id, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor') order by i.id limit 1",
      lulea,
    );
    expect(device).toBeDefined();
    // Scrapped at the other station of the site while this one is away, and the region moves on.
    other.post([{ articleId: device.article_id, individualId: device.id, fromLocationId: device.location_id, toLocationId: null, quantity: 1, reason: 'scrap' }]);
    await other.engine.syncNow();
    const bulk = one<{ article_id: string; location_id: string; lot: string }>(
      central,
      "select b.article_id, b.location_id, b.lot from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id where l.site_id = (select site_id from station) and l.kind = 'shelf' and a.rentable = 0 and b.quantity >= 3 order by b.article_id limit 1",
    );
    const to = one<{ id: string }>(central, "select id from locations where site_id = (select site_id from station) and kind = 'shelf' and id <> ? order by code limit 1", bulk.location_id).id;
    for (let i = 0; i < 3; i++) central.post([{ articleId: bulk.article_id, lot: bulk.lot || null, fromLocationId: bulk.location_id, toLocationId: to, quantity: 1, reason: 'move' }]);
    await central.engine.syncNow();

    // Too far behind: a new copy of its site, which no longer carries the scrapped device.
    await depot.engine.syncNow();
    const [held] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'individual' and id = $1", [device.id]);
    const want = JSON.parse(held!.data) as { status: string; location_id: string | null };
    expect(want.status).toBe('scrapped');
    expect(one(depot, 'select status, location_id from individuals where id = ?', device.id)).toEqual({ status: want.status, location_id: want.location_id });
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, await reg.register.stock()));
    expect(one(depot, "select value from station_settings where key = 'sync.devices_to_refresh'")).toEqual({ value: '[]' });
  }, 60_000);

  it('asks the register for a device it does not hold when it is scanned, takes the scan again, and follows the device from then on', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const devices = (await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual' order by id")).map((d) => ({
      id: d.id,
      ...(JSON.parse(d.data) as { individual_number: string; location_id: string | null; article_id: string; site_id: string | null; status: string }),
    }));
    const boden = one<{ site_id: string }>(central, 'select site_id from station').site_id;
    const away = devices.find((d) => d.status === 'in_stock' && d.site_id === boden && !one(depot, 'select 1 from individuals where id = ?', d.id))!;
    expect(away).toBeDefined();

    // Scanned at the depot: "not held here" at once, then the same scan again with the device.
    const events = new EventHub();
    const seen: ScanEvent[] = [];
    events.subscribe((e) => void (e.type === 'scan' && seen.push(e.scan)));
    const scanning = new ScanService(depot.store, events, null, null, (code) => depot.engine.fetchDevice(code));
    scanning.accept(toScan(away.individual_number, 'serial', 'test'));
    await Promise.all([...scanning.fetching]);
    expect(seen.map((e) => e.resolution?.kind)).toEqual(['unknown', 'individual']);
    expect(seen[0]!.resolution).toMatchObject({ notHeld: away.individual_number });
    expect(seen[1]!.resolution).toMatchObject({ kind: 'individual', id: away.id });
    expect(one(depot, 'select location_id as l from individuals where id = ?', away.id)).toEqual({ l: away.location_id });

    // Held from then on: moved at the central store, it is where the register says at the depot too.
    const to = one<{ id: string }>(central, "select id from locations where site_id = (select site_id from locations where id = ?) and kind in ('shelf', 'floor') and id <> ? and retired_at is null order by code limit 1", away.location_id, away.location_id).id;
    central.post([{ articleId: away.article_id, individualId: away.id, fromLocationId: away.location_id, toLocationId: to, quantity: 1, reason: 'move' }]);
    await central.engine.syncNow();
    await depot.engine.syncNow();
    expect(one(depot, 'select location_id as l from individuals where id = ?', away.id)).toEqual({ l: to });

    // Without the register: nothing is fetched, nothing changes, and the scan says so once.
    const other = devices.find((d) => d.id !== away.id && !one(depot, 'select 1 from individuals where id = ?', d.id))!;
    await reg.stop();
    seen.length = 0;
    scanning.accept(toScan(other.individual_number, 'serial', 'test'));
    await Promise.all([...scanning.fetching]);
    expect(seen.map((e) => e.resolution?.kind)).toEqual(['unknown']);
    expect(one(depot, 'select 1 as held from individuals where id = ?', other.id)).toBeUndefined();
    // The central store's copy has every device: it never asks.
    expect(await central.engine.fetchDevice(other.individual_number)).toBe(false);
  }, 60_000);
});
