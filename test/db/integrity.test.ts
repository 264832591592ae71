import { closeSync, openSync, readdirSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createApi } from '../../api/dispatch';
import { startStation } from '../../hosts/station';
import { seedDataset } from '../../db/demo/generate';
import { DB_FILE_NAME, openStationDb } from '../../db/open';
import { TINY, rawStation, tempDir, tinyStore } from '../helpers';

/** Zeroes the root page of an index, as a failing disk might. */
function damageIndex(dir: string, index: string): void {
  const file = join(dir, DB_FILE_NAME);
  const raw = rawStation(dir);
  const { rootpage } = raw.prepare("select rootpage from sqlite_master where name = ?").get(index) as { rootpage: number };
  const pageSize = raw.pragma('page_size', { simple: true }) as number;
  raw.close();
  const fd = openSync(file, 'r+');
  writeSync(fd, Buffer.alloc(pageSize, 0xa5), 0, pageSize, (rootpage - 1) * pageSize);
  closeSync(fd);
}

describe('integrity check at start', () => {
  it('passes a sound database without holding up the start', async () => {
    const dir = tempDir();
    const s = openStationDb({ dataDir: dir });
    await expect(s.integrity).resolves.toEqual([]);
    s.close();
  });

  it('finds a damaged database and stops the station with a message for the worker', async () => {
    const dir = tempDir();
    const s = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    seedDataset(s, TINY);
    s.close();
    damageIndex(dir, 'individuals_status_since');

    expect(() => openStationDb({ dataDir: dir, quickCheck: 'blocking' })).toThrowError(expect.objectContaining({ code: 'db.corrupt' }));

    const store = openStationDb({ dataDir: dir });
    const api = createApi(store);
    const events: unknown[] = [];
    api.events.subscribe((e) => events.push(e));
    expect(await api.checked).toBe(false);
    expect(await api.call({ name: 'auth.users', input: {} })).toMatchObject({ ok: false, error: { code: 'db.corrupt', message: { sv: expect.stringContaining('Kontakta IT') } } });
    expect(await api.call({ name: 'station.info', input: {} })).toMatchObject({ ok: true, value: { damaged: { en: expect.stringContaining('damaged') } } });
    expect(events).toEqual([{ type: 'station.damaged', message: expect.objectContaining({ sv: expect.any(String) }) }]);
    store.close();
  });

  it('lets the check finish when the station is closed at once, leaving the database whole on its own', async () => {
    const template = tinyStore();
    const dir = dirname(template.file);
    template.close();
    const station = startStation({ dataDir: dir, devices: false });
    let checked = false;
    void station.store.integrity.then(() => (checked = true));
    await station.close();
    expect(checked).toBe(true);
    // The writer was the last connection: the write-ahead log is folded in and removed.
    expect(readdirSync(dir).filter((f) => f.startsWith(DB_FILE_NAME))).toEqual([DB_FILE_NAME]);
  });
});
