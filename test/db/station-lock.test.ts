/**
 * A running station holds its data dir: a restore under it (which would set aside the file the
 * station goes on writing to) and a second station on the same data dir are refused, and say so.
 * The hold goes with the process, kill -9 included.
 */
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { startStation } from '../../hosts/station';
import { backupNow, restoreBackup } from '../../db/backup';
import { tinyStore } from '../helpers';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = join(root, 'node_modules', '.bin', 'tsx');

/** A closed station's data dir with a backup in it. */
async function dataDirWithBackup(): Promise<{ dataDir: string; copy: string }> {
  const store = tinyStore();
  const copy = await backupNow(store);
  store.close();
  return { dataDir: join(store.file, '..'), copy };
}

describe('a running station holds its data dir', () => {
  it('refuses a restore and a second station while it runs, in the same process', async () => {
    const { dataDir, copy } = await dataDirWithBackup();
    const station = startStation({ dataDir, devices: false, quickCheck: 'skip' });
    expect(() => restoreBackup(dataDir, copy)).toThrowError(expect.objectContaining({ code: 'station.running' }));
    expect(() => startStation({ dataDir, devices: false, quickCheck: 'skip' })).toThrowError(expect.objectContaining({ code: 'station.running' }));
    // Still the station's own database, working.
    expect(await station.api.call({ name: 'station.info', input: {} })).toMatchObject({ ok: true });
    await station.close();
    expect(restoreBackup(dataDir, copy).check.audit.ok).toBe(true);
  });

  it('npm run cli -- restore against a station in another process exits non-zero and says why; after kill -9 it restores', async () => {
    const { dataDir, copy } = await dataDirWithBackup();
    const child = spawn(process.execPath, ['--import', 'tsx', join(root, 'test/db/running-station.ts'), dataDir], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
        child.once('exit', (code) => reject(new Error(`the station exited (${code})`)));
      });
      const refused = spawnSync(tsx, ['hosts/cli.ts', 'restore', copy, '--data-dir', dataDir], { cwd: root, encoding: 'utf8' });
      expect(refused.status).not.toBe(0);
      expect(refused.stderr).toMatch(/already running/);
    } finally {
      child.kill('SIGKILL');
      await new Promise((r) => (child.exitCode === null && child.signalCode === null ? child.once('exit', r) : r(null)));
    }
    const restored = spawnSync(tsx, ['hosts/cli.ts', 'restore', copy, '--data-dir', dataDir], { cwd: root, encoding: 'utf8' });
    expect(restored.stderr).toBe('');
    expect(restored.status).toBe(0);
  });
});
