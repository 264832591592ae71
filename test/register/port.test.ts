/** The port to the region's existing register: master data comes in, movements go out, and an exchange resumes where it stopped. */
import { describe, expect, it } from 'vitest';
import { decodeMovement, type MovementTuple } from '../../db/sync/wire';
import { exchangeWithRegion, type MasterDataChange, type RegionRegisterPort } from '../../register/port';
import { enrolledStation, movableStock, STORES, tinyRegister } from '../sync/harness';

/** The region's system as an adapter would see it: a change log with bookmarks, and a movement inbox that may fail. */
class RegionSystem implements RegionRegisterPort {
  log: MasterDataChange[] = [];
  received: MovementTuple[] = [];
  failNext = false;
  async fetchChanges(since: string | null) {
    const from = since === null ? 0 : Number(since);
    return { changes: this.log.slice(from), next: String(this.log.length) };
  }
  async publishMovements(movements: readonly MovementTuple[]) {
    if (this.failNext) {
      this.failNext = false;
      throw new Error('region system unavailable');
    }
    this.received.push(...movements);
  }
}

describe('the port to the region’s register', () => {
  it('brings master data changes to every station and hands every movement over once, resuming after a failure', async () => {
    const reg = await tinyRegister('sqlite');
    const region = new RegionSystem();
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const article = station.store.sqlite.prepare('select * from articles order by id limit 1').get() as Record<string, unknown>;

    region.log.push({ kind: 'article', id: article.id as string, data: { ...article, name: 'Rollator Carl, ny modell', gtins: [] } });
    const first = await exchangeWithRegion(reg.register, region);
    expect(first.received).toBe(1);
    expect(region.received.length).toBeGreaterThan(500); // the ledger so far
    await station.engine.syncNow();
    expect((station.store.sqlite.prepare('select name from articles where id = ?').get(article.id) as { name: string }).name).toBe('Rollator Carl, ny modell');

    const stock = movableStock(station.store)[0]!;
    station.post([{ articleId: stock.articleId, lot: stock.lot, fromLocationId: stock.locationId, quantity: 1, reason: 'delivery', orderRef: 'KO-77' }]);
    await station.engine.syncNow();
    region.failNext = true;
    await expect(exchangeWithRegion(reg.register, region)).rejects.toThrow('unavailable');
    const again = await exchangeWithRegion(reg.register, region);
    expect(again).toEqual({ received: 0, published: 1, refused: [], held: [] });
    expect(region.received.at(-1)![13]).toBe('KO-77');
    expect(new Set(region.received.map((m) => decodeMovement(m).id)).size).toBe(region.received.length);
  });
});

describe.each(STORES)('a place the region’s system moves to another site or withdraws (%s register)', (kind) => {
  it('never moves a place to another site, and withdraws one only once nothing is on it; a later change of it stands instead', async () => {
    const reg = await tinyRegister(kind);
    const region = new RegionSystem();
    const central = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const depot = await enrolledStation(reg.register, reg.server.url, { site: 1, start: false });
    const [own, other] = [central, depot].map((s) => s.store.sqlite.prepare('select site_id from station').pluck().get() as string);
    const place = async (id: string) => {
      const [row] = await reg.register.db.all<{ data: string; deleted: number }>("select data, deleted from entities where kind = 'location' and id = $1", [id]);
      return { ...(JSON.parse(row!.data) as Record<string, unknown>), deleted: Number(row!.deleted) } as Record<string, unknown> & { deleted: number };
    };
    const changed = async (id: string, change: Record<string, unknown>) => {
      const { deleted: _deleted, ...data } = await place(id);
      return { kind: 'location' as const, id, data: { ...data, ...change } };
    };
    const q = central.store.sqlite;
    const free = `not exists (select 1 from individuals i where i.location_id = l.id) and l.retired_at is null and l.site_id = '${own}' and l.parent_id is not null`;
    const one = (sql: string, ...args: unknown[]) => q.prepare(sql).pluck().get(...args) as string;
    // A shelf with stock and no device, one with a device, and one with nothing.
    const stocked = one(`select l.id from locations l where ${free} and exists (select 1 from balances b where b.location_id = l.id) order by l.id limit 1`);
    const withDevice = one('select location_id from individuals where location_id is not null and site_id = ? order by id limit 1', own);
    const empty = one(`select l.id from locations l where ${free} and not exists (select 1 from balances b where b.location_id = l.id) order by l.id limit 1`);
    const code = (await place(stocked)).code as string;

    region.log.push(await changed(stocked, { site_id: other }), { kind: 'location', id: withDevice, data: null }, { kind: 'location', id: empty, data: null });
    const first = await exchangeWithRegion(reg.register, region);
    expect(first.refused.map((r) => [r.change.id, r.reason.sv])).toEqual([[stocked, expect.stringContaining(`Platsen ${code} flyttas till ett annat förråd`)]]);
    expect(first.held.map((h) => [h.change.id, h.reason.en])).toEqual([[withDevice, expect.stringContaining('still holds stock or devices')]]);
    expect(await place(stocked)).toMatchObject({ site_id: own, deleted: 0 });
    expect((await place(withDevice)).deleted).toBe(0);
    expect((await place(empty)).deleted).toBe(1);
    for (const s of [central, depot]) await s.engine.syncNow();
    expect(depot.store.sqlite.prepare('select site_id from locations where id = ?').pluck().get(stocked)).toBe(own);
    expect(one('select retired_at from locations where id = ?', withDevice)).toBeNull();
    expect(one('select retired_at from locations where id = ?', empty)).not.toBeNull();
    // The move is answered once; the withdrawal still waits at the next exchange.
    expect(await exchangeWithRegion(reg.register, region)).toMatchObject({ refused: [], held: [{ change: { id: withDevice } }] });

    // A name given in the region's system meanwhile takes the place of the waiting withdrawal. A new
    // place given the code of one whose withdrawal waits, waits with it; one given a live place's code is refused.
    const { deleted: _, ...template } = await place(withDevice);
    const fresh = (id: string, code: unknown) => ({ kind: 'location' as const, id, data: { ...template, id, code, name: 'Ny hylla' } });
    region.log.push(await changed(withDevice, { name: 'Hylla med nytt namn' }), { kind: 'location', id: stocked, data: null }, fresh('new-1', code), fresh('new-2', template.code));
    const third = await exchangeWithRegion(reg.register, region);
    expect(await place(withDevice)).toMatchObject({ name: 'Hylla med nytt namn', deleted: 0 });
    expect(third.held.map((h) => h.change.id)).toEqual([stocked, 'new-1']);
    expect(third.refused.map((r) => [r.change.id, r.reason.en])).toEqual([['new-2', expect.stringContaining(`Location code ${String(template.code)} is already another location's`)]]);
    expect(await reg.register.db.all("select id from entities where id in ('new-1', 'new-2')")).toEqual([]);
    // The shelf emptied onto another: its withdrawal is taken at the next exchange.
    const elsewhere = one(`select l.id from locations l where ${free} and l.id not in (?, ?) order by l.id limit 1`, stocked, empty);
    const lines = q.prepare("select article_id, nullif(lot, '') as lot, quantity from balances where location_id = ? and quantity > 0").all(stocked) as { article_id: string; lot: string | null; quantity: number }[];
    central.post(lines.map((b) => ({ articleId: b.article_id, lot: b.lot, fromLocationId: stocked, toLocationId: elsewhere, quantity: b.quantity, reason: 'move' as const })));
    await central.engine.syncNow();
    expect(central.engine.status().lastError).toBeNull();
    expect((await exchangeWithRegion(reg.register, region)).held).toEqual([]);
    expect((await place(stocked)).deleted).toBe(1);
    expect(await place('new-1')).toMatchObject({ code, deleted: 0 });
    await central.engine.syncNow();
    expect(central.engine.status().lastError).toBeNull();
    expect(one('select retired_at from locations where id = ?', stocked)).not.toBeNull();
    expect(one('select id from locations where code = ?', code)).toBe('new-1');

    // No other way of writing master data moves a place either.
    await expect(reg.register.putEntities([await changed(elsewhere, { site_id: other })])).rejects.toMatchObject({ code: 'register.place_moved' });
    expect((await place(elsewhere)).site_id).toBe(own);
  }, 90_000);

  it('refuses a new place the code of one whose rename was refused, rather than stopping every exchange after', async () => {
    const reg = await tinyRegister(kind);
    const rows = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'location' and deleted = 0 and data like '%\"level\":\"shelf\"%' order by id limit 2");
    const [a, c] = rows.map((r) => JSON.parse(r.data) as Record<string, unknown>);
    const region = new RegionSystem();
    region.log.push({ kind: 'location', id: a!.id as string, data: { ...a, code: c!.code } }, { kind: 'location', id: 'new-b', data: { ...a, id: 'new-b', name: 'B' } });
    const first = await exchangeWithRegion(reg.register, region);
    expect(first.refused.map((r) => r.change.id)).toEqual([a!.id, 'new-b']);
    expect(await exchangeWithRegion(reg.register, region)).toMatchObject({ refused: [], held: [] });
    expect(await reg.register.db.all("select id from entities where id = 'new-b'")).toEqual([]);
  });

  it('takes a place’s code as a scan reads it, and refuses one whose label would not scan as a place', async () => {
    const reg = await tinyRegister(kind);
    const [row] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'location' and deleted = 0 and data like '%\"level\":\"shelf\"%' order by id limit 1");
    const shelf = JSON.parse(row!.data) as Record<string, unknown>;
    const site = String(shelf.code).slice(0, 3);
    const region = new RegionSystem();
    const place = (id: string, code: unknown): MasterDataChange => ({ kind: 'location', id, data: { ...shelf, id, code, name: id } });
    // Lower case and spaces around, as the region's system may hold it; an article's number; a word; a code too long.
    region.log.push(place('region-1', ` ${site.toLowerCase()}-r-01 `), place('region-2', 'A000123'), place('region-3', 'Hylla 7'), place('region-4', `${site}-R-0001`));
    const result = await exchangeWithRegion(reg.register, region);
    expect(result.refused.map((r) => [r.change.id, r.reason.sv.includes('går inte att skanna som en plats'), r.reason.en.includes('cannot be scanned as a location')])).toEqual([
      ['region-2', true, true],
      ['region-3', true, true],
      ['region-4', true, true],
    ]);
    const stored = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and id like 'region-%'");
    expect(stored.map((r) => [r.id, (JSON.parse(r.data) as { code: string }).code])).toEqual([['region-1', `${site}-R-01`]]);
    // A station finds the place by its label.
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    await station.engine.syncNow();
    expect(station.store.sqlite.prepare('select id from locations where code = ?').pluck().get(`${site}-R-01`)).toBe('region-1');
  });

  it('refuses a place under one it refused, judges a withdrawn place brought back, and leaves a code from before the rule as it is', async () => {
    const reg = await tinyRegister(kind);
    const [row] = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0 and data like '%\"level\":\"shelf\"%' order by id limit 1");
    const shelf = JSON.parse(row!.data) as Record<string, unknown>;
    const site = String(shelf.code).slice(0, 3);
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    await station.engine.syncNow();
    // A place kept from before the rule, with a code no scan reads; a place withdrawn.
    const legacy = { ...shelf, id: 'legacy-1', code: 'Hylla 7', name: 'Gammal hylla' };
    const gone = { ...shelf, id: 'gone-1', code: `${site}-GN-01`, name: 'Nedtagen' };
    await reg.register.db.run("insert into entities (kind, id, data, rev, deleted) values ('location', 'legacy-1', $1, 1, 0), ('location', 'gone-1', $2, 1, 1)", [JSON.stringify(legacy), JSON.stringify(gone)]);
    const region = new RegionSystem();
    region.log.push(
      { kind: 'location', id: 'aisle-9', data: { ...shelf, id: 'aisle-9', code: 'Gång 9', level: 'aisle', name: 'Gång 9' } },
      { kind: 'location', id: 'shelf-9', data: { ...shelf, id: 'shelf-9', code: `${site}-G9-01`, parent_id: 'aisle-9', name: 'Hylla 9' } },
      { kind: 'location', id: 'bin-9', data: { ...shelf, id: 'bin-9', code: `${site}-G9-01-1`, parent_id: 'shelf-9', level: 'bin', name: 'Fack 9' } },
      { kind: 'location', id: 'gone-1', data: { ...gone, code: 'HYLLA1' } },
      { kind: 'location', id: 'legacy-1', data: { ...legacy, name: 'Omdöpt hylla' } },
    );
    const result = await exchangeWithRegion(reg.register, region);
    expect(result.refused.map((r) => r.change.id).sort()).toEqual(['aisle-9', 'bin-9', 'gone-1', 'shelf-9']);
    expect(result.refused.find((r) => r.change.id === 'shelf-9')!.reason.sv).toMatch(/ligger under en plats som registret inte har/);
    const [kept] = await reg.register.db.all<{ data: string; deleted: unknown }>("select data, deleted from entities where id = 'legacy-1'");
    expect(JSON.parse(kept!.data)).toMatchObject({ code: 'Hylla 7', name: 'Omdöpt hylla' });
    expect(await reg.register.db.all("select id from entities where id in ('aisle-9', 'shelf-9', 'bin-9')")).toEqual([]);
    // Every station still takes the register's changes, and a new one its first copy.
    await station.engine.syncNow();
    const fresh = await enrolledStation(reg.register, reg.server.url, { start: false });
    await fresh.engine.syncNow();
    for (const s of [station, fresh]) {
      expect(s.engine.status().lastError).toBeNull();
      expect(s.store.sqlite.prepare("select name from locations where id = 'legacy-1'").pluck().get()).toBe('Omdöpt hylla');
    }
  });
});
