/**
 * An inventory count at its largest: on a copy of the large dataset the station's site is given
 * every location of the region (5,000) and every individual is brought home onto a shelf (300,000),
 * through the ledger. A whole-site count is planned; every location is counted (the counters'
 * scans written as the counting screens would, about one location in a hundred with a device
 * missing or an extra one found, those recounted by a second counter), then the supervisor's
 * variance review and the approval are timed. Baseline: reading the count's expected lines alone.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { approveCount, varianceReview } from '../db/counts/approve';
import { finishLocation, startLocation } from '../db/counts/counting';
import { planCount } from '../db/counts/plan';
import { copyStation, openStationDb } from '../db/open';
import { postMovements, type MovementInput } from '../db/stock/ledger';
import { uuidv7 } from '../db/ids';

type Record = (name: string, value: number, unit: string, target?: string) => void;

export async function countBench(largeDir: string, record: Record): Promise<void> {
  const dir = join(largeDir, '..', 'count-copy');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  copyStation(largeDir, dir);
  const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  const sq = store.sqlite;
  try {
    const station = sq.prepare('select id, site_id from station').get() as { id: string; site_id: string };
    const [first, second] = sq.prepare("select id from users where role in ('warehouse_worker', 'supervisor') and active = 1 order by name limit 2").all() as { id: string }[];
    const counter = { stationId: station.id, userId: first!.id, siteId: station.site_id };
    const recounter = { ...counter, userId: second!.id };

    // One site holding the whole region: its locations, and every individual home on a shelf.
    sq.prepare('update locations set site_id = ?').run(station.site_id);
    sq.prepare('update individuals set site_id = ? where site_id is not null').run(station.site_id);
    const shelves = (sq.prepare("select id from locations where level = 'bin' and kind in ('shelf', 'floor') and retired_at is null").all() as { id: string }[]).map((r) => r.id);
    const away = sq.prepare("select id, article_id as articleId from individuals where location_id is null and status not in ('scrapped', 'cancelled')").all() as { id: string; articleId: string }[];
    // Back from patients into returns, washed, through the workshop and made ready onto the shelves, as the hygiene chain has it.
    const zone = (kind: string) => (sq.prepare("select id from locations where site_id = ? and kind = ? and level = 'zone' order by code limit 1").get(station.site_id, kind) as { id: string }).id;
    const path = [
      [null, zone('returns'), 'return', 'returns'],
      [zone('returns'), zone('cleaning'), 'to_cleaning', 'service'],
      [zone('cleaning'), zone('workshop'), 'to_reconditioning', 'service'],
    ] as const;
    for (let i = 0; i < away.length; i += 10_000) {
      const batch = away.slice(i, i + 10_000);
      for (const [from, to, reason, owner] of path)
        postMovements(store, counter, batch.map((a): MovementInput => ({ articleId: a.articleId, individualId: a.id, fromLocationId: from, toLocationId: to, quantity: 1, reason })), owner);
      postMovements(
        store,
        counter,
        batch.map((a, k): MovementInput => ({ articleId: a.articleId, individualId: a.id, fromLocationId: zone('workshop'), toLocationId: shelves[(i + k) % shelves.length]!, quantity: 1, reason: 'ready' })),
        'service',
      );
    }
    const individuals = (sq.prepare('select count(*) as n from individuals where location_id is not null').get() as { n: number }).n;

    const siteLocations = (sq.prepare('select count(*) as n from locations where site_id = ?').get(station.site_id) as { n: number }).n;
    const count = planCount(store, counter, { kind: 'site', thresholdQuantity: 1_000, thresholdValue: 1e12 });
    const locations = (sq.prepare('select location_id as id from count_locations where count_id = ? order by location_id').all(count.id) as { id: string }[]).map((r) => r.id);

    // The counters: what is there, as scanned (a device missing or one too many at about one location in a hundred).
    // (An individual already scanned elsewhere in the count is refused, as the screen refuses it.)
    const scanIndividuals = sq.prepare(
      `insert or ignore into count_scans (id, count_id, location_id, round, article_id, lot, individual_id, quantity, at, user_id)
       select ? || '-' || i.id, ?, i.location_id, ?, i.article_id, '', i.id, 1, ?, ? from individuals i where i.location_id = ? and i.status not in ('cancelled', 'scrapped')`,
    );
    const scanArticles = sq.prepare(
      `insert into count_scans (id, count_id, location_id, round, article_id, lot, quantity, at, user_id)
       select ? || '-' || b.location_id || '-' || b.article_id || b.lot, ?, b.location_id, ?, b.article_id, b.lot, b.quantity, ?, ? from balances b join articles a on a.id = b.article_id
       where b.location_id = ? and b.quantity > 0 and a.rentable = 0`,
    );
    const dropOne = sq.prepare('delete from count_scans where rowid = (select max(rowid) from count_scans where count_id = ? and location_id = ? and individual_id is not null)');
    const stray = sq.prepare("select id, article_id as articleId from individuals where location_id is not null and location_id <> ? and status = 'in_stock' limit 1 offset ?");
    const addOne = sq.prepare("insert or ignore into count_scans (id, count_id, location_id, round, article_id, lot, individual_id, quantity, at, user_id) values (?, ?, ?, ?, ?, '', ?, 1, ?, ?)");
    // What is physically different, the same whoever counts: a device gone at one location in a hundred, a stray at another.
    const place = new Map(locations.map((l, n) => [l, n]));
    const pass = (who: typeof counter, locs: string[], round: (l: string) => number, oddOnes: boolean) => {
      const t0 = performance.now();
      locs.forEach((l) => {
        const n = place.get(l)!;
        sq.transaction(() => {
          startLocation(store, who, count.id, l);
          const r = round(l);
          const pre = `${r}-${who.userId.slice(-6)}`;
          scanIndividuals.run(pre, count.id, r, Date.now(), who.userId, l);
          scanArticles.run(pre, count.id, r, Date.now(), who.userId, l);
          if (oddOnes && n % 100 === 7) dropOne.run(count.id, l);
          if (oddOnes && n % 100 === 53) {
            const s = stray.get(l, n) as { id: string; articleId: string } | undefined;
            if (s) addOne.run(uuidv7(), count.id, l, r, s.articleId, s.id, Date.now(), who.userId);
          }
          finishLocation(store, who, { countId: count.id, locationId: l });
        })();
      });
      return (performance.now() - t0) / Math.max(1, locs.length);
    };
    const roundOf = sq.prepare('select round from count_locations where count_id = ? and location_id = ?');
    const perLocation = pass(counter, locations, (l) => (roundOf.get(count.id, l) as { round: number }).round, true);
    const recount = (sq.prepare("select location_id as id from count_locations where count_id = ? and state = 'recount'").all(count.id) as { id: string }[]).map((r) => r.id);
    pass(recounter, recount, (l) => (roundOf.get(count.id, l) as { round: number }).round, true);

    const expectedRows = (sq.prepare('select count(*) as n from count_expected where count_id = ?').get(count.id) as { n: number }).n;
    const baseline = performance.now();
    sq.prepare('select * from count_expected where count_id = ?').raw().all(count.id);
    record('baseline: reading the count\'s expected lines alone', performance.now() - baseline, 'ms');
    record(`counting, per location (start, finish with the ledger's expectation; ${locations.length.toLocaleString('en')} locations)`, perLocation, 'ms');
    const reviews: number[] = [];
    let lines = 0;
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      lines = varianceReview(store, count.id).lines.length;
      reviews.push(performance.now() - t);
    }
    reviews.sort((a, b) => a - b);
    record(
      `variance review, a site of ${siteLocations.toLocaleString('en')} locations (${locations.length.toLocaleString('en')} where stock lies) and ${individuals.toLocaleString('en')} individuals (${expectedRows.toLocaleString('en')} expected lines, ${lines} variances, ${recount.length} recounted; median of 5)`,
      reviews[2]!,
      'ms',
      '≤ 500 ms',
    );
    const t = performance.now();
    const approved = approveCount(store, counter, { countId: count.id });
    record(`approval posting ${approved.movements} adjustments`, performance.now() - t, 'ms', '≤ 2000 ms');
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
