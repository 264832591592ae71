/**
 * Cycle counting by ABC class. Articles at a site are ranked by the value of what was used over the
 * last year (usage × purchase price) or by how often they moved (days with usage): the articles
 * making up the first 80 % are class A, the next 15 % B, the rest C. A location takes the highest
 * class of what it holds. Each class is counted so many times a year (by default A four, B two,
 * C one), spread evenly over the 52 weeks: the schedule says which locations are due which week,
 * and this week's become a cycle count.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { refreshAggregates } from '../replenishment/aggregates';
import { planCount, type CountHead, type SiteActor } from './plan';

export type AbcBasis = 'value' | 'movements';
export type AbcClass = 'A' | 'B' | 'C';
export interface CyclePolicy {
  basis: AbcBasis;
  perYear: Record<AbcClass, number>;
}
export const DEFAULT_POLICY: CyclePolicy = { basis: 'value', perYear: { A: 4, B: 2, C: 1 } };

const DAY = 86_400_000;
const WEEKS = 52;

/** The class of every article with stock or usage at the site. */
export function abcClasses(store: StationDb, siteId: string, basis: AbcBasis, now = Date.now()): Map<string, AbcClass> {
  refreshAggregates(store);
  const since = Math.floor((now - 365 * DAY) / DAY);
  const ranked = stmt<{ articleId: string; weight: number }>(
    store,
    basis === 'value'
      ? `select u.article_id as articleId, sum(u.quantity) * a.purchase_price as weight from usage_by_day u join articles a on a.id = u.article_id
         where u.site_id = ? and u.day >= ? group by u.article_id order by weight desc`
      : `select article_id as articleId, count(*) as weight from usage_by_day where site_id = ? and day >= ? group by article_id order by weight desc`,
  ).all(siteId, since);
  const total = ranked.reduce((n, r) => n + r.weight, 0);
  const classes = new Map<string, AbcClass>();
  let cumulative = 0;
  for (const r of ranked) {
    // The article that crosses a boundary still belongs to the class it started in.
    const share = total === 0 ? 1 : cumulative / total;
    classes.set(r.articleId, share < 0.8 ? 'A' : share < 0.95 ? 'B' : 'C');
    cumulative += r.weight;
  }
  return classes;
}

export interface CycleSchedule {
  policy: CyclePolicy;
  /** Per class: how many articles and locations, and how often they are counted. */
  classes: Record<AbcClass, { articles: number; locations: number; perYear: number }>;
  /** How many locations are due in each week of the year (index 0 = week 1). */
  perWeek: number[];
  /** This week (1–52) and the locations due in it. */
  week: number;
  due: { locationId: string; code: string; abc: AbcClass }[];
}

/** The week of the year, 1–52 (a 53rd week counts as the 52nd). */
export function weekOfYear(at: number): number {
  const d = new Date(at);
  const start = new Date(d.getFullYear(), 0, 1).getTime();
  return Math.min(WEEKS, 1 + Math.floor((at - start) / (7 * DAY)));
}

/** Which locations are due which week: each class's locations spread evenly, so many times a year. */
export function cycleSchedule(store: StationDb, siteId: string, policy: CyclePolicy = DEFAULT_POLICY, now = Date.now()): CycleSchedule {
  const classes = abcClasses(store, siteId, policy.basis, now);
  // Every storage location at the site holding stock, with the best class of what lies there (C when none is ranked).
  const holding = stmt<{ locationId: string; code: string; articleId: string }>(
    store,
    `select l.id as locationId, l.code, b.article_id as articleId from balances b join locations l on l.id = b.location_id
     where l.site_id = ? and l.retired_at is null and b.quantity > 0 and l.kind in ('shelf', 'rack', 'floor', 'spare_parts') order by l.code`,
  ).all(siteId);
  const rank: Record<AbcClass, number> = { A: 0, B: 1, C: 2 };
  const byLocation = new Map<string, { locationId: string; code: string; abc: AbcClass }>();
  const articles: Record<AbcClass, Set<string>> = { A: new Set(), B: new Set(), C: new Set() };
  for (const h of holding) {
    const abc = classes.get(h.articleId) ?? 'C';
    articles[abc].add(h.articleId);
    const seen = byLocation.get(h.locationId);
    if (!seen || rank[abc] < rank[seen.abc]) byLocation.set(h.locationId, { locationId: h.locationId, code: h.code, abc });
  }
  const perWeek = new Array<number>(WEEKS).fill(0);
  const week = weekOfYear(now);
  const due: CycleSchedule['due'] = [];
  const summary = {} as CycleSchedule['classes'];
  for (const abc of ['A', 'B', 'C'] as const) {
    const locs = [...byLocation.values()].filter((l) => l.abc === abc);
    const times = Math.max(0, Math.min(WEEKS, Math.round(policy.perYear[abc])));
    summary[abc] = { articles: articles[abc].size, locations: locs.length, perYear: times };
    const slots = locs.length * times;
    // Slot k of the year's counts of this class falls in week floor(k × 52 / slots): even spacing, each location `times` times.
    for (let k = 0; k < slots; k++) {
      const w = Math.floor((k * WEEKS) / slots);
      perWeek[w]!++;
      if (w === week - 1) due.push(locs[k % locs.length]!);
    }
  }
  return { policy, classes: summary, perWeek, week, due };
}

/** This week's cycle count from the schedule. */
export function startCycleCount(store: StationDb, actor: SiteActor, policy: CyclePolicy = DEFAULT_POLICY, now = Date.now()): CountHead {
  const schedule = cycleSchedule(store, actor.siteId, policy, now);
  return planCount(store, actor, {
    kind: 'cycle',
    title: `Cykelinventering vecka ${schedule.week}`,
    locationIds: [...new Set(schedule.due.map((d) => d.locationId))],
  });
}
