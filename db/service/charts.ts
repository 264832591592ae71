/**
 * What supervisors see of the workshop: throughput per week (released and scrapped), service-level
 * breaches per week, today's queue by state with its age, and the scrap rate per article. Weeks are
 * local calendar weeks starting on Monday.
 */
import type { Store } from '../open';
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

// Groups by the local Monday of the day an instant falls on.
const WEEK_OF = (col: string) => `date(${col} / 1000, 'unixepoch', 'localtime', 'weekday 0', '-6 days')`;

export function serviceCharts(store: Store, siteId: string, options: { weeks?: number; now?: number; scrapArticles?: number } = {}): ServiceCharts {
  const now = options.now ?? Date.now();
  const weeksBack = options.weeks ?? 26;
  const from = mondayWeeksAgo(now, weeksBack - 1).getTime();
  const weeks = new Map<string, WeekFigures>();
  for (let i = weeksBack - 1; i >= 0; i--) {
    const w = localDay(mondayWeeksAgo(now, i).getTime());
    weeks.set(w, { week: w, ready: 0, scrapped: 0, breaches: 0 });
  }
  for (const r of stmt<{ week: string; state: string; n: number }>(
    store,
    `select ${WEEK_OF('done_at')} as week, state, count(*) as n from service_jobs where site_id = ? and done_at >= ? group by week, state`,
  ).all(siteId, from)) {
    const w = weeks.get(r.week);
    if (w && (r.state === 'ready' || r.state === 'scrapped')) w[r.state] += r.n;
  }
  for (const r of stmt<{ week: string; n: number }>(
    store,
    `select week, sum(n) as n from (
       select ${WEEK_OF('breached_at')} as week, count(*) as n from service_jobs where site_id = ? and breached_at >= ? group by week
       union all
       select ${WEEK_OF('breached_at')} as week, count(*) as n from work_orders where site_id = ? and breached_at >= ? group by week)
     group by week`,
  ).all(siteId, from, siteId, from)) {
    const w = weeks.get(r.week);
    if (w) w.breaches += r.n;
  }

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

  // Per article from the finished jobs' index alone; the names only for the articles shown.
  const scrap = stmt<Omit<ScrapFigures, 'rate'>>(
    store,
    `select s.articleId, a.name as articleName, s.done, s.scrapped from (
       select article_id as articleId, count(*) as done, sum(state = 'scrapped') as scrapped from service_jobs
       where site_id = ? and done_at >= ? group by article_id having scrapped > 0 order by scrapped desc, done desc limit ?) s
     join articles a on a.id = s.articleId order by s.scrapped desc, s.done desc`,
  )
    .all(siteId, from, options.scrapArticles ?? 12)
    .map((s) => ({ ...s, rate: s.scrapped / s.done }));

  return { weeks: [...weeks.values()], queue, ages, scrap };
}
