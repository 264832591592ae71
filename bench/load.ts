/**
 * The register under load: simulated stations syncing at once against two register processes
 * (stateless HTTP nodes, as behind a load balancer) sharing one PostgreSQL database.
 *
 * Each station is a real station database (SQLite, a small file of its own) with the real sync
 * engine, enrolled over HTTP and filled by its first full copy; then, for the time given, it posts
 * stock moves locally and syncs (push, pull, its audit trail) round after round. Between stations
 * and nodes runs a balancer in a process of its own (bench/balancer.mjs) that sends each station's
 * calls of one kind to the nodes in turn, so its pushes alternate between the two, loses the answer
 * to each station's every k-th push (the node committed; the station never hears), and measures
 * each call from its arrival to the node's full answer. After the run every station syncs until
 * the register has acknowledged all it made, and the register is checked: each station's every
 * movement there exactly once, and stock equal to the ledger.
 *
 * `npm run bench -- --load [--stations 200] [--seconds 60]` runs it on the database server named
 * by REGISTER_BENCH_DATABASE_URL (or REGISTER_TEST_DATABASE_URL), in a database of its own that it
 * makes afresh and drops after; test/register/load.test.ts runs a smaller one in CI.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { seedDataset, type DatasetSize } from '../db/demo/generate';
import { copyStation, openStationDb, type StationDb } from '../db/open';
import { pinPepper } from '../db/pepper';
import { postMovements, type MovementInput } from '../db/stock/ledger';
import { syncLink } from '../db/sync/link';
import { outboxBatch } from '../db/sync/outbox';
import { EventHub } from '../services/events';
import { enrolWithRegister, SyncEngine } from '../services/sync';
import { Register } from '../register/register';
import { importFromStation } from '../register/seed';
import { openRegisterDb } from '../register/store';
import { benchDatabaseServer } from './sync';

const root = join(import.meta.dirname, '..');

/** The region the stations work in: three sites, a few dozen articles. */
export const LOAD_DATASET: DatasetSize = { sites: 3, articles: 24, individuals: 40, locations: 90, movements: 600 };

export interface LoadOptions {
  /** A PostgreSQL database the run may fill (new and empty, or one the register has made). */
  databaseUrl: string;
  stations: number;
  seconds: number;
  /** Each station's every `lossEvery`-th push loses its answer (0: none). */
  lossEvery?: number;
  /** Each station's pause between rounds. */
  thinkMs?: number;
  /** Rounds each station makes at the least, however long they take (so every station meets a lost answer). */
  minRounds?: number;
  log?: (line: string) => void;
}

export interface CallFigures {
  count: number;
  statuses: Record<string, number>;
  p50: number;
  p99: number;
  max: number;
}

export interface LoadReport {
  stations: number;
  nodes: number;
  /** How long the stations worked, from the first round's start to the last round's end. */
  ms: number;
  rounds: number;
  /** Movements the stations posted in that time. */
  movements: number;
  /** Calls in that time by kind (push, pull, audit…), as the balancer saw them. */
  calls: Record<string, CallFigures>;
  /** Answers the stations never heard (the node had committed). */
  lostAcks: number;
  /**
   * Answers other than 200 (409, a gap, counted apart), calls the balancer could not pass on, and
   * stations' rounds that failed other than through a lost answer (a lost answer fails a round only
   * when the call the station sends again on a new connection is lost too).
   */
  errors: number;
  /** Stations' rounds that failed (after their first copy). */
  failedRounds: number;
  gaps: number;
  /** Stations whose own pushes went to more than one node. */
  alternated: number;
  check: {
    /** Movements the stations made, all of them. */
    made: number;
    /** Of those, not in the register. */
    missing: number;
    /** In the register as a load station's, but not made by it (or twice). */
    extra: number;
    /** Stations whose last entry the register has not acknowledged. */
    unacknowledged: number;
    ledgerOk: boolean;
  };
  /** What the nodes wrote to their error output. */
  nodeErrors: string[];
}

interface Node {
  port: number;
  child: ChildProcess;
  errors: string[];
}

/**
 * A register node: `register/main.ts serve` in a process of its own, on PostgreSQL (on SQLite in
 * `dataDir` when `databaseUrl` is empty), on a free port, with any further options in `args`.
 */
export async function startNode(databaseUrl: string, dataDir: string, pepperFile: string, args: readonly string[] = []): Promise<Node> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'register', 'main.ts'), 'serve', '--port', '0', '--data-dir', dataDir, '--pepper-file', pepperFile, '--trust-proxy', '127.0.0.1', ...args], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const errors: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (d: string) => errors.push(d));
  const port = await new Promise<number>((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.on('line', (line) => {
      const m = /register on http:\/\/127\.0\.0\.1:(\d+)/.exec(line);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`a register node stopped at start (${code}): ${errors.join('')}`)));
  });
  return { port, child, errors };
}

export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

interface Balancer {
  url: string;
  ask<T>(command: 'stats' | 'reset'): Promise<T>;
  close(): Promise<void>;
}

async function startBalancer(lossEvery: number, ports: number[]): Promise<Balancer> {
  const child = spawn(process.execPath, [join(root, 'bench', 'balancer.mjs'), String(lossEvery), ...ports.map(String)], { stdio: ['pipe', 'pipe', 'inherit'] });
  const waiting: ((v: Record<string, unknown>) => void)[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => waiting.shift()?.(JSON.parse(line) as Record<string, unknown>));
  const next = () => new Promise<Record<string, unknown>>((resolve) => waiting.push(resolve));
  const { url } = (await next()) as { url: string };
  return {
    url,
    async ask<T>(command: 'stats' | 'reset') {
      const answer = next();
      child.stdin!.write(`${command}\n`);
      return (await answer)[command] as T;
    },
    close: () => stopChild(child),
  };
}

interface Station {
  id: string;
  store: StationDb;
  engine: SyncEngine;
  events: EventHub;
  post(): boolean;
}

/** A station's two moves a round: one of its site's bulk lines to another place on the floor and back. */
function stationWork(store: StationDb, stationId: string, index: number): () => boolean {
  const site = (store.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;
  const lines = store.sqlite
    .prepare(
      `select b.article_id as articleId, b.location_id as locationId from balances b join locations l on l.id = b.location_id
       where l.site_id = ? and l.kind in ('shelf', 'floor') and b.quantity > 0 and b.lot = '' and not exists (select 1 from individuals i where i.article_id = b.article_id)
       order by b.quantity desc, b.article_id, b.location_id`,
    )
    .all(site) as { articleId: string; locationId: string }[];
  const shelves = store.sqlite.prepare("select id from locations where site_id = ? and kind in ('shelf', 'floor') and retired_at is null order by id").all(site) as { id: string }[];
  if (lines.length === 0 || shelves.length < 2) throw new Error(`no stock to move at station ${stationId}`);
  const line = lines[index % lines.length]!;
  const other = shelves.find((s) => s.id !== line.locationId)!.id;
  const user = (store.sqlite.prepare('select id from users where active = 1 order by id limit 1').get() as { id: string }).id;
  const move = (from: string, to: string): MovementInput => ({ articleId: line.articleId, fromLocationId: from, toLocationId: to, quantity: 1, reason: 'move' });
  return () => {
    try {
      postMovements(store, { stationId, userId: user }, [move(line.locationId, other)], 'moving');
      postMovements(store, { stationId, userId: user }, [move(other, line.locationId)], 'moving');
      return true;
    } catch {
      // Refused here (what others moved left too little on the shelf): nothing to send.
      return false;
    }
  };
}

/** Runs `fn` over `items`, `width` at a time. */
async function inTurn<T, R>(items: readonly T[], width: number, fn: (item: T, i: number) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!, i);
      }
    }),
  );
  return out;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runLoad(options: LoadOptions): Promise<LoadReport> {
  const { databaseUrl, stations: count, seconds } = options;
  const lossEvery = options.lossEvery ?? 3;
  const thinkMs = options.thinkMs ?? 100;
  const minRounds = options.minRounds ?? Math.max(lossEvery, 2);
  const log = options.log ?? (() => undefined);
  const work = mkdtempSync(join(tmpdir(), 'depot-load-'));
  const nodes: Node[] = [];
  let balancer: Balancer | null = null;
  const stations: Station[] = [];
  let register: Register | null = null;
  try {
    // The register's data: a small region, its users' PINs under the pepper every node is given.
    const source = openStationDb({ dataDir: join(work, 'source'), quickCheck: 'skip' });
    seedDataset(source, LOAD_DATASET);
    const pepper = pinPepper(source, { linked: false });
    register = await Register.open(await openRegisterDb({ databaseUrl }), { pinPepper: pepper });
    await importFromStation(register, source);
    source.close();
    const keys = join(work, 'keys');
    mkdirSync(keys, { mode: 0o700 });
    chmodSync(keys, 0o700);
    const pepperFile = join(keys, 'register.pepper');
    writeFileSync(pepperFile, pepper.toString('hex'), { mode: 0o600 });

    // Two nodes, started together.
    nodes.push(...(await Promise.all([1, 2].map((i) => startNode(databaseUrl, join(work, `node-${i}`), pepperFile)))));
    balancer = await startBalancer(lossEvery, nodes.map((n) => n.port));
    log(`  two register nodes on ports ${nodes.map((n) => n.port).join(' and ')}, balancer ${balancer.url}`);

    // The stations, enrolled over HTTP and filled by their first full copy, a few at a time. Each
    // starts as a copy of one new, empty station database (made once: its schema takes a while).
    const template = join(work, 'empty-station');
    openStationDb({ dataDir: template, quickCheck: 'skip' }).close();
    const sites = (await register.db.all<{ id: string }>("select id from entities where kind = 'site' and deleted = 0 order by id")).map((s) => s.id);
    const t0 = performance.now();
    /** Rounds that failed at each station after its first copy: a lost answer may fail one, and nothing else may. */
    const failedRounds = new Map<string, number>();
    const round = async (s: Station) => {
      await s.engine.syncNow();
      if (s.engine.status().lastError) failedRounds.set(s.id, (failedRounds.get(s.id) ?? 0) + 1);
    };
    stations.push(
      ...(await inTurn(
        Array.from({ length: count }, (_, i) => i),
        8,
        async (i) => {
          const dir = join(work, `station-${i}`);
          mkdirSync(dir, { mode: 0o700 });
          copyStation(template, dir);
          const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
          const code = await register!.createEnrolmentCode({ stationName: `Last ${i + 1}`, siteId: sites[i % sites.length]! });
          const { stationId } = await enrolWithRegister(store, balancer!.url, code);
          const events = new EventHub();
          const engine = new SyncEngine(store, events, { minDelayMs: 50, maxDelayMs: 1_000, requestTimeoutMs: 120_000 });
          await engine.syncNow();
          const status = engine.status();
          if (status.lastError) throw new Error(`station ${i + 1} could not get its first copy: ${status.lastError.en}`);
          failedRounds.set(stationId, 0);
          return { id: stationId, store, engine, events, post: stationWork(store, stationId, Math.floor(i / sites.length)) };
        },
      )),
    );
    log(`  ${count} stations enrolled and filled in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

    // The run: every station posts and syncs, round after round.
    await balancer.ask('reset');
    const started = performance.now();
    const end = started + seconds * 1000;
    let rounds = 0;
    let movements = 0;
    await Promise.all(
      stations.map(async (s, i) => {
        // Spread over the first think time, as stations would be.
        await sleep((i * thinkMs) / count);
        for (let r = 0; performance.now() < end || r < minRounds; r++) {
          if (s.post()) movements += 2;
          await round(s);
          rounds++;
          await sleep(thinkMs);
        }
      }),
    );
    const ms = performance.now() - started;
    const stats = await balancer.ask<{ kinds: Record<string, CallFigures>; lostAcks: number; failed: number }>('stats');
    log(`  ran ${(ms / 1000).toFixed(1)} s; the stations now send what is left`);

    // Every station sends what it has left until the register has acknowledged all of it (answers are still lost now and then).
    await Promise.all(
      stations.map(async (s) => {
        for (let i = 0; i < 50 && outboxBatch(s.store, syncLink(s.store)!.acked).length > 0; i++) await round(s);
      }),
    );
    const all = await balancer.ask<{ kinds: Record<string, CallFigures>; lostAcks: number; failed: number; alternated: number }>('stats');

    // The check: each station's movements in the register exactly once, and stock equal to the ledger.
    let made = 0;
    let missing = 0;
    let extra = 0;
    let unacknowledged = 0;
    const acked = new Map((await register.stations()).map((s) => [s.id, s.lastApplied]));
    for (const s of stations) {
      const mine = new Set((s.store.sqlite.prepare('select id from movements where station_id = ?').all(s.id) as { id: string }[]).map((r) => r.id));
      const held = (await register.db.all<{ id: string }>('select id from movements where station_id = $1', [s.id])).map((r) => r.id);
      made += mine.size;
      missing += [...mine].filter((id) => !held.includes(id)).length;
      extra += held.length - held.filter((id) => mine.has(id)).length;
      const last = (s.store.sqlite.prepare('select coalesce(max(seq), 0) as n from outbox').get() as { n: number }).n;
      if (acked.get(s.id) !== last || syncLink(s.store)!.acked !== last) unacknowledged++;
    }
    const ledger = await register.verifyLedger();

    const statusesOf = (kinds: Record<string, CallFigures>) => Object.values(kinds).flatMap((k) => Object.entries(k.statuses));
    const failed = [...failedRounds.values()].reduce((n, c) => n + c, 0);
    // Calls that failed as the balancer saw them, and rounds that failed at a station for any other
    // reason than a lost answer (more failed rounds than lost answers; a lost answer is mostly made
    // good at once, the call sent again on a new connection).
    const errors = statusesOf(all.kinds).filter(([code]) => code !== '200' && code !== '409').reduce((n, [, c]) => n + c, 0) + all.failed + Math.max(0, failed - all.lostAcks);
    const gaps = statusesOf(all.kinds).filter(([code]) => code === '409').reduce((n, [, c]) => n + c, 0);
    return {
      stations: count,
      nodes: nodes.length,
      ms,
      rounds,
      movements,
      calls: stats.kinds,
      lostAcks: all.lostAcks,
      errors,
      failedRounds: failed,
      gaps,
      alternated: all.alternated,
      check: { made, missing, extra, unacknowledged, ledgerOk: ledger.ok },
      nodeErrors: nodes.flatMap((n) => n.errors),
    };
  } finally {
    for (const s of stations) {
      await s.engine.stop();
      s.store.close();
    }
    await balancer?.close();
    await Promise.all(nodes.map((n) => stopChild(n.child)));
    await register?.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** A new, empty database `name` on the server `serverUrl` names (dropped first if it is there); its URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = async (sql: string) => {
    const c = new pg.Client({ connectionString: serverUrl });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await admin(`drop database if exists ${name} with (force)`);
  await admin(`create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => admin(`drop database if exists ${name} with (force)`) };
}

/** The report as lines for the bench's table and the README. */
export function describeLoad(r: LoadReport): string[] {
  const s = r.ms / 1000;
  const lines = [
    `${r.stations} stations, ${r.nodes} register nodes on one PostgreSQL database, ${s.toFixed(1)} s: ${r.rounds} rounds, ${r.movements} movements posted`,
    `throughput: ${(r.movements / s).toFixed(0)} movements/s, ${((r.calls.push?.count ?? 0) / s).toFixed(0)} pushes/s, ${(Object.values(r.calls).reduce((n, k) => n + k.count, 0) / s).toFixed(0)} calls/s`,
    ...Object.entries(r.calls)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([kind, k]) => `  ${kind}: ${k.count} calls, p50 ${k.p50.toFixed(1)} ms, p99 ${k.p99.toFixed(1)} ms, max ${k.max.toFixed(1)} ms`),
    `lost answers ${r.lostAcks} (rounds failed at the stations ${r.failedRounds}), errors ${r.errors}, gaps ${r.gaps}; stations whose pushes alternated between the nodes ${r.alternated}`,
    `exactly once: ${r.check.made} movements made, ${r.check.missing} missing, ${r.check.extra} extra, ${r.check.unacknowledged} stations unacknowledged; stock equals the ledger: ${r.check.ledgerOk}`,
  ];
  return lines;
}

type RecordFigure = (name: string, value: number, unit: string, target?: string) => void;

/** `npm run bench -- --load`: the load test on a database of its own, made afresh and dropped after; its figures recorded. */
export async function loadBench(record: RecordFigure, options: { stations: number; seconds: number }): Promise<void> {
  const server = benchDatabaseServer();
  if (!server) {
    console.log('Load test: skipped (set REGISTER_BENCH_DATABASE_URL to a PostgreSQL server whose role may create databases)');
    return;
  }
  console.log(`Load test: ${options.stations} stations for ${options.seconds} s against two register nodes on PostgreSQL`);
  const db = await freshDatabase(server, 'depot_bench_load');
  try {
    const r = await runLoad({ databaseUrl: db.url, ...options, log: console.log });
    for (const line of describeLoad(r)) console.log(`  ${line}`);
    const s = r.ms / 1000;
    record(`load: movements pushed per second (${r.stations} stations, 2 nodes)`, r.movements / s, 'movements/s');
    record(`load: pushes per second (${r.stations} stations, 2 nodes)`, (r.calls.push?.count ?? 0) / s, 'pushes/s');
    record(`load: calls per second (${r.stations} stations, 2 nodes)`, Object.values(r.calls).reduce((n, k) => n + k.count, 0) / s, 'calls/s');
    for (const kind of ['push', 'pull', 'audit']) {
      const k = r.calls[kind];
      if (!k) continue;
      record(`load: ${kind} p50`, k.p50, 'ms');
      record(`load: ${kind} p99`, k.p99, 'ms');
    }
    record('load: errors', r.errors + r.nodeErrors.length, 'calls', '0');
    record('load: answers lost (the node committed)', r.lostAcks, 'calls');
    record('load: movements not in the register exactly once', r.check.missing + r.check.extra + r.check.unacknowledged, 'movements', '0');
    record('load: stock equals the ledger', r.check.ledgerOk ? 1 : 0, 'yes', '1');
    if (r.errors > 0 || r.nodeErrors.length > 0 || r.check.missing + r.check.extra + r.check.unacknowledged > 0 || !r.check.ledgerOk) {
      console.error(r.nodeErrors.join(''));
      process.exitCode = 1;
    }
  } finally {
    await db.drop();
  }
}
