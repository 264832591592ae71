/**
 * A copy the register made for one station, given as it is to the next station asking for the same
 * copy: that station ends holding what a copy read for it then would have given, and the register
 * gives it only when it fits (the same copy, not too far behind, history kept, nothing of the
 * station's own after it).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { openStationDb, type StationDb } from '../../db/open';
import { syncLink } from '../../db/sync/link';
import { readHeaderFrame } from '../../db/sync/columns';
import { returnIndividual } from '../../db/workflows/returns';
import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine } from '../../services/sync';
import { postMovements } from '../../db/stock/ledger';
import { ownerOf, tempDir } from '../helpers';
import { serveRegister } from '../../register/http';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { copyCursor, FAST, movableStock, renamePlace, STORES, tinyRegister, type TestRegister } from './harness';

/** A station enrolled with the register and not yet synced, with its record as the register knows it. */
async function enrolledOnly(reg: { register: Register; url: string }, site: number | string) {
  const sites = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id");
  const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
  const siteId = typeof site === 'string' ? site : sites[site]!.id;
  await enrolWithRegister(store, reg.url, await reg.register.createEnrolmentCode({ stationName: `Made ${Math.random().toString(36).slice(2, 6)}`, siteId }));
  const link = syncLink(store)!;
  const record = (await reg.register.authenticate(link.token))!;
  const engine = new SyncEngine(store, new EventHub(), FAST);
  return { store, link, record, engine };
}

/** The register as a station reaches it. */
const at = (reg: TestRegister) => ({ register: reg.register, url: reg.server.url });

/** Who posts at a station: its site and its first active user. */
function actorOf(s: Station) {
  const one = <T>(sql: string) => s.store.sqlite.prepare(sql).get() as T;
  return { siteId: one<{ site_id: string }>('select site_id from station').site_id, userId: one<{ id: string }>('select id from users where active = 1 order by id limit 1').id, stationId: s.record.id };
}

type Station = Awaited<ReturnType<typeof enrolledOnly>>;

/** One unit of the station's own site's stock (the `i`th it can move) scrapped and pushed; false when it has none. */
async function scrapOne(s: Station, i = 0): Promise<boolean> {
  const actor = actorOf(s);
  const stock = movableStock(s.store, actor.siteId);
  if (stock.length === 0) return false;
  const u = stock[i % stock.length]!;
  postMovements(s.store, actor, [{ articleId: u.articleId, lot: u.lot, fromLocationId: u.locationId, toLocationId: null, quantity: 1, reason: 'scrap' }], ownerOf('scrap'));
  await s.engine.syncNow();
  expect(s.engine.status().lastError).toBeNull();
  return true;
}

/** Devices out on loan as the station holds them, by number. */
const lentDevices = (s: Station) => s.store.sqlite.prepare("select id from individuals where status = 'on_loan' and location_id is null order by individual_number").all() as { id: string }[];

/** Devices taken back at the station, then pushed. */
async function takeBack(s: Station, devices: readonly { id: string }[]): Promise<void> {
  const actor = actorOf(s);
  for (const d of devices) returnIndividual(s.store, actor, { individualId: d.id, missing: [] });
  await s.engine.syncNow();
}

/** A new station of `site` filled by a second register process on the same database (nothing made kept there): a copy read for it. */
async function readByAnotherNode(reg: TestRegister, site: number): Promise<Station> {
  const node = await Register.open(await openRegisterDb(reg.options), { copyPage: 40, pinPepper: reg.register.pinPepper() });
  const served = await serveRegister(node);
  try {
    const read = await enrolledOnly({ register: node, url: served.url }, site);
    expect(await copyCursor(read.link)).toBe(await reg.register.head());
    await read.engine.syncNow();
    expect(read.engine.status().lastError).toBeNull();
    return read;
  } finally {
    await served.close();
    await node.close();
  }
}

/** Stops and closes the stations a test made. */
async function closeAll(stations: readonly Station[]): Promise<void> {
  for (const s of stations) {
    await s.engine.stop();
    s.store.close();
  }
}

/** What a station holds of the region, row by row. */
const held = (store: StationDb) =>
  Object.fromEntries(['articles', 'locations', 'individuals', 'movements', 'balances', 'service_jobs'].map((t) => [t, store.sqlite.prepare(`select * from ${t} order by 1, 2`).all()]));

describe.each(STORES)('a copy the register made, given again (%s register)', (kind) => {
  it.each([
    ['the central store', 0],
    ['a depot', 1],
  ])('leaves a new station of %s holding what a copy read for it would, the changes since coming by the pull after it', async (_, site) => {
    const reg = await tinyRegister(kind, { copyPage: 40 });
    const first = await enrolledOnly(at(reg), site);
    await first.engine.syncNow();
    expect(first.engine.status().lastError).toBeNull();
    const made = await reg.register.head();

    // After the copy was made: devices taken back and stock scrapped at the first station, a place renamed at the register.
    const lent = lentDevices(first).slice(0, 2);
    if (site === 0) expect(lent.length).toBe(2);
    await takeBack(first, lent);
    expect(await scrapOne(first)).toBe(true);
    await renamePlace(reg, 0, 'Omdöpt efter kopian');
    expect(await reg.register.head()).toBeGreaterThan(made);

    // The next station of the same site is given the copy made for the first, behind the register's head.
    const second = await enrolledOnly(at(reg), site);
    expect(await copyCursor(second.link)).toBe(made);
    await second.engine.syncNow();
    expect(second.engine.status().lastError).toBeNull();

    // A third, through a second register process on the same database, is read a copy of its own.
    const third = await readByAnotherNode(reg, site);

    const given = held(second.store);
    expect(given.locations).toContainEqual(expect.objectContaining({ name: 'Omdöpt efter kopian' }));
    expect(given).toEqual(held(third.store));
    await closeAll([first, second, third]);
  }, 90_000);

  it('leaves a new station holding what a copy read for it would, whatever its own site and another did after the copy was made', async () => {
    type Step = { t: 'scrap'; other: boolean; i: number } | { t: 'return'; i: number } | { t: 'rename'; i: number; name: string };
    const step: fc.Arbitrary<Step> = fc.oneof(
      fc.record({ t: fc.constant('scrap' as const), other: fc.boolean(), i: fc.nat(40) }),
      fc.record({ t: fc.constant('return' as const), i: fc.nat(40) }),
      fc.record({ t: fc.constant('rename' as const), i: fc.nat(40), name: fc.constantFrom('Hylla Å', 'Plats 2', 'Lager ö', 'Ny plats') }),
    );
    await fc.assert(
      fc.asyncProperty(fc.nat(1), fc.array(step, { minLength: 1, maxLength: 8 }), async (site, steps) => {
        const reg = await tinyRegister(kind, { copyPage: 40 });
        const first = await enrolledOnly(at(reg), site);
        await first.engine.syncNow();
        const made = await reg.register.head();
        const other = await enrolledOnly(at(reg), 1 - site);
        await other.engine.syncNow();
        for (const st of steps) {
          if (st.t === 'scrap') await scrapOne(st.other ? other : first, st.i);
          else if (st.t === 'return') {
            const lent = lentDevices(first);
            if (lent.length > 0) await takeBack(first, [lent[st.i % lent.length]!]);
          } else await renamePlace(reg, st.i, st.name);
        }
        const given = await enrolledOnly(at(reg), site);
        expect(await copyCursor(given.link)).toBe(made);
        await given.engine.syncNow();
        expect(given.engine.status().lastError).toBeNull();
        const read = await readByAnotherNode(reg, site);
        expect(held(given.store)).toEqual(held(read.store));
        await closeAll([first, other, given, read]);
        await reg.stop();
      }),
      { numRuns: 4 },
    );
  }, 300_000);

  it('is given only while it fits: not to a station that pushed after it, not below forgotten history, not too far behind, not to another site', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40, madeCopyChanges: 3 });
    const first = await enrolledOnly(at(reg), 0);
    await first.engine.syncNow();
    const waiting = await enrolledOnly(at(reg), 0);
    const depot = await enrolledOnly(at(reg), 1);
    expect(await reg.register.madeCopy(waiting.record, true)).not.toBeNull();
    // The copy is the central store's: a depot's station asking for its own is not given it.
    expect(await reg.register.madeCopy(depot.record, true)).toBeNull();

    // The first station posts after its copy: given that copy again, it would never get its own movement back.
    expect(await scrapOne(first)).toBe(true);
    expect(await reg.register.madeCopy(first.record, true)).toBeNull();
    expect(await reg.register.madeCopy(waiting.record, true)).not.toBeNull();

    // History below the copy forgotten: a station given it would be sent for a copy again at once.
    const head = await reg.register.head();
    await reg.register.markCompactedBelow(head);
    expect(await reg.register.madeCopy(waiting.record, true)).toBeNull();
    await reg.register.markCompactedBelow(0);
    expect(await reg.register.madeCopy(waiting.record, true)).not.toBeNull();

    // More changes since it was made than the register gives a made copy for.
    for (const name of ['Ett', 'Två', 'Tre']) await renamePlace(reg, 0, name);
    expect(await reg.register.madeCopy(waiting.record, true)).toBeNull();
    // The copy read for it instead is kept in its place, and given to the next.
    await waiting.engine.syncNow();
    expect(waiting.engine.status().lastError).toBeNull();
    const next = await enrolledOnly(at(reg), 0);
    expect(await copyCursor(next.link)).toBe(await reg.register.head());
    expect(await reg.register.madeCopy(next.record, true)).not.toBeNull();
    await closeAll([first, waiting, depot, next]);
  }, 90_000);

  it("keeps the region's copy and each depot's own apart, whatever the region's system names a site", async () => {
    const reg = await tinyRegister(kind, { copyPage: 40 });
    const [depot] = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'site' and data like '%staffed_depot%' order by id limit 1");
    const [place] = await reg.register.db.all<{ data: string }>("select data from entities where kind = 'location' and data like $1 order by id limit 1", [`%${depot!.id}%`]);
    // Depot sites named as a copy's key might read: the region's own and anything else.
    const sites = ['*', 'region', 'site *'];
    await reg.register.putEntities(
      sites.flatMap((id, i) => [
        { kind: 'site', id, data: { ...(JSON.parse(depot!.data) as Record<string, unknown>), id, code: `ST${i}`, name: `Depå ${i}` } },
        { kind: 'location', id: `place-${i}`, data: { ...(JSON.parse(place!.data) as Record<string, unknown>), id: `place-${i}`, site_id: id, parent_id: null, code: `ST${'ABC'[i]}-A`, name: 'Hylla' } },
      ]),
    );
    // The central store's copy made first: no depot's station is given it.
    const [store] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like '%central_store%'");
    const central = await enrolledOnly(at(reg), store!.id);
    await central.engine.syncNow();
    const depots = [];
    for (const site of sites) {
      const d = await enrolledOnly(at(reg), site);
      expect(await reg.register.madeCopy(d.record, true), site).toBeNull();
      depots.push(d);
    }
    // Each depot's own copy made in turn: neither another depot's station nor a new central one is given it.
    for (const d of depots) {
      await d.engine.syncNow();
      expect(d.engine.status().lastError).toBeNull();
      expect(d.store.sqlite.prepare('select site_id from copy_scope').pluck().get()).toBe(d.record.siteId);
    }
    const next = await enrolledOnly(at(reg), store!.id);
    const given = await reg.register.madeCopy(next.record, true);
    expect(given).not.toBeNull();
    expect(readHeaderFrame(given![0]!.subarray(8)).scope ?? null).toBeNull();
    for (const site of sites) {
      const d = await enrolledOnly(at(reg), site);
      const own = await reg.register.madeCopy(d.record, true);
      expect(own, site).not.toBeNull();
      expect(readHeaderFrame(own![0]!.subarray(8)).scope, site).toBe(site);
      await closeAll([d]);
    }
    await closeAll([central, ...depots, next]);
  }, 90_000);

  it('is not kept when the register is told to keep none', async () => {
    const reg = await tinyRegister(kind, { copyPage: 40, madeCopyChanges: 0 });
    const first = await enrolledOnly(at(reg), 0);
    await first.engine.syncNow();
    const next = await enrolledOnly(at(reg), 0);
    expect(await reg.register.madeCopy(next.record, true)).toBeNull();
    await closeAll([first, next]);
  }, 60_000);
});
