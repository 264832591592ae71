/** The register's SQLite data at rest: an owner-only data dir, the database encrypted under a key kept in a file of its own. */
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { randomBytes } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fileState } from '../../db/cipher';
import { Register } from '../../register/register';
import { openRegisterDb, REGISTER_DB_FILE, REGISTER_KEY_FILE, type RegisterDbOptions } from '../../register/store';
import { tempDir } from '../helpers';

/** A user's name no SQLite page would hold by chance. */
const NAME = 'Hemliga Henrietta Gyllenbrandt';
const USER_ID = '0190f0c0-0000-7000-8000-00000000a11c';

const posix = process.platform !== 'win32';
const modeOf = (path: string) => statSync(path).mode & 0o777;

// An ordinary login's umask, so the modes below come from the register and not from how the tests were started.
let umaskBefore = 0;
beforeAll(() => {
  umaskBefore = process.umask(0o022);
});
afterAll(() => {
  process.umask(umaskBefore);
});

async function open(options: RegisterDbOptions): Promise<Register> {
  return Register.open(await openRegisterDb(options));
}

async function addUser(register: Register): Promise<void> {
  await register.putEntities([{ kind: 'user', id: USER_ID, data: { id: USER_ID, name: NAME, role: 'warehouse_worker', pin_hash: 'scrypt$verifier', active: 1 } }]);
}

async function userName(register: Register): Promise<string | undefined> {
  const [row] = await register.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1", [USER_ID]);
  return row ? (JSON.parse(row.data) as { name: string }).name : undefined;
}

/** Which of the register's files hold the name as plain bytes. */
function holdingName(dir: string): string[] {
  return [REGISTER_DB_FILE, `${REGISTER_DB_FILE}-wal`]
    .map((f) => join(dir, f))
    .filter((f) => existsSync(f) && readFileSync(f).includes(Buffer.from(NAME, 'utf8')));
}

/** A data dir the register makes itself, below a temporary folder. */
const freshDir = () => join(tempDir('register-at-rest-'), 'register-data');

async function refusal(options: RegisterDbOptions): Promise<{ code: string; userMessage: { sv: string; en: string } }> {
  try {
    const db = await openRegisterDb(options);
    await db.close();
  } catch (e) {
    return e as { code: string; userMessage: { sv: string; en: string } };
  }
  throw new Error('the register started');
}

/** A register database as the register wrote it before encryption: plain, its newest rows still in its log, the files made owner-only. */
function plainRegister(): string {
  const made = tempDir('register-plain-');
  const file = join(made, REGISTER_DB_FILE);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  migrate(drizzle(db), { migrationsFolder: fileURLToPath(new URL('../../register/migrations/sqlite', import.meta.url)) });
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.pragma('wal_autocheckpoint = 0');
  db.prepare("insert into entities (kind, id, data, rev, deleted) values ('user', ?, ?, 1, 0)").run(USER_ID, JSON.stringify({ id: USER_ID, name: NAME }));
  // Copied while the old register still runs: the user is in the log only.
  const dir = freshDir();
  mkdirSync(dir, { recursive: true });
  for (const f of [REGISTER_DB_FILE, `${REGISTER_DB_FILE}-wal`]) copyFileSync(join(made, f), join(dir, f));
  db.close();
  return dir;
}

describe('the register database on SQLite, at rest', () => {
  it.skipIf(!posix)('makes its data dir, database, log and key readable by their owner only', async () => {
    const dir = freshDir();
    const register = await open({ dataDir: dir });
    await addUser(register);
    expect(modeOf(dir)).toBe(0o700);
    for (const f of [REGISTER_DB_FILE, `${REGISTER_DB_FILE}-wal`, `${REGISTER_DB_FILE}-shm`, REGISTER_KEY_FILE]) expect([f, modeOf(join(dir, f))]).toEqual([f, 0o600]);
    expect(readFileSync(join(dir, REGISTER_KEY_FILE), 'utf8').trim()).toMatch(/^[0-9a-f]{64}$/);
    await register.close();
    // The process's own umask is left as it was.
    expect(process.umask(0o022)).toBe(0o022);
  });

  it.skipIf(!posix)('does not start while others can read or change its data dir, its database or its key, and says what to run', async () => {
    const dir = freshDir();
    await (await open({ dataDir: dir })).close();
    const file = join(dir, REGISTER_DB_FILE);
    const keyFile = join(dir, REGISTER_KEY_FILE);

    chmodSync(dir, 0o755);
    const loose = await refusal({ dataDir: dir });
    expect(loose.code).toBe('register.files_exposed');
    expect(loose.userMessage.sv).toContain(`chmod 700 ${dir}`);
    expect(loose.userMessage.en).toContain(`chmod 700 ${dir}`);
    chmodSync(dir, 0o700);

    for (const [path, mode] of [
      [file, 0o644],
      [file, 0o660],
      [keyFile, 0o640],
    ] as const) {
      chmodSync(path, mode);
      const e = await refusal({ dataDir: dir });
      expect(e.code).toBe('register.files_exposed');
      expect(e.userMessage.sv).toContain(`chmod 600 ${path}`);
      expect(e.userMessage.en).toContain(`chmod 600 ${path}`);
      chmodSync(path, 0o600);
    }

    // Everything at once: one message with every command.
    chmodSync(dir, 0o750);
    chmodSync(file, 0o604);
    const all = await refusal({ dataDir: dir });
    expect(all.userMessage.sv).toContain(`chmod 700 ${dir} && chmod 600 ${file}`);
    chmodSync(dir, 0o700);
    chmodSync(file, 0o600);
    await (await open({ dataDir: dir })).close();
  });

  it('holds no user name in its database file or its log, and is no plain SQLite file', async () => {
    const dir = freshDir();
    const register = await open({ dataDir: dir });
    await addUser(register);
    // While the register runs, the newest pages sit in the write-ahead log.
    expect(statSync(join(dir, `${REGISTER_DB_FILE}-wal`)).size).toBeGreaterThan(0);
    expect(holdingName(dir)).toEqual([]);
    const head = readFileSync(join(dir, REGISTER_DB_FILE)).subarray(0, 16);
    expect(head.toString('latin1')).not.toContain('SQLite format 3');
    expect(fileState(join(dir, REGISTER_DB_FILE))).toBe('encrypted');
    // Both connections read it: the writer, and the reader that serves full copies.
    expect(await userName(register)).toBe(NAME);
    expect(await register.db.read((q) => q.all<{ n: number }>("select count(*) as n from entities where kind = 'user'"))).toEqual([{ n: 1 }]);
    await register.close();
    expect(holdingName(dir)).toEqual([]);
  });

  it('opens again with the same key file and keeps its data; a key elsewhere (--key-file) works the same', async () => {
    const dir = freshDir();
    const first = await open({ dataDir: dir });
    await addUser(first);
    await first.close();
    const again = await open({ dataDir: dir });
    expect(await userName(again)).toBe(NAME);
    await again.close();

    // The key on another volume: none is made in the data dir, and it opens only with that key.
    const elsewhere = freshDir();
    const keyFile = join(tempDir('register-keys-'), 'keys', 'register.key');
    const kept = await open({ dataDir: elsewhere, keyFile });
    await addUser(kept);
    await kept.close();
    expect(existsSync(keyFile)).toBe(true);
    expect(existsSync(join(elsewhere, REGISTER_KEY_FILE))).toBe(false);
    if (posix) expect(modeOf(keyFile)).toBe(0o600);
    const reopened = await open({ dataDir: elsewhere, keyFile });
    expect(await userName(reopened)).toBe(NAME);
    await reopened.close();
    expect((await refusal({ dataDir: elsewhere })).code).toBe('register.key_missing');
    expect(existsSync(join(elsewhere, REGISTER_KEY_FILE))).toBe(false);
  });

  it('refuses a missing or wrong key with what to do, and never makes a new key for its database', async () => {
    const dir = freshDir();
    const register = await open({ dataDir: dir });
    await addUser(register);
    await register.close();
    const keyFile = join(dir, REGISTER_KEY_FILE);
    const file = join(dir, REGISTER_DB_FILE);
    const key = readFileSync(keyFile, 'utf8');
    const before = readFileSync(file);

    rmSync(keyFile);
    const missing = await refusal({ dataDir: dir });
    expect(missing.code).toBe('register.key_missing');
    expect(missing.userMessage.sv).toContain('nyckelfilen');
    expect(missing.userMessage.sv).toContain('--key-file');
    expect(missing.userMessage.en).toContain('REGISTER_KEY_FILE');
    expect(existsSync(keyFile)).toBe(false);

    writeFileSync(keyFile, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600 });
    const wrong = await refusal({ dataDir: dir });
    expect(wrong.code).toBe('register.key_wrong');
    expect(wrong.userMessage.sv).toContain('går inte att låsa upp');
    expect(wrong.userMessage.en).toContain('cannot be unlocked');
    expect(readFileSync(file).equals(before)).toBe(true);

    writeFileSync(keyFile, 'not a key\n', { mode: 0o600 });
    expect((await refusal({ dataDir: dir })).code).toBe('register.key_damaged');

    writeFileSync(keyFile, key, { mode: 0o600 });
    const back = await open({ dataDir: dir });
    expect(await userName(back)).toBe(NAME);
    await back.close();
  });

  it('encrypts a plain database from before on its first start, log included, losing nothing', async () => {
    const dir = plainRegister();
    const file = join(dir, REGISTER_DB_FILE);
    expect(fileState(file)).toBe('plain');
    expect(holdingName(dir).length).toBeGreaterThan(0);
    if (posix) {
      // As the register left it before: readable by others, so refused until IT runs what it says.
      chmodSync(dir, 0o755);
      for (const f of [file, `${file}-wal`]) chmodSync(f, 0o644);
      const e = await refusal({ dataDir: dir });
      expect(e.code).toBe('register.files_exposed');
      expect(e.userMessage.en).toContain(`chmod 700 ${dir} && chmod 600 ${file} ${file}-wal`);
      expect(fileState(file)).toBe('plain');
      chmodSync(dir, 0o700);
      for (const f of [file, `${file}-wal`]) chmodSync(f, 0o600);
    }

    const register = await open({ dataDir: dir });
    expect(await userName(register)).toBe(NAME);
    expect(fileState(file)).toBe('encrypted');
    expect(holdingName(dir)).toEqual([]);
    if (posix) for (const f of [REGISTER_DB_FILE, `${REGISTER_DB_FILE}-wal`, REGISTER_KEY_FILE]) expect([f, modeOf(join(dir, f))]).toEqual([f, 0o600]);
    await register.close();
    expect(existsSync(`${file}.encrypting`)).toBe(false);

    const again = await open({ dataDir: dir });
    expect(await userName(again)).toBe(NAME);
    await again.close();
  });
});
