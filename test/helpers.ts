import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { createApi, type Api } from '../api/dispatch';
import { DEMO_USERS } from '../db/demo/catalogue';
import { seedDataset, type DatasetSize } from '../db/demo/generate';
import { backgroundSettled } from '../db/background';
import { openSqlite, type Sqlite } from '../db/cipher';
import { stationKey } from '../db/key';
import { DB_FILE_NAME, copyStation, openStore, type Store } from '../db/open';
import type { MovementReason } from '../db/schema';
import { postMovements } from '../db/stock/ledger';
import { workflowsOf, type Workflow } from '../db/stock/rules';

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
export function tinyStore(): Store {
  if (!template) {
    template = tempDir('depot-template-');
    const s = openStore({ dataDir: template, quickCheck: 'skip' });
    seedDataset(s, TINY);
    s.close();
  }
  const dir = tempDir();
  copyStation(template, dir);
  return openStore({ dataDir: dir });
}

/** The station database in `dir` on a bare connection with its key, for tests that go behind the station's back. */
export function rawStation(dir: string, options: { readonly?: boolean } = {}): Sqlite {
  return openSqlite(join(dir, DB_FILE_NAME), stationKey(dir, { mayCreate: false }), options);
}

/** Signs in as the first demo user with the role and returns a caller bound to that session. */
export async function signedIn(api: Api, role: string) {
  const users = await api.call({ name: 'auth.users', input: {} });
  if (!users.ok) throw new Error('no users');
  const demo = DEMO_USERS.find((u) => u.role === role)!;
  const user = (users.value as { id: string; name: string; role: string }[]).find((u) => u.name === demo.name)!;
  const r = await api.call({ name: 'auth.signIn', input: { userId: user.id, pin: demo.pin } });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  const session = (r.value as { session: string }).session;
  return { user, session, call: (name: string, input: unknown) => api.call({ name, input, session }) };
}

export function tinyApi(): { store: Store; api: Api } {
  const store = tinyStore();
  return { store, api: createApi(store) };
}

/** The workflow that owns a reason: fixtures post their set-up movements as that workflow would. */
export const ownerOf = (reason: MovementReason): Workflow => workflowsOf(reason)[0]!;

/** Goods arriving at one of this station's places as goods receipt books them (a test's set-up, not a purchase order's). */
export function receiveForTest(store: Store, articleId: string, locationId: string, quantity: number): void {
  const actor = store.sqlite.prepare("select s.id as stationId, u.id as userId from station s, users u where u.role = 'warehouse_worker' and u.active = 1 limit 1").get() as { stationId: string; userId: string };
  postMovements(store, actor, [{ articleId, toLocationId: locationId, quantity, reason: 'receipt' }], 'receiving');
}

/** A tiny station with a warehouse worker signed in to it, and query helpers on its database. */
export function atTinyStation() {
  const s = tinyStore();
  const one = <T>(sql: string, ...args: unknown[]) => s.sqlite.prepare(sql).get(...args) as T;
  const all = <T>(sql: string, ...args: unknown[]) => s.sqlite.prepare(sql).all(...args) as T[];
  const st = one<{ id: string; site_id: string }>('select id, site_id from station');
  const user = one<{ id: string }>("select id from users where role = 'warehouse_worker' limit 1");
  return { s, one, all, actor: { stationId: st.id, userId: user.id, siteId: st.site_id } };
}
