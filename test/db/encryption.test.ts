/** The station database at rest: encrypted, its key owner-only or sealed, a plain database encrypted on its first start. */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupNow, restoreBackup } from '../../db/backup';
import { fileState, openSqlite } from '../../db/cipher';
import { seedDataset } from '../../db/demo/generate';
import { KEY_FILE, SEALED_KEY_FILE, stationKey, type KeySeal } from '../../db/key';
import { BACKUP_DIR_NAME, DB_FILE_NAME, openStationDb, type StationDb } from '../../db/open';
import { TINY, rawStation, tempDir } from '../helpers';

/** A value no SQLite page would hold by chance. */
const SECRET = 'Rullstol Hemlig Modell 7731';

function addSecret(store: StationDb): void {
  store.sqlite
    .prepare(
      `insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking)
       values ('secret', 'A777777', ?, ?, '122203', 'x', 1, 'st', 'Leverantör', 100, 'none')`,
    )
    .run(SECRET, SECRET.toLowerCase());
}

/** Every file of the station's folder (database, log, backups), as bytes. */
function filesOf(dir: string): { name: string; bytes: Buffer }[] {
  const out: { name: string; bytes: Buffer }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true }))
    if (e.isFile()) out.push({ name: join(e.parentPath, e.name), bytes: readFileSync(join(e.parentPath, e.name)) });
  return out;
}

function holdingPlaintext(dir: string, text: string): string[] {
  const forms = [Buffer.from(text, 'utf8'), Buffer.from(text.toLowerCase(), 'utf8')];
  return filesOf(dir)
    .filter((f) => forms.some((p) => f.bytes.includes(p)))
    .map((f) => f.name);
}

/** Stands in for the operating system's key store: AES-GCM under a secret the test holds. */
function testSeal(): KeySeal & { secret: Buffer } {
  const secret = randomBytes(32);
  return {
    secret,
    seal(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', secret, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    unseal(sealed) {
      const d = createDecipheriv('aes-256-gcm', secret, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

/** A station database as the app wrote it before encryption: plain, with a plain backup and recent rows still in its log. */
function plainStation(): string {
  const made = tempDir();
  const store = openStationDb({ dataDir: made, quickCheck: 'skip' });
  seedDataset(store, TINY);
  store.close();
  const raw = rawStation(made);
  raw.pragma('journal_mode = DELETE');
  raw.pragma("rekey = ''"); // back to plain SQLite
  raw.close();
  const dir = tempDir();
  mkdirSync(join(dir, BACKUP_DIR_NAME));
  copyFileSync(join(made, DB_FILE_NAME), join(dir, BACKUP_DIR_NAME, 'depot-2026-11-01T02-00-00-000Z.sqlite'));
  // The newest rows only in the write-ahead log: copied while the writer is still open.
  const live = openSqlite(join(made, DB_FILE_NAME), Buffer.alloc(0));
  live.pragma('journal_mode = WAL');
  live.pragma('wal_autocheckpoint = 0');
  live.prepare(`insert into iso_codes (code, edition, title) values ('999999', 'x', ?)`).run(SECRET);
  copyFileSync(join(made, DB_FILE_NAME), join(dir, DB_FILE_NAME));
  copyFileSync(join(made, `${DB_FILE_NAME}-wal`), join(dir, `${DB_FILE_NAME}-wal`));
  live.close();
  return dir;
}

describe('the station database at rest', () => {
  it('holds none of a known value in its file, its log or its backups, yet reads it back with the key', async () => {
    const dir = tempDir();
    const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    seedDataset(store, TINY);
    addSecret(store);
    // While the station runs, the newest pages sit in the write-ahead log.
    expect(statSync(`${store.file}-wal`).size).toBeGreaterThan(0);
    expect(holdingPlaintext(dir, SECRET)).toEqual([]);
    const demoUser = (store.sqlite.prepare('select name from users order by name limit 1').get() as { name: string }).name;
    expect(holdingPlaintext(dir, demoUser)).toEqual([]);
    await backupNow(store);
    expect(holdingPlaintext(dir, SECRET)).toEqual([]);
    store.close();
    expect(holdingPlaintext(dir, SECRET)).toEqual([]);
    expect(fileState(join(dir, DB_FILE_NAME))).toBe('encrypted');

    const again = openStationDb({ dataDir: dir, quickCheck: 'blocking' });
    expect(again.sqlite.prepare("select name from articles where id = 'secret'").get()).toEqual({ name: SECRET });
    again.close();
    const backup = readdirSync(join(dir, BACKUP_DIR_NAME))[0]!;
    expect(fileState(join(dir, BACKUP_DIR_NAME, backup))).toBe('encrypted');
  });

  it('keeps the key in a file only its owner can read, and refuses one others can', () => {
    const dir = tempDir();
    openStationDb({ dataDir: dir, quickCheck: 'skip' }).close();
    const keyFile = join(dir, KEY_FILE);
    expect(readFileSync(keyFile, 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    if (process.platform === 'win32') return;
    expect(statSync(keyFile).mode & 0o777).toBe(0o600);
    chmodSync(keyFile, 0o644);
    expect(() => openStationDb({ dataDir: dir, quickCheck: 'skip' })).toThrowError(
      expect.objectContaining({ code: 'db.key_exposed', userMessage: expect.objectContaining({ sv: expect.stringContaining('chmod 600') }) }),
    );
    chmodSync(keyFile, 0o600);
    openStationDb({ dataDir: dir, quickCheck: 'skip' }).close();
  });

  it('does not make a new key for an encrypted database whose key is gone, nor open it with another', () => {
    const dir = tempDir();
    openStationDb({ dataDir: dir, quickCheck: 'skip' }).close();
    const keyFile = join(dir, KEY_FILE);
    const before = readFileSync(join(dir, DB_FILE_NAME));
    // Gone: refused, and no key is made that could never open it.
    rmSync(keyFile);
    expect(() => openStationDb({ dataDir: dir })).toThrowError(expect.objectContaining({ code: 'db.key_missing' }));
    expect(existsSync(keyFile)).toBe(false);
    // Another station's key: refused with what to do.
    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    expect(() => openStationDb({ dataDir: dir })).toThrowError(
      expect.objectContaining({ code: 'db.key_wrong', userMessage: expect.objectContaining({ sv: expect.stringContaining('registret') }) }),
    );
    expect(readFileSync(join(dir, DB_FILE_NAME)).equals(before)).toBe(true);
  });

  it('encrypts a plain database on its first start, with its log and its backups, losing nothing', async () => {
    const dir = plainStation();
    expect(fileState(join(dir, DB_FILE_NAME))).toBe('plain');
    expect(holdingPlaintext(dir, SECRET).length).toBeGreaterThan(0);
    const plainCount = (() => {
      const p = openSqlite(join(dir, DB_FILE_NAME), Buffer.alloc(0), { readonly: true });
      try {
        return (p.prepare('select (select count(*) from movements) as m, (select count(*) from individuals) as i').get() as { m: number; i: number });
      } finally {
        p.close();
      }
    })();

    const told: string[] = [];
    const store = openStationDb({ dataDir: dir, quickCheck: 'blocking', onEncrypting: (d) => told.push(d) });
    expect(told).toEqual([dir]);
    expect(store.sqlite.prepare("select title from iso_codes where code = '999999'").get()).toEqual({ title: SECRET });
    expect(store.sqlite.prepare('select (select count(*) from movements) as m, (select count(*) from individuals) as i').get()).toEqual(plainCount);
    expect(store.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    store.close();
    expect(holdingPlaintext(dir, SECRET)).toEqual([]);
    expect(fileState(join(dir, DB_FILE_NAME))).toBe('encrypted');
    const backup = join(dir, BACKUP_DIR_NAME, 'depot-2026-11-01T02-00-00-000Z.sqlite');
    expect(fileState(backup)).toBe('encrypted');
    expect(readdirSync(dir).filter((f) => f.includes('encrypting'))).toEqual([]);
    // Another station's backup cannot be read here, and says why.
    const other = tempDir();
    const foreign = openStationDb({ dataDir: other, quickCheck: 'skip' });
    const foreignCopy = await backupNow(foreign);
    foreign.close();
    expect(() => restoreBackup(dir, foreignCopy)).toThrowError(
      expect.objectContaining({ code: 'backup.unreadable', userMessage: expect.objectContaining({ sv: expect.stringContaining('annan stations nyckel') }) }),
    );
    // The old backup still restores, now with the key.
    const r = restoreBackup(dir, backup, { onEncrypting: (d) => told.push(d) });
    expect(r.check.integrity).toEqual([]);
    expect(told).toEqual([dir]);
  });

  it('seals the key with the operating system key store in the desktop app, taking over a key file left by browser mode', () => {
    const dir = tempDir();
    const first = openStationDb({ dataDir: dir, quickCheck: 'skip' });
    addSecret(first);
    first.close();
    const seal = testSeal();
    const desktop = openStationDb({ dataDir: dir, quickCheck: 'skip', keySeal: seal });
    expect(desktop.sqlite.prepare("select name from articles where id = 'secret'").get()).toEqual({ name: SECRET });
    desktop.close();
    expect(existsSync(join(dir, KEY_FILE))).toBe(false);
    const sealed = readFileSync(join(dir, SEALED_KEY_FILE));
    expect(sealed.toString('latin1')).not.toMatch(/[0-9a-f]{64}/);
    if (process.platform !== 'win32') expect(statSync(join(dir, SEALED_KEY_FILE)).mode & 0o777).toBe(0o600);
    // Browser mode cannot read a sealed key, and says where to go instead.
    expect(() => openStationDb({ dataDir: dir, quickCheck: 'skip' })).toThrowError(expect.objectContaining({ code: 'db.key_sealed' }));
    // Another key store (another user, another machine) cannot unseal it.
    expect(() => openStationDb({ dataDir: dir, quickCheck: 'skip', keySeal: testSeal() })).toThrowError(expect.objectContaining({ code: 'db.key_unsealable' }));
    const back = openStationDb({ dataDir: dir, quickCheck: 'skip', keySeal: seal });
    expect(back.sqlite.prepare("select name from articles where id = 'secret'").get()).toEqual({ name: SECRET });
    back.close();
    // A new desktop station never writes its key in the clear.
    const fresh = tempDir();
    openStationDb({ dataDir: fresh, quickCheck: 'skip', keySeal: seal }).close();
    expect(readdirSync(fresh).sort()).toEqual([DB_FILE_NAME, SEALED_KEY_FILE].sort());
    expect(stationKey(fresh, { seal, mayCreate: false })).toHaveLength(32);
  });
});
