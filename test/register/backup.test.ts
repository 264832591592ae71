/**
 * The register's SQLite database is copied online (`npm run register -- backup <file>`) while it
 * serves: the copy is encrypted under the same key, readable by its owner only, and opens as the
 * same register when put in place of `register.sqlite`.
 */
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { fileState } from '../../db/cipher';
import { copyRegister, openRegisterDb, REGISTER_DB_FILE, REGISTER_KEY_FILE } from '../../register/store';
import { tempDir } from '../helpers';
import { tinyRegister } from '../sync/harness';

describe('a copy of the register', () => {
  it('is made while it serves, encrypted and owner-only, and opens as the same register', async () => {
    const reg = await tinyRegister('sqlite');
    const dataDir = (reg.options as { dataDir: string }).dataDir;
    const counts = (db: { all: <T>(q: string) => Promise<T[]> }) => db.all<{ kind: string; n: number }>('select kind, count(*) as n from entities group by kind order by kind');
    const before = await counts(reg.register.db);
    expect(before.length).toBeGreaterThan(5);

    const restored = tempDir('register-restored-');
    const copy = join(restored, REGISTER_DB_FILE);
    await copyRegister({ dataDir }, copy);
    expect(fileState(copy)).toBe('encrypted');
    expect(statSync(copy).mode & 0o777).toBe(0o600);
    // The register served on meanwhile: a station can still enrol.
    expect((await fetch(`${reg.server.url}/health`)).status).toBe(200);
    await expect(copyRegister({ dataDir }, copy)).rejects.toMatchObject({ code: 'register.copy_exists' });

    const db = await openRegisterDb({ dataDir: restored, keyFile: join(dataDir, REGISTER_KEY_FILE) });
    expect(await counts(db)).toEqual(before);
    await db.close();
  });
});
