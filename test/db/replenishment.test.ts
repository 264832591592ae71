import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { addDays, localDay } from '../../vocabulary/calendar';
import { refreshAggregates } from '../../db/replenishment/aggregates';
import { suggestQuantity, type SuggestionInput } from '../../db/replenishment/arithmetic';
import { explainSuggestion } from '../../vocabulary/suggestion';
import { createRefillOrders } from '../../db/replenishment/orders';
import { computeSuggestions, nextDelivery } from '../../db/replenishment/suggestions';
import { postMovements } from '../../db/stock/ledger';
import { tinyStore } from '../helpers';

const base: SuggestionInput = { onHand: 3, inTransit: 2, reserved: 0, reorderPoint: 6, safetyStock: 2, maxStock: 0, usagePerDay: 0.4, horizonDays: 0, cycleDays: 7, orderQuantity: 0 };

describe('suggestion arithmetic', () => {
  it('orders up to the reorder point plus a cycle’s usage, and explains itself', () => {
    // position 3 + 2 = 5 ≤ 6; target 6 + ceil(0.4 × 7) = 9; order 9 − 5 = 4.
    const f = suggestQuantity(base);
    expect(f).toEqual({ position: 5, projected: 5, target: 9, quantity: 4 });
    expect(explainSuggestion({ ...base, ...f }, { leadDays: 7 }).en).toBe('on hand 3, in transit 2, reorder point 6, usage 0.4/day, lead 7 days → order 4 (up to 9)');
    expect(explainSuggestion({ ...base, ...f }, { leadDays: 7 }).sv).toBe('i lager 3, på väg 2, beställningspunkt 6, förbrukning 0,4/dag, ledtid 7 dagar → beställ 4 (upp till 9)');
    expect(explainSuggestion({ ...base, ...f }, { leadDays: 1 }).sv).toContain('ledtid 1 dag →');
  });

  it('counts what is in transit and what is reserved, and rounds up to fixed order quantities', () => {
    expect(suggestQuantity({ ...base, inTransit: 4 }).quantity).toBe(0); // position 7 > 6
    expect(suggestQuantity({ ...base, inTransit: 4, reserved: 3 }).quantity).toBe(5); // position 4 → 9 − 4
    expect(suggestQuantity({ ...base, orderQuantity: 10 }).quantity).toBe(10);
    expect(suggestQuantity({ ...base, orderQuantity: 3 }).quantity).toBe(6);
    expect(suggestQuantity({ ...base, maxStock: 20 }).quantity).toBe(15);
  });

  it('for a depot, looks ahead to the delivery: usage until then counts against the stock', () => {
    // position 8 > 6 now, but 8 − 0.5 × 5 = 5.5 at delivery ≤ 6: refill up to 6 + ceil(3.5) = 10 → 10 − 5.5 → 5.
    expect(suggestQuantity({ ...base, onHand: 8, inTransit: 0, usagePerDay: 0.5, horizonDays: 5 })).toEqual({ position: 8, projected: 5.5, target: 10, quantity: 5 });
  });

  it('never suggests a negative quantity, and always reaches above the reorder point when it orders', () => {
    fc.assert(
      fc.property(
        fc.record({
          onHand: fc.integer({ min: -50, max: 500 }),
          inTransit: fc.nat(200),
          reserved: fc.nat(200),
          reorderPoint: fc.nat(100),
          safetyStock: fc.nat(50),
          maxStock: fc.nat(400),
          usagePerDay: fc.double({ min: 0, max: 30, noNaN: true }),
          horizonDays: fc.double({ min: 0, max: 14, noNaN: true }),
          cycleDays: fc.nat(60),
          orderQuantity: fc.nat(50),
        }),
        (x) => {
          const f = suggestQuantity(x);
          expect(f.quantity).toBeGreaterThanOrEqual(0);
          expect(Number.isInteger(f.quantity)).toBe(true);
          if (f.quantity > 0) {
            expect(f.projected + f.quantity).toBeGreaterThan(x.reorderPoint);
            if (x.orderQuantity > 0) expect(f.quantity % x.orderQuantity).toBe(0);
          } else expect(f.projected).toBeGreaterThan(x.reorderPoint);
        },
      ),
    );
  });

  it('keeps every site above its safety stock through a simulated year of steady demand when its suggestions are carried out', () => {
    fc.assert(
      fc.property(
        fc.record({
          usagePerDay: fc.double({ min: 0, max: 8, noNaN: true }),
          leadDays: fc.integer({ min: 1, max: 21 }),
          safetyStock: fc.nat(10),
          extra: fc.nat(20),
          orderQuantity: fc.nat(12),
          start: fc.nat(60),
        }),
        ({ usagePerDay, leadDays, safetyStock, extra, orderQuantity, start }) => {
          // A reorder point that covers the lead time's usage above the safety stock (how they are set up).
          const reorderPoint = safetyStock + Math.ceil(usagePerDay * leadDays);
          let onHand = Math.max(start, reorderPoint + 1);
          const arrivals = new Map<number, number>();
          let demand = 0;
          for (let day = 0; day < 365; day++) {
            onHand += arrivals.get(day) ?? 0;
            demand += usagePerDay;
            const taken = Math.floor(demand);
            demand -= taken;
            onHand -= taken;
            expect(onHand).toBeGreaterThanOrEqual(safetyStock);
            const inTransit = [...arrivals].filter(([d]) => d > day).reduce((n, [, q]) => n + q, 0);
            const q = suggestQuantity({ onHand, inTransit, reserved: 0, reorderPoint, safetyStock, maxStock: 0, usagePerDay, horizonDays: 0, cycleDays: leadDays + extra, orderQuantity }).quantity;
            if (q > 0) arrivals.set(day + leadDays, (arrivals.get(day + leadDays) ?? 0) + q);
          }
        },
      ),
    );
  });
});

describe('delivery timing', () => {
  it('takes the first delivery day whose cut-off, 11:30 the working day before, is still ahead', () => {
    const at = (s: string) => new Date(s).getTime();
    // Thursday deliveries: on Wednesday 10:00 this week's Thursday is still open; at 12:00 it is next week's.
    expect(nextDelivery(at('2026-11-25T10:00:00'), 4).deliveryDay).toBe('2026-11-26');
    expect(nextDelivery(at('2026-11-25T12:00:00'), 4).deliveryDay).toBe('2026-12-03');
    // Tuesday after Easter: the cut-off is Maundy Thursday 11:30.
    expect(nextDelivery(at('2026-04-02T11:00:00'), 2).deliveryDay).toBe('2026-04-07');
    expect(nextDelivery(at('2026-04-02T11:45:00'), 2).deliveryDay).toBe('2026-04-14');
  });
});

describe('suggestions from the ledger', () => {
  it('keeps its aggregates equal to a fresh count however the ledger grows', () => {
    const store = tinyStore();
    const snapshot = () => ({
      stock: store.sqlite.prepare('select article_id, site_id, on_hand from stock_by_site where on_hand <> 0 order by 1, 2').all(),
      usage: store.sqlite.prepare('select article_id, site_id, quantity from usage_window where quantity <> 0 order by 1, 2').all(),
    });
    refreshAggregates(store);
    const user = (store.sqlite.prepare('select id from users limit 1').get() as { id: string }).id;
    const station = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    const lines = store.sqlite
      .prepare("select b.article_id as a, b.location_id as l, nullif(b.lot, '') as lot, b.quantity as q from balances b join locations l on l.id = b.location_id where l.kind in ('shelf', 'rack') and l.site_id = (select site_id from station) and b.quantity > 2 and not exists (select 1 from individuals i where i.article_id = b.article_id) limit 5")
      .all() as { a: string; l: string; lot: string | null; q: number }[];
    fc.assert(
      fc.property(fc.array(fc.record({ line: fc.nat(lines.length - 1), refresh: fc.boolean(), back: fc.integer({ min: 0, max: 200 }) }), { maxLength: 15 }), (steps) => {
        for (const s of steps) {
          const l = lines[s.line]!;
          const have = (store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ? and lot = ?').get(l.a, l.l, l.lot ?? '') as { quantity: number } | undefined)?.quantity ?? 0;
          if (have > 0) {
            // Taken out that many days ago, and booked then (the ledger takes no date far from its own clock).
            vi.useFakeTimers({ toFake: ['Date'] });
            vi.setSystemTime(Date.now() - s.back * 86_400_000);
            try {
              postMovements(store, { userId: user, stationId: station }, [{ articleId: l.a, lot: l.lot, fromLocationId: l.l, quantity: 1, reason: 'delivery' }], 'kiosk');
            } finally {
              vi.useRealTimers();
            }
          }
          else postMovements(store, { userId: user, stationId: station }, [{ articleId: l.a, lot: l.lot, toLocationId: l.l, quantity: 3, reason: 'receipt' }], 'receiving');
          if (s.refresh) refreshAggregates(store);
        }
        refreshAggregates(store);
        const incremental = snapshot();
        store.sqlite.prepare('update aggregates_state set built = 0').run();
        refreshAggregates(store);
        expect(incremental).toEqual(snapshot());
      }),
      { numRuns: 30 },
    );
    store.close();
  });

  it('suggests refills for a depot below its reorder point, timed to its delivery, and counts a refill on its way', () => {
    const store = tinyStore();
    const depot = store.sqlite.prepare("select id, delivery_weekday as wd from sites where kind <> 'central_store' and delivery_weekday is not null order by code limit 1").get() as { id: string; wd: number };
    const line = store.sqlite
      .prepare("select b.article_id as a, b.location_id as l, b.quantity as q from balances b join locations l on l.id = b.location_id where l.site_id = ? and l.kind in ('shelf', 'rack', 'floor') and b.lot = '' and b.quantity > 0 limit 1")
      .get(depot.id) as { a: string; l: string; q: number };
    store.sqlite.prepare('insert or replace into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at) values (?, ?, 1, ?, 1, ?, 0, 0, 0)').run(line.a, depot.id, line.q + 5, line.q + 10);
    const s = computeSuggestions(store);
    const refill = s.refills.find((r) => r.siteId === depot.id)!;
    expect(refill.deliveryDay > localDay(Date.now())).toBe(true);
    expect(addDays(refill.deliveryDay, 0)).toBe(nextDelivery(Date.now(), depot.wd).deliveryDay);
    const l = refill.lines.find((x) => x.articleId === line.a)!;
    expect(l.quantity).toBeGreaterThanOrEqual(10 - 1);
    expect(explainSuggestion(l, refill).sv).toContain(`leverans ${refill.deliveryDay}`);

    // Ordered: the refill is on its way (and reserved in the store), so it is not suggested again.
    const user = (store.sqlite.prepare('select id from users limit 1').get() as { id: string }).id;
    const station = (store.sqlite.prepare('select id from station').get() as { id: string }).id;
    const { orderRefs } = createRefillOrders(store, { userId: user, stationId: station }, [depot.id]);
    expect(orderRefs).toHaveLength(1);
    const after = computeSuggestions(store);
    expect(after.refills.find((r) => r.siteId === depot.id)?.lines.find((x) => x.articleId === line.a)).toBeUndefined();
    const outbox = store.sqlite.prepare("select payload from outbox where kind = 'entities' order by seq desc limit 1").get() as { payload: string };
    expect(JSON.parse(outbox.payload).changes[0][2]).toMatchObject({ order_ref: orderRefs[0], to_site_id: depot.id });
    store.close();
  });

  it('lists the depots to refill by name, in Swedish alphabetical order, as the people choosing among them read them', () => {
    const store = tinyStore();
    const depots = store.sqlite.prepare("select id, code, name from sites where kind <> 'central_store' and delivery_weekday is not null").all() as { id: string; code: string; name: string }[];
    const article = (store.sqlite.prepare("select id from articles where tracking = 'none' order by article_number limit 1").get() as { id: string }).id;
    // Every depot far below a reorder point: each has a refill to suggest.
    const set = store.sqlite.prepare('insert or replace into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at) values (?, ?, 1, 1000, 1, 2000, 0, 0, 0)');
    for (const d of depots) set.run(article, d.id);
    const names = computeSuggestions(store).refills.map((r) => r.siteName);
    expect(names).toHaveLength(depots.length);
    expect(names).toEqual([...names].sort(new Intl.Collator('sv').compare));
    store.close();
  });

  it('counts the devices the workshop makes ready within the lead time, and the pick-ups due, before buying more', () => {
    const store = tinyStore();
    const q = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).get(...args) as T;
    const central = q<{ id: string }>("select id from sites where kind = 'central_store'").id;
    // The rentable article with the most devices runs short: reorder point far above its stock, lead time 14 days.
    const article = q<{ id: string }>('select article_id as id from individuals group by article_id order by count(*) desc, article_id limit 1').id;
    const now = Date.now();
    const day = 86_400_000;
    store.sqlite.prepare('insert or replace into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at) values (?, ?, 1, 60, 5, 80, 14, 0, 0)').run(article, central);
    const line = () => computeSuggestions(store, { now }).purchase.flatMap((g) => g.lines).find((l) => l.articleId === article)!;
    const before = line();
    // Its devices not yet in the workshop come back and wait in the queue; the workshop made 90 ready in the last 90 days.
    const someone = q<{ id: string }>('select individual_id as id from service_jobs limit 1').id;
    const insertJob = store.sqlite.prepare(
      `insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at, started_at, done_at, closed_at)
       values (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?, ?)`,
    );
    for (let i = 0; i < 90; i++) insertJob.run(`done-${i}`, someone, article, central, 'ready', now - 95 * day, now - 92 * day, now - 94 * day, now - (i % 89 + 1) * day, now - (i % 89 + 1) * day);
    const free = store.sqlite.prepare('select id from individuals i where article_id = ? and not exists (select 1 from service_jobs j where j.individual_id = i.id and j.closed_at is null)').all(article) as { id: string }[];
    expect(free.length).toBeGreaterThan(0);
    for (const [i, d] of free.entries()) insertJob.run(`open-${i}`, d.id, article, central, 'returned', now - day, now + day, null, null, null);

    // Expected ready within 14 days: the article's queue, at the pace of the queue ahead, less the share the workshop scraps.
    const queue = q<{ n: number }>('select count(*) as n from service_jobs where site_id = ? and article_id = ? and closed_at is null', central, article).n;
    const waiting = q<{ n: number }>('select count(*) as n from service_jobs where site_id = ? and closed_at is null', central).n;
    const made = q<{ ready: number; scrapped: number }>("select sum(state = 'ready') as ready, sum(state = 'scrapped') as scrapped from service_jobs where site_id = ? and done_at >= ?", central, now - 90 * day);
    const allReady = q<{ n: number }>("select count(*) as n from service_jobs where site_id = ? and done_at >= ? and state = 'ready'", central, now - 90 * day).n;
    const expected = Math.floor(queue * Math.min(1, ((allReady / 90) * 14) / waiting) * (1 - made.scrapped / (made.ready + made.scrapped)));
    expect(expected).toBeGreaterThan(0);
    const after = line();
    expect(after.comingBack).toBe(expected);
    expect(expected).toBeGreaterThan(before.comingBack ?? 0);
    expect(after.quantity).toBe(before.quantity - (expected - (before.comingBack ?? 0)));
    expect(explainSuggestion(after, after).sv).toContain(`klara från rekond inom ledtiden ${expected}`);
    expect(explainSuggestion(after, after).en).toContain(`ready from reconditioning within the lead time ${expected}`);

    // Two of its devices out on loan are ordered for collection within the lead time, one after it: the two count.
    const user = q<{ id: string }>('select id from users limit 1').id;
    const addPickup = store.sqlite.prepare(
      `insert into pickup_orders (id, number, site_id, individual_id, pickup_point, municipality, route, collection_day, placed_at, placed_by, state)
       values (?, ?, ?, ?, 'Solgården', 'Boden', 'R1', ?, ?, ?, 'ordered')`,
    );
    const out = store.sqlite.prepare('select id from individuals where article_id = ? order by id limit 3').all(article) as { id: string }[];
    expect(out).toHaveLength(3);
    out.forEach((d, i) => addPickup.run(`p-${i}`, `HO-T-${i}`, central, d.id, localDay(now + (i < 2 ? 3 : 30) * day), now, user));
    const withPickups = Math.floor((queue + 2) * Math.min(1, ((allReady / 90) * 14) / (waiting + 3)) * (1 - made.scrapped / (made.ready + made.scrapped)));
    expect(line().comingBack).toBe(withPickups);
    store.close();
  });
});
