/**
 * A device tracked one by one: never moved without its individual, offered at picking by how long
 * it has waited since it became ready, and after any mix of moves, picks and undos its status is
 * what the shared rule (`stateFromHistory`) makes of its ledger, the same rule the register uses.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { stateFromHistory, type HistoryMovement } from '../../db/stock/status';
import { moveStock } from '../../db/workflows/moving';
import { pick, pickList, routesAndDays } from '../../db/workflows/picking';
import { undoMovements } from '../../db/workflows/undo';
import { atTinyStation } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

function setUp() {
  const at = atTinyStation();
  store = at.s;
  const bins = at.all<{ id: string }>("select id from locations where site_id = ? and level = 'bin' and kind in ('shelf', 'floor') and retired_at is null order by code", at.actor.siteId).map((r) => r.id);
  return { ...at, bins };
}

/** A rentable order line at this site with at least two ready individuals to choose from. */
function rentableLine(ctx: ReturnType<typeof setUp>) {
  const { s, one, actor } = ctx;
  // Every route and day orders go on (a late order's is its route's next delivery, so the day it asked for is not enough).
  for (const { route, deliveryDay: delivery_day } of routesAndDays(s, actor.siteId)) {
    for (const o of pickList(s, actor.siteId, route, delivery_day))
      for (const l of o.lines) {
        if (!l.rentable || !l.proposal || l.picked >= l.ordered) continue;
        const ready = one<{ n: number }>(
          "select count(*) as n from individuals i join locations l on l.id = i.location_id where i.article_id = ? and i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor', 'rack')",
          l.articleId,
          actor.siteId,
        ).n;
        if (ready >= 2) return { order: o, line: l, route, deliveryDay: delivery_day };
      }
  }
  throw new Error('the demo data has no rentable line with two ready devices');
}

const balances = (s: StationDb) => s.sqlite.prepare('select article_id, location_id, lot, quantity from balances order by 1, 2, 3').all();

describe('a device tracked one by one', () => {
  it('is never picked by its article barcode: the station asks for the device, proposing the one that waited longest, and nothing moves', () => {
    const ctx = setUp();
    const { s, actor } = ctx;
    const { order, line } = rentableLine(ctx);
    const before = balances(s);
    const status = s.sqlite.prepare('select status, location_id from individuals where id = ?').get(line.proposal!.individualId);
    let error: unknown;
    try {
      pick(s, actor, { orderRef: order.orderRef, articleId: line.articleId, fromLocationId: line.proposal!.locationId, quantity: 1 });
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'picking.individual_required' });
    expect((error as { userMessage: { sv: string } }).userMessage.sv).toContain(line.proposal!.individualNumber);
    expect(balances(s)).toEqual(before);
    expect(s.sqlite.prepare('select status, location_id from individuals where id = ?').get(line.proposal!.individualId)).toEqual(status);
  });

  it('is refused by the database itself when any write to the ledger leaves out its individual', () => {
    const { s, one, actor } = setUp();
    const ind = one<{ article_id: string; location_id: string }>("select article_id, location_id from individuals where status = 'in_stock' and site_id = ? limit 1", actor.siteId);
    const raw = (stationId: string, seq: number) =>
      s.sqlite
        .prepare(
          `insert into movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, lot, from_location_id, to_location_id, quantity, reason)
           values (?, ?, ?, ?, 1, 1, ?, null, null, ?, null, 1, 'delivery')`,
        )
        .run(`raw-${seq}`, stationId, seq, actor.userId, ind.article_id, ind.location_id);
    const before = balances(s);
    expect(() => raw(actor.stationId, 999_999)).toThrow(/individually tracked/);
    // Whichever station it claims to come from.
    expect(() => raw('some-other-station', 1)).toThrow(/individually tracked/);
    expect(balances(s)).toEqual(before);
  });

  it('becomes ready only through the workshop: a move onto a shelf leaves a returned device where it is', () => {
    const { s, one, actor, bins } = setUp();
    const back = one<{ id: string; article_id: string; location_id: string; status: string }>(
      "select i.id, i.article_id, i.location_id, i.status from individuals i where i.site_id = ? and i.status in ('returned', 'in_cleaning', 'quarantine', 'in_reconditioning') and i.location_id is not null limit 1",
      actor.siteId,
    );
    const before = balances(s);
    let error: unknown;
    try {
      moveStock(s, actor, { articleId: back.article_id, individualId: back.id, fromLocationId: back.location_id, toLocationId: bins[0]!, quantity: 1 }, 'move');
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'stock.not_ready' });
    expect(balances(s)).toEqual(before);
    expect(one('select status, location_id from individuals where id = ?', back.id)).toEqual({ status: back.status, location_id: back.location_id });
  });

  it('undoes only a device\'s latest step: an older one is refused even when the device stands where that step put it', () => {
    const { s, one, actor, bins } = setUp();
    const d = one<{ id: string; article_id: string; location_id: string }>("select id, article_id, location_id from individuals where status = 'in_stock' and site_id = ? limit 1", actor.siteId);
    const there = d.location_id;
    const elsewhere = bins.find((b) => b !== there)!;
    const first = moveStock(s, actor, { articleId: d.article_id, individualId: d.id, fromLocationId: there, toLocationId: elsewhere, quantity: 1 }, 'move');
    const second = moveStock(s, actor, { articleId: d.article_id, individualId: d.id, fromLocationId: elsewhere, toLocationId: there, quantity: 1 }, 'move');
    moveStock(s, actor, { articleId: d.article_id, individualId: d.id, fromLocationId: there, toLocationId: elsewhere, quantity: 1 }, 'move');
    // It stands where the first move put it, but two steps have happened since.
    expect(() => undoMovements(s, actor, first.map((m) => m.id))).toThrowError(expect.objectContaining({ code: 'undo.moved_since' }));
    expect(() => undoMovements(s, actor, second.map((m) => m.id))).toThrowError(expect.objectContaining({ code: 'undo.moved_since' }));
    expect(one('select status, location_id from individuals where id = ?', d.id)).toEqual({ status: 'in_stock', location_id: elsewhere });
  });

  it('keeps its turn when moved between shelves, and gets it back when a pick is undone', () => {
    const ctx = setUp();
    const { s, one, actor, bins } = ctx;
    const { order, line, route, deliveryDay } = rentableLine(ctx);
    const first = line.proposal!;
    const readySince = () => one<{ r: number }>('select ready_since as r from individuals where id = ?', first.individualId).r;
    const since = readySince();
    expect(since).toBeGreaterThan(0);
    // Moved twice between bins: it has waited just as long.
    const elsewhere = bins.find((b) => b !== first.locationId)!;
    moveStock(s, actor, { articleId: line.articleId, individualId: first.individualId, fromLocationId: first.locationId, toLocationId: elsewhere, quantity: 1 }, 'move');
    moveStock(s, actor, { articleId: line.articleId, individualId: first.individualId, fromLocationId: elsewhere, toLocationId: first.locationId, quantity: 1 }, 'move');
    expect(readySince()).toBe(since);
    const again = () => pickList(s, actor.siteId, route, deliveryDay).find((o) => o.orderRef === order.orderRef)!.lines.find((l) => l.lineNo === line.lineNo)!;
    expect(again().proposal!.individualId).toBe(first.individualId);
    // Picked, then the pick undone: back on the shelf with its place in the queue.
    const picked = pick(s, actor, { orderRef: order.orderRef, articleId: line.articleId, individualId: first.individualId, fromLocationId: first.locationId, quantity: 1 });
    expect(one('select status, ready_since as r from individuals where id = ?', first.individualId)).toEqual({ status: 'reserved', r: null });
    undoMovements(s, actor, picked.movements.map((m) => m.id));
    expect(one('select status, ready_since as r from individuals where id = ?', first.individualId)).toEqual({ status: 'in_stock', r: since });
    expect(again().proposal!.individualId).toBe(first.individualId);
  });

  it('after any mix of moves, picks and undos, stands where its last movement put it, in the state the shared rule gives its ledger', () => {
    const ctx = setUp();
    const { s, one, all, actor, bins } = ctx;
    const { order, line } = rentableLine(ctx);
    const devices = all<{ id: string }>(
      "select i.id from individuals i join locations l on l.id = i.location_id where i.article_id = ? and i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor', 'rack') order by i.id limit 2",
      line.articleId,
      actor.siteId,
    ).map((r) => r.id);
    const history = (id: string) =>
      all<HistoryMovement>(
        `select m.id, m.reason, l.kind as toKind, m.occurred_at as occurredAt, m.reverses from movements m left join locations l on l.id = m.to_location_id
         where m.individual_id = ? order by m.recorded_at, m.station_id, m.seq`,
        id,
      );
    const undoable: string[][] = [];
    fc.assert(
      fc.property(fc.array(fc.record({ op: fc.constantFrom('move', 'pick', 'undo'), device: fc.nat(1), bin: fc.nat() }), { maxLength: 12 }), (ops) => {
        // Each run goes on from where the last one left the devices: the rule holds after any history.
        undoable.length = 0;
        for (const op of ops) {
          const id = devices[op.device]!;
          const at = one<{ location_id: string | null; status: string }>('select location_id, status from individuals where id = ?', id);
          try {
            if (op.op === 'move' && at.status === 'in_stock') {
              const to = bins[op.bin % bins.length]!;
              if (to !== at.location_id)
                undoable.push(moveStock(s, actor, { articleId: line.articleId, individualId: id, fromLocationId: at.location_id!, toLocationId: to, quantity: 1 }, 'move').map((m) => m.id));
            } else if (op.op === 'pick' && at.status === 'in_stock')
              undoable.push(pick(s, actor, { orderRef: order.orderRef, articleId: line.articleId, individualId: id, fromLocationId: at.location_id!, quantity: 1 }).movements.map((m) => m.id));
            else if (op.op === 'undo' && undoable.length) undoMovements(s, actor, undoable.pop()!);
          } catch (e) {
            // Refusals (the order needs no more, moved since) are fine: they change nothing.
            expect(e).toMatchObject({ code: expect.any(String) });
          }
        }
        for (const id of devices) {
          const row = one<{ status: string; ready_since: number | null; location_id: string | null }>('select status, ready_since, location_id from individuals where id = ?', id);
          const h = history(id);
          const rule = stateFromHistory(h);
          expect({ status: row.status, readySince: row.ready_since }).toEqual(rule);
          const last = one<{ to: string | null }>('select to_location_id as "to" from movements where individual_id = ? order by recorded_at desc, seq desc limit 1', id);
          expect(row.location_id).toBe(last.to);
        }
      }),
      { numRuns: 40 },
    );
  });
});
