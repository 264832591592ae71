/**
 * A SQLite register's write-ahead log stays within its limit while full copies read one after
 * another. SQLite starts the log again only once no read holds an older state of the database, so
 * copies that overlap without a gap (new stations enrolled one after another on a slow line) would
 * keep it growing, with every write, for as long as they overlap, until the disk is full.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { keyPragmas } from '../../db/cipher';
import { openRegisterDb, REGISTER_DB_FILE, REGISTER_KEY_FILE, type RegisterDb } from '../../register/store';
import { tempDir } from '../helpers';

const LIMIT = 256 << 10;

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (closers.length) await closers.pop()!();
});

/** A long read (as a full copy's) that has begun once `begun` resolves, holds its state until `end` is called, and answers the rows it saw then. */
function heldRead(db: RegisterDb, wal: () => number, signal?: AbortSignal) {
  let end!: () => void;
  const held = new Promise<void>((resolve) => (end = resolve));
  let begin!: (walAtStart: number) => void;
  const begun = new Promise<number>((resolve) => (begin = resolve));
  let started = false;
  const done = db.longRead(async (q) => {
    started = true;
    begin(wal());
    const before = Number((await q.all<{ n: number }>('select count(*) as n from filler'))[0]!.n);
    await held;
    const after = Number((await q.all<{ n: number }>('select count(*) as n from filler'))[0]!.n);
    return { before, after };
  }, signal);
  return { end, begun, done, started: () => started };
}

/** Lets everything that is ready run (no timers): a read that could begin has begun after it. */
async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** A SQLite register's database with a small log limit and a table to fill: `wal` its log's size, `write` rows of 32 KiB each in a transaction of their own. */
async function limitedRegister(closeAfter = true) {
  const dir = tempDir('register-wal-');
  const db = await openRegisterDb({ dataDir: dir, walLimitBytes: LIMIT });
  if (closeAfter) closers.push(() => db.close());
  const walFile = join(dir, `${REGISTER_DB_FILE}-wal`);
  const wal = () => (existsSync(walFile) ? statSync(walFile).size : 0);
  await db.run('create table filler (x blob not null)');
  const write = async (rows: number) => {
    for (let i = 0; i < rows; i++) await db.tx((q) => q.run('insert into filler (x) values ($1)', [randomBytes(32 << 10)]));
  };
  return { db, wal, write, dir };
}

/**
 * A reader in another process (as a backup of the register's file would be): opens the database
 * with its key, reads in a transaction it holds, and ends it (and itself) when told to.
 */
async function foreignReader(dir: string) {
  const key = Buffer.from(readFileSync(join(dir, REGISTER_KEY_FILE), 'utf8').trim(), 'hex');
  const script = `
    const db = new (require('better-sqlite3'))(process.env.FILE, { readonly: true });
    for (const p of JSON.parse(process.env.PRAGMAS)) db.pragma(p);
    db.exec('BEGIN');
    const n = db.prepare('select count(*) as n from filler').get().n;
    console.log('holding ' + n);
    process.stdin.resume();
    process.stdin.on('end', () => { db.exec('COMMIT'); db.close(); process.exit(0); });`;
  const child = spawn(process.execPath, ['-e', script], {
    cwd: join(import.meta.dirname, '..', '..'),
    env: { ...process.env, FILE: join(dir, REGISTER_DB_FILE), PRAGMAS: JSON.stringify(keyPragmas(key)) },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  closers.push(async () => {
    if (child.exitCode === null) child.kill();
    await exited;
  });
  const [line] = (await once(createInterface({ input: child.stdout! }), 'line')) as [string];
  return {
    rows: Number(line.replace('holding ', '')),
    end: async () => {
      child.stdin!.end();
      const [code] = (await exited) as [number | null];
      return code;
    },
  };
}

describe("a SQLite register's write-ahead log while full copies read", () => {
  it('stays within its limit: a copy that would overlap one under way past the limit waits for it, and the log is emptied before it begins', async () => {
    const { db, wal, write } = await limitedRegister();

    // Below the limit, copies overlap freely.
    const first = heldRead(db, wal);
    await first.begun;
    const alongside = heldRead(db, wal);
    await alongside.begun;
    alongside.end();
    expect(await alongside.done).toEqual({ before: 0, after: 0 });

    // Writes while the first copy reads: the log cannot start again, and grows past its limit.
    await write(16);
    expect(wal()).toBeGreaterThan(LIMIT);
    const second = heldRead(db, wal);
    await settle();
    expect(second.started()).toBe(false);
    // Other work goes on meanwhile: a write, and a short read.
    await write(1);
    expect(await db.read((q) => q.all<{ n: number }>('select count(*) as n from filler'))).toEqual([{ n: 17 }]);
    expect(second.started()).toBe(false);

    // The first copy ends whole, as it was when it began.
    first.end();
    expect(await first.done).toEqual({ before: 0, after: 0 });
    // The second begins on an emptied log, and sees every write before it.
    expect(await second.begun).toBeLessThanOrEqual(LIMIT);
    await write(4);
    second.end();
    expect(await second.done).toEqual({ before: 17, after: 17 });
    expect(await db.read((q) => q.all<{ n: number }>('select count(*) as n from filler'))).toEqual([{ n: 21 }]);
  });

  it('ends copies waiting for a gap when the register closes, and never begins them', async () => {
    const { db, wal, write } = await limitedRegister(false);
    const first = heldRead(db, wal);
    await first.begun;
    await write(16);
    const waiting = heldRead(db, wal);
    await settle();
    const closing = db.close();
    // Ended at once, not once the copy under way has ended.
    await expect(waiting.done).rejects.toThrow(/closing/);
    expect(waiting.started()).toBe(false);
    first.end();
    await first.done.catch(() => undefined);
    await closing;
  });

  it('lets a copy whose station went away while it waited for a gap leave without reading, and the others begin when the gap comes', async () => {
    const { db, wal, write } = await limitedRegister();
    const first = heldRead(db, wal);
    await first.begun;
    await write(16);
    const station = new AbortController();
    const gone = heldRead(db, wal, station.signal);
    const stays = heldRead(db, wal);
    await settle();
    station.abort(new Error('the station stopped reading its copy'));
    await expect(gone.done).rejects.toThrow(/stopped reading/);
    expect(gone.started()).toBe(false);
    expect(stays.started()).toBe(false);
    first.end();
    await first.done;
    expect(await stays.begun).toBeLessThanOrEqual(LIMIT);
    stays.end();
    expect(await stays.done).toEqual({ before: 16, after: 16 });
    expect(gone.started()).toBe(false);
  });

  it('begins a copy with the log as it is while a reader in another process holds it (a backup), and empties the log in the next gap once that reader is done', async () => {
    const { db, wal, write, dir } = await limitedRegister();
    const first = heldRead(db, wal);
    await first.begun;
    await write(16);
    // A backup begins reading in another process: its read holds the log where it is.
    const backup = await foreignReader(dir);
    expect(backup.rows).toBe(16);
    first.end();
    await first.done;

    // A new copy in the gap: the log cannot be emptied past the backup's read, and the copy begins anyway, on every write before it.
    const second = heldRead(db, wal);
    expect(await second.begun).toBeGreaterThan(LIMIT);
    // Pushes go on while the copy and the backup read.
    await write(2);
    second.end();
    expect(await second.done).toEqual({ before: 16, after: 16 });
    expect(await db.read((q) => q.all<{ n: number }>('select count(*) as n from filler'))).toEqual([{ n: 18 }]);

    // The backup ends whole; the next copy begins on an emptied log, with nothing lost.
    expect(await backup.end()).toBe(0);
    const third = heldRead(db, wal);
    expect(await third.begun).toBeLessThanOrEqual(LIMIT);
    third.end();
    expect(await third.done).toEqual({ before: 18, after: 18 });
  });
});
