/**
 * Five stations post 10,000 movements each through a fault proxy that loses 10% of the
 * register's acknowledgements (and adds latency, drops and resets), while the register is
 * restarted at random. Afterwards every movement is in the register exactly once, every
 * station sees the register's stock, and every outbox drained within 60 s of the network healing.
 */
import { describe, expect, it } from 'vitest';
import type { Store } from '../../db/open';
import { startFaultProxy } from '../fault-proxy';
import { prng } from '../../db/demo/generate';
import { enrolledStation, stationStock, STORES, tinyRegister, type TestStation } from './harness';

const STATIONS = 5;
const PER_STATION = 10_000;

/** What one station moves back and forth: a bulk stock line and one individual, both its own. */
function workload(store: Store, index: number) {
  const bulk = store.sqlite
    .prepare(
      `select b.article_id as articleId, b.location_id as locationId, nullif(b.lot, '') as lot from balances b
       join locations l on l.id = b.location_id join articles a on a.id = b.article_id
       where b.quantity >= 1 and l.kind in ('rack', 'shelf', 'floor') and not exists (select 1 from individuals i where i.article_id = a.id)
       order by b.article_id, b.location_id limit 1 offset ?`,
    )
    .get(index) as { articleId: string; locationId: string; lot: string | null };
  const ind = store.sqlite
    .prepare("select id, article_id as articleId, location_id as locationId from individuals where status = 'in_stock' order by id limit 1 offset ?")
    .get(index) as { id: string; articleId: string; locationId: string };
  const spare = (store.sqlite.prepare("select id from locations where kind = 'rack' and retired_at is null order by code limit 1 offset ?").get(index) as { id: string }).id;
  return { bulk, ind, spare };
}

describe.each(STORES)('sync under faults, register on %s', (kind) => {
  it(`${STATIONS} stations × ${PER_STATION} movements, 10% lost acknowledgements, register restarts: exactly once, equal stock, outboxes drain`, async () => {
    const reg = await tinyRegister(kind);
    const proxy = await startFaultProxy(reg.server.port, {}, prng(kind === 'sqlite' ? 1 : 2));
    const stations: TestStation[] = [];
    for (let i = 0; i < STATIONS; i++) stations.push(await enrolledStation(reg.register, proxy.url, { site: i, sync: { maxDelayMs: 2_000, batchMovements: 500 } }));
    Object.assign(proxy.faults, { lostAck: 0.1, drop: 0.03, reset: 0.03, latencyMs: 2 });

    const random = prng(7);
    let restarts = 0;
    let posting = true;
    const restarter = (async () => {
      while (posting) {
        await new Promise((r) => setTimeout(r, 300 + random() * 1_200));
        if (!posting) break;
        await reg.restart();
        restarts++;
      }
    })();

    // Each station posts its 10,000 movements in postings of 1–8 over several seconds, with sync running alongside.
    await Promise.all(
      stations.map(async (s, i) => {
        const w = workload(s.store, i);
        let atSpare = false;
        let indAtSpare = false;
        let posted = 0;
        while (posted < PER_STATION) {
          const n = Math.min(PER_STATION - posted, 1 + Math.floor(random() * 8));
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
          if (posted % 60 < n) await new Promise((r) => setTimeout(r, 40));
        }
      }),
    );
    posting = false;
    await restarter;

    // The network heals: every outbox drains within 60 s.
    proxy.heal();
    const healed = Date.now();
    await expect.poll(() => stations.every((s) => s.engine.status().waiting === 0), { timeout: 60_000, interval: 100 }).toBe(true);
    const drained = Date.now() - healed;
    for (const s of stations) await s.engine.syncNow();

    console.log(`[${kind}] ${proxy.stats.requests} requests, ${proxy.stats.lostAcks} lost acks, ${proxy.stats.dropped} dropped, ${proxy.stats.reset} reset, ${restarts} register restarts; drained ${drained} ms after healing`);
    expect(restarts).toBeGreaterThan(2);
    expect(proxy.stats.lostAcks).toBeGreaterThan(20);
    const counts = await reg.register.db.all<{ station_id: string; n: number; distinct_seq: number }>(
      'select station_id, count(*) as n, count(distinct seq) as distinct_seq from movements where station_id in ($1, $2, $3, $4, $5) group by station_id',
      stations.map((s) => s.stationId),
    );
    expect(counts).toHaveLength(STATIONS);
    for (const c of counts) expect([Number(c.n), Number(c.distinct_seq)]).toEqual([PER_STATION, PER_STATION]);
    const register = await reg.register.stock();
    for (const s of stations) expect(stationStock(s.store)).toEqual(register);
    // Every station sees each individual where the register has it.
    const inds = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual'");
    for (const s of stations)
      for (const i of inds) {
        const here = s.store.sqlite.prepare('select location_id as l from individuals where id = ?').get(i.id) as { l: string | null };
        expect(here.l).toBe((JSON.parse(i.data) as { location_id: string | null }).location_id);
      }
    await proxy.close();
  }, 240_000);
});
