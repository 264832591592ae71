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

  it('refuses a lot recall and a safety notice, which list the whole region, rather than list only what it holds', async () => {
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
  }, 60_000);
});
