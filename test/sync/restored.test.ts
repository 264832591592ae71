/**
 * The register's database put back from a backup: its stations took changes the restore took
 * away, and their cursors point past what the register now holds. Once its history is started
 * over (`npm run register -- restored`, every node stopped), every station takes a full copy and
 * ends holding what the register holds.
 */
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { importFiles } from '../../register/import/apply';
import { regionSample } from '../../register/import/sample';
import { Register } from '../../register/register';
import { openRegisterDb } from '../../register/store';
import { tempDir } from '../helpers';
import { enrolledStation, movableStock, renamePlace, tinyRegister, type TestRegister } from './harness';

/** Every place's name as the register holds it, and as a station does. */
const registerNames = async (reg: TestRegister) =>
  Object.fromEntries((await reg.register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0")).map((p) => [p.id, (JSON.parse(p.data) as { name: string }).name]));
const stationNames = (store: StationDb) => Object.fromEntries((store.sqlite.prepare('select id, name from locations').all() as { id: string; name: string }[]).map((p) => [p.id, p.name]));

/**
 * A backup of the register's SQLite file, taken with the register stopped; `restore` puts it back
 * (the register stopped and started again), starting its history over first when asked, as IT does
 * with `npm run register -- restored`.
 */
async function backedUp(reg: TestRegister) {
  const dir = (reg.options as { dataDir: string }).dataDir;
  const backup = join(tempDir('register-backup-'), 'register.sqlite');
  await reg.stop();
  copyFileSync(join(dir, 'register.sqlite'), backup);
  await reg.restart();
  return {
    async restore(startOver: boolean): Promise<void> {
      await reg.stop();
      for (const f of ['register.sqlite-wal', 'register.sqlite-shm']) rmSync(join(dir, f), { force: true });
      copyFileSync(backup, join(dir, 'register.sqlite'));
      if (startOver) {
        const db = await openRegisterDb(reg.options);
        await Register.startHistoryOver(db);
        await db.close();
      }
      await reg.restart();
    },
  };
}

describe('a register put back from a backup', () => {
  it('leaves every station holding what it holds once its history is started over, and not before', async () => {
    const reg = await tinyRegister('sqlite', { copyPage: 40 });
    const stations = [await enrolledStation(reg.register, reg.server.url, { site: 0, start: false }), await enrolledStation(reg.register, reg.server.url, { site: 1, start: false })];
    const backup = await backedUp(reg);

    // Changes after the backup, taken by every station, then lost with the restore.
    await renamePlace(reg, 0, 'Förlorad efter säkerhetskopian');
    await renamePlace(reg, 1, 'Också förlorad');
    for (const s of stations) await s.engine.syncNow();
    await backup.restore(false);
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

  // Ten minutes of history: the copies carry no movement as old as the lost one.
  it.each([['90 days', {}], ['ten minutes', { historyDays: 10 / 1440 }]] as const)('counts in a station’s full copy what it posted after the backup, and the register holds it again, though the station had nothing new to send; another station that pulled it counts it once it comes again (history of %s)', async (_history, options) => {
    const reg = await tinyRegister('sqlite', options);
    const station = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const other = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const backup = await backedUp(reg);

    // Three received onto a shelf after the backup, acknowledged by the register, then lost with the restore.
    const stock = movableStock(station.store)[0]!;
    const key = [stock.articleId, stock.locationId, stock.lot ?? ''];
    const at = (store: StationDb) => store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ? and lot = ?').pluck().get(...key);
    const here = () => at(station.store);
    const atRegister = async () => Number((await reg.register.db.all<{ q: number }>('select quantity as q from balances where article_id = $1 and location_id = $2 and lot = $3', key))[0]?.q);
    station.post([{ articleId: stock.articleId, lot: stock.lot, toLocationId: stock.locationId, quantity: 3, reason: 'receipt' }]);
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    expect(await atRegister()).toBe(stock.quantity + 3);
    await other.engine.syncNow();
    expect(at(other.store)).toBe(stock.quantity + 3);
    await backup.restore(true);
    expect(await atRegister()).toBe(stock.quantity);

    // The other station's copy leaves out the three, as the register does now.
    await other.engine.syncNow();
    expect(other.engine.status().lastError).toBeNull();
    expect(at(other.store)).toBe(stock.quantity);
    // The station's full copy counts the three it still holds, and they go to the register again.
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    expect(station.store.sqlite.prepare('select epoch from sync_state').pluck().get()).toBe(reg.register.epoch);
    expect(here()).toBe(stock.quantity + 3);
    await station.engine.syncNow();
    expect(await atRegister()).toBe(stock.quantity + 3);
    expect(here()).toBe(stock.quantity + 3);
    // The other station held the movement already; it counts it now that the register holds it again, once.
    await other.engine.syncNow();
    expect(other.engine.status().lastError).toBeNull();
    expect(at(other.store)).toBe(stock.quantity + 3);
    await other.engine.syncNow();
    expect(at(other.store)).toBe(stock.quantity + 3);
  }, 90_000);

  it('takes a file import run again after the restore at a station that held the lost one, its stock as the register’s', async () => {
    const reg = await tinyRegister('sqlite');
    const station = await enrolledStation(reg.register, reg.server.url, { site: 0, start: false });
    const backup = await backedUp(reg);
    const sites = (await reg.register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
    const sample = regionSample({ articles: 10, individuals: 40, orders: 0, sites });
    const files = [join(tempDir('region-files-'), 'artiklar.csv'), join(tempDir('region-files-'), 'individer.csv')];
    writeFileSync(files[0]!, sample.articles);
    writeFileSync(files[1]!, sample.individuals);
    const imported = async () => {
      const r = await importFiles(reg.register, files, { apply: true });
      expect(r.rejected).toEqual([]);
    };
    // Devices imported after the backup, received into their places, taken by the station, lost with the restore.
    await imported();
    await station.engine.syncNow();
    const stock = async () => (await reg.register.db.all<{ k: string; q: number }>("select article_id || ' ' || location_id || ' ' || lot as k, quantity as q from balances where quantity <> 0 order by 1")).map((r) => [r.k, Number(r.q)]);
    const stockHere = () => (station.store.sqlite.prepare("select article_id || ' ' || location_id || ' ' || lot as k, quantity as q from balances order by 1").all() as { k: string; q: number }[]).map((r) => [r.k, r.q]);
    expect(stockHere()).toEqual(await stock());
    await backup.restore(true);
    // The same file again: its receipts are new movements, numbered apart from the lost ones the station holds.
    await imported();
    await station.engine.syncNow();
    expect(station.engine.status().lastError).toBeNull();
    expect(stockHere()).toEqual(await stock());
    await station.engine.syncNow();
    expect(stockHere()).toEqual(await stock());
  }, 90_000);
});
