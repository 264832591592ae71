/**
 * A station process killed with SIGKILL at random moments while it posts and syncs, 50 times:
 * no movement it reported as posted is lost, and the register holds each of its movements once.
 * And a new station killed while it saves its first copy starts again as it was before it.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { prng } from '../../db/demo/random';
import { DB_FILE_NAME, openStationDb, type StationDb } from '../../db/open';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isStationSetUp } from '../../db/station';

import { EventHub } from '../../services/events';
import { enrolWithRegister, SyncEngine } from '../../services/sync';
import { tempDir } from '../helpers';
import { enrolledStation, FAST, heldStock, stationStock, tinyRegister } from './harness';

const script = fileURLToPath(new URL('./station-process.ts', import.meta.url));
const KILLS = 50;

function run(dataDir: string, mode: 'post' | 'drain' | 'copy', killAfterMs: number | null): Promise<{ lastReported: number; out: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, mode], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let lastReported = 0;
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      for (const m of d.toString().matchAll(/^P (\d+)$/gm)) lastReported = Math.max(lastReported, Number(m[1]));
      if (killAfterMs !== null && (out.includes('ready') || out.includes('saving')) && !child.killed) {
        const t = killAfterMs;
        killAfterMs = null;
        setTimeout(() => child.kill('SIGKILL'), t);
      }
    });
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('exit', (code, signal) => {
      if (signal === 'SIGKILL' || code === 0) resolve({ lastReported, out });
      else reject(new Error(`station process failed (${code}): ${err}`));
    });
  });
}

describe('a station killed at random points', () => {
  it(`loses and duplicates nothing over ${KILLS} kill -9s during posting and sync`, async () => {
    const reg = await tinyRegister('sqlite');
    const station = await enrolledStation(reg.register, reg.server.url, { start: false });
    const { dir, stationId } = station;
    await station.close();

    const random = prng(42);
    let reported = 0;
    for (let i = 0; i < KILLS; i++) {
      const r = await run(dir, 'post', 20 + Math.floor(random() * 400));
      reported = Math.max(reported, r.lastReported);
    }
    // The kills fell while it was syncing too: the register already holds part of what it posted.
    const [before] = await reg.register.db.all<{ n: number }>('select count(*) as n from movements where station_id = $1', [stationId]);
    expect(Number(before!.n)).toBeGreaterThan(0);
    const drained = await run(dir, 'drain', null);
    expect(drained.out).toContain('drained');

    const [row] = await reg.register.db.all<{ n: number; distinct_seq: number; max_seq: number }>(
      'select count(*) as n, count(distinct seq) as distinct_seq, max(seq) as max_seq from movements where station_id = $1',
      [stationId],
    );
    const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    const local = store.sqlite.prepare('select count(*) as n, max(seq) as max_seq from movements where station_id = ?').get(stationId) as { n: number; max_seq: number };
    expect(reported).toBeGreaterThan(100);
    // Nothing reported as posted is lost: the station has it, and so does the register, once.
    expect(local.max_seq).toBeGreaterThanOrEqual(reported);
    expect(local.n).toBe(local.max_seq);
    expect([Number(row!.n), Number(row!.distinct_seq), Number(row!.max_seq)]).toEqual([local.n, local.n, local.max_seq]);
    expect(stationStock(store)).toEqual(await reg.register.stock());
    store.close();
  }, 300_000);

  it('killed while saving its first copy, starts again holding nothing, in its write-ahead log, and takes the copy whole', async () => {
    const reg = await tinyRegister('sqlite');
    const [site] = await reg.register.db.all<{ id: string }>("select id from entities where kind = 'site' order by id limit 1");
    const dir = tempDir('first-copy-');
    const fresh = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    await enrolWithRegister(fresh, reg.server.url, await reg.register.createEnrolmentCode({ stationName: 'Killed', siteId: site!.id }));
    const empty = (s: StationDb) => ['users', 'articles', 'individuals', 'movements', 'balances', 'station'].map((t) => s.sqlite.prepare(`select count(*) from ${t}`).pluck().get());
    const before = empty(fresh);
    fresh.close();

    // Killed once its first rows are saved, its copy's transaction open (the database under a rollback journal).
    const killed = await run(dir, 'copy', 0);
    expect(killed.out).toContain('saving');
    expect(killed.out).not.toContain('copied');
    expect(existsSync(join(dir, `${DB_FILE_NAME}-journal`))).toBe(true);

    const store = openStationDb({ dataDir: dir, quickCheck: 'blocking' });
    try {
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(isStationSetUp(store)).toBe(false);
      expect(empty(store)).toEqual(before);
      const engine = new SyncEngine(store, new EventHub(), FAST);
      await engine.syncNow();
      await engine.stop();
      expect(isStationSetUp(store)).toBe(true);
      expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(stationStock(store)).toEqual(heldStock(store, await reg.register.stock()));
    } finally {
      store.close();
    }
  }, 60_000);
});
