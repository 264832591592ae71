/** An article's stock over time ends today at what its page's table shows for the site, and at what reordering counts beside it. */
import { describe, expect, it } from 'vitest';
import { stockHistory } from '../../db/replenishment/dashboard';
import { articleDetail } from '../../db/stock/details';
import { localDay } from '../../vocabulary/calendar';
import { queries, tinyStore } from '../helpers';

describe('stock over time', () => {
  it("ends today at the site's figure in the article's table (everything at the site) and at the stock to use", () => {
    const store = tinyStore();
    const { all } = queries(store);
    let apart = 0;
    for (const a of all<{ id: string }>('select id from articles')) {
      for (const site of articleDetail(store, a.id).sites) {
        const h = stockHistory(store, a.id, site.siteId, 30);
        expect(h).toHaveLength(31);
        expect(h.at(-1)!.day).toBe(localDay(Date.now()));
        expect(h.at(-1)!.total).toBe(site.quantity);
        const toUse = site.locations.filter((l) => ['goods_in', 'rack', 'shelf', 'floor', 'spare_parts'].includes(l.kind)).reduce((n, l) => n + l.quantity, 0);
        expect(h.at(-1)!.onHand).toBe(toUse);
        if (toUse !== site.quantity) apart++;
        // Day by day, with no day missing or twice (the station's local days).
        for (let i = 1; i < h.length; i++) expect(new Date(`${h[i]!.day}T12:00:00Z`).getTime() - new Date(`${h[i - 1]!.day}T12:00:00Z`).getTime()).toBe(86_400_000);
      }
    }
    // The demo has stock standing at dispatch, returns, cleaning or the workshop: where the two differ.
    expect(apart).toBeGreaterThan(0);
    store.close();
  });
});
