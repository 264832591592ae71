/**
 * Sync on the large dataset: a register filled from it (kept in bench/.data/register-large),
 * a new station's first full pull over loopback HTTP from the register serving in a process of its
 * own (as on its server), an incremental pull of 1,000 changes, a
 * push of 10,000 queued movements, and the bytes per movement on the wire (gzip), counted by a
 * relay between station and register. Baselines from the same run: the register reading the
 * same full copy without sending it, and raw SQLite inserts of the same movements. The same push
 * and pull figures again with the register on PostgreSQL, when a server is named (see
 * `syncBenchPostgres`).
 */
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import pg from 'pg';
import { EventHub } from '../services/events';
import { enrolWithRegister, SyncEngine } from '../services/sync';
import { openStationDb, type StationDb } from '../db/open';
import { postMovements, type MovementInput } from '../db/stock/ledger';
import { Register } from '../register/register';
import { importFromStation } from '../register/seed';
import { insertRows } from '../register/sql';
import { openRegisterDb } from '../register/store';
import { startFaultProxy } from '../test/fault-proxy';
import { importBench } from './import';
import { startNode, stopChild } from './load';

type Record = (name: string, value: number, unit: string, target?: string) => void;

export async function syncBench(largeDir: string, record: Record): Promise<void> {
  const regDir = join(largeDir, '..', 'register-large');
  const marker = join(regDir, 'complete');
  if (!existsSync(marker)) {
    rmSync(regDir, { recursive: true, force: true });
    console.log('  filling a register from the large dataset (once)…');
    const t0 = performance.now();
    const register = await Register.open(await openRegisterDb({ dataDir: regDir }), { historyDays: 90 });
    const source = openStationDb({ dataDir: largeDir, quickCheck: 'skip' });
    await importFromStation(register, source);
    source.close();
    await register.close();
    writeFileSync(marker, '');
    record('register filled from the large dataset', (performance.now() - t0) / 1000, 's');
  }
  // Each run works on a copy, so every run starts from the same register.
  const runDir = join(largeDir, '..', 'register-run');
  const register = await openRegisterCopy(regDir, runDir);
  const server = await serveApart(register, runDir);
  const relay = await startFaultProxy(server.port);
  const work = join(largeDir, '..', 'sync-stations');
  rmSync(work, { recursive: true, force: true });
  const { station, a, b, aMoves } = await exchange(register, relay, work, record, '');

  // Baseline: the same 10,000 movements as raw inserts into a table shaped like the register's.
  const raw = openStationDb({ dataDir: join(work, 'raw'), quickCheck: 'skip' });
  raw.sqlite.exec('create table raw_movements as select * from movements where 0');
  const ins = raw.sqlite.prepare('insert into raw_movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, quantity, reason, to_location_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)');
  const rawMs = await timed(async () => raw.sqlite.transaction(() => aMoves.forEach((m, i) => ins.run(`raw-${i}`, 's', i + 1, 'u', 0, 0, m.articleId, m.quantity, m.reason, m.toLocationId)))());
  record('10,000 raw inserts, one transaction (baseline)', rawMs, 'ms');
  raw.close();

  // The region's own files at the size of the large dataset, then a station enrolled with all of it.
  await importBench(register, join(work, 'import'), record);
  const c = await station('bench-c');
  const enrolMs = await timed(() => c.engine.syncNow());
  record("enrolment of a new station after the import (the large dataset's master data and 300,000 imported devices)", enrolMs / 1000, 's');

  for (const s of [a, b, c]) {
    await s.engine.stop();
    s.store.close();
  }
  await relay.close();
  await server.close();
  await register.close();
  rmSync(work, { recursive: true, force: true });
  rmSync(runDir, { recursive: true, force: true });

  await syncBenchPostgres(largeDir, record);
}

/** The database server the PostgreSQL figures are measured on (its role may create databases), if one is named. */
export const benchDatabaseServer = (): string | undefined => process.env.REGISTER_BENCH_DATABASE_URL ?? process.env.REGISTER_TEST_DATABASE_URL;

async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

const databaseUrl = (server: string, name: string) => {
  const u = new URL(server);
  u.pathname = `/${name}`;
  return u.toString();
};

/**
 * The same push and pull figures with the register on PostgreSQL: a database filled from the
 * dataset once and kept (`depot_bench_<dataset folder>`), each run on a copy of it made by
 * PostgreSQL (`create database … template …`) and dropped after. Baselines from the same run: the
 * register reading the full copy without sending it, and the same 10,000 movements inserted raw
 * into a table shaped like the register's (its keys and indexes) on the same server, in one
 * transaction, in as few statements as the register itself uses.
 */
export async function syncBenchPostgres(dataDir: string, record: Record): Promise<void> {
  const server = benchDatabaseServer();
  if (!server) {
    console.log('  PostgreSQL: skipped (set REGISTER_BENCH_DATABASE_URL to a PostgreSQL server whose role may create databases)');
    return;
  }
  console.log('Sync with the register on PostgreSQL');
  const kept = `depot_bench_${basename(dataDir).toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
  const run = `${kept}_run`;
  const filled = await onServer(server, async (c) => (await c.query('select 1 from pg_database where datname = $1', [kept])).rowCount === 1).then((exists) =>
    exists ? onServer(databaseUrl(server, kept), async (c) => (await c.query("select 1 from meta where key = 'bench_complete'").catch(() => ({ rowCount: 0 }))).rowCount === 1) : false,
  );
  if (!filled) {
    console.log('  filling a PostgreSQL register from the dataset (once)…');
    await onServer(server, (c) => c.query(`drop database if exists ${kept} with (force)`));
    await onServer(server, (c) => c.query(`create database ${kept}`));
    const t0 = performance.now();
    const register = await Register.open(await openRegisterDb({ databaseUrl: databaseUrl(server, kept) }), { historyDays: 90 });
    const source = openStationDb({ dataDir, quickCheck: 'skip' });
    await importFromStation(register, source);
    source.close();
    await register.db.run("insert into meta (key, value) values ('bench_complete', '1')");
    await register.close();
    record('register filled from the large dataset on PostgreSQL', (performance.now() - t0) / 1000, 's');
  }
  // Each run works on a copy, so every run starts from the same register.
  await onServer(server, (c) => c.query(`drop database if exists ${run} with (force)`));
  await onServer(server, (c) => c.query(`create database ${run} template ${kept}`));
  const register = await Register.open(await openRegisterDb({ databaseUrl: databaseUrl(server, run) }), { historyDays: 90 });
  const work = join(dataDir, '..', 'sync-stations-pg');
  rmSync(work, { recursive: true, force: true });
  const http = await serveApart(register, join(work, 'register'), databaseUrl(server, run));
  const relay = await startFaultProxy(http.port);
  try {
    const { a, b, aMoves, pushMs } = await exchange(register, relay, work, record, ' on PostgreSQL');
    for (const s of [a, b]) {
      await s.engine.stop();
      s.store.close();
    }
    // Baseline: the same 10,000 movements inserted raw on the same server, one transaction, into a table with the register's keys and indexes.
    await register.db.run('create table raw_movements (like movements including all)');
    const rows = aMoves.map((m, i) => [`raw-${i}`, 's', i + 1, 'u', 0, 0, m.articleId, m.quantity, m.reason, m.toLocationId, i + 1]);
    const rawMs = await timed(() =>
      register.db.tx((q) => insertRows(q, 'insert into raw_movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, quantity, reason, to_location_id, rev)', 11, rows)),
    );
    record('10,000 raw inserts, one transaction (baseline) on PostgreSQL', rawMs, 'ms');
    record('push of 10,000 vs raw inserts on PostgreSQL', pushMs / rawMs, '×');
  } finally {
    await relay.close();
    await http.close();
    await register.close();
    rmSync(work, { recursive: true, force: true });
    await onServer(server, (c) => c.query(`drop database if exists ${run} with (force)`));
  }
}

type Relay = Awaited<ReturnType<typeof startFaultProxy>>;

/**
 * What both stores are measured on, the same way: the register reading a full copy (baseline), a
 * new station's first full pull, an incremental pull of 1,000 changes another station posted, and
 * a push of 10,000 queued movements, with the bytes on the wire. `suffix` names the store.
 */
async function exchange(register: Register, relay: Relay, work: string, record: Record, suffix: string) {
  const [site] = await register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like '%\"code\":\"BOD\"%'");
  const station = async (name: string) => {
    const store = openStationDb({ dataDir: join(work, name), quickCheck: 'skip' });
    await enrolWithRegister(store, relay.url, await register.createEnrolmentCode({ stationName: name, siteId: site!.id }));
    return { store, engine: new SyncEngine(store, new EventHub(), { batchMovements: 10_000 }) };
  };

  // Baseline: the register reads the whole copy it would send, and sends nothing.
  let rows = 0;
  const readMs = await timed(() => register.snapshotBatches({ header: () => undefined, batch: (b) => void (rows += b.k === 'e' ? b.ids.length : b.rows.length) }));
  record(`full copy read by the register, not sent (baseline)${suffix}`, readMs, 'ms');

  const a = await station('bench-a');
  const before = relay.stats.bytesDown;
  const fullMs = await timed(() => a.engine.syncNow());
  record(`first full pull of the large dataset (${rows.toLocaleString('en')} rows, columnar frames over HTTP, applied)${suffix}`, fullMs / 1000, 's', suffix ? '' : '≤ 30 s');
  record(`first full pull, bytes on the wire (columnar frames, brotli)${suffix}`, (relay.stats.bytesDown - before) / 1024 / 1024, 'MiB');
  record(`first full pull vs the register's read${suffix}`, fullMs / readMs, '×', suffix ? '' : '≤ 1.5×');

  // Another station posts 1,000 movements; the first pulls them.
  const b = await station('bench-b');
  await b.engine.syncNow();
  const bMoves = moves(b.store, 1_000);
  postOneByOne(b.store, bMoves);
  await b.engine.push();
  const down = relay.stats.bytesDown;
  const incMs = await timed(() => a.engine.pull());
  record(`incremental pull of 1,000 changes${suffix}`, incMs, 'ms', '≤ 500 ms');
  record(`incremental pull, bytes per movement (gzip)${suffix}`, (relay.stats.bytesDown - down) / 1_000, 'B');

  // 10,000 movements queued while offline, as 10,000 postings of one scan each, then pushed.
  const aMoves = moves(a.store, 10_000);
  postOneByOne(a.store, aMoves);
  const up = relay.stats.bytesUp;
  const pushMs = await timed(() => a.engine.push());
  record(`push of 10,000 queued movements${suffix}`, pushMs, 'ms', '≤ 5000 ms');
  record(`push, bytes per movement (gzip)${suffix}`, (relay.stats.bytesUp - up) / 10_000, 'B');
  return { station, a, b, aMoves, pushMs };
}

async function timed(f: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await f();
  return performance.now() - t;
}

/** Bulk stock moved back and forth between two of the station's shelves. */
function moves(store: StationDb, n: number): MovementInput[] {
  const line = store.sqlite
    .prepare(
      `select b.article_id as articleId, b.location_id as a, nullif(b.lot, '') as lot from balances b join locations l on l.id = b.location_id join station s on s.site_id = l.site_id
       where b.quantity > 0 and l.kind = 'shelf' and b.lot = '' and not exists (select 1 from individuals i where i.article_id = b.article_id) limit 1`,
    )
    .get() as { articleId: string; a: string; lot: null };
  const other = (store.sqlite.prepare("select l.id from locations l join station s on s.site_id = l.site_id where l.kind = 'shelf' and l.id <> ? and l.level = 'bin' limit 1").get(line.a) as { id: string }).id;
  return Array.from({ length: n }, (_, i) => ({ articleId: line.articleId, fromLocationId: i % 2 ? other : line.a, toLocationId: i % 2 ? line.a : other, quantity: 1, reason: 'move' as const }));
}

function postOneByOne(store: StationDb, inputs: MovementInput[]): void {
  const actor = {
    stationId: (store.sqlite.prepare('select id from station').get() as { id: string }).id,
    userId: (store.sqlite.prepare('select id from users where active = 1 limit 1').get() as { id: string }).id,
  };
  for (const m of inputs) postMovements(store, actor, [m], 'moving');
}

/**
 * The register serving `register`'s database from a process of its own (`register/main.ts serve`),
 * as it does on its server: a station's first copy then arrives while the station saves it, each
 * on its own core. `register` stays open here for the baselines and enrolment codes. The dataset's
 * PINs were hashed with a pepper kept nowhere, so the run's register takes a new one (nobody signs
 * in during a benchmark).
 */
export async function serveApart(register: Register, dataDir: string, databaseUrl = ''): Promise<{ port: number; pid: number; close(): Promise<void> }> {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const pepperFile = join(dataDir, 'register.pepper');
  writeFileSync(pepperFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  await register.db.run("delete from meta where key = 'pin_key_mark'");
  const node = await startNode(databaseUrl, dataDir, pepperFile);
  return { port: node.port, pid: node.child.pid!, close: () => stopChild(node.child) };
}

/**
 * The register filled from the large dataset (`regDir`), copied into `runDir` and opened there, so
 * every run starts from the same register: its database with its key, both owner-only as the
 * register requires.
 */
export async function openRegisterCopy(regDir: string, runDir: string): Promise<Register> {
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  for (const f of ['register.sqlite', 'register.key'])
    if (existsSync(join(regDir, f))) {
      copyFileSync(join(regDir, f), join(runDir, f));
      chmodSync(join(runDir, f), 0o600);
    }
  return Register.open(await openRegisterDb({ dataDir: runDir }), { historyDays: 90 });
}
