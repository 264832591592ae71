/**
 * Five stations post 1,000 movements each through a fault proxy, their sync running alongside (a
 * station that gets far ahead of its sync waits for it). The faults come by count, never by chance
 * or the clock: of every ten pushes one loses its acknowledgement (the register has applied it,
 * the station never hears), one is dropped before it arrives and one is cut off halfway through
 * its answer; pulls meet the same; and the register restarts before every 25th push. The faults
 * last until the posting is over and the stations have made as many pushes as their movements
 * need at the least, so every kind of fault is met on any machine, fast or slow. Then the network
 * heals. Afterwards every movement is in the register exactly once, every outbox has drained and
 * every station sees the register's stock.
 */
import { describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { prng } from '../../db/demo/random';
import { startFaultProxy, type Fate, type RequestSeen } from '../fault-proxy';
import { enrolledStation, heldStock, holdsDevice, stationStock, STORES, tinyRegister, type TestStation } from './harness';

const STATIONS = 5;
const PER_STATION = 1_000;
/** Movements per push request; a push may run over by one posting (of at most MOST_PER_POSTING). */
const BATCH = 25;
const MOST_PER_POSTING = 8;
/** The fewest pushes that can carry every station's movements: the faults last at least this long. */
const LEAST_PUSHES = STATIONS * Math.ceil(PER_STATION / (BATCH + MOST_PER_POSTING - 1));
const RESTART_EVERY = 25;

/** The nth push's and the nth pull's fate: a round of ten. */
const PUSH_ROUND: Fate[] = ['lostAck', 'pass', 'pass', 'pass', 'drop', 'pass', 'pass', 'reset', 'pass', 'pass'];
const PULL_ROUND: Fate[] = ['pass', 'pass', 'pass', 'drop', 'pass', 'lostAck', 'pass', 'pass', 'reset', 'pass'];
function fate(r: RequestSeen): Fate {
  if (r.path === '/sync/push') return PUSH_ROUND[r.nOfPath % 10]!;
  if (r.path === '/sync/pull') return PULL_ROUND[r.nOfPath % 10]!;
  return 'pass';
}
/** How many of the first `n` pushes the round gives `kind`. */
const inFirstPushes = (n: number, kind: Fate) => Array.from({ length: n }, (_, k) => PUSH_ROUND[(k + 1) % 10]).filter((x) => x === kind).length;

/** What one station moves back and forth at its own site: a bulk stock line, one individual and a spare rack, none shared with another station. */
function workload(store: StationDb, rank: number) {
  const { site } = store.sqlite.prepare('select site_id as site from station').get() as { site: string };
  const bulk = store.sqlite
    .prepare(
      `select b.article_id as articleId, b.location_id as locationId, nullif(b.lot, '') as lot from balances b
       join locations l on l.id = b.location_id join articles a on a.id = b.article_id
       where b.quantity >= 1 and l.site_id = ? and l.retired_at is null and l.kind in ('rack', 'shelf', 'floor')
         and not exists (select 1 from individuals i where i.article_id = a.id)
       order by b.article_id, b.location_id limit 1 offset ?`,
    )
    .get(site, rank) as { articleId: string; locationId: string; lot: string | null };
  const ind = store.sqlite
    .prepare(
      `select i.id, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id
       where i.status = 'in_stock' and l.site_id = ? and l.retired_at is null order by i.id limit 1 offset ?`,
    )
    .get(site, rank) as { id: string; articleId: string; locationId: string };
  const spare = store.sqlite
    .prepare("select id from locations where kind = 'rack' and site_id = ? and retired_at is null and id not in (?, ?) order by code limit 1 offset ?")
    .get(site, bulk.locationId, ind.locationId, rank) as { id: string };
  return { bulk, ind, spare: spare.id };
}

describe.each(STORES)('sync under faults, register on %s', (kind) => {
  it(`${STATIONS} stations × ${PER_STATION} movements, lost acknowledgements, drops, resets and register restarts by count: exactly once, equal stock, outboxes drain`, async () => {
    const reg = await tinyRegister(kind);
    const proxy = await startFaultProxy(reg.server.port);
    const stations: TestStation[] = [];
    const sync = { maxDelayMs: 1_000, batchMovements: BATCH, requestTimeoutMs: 60_000 };
    for (let i = 0; i < STATIONS; i++) stations.push(await enrolledStation(reg.register, proxy.url, { site: i, sync }));
    const sites: string[] = [];
    const work = stations.map((s) => {
      const { site } = s.store.sqlite.prepare('select site_id as site from station').get() as { site: string };
      sites.push(site);
      return workload(s.store, sites.filter((x) => x === site).length - 1);
    });
    // Nothing was pushed yet: the count of pushes starts with the faults.
    expect(proxy.stats.paths['/sync/push']?.requests ?? 0).toBe(0);

    const restartErrors: unknown[] = [];
    Object.assign(proxy.faults, {
      latencyMs: 2,
      fate,
      pause: {
        before: (r: RequestSeen) => r.path === '/sync/push' && r.nOfPath % RESTART_EVERY === 0,
        run: () => reg.restart().catch((e: unknown) => void restartErrors.push(e)),
      },
    });

    // Each station posts its movements in postings of 1–8, with sync running alongside.
    await Promise.all(
      stations.map(async (s, i) => {
        const w = work[i]!;
        const random = prng(100 + i);
        let atSpare = false;
        let indAtSpare = false;
        let posted = 0;
        while (posted < PER_STATION) {
          const n = Math.min(PER_STATION - posted, 1 + Math.floor(random() * MOST_PER_POSTING));
          const inputs = [];
          for (let k = 0; k < n; k++) {
            if (k === 0 && random() < 0.2) {
              inputs.push({ articleId: w.ind.articleId, individualId: w.ind.id, fromLocationId: indAtSpare ? w.spare : w.ind.locationId, toLocationId: indAtSpare ? w.ind.locationId : w.spare, quantity: 1, reason: 'move' as const });
              indAtSpare = !indAtSpare;
            } else {
              inputs.push({ articleId: w.bulk.articleId, lot: w.bulk.lot, fromLocationId: atSpare ? w.spare : w.bulk.locationId, toLocationId: atSpare ? w.bulk.locationId : w.spare, quantity: 1, reason: 'move' as const });
              atSpare = !atSpare;
            }
          }
          s.post(inputs);
          posted += n;
          // A station that has sent too little waits for its sync to catch up a little, so posting and pushing go on side by side.
          if (s.engine.status().waitingMovements > 8 * BATCH) while (s.engine.status().waitingMovements > 4 * BATCH) await new Promise((r) => setTimeout(r, 10));
        }
      }),
    );

    // The stations cannot empty their outboxes in fewer pushes than this, so the faults meet at least that many.
    await expect.poll(() => proxy.stats.paths['/sync/push']?.requests ?? 0, { timeout: 180_000, interval: 50 }).toBeGreaterThanOrEqual(LEAST_PUSHES);
    proxy.heal();
    await proxy.settled();

    // The network has healed: every outbox drains.
    await expect.poll(() => stations.map((s) => s.engine.status().waiting), { timeout: 120_000, interval: 100 }).toEqual(stations.map(() => 0));
    for (const s of stations) await s.engine.syncNow();

    // Every kind of fault was met, at least as often as the count gives for the pushes it surely covered.
    const { stats } = proxy;
    const pushes = stats.paths['/sync/push']!;
    console.log(`[${kind}] ${stats.requests} requests, ${pushes.requests} of them pushes: ${pushes.lostAcks} lost acks, ${pushes.dropped} dropped, ${pushes.reset} reset; ${stats.pauses} register restarts`);
    expect(restartErrors).toEqual([]);
    expect(pushes.lostAcks).toBeGreaterThanOrEqual(inFirstPushes(LEAST_PUSHES, 'lostAck'));
    expect(pushes.dropped).toBeGreaterThanOrEqual(inFirstPushes(LEAST_PUSHES, 'drop'));
    expect(pushes.reset).toBeGreaterThanOrEqual(inFirstPushes(LEAST_PUSHES, 'reset'));
    expect(stats.pauses).toBeGreaterThanOrEqual(Math.floor(LEAST_PUSHES / RESTART_EVERY));
    expect(Math.min(pushes.lostAcks, pushes.dropped, pushes.reset, stats.pauses)).toBeGreaterThan(0);

    // Every movement is in the register exactly once.
    const counts = await reg.register.db.all<{ station_id: string; n: number; distinct_seq: number }>(
      'select station_id, count(*) as n, count(distinct seq) as distinct_seq from movements where station_id in ($1, $2, $3, $4, $5) group by station_id',
      stations.map((s) => s.stationId),
    );
    expect(Object.fromEntries(counts.map((c) => [c.station_id, [Number(c.n), Number(c.distinct_seq)]]))).toEqual(
      Object.fromEntries(stations.map((s) => [s.stationId, [PER_STATION, PER_STATION]])),
    );
    // Every station sees the register's stock, and each individual where the register has it.
    const register = await reg.register.stock();
    for (const s of stations) expect(stationStock(s.store)).toEqual(heldStock(s.store, register));
    const inds = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual'");
    for (const s of stations)
      for (const i of inds) {
        const want = JSON.parse(i.data) as { location_id: string | null; site_id: string | null };
        if (!holdsDevice(s.store, i.id, want.site_id)) continue;
        const here = s.store.sqlite.prepare('select location_id as l from individuals where id = ?').get(i.id) as { l: string | null };
        expect(here.l).toBe(want.location_id);
      }
    await proxy.close();
  }, 300_000);
});
