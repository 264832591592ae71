/**
 * Lots and expiry: the expiry list of a site, first-expiry-first at picking (a later lot taken is
 * said), an expired lot refused whichever way it would go out, and a lot's recall: where its units
 * are and which orders it went out on.
 */
import { describe, expect, it } from 'vitest';
import { postMovements } from '../../db/stock/ledger';
import { expiryList, firstExpiryFirst, lotRecall } from '../../db/stock/lots';
import { pick, pickList } from '../../db/workflows/picking';
import { addDays, localDay } from '../../vocabulary/calendar';
import { placeOrder, queries, tinyStore } from '../helpers';

describe('lots and expiry', () => {
  it('lists what expires, proposes the first to expire, refuses an expired lot, and recalls a lot', () => {
    const store = tinyStore();
    const { one } = queries(store);
    const st = one<{ id: string; site_id: string }>('select id, site_id from station');
    const actor = { stationId: st.id, userId: one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1").id, siteId: st.site_id };
    const article = one<{ id: string; number: string }>('select id, article_number as number from articles where rentable = 0 order by article_number limit 1');
    store.sqlite.prepare("update articles set tracking = 'lot_expiry' where id = ?").run(article.id);
    const [near, far] = store.sqlite.prepare("select id, code from locations where site_id = ? and kind = 'shelf' and level = 'bin' and retired_at is null order by code limit 2").all(st.site_id) as { id: string; code: string }[];
    const today = localDay(Date.now());
    const lots = { old: addDays(today, -1), soon: addDays(today, 10), late: addDays(today, 200) };
    for (const [lot, expires] of Object.entries(lots)) {
      store.sqlite.prepare('insert into lots (article_id, lot, expires_on) values (?, ?, ?)').run(article.id, lot, expires);
      postMovements(store, actor, [{ articleId: article.id, lot, toLocationId: (lot === 'late' ? near : far)!.id, quantity: 5, reason: 'receipt' }], 'receiving');
    }

    // The expiry list: the expired lot and the one expiring within 30 days, the first to expire first.
    expect(expiryList(store, st.site_id, 30).filter((l) => l.articleId === article.id).map((l) => [l.lot, l.expired])).toEqual([['old', true], ['soon', false]]);
    // First expiry first, the expired lot left out.
    expect(firstExpiryFirst(store, st.site_id, article.id).map((l) => l.lot).filter((l) => l !== '')).toEqual(['soon', 'late']);

    // An order for it: the pick list proposes the lot that expires first.
    const day = addDays(today, 3);
    placeOrder(store, { ref: 'KO-LOT-1', customerRef: 'P-1', siteId: st.site_id, day, route: 'Rutt Lot', deliveryPoint: 'Solgården', municipality: 'Boden', lines: [{ articleId: article.id, quantity: 4 }] });
    const line = pickList(store, st.site_id, 'Rutt Lot', day)[0]!.lines[0]!;
    expect(line.fromLocation).toMatchObject({ lot: 'soon', expiresOn: lots.soon, code: far!.code });
    // The expired lot is refused, by the pick and by a raw posting alike, and nothing moves.
    const before = one<{ n: number }>('select count(*) as n from movements').n;
    expect(() => pick(store, actor, { orderRef: 'KO-LOT-1', articleId: article.id, fromLocationId: far!.id, lot: 'old', quantity: 1 })).toThrow(expect.objectContaining({ code: 'stock.expired' }));
    const dispatch = one<{ id: string }>("select id from locations where site_id = ? and kind = 'dispatch' and level = 'zone'", st.site_id).id;
    expect(() => postMovements(store, actor, [{ articleId: article.id, lot: 'old', fromLocationId: far!.id, toLocationId: dispatch, quantity: 1, reason: 'pick', orderRef: 'KO-LOT-1' }], 'picking')).toThrow(
      expect.objectContaining({ code: 'stock.expired' }),
    );
    expect(one<{ n: number }>('select count(*) as n from movements').n).toBe(before);
    // A later lot may be taken, and the worker is told which would have gone first.
    expect(pick(store, actor, { orderRef: 'KO-LOT-1', articleId: article.id, fromLocationId: near!.id, lot: 'late', quantity: 1 }).notProposed).toBe(`batch soon (${lots.soon})`);
    expect(pick(store, actor, { orderRef: 'KO-LOT-1', articleId: article.id, fromLocationId: far!.id, lot: 'soon', quantity: 3 }).notProposed).toBeNull();

    // It goes out on the order: the recall finds it there, and what is left on the shelves.
    postMovements(store, actor, [{ articleId: article.id, lot: 'soon', fromLocationId: dispatch, toLocationId: null, quantity: 3, reason: 'delivery', orderRef: 'KO-LOT-1' }], 'pallets');
    const recall = lotRecall(store, article.id, 'soon');
    expect(recall).toMatchObject({ lot: 'soon', expiresOn: lots.soon, out: [{ orderRef: 'KO-LOT-1', customerRef: 'P-1', deliveryPoint: 'Solgården', quantity: 3, day: today }] });
    expect(recall.stock).toEqual([{ site: expect.any(String), locationCode: far!.code, quantity: 2 }]);
    store.close();
  });
});
