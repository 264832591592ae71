/**
 * A station's days are the region's own: just after midnight in Sweden the new day has begun, though
 * UTC is still on the day before. What a worker's calendar says (a return dated today, an order's
 * expected day, the demo data's deliveries) must agree with the station's core.
 */
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { openStationDb, type StationDb } from '../../db/open';
import { seedDataset } from '../../db/demo/generate';
import { createPurchaseOrders } from '../../db/replenishment/orders';
import type { Suggestions, SuggestionLine } from '../../db/replenishment/suggestions';
import { maintenanceBlock } from '../../db/service/maintenance';
import { returnIndividual } from '../../db/workflows/returns';
import { localDay, weekday } from '../../vocabulary/calendar';
import { atTinyStation, refusal, tempDir, TINY } from '../helpers';

// The stations' own time zone, whatever the machine running the tests keeps.
const zoneBefore = process.env.TZ;
process.env.TZ = 'Europe/Stockholm';

/** 00:30 on Saturday 5 December in Sweden: 23:30 on the 4th in UTC. */
const JUST_AFTER_MIDNIGHT = Date.parse('2026-12-04T23:30:00Z');

let store: StationDb | null = null;
afterEach(() => {
  vi.useRealTimers();
  store?.close();
  store = null;
});
afterAll(() => {
  if (zoneBefore === undefined) delete process.env.TZ;
  else process.env.TZ = zoneBefore;
});

describe('a station just after midnight', () => {
  it('is on the new day', () => {
    expect(localDay(JUST_AFTER_MIDNIGHT)).toBe('2026-12-05');
  });

  it('takes a return dated today by the worker’s calendar, at the moment it is taken in, and still refuses tomorrow', () => {
    const { s, all, actor } = atTinyStation();
    store = s;
    const [first, second] = all<{ id: string }>("select id from individuals where status = 'on_loan' order by id limit 2");
    vi.useFakeTimers({ toFake: ['Date'], now: JUST_AFTER_MIDNIGHT });
    const r = returnIndividual(s, actor, { individualId: first!.id, returnedOn: '2026-12-05', missing: [] });
    expect(r.movement.occurredAt).toBe(JUST_AFTER_MIDNIGHT);
    expect(refusal(() => returnIndividual(s, actor, { individualId: second!.id, returnedOn: '2026-12-06', missing: [] }))).toBe('returns.bad_date');
    // A day before today is taken at its noon, the station's time.
    const back = returnIndividual(s, actor, { individualId: second!.id, returnedOn: '2026-12-04', missing: [] });
    expect(back.movement.occurredAt).toBe(Date.parse('2026-12-04T11:00:00Z'));
  });

  it('expects a purchase order its lead time after the station’s today', () => {
    const { s, one, all, actor } = atTinyStation();
    store = s;
    const central = one<{ id: string }>("select id from sites where kind = 'central_store'").id;
    const [a] = all<{ id: string; number: string; name: string }>('select id, article_number as number, name from articles order by article_number limit 1');
    const line = { articleId: a!.id, articleNumber: a!.number, name: a!.name, supplier: 'Leverantör AB', unitPrice: 10_000, leadDays: 2, quantity: 4, target: 4 } as unknown as SuggestionLine;
    vi.useFakeTimers({ toFake: ['Date'], now: JUST_AFTER_MIDNIGHT });
    const suggestions: Suggestions = { at: Date.now(), windowDays: 90, centralSiteId: central, refills: [], purchase: [{ supplier: 'Leverantör AB', value: 0, lines: [line] }] };
    const { poNumbers } = createPurchaseOrders(s, actor, ['Leverantör AB'], suggestions);
    expect(one<{ expected: string }>('select expected_on as expected from purchase_orders where po_number = ?', poNumbers[0]).expected).toBe('2026-12-07');
  });

  it('says maintenance falls due on the day it does at the station', () => {
    const { s, one, actor } = atTinyStation();
    store = s;
    const ind = one<{ id: string; n: string; iso: string }>(
      "select i.id, i.individual_number as n, a.iso_code as iso from individuals i join articles a on a.id = i.article_id where i.site_id = ? and i.status = 'in_stock' limit 1",
      actor.siteId,
    );
    s.sqlite.prepare('delete from maintenance_records').run();
    s.sqlite.prepare("insert into maintenance_plans (id, name, iso_prefix, interval_days) values ('p1', 'Årlig kontroll', ?, 30)").run(ind.iso.slice(0, 4));
    // Last done so that it is due at 00:30 on 5 December, Swedish time.
    s.sqlite.prepare("insert into maintenance_records (id, plan_id, individual_id, done_at, user_id) values ('r1', 'p1', ?, ?, ?)").run(ind.id, JUST_AFTER_MIDNIGHT - 30 * 86_400_000, actor.userId);
    expect(maintenanceBlock(s, ind.id, JUST_AFTER_MIDNIGHT - 86_400_000)?.sv).toBe(
      `${ind.n}: Årlig kontroll ska göras senast 2026-12-05. Den lämnas inte ut förrän den är gjord; välj en annan.`,
    );
  });

  it('seeds the demo data with every delivery on a weekday', () => {
    // 00:30 on Friday 4 December in Sweden: the next working day is Monday, still Sunday in UTC.
    vi.useFakeTimers({ toFake: ['Date'], now: Date.parse('2026-12-03T23:30:00Z') });
    const s = openStationDb({ dataDir: tempDir(), quickCheck: 'skip' });
    store = s;
    seedDataset(s, TINY);
    const days = s.sqlite.prepare('select distinct delivery_day from customer_orders').pluck().all() as string[];
    expect(days.length).toBeGreaterThan(0);
    for (const d of days) expect([1, 2, 3, 4, 5]).toContain(weekday(d));
    const points = s.sqlite.prepare('select distinct weekday from delivery_points').pluck().all() as number[];
    expect(points.length).toBeGreaterThan(0);
  });
});
