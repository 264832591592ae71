import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll } from 'vitest';
import type { ApiResult, CallInput, CallName, CallOutput } from '../api/contract';
import { createApi, type Api, type ApiOptions } from '../api/dispatch';
import { DEMO_USERS } from '../db/demo/catalogue';
import { seedDataset, type DatasetSize } from '../db/demo/generate';
import { backgroundSettled } from '../db/background';
import { openSqlite, type Sqlite } from '../db/cipher';
import { stationKey } from '../db/key';
import { uuidv7 } from '../db/ids';
import { DB_FILE_NAME, copyStation, openStationDb, type StationDb } from '../db/open';
import type { MovementReason } from '../db/schema';
import { checklistFor } from '../db/service/checklists';
import { postMovements } from '../db/stock/ledger';
import { resolveScan } from '../db/stock/resolve';
import { workflowsOf, type Workflow } from '../db/stock/rules';
import type { SessionInput } from '../db/workflows/machines/session';
import { decodeScan } from '../vocabulary/codes/decode';
import type { StationEvent } from '../services/events';

const dirs: string[] = [];
afterAll(async () => {
  // A store's integrity check may still be reading its files on a worker's connection.
  await backgroundSettled();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A fresh temporary folder, removed after the test file. */
export function tempDir(prefix = 'depot-test-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  dirs.push(d);
  return d;
}

export const TINY: DatasetSize = { sites: 3, articles: 24, individuals: 40, locations: 90, movements: 600 };

let template: string | null = null;

/** A real SQLite station database with a tiny dataset, copied from a template seeded once per file. */
export function tinyStore(): StationDb {
  if (!template) {
    template = tempDir('depot-template-');
    const s = openStationDb({ dataDir: template, quickCheck: 'skip' });
    seedDataset(s, TINY);
    s.close();
  }
  const dir = tempDir();
  copyStation(template, dir);
  return openStationDb({ dataDir: dir });
}

/** The station database in `dir` on a bare connection with its key, for tests that go behind the station's back. */
export function rawStation(dir: string, options: { readonly?: boolean } = {}): Sqlite {
  return openSqlite(join(dir, DB_FILE_NAME), stationKey(dir, { mayCreate: false }), options);
}

/** A call bound to a session, typed by the contract: a call name or input the contract does not have fails the typecheck. */
export type Caller = <K extends CallName>(name: K, input: CallInput<K>) => Promise<ApiResult<CallOutput<K>>>;

/** Calls `api` with `session`, as the renderer's client does. */
export function callerFor(api: Api, session: string | null): Caller {
  return (name, input) => api.call({ name, input, session }) as Promise<ApiResult<CallOutput<typeof name>>>;
}

/** Signs in as the first demo user with the role and returns a caller bound to that session. */
export async function signedIn(api: Api, role: string) {
  const users = await callerFor(api, null)('auth.users', {});
  if (!users.ok) throw new Error('no users');
  const demo = DEMO_USERS.find((u) => u.role === role)!;
  const user = users.value.find((u) => u.name === demo.name)!;
  const r = await callerFor(api, null)('auth.signIn', { userId: user.id, pin: demo.pin });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const session = r.value.session;
  return { user, session, call: callerFor(api, session) };
}

/** A tiny station's API with every event it sends kept in order, and a warehouse worker signed in there; the store goes into `open`, for the test file to close. */
export async function workerAtTinyStation(open: StationDb[]) {
  const store = tinyStore();
  open.push(store);
  const api = createApi(store);
  const events: StationEvent[] = [];
  api.events.subscribe((e) => events.push(e));
  const worker = await signedIn(api, 'warehouse_worker');
  return { store, api, events, worker };
}

/** A tiny station's API, with its options (a clock of the test's own, say). */
export function tinyApi(options: ApiOptions = {}): { store: StationDb; api: Api } {
  const store = tinyStore();
  return { store, api: createApi(store, options) };
}

/** The workflow that owns a reason: fixtures post their set-up movements as that workflow would. */
export const ownerOf = (reason: MovementReason): Workflow => workflowsOf(reason)[0]!;

/** Goods arriving at one of this station's places as goods receipt books them (a test's set-up, not a purchase order's). */
export function receiveForTest(store: StationDb, articleId: string, locationId: string, quantity: number): void {
  const actor = queries(store).one<{ stationId: string; userId: string }>("select s.id as stationId, u.id as userId from station s, users u where u.role = 'warehouse_worker' and u.active = 1 limit 1");
  postMovements(store, actor, [{ articleId, toLocationId: locationId, quantity, reason: 'receipt' }], 'receiving');
}

/** A station's database, or where to find it when the test starts a new one now and then. */
export type QueryTarget = Sqlite | StationDb | (() => Sqlite | StationDb);

/** Typed one-line queries on a station's database, the parameters bound in order. */
export interface Queries {
  /** The first row; a query that finds none fails the test, naming the query. */
  one<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T;
  /** The first row, or undefined when there is none. */
  maybe<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T | undefined;
  /** Every row. */
  all<T = Record<string, unknown>>(sql: string, ...params: unknown[]): T[];
}

/** How tests read a station's database: `const { one, all } = queries(store)`, or `queries(() => station.store)` for a station started anew. */
export function queries(target: QueryTarget): Queries {
  const db = (): Sqlite => {
    const t = typeof target === 'function' ? target() : target;
    return 'sqlite' in t ? t.sqlite : t;
  };
  const maybe = <T>(sql: string, ...params: unknown[]) => db().prepare<unknown[], T>(sql).get(...params);
  return {
    one<T>(sql: string, ...params: unknown[]): T {
      const row = maybe<T>(sql, ...params);
      if (row === undefined) throw new Error(`no row for: ${sql} ${JSON.stringify(params)}`);
      return row;
    },
    maybe,
    all: <T>(sql: string, ...params: unknown[]) => db().prepare<unknown[], T>(sql).all(...params),
  };
}

/** A tiny station with a warehouse worker signed in to it, and query helpers on its database. */
export function atTinyStation() {
  const s = tinyStore();
  const { one, maybe, all } = queries(s);
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1");
  return { s, one, maybe, all, actor: { stationId: st.id, userId: user.id, siteId: st.site_id } };
}

/** A code as a workflow session receives it from a scanner: decoded and resolved on the station, or the error it reads as. */
export function scanOf(store: StationDb, raw: string): SessionInput {
  const d = decodeScan(raw);
  if (!d.ok) return { kind: 'scan', text: raw, resolution: null, error: d.error };
  return { kind: 'scan', text: d.value.text, resolution: resolveScan(store, d.value.content, d.value.text), error: null };
}

/**
 * The station restarts: its database is closed and opened again from the same folder. The store
 * in `open` (the test's list to close afterwards) is replaced by the new one.
 */
export function restarted(store: StationDb, open: StationDb[]): StationDb {
  const dir = dirname(store.file);
  store.close();
  const again = openStationDb({ dataDir: dir });
  const at = open.indexOf(store);
  if (at >= 0) open[at] = again;
  else open.push(again);
  return again;
}

/** A customer order as the register would send it. */
export interface TestOrder {
  ref: string;
  siteId: string;
  /** The delivery day it asks for, `YYYY-MM-DD`. */
  day: string;
  route: string;
  deliveryPoint: string;
  municipality: string;
  customerRef?: string;
  /** When it was placed: by default ten days before the day, at 08:00, in time for it. */
  placedAt?: number;
  /** A refill's depot. */
  toSiteId?: string | null;
  lines: { articleId: string; quantity: number }[];
}

/** Writes a customer order with its lines into a station's database; returns its id. */
export function placeOrder(store: StationDb | Sqlite, o: TestOrder): string {
  const sq = 'sqlite' in store ? store.sqlite : store;
  const id = uuidv7();
  sq.prepare(
    `insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id, to_site_id)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(id, o.ref, o.customerRef ?? 'PSN-1', o.deliveryPoint, o.municipality, o.route, o.day, o.placedAt ?? Date.parse(`${o.day}T08:00:00`) - 10 * 86_400_000, o.siteId, o.toSiteId ?? null);
  const line = sq.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)');
  o.lines.forEach((l, i) => line.run(uuidv7(), id, i + 1, l.articleId, l.quantity));
  return id;
}


/** Every point of the checklist that applies to an individual answered OK (none when no checklist applies). */
export function allOk(store: StationDb, individualId: string): { questionId: string; ok: true }[] {
  const article = (store.sqlite.prepare('select article_id as a from individuals where id = ?').get(individualId) as { a: string }).a;
  return (checklistFor(store, article)?.questions ?? []).map((q) => ({ questionId: q.id, ok: true }));
}

/** What a call does: 'accepted', or the code it was refused with. */
export const refusal = (f: () => unknown): string => {
  try {
    f();
    return 'accepted';
  } catch (e) {
    return (e as { code?: string }).code ?? String(e);
  }
};
