/**
 * The demo's orders and what the return and put-away steps look up: what comes back with a
 * returned device, preferred locations, open purchase orders, and customer orders for the coming
 * deliveries by route and day, some placed after the cut-off.
 */
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { orderCutoff } from '../workflows/picking';
import type { DemoArticle } from './articles';
import { SUPPLIERS } from './catalogue';
import type { Random } from './random';
import type { SiteLocs } from './sites';
import { localDay } from '../../vocabulary/calendar';

const COMPONENTS: [RegExp, string[]][] = [
  [/^122[234]/, ['Benstöd, par', 'Armstöd, par', 'Tippskydd']],
  [/^1812/, ['Handkontroll', 'Sänggrindar, par']],
  [/^1236/, ['Handkontroll', 'Laddare']],
  [/^120606/, ['Korg', 'Bricka']],
  [/^0433/, ['Överdrag']],
];

const weekdayAfter = (from: number, n: number): string => {
  const d = new Date(from);
  let left = n;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6) left--;
  }
  return localDay(d.getTime());
};

/** Open purchase orders, customer orders by route and day, return checklists and preferred locations. */
export function seedOrders(
  sq: StationDb['sqlite'],
  ctx: { random: Random; now: number; siteLocs: SiteLocs[]; articles: DemoArticle[] },
): void {
  const { random, now, siteLocs, articles } = ctx;
  const { rnd, pick, between } = random;
  const central = siteLocs[0]!;
  const depots = siteLocs.slice(1);
  sq.transaction(() => {
    const insComp = sq.prepare('insert or ignore into article_components (article_id, name, quantity) values (?, ?, 1)');
    for (const a of articles.filter((x) => x.rentable))
      for (const [re, parts] of COMPONENTS) if (re.test(a.iso)) for (const part of parts) insComp.run(a.id, part);

    const insPref = sq.prepare('insert or ignore into preferred_locations (article_id, site_id, location_id) values (?, ?, ?)');
    for (const a of articles) if (rnd() < 0.2 && central.bins.length) insPref.run(a.id, central.site.id, pick(central.bins).id);

    const rentable = articles.filter((a) => a.rentable);
    const sold = articles.filter((a) => !a.rentable);
    const insPo = sq.prepare('insert into purchase_orders (id, po_number, supplier, site_id, expected_on, created_at) values (?, ?, ?, ?, ?, ?)');
    const insPoLine = sq.prepare('insert into purchase_order_lines (id, purchase_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)');
    for (let n = 1; n <= 6; n++) {
      const id = uuidv7();
      insPo.run(id, `IO-${String(n).padStart(7, '0')}`, pick(SUPPLIERS), central.site.id, weekdayAfter(now, n % 3), now - n * 86_400_000);
      const lines = [pick(rentable), pick(rentable), pick(sold), sold.find((a) => a.tracking !== 'none') ?? pick(sold)];
      [...new Map(lines.filter(Boolean).map((a) => [a.id, a])).values()].forEach((a, i) =>
        insPoLine.run(uuidv7(), id, i + 1, a.id, a.rentable ? between(2, 5) : between(20, 60)),
      );
    }

    // Customer orders for the coming deliveries, rentable lines only where a ready individual exists.
    const ready = sq
      .prepare(
        `select distinct i.article_id as id from individuals i join locations l on l.id = i.location_id
         where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor') limit 400`,
      )
      .all(central.site.id) as { id: string }[];
    const stocked = sq
      .prepare(
        `select distinct b.article_id as id from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
         where l.site_id = ? and l.level = 'bin' and b.quantity >= 10 and a.rentable = 0 and a.tracking = 'none' limit 200`,
      )
      .all(central.site.id) as { id: string }[];
    const insOrder = sq.prepare(
      `insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insLine = sq.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)');
    const points = ['vårdcentral', 'äldreboende Solgården', 'korttidsboende', 'hemtjänstens förråd'];
    // The delivery points the routes serve, with their addresses (no draw from the random stream, so the rest of the demo stays as it was).
    const insPoint = sq.prepare(
      `insert into delivery_points (id, site_id, name, address, postcode, town, municipality, route, weekday) values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const STREETS = ['Storgatan', 'Skolgatan', 'Sjukhusvägen', 'Kyrkogatan'];
    depots.slice(0, 8).forEach((d, i) => {
      const weekday = new Date(`${weekdayAfter(now, 1 + (i % 4))}T12:00:00`).getDay();
      points.forEach((p, k) =>
        insPoint.run(uuidv7(), central.site.id, `${d.site.municipality} ${p}`, `${STREETS[k]} ${3 + i * 2 + k}`, `9${String(51 + i).padStart(2, '0')} ${String(30 + k * 11)}`, d.site.municipality, d.site.municipality, `Rutt ${d.site.municipality}`, weekday),
      );
    });
    let serial = 0;
    depots.slice(0, 8).forEach((d, i) => {
      const deliveryDay = weekdayAfter(now, 1 + (i % 4));
      const cutoff = orderCutoff(deliveryDay);
      for (let k = 0; k < 3; k++) {
        const id = uuidv7();
        const late = k === 2;
        const placedAt = Math.min(now, cutoff.getTime() + (late ? 3_600_000 : -between(2, 72) * 3_600_000));
        insOrder.run(id, `KO-${String(9_000_000 + ++serial).padStart(7, '0')}`, `KST-${between(1000, 9999)}`, `${d.site.municipality} ${pick(points)}`, d.site.municipality, `Rutt ${d.site.municipality}`, deliveryDay, placedAt, central.site.id);
        const lineArticles = [ready.length ? pick(ready).id : null, stocked.length ? pick(stocked).id : null].filter((x): x is string => x !== null);
        [...new Set(lineArticles)].forEach((a, j) => insLine.run(uuidv7(), id, j + 1, a, rentable.some((r) => r.id === a) ? 1 : between(1, 4)));
      }
    });
  })();
}
