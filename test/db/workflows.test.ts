import { afterEach, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { orderCutoff, pick, pickList } from '../../db/workflows/picking';
import { moveStock } from '../../db/workflows/moving';
import { suggestLocation } from '../../db/workflows/putaway';
import { purchaseOrder, receive } from '../../db/workflows/receiving';
import { componentsOf, returnIndividual } from '../../db/workflows/returns';
import { undoMovements } from '../../db/workflows/undo';
import { atTinyStation } from '../helpers';
import { localDay } from '../../vocabulary/calendar';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

function setUp() {
  const at = atTinyStation();
  store = at.s;
  return at;
}

describe('goods receipt', () => {
  it('receives against the order: new individuals numbered with labels queued, lots and expiry kept, over-receipt flagged', () => {
    const { s, one, actor } = setUp();
    const po = one<{ po_number: string }>('select po_number from purchase_orders order by po_number limit 1').po_number;
    const view = purchaseOrder(s, po);
    const rentLine = view.lines.find((l) => l.rentable)!;
    const before = one<{ n: number }>('select count(*) as n from individuals').n;
    const r = receive(s, actor, { poNumber: po, articleId: rentLine.articleId, quantity: 1, serialNumber: 'SN-NEW-1', udi: '(01)07350000000009(21)SN-NEW-1' });
    expect(r.individuals).toHaveLength(1);
    expect(r.individuals[0]!.individualNumber).toMatch(/^I\d{7}$/);
    expect(one<{ n: number }>('select count(*) as n from individuals').n).toBe(before + 1);
    expect(one('select status, serial_number as s from individuals where id = ?', r.individuals[0]!.id)).toEqual({ status: 'in_stock', s: 'SN-NEW-1' });
    expect(one('select count(*) as n from label_jobs where entity_id = ?', r.individuals[0]!.id)).toEqual({ n: 1 });
    expect(r.line.received).toBe(1);
    // The same serial again is refused.
    expect(() => receive(s, actor, { poNumber: po, articleId: rentLine.articleId, quantity: 1, serialNumber: 'SN-NEW-1' })).toThrowError(
      expect.objectContaining({ code: 'receiving.serial_known' }),
    );

    const lotLine = view.lines.find((l) => l.tracking !== 'none');
    if (lotLine) {
      const got = receive(s, actor, { poNumber: po, articleId: lotLine.articleId, quantity: lotLine.ordered + 5, lot: 'L-42', expiresOn: '2027-03-31' });
      expect(got.over).toBe(true);
      expect(got.line.received).toBe(lotLine.ordered + 5);
      expect(one('select expires_on as e from lots where article_id = ? and lot = ?', lotLine.articleId, 'L-42')).toEqual({ e: '2027-03-31' });
    }
  });

  it('refuses what is not on the order, and an order that does not exist', () => {
    const { s, one, actor } = setUp();
    const po = one<{ po_number: string }>('select po_number from purchase_orders limit 1').po_number;
    const other = one<{ id: string }>(`select id from articles where id not in (select article_id from purchase_order_lines) limit 1`);
    expect(() => receive(s, actor, { poNumber: po, articleId: other.id, quantity: 1 })).toThrowError(expect.objectContaining({ code: 'receiving.not_on_order' }));
    expect(() => purchaseOrder(s, 'IO-9999999')).toThrowError(expect.objectContaining({ code: 'receiving.unknown_order' }));
  });
});

describe('putaway, moves and undo', () => {
  it('suggests a location, refuses another site and non-storage places, and undo puts things back', () => {
    const { s, one, actor } = setUp();
    const po = one<{ po_number: string }>('select po_number from purchase_orders limit 1').po_number;
    const line = purchaseOrder(s, po).lines.find((l) => l.rentable)!;
    const r = receive(s, actor, { poNumber: po, articleId: line.articleId, quantity: 1 });
    const ind = r.individuals[0]!;
    const goodsIn = one<{ id: string }>("select id from locations where site_id = ? and kind = 'goods_in'", actor.siteId).id;
    const suggestion = suggestLocation(s, actor.siteId, line.articleId)!;
    expect(suggestion).toMatchObject({ locationId: expect.any(String), why: expect.stringMatching(/preferred|holds_it|free/) });

    const elsewhere = one<{ id: string }>("select id from locations where site_id <> ? and level = 'bin' limit 1", actor.siteId).id;
    const move = { articleId: line.articleId, individualId: ind.id, quantity: 1, fromLocationId: goodsIn };
    expect(() => moveStock(s, actor, { ...move, toLocationId: elsewhere }, 'put_away')).toThrowError(expect.objectContaining({ code: 'workflow.wrong_site' }));
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch'", actor.siteId).id;
    expect(() => moveStock(s, actor, { ...move, toLocationId: dispatch }, 'put_away')).toThrowError(expect.objectContaining({ code: 'putaway.not_storage' }));

    const put = moveStock(s, actor, { ...move, toLocationId: suggestion.locationId }, 'put_away');
    expect(one('select location_id as l, status from individuals where id = ?', ind.id)).toEqual({ l: suggestion.locationId, status: 'in_stock' });

    // Undo the putaway: back at goods in. Undo the receipt: the individual never was.
    undoMovements(s, actor, put.map((m) => m.id));
    expect(one('select location_id as l from individuals where id = ?', ind.id)).toEqual({ l: goodsIn });
    expect(() => undoMovements(s, actor, put.map((m) => m.id))).toThrowError(expect.objectContaining({ code: 'undo.already' }));
    undoMovements(s, actor, r.movements.map((m) => m.id));
    expect(one('select location_id as l, status from individuals where id = ?', ind.id)).toEqual({ l: null, status: 'cancelled' });
    expect(purchaseOrder(s, po).lines.find((l) => l.articleId === line.articleId)!.received).toBe(0);
  });

  it('will not undo a step whose goods have moved on since', () => {
    const { s, one, actor } = setUp();
    const po = one<{ po_number: string }>('select po_number from purchase_orders limit 1').po_number;
    const line = purchaseOrder(s, po).lines.find((l) => l.rentable)!;
    const r = receive(s, actor, { poNumber: po, articleId: line.articleId, quantity: 1 });
    const goodsIn = one<{ id: string }>("select id from locations where site_id = ? and kind = 'goods_in'", actor.siteId).id;
    moveStock(s, actor, { articleId: line.articleId, individualId: r.individuals[0]!.id, quantity: 1, fromLocationId: goodsIn, toLocationId: suggestLocation(s, actor.siteId, line.articleId)!.locationId }, 'put_away');
    expect(() => undoMovements(s, actor, r.movements.map((m) => m.id))).toThrowError(expect.objectContaining({ code: 'undo.moved_since' }));
  });
});

describe('picking', () => {
  it('lists orders by route and day, proposes the individual that has waited longest, and says when another is picked', () => {
    const { s, one, maybe, actor } = setUp();
    const { route, delivery_day } = one<{ route: string; delivery_day: string }>('select route, delivery_day from customer_orders limit 1');
    const orders = pickList(s, actor.siteId, route, delivery_day);
    const line = orders.flatMap((o) => o.lines.map((l) => ({ o, l }))).find(({ l }) => l.rentable && l.proposal);
    expect(line).toBeDefined();
    const { o, l } = line!;
    const proposal = l.proposal!;
    const oldest = one<{ id: string }>(
      "select i.id from individuals i join locations loc on loc.id = i.location_id where i.article_id = ? and i.site_id = ? and i.status = 'in_stock' and loc.kind in ('shelf', 'floor', 'rack') order by i.ready_since, i.individual_number limit 1",
      l.articleId,
      actor.siteId,
    );
    expect(proposal.individualId).toBe(oldest.id);
    const other = maybe<{ id: string; location_id: string }>(
      "select i.id, i.location_id from individuals i join locations loc on loc.id = i.location_id where i.article_id = ? and i.site_id = ? and i.status = 'in_stock' and i.id <> ? and loc.kind in ('shelf', 'floor') limit 1",
      l.articleId,
      actor.siteId,
      proposal.individualId,
    );
    if (other) {
      const r = pick(s, actor, { orderRef: o.orderRef, articleId: l.articleId, individualId: other.id, fromLocationId: other.location_id, quantity: 1 });
      expect(r.notProposed).toBe(proposal.individualNumber);
    } else {
      const r = pick(s, actor, { orderRef: o.orderRef, articleId: l.articleId, individualId: proposal.individualId, fromLocationId: proposal.locationId, quantity: 1 });
      expect(r.notProposed).toBeNull();
    }
    expect(() => pick(s, actor, { orderRef: o.orderRef, articleId: l.articleId, individualId: proposal.individualId, fromLocationId: proposal.locationId, quantity: 1 })).toThrow();
    expect(pickList(s, actor.siteId, route, delivery_day).find((x) => x.orderRef === o.orderRef)!.lines.find((x) => x.articleId === l.articleId)!.picked).toBe(1);
  });

  it('takes orders placed by 11:30 the working day before', () => {
    expect(orderCutoff('2026-11-26').toString()).toBe(new Date('2026-11-25T11:30:00').toString()); // Thursday ← Wednesday
    expect(orderCutoff('2026-11-30').toString()).toBe(new Date('2026-11-27T11:30:00').toString()); // Monday ← Friday
  });
});

describe('return intake', () => {
  it('records the return date, the missing components, and puts the device in the cleaning queue', () => {
    const { s, one, actor } = setUp();
    const ind = one<{ id: string; article_id: string }>(
      "select i.id, i.article_id from individuals i where i.status = 'on_loan' and exists (select 1 from article_components c where c.article_id = i.article_id) limit 1",
    );
    const parts = componentsOf(s, ind.article_id);
    expect(parts.length).toBeGreaterThan(0);
    const r = returnIndividual(s, actor, { individualId: ind.id, returnedOn: '2026-11-20', missing: [parts[0]!.name] });
    expect(one('select status from individuals where id = ?', ind.id)).toEqual({ status: 'returned' });
    expect(localDay(r.movement.occurredAt)).toBe('2026-11-20');
    expect(one('select missing from return_checks where movement_id = ?', r.movement.id)).toEqual({ missing: JSON.stringify([parts[0]!.name]) });
    expect(() => returnIndividual(s, actor, { individualId: ind.id, missing: [] })).toThrowError(expect.objectContaining({ code: 'returns.not_on_loan' }));
  });
});
