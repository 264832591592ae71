import type { StationDb } from '../open';
import { seeded } from './random';

const DAY = 86_400_000;

/**
 * Delivery routes and weekdays for the depots, and reorder settings: every article is a stock
 * article in Boden; each depot keeps what it has on its shelves. Settings are sized from the
 * ledger's own usage, so the demo's suggestions look like a real week's. Also fills an older
 * database that lacks them (the benchmark's large dataset).
 */
export function seedReorderSettings(store: StationDb, seed = 9999): void {
  const sq = store.sqlite;
  const { rnd, between } = seeded(seed + 17);
  const now = Date.now();
  sq.transaction(() => {
    const sites = sq.prepare("select id, kind, municipality from sites order by code").all() as { id: string; kind: string; municipality: string }[];
    const setRoute = sq.prepare('update sites set route = ?, delivery_weekday = ? where id = ?');
    sites.forEach((site, i) => site.kind !== 'central_store' && setRoute.run(`Rutt ${site.municipality}`, 1 + (i % 5), site.id));
    // Usage per article and site over the last 90 days: what left stock for good.
    const usage = new Map<string, number>();
    for (const u of sq
      .prepare(
        `select m.article_id as a, l.site_id as s, sum(m.quantity) as q from movements m join locations l on l.id = m.from_location_id
         where m.to_location_id is null and m.reason in ('delivery', 'dispatch', 'scrap') and m.occurred_at >= ? group by m.article_id, l.site_id`,
      )
      .all(now - 90 * DAY) as { a: string; s: string; q: number }[])
      usage.set(`${u.a}:${u.s}`, u.q / 90);
    const ins = sq.prepare(
      `insert or ignore into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at)
       values (?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    );
    const central = sites.find((x) => x.kind === 'central_store');
    if (central)
      for (const a of sq.prepare('select id, rentable from articles').all() as { id: string; rentable: number }[]) {
        const daily = usage.get(`${a.id}:${central.id}`) ?? 0.05;
        const lead = between(5, 21);
        const safety = Math.ceil(daily * 5);
        const rp = safety + Math.ceil(daily * lead);
        ins.run(a.id, central.id, rp, safety, rp + Math.ceil(daily * 30), lead, a.rentable ? 0 : [0, 5, 10, 25][between(0, 3)]!, now);
      }
    for (const site of sites.filter((x) => x.kind !== 'central_store')) {
      // A depot keeps a small assortment: what it holds most of, at most 400 articles.
      const held = sq
        .prepare(
          `select b.article_id as id, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id
           where l.site_id = ? and b.quantity > 0 group by b.article_id order by q desc limit 400`,
        )
        .all(site.id) as { id: string; q: number }[];
      for (const a of held) {
        const daily = usage.get(`${a.id}:${site.id}`) ?? 0.02;
        const safety = Math.max(1, Math.ceil(daily * 3));
        // Most lines sit above their reorder point; one in ten is due for a refill.
        const rp = rnd() < 0.1 ? a.q : Math.min(Math.max(0, a.q - 1), safety + Math.ceil(daily * 7));
        ins.run(a.id, site.id, rp, Math.min(safety, rp), rp + between(1, 4), 0, 0, now);
      }
    }
  })();
}
