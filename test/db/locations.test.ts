import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LOCATION_CODE, normalizeCode } from '../../vocabulary/codes/station-codes';
import { DepotError } from '../../vocabulary/errors';
import { placeCodeProblem } from '../../vocabulary/place-code';
import { createLocation, createRange, moveEverything, retireLocation, updateLocation } from '../../db/locations/manage';
import type { StationDb } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';
import { resolveCode } from '../../db/stock/resolve';
import { suggestLocation } from '../../db/workflows/putaway';
import { tinyStore } from '../helpers';

const actorOf = (store: StationDb) => ({
  userId: (store.sqlite.prepare('select id from users limit 1').get() as { id: string }).id,
  stationId: (store.sqlite.prepare('select id from station').get() as { id: string }).id,
});
const code = (e: unknown) => (e instanceof DepotError ? e.code : String(e));
/** The refusal: its code, its words and the field it names; null when taken. */
const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return e instanceof DepotError ? { code: e.code, sv: e.userMessage.sv, en: e.userMessage.en, field: e.field } : { code: String(e), sv: '', en: '', field: undefined };
  }
  return null;
};
const refused = (f: () => unknown) => refusal(f)?.code ?? 'accepted';

/** A station of the tiny dataset with a new zone `<central store's code>-<code>` at its central store. */
function centralZone(code: string) {
  const store = tinyStore();
  const actor = actorOf(store);
  const site = store.sqlite.prepare("select id, code from sites where kind = 'central_store'").get() as { id: string; code: string };
  const zone = createLocation(store, actor, { siteId: site.id, parentId: null, code: `${site.code}-${code}`, name: `Zon ${code}`, level: 'zone', kind: 'rack' });
  return { store, actor, site, zone };
}

describe('managing locations', () => {
  it('creates, renames and moves locations, refusing taken or malformed codes and wrong levels, and tells the register', () => {
    const store = tinyStore();
    const actor = actorOf(store);
    const site = store.sqlite.prepare("select id, code from sites where kind = 'central_store'").get() as { id: string; code: string };
    const zone = createLocation(store, actor, { siteId: site.id, parentId: null, code: `${site.code}-T9`, name: 'Zon Q', level: 'zone', kind: 'rack' });
    const shelf = createLocation(store, actor, { siteId: site.id, parentId: zone, code: `${site.code}-T9-01`, name: '', level: 'shelf', kind: 'shelf', capacity: 40 });
    expect(refused(() => createLocation(store, actor, { siteId: site.id, parentId: zone, code: `${site.code}-T9-01`, name: '', level: 'shelf', kind: 'shelf' }))).toBe('locations.code_taken');
    expect(refused(() => createLocation(store, actor, { siteId: site.id, parentId: null, code: 'bad code!', name: '', level: 'zone', kind: 'rack' }))).toBe('locations.bad_code');
    expect(refused(() => createLocation(store, actor, { siteId: site.id, parentId: shelf, code: `${site.code}-T9-Z`, name: '', level: 'zone', kind: 'rack' }))).toBe('locations.level');
    expect(refused(() => updateLocation(store, actor, zone, { parentId: shelf }))).toBe('locations.level');
    // Another site's locations are kept at that site's stations: this one refuses to create, change or retire them.
    const away = store.sqlite.prepare("select l.id, l.site_id as siteId from locations l where l.site_id <> ? and l.level = 'zone' limit 1").get(site.id) as { id: string; siteId: string };
    expect(refused(() => createLocation(store, actor, { siteId: away.siteId, parentId: null, code: 'AWAY-Z9', name: '', level: 'zone', kind: 'rack' }))).toBe('locations.other_site');
    expect(refused(() => updateLocation(store, actor, away.id, { name: 'Inte här' }))).toBe('locations.other_site');
    expect(refused(() => createRange(store, actor, { parentId: away.id, aisle: 'Q', shelves: [1, 1], bins: null, kind: 'shelf' }))).toBe('locations.other_site');
    expect(refused(() => retireLocation(store, actor, away.id))).toBe('locations.other_site');
    updateLocation(store, actor, shelf, { name: 'Hylla för rullatorer', capacity: 12 });
    expect(store.sqlite.prepare('select name, capacity from locations where id = ?').get(shelf)).toEqual({ name: 'Hylla för rullatorer', capacity: 12 });
    const changes = (store.sqlite.prepare("select payload from outbox where kind = 'entities'").all() as { payload: string }[]).flatMap((r) => JSON.parse(r.payload).changes);
    expect(changes.filter((c: [string, string]) => c[0] === 'location' && c[1] === shelf)).toHaveLength(2);
    store.close();
  });

  it('takes only a code whose label scans as that place: never one read as an article, a device, an order or nothing at all', () => {
    const { store, actor, site, zone } = centralZone('T8');
    // Codes a worker might type: an article's number, a device's, an order's, a word, a long code, lower case.
    for (const typed of ['A000123', 'I0000042', 'KO-1234567', 'HYLLA1', 'LAGERHYLLA-1', `${site.code}-T8-ABCD`, `${site.code}-1-2-3-4-5`])
      expect(refused(() => createLocation(store, actor, { siteId: site.id, parentId: zone, code: typed, name: '', level: 'shelf', kind: 'shelf' })), typed).toBe('locations.bad_code');
    // A range whose aisle would give codes no scan reads is refused whole.
    expect(refused(() => createRange(store, actor, { parentId: zone, aisle: 'ABCD', shelves: [1, 2], bins: [1, 2], kind: 'shelf' }))).toBe('locations.bad_code');
    expect(store.sqlite.prepare('select count(*) from locations where code like ?').pluck().get(`${site.code}-T8-%`)).toBe(0);
    const taken = createLocation(store, actor, { siteId: site.id, parentId: zone, code: ` ${site.code.toLowerCase()}-t8-01 `, name: '', level: 'shelf', kind: 'shelf' });
    expect(resolveCode(store, `${site.code}-T8-01`)).toMatchObject({ kind: 'location', id: taken });
    // Whatever is typed, a code the station takes is read back from its label as that very place.
    let n = 0;
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 16 }), fc.stringMatching(/^[A-Za-zÅÄÖåäö0-9-]{2,16}$/), fc.stringMatching(/^[A-ZÅÄÖ]{3}(-[A-Z0-9]{1,4}){1,5}$/)), (typed) => {
        let id: string;
        try {
          id = createLocation(store, actor, { siteId: site.id, parentId: zone, code: typed, name: `p${n++}`, level: 'shelf', kind: 'shelf' });
        } catch (e) {
          expect(['locations.bad_code', 'locations.code_taken']).toContain(code(e));
          return;
        }
        const label = store.sqlite.prepare('select code from locations where id = ?').pluck().get(id) as string;
        expect(resolveCode(store, label)).toMatchObject({ kind: 'location', id });
      }),
      { numRuns: 300 },
    );
    store.close();
  });

  it("says what is wrong with a place in the warehouse's words: which part of a code, which level under which", () => {
    const { store, actor, site, zone } = centralZone('T7');
    const shelf = createLocation(store, actor, { siteId: site.id, parentId: zone, code: `${site.code}-T7-01`, name: '', level: 'shelf', kind: 'shelf' });
    const bin = createLocation(store, actor, { siteId: site.id, parentId: shelf, code: `${site.code}-T7-01-1`, name: '', level: 'bin', kind: 'shelf' });
    const place = (code: string, level: 'shelf' | 'bin' = 'shelf', parentId = zone) => refusal(() => createLocation(store, actor, { siteId: site.id, parentId, code, name: '', level, kind: 'shelf' }));
    // A level under one it cannot go under is named as the floor names it, never by its internal name.
    const level = place(`${site.code}-T7-01-1-2`, 'bin', bin)!;
    expect(level.sv).toMatch(new RegExp(`^Ett fack kan inte ligga under ett fack \\(${site.code}-T7-01-1\\)\\.`));
    expect(level.en).toMatch(/^A bin cannot go under a bin/);
    expect(`${level.sv} ${level.en}`).not.toMatch(/\b(zone|aisle|shelf|bin) kan\b|en bin\b/);
    // Each malformed code is told what is wrong with it, then the rule.
    expect(place(`${site.code}-Ö-01`)!.sv).toMatch(/^Delen "Ö" har Å, Ä eller Ö/);
    expect(place(`${site.code}-T7-ABCD`)!.sv).toMatch(/^Delen "ABCD" är för lång/);
    expect(place(`${site.code}-T7--1`)!.sv).toMatch(/^Varje del mellan bindestrecken/);
    expect(place('HYLLA1')!.sv).toMatch(/^Platskoden börjar med förrådets kod, tre bokstäver, inte "HYLLA1"/);
    expect(place(`${site.code}-1-2-3-4-5`)!.en).toMatch(/^At most four parts/);
    for (const typed of ['HYLLA1', `${site.code}-T7-ABCD`]) expect(place(typed)!.sv).toContain('t.ex. BOD-A-01-2');
    // A range's aisle is told about as the aisle, in the aisle's field, before any code is made of it.
    const aisle = refusal(() => createRange(store, actor, { parentId: zone, aisle: 'Ö', shelves: [1, 2], bins: [1, 2], kind: 'shelf' }))!;
    expect(aisle).toMatchObject({ field: 'aisle' });
    expect(aisle.sv).toMatch(/^Gången skrivs med en till tre bokstäver A–Z eller siffror, t\.ex\. 03 eller B, inte "Ö"/);
    expect(store.sqlite.prepare('select count(*) from locations where code like ?').pluck().get(`${site.code}-T7-%`)).toBe(2);
    store.close();
  });

  it('finds a code wrong exactly when its label would not scan as a place, and always says why', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 24 }), fc.stringMatching(/^[A-Za-zÅÄÖåäö0-9 -]{0,20}$/), fc.stringMatching(/^[A-ZÅÄÖ]{3}(-[A-ZÅÄÖ0-9]{0,4}){0,6}$/)), (typed) => {
        const wrong = placeCodeProblem(typed);
        expect(wrong === null).toBe(LOCATION_CODE.test(normalizeCode(typed)));
        if (wrong) {
          expect(wrong.sv.length).toBeGreaterThan(20);
          expect(wrong.en.length).toBeGreaterThan(20);
          // What is quoted back of a typed part stays short, whatever was typed.
          expect(wrong.sv.length).toBeLessThan(400);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('answers for a place tree that loops (held from before the register refused one), rather than never answering', () => {
    const { store, actor, site, zone } = centralZone('L1');
    const a = createLocation(store, actor, { siteId: site.id, parentId: zone, code: `${site.code}-L1-A`, name: '', level: 'aisle', kind: 'rack' });
    const b = createLocation(store, actor, { siteId: site.id, parentId: a, code: `${site.code}-L1-A-01`, name: '', level: 'shelf', kind: 'shelf' });
    // The two under each other, as two crossing moves could once leave them.
    store.sqlite.pragma('foreign_keys = OFF');
    store.sqlite.prepare('update locations set parent_id = ? where id = ?').run(b, a);
    store.sqlite.pragma('foreign_keys = ON');
    const dataDir = dirname(store.sqlite.name);
    store.close();
    // In a process of its own with a deadline: a walk that never ends fails here instead of hanging.
    const walked = spawnSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'location-walk.ts'), dataDir, b, a, actor.userId, actor.stationId], { encoding: 'utf8', timeout: 60_000 });
    expect(walked.status, walked.stderr).toBe(0);
    const { path, retired } = JSON.parse(walked.stdout) as { path: string[]; retired: number };
    expect(path.length).toBeLessThanOrEqual(17);
    expect(retired).toBe(2);
  });

  it('creates a whole range with codes that follow the zone, and retires only what holds nothing', () => {
    const store = tinyStore();
    const actor = actorOf(store);
    const zone = store.sqlite.prepare("select l.id, l.code, l.site_id as siteId from locations l join sites s on s.id = l.site_id where s.kind = 'central_store' and l.level = 'zone' order by l.code limit 1").get() as { id: string; code: string; siteId: string };
    const r = createRange(store, actor, { parentId: zone.id, aisle: 'x', shelves: [1, 3], bins: [1, 2], kind: 'shelf' });
    expect(r.codes).toEqual([`${zone.code}-X-01`, `${zone.code}-X-01-1`, `${zone.code}-X-01-2`, `${zone.code}-X-02`, `${zone.code}-X-02-1`, `${zone.code}-X-02-2`, `${zone.code}-X-03`, `${zone.code}-X-03-1`, `${zone.code}-X-03-2`]);
    expect(r.ids).toHaveLength(10); // the aisle too
    expect(refused(() => createRange(store, actor, { parentId: zone.id, aisle: 'X', shelves: [3, 4], bins: null, kind: 'shelf' }))).toBe('locations.code_taken');
    const bin = store.sqlite.prepare('select id from locations where code = ?').get(`${zone.code}-X-02-1`) as { id: string };
    const article = store.sqlite.prepare("select id from articles where tracking = 'none' and rentable = 0 limit 1").get() as { id: string };
    postMovements(store, actor, [{ articleId: article.id, toLocationId: bin.id, quantity: 5, reason: 'receipt' }], 'receiving');
    const aisle = r.ids[0]!;
    expect(refused(() => retireLocation(store, actor, aisle))).toBe('locations.has_stock');
    const other = store.sqlite.prepare('select id from locations where code = ?').get(`${zone.code}-X-03-1`) as { id: string };
    moveEverything(store, actor, bin.id, other.id);
    expect(store.sqlite.prepare('select quantity from balances where location_id = ?').get(other.id)).toEqual({ quantity: 5 });
    expect(refused(() => retireLocation(store, actor, aisle))).toBe('locations.has_stock');
    expect(refused(() => moveEverything(store, actor, bin.id, other.id))).toBe('locations.empty');
    const shelf2 = store.sqlite.prepare('select id from locations where code = ?').get(`${zone.code}-X-02`) as { id: string };
    expect(retireLocation(store, actor, shelf2.id)).toBe(3);
    expect(refused(() => postMovements(store, actor, [{ articleId: article.id, fromLocationId: other.id, toLocationId: bin.id, quantity: 1, reason: 'move' }], 'moving'))).toBe('stock.location_retired');
    store.close();
  });

  it('suggests putting away where there is room: a full location is passed over', () => {
    const store = tinyStore();
    const actor = actorOf(store);
    const site = (store.sqlite.prepare('select site_id as s from station').get() as { s: string }).s;
    const held = store.sqlite
      .prepare("select b.article_id as a, b.location_id as l, b.quantity as q from balances b join locations l on l.id = b.location_id where l.site_id = ? and l.level = 'bin' and l.kind = 'shelf' order by b.quantity desc limit 1")
      .get(site) as { a: string; l: string; q: number };
    expect(suggestLocation(store, site, held.a)?.locationId).toBe(held.l);
    const total = (store.sqlite.prepare('select sum(quantity) as q from balances where location_id = ?').get(held.l) as { q: number }).q;
    updateLocation(store, actor, held.l, { capacity: total });
    expect(suggestLocation(store, site, held.a)?.locationId).not.toBe(held.l);
    updateLocation(store, actor, held.l, { capacity: total + 1 });
    expect(suggestLocation(store, site, held.a)?.locationId).toBe(held.l);
    store.close();
  });

  it('moves every article and individual from one location to another', () => {
    const store = tinyStore();
    const actor = actorOf(store);
    const from = store.sqlite
      .prepare("select i.location_id as id from individuals i join station s on s.site_id = i.site_id where i.status = 'in_stock' and i.location_id is not null group by i.location_id order by count(*) desc limit 1")
      .get() as { id: string };
    const site = store.sqlite.prepare('select site_id as s from locations where id = ?').get(from.id) as { s: string };
    const to = store.sqlite.prepare("select id from locations where site_id = ? and id <> ? and kind in ('shelf', 'rack') and retired_at is null limit 1").get(site.s, from.id) as { id: string };
    const before = (store.sqlite.prepare('select count(*) as n from individuals where location_id = ?').get(from.id) as { n: number }).n;
    const toBefore = (store.sqlite.prepare('select count(*) as n from individuals where location_id = ?').get(to.id) as { n: number }).n;
    moveEverything(store, actor, from.id, to.id);
    expect(store.sqlite.prepare('select count(*) as n from balances where location_id = ? and quantity <> 0').get(from.id)).toEqual({ n: 0 });
    expect((store.sqlite.prepare('select count(*) as n from individuals where location_id = ?').get(to.id) as { n: number }).n).toBe(toBefore + before);
    store.close();
  });
});
