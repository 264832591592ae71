import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../../db/open';
import { postMovements, type MovementInput } from '../../db/stock/ledger';
import { ownerOf, queries, tinyStore } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

interface World {
  stationId: string;
  userId: string;
  articles: { id: string; tracking: string; rentable: number }[];
  locations: string[];
}

function world(s: StationDb): World {
  const { one, all } = queries(s);
  return {
    stationId: one<{ id: string }>('select id from station').id,
    userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id,
    articles: all('select id, tracking, rentable from articles order by article_number'),
    locations: all<{ id: string }>(
      "select l.id from locations l join station s on s.site_id = l.site_id where (l.level = 'bin' or l.kind in ('goods_in', 'dispatch', 'returns')) and l.retired_at is null order by l.code",
    ).map((r) => r.id),
  };
}

/** Every balance equals the sum of the ledger's movements into and out of its location. */
function balancesMatchLedger(s: StationDb): void {
  const mismatches = queries(s).all(
    `with ledger as (
       select article_id, to_location_id as location_id, coalesce(lot, '') as lot, quantity as q from movements where to_location_id is not null
       union all
       select article_id, from_location_id, coalesce(lot, ''), -quantity from movements where from_location_id is not null),
     sums as (select article_id, location_id, lot, sum(q) as q from ledger group by 1, 2, 3)
     select * from sums full outer join balances b using (article_id, location_id, lot)
     where coalesce(sums.q, 0) <> coalesce(b.quantity, 0)`,
  );
  expect(mismatches).toEqual([]);
}

/**
 * One movement a worker might book. Which goods, place and device it takes is decided when it is
 * posted, from what the station holds then: most steps are bookable, some are not (a negative
 * quantity; more than the place holds).
 */
type Step = typeof step extends fc.Arbitrary<infer T> ? T : never;
const step = fc.record({
  kind: fc.oneof(
    { weight: 3, arbitrary: fc.constant('receipt' as const) },
    { weight: 4, arbitrary: fc.constant('move' as const) },
    { weight: 3, arbitrary: fc.constant('out' as const) },
    { weight: 3, arbitrary: fc.constant('individual' as const) },
    { weight: 1, arbitrary: fc.constant('bad' as const) },
  ),
  pick: fc.nat(),
  to: fc.nat(),
  quantity: fc.integer({ min: 1, max: 40 }),
  lot: fc.constantFrom('L1', 'L2'),
  /** Asks for more than the place holds (about one step in ten). */
  overdraw: fc.nat(9).map((n) => n === 0),
});

interface OnHand {
  articleId: string;
  locationId: string;
  lot: string | null;
  quantity: number;
}

/** A batch of steps as one workflow posts it: each takes the batch's kind (a bad one stays bad), from what is on hand now. */
function batchOf(s: StationDb, w: World, steps: readonly Step[]): MovementInput[] {
  const { all } = queries(s);
  const loc = (n: number) => w.locations[n % w.locations.length]!;
  const sold = w.articles.filter((a) => !a.rentable);
  const onHand = all<OnHand>(
    `select b.article_id as articleId, b.location_id as locationId, nullif(b.lot, '') as lot, b.quantity from balances b
     join articles a on a.id = b.article_id join locations l on l.id = b.location_id join station st on st.site_id = l.site_id
     where a.rentable = 0 and b.quantity > 0 and l.retired_at is null and (a.tracking = 'none') = (b.lot = '')
     order by b.article_id, b.location_id, b.lot`,
  );
  const inStock = all<{ id: string; articleId: string; at: string }>(
    `select i.id, i.article_id as articleId, i.location_id as at from individuals i join locations l on l.id = i.location_id
     join station st on st.site_id = l.site_id where i.status = 'in_stock' and l.retired_at is null order by i.individual_number`,
  );
  const onLoan = all<{ id: string; articleId: string }>("select id, article_id as articleId from individuals where status = 'on_loan' and location_id is null order by individual_number");
  // A batch of devices is either all returns or all moves: the kind of the first decides.
  const returning = steps[0]!.pick % 2 === 0 && onLoan.length > 0;
  const taken = new Set<string>();
  /** A device not yet in this batch; one already in it when all are (then it is no longer where the batch says). */
  const free = <T extends { id: string }>(devices: readonly T[], n: number): T | undefined => {
    const left = devices.filter((d) => !taken.has(d.id));
    const d = left[n % Math.max(left.length, 1)] ?? devices[n % Math.max(devices.length, 1)];
    if (d) taken.add(d.id);
    return d;
  };
  const elsewhere = (here: string, n: number) => (loc(n) === here ? loc(n + 1) : loc(n));
  const kind = steps[0]!.kind;
  return steps.map((st): MovementInput => {
    const a = sold[st.pick % sold.length]!;
    const lot = a.tracking === 'none' ? null : st.lot;
    switch (st.kind === 'bad' ? 'bad' : kind) {
      case 'receipt':
        return { articleId: a.id, lot, toLocationId: loc(st.to), quantity: st.quantity, reason: 'receipt' };
      case 'move':
      case 'out': {
        const left = onHand.filter((r) => r.quantity > 0);
        const from = left[st.pick % Math.max(left.length, 1)];
        if (!from) return { articleId: a.id, lot, fromLocationId: loc(st.to), quantity: st.quantity, reason: kind === 'out' ? 'delivery' : 'move' };
        const quantity = st.overdraw ? from.quantity + 1 + (st.quantity % 5) : 1 + (st.quantity % from.quantity);
        if (!st.overdraw) from.quantity -= quantity;
        if (kind === 'out') return { articleId: from.articleId, lot: from.lot, fromLocationId: from.locationId, quantity, reason: 'delivery' };
        return { articleId: from.articleId, lot: from.lot, fromLocationId: from.locationId, toLocationId: elsewhere(from.locationId, st.to), quantity, reason: 'move' };
      }
      case 'individual': {
        const back = returning ? free(onLoan, st.pick) : undefined;
        if (back) return { articleId: back.articleId, individualId: back.id, toLocationId: loc(st.to), quantity: 1, reason: 'return' };
        const d = free(inStock, st.pick);
        // With no device on the shelves, a device no one has heard of.
        if (!d) return { articleId: a.id, individualId: 'no-such-device', toLocationId: loc(st.to), quantity: 1, reason: 'move' };
        return { articleId: d.articleId, individualId: d.id, fromLocationId: d.at, toLocationId: elsewhere(d.at, st.to), quantity: 1, reason: 'move' };
      }
      case 'bad':
        // Never valid: a negative quantity.
        return { articleId: a.id, lot, toLocationId: loc(st.to), quantity: -st.quantity, reason: 'receipt' };
    }
  });
}

describe('stock ledger', () => {
  it('keeps every balance equal to the sum of its movements, and refused postings write nothing', () => {
    const outcome = { booked: 0, refused: 0 };
    fc.assert(
      fc.property(fc.array(fc.array(step, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 25 }), (batches) => {
        store?.close();
        store = tinyStore();
        const w = world(store);
        const { one, all } = queries(store);
        const count = () => one<{ n: number }>('select count(*) as n from movements').n;
        const outbox = () => one<{ n: number }>('select count(*) as n from outbox').n;
        let expectedMovements = count();
        let expectedOutbox = outbox();
        for (const batch of batches) {
          // One workflow posts a batch; a movement of another's reason in it refuses the whole batch.
          const movements = batchOf(store, w, batch);
          try {
            const posted = postMovements(store, { stationId: w.stationId, userId: w.userId }, movements, ownerOf(movements[0]!.reason));
            expectedMovements += posted.length;
            expectedOutbox += 1;
            outcome.booked++;
          } catch (e) {
            expect(e).toBeInstanceOf(DepotError);
            expect((e as DepotError).userMessage.sv.length).toBeGreaterThan(0);
            expect((e as DepotError).userMessage.en.length).toBeGreaterThan(0);
            outcome.refused++;
          }
          expect(count()).toBe(expectedMovements);
          expect(outbox()).toBe(expectedOutbox);
        }
        balancesMatchLedger(store);
        // Local postings never take a shelf below zero.
        expect(one('select count(*) as n from balances where quantity < 0')).toEqual({ n: 0 });
        // A place emptied keeps no row: a missing row means nothing there.
        expect(one('select count(*) as n from balances where quantity = 0')).toEqual({ n: 0 });
        // Every individual is where its last movement put it.
        const misplaced = all(
          `select i.id from individuals i
           where i.location_id is not (select m.to_location_id from movements m where m.individual_id = i.id order by m.rowid desc limit 1)`,
        );
        expect(misplaced).toEqual([]);
      }),
      { numRuns: 30 },
    );
    // Both paths were walked: most batches were booked, and some were refused.
    expect(outcome.booked).toBeGreaterThanOrEqual((outcome.booked + outcome.refused) / 2);
    expect(outcome.refused).toBeGreaterThan(0);
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
    const entries = queries(store).all<{ seq: number; kind: string; payload: string }>('select seq, kind, payload from outbox order by seq');
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
    const have = queries(store).one<{ quantity: number }>('select quantity from balances where article_id = ? and location_id = ?', sold.id, w.locations[2]).quantity;
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
    expect(queries(s).one('select count(*) as n from audit_log')).toEqual({ n: 1 });
  });
});
