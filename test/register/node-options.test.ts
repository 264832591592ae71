/**
 * A register node's options from its command line or environment, as IT starts it: a value it
 * cannot use is refused at start in both languages, before anything is written, and one it can is
 * what the node serves with (here, how long it gives the full copy it made for a station again).
 */
import { spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStationDb } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';
import { syncLink } from '../../db/sync/link';
import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine } from '../../services/sync';
import { ownerOf, tempDir } from '../helpers';
import { pepperFileIn } from '../../register/pepper';
import { startNode, stopChild } from '../../bench/load';
import { copyCursor, FAST, movableStock } from '../sync/harness';

const MAIN = join(import.meta.dirname, '..', '..', 'register', 'main.ts');
const register = (args: string[], env: Record<string, string> = {}) =>
  spawnSync(process.execPath, ['--import', 'tsx', MAIN, ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, DATABASE_URL: '', ...env } });

const nodes: ChildProcess[] = [];
afterEach(async () => {
  for (const child of nodes.splice(0)) await stopChild(child);
});

/** A register node serving from a new SQLite data folder (the demo data loaded at its first start), and its address. */
async function serving(dataDir: string, args: readonly string[]): Promise<string> {
  const node = await startNode('', dataDir, pepperFileIn(dataDir), args);
  nodes.push(node.child);
  return `http://127.0.0.1:${node.port}`;
}

/** A new station of the central store enrolled with the node, with a code issued from the command line as IT does. */
async function newStation(url: string, dataDir: string) {
  const issued = register(['code', '--data-dir', dataDir, '--site', 'BOD', '--name', `Station ${Math.random().toString(36).slice(2, 6)}`]);
  expect(issued.status).toBe(0);
  const store = openStationDb({ dataDir: tempDir('station-'), quickCheck: 'skip' });
  const enrolment = await enrolWithRegister(store, url, issued.stdout.trim().split('\n').at(-1)!);
  return { store, enrolment, engine: new SyncEngine(store, new EventHub(), FAST) };
}

describe.each([
  ['made-copy-minutes', 'REGISTER_MADE_COPY_MINUTES', ['abc', '-5', '1441', 'Infinity', '--port'], ['antal minuter', 'number of minutes']],
  ['made-copy-changes', 'REGISTER_MADE_COPY_CHANGES', ['abc', '-1', '500001', 'NaN', '--port'], ['antal ändringar', 'number of changes']],
] as const)('--%s', (name, env, wrong, words) => {
  it.each(wrong)('refuses %s at start, in both languages, before a database is made', (value) => {
    const dir = join(tempDir('register-options-'), 'data');
    const r = register(['serve', '--port', '0', '--data-dir', dir, `--${name}`, value]);
    expect(r.status).toBe(2);
    for (const w of words) expect(r.stderr).toContain(w);
    expect(existsSync(dir)).toBe(false);
  });

  it('refuses the same from the environment', () => {
    const dir = join(tempDir('register-options-'), 'data');
    const r = register(['serve', '--port', '0', '--data-dir', dir], { [env]: 'soon' });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(env);
    expect(existsSync(dir)).toBe(false);
  });
});

describe('a made copy given again', () => {
  it('is decided by the node’s options: by default it is, at 0 minutes or 0 changes every copy is read as the register stands', async () => {
    const cursors: Record<string, { made: number; head: number; second: number }> = {};
    for (const [name, args] of [['default', []], ['none', ['--made-copy-minutes', '0']], ['no changes', ['--made-copy-changes', '0']]] as const) {
      const dataDir = join(tempDir('register-options-'), 'data');
      const url = await serving(dataDir, [...args]);
      // A first station's copy is made, then the station posts a receipt: the register moves on.
      const first = await newStation(url, dataDir);
      await first.engine.syncNow();
      const made = first.store.sqlite.prepare('select cursor from sync_state').pluck().get() as number;
      const user = first.store.sqlite.prepare('select id from users where active = 1 order by id limit 1').pluck().get() as string;
      const stock = movableStock(first.store)[0]!;
      postMovements(first.store, { userId: user, stationId: first.enrolment.stationId }, [{ articleId: stock.articleId, lot: stock.lot, fromLocationId: null, toLocationId: stock.locationId, quantity: 1, reason: 'receipt' }], ownerOf('receipt'));
      await first.engine.syncNow();
      expect(first.engine.status().lastError).toBeNull();
      const head = first.store.sqlite.prepare('select cursor from sync_state').pluck().get() as number;
      expect(head).toBeGreaterThan(made);
      // A second new station asks for the same copy.
      const second = await newStation(url, dataDir);
      cursors[name] = { made, head, second: await copyCursor(syncLink(second.store)!) };
      await first.engine.stop();
      first.store.close();
      second.store.close();
    }
    // Given the copy made for the first station, at its cursor; with none kept, read at the head.
    expect(cursors.default!.second).toBe(cursors.default!.made);
    expect(cursors.none!.second).toBe(cursors.none!.head);
    expect(cursors['no changes']!.second).toBe(cursors['no changes']!.head);
  }, 180_000);
});

describe('restored', () => {
  it('refuses a data folder that holds no register, in both languages', () => {
    const dir = join(tempDir('register-options-'), 'data');
    const r = register(['restored', '--data-dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('inget register');
    expect(r.stderr).toContain('no register here');
  });

  it('starts the history over with every node stopped: each station takes a full copy when they serve again', async () => {
    const dataDir = join(tempDir('register-options-'), 'data');
    let url = await serving(dataDir, []);
    const station = await newStation(url, dataDir);
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    const epoch = () => station.store.sqlite.prepare('select epoch from sync_state').pluck().get() as string;
    const before = epoch();
    for (const child of nodes.splice(0)) await stopChild(child);
    const r = register(['restored', '--data-dir', dataDir]);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('hel kopia');
    expect(r.stdout).toContain('full copy');
    url = await serving(dataDir, []);
    station.store.sqlite.prepare('update sync_state set register_url = ?').run(url);
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    expect(epoch()).not.toBe(before);
    await station.engine.stop();
    station.store.close();
  }, 120_000);
});
