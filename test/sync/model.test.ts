/**
 * Any interleaving of posting, pushing (with lost acknowledgements), duplicate and reordered
 * delivery, pulling in small pages, and restarts of stations and register converges: once the
 * network is quiet and everyone has synced, the register holds every station's movements once
 * and every station sees the register's stock and the register's place for every individual.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DepotError } from '../../vocabulary/errors';
import { openStationDb, type StationDb } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';
import { syncLink } from '../../db/sync/link';
import { copyScope } from '../../db/sync/scope';
import { outboxBatch } from '../../db/sync/outbox';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { enrolledStation, heldStock, holdsDevice, stationStock, stepByStep, tinyRegister } from './harness';

type Cmd =
  | { t: 'post'; s: number; n: number; individual: number | null; occurredShift: number }
  | { t: 'push'; s: number; lose: boolean }
  | { t: 'dup'; s: number }
  | { t: 'pull'; s: number; limit: number }
  | { t: 'restartStation'; s: number }
  | { t: 'restartRegister' };

const S = 3;
const cmd: fc.Arbitrary<Cmd> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ t: fc.constant('post' as const), s: fc.nat(S - 1), n: fc.integer({ min: 1, max: 4 }), individual: fc.option(fc.nat(5), { nil: null }), occurredShift: fc.integer({ min: -5_000, max: 5_000 }) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('push' as const), s: fc.nat(S - 1), lose: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('dup' as const), s: fc.nat(S - 1) }) },
  { weight: 3, arbitrary: fc.record({ t: fc.constant('pull' as const), s: fc.nat(S - 1), limit: fc.integer({ min: 1, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restartStation' as const), s: fc.nat(S - 1) }) },
  { weight: 1, arbitrary: fc.record({ t: fc.constant('restartRegister' as const) }) },
);

describe('sync model', () => {
  it('converges under any interleaving of post, push, lost ack, duplicate delivery, pull and restart', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(cmd, { minLength: 5, maxLength: 40 }), async (cmds) => {
        const reg = await tinyRegister('sqlite');
        let register = reg.register;
        const stations: { dir: string; id: string; token: string; store: StationDb; work: { articleId: string; lot: string | null; a: string; b: string } }[] = [];
        for (let i = 0; i < S; i++) {
          const t = await enrolledStation(register, reg.server.url, { site: i, start: false });
          await t.engine.stop();
          const line = t.store.sqlite
            .prepare(
              `select b.article_id as articleId, nullif(b.lot, '') as lot, b.location_id as a from balances b join locations l on l.id = b.location_id join articles x on x.id = b.article_id
               where b.quantity >= 1 and l.kind in ('rack', 'shelf', 'floor') and x.rentable = 0 and not exists (select 1 from individuals i where i.article_id = b.article_id)
               order by b.article_id, b.location_id limit 1 offset ?`,
            )
            // A depot's own copy has its own site's few lines.
            .get(copyScope(t.store) === null ? i : 0) as { articleId: string; lot: string | null; a: string };
          const b = (t.store.sqlite.prepare("select id from locations where kind = 'rack' and id <> ? order by code limit 1").get(line.a) as { id: string }).id;
          stations.push({ dir: t.dir, id: t.stationId, token: syncLink(t.store)!.token, store: t.store, work: { ...line, b } });
        }
        await reg.server.close(); // from here on the protocol is driven directly, step by step
        const rec = async (s: number) => (await register.authenticate(stations[s]!.token))!;
        const sync = stations.map((st) => stepByStep(() => register, () => st.store, st.token));
        const push = (s: number, lose: boolean) => sync[s]!.push(lose);
        const pull = (s: number, limit: number) => sync[s]!.pull(limit);

        for (const c of cmds) {
          const st = c.t === 'restartRegister' ? null : stations[c.s]!;
          switch (c.t) {
            case 'post': {
              const user = st!.store.sqlite.prepare('select id from users where active = 1 order by id limit 1').get() as { id: string };
              const actor = { userId: user.id, stationId: st!.id };
              try {
                if (c.individual !== null) {
                  const ind = st!.store.sqlite
                    .prepare("select id, article_id as articleId, location_id as locationId from individuals where location_id is not null order by id limit 1 offset ?")
                    // A depot's own copy holds fewer devices: the n-th of those it holds.
                    .get(c.individual % Math.max(1, (st!.store.sqlite.prepare('select count(*) as n from individuals where location_id is not null').get() as { n: number }).n)) as {
                    id: string;
                    articleId: string;
                    locationId: string;
                  };
                  const to = ind.locationId === st!.work.b ? st!.work.a : st!.work.b;
                  postMovements(st!.store, actor, [{ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, toLocationId: to, quantity: 1, reason: 'move', occurredAt: Date.now() + c.occurredShift }], 'moving');
                } else {
                  const w = st!.work;
                  const onA = (st!.store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ? and lot = ?').get(w.articleId, w.a, w.lot ?? '') as { quantity: number } | undefined)?.quantity ?? 0;
                  const fromA = onA >= c.n;
                  postMovements(st!.store, actor, [{ articleId: w.articleId, lot: w.lot, fromLocationId: fromA ? w.a : w.b, toLocationId: fromA ? w.b : w.a, quantity: c.n, reason: 'move' }], 'moving');
                }
              } catch (e) {
                if (!(e instanceof DepotError)) throw e; // refused locally (not enough there, or elsewhere): nothing posted
              }
              break;
            }
            case 'push':
              await push(c.s, c.lose);
              break;
            case 'dup': {
              // Old entries delivered again, out of order.
              const entries = outboxBatch(st!.store, 0, 50).reverse();
              if (entries.length) await register.push(await rec(c.s), entries);
              break;
            }
            case 'pull':
              await pull(c.s, c.limit);
              break;
            case 'restartStation':
              st!.store.close();
              st!.store = openStationDb({ dataDir: st!.dir, quickCheck: 'skip' });
              break;
            case 'restartRegister':
              await register.close();
              register = await Register.open(await openRegisterDb(reg.options));
              break;
          }
        }

        // The network is quiet: everyone pushes until acknowledged, then pulls until up to date.
        for (let s = 0; s < S; s++) await sync[s]!.drain();
        for (let s = 0; s < S; s++) while (await pull(s, 500));
        const stock = await register.stock();
        const inds = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual'");
        for (const st of stations) {
          const local = st.store.sqlite.prepare('select count(*) as n from movements where station_id = ?').get(st.id) as { n: number };
          const [remote] = await register.db.all<{ n: number; d: number }>('select count(*) as n, count(distinct seq) as d from movements where station_id = $1', [st.id]);
          expect([Number(remote!.n), Number(remote!.d)]).toEqual([local.n, local.n]);
          // A depot's own copy holds its site's stock and devices, each as the register has it.
          expect(stationStock(st.store)).toEqual(heldStock(st.store, stock));
          for (const i of inds) {
            const want = JSON.parse(i.data) as { location_id: string | null; status: string; site_id: string | null };
            if (holdsDevice(st.store, i.id, want.site_id))
              expect(st.store.sqlite.prepare('select location_id, status from individuals where id = ?').get(i.id)).toEqual({ location_id: want.location_id, status: want.status });
          }
          st.store.close();
        }
        await register.close();
      }),
      { numRuns: 50 },
    );
  }, 300_000);
});
