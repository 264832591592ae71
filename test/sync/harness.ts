/**
 * Registers and stations for the sync tests: a register filled from the tiny dataset, on SQLite
 * or on a fresh PostgreSQL database (when REGISTER_TEST_DATABASE_URL names a server whose role may
 * create databases), and empty stations enrolled with it.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, expect } from 'vitest';
import pg from 'pg';
import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine, type SyncOptions } from '../../services/sync';
import { openStationDb, type StationDb } from '../../db/open';
import { applyPull } from '../../db/sync/apply';
import { syncLink } from '../../db/sync/link';
import { readHeaderFrame, SNAPSHOT_COLUMNS_2_CONTENT_TYPE } from '../../db/sync/columns';
import { copyScope } from '../../db/sync/scope';
import { outboxBatch, recordPushed } from '../../db/sync/outbox';
import type { PushResponse } from '../../db/sync/wire';
import { postMovements, type MovementInput } from '../../db/stock/ledger';
import { serveRegister, type RunningRegister } from '../../register/http';
import { Register, type RegisterOptions } from '../../register/register';
import { pinPepper } from '../../db/pepper';
import { importFromStation } from '../../register/seed';
import { openRegisterDb, type RegisterDbOptions } from '../../register/store';
import { ownerOf, tempDir, tinyStore } from '../helpers';

export const PG_URL = process.env.REGISTER_TEST_DATABASE_URL;
// CI runs the register's tests on both stores; a missing PostgreSQL there is a failure, not a skip.
if (process.env.CI && !PG_URL) throw new Error('REGISTER_TEST_DATABASE_URL is not set: the register tests need PostgreSQL in CI');
export const STORES = PG_URL ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const);
export type StoreKind = 'sqlite' | 'postgres';

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** Where a new, empty register database lives. */
export async function registerDbOptions(kind: StoreKind): Promise<RegisterDbOptions> {
  if (kind === 'sqlite') return { dataDir: tempDir('register-') };
  const name = `depot_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  cleanups.push(async () => {
    const a = new pg.Client({ connectionString: PG_URL });
    await a.connect();
    await a.query(`drop database if exists ${name} with (force)`);
    await a.end();
  });
  const url = new URL(PG_URL!);
  url.pathname = `/${name}`;
  return { databaseUrl: url.toString() };
}

export interface TestRegister {
  register: Register;
  options: RegisterDbOptions;
  server: RunningRegister;
  /** Stops serving and closes the database (the data stays). */
  stop(): Promise<void>;
  /** Opens the same database again and serves it on the same port. */
  restart(): Promise<void>;
}

/**
 * Another node of a register on PostgreSQL, writing at the same time: it runs `hold` first in a
 * transaction of its own (taking a row a writer here needs, such as the counter that orders every
 * writer), starts each write here, waits until that many sessions wait on a lock (seen in
 * pg_stat_activity, never timed), runs `meanwhile` in its transaction and commits. Answers how each
 * write here ended.
 */
export async function whileAnotherNodeWrites<T>(
  reg: TestRegister,
  hold: string,
  writes: readonly (() => Promise<T>)[],
  meanwhile: (other: pg.Client, held: Record<string, unknown>[]) => Promise<void> = async () => undefined,
): Promise<PromiseSettledResult<T>[]> {
  const other = new pg.Client({ connectionString: (reg.options as { databaseUrl: string }).databaseUrl });
  await other.connect();
  try {
    await other.query('begin');
    const held = (await other.query(hold)).rows as Record<string, unknown>[];
    const ended = Promise.allSettled(writes.map((w) => w()));
    for (let waited = 0; ; waited++) {
      // Inside a transaction the statistics views keep the snapshot first read: cleared for a fresh look.
      await other.query('select pg_stat_clear_snapshot()');
      const waiting = await other.query("select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'");
      if ((waiting.rows[0] as { n: number }).n >= writes.length) break;
      if (waited > 3_000) throw new Error('the writes never waited for the other node');
      await new Promise((r) => setTimeout(r, 10));
    }
    await meanwhile(other, held);
    await other.query('commit');
    return await ended;
  } finally {
    await other.end();
  }
}

/** A register holding the tiny dataset, served on 127.0.0.1. */
export async function tinyRegister(kind: StoreKind, registerOptions: RegisterOptions = {}): Promise<TestRegister> {
  const options = await registerDbOptions(kind);
  const source = tinyStore();
  // The register's PIN pepper is the one the tiny dataset's PINs were hashed with.
  const withPepper: RegisterOptions = { pinPepper: pinPepper(source, { linked: false }), ...registerOptions };
  let register = await Register.open(await openRegisterDb(options), withPepper);
  await importFromStation(register, source);
  source.close();
  let server = await serveRegister(register);
  const port = server.port;
  let up = true;
  const t: TestRegister = {
    get register() {
      return register;
    },
    options,
    get server() {
      return server;
    },
    async stop() {
      if (!up) return;
      up = false;
      await server.close();
      await register.close();
    },
    async restart() {
      await t.stop();
      register = await Register.open(await openRegisterDb(options), withPepper);
      server = await serveRegister(register, { port });
      up = true;
    },
  };
  cleanups.push(() => t.stop());
  return t;
}

export interface TestStation {
  store: StationDb;
  events: EventHub;
  engine: SyncEngine;
  stationId: string;
  dir: string;
  /** Posts movements as the station's first active user. */
  post(inputs: MovementInput[]): void;
  close(): Promise<void>;
}

export const FAST: SyncOptions = { intervalMs: 200, minDelayMs: 20, maxDelayMs: 300, requestTimeoutMs: 5_000 };

/** An empty station enrolled with the register (through `url`, e.g. a fault proxy) and filled by its first sync. */
export async function enrolledStation(register: Register, url: string, options: { site?: number; sync?: SyncOptions; start?: boolean } = {}): Promise<TestStation> {
  const sites = await register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id");
  const site = sites[(options.site ?? 0) % sites.length];
  const code = await register.createEnrolmentCode({ stationName: `Test ${randomBytes(2).toString('hex')}`, siteId: site!.id });
  const dir = tempDir('station-');
  const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  const events = new EventHub();
  const enrolment = await enrolWithRegister(store, url, code);
  const engine = new SyncEngine(store, events, { ...FAST, ...options.sync });
  await engine.syncNow();
  if (options.start !== false) engine.start();
  const user = store.sqlite.prepare('select id from users where active = 1 order by id limit 1').get() as { id: string };
  const s: TestStation = {
    store,
    events,
    engine,
    stationId: enrolment.stationId,
    dir,
    post: (inputs) => {
      postMovements(store, { userId: user.id, stationId: enrolment.stationId }, inputs, ownerOf(inputs[0]!.reason));
      events.emit({ type: 'stock.changed', articleIds: [], movementCount: inputs.length });
    },
    async close() {
      await engine.stop();
      store.close();
    },
  };
  cleanups.push(async () => {
    await engine.stop();
    store.close();
  });
  return s;
}

/** Stock as a station sees it, keyed like `Register.stock()`. */
export function stationStock(store: StationDb): Map<string, number> {
  const rows = store.sqlite.prepare('select article_id, location_id, lot, quantity from balances where quantity <> 0').all() as {
    article_id: string;
    location_id: string;
    lot: string;
    quantity: number;
  }[];
  return new Map(rows.map((b) => [`${b.article_id}|${b.location_id}|${b.lot}`, b.quantity]));
}

/**
 * The register's stock as a station's copy holds it: all of it, or, for a depot's own copy, the
 * balances of its site's places only.
 */
export function heldStock(store: StationDb, stock: Map<string, number>): Map<string, number> {
  const scope = copyScope(store);
  if (scope === null) return stock;
  const places = new Set((store.sqlite.prepare('select id from locations where site_id = ?').all(scope) as { id: string }[]).map((r) => r.id));
  return new Map([...stock].filter(([key]) => places.has(key.split('|')[1]!)));
}

/**
 * Whether a station's copy holds a device, checking that it does when it must: every station of the
 * whole region's copy holds every device, and a depot's own copy every device the register has at its site.
 */
export function holdsDevice(store: StationDb, id: string, registerSite: unknown): boolean {
  const held = store.sqlite.prepare('select 1 from individuals where id = ?').get(id) !== undefined;
  const scope = copyScope(store);
  if (scope === null || registerSite === scope) expect(held, `${id} is held at the station`).toBe(true);
  return held;
}

/** A bulk article's stock somewhere at the station: something that can be moved around. */
export function movableStock(store: StationDb, siteId?: string): { articleId: string; locationId: string; lot: string | null; quantity: number }[] {
  return (
    store.sqlite
      .prepare(
        `select b.article_id as articleId, b.location_id as locationId, nullif(b.lot, '') as lot, b.quantity from balances b
         join locations l on l.id = b.location_id
         where b.quantity > 0 and l.retired_at is null and ($site is null or l.site_id = $site)
           and not exists (select 1 from individuals i where i.article_id = b.article_id)
         order by b.quantity desc`,
      )
      .all({ site: siteId ?? null }) as { articleId: string; locationId: string; lot: string | null; quantity: number }[]
  );
}

/**
 * Drives one station's half of the protocol by hand, step by step, against a register object (no
 * HTTP): a push whose answer may be lost, and one pull of a page. `register` is asked each time,
 * so a test may restart it in between.
 */
export function stepByStep(register: () => Register, store: () => StationDb, token: string) {
  const station = async () => (await register().authenticate(token))!;
  return {
    /** Pushes the next entries; returns the register's answer, which the station never hears when `lose`. */
    async push(lose: boolean, max = 50): Promise<PushResponse | null> {
      const entries = outboxBatch(store(), syncLink(store())!.acked, max);
      if (entries.length === 0) return null;
      const res = await register().push(await station(), entries);
      if (lose) return res;
      if (res.gap) store().sqlite.prepare('update sync_state set acked = ?').run(res.lastApplied);
      else recordPushed(store(), res);
      return res;
    },
    /** Pulls and applies one page; true while there is more. */
    async pull(limit: number): Promise<boolean> {
      const link = syncLink(store())!;
      const page = await register().pull(await station(), link.epoch, link.cursor, limit);
      if ('resync' in page) throw new Error(`unexpected resync: ${page.reason}`);
      applyPull(store(), page);
      return page.more;
    },
    /** Pushes until everything is acknowledged (the network is quiet again). */
    async drain(): Promise<void> {
      for (let i = 0; i < 200 && outboxBatch(store(), syncLink(store())!.acked).length > 0; i++) await this.push(false);
    },
  };
}

/** The cursor of the copy the register gives this station now (its header's), the copy read whole. */
export async function copyCursor(link: { registerUrl: string; token: string }): Promise<number> {
  const res = await fetch(`${link.registerUrl}/sync/snapshot?scope=site`, { headers: { Authorization: `Bearer ${link.token}`, Accept: SNAPSHOT_COLUMNS_2_CONTENT_TYPE } });
  const body = Buffer.from(await res.arrayBuffer());
  return readHeaderFrame(body.subarray(8, 8 + body.readUInt32BE(0))).cursor;
}

/** The `i`th place of the region the register holds (by id, round again past the last) renamed at the register, as the console does. */
export async function renamePlace(reg: TestRegister, i: number, name: string): Promise<void> {
  const places = await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0 order by id");
  const p = places[i % places.length]!;
  await reg.register.putEntities([{ kind: 'location', id: p.id, data: { ...(JSON.parse(p.data) as Record<string, unknown>), name } }]);
}
