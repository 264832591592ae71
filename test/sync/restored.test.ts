/**
 * The register's database put back from a backup: its stations took changes the restore took
 * away, and their cursors point past what the register now holds. Once its history is started
 * over (`npm run register -- restored`, every node stopped), every station takes a full copy and
 * ends holding what the register holds.
 */
import { copyFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { tempDir } from '../helpers';
import { enrolledStation, renamePlace, tinyRegister, type TestRegister } from './harness';

/** Every place's name as the register holds it, and as a station does. */
const registerNames = async (reg: TestRegister) =>
  Object.fromEntries((await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0")).map((p) => [p.id, (JSON.parse(p.data) as { name: string }).name]));
const stationNames = (store: StationDb) => Object.fromEntries((store.sqlite.prepare('select id, name from locations').all() as { id: string; name: string }[]).map((p) => [p.id, p.name]));

describe('a register put back from a backup', () => {
  it('leaves every station holding what it holds once its history is started over, and not before', async () => {
    const reg = await tinyRegister('sqlite', { copyPage: 40 });
    const stations = [await enrolledStation(reg.register, reg.server.url, { site: 0, start: false }), await enrolledStation(reg.register, reg.server.url, { site: 1, start: false })];
    const dir = (reg.options as { dataDir: string }).dataDir;
    const backup = join(tempDir('register-backup-'), 'register.sqlite');
    const putBack = () => {
      for (const f of ['register.sqlite-wal', 'register.sqlite-shm']) rmSync(join(dir, f), { force: true });
      copyFileSync(backup, join(dir, 'register.sqlite'));
    };
    await reg.stop();
    copyFileSync(join(dir, 'register.sqlite'), backup);
    await reg.restart();

    // Changes after the backup, taken by every station, then lost with the restore.
    await renamePlace(reg, 0, 'Förlorad efter säkerhetskopian');
    await renamePlace(reg, 1, 'Också förlorad');
    for (const s of stations) await s.engine.syncNow();
    await reg.stop();
    putBack();
    await reg.restart();
    // New changes at the register, as many as were lost and one more: its counter passes the stations' cursors again.
    for (const [i, name] of ['Efter 1', 'Efter 2', 'Efter 3'].entries()) await renamePlace(reg, i + 2, name);
    const truth = await registerNames(reg);
    // Not started over: a station keeps what the restore took away and never pulls the changes under its cursor.
    await stations[0]!.engine.syncNow();
    expect(stations[0]!.engine.status().lastError).toBeNull();
    expect(stationNames(stations[0]!.store)).not.toEqual(truth);
    expect(Object.values(stationNames(stations[0]!.store))).toContain('Förlorad efter säkerhetskopian');

    // Every node stopped, the history started over, the nodes started again.
    await reg.stop();
    const db = await openRegisterDb(reg.options);
    const before = (await db.all<{ value: string }>("select value from meta where key = 'epoch'"))[0]!.value;
    expect(await Register.startHistoryOver(db)).not.toBe(before);
    await db.close();
    await reg.restart();
    for (const s of stations) {
      await s.engine.syncNow();
      expect(s.engine.status().lastError).toBeNull();
      expect(s.store.sqlite.prepare('select epoch from sync_state').pluck().get()).toBe(reg.register.epoch);
      expect(stationNames(s.store)).toEqual(truth);
    }
  }, 90_000);
});
