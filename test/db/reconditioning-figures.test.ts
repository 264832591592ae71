import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { seedDataset } from '../../db/demo/generate';
import { defaultMigrationsFolder, openStationDb, type StationDb } from '../../db/open';
import { refreshAggregates } from '../../db/replenishment/aggregates';
import { jobsDone, reconditioningPipeline } from '../../db/replenishment/suggestions';
import { applyPull } from '../../db/sync/apply';
import { localDay } from '../../vocabulary/calendar';
import { SERVICE_JOB_STATES } from '../../vocabulary/domain';
import { tempDir, tinyStore, TINY } from '../helpers';

const DAY = 86_400_000;
const HOUR = 3_600_000;
const NOW = Date.UTC(2026, 11, 3, 9, 17, 23, 411);

/** The queue and the pace counted from the jobs themselves, as the suggestions once read them. */
function fromScratch(store: StationDb) {
  const all = <T>(sql: string, ...args: unknown[]) => store.sqlite.prepare(sql).all(...args) as T[];
  return {
    queue: all(
      'select site_id, article_id, count(*) as open from service_jobs where closed_at is null and article_id is not null group by site_id, article_id order by site_id, article_id',
    ),
    done: all(
      `select site_id, cast(done_at / ${DAY} as integer) as day, sum(state = 'ready') as ready, sum(state = 'scrapped') as scrapped
       from service_jobs where done_at is not null and state in ('ready', 'scrapped') group by 1, 2 order by 1, 2`,
    ),
  };
}

function kept(store: StationDb) {
  const all = <T>(sql: string) => store.sqlite.prepare(sql).all() as T[];
  return {
    queue: all('select site_id, article_id, open from service_queue_by_article order by site_id, article_id'),
    done: all('select site_id, day, ready, scrapped from service_done_by_day order by site_id, day'),
  };
}

/** The pipeline's figures as they were computed before the running figures: every count from the jobs. */
function pipelineFromScratch(store: StationDb, siteId: string, now: number, windowDays: number) {
  const queue = new Map(
    (store.sqlite.prepare('select article_id as a, count(*) as n from service_jobs where closed_at is null and site_id = ? and article_id is not null group by article_id').all(siteId) as { a: string; n: number }[]).map(
      (r) => [r.a, r.n],
    ),
  );
  const pickups = new Map<string, string[]>();
  for (const p of store.sqlite
    .prepare("select i.article_id as a, p.collection_day as day from pickup_orders p join individuals i on i.id = p.individual_id where p.site_id = ? and p.state = 'ordered'")
    .all(siteId) as { a: string; day: string }[])
    pickups.set(p.a, [...(pickups.get(p.a) ?? []), p.day]);
  const ordered = [...pickups.values()].reduce((n, days) => n + days.length, 0);
  const done = store.sqlite
    .prepare("select coalesce(sum(state = 'ready'), 0) as ready, coalesce(sum(state = 'scrapped'), 0) as scrapped from service_jobs where site_id = ? and done_at >= ?")
    .get(siteId, now - windowDays * DAY) as { ready: number; scrapped: number };
  const scrapRate = done.ready + done.scrapped > 0 ? done.scrapped / (done.ready + done.scrapped) : 0;
  const perDay = done.ready / windowDays;
  const waiting = [...queue.values()].reduce((n, q) => n + q, 0);
  return {
    done,
    readyWithin(articleId: string, days: number): number {
      const by = localDay(now + days * DAY);
      const coming = (queue.get(articleId) ?? 0) + (pickups.get(articleId) ?? []).filter((day) => day <= by).length;
      if (coming === 0) return 0;
      return Math.floor(coming * Math.min(1, (perDay * days) / (waiting + ordered)) * (1 - scrapRate));
    },
  };
}

type Op =
  | { op: 'open'; job: number; device: number; site: number; state: string; noArticle: boolean; doneAt: number | null; closedAt: number | null }
  | { op: 'state'; job: number; state: string; doneAt: number | null }
  | { op: 'close'; job: number; at: number }
  | { op: 'reopen'; job: number }
  | { op: 'move'; job: number; site: number }
  | { op: 'delete'; job: number }
  | { op: 'sync'; job: number; device: number; site: number; state: string; doneAt: number | null; closedAt: number | null }
  | { op: 'rollback'; job: number; state: string; doneAt: number };

const JOBS = 12;
const when = fc.integer({ min: -100 * 24, max: 0 }).map((h) => NOW + h * HOUR - 37_000);
const maybeWhen = fc.option(when, { nil: null, freq: 3 });
const state = fc.constantFrom(...SERVICE_JOB_STATES);
const job = fc.nat(JOBS - 1);
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('open' as const), job, device: fc.nat(7), site: fc.nat(2), state, noArticle: fc.boolean(), doneAt: maybeWhen, closedAt: fc.option(when, { nil: null }) }),
  fc.record({ op: fc.constant('state' as const), job, state, doneAt: maybeWhen }),
  fc.record({ op: fc.constant('close' as const), job, at: when }),
  fc.record({ op: fc.constant('reopen' as const), job }),
  fc.record({ op: fc.constant('move' as const), job, site: fc.nat(2) }),
  fc.record({ op: fc.constant('delete' as const), job }),
  fc.record({ op: fc.constant('sync' as const), job, device: fc.nat(7), site: fc.constantFrom(0, 0, 0, 1), state, doneAt: maybeWhen, closedAt: fc.option(when, { nil: null }) }),
  fc.record({ op: fc.constant('rollback' as const), job, state, doneAt: when }),
);

describe('the reconditioning figures the suggestions read', () => {
  let store: StationDb;
  let sites: string[];
  let devices: { id: string; article_id: string }[];
  beforeAll(() => {
    store = tinyStore();
    const sq = store.sqlite;
    sites = (sq.prepare("select id from sites order by kind = 'central_store' desc, code limit 3").all() as { id: string }[]).map((r) => r.id);
    devices = sq.prepare('select id, article_id from individuals order by article_id, id limit 8').all() as { id: string; article_id: string }[];
    expect(sites).toHaveLength(3);
    expect(new Set(devices.map((d) => d.article_id)).size).toBeGreaterThan(1);
    // Jobs from the register are kept for this station's own site: the central store's.
    if (!sq.prepare('select 1 from station').get()) sq.prepare("insert into station (singleton, id, name, site_id, created_at) values (1, 'st-test', 'Test', ?, 0)").run(sites[0]);
    else sq.prepare('update station set site_id = ?').run(sites[0]);
  });
  afterAll(() => store.close());

  it('are built by the upgrade from the jobs already there, and the stock and usage figures kept', () => {
    // A database as the release before left it: every migration but this one, with its jobs and aggregates.
    const full = defaultMigrationsFolder();
    const journal = JSON.parse(readFileSync(join(full, 'meta', '_journal.json'), 'utf8')) as { entries: { tag: string }[] };
    const before = journal.entries.filter((e) => !e.tag.startsWith('0039_'));
    const old = tempDir();
    mkdirSync(join(old, 'meta'));
    for (const e of before) cpSync(join(full, `${e.tag}.sql`), join(old, `${e.tag}.sql`));
    writeFileSync(join(old, 'meta', '_journal.json'), JSON.stringify({ ...journal, entries: before }));
    const dir = tempDir();
    const v = openStationDb({ dataDir: dir, migrationsFolder: old, quickCheck: 'skip' });
    seedDataset(v, TINY);
    refreshAggregates(v, 90, NOW);
    const aggregates = (s: StationDb) => ({
      stock: s.sqlite.prepare('select article_id, site_id, on_hand from stock_by_site order by 1, 2').all(),
      usage: s.sqlite.prepare('select article_id, site_id, quantity from usage_window order by 1, 2').all(),
    });
    const had = aggregates(v);
    expect(had.stock.length).toBeGreaterThan(0);
    expect(v.sqlite.prepare("select 1 from sqlite_master where name = 'service_queue_by_article'").get()).toBeUndefined();
    v.close();

    const now = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    expect(kept(now)).toEqual(fromScratch(now));
    expect(kept(now).queue.length).toBeGreaterThan(0);
    expect(kept(now).done.length).toBeGreaterThan(0);
    expect(aggregates(now)).toEqual(had);
    // Kept in their key's order: no rowid of their own.
    expect(() => now.sqlite.prepare('select rowid from stock_by_site').all()).toThrow(/no such column/);
    expect(() => now.sqlite.prepare('select rowid from usage_window').all()).toThrow(/no such column/);
    // The ledger still keeps them up to date from its watermark.
    expect(refreshAggregates(now, 90, NOW)).toBe(0);
    expect(aggregates(now)).toEqual(had);
    now.close();
  });

  it('stay equal to a count of the jobs through jobs opened, moved, finished, closed, reopened, removed and written by sync', () => {
    const sq = store.sqlite;
    let run = 0;
    let synced = 0;
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 40, size: 'medium' }), fc.integer({ min: 0, max: 100 * 24 }), (ops, sinceHours) => {
        run++;
        const id = (j: number) => `job-${run}-${j}`;
        for (const o of ops) {
          try {
            switch (o.op) {
              case 'open':
                sq.prepare(
                  `insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at, done_at, closed_at)
                   values (?, ?, ?, ?, ?, 'normal', ?, ?, ?, ?)`,
                ).run(id(o.job), devices[o.device]!.id, o.noArticle ? null : devices[o.device]!.article_id, sites[o.site], o.state, NOW - 200 * DAY, NOW, o.doneAt, o.closedAt);
                break;
              case 'state':
                sq.prepare('update service_jobs set state = ?, done_at = ? where id = ?').run(o.state, o.doneAt, id(o.job));
                break;
              case 'close':
                sq.prepare('update service_jobs set closed_at = ? where id = ?').run(o.at, id(o.job));
                break;
              case 'reopen':
                sq.prepare('update service_jobs set closed_at = null where id = ?').run(id(o.job));
                break;
              case 'move':
                sq.prepare('update service_jobs set site_id = ? where id = ?').run(sites[o.site], id(o.job));
                break;
              case 'delete':
                sq.prepare('delete from service_jobs where id = ?').run(id(o.job));
                break;
              case 'sync': {
                // As the register sends it: the whole job, upserted; an open one closes another open job of the device here.
                const d = devices[o.device]!;
                const data = {
                  id: id(o.job), individual_id: d.id, article_id: d.article_id, site_id: sites[o.site], state: o.state, priority: 'normal',
                  arrived_at: NOW - 200 * DAY, due_at: NOW, started_at: null, done_at: o.doneAt, taken_by: null, breached_at: null, closed_at: o.closedAt, events: [],
                };
                // The register has acknowledged what this station sent (an edit still on its way would keep the register's older copy out).
                sq.prepare("delete from outbox where kind = 'entities'").run();
                applyPull(store, { epoch: 'e', cursor: 0, head: 0, more: false, e: [['service_job', id(o.job), data]], m: [] });
                // This station keeps its own site's jobs only.
                if (o.site === 0) {
                  synced++;
                  expect(sq.prepare('select state, closed_at from service_jobs where id = ?').get(id(o.job))).toEqual({ state: o.state, closed_at: o.closedAt });
                }
                break;
              }
              case 'rollback':
                // A change undone with its transaction leaves the figures as they were.
                expect(() =>
                  sq.transaction(() => {
                    sq.prepare('update service_jobs set state = ?, done_at = ?, closed_at = null where id = ?').run(o.state, o.doneAt, id(o.job));
                    throw new Error('undone');
                  })(),
                ).toThrow('undone');
                break;
            }
          } catch (e) {
            // A second open job for one device, or a job whose steps refer to it, is refused and changes nothing.
            if (!/UNIQUE constraint failed|FOREIGN KEY constraint failed/.test(String(e))) throw e;
          }
        }
        expect(kept(store)).toEqual(fromScratch(store));
        // The pace from any moment (whole days from the figures, its own day from the jobs) and the pipeline built on it.
        const since = NOW - sinceHours * HOUR - 12_345;
        for (const site of sites)
          expect(jobsDone(store, site, since)).toEqual(
            sq.prepare("select coalesce(sum(state = 'ready'), 0) as ready, coalesce(sum(state = 'scrapped'), 0) as scrapped from service_jobs where site_id = ? and done_at >= ?").get(site, since),
          );
        const windowDays = Math.max(1, Math.round(sinceHours / 24));
        const now = NOW - 5 * HOUR;
        const ours = reconditioningPipeline(store, sites[0]!, now, windowDays);
        const theirs = pipelineFromScratch(store, sites[0]!, now, windowDays);
        for (const d of devices) for (const days of [1, 7, 14, 30]) expect(ours.readyWithin(d.article_id, days)).toBe(theirs.readyWithin(d.article_id, days));
      }),
      { numRuns: 150 },
    );
    expect(synced).toBeGreaterThan(100);
  });

  it('are applied after every earlier migration, in the order they were written', () => {
    const journal = JSON.parse(readFileSync(join(defaultMigrationsFolder(), 'meta', '_journal.json'), 'utf8')) as { entries: { idx: number; when: number; tag: string }[] };
    const ours = journal.entries.findIndex((e) => e.tag.startsWith('0039_'));
    expect(ours).toBeGreaterThan(0);
    // A migration is applied only when it was written after the last one a database has.
    journal.entries.forEach((e, i) => {
      const before = journal.entries[i - 1];
      if (!before) return;
      expect(e.idx).toBeGreaterThan(before.idx);
      expect(e.tag > before.tag).toBe(true);
      expect(e.when).toBeGreaterThan(before.when);
    });
  });
});
