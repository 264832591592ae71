import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DepotError } from '../../vocabulary/errors';
import type { Store } from '../../db/open';
import { postMovements, type MovementInput } from '../../db/stock/ledger';
import { ownerOf, tinyStore } from '../helpers';

let store: Store | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

interface World {
  stationId: string;
  userId: string;
  articles: { id: string; tracking: string; rentable: number }[];
  locations: string[];
  individuals: { id: string; articleId: string }[];
}

function world(s: Store): World {
  const q = <T>(sql: string) => s.sqlite.prepare(sql).all() as T[];
  return {
    stationId: (s.sqlite.prepare('select id from station').get() as { id: string }).id,
    userId: (s.sqlite.prepare("select id from users where role = 'warehouse_worker' limit 1").get() as { id: string }).id,
    articles: q('select id, tracking, rentable from articles order by article_number'),
    locations: q<{ id: string }>(
      "select l.id from locations l join station s on s.site_id = l.site_id where l.level = 'bin' or l.kind in ('goods_in', 'dispatch', 'returns') order by l.code",
    ).map((r) => r.id),
    individuals: q<{ id: string; article_id: string }>('select id, article_id from individuals order by individual_number').map((r) => ({ id: r.id, articleId: r.article_id })),
  };
}

/** Every balance equals the sum of the ledger's movements into and out of its location. */
function balancesMatchLedger(s: Store): void {
  const mismatches = s.sqlite
    .prepare(
      `with ledger as (
         select article_id, to_location_id as location_id, coalesce(lot, '') as lot, quantity as q from movements where to_location_id is not null
         union all
         select article_id, from_location_id, coalesce(lot, ''), -quantity from movements where from_location_id is not null),
       sums as (select article_id, location_id, lot, sum(q) as q from ledger group by 1, 2, 3)
       select * from sums full outer join balances b using (article_id, location_id, lot)
       where coalesce(sums.q, 0) <> coalesce(b.quantity, 0)`,
    )
    .all();
  expect(mismatches).toEqual([]);
}

type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
const step = fc.record({
  kind: fc.constantFrom('receipt', 'move', 'out', 'individual', 'bad'),
  article: fc.nat(),
  from: fc.nat(),
  to: fc.nat(),
  quantity: fc.integer({ min: 1, max: 40 }),
  individual: fc.nat(),
  lot: fc.constantFrom('L1', 'L2'),
});

function toMovement(w: World, st: Step): MovementInput {
  const loc = (n: number) => w.locations[n % w.locations.length]!;
  const sold = w.articles.filter((a) => !a.rentable);
  const a = sold[st.article % sold.length]!;
  const lot = a.tracking === 'none' ? null : st.lot;
  switch (st.kind) {
    case 'receipt':
      return { articleId: a.id, lot, toLocationId: loc(st.to), quantity: st.quantity, reason: 'receipt' };
    case 'move':
      return { articleId: a.id, lot, fromLocationId: loc(st.from), toLocationId: loc(st.to), quantity: st.quantity, reason: 'move' };
    case 'out':
      return { articleId: a.id, lot, fromLocationId: loc(st.from), quantity: st.quantity, reason: 'delivery' };
    case 'individual': {
      const ind = w.individuals[st.individual % w.individuals.length]!;
      const at = (store!.sqlite.prepare('select location_id from individuals where id = ?').get(ind.id) as { location_id: string | null }).location_id;
      return { articleId: ind.articleId, individualId: ind.id, fromLocationId: at, toLocationId: at === null ? loc(st.to) : st.to % 3 === 0 ? null : loc(st.to), quantity: 1, reason: at === null ? 'return' : 'move' };
    }
    default:
      // Never valid: a negative quantity.
      return { articleId: a.id, lot, toLocationId: loc(st.to), quantity: -st.quantity, reason: 'receipt' };
  }
}

describe('stock ledger', () => {
  it('keeps every balance equal to the sum of its movements, and refused postings write nothing', () => {
    fc.assert(
      fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }), (batches) => {
        store?.close();
        store = tinyStore();
        const w = world(store);
        const count = () => (store!.sqlite.prepare('select count(*) as n from movements').get() as { n: number }).n;
        const outbox = () => (store!.sqlite.prepare('select count(*) as n from outbox').get() as { n: number }).n;
        let expectedMovements = count();
        let expectedOutbox = outbox();
        for (const batch of batches) {
          // One workflow posts a batch; a movement of another's reason in it refuses the whole batch.
          const movements = batch.map((st) => toMovement(w, st.kind === 'bad' ? st : { ...st, kind: batch[0]!.kind }));
          try {
            const posted = postMovements(store, { stationId: w.stationId, userId: w.userId }, movements, ownerOf(movements[0]!.reason));
            expectedMovements += posted.length;
            expectedOutbox += 1;
          } catch (e) {
            expect(e).toBeInstanceOf(DepotError);
            expect((e as DepotError).userMessage.sv.length).toBeGreaterThan(0);
            expect((e as DepotError).userMessage.en.length).toBeGreaterThan(0);
          }
          expect(count()).toBe(expectedMovements);
          expect(outbox()).toBe(expectedOutbox);
        }
        balancesMatchLedger(store);
        // Local postings never take a shelf below zero.
        expect(store.sqlite.prepare('select count(*) as n from balances where quantity < 0').get()).toEqual({ n: 0 });
        // A place emptied keeps no row: a missing row means nothing there.
        expect(store.sqlite.prepare('select count(*) as n from balances where quantity = 0').get()).toEqual({ n: 0 });
        // Every individual is where its last movement put it.
        const misplaced = store.sqlite
          .prepare(
            `select i.id from individuals i
             where i.location_id is not (select m.to_location_id from movements m where m.individual_id = i.id order by m.rowid desc limit 1)`,
          )
          .all();
        expect(misplaced).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('numbers this station\'s movements 1, 2, 3… and writes one outbox entry per posting in the same transaction', () => {
    store = tinyStore();
    const w = world(store);
    const sold = w.articles.find((a) => !a.rentable && a.tracking === 'none')!;
    const first = postMovements(store, { stationId: w.stationId, userId: w.userId }, [
      { articleId: sold.id, toLocationId: w.locations[0]!, quantity: 5, reason: 'receipt' },
      { articleId: sold.id, toLocationId: w.locations[1]!, quantity: 2, reason: 'receipt' },
    ], 'receiving');
    const second = postMovements(store, { stationId: w.stationId, userId: w.userId }, [
      { articleId: sold.id, fromLocationId: w.locations[1]!, quantity: 2, reason: 'delivery' },
    ], 'kiosk');
    expect([...first, ...second].map((m) => m.seq)).toEqual([1, 2, 3]);
    const entries = store.sqlite.prepare('select seq, kind, payload from outbox order by seq').all() as { seq: number; kind: string; payload: string }[];
    expect(entries.map((e) => [e.seq, e.kind, JSON.parse(e.payload)])).toEqual([
      [1, 'movements', { stationId: w.stationId, firstSeq: 1, lastSeq: 2 }],
      [2, 'movements', { stationId: w.stationId, firstSeq: 3, lastSeq: 3 }],
    ]);
    expect(first[0]!.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('refuses to take more than a location holds, saying how many there are', () => {
    store = tinyStore();
    const w = world(store);
    const sold = w.articles.find((a) => !a.rentable && a.tracking === 'none')!;
    postMovements(store, { stationId: w.stationId, userId: w.userId }, [{ articleId: sold.id, toLocationId: w.locations[2]!, quantity: 3, reason: 'receipt' }], 'receiving');
    const have = (store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ?').get(sold.id, w.locations[2]) as { quantity: number }).quantity;
    expect(() =>
      postMovements(store!, { stationId: w.stationId, userId: w.userId }, [
        { articleId: sold.id, fromLocationId: w.locations[2]!, toLocationId: w.locations[3]!, quantity: have + 1, reason: 'move' },
      ], 'moving'),
    ).toThrowError(expect.objectContaining({ code: 'stock.insufficient', userMessage: expect.objectContaining({ sv: expect.stringContaining(`bara ${have} st`) }) }));
  });

  it('rejects UPDATE and DELETE on the ledger and on the audit log', () => {
    store = tinyStore();
    const s = store.sqlite;
    s.prepare("insert into audit_log (id, at, station_id, user_id, action, entity) values ('a', 1, 's', null, 'test', 'x')").run();
    expect(() => s.prepare('update movements set quantity = quantity + 1').run()).toThrow(/append-only/);
    expect(() => s.prepare('delete from movements').run()).toThrow(/append-only/);
    expect(() => s.prepare("update audit_log set action = 'changed'").run()).toThrow(/append-only/);
    expect(() => s.prepare('delete from audit_log').run()).toThrow(/append-only/);
    expect((s.prepare('select count(*) as n from audit_log').get() as { n: number }).n).toBe(1);
  });
});
