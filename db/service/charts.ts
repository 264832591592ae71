/**
 * What supervisors see of the workshop: throughput per week (released and scrapped), service-level
 * breaches per week, today's queue by state with its age, and the scrap rate per article. Weeks are
 * local calendar weeks starting on Monday.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import type { ServiceState } from './flow';

const DAY = 86_400_000;

export interface WeekFigures {
  /** Monday of the week, YYYY-MM-DD. */
  week: string;
  ready: number;
  scrapped: number;
  breaches: number;
}

export interface QueueFigures {
  state: ServiceState | 'field_repair';
  count: number;
  /** Mean and oldest age of the jobs in that state, in hours since they arrived. */
  meanHours: number;
  oldestHours: number;
}

export interface ScrapFigures {
  articleId: string;
  articleName: string;
  done: number;
  scrapped: number;
  rate: number;
}

export interface ServiceCharts {
  weeks: WeekFigures[];
  queue: QueueFigures[];
  /** Open work by age: under a day, 1–3 days, 3–7, 7–14, over 14. */
  ages: number[];
  scrap: ScrapFigures[];
}

export const AGE_LIMITS_DAYS = [1, 3, 7, 14];

const localDay = (ms: number) => {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

/** The Monday `n` weeks before this week's, at local midnight. */
function mondayWeeksAgo(now: number, n: number): Date {
  const d = new Date(now);
  d.setHours(0, 0, 0, 0);
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7) - 7 * n);
  return d;
}

const HOUR = 3_600_000;

export function serviceCharts(store: StationDb, siteId: string, options: { weeks?: number; now?: number; scrapArticles?: number } = {}): ServiceCharts {
  const now = options.now ?? Date.now();
  const weeksBack = options.weeks ?? 26;
  // Local Mondays at midnight: they fall on whole hours, so hourly counts from the index sort into
  // the right week exactly, summer time or not, without a time-zone conversion per row.
  const mondays = Array.from({ length: weeksBack + 1 }, (_, i) => mondayWeeksAgo(now, weeksBack - 1 - i).getTime());
  const from = mondays[0]!;
  const weeks: WeekFigures[] = mondays.slice(0, -1).map((m) => ({ week: localDay(m), ready: 0, scrapped: 0, breaches: 0 }));
  // (Bound numbers are reals in SQLite, hence the casts to whole hours.)
  const weekOf = (hour: number) => {
    const at = from + hour * HOUR;
    let i = Math.min(weeks.length - 1, Math.floor((at - from) / (7 * 24 * HOUR)));
    while (i > 0 && at < mondays[i]!) i--;
    while (i < weeks.length - 1 && at >= mondays[i + 1]!) i++;
    return weeks[i]!;
  };
  for (const r of stmt<{ hour: number; state: string; n: number }>(
    store,
    `select cast((done_at - $from) / ${HOUR} as integer) as hour, state, count(*) as n from service_jobs
     where site_id = $site and done_at >= $from and state in ('ready', 'scrapped') group by hour, state`,
  ).all({ site: siteId, from })) {
    const w = weekOf(r.hour);
    if (r.state === 'ready') w.ready += r.n;
    else w.scrapped += r.n;
  }
  for (const r of stmt<{ hour: number; n: number }>(
    store,
    `select hour, sum(n) as n from (
       select cast((breached_at - $from) / ${HOUR} as integer) as hour, count(*) as n from service_jobs where site_id = $site and breached_at >= $from group by hour
       union all
       select cast((breached_at - $from) / ${HOUR} as integer) as hour, count(*) as n from work_orders where site_id = $site and breached_at >= $from group by hour)
     group by hour`,
  ).all({ site: siteId, from }))
    weekOf(r.hour).breaches += r.n;

  const queue = stmt<QueueFigures>(
    store,
    `select state, count(*) as count, avg(? - arrived_at) / 3600000.0 as meanHours, max(? - arrived_at) / 3600000.0 as oldestHours from (
       select state, arrived_at from service_jobs where site_id = ? and closed_at is null
       union all
       select 'field_repair', opened_at from work_orders where site_id = ? and state = 'open' and job_id is null)
     group by state order by count desc`,
  )
    .all(now, now, siteId, siteId)
    .map((q) => ({ ...q, meanHours: Math.round(q.meanHours), oldestHours: Math.round(q.oldestHours) }));

  const bucket = AGE_LIMITS_DAYS.map((d, i) => `sum(case when age >= ${i === 0 ? 0 : AGE_LIMITS_DAYS[i - 1]! * DAY} and age < ${d * DAY} then 1 else 0 end)`);
  const ageRow = stmt<Record<string, number | null>>(
    store,
    `select ${bucket.map((b, i) => `${b} as b${i}`).join(', ')}, sum(case when age >= ${AGE_LIMITS_DAYS.at(-1)! * DAY} then 1 else 0 end) as b${AGE_LIMITS_DAYS.length}
     from (select ? - arrived_at as age from service_jobs where site_id = ? and closed_at is null
           union all select ? - opened_at from work_orders where site_id = ? and state = 'open' and job_id is null)`,
  ).get(now, siteId, now, siteId)!;
  const ages = [...AGE_LIMITS_DAYS, Infinity].map((_, i) => ageRow[`b${i}`] ?? 0);

  // The articles scrapped most (the few scrapped jobs, from the finished jobs' index: the planner
  // would otherwise walk every article's own index), then how many
  // jobs each of those finished in all (its own index): never a grouping of every finished job.
  const scrap = stmt<{ articleId: string; articleName: string; scrapped: number }>(
    store,
    `select s.articleId, a.name as articleName, s.scrapped from (
       select article_id as articleId, count(*) as scrapped from service_jobs indexed by service_jobs_done
       where site_id = $site and done_at >= $from and state = 'scrapped' group by article_id order by scrapped desc limit $limit) s
     join articles a on a.id = s.articleId`,
  )
    .all({ site: siteId, from, limit: options.scrapArticles ?? 12 })
    .map((s) => {
      const done = stmt<{ n: number }>(store, 'select count(*) as n from service_jobs where article_id = ? and done_at >= ? and site_id = ?').get(s.articleId, from, siteId)!.n;
      return { ...s, done, rate: s.scrapped / done };
    })
    .sort((a, b) => b.scrapped - a.scrapped || b.done - a.done);

  return { weeks, queue, ages, scrap };
}
