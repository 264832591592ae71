/**
 * A depot's own copy under hard use: pages that carry a new place of the depot with the stock put
 * there, pages so small that a device arrives apart from what it refers to, hostile requests. The
 * depot's figures are always the register's for its places, and its pulls always apply.
 */
import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../db/ids';
import { syncLink } from '../../db/sync/link';
import { copyScope } from '../../db/sync/scope';
import { lotRecall } from '../../db/stock/lots';
import { siteFigures } from '../../db/replenishment/dashboard';
import { computeSuggestions } from '../../db/replenishment/suggestions';
import { addToPallet, closePallet, openPallet, receivePallet } from '../../db/workflows/pallets';
import { pick } from '../../db/workflows/picking';
import { returnIndividual } from '../../db/workflows/returns';
import { placeOrder } from '../helpers';
import { EventHub } from '../../services/events';
import { ScanService, type ScanEvent } from '../../services/scanning';
import { toScan } from '../../vocabulary/codes/scan';
import { safetyNotice } from '../../db/service/trace';
import { enrolledStation, heldStock, movableStock, stationStock, STORES, tinyRegister, type TestStation } from './harness';

const one = <T>(s: TestStation, sql: string, ...a: unknown[]) => s.store.sqlite.prepare(sql).get(...a) as T;

const safetyNoticeHeld = (s: TestStation, article: string) => one<{ n: number }>(s, "select count(*) as n from individuals where article_id = ? and status <> 'cancelled'", article).n;

/** A new place of `siteId`, created at the register (as the console does). */
async function newPlace(reg: Awaited<ReturnType<typeof tinyRegister>>, siteId: string, code: string): Promise<string> {
  const id = uuidv7();
  await reg.register.putEntities([
    { kind: 'location', id, data: { id, site_id: siteId, parent_id: null, code, name: code, level: 'bin', kind: 'shelf', retired_at: null, capacity: null } },
  ]);
  return id;
}

describe.each(STORES)('a depot’s own copy under attack, register on %s', (kind) => {
  it('counts stock put on a place of the depot that is new in the same page', async () => {
    const reg = await tinyRegister(kind);
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const lulea = copyScope(depot.store)!;
    const place = await newPlace(reg, lulea, 'LUL-NY-1');
    await other.engine.syncNow();
    const bulk = movableStock(other.store, lulea)[0]!;
    // Goods received straight onto the new place: the movement touches no place the depot held before.
    other.post([{ articleId: bulk.articleId, lot: bulk.lot, fromLocationId: null, toLocationId: place, quantity: 1, reason: 'receipt' }]);
    await other.engine.syncNow();
    const stock = await reg.register.stock();
    expect(stock.get(`${bulk.articleId}|${place}|${bulk.lot ?? ''}`)).toBe(1);
    expect(stationStock(other.store)).toEqual(heldStock(other.store, stock));
    // The place and the stock put on it come in one page.
    await depot.engine.syncNow();
    expect(syncLink(depot.store)!.lastError).toBeNull();
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, stock));
  }, 60_000);

  it('applies a page of one movement whose device has since gone to a place the depot has not pulled yet', async () => {
    const reg = await tinyRegister(kind);
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false, sync: { pageSize: 1 } });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const lulea = copyScope(depot.store)!;
    const device = one<{ id: string; article_id: string; location_id: string }>(
      depot,
      "select i.id, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where l.site_id = ? and i.status = 'in_stock' and l.kind = 'shelf' order by i.id limit 1",
      lulea,
    );
    const shelf = one<{ id: string }>(depot, "select id from locations where site_id = ? and kind = 'shelf' and id <> ? and retired_at is null order by code limit 1", lulea, device.location_id).id;
    // Moved at the depot's other station, then to a place made afterwards.
    other.post([{ articleId: device.article_id, individualId: device.id, fromLocationId: device.location_id, toLocationId: shelf, quantity: 1, reason: 'move' }]);
    await other.engine.syncNow();
    const later = await newPlace(reg, lulea, 'LUL-NY-2');
    await other.engine.syncNow();
    other.post([{ articleId: device.article_id, individualId: device.id, fromLocationId: shelf, toLocationId: later, quantity: 1, reason: 'move' }]);
    await other.engine.syncNow();
    await depot.engine.syncNow();
    expect(syncLink(depot.store)!.lastError).toBeNull();
    expect(one(depot, 'select location_id as l from individuals where id = ?', device.id)).toEqual({ l: later });
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, await reg.register.stock()));
  }, 60_000);

  it('refuses a lot recall and a safety notice, which list the whole region, and shows only its own site’s figures on the dashboard', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const lulea = copyScope(depot.store)!;
    // A lot received at the central store, and an article with devices at several places.
    const boden = one<{ site_id: string }>(central, 'select site_id from station').site_id;
    const article0 = one<{ id: string }>(central, "select id from articles where not exists (select 1 from individuals i where i.article_id = articles.id) order by id limit 1").id;
    const shelf = one<{ id: string }>(central, "select id from locations where site_id = ? and kind = 'shelf' and retired_at is null order by code limit 1", boden).id;
    central.post([{ articleId: article0, lot: 'RECALL-1', fromLocationId: null, toLocationId: shelf, quantity: 3, reason: 'receipt' }]);
    await central.engine.syncNow();
    await depot.engine.syncNow();
    const lot = { article_id: article0, lot: 'RECALL-1' };
    const recall = lotRecall(central.store, lot.article_id, lot.lot);
    expect(recall.stock.length).toBeGreaterThan(0);
    expect(() => lotRecall(depot.store, lot.article_id, lot.lot)).toThrowError(expect.objectContaining({ code: 'sync.not_held' }));
    const article = one<{ article_id: string }>(
      central,
      'select i.article_id from individuals i where i.site_id is not ? and exists (select 1 from individuals j where j.article_id = i.article_id and j.site_id = ?) limit 1',
      lulea,
      lulea,
    ).article_id;
    const notice = safetyNotice(central.store, { articleId: article });
    expect(notice.length).toBeGreaterThan(safetyNoticeHeld(depot, article));
    expect(() => safetyNotice(depot.store, { articleId: article })).toThrowError(expect.objectContaining({ code: 'sync.not_held' }));
    // The replenishment dashboard's figures per site: the depot's own only, never a zero for a store it does not hold.
    const figures = siteFigures(depot.store, computeSuggestions(depot.store));
    expect(figures.map((f) => f.siteId)).toEqual([lulea]);
    expect(siteFigures(central.store, computeSuggestions(central.store)).length).toBeGreaterThan(1);
  }, 60_000);

  it('answers odd device codes with nothing, gives a central store station the whole region when it asks for its site, and shuts out a revoked station', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const token = syncLink(depot.store)!.token;
    const ask = (path: string, t = token) => fetch(`${reg.server.url}${path}`, { headers: { Authorization: `Bearer ${t}` } });
    const device = async (code: string) => {
      const res = await ask(`/sync/device?code=${encodeURIComponent(code)}`);
      return { status: res.status, body: res.status === 200 ? ((await res.json()) as { device: unknown }) : null };
    };
    const known = one<{ individual_number: string; id: string }>(central, 'select individual_number, id from individuals order by id limit 1');
    expect((await device(known.individual_number)).body).toMatchObject({ device: ['individual', known.id, expect.objectContaining({ id: known.id })] });
    // Wildcards, quotes, JSON paths and other scripts name no device; nothing matches by pattern.
    for (const code of ['%', '_', `${known.individual_number.slice(0, -1)}%`, "' or '1'='1", '" or 1=1 --', '$.individual_number', 'null', '*', 'Ä€😀', '\\', ' '.repeat(3)])
      expect(await device(code), code).toEqual({ status: 200, body: { device: null } });
    // Too long, empty, or more than the code: refused as a bad request, never a server error.
    for (const path of [`/sync/device?code=${'9'.repeat(201)}`, '/sync/device?code=', '/sync/device', `/sync/device?code=${known.individual_number}&scope=site`])
      expect((await ask(path)).status, path).toBe(400);
    // A central store station that asks for its site's copy gets the whole region's, as it holds.
    const centralStation = (await reg.register.authenticate(syncLink(central.store)!.token))!;
    const whole = await reg.register.snapshotBatches({ header: () => undefined, batch: () => undefined }, centralStation, false);
    const asked = await reg.register.snapshotBatches({ header: () => undefined, batch: () => undefined }, centralStation, true);
    expect(asked.scope).toBeUndefined();
    expect(asked.counts).toEqual(whole.counts);
    const page = await reg.register.pull(centralStation, whole.epoch, 0, 20_000, true);
    const region = await reg.register.pull(centralStation, whole.epoch, 0, 20_000, false);
    expect(page).toEqual(region);
    // A revoked depot station learns nothing more: no device, no page, no copy.
    const depotStation = (await reg.register.authenticate(token))!;
    expect(await reg.register.revoke(depotStation.id)).toBe(true);
    for (const path of [`/sync/device?code=${known.individual_number}`, '/sync/pull?cursor=0&scope=site', '/sync/snapshot?scope=site'])
      expect((await ask(path)).status, path).toBe(401);
    expect(await depot.engine.fetchDevice(known.individual_number)).toBe(false);
  }, 60_000);

  it('follows a refill pallet from the central store into the depot a change at a time, its figures and devices as the register has them', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false, sync: { pageSize: 1 } });
    const lulea = copyScope(depot.store)!;
    const boden = one<{ site_id: string }>(central, 'select site_id from station').site_id;
    const actor = (s: TestStation, siteId: string) => ({
      stationId: s.stationId,
      userId: one<{ id: string }>(s, 'select id from users where active = 1 order by id limit 1').id,
      siteId,
    });
    // A central store device the depot does not hold, and some bulk goods, picked for a refill order.
    const device = (
      central.store.sqlite
        .prepare("select i.id, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where l.site_id = ? and i.status = 'in_stock' and l.kind = 'shelf' order by i.id")
        .all(boden) as { id: string; article_id: string; location_id: string }[]
    ).find((d) => !one(depot, 'select 1 from individuals where id = ?', d.id))!;
    const bulk = movableStock(central.store, boden)[0]!;
    const name = one<{ name: string }>(central, 'select name from sites where id = ?', lulea).name;
    const a = actor(central, boden);
    const orderRef = 'KO-9900001';
    placeOrder(central.store, {
      ref: orderRef,
      customerRef: 'KST-1',
      siteId: boden,
      day: '2026-12-04',
      route: 'R1',
      deliveryPoint: name,
      municipality: 'Luleå',
      toSiteId: lulea,
      lines: [
        { articleId: device.article_id, quantity: 1 },
        { articleId: bulk.articleId, quantity: 2 },
      ],
    });
    pick(central.store, a, { orderRef, articleId: device.article_id, fromLocationId: device.location_id, individualId: device.id, quantity: 1 });
    pick(central.store, a, { orderRef, articleId: bulk.articleId, lot: bulk.lot, fromLocationId: bulk.locationId, quantity: 2 });
    const p = openPallet(central.store, a, { route: 'R1', deliveryDay: '2026-12-04', deliveryPoint: name, municipality: 'Luleå' });
    expect(p.toSiteId).toBe(lulea);
    addToPallet(central.store, a, { palletId: p.id, articleId: device.article_id, individualId: device.id, quantity: 1 });
    addToPallet(central.store, a, { palletId: p.id, articleId: bulk.articleId, lot: bulk.lot, quantity: 2 });
    closePallet(central.store, a, p.id);
    await central.engine.syncNow();
    await depot.engine.syncNow();
    expect(syncLink(depot.store)!.lastError).toBeNull();
    const held = async () => {
      const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'individual' and id = $1", [device.id]);
      const there = JSON.parse(row!.data) as { status: string; location_id: string | null; site_id: string | null };
      expect(one(depot, 'select status, location_id, site_id from individuals where id = ?', device.id)).toEqual({ status: there.status, location_id: there.location_id, site_id: there.site_id });
      expect(stationStock(depot.store)).toEqual(heldStock(depot.store, await reg.register.stock()));
    };
    await held();
    // Received at the depot, then synced both ways.
    receivePallet(depot.store, actor(depot, lulea), p.sscc);
    await depot.engine.syncNow();
    await central.engine.syncNow();
    await depot.engine.syncNow();
    expect(syncLink(depot.store)!.lastError).toBeNull();
    await held();
    expect(stationStock(central.store)).toEqual(await reg.register.stock());
  }, 60_000);

  it('takes a scan again once after fetching a device, even when the register finds the code as another device’s serial number', async () => {
    const reg = await tinyRegister(kind);
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    // A device the depot does not hold whose maker's serial number reads like an individual number no device has.
    const rows = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual' order by id");
    const away = rows.find((r) => !one(depot, 'select 1 from individuals where id = ?', r.id))!;
    const code = 'I0999901';
    await reg.register.putEntities([{ kind: 'individual', id: away.id, data: { ...(JSON.parse(away.data) as Record<string, unknown>), serial_number: code } }]);
    const events = new EventHub();
    const seen: ScanEvent[] = [];
    events.subscribe((e) => void (e.type === 'scan' && seen.push(e.scan)));
    const scanning = new ScanService(depot.store, events, null, null, (c) => depot.engine.fetchDevice(c));
    scanning.accept(toScan(code, 'serial', 'test'));
    for (let i = 0; i < 10 && scanning.fetching.size > 0; i++) await Promise.all([...scanning.fetching]);
    await new Promise((r) => setTimeout(r, 300));
    // Scanned once, taken again at most once: never a loop of questions to the register.
    expect(seen.length).toBeLessThanOrEqual(2);
    expect(scanning.fetching.size).toBe(0);
    expect(seen.every((e) => e.resolution?.kind === 'unknown')).toBe(true);
  }, 60_000);

  it('takes back at the depot a device lent out from the central store, fetched when scanned, and both copies agree with the register', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false, sync: { pageSize: 1 } });
    const lulea = copyScope(depot.store)!;
    const boden = one<{ site_id: string }>(central, 'select site_id from station').site_id;
    const device = (
      central.store.sqlite
        .prepare("select i.id, i.individual_number, i.article_id, i.location_id from individuals i join locations l on l.id = i.location_id where l.site_id = ? and i.status = 'in_stock' and l.kind = 'shelf' order by i.id")
        .all(boden) as { id: string; individual_number: string; article_id: string; location_id: string }[]
    ).find((d) => !one(depot, 'select 1 from individuals where id = ?', d.id))!;
    central.post([{ articleId: device.article_id, individualId: device.id, fromLocationId: device.location_id, toLocationId: null, quantity: 1, reason: 'delivery', orderRef: 'ORD-LENT-1' }]);
    await central.engine.syncNow();
    await depot.engine.syncNow();
    expect(one(depot, 'select 1 as held from individuals where id = ?', device.id)).toBeUndefined();
    expect(await depot.engine.fetchDevice(device.individual_number)).toBe(true);
    expect(one(depot, 'select status from individuals where id = ?', device.id)).toEqual({ status: 'on_loan' });
    const user = one<{ id: string }>(depot, 'select id from users where active = 1 order by id limit 1').id;
    returnIndividual(depot.store, { stationId: depot.stationId, userId: user, siteId: lulea }, { individualId: device.id, missing: [] });
    await depot.engine.syncNow();
    await central.engine.syncNow();
    await depot.engine.syncNow();
    expect(syncLink(depot.store)!.lastError).toBeNull();
    expect(syncLink(central.store)!.lastError).toBeNull();
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'individual' and id = $1", [device.id]);
    const there = JSON.parse(row!.data) as { status: string; location_id: string | null; site_id: string | null };
    expect(there.site_id).toBe(lulea);
    for (const s of [depot, central]) expect(one(s, 'select status, location_id, site_id from individuals where id = ?', device.id)).toEqual({ status: there.status, location_id: there.location_id, site_id: there.site_id });
    const stock = await reg.register.stock();
    expect(stationStock(depot.store)).toEqual(heldStock(depot.store, stock));
    expect(stationStock(central.store)).toEqual(stock);
  }, 60_000);

  it('applies, on a station of the whole region too, a page of one movement onto a place renamed after it', async () => {
    const reg = await tinyRegister(kind);
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false, sync: { pageSize: 1 } });
    const boden = one<{ site_id: string }>(central, 'select site_id from station').site_id;
    const place = await newPlace(reg, boden, 'BOD-NY-9');
    await central.engine.syncNow();
    const bulk = movableStock(central.store, boden)[0]!;
    central.post([{ articleId: bulk.articleId, lot: bulk.lot, fromLocationId: bulk.locationId, toLocationId: place, quantity: 1, reason: 'move' }]);
    await central.engine.syncNow();
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'location' and id = $1", [place]);
    await reg.register.putEntities([{ kind: 'location', id: place, data: { ...(JSON.parse(row!.data) as Record<string, unknown>), name: 'Omdöpt' } }]);
    await other.engine.syncNow();
    expect(syncLink(other.store)!.lastError).toBeNull();
    expect(one(other, 'select name from locations where id = ?', place)).toEqual({ name: 'Omdöpt' });
    expect(stationStock(other.store)).toEqual(await reg.register.stock());
  }, 60_000);
});
