/** Suggested lines ordered with the quantities a person set first: a changed quantity is ordered, 0 leaves a line out, an article not suggested is refused. */
import { afterEach, describe, expect, it } from 'vitest';
import { isDepotError } from '../../vocabulary/errors';
import type { StationDb } from '../../db/open';
import { createPurchaseOrders } from '../../db/replenishment/orders';
import type { Suggestions, SuggestionLine } from '../../db/replenishment/suggestions';
import { queries, tinyStore } from '../helpers';

let store: StationDb | null = null;
afterEach(() => {
  store?.close();
  store = null;
});

describe('ordering suggestions with quantities set by hand', () => {
  it('orders the changed quantities, leaves out a line set to 0, and refuses a quantity for an article not suggested', () => {
    const s = tinyStore();
    store = s;
    const { one, all } = queries(s);
    const central = one<{ id: string }>("select id from sites where kind = 'central_store'").id;
    const actor = { userId: one<{ id: string }>("select id from users where role = 'supervisor' limit 1").id, stationId: one<{ id: string }>('select id from station').id };
    const [a, b, c] = all<{ id: string; number: string; name: string }>('select id, article_number as number, name from articles order by article_number limit 3');
    const line = (x: { id: string; number: string; name: string }, quantity: number) =>
      ({ articleId: x.id, articleNumber: x.number, name: x.name, supplier: 'Leverantör AB', unitPrice: 10_000, leadDays: 5, quantity, target: quantity }) as unknown as SuggestionLine;
    const suggestions: Suggestions = { at: Date.now(), windowDays: 90, centralSiteId: central, refills: [], purchase: [{ supplier: 'Leverantör AB', value: 0, lines: [line(a!, 4), line(b!, 6)] }] };

    const orders = () => one<{ n: number }>('select count(*) as n from purchase_orders').n;
    const before = orders();
    const refused = (() => {
      try {
        createPurchaseOrders(s, actor, ['Leverantör AB'], suggestions, new Map([[c!.id, 3]]));
        return null;
      } catch (e) {
        return isDepotError(e) ? e.code : String(e);
      }
    })();
    expect(refused).toBe('replenishment.not_suggested');
    expect(orders()).toBe(before);

    const { poNumbers } = createPurchaseOrders(s, actor, ['Leverantör AB'], suggestions, new Map([[a!.id, 9], [b!.id, 0]]));
    expect(poNumbers).toHaveLength(1);
    expect(all('select l.article_id as articleId, l.quantity from purchase_order_lines l join purchase_orders p on p.id = l.purchase_order_id where p.po_number = ?', poNumbers[0])).toEqual([{ articleId: a!.id, quantity: 9 }]);
  });
});
