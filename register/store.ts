/**
 * The register's database, SQLite (embedded, the default) or PostgreSQL (with DATABASE_URL).
 * Both get their schema from drizzle-kit migrations committed under `register/migrations/`; the
 * register's operations are written once, as plain SQL both dialects understand, against this
 * small interface: `$1, $2…` parameters, and transactions that are serialised against each other.
 *
 * On SQLite the register's data is kept like a station's: the database and its write-ahead log
 * encrypted with the stations' cipher and settings (db/cipher.ts), under a key of 32 random bytes
 * in a file of its own (`register.key` in the data dir, or wherever `keyFile` says, so it can live
 * on another volume), and the data dir, its files and the key readable by their owner only; a
 * register whose files others can reach does not start. PostgreSQL keeps its data as the DBMS and
 * its disks are set up to.
 */
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { encryptFile, fileState, openSqlite as openEncrypted, type Sqlite } from '../db/cipher';
import { DepotError } from '../vocabulary/errors';
import { isOwnerOnly, ownerOnlyKey, type KeyRefusals } from '../db/key';
import { copyInBackground } from '../db/background';

export interface Sql {
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface RegisterDb extends Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** One transaction; transactions that write never interleave. */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /**
   * A transaction that numbers changes (it takes the `rev` counter first, see register/sql.ts):
   * such transactions commit one at a time across all register processes anyway, so each process
   * runs its own one at a time, and those waiting hold no database connection that reads need.
   */
  changes<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** A consistent read over several statements (a snapshot), alongside writers. */
  read<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /**
   * A consistent read that lasts as long as the network takes (a full copy, read as it is sent):
   * on SQLite on a read-only connection of its own, so the reads every station's pulls go through
   * never wait behind it; on PostgreSQL a connection of the pool, as any read.
   */
  longRead<T>(fn: (q: Sql) => Promise<T>, signal?: AbortSignal): Promise<T>;
  /**
   * Runs `fn` while no other register process on the same database runs one (a first start's
   * demo data, an exchange with the region's system). On PostgreSQL several register nodes share
   * the database: an advisory lock held for the while. On SQLite one process has the database:
   * its calls take their turns in that process. Never called from within `fn`.
   */
  alone<T>(fn: () => Promise<T>): Promise<T>;
  /** Waits for what is under way, then closes; a full copy still reading is ended. Safe to call twice. */
  close(): Promise<void>;
}

export type RegisterDbOptions =
  | {
      dataDir: string;
      /** The database key's file; `register.key` in the data dir when not given. */
      keyFile?: string | undefined;
      /** How large the write-ahead log may grow while full copies read (`WAL_LIMIT_BYTES` when not given). */
      walLimitBytes?: number | undefined;
    }
  | { databaseUrl: string };

export const REGISTER_DB_FILE = 'register.sqlite';

/**
 * How large a SQLite register's write-ahead log may grow: SQLite starts the log again only once no
 * read holds an older state of the database, so full copies that overlap one after another would
 * keep it growing for as long as they overlap. Past this size a new copy waits for those under way
 * to end, and the log is emptied into the database first; after any checkpoint it is cut back to it.
 */
export const WAL_LIMIT_BYTES = 128 << 20;
export const REGISTER_KEY_FILE = 'register.key';

const migrations = (dialect: 'sqlite' | 'pg') => fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

export async function openRegisterDb(options: RegisterDbOptions): Promise<RegisterDb> {
  return 'databaseUrl' in options
    ? openPostgres(options.databaseUrl)
    : openSqlite(options.dataDir, options.keyFile ?? join(options.dataDir, REGISTER_KEY_FILE), options.walLimitBytes ?? WAL_LIMIT_BYTES);
}

/** A promise chain that runs one task at a time. */
function serial() {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(task: () => Promise<T>): Promise<T> => {
    const result = tail.then(task, task);
    tail = result.catch(() => undefined);
    return result;
  };
}

const converted = new Map<string, { text: string; order: number[] }>();
/** `$1 … $n` to SQLite's `?`, remembering which parameter goes where. */
function toSqlite(text: string): { text: string; order: number[] } {
  let c = converted.get(text);
  if (!c) {
    const order: number[] = [];
    c = { text: text.replace(/\$(\d+)/g, (_, n: string) => (order.push(Number(n) - 1), '?')), order };
    if (converted.size > 2000) converted.clear();
    converted.set(text, c);
  }
  return c;
}

/** The register's words for folders and files that others than its owner can reach, with the commands that fix them. */
function exposed(paths: readonly string[]): DepotError {
  const uid = process.getuid?.();
  const stats = paths.map((p) => ({ p, s: statSync(p) }));
  const foreign = stats.filter(({ s }) => uid !== undefined && s.uid !== uid).map(({ p }) => p);
  const dirs = stats.filter(({ s }) => s.isDirectory()).map(({ p }) => p);
  const files = stats.filter(({ s }) => !s.isDirectory()).map(({ p }) => p);
  const run = [
    ...(foreign.length > 0 ? [`chown ${userInfo().username} ${foreign.join(' ')}`] : []),
    ...(dirs.length > 0 ? [`chmod 700 ${dirs.join(' ')}`] : []),
    ...(files.length > 0 ? [`chmod 600 ${files.join(' ')}`] : []),
  ].join(' && ');
  return new DepotError('register.files_exposed', {
    sv: `Registrets data kan läsas eller ändras av andra än registrets användare (${paths.join(', ')}), och registret startar inte så. Kör ${run} och starta igen. Registrets datamapp ska ha behörighet 700 och dess filer (databasen, dess loggfiler och nyckelfilen) 600.`,
    en: `The register's data can be read or changed by others than the register's user (${paths.join(', ')}), and the register does not start so. Run ${run} and start again. The register's data folder needs mode 700 and its files (the database, its log files and the key file) 600.`,
  });
}

const refusals = (file: string): KeyRefusals => ({
  missing: (keyFile) =>
    new DepotError('register.key_missing', {
      sv: `Registrets databas ${file} är krypterad men nyckelfilen ${keyFile} saknas. Lägg tillbaka nyckelfilen från IT:s kopia, eller ange var den ligger (--key-file eller REGISTER_KEY_FILE), och starta igen. Registret gör ingen ny nyckel: en ny nyckel kan aldrig öppna databasen.`,
      en: `The register's database ${file} is encrypted but its key file ${keyFile} is missing. Put the key file back from IT's copy, or say where it is (--key-file or REGISTER_KEY_FILE), and start again. The register makes no new key: a new key could never open the database.`,
    }),
  damaged: (keyFile) =>
    new DepotError('register.key_damaged', {
      sv: `Registrets databasnyckel i ${keyFile} är skadad. Lägg tillbaka nyckelfilen från IT:s kopia och starta igen.`,
      en: `The register's database key in ${keyFile} is damaged. Put the key file back from IT's copy and start again.`,
    }),
  exposed: (keyFile) => exposed([keyFile]),
});

const wrongKey = (file: string, keyFile: string): DepotError =>
  new DepotError('register.key_wrong', {
    sv: `Registrets databas ${file} går inte att låsa upp med nyckeln i ${keyFile}: nyckeln hör till en annan databas, eller filen är skadad. Ange rätt nyckelfil (--key-file eller REGISTER_KEY_FILE), eller återställ databasen och dess nyckel från IT:s säkerhetskopia, och starta igen.`,
    en: `The register's database ${file} cannot be unlocked with the key in ${keyFile}: the key belongs to another database, or the file is damaged. Give the right key file (--key-file or REGISTER_KEY_FILE), or restore the database and its key from IT's backup, and start again.`,
  });

/** The database file and the files SQLite keeps beside it, those that are there. */
const databaseFiles = (file: string): string[] => [file, `${file}-wal`, `${file}-shm`, `${file}-journal`].filter((f) => existsSync(f));

/**
 * Runs `fn` with the process's umask at owner-only, so nothing it creates (SQLite's log and
 * shared-memory files included) is ever readable by others, even for a moment. A worker thread
 * may not change the umask: there the explicit modes given and set around `fn` still hold.
 */
function withOwnerOnlyUmask<T>(fn: () => T): T {
  let previous: number | null = null;
  try {
    previous = process.umask(0o077);
  } catch {
    // A worker thread: the umask stays as it is.
  }
  try {
    return fn();
  } finally {
    if (previous !== null) process.umask(previous);
  }
}

/**
 * The register's SQLite database in `dataDir`, encrypted with the key in `keyFile`: the data dir
 * and its files owner-only or refused, a new key made only for a new or plain database, a plain
 * database from before encryption encrypted in place, then the migrations.
 */
/**
 * An online copy of the register's SQLite database into a new file, encrypted under the same key:
 * the register goes on serving meanwhile (a reader in a thread of its own copies what is committed).
 * The copy is readable by its owner only; restoring is putting it in place of `register.sqlite`.
 */
export async function copyRegister(options: { dataDir: string; keyFile?: string | undefined }, target: string): Promise<void> {
  const file = join(options.dataDir, REGISTER_DB_FILE);
  if (fileState(file) !== 'encrypted') throw new DepotError('register.no_database', { sv: `Det finns ingen registerdatabas i ${options.dataDir}.`, en: `There is no register database in ${options.dataDir}.` });
  if (existsSync(target) && statSync(target).size > 0) throw new DepotError('register.copy_exists', { sv: `${target} finns redan; välj ett nytt filnamn.`, en: `${target} exists already; choose a new file name.` });
  const key = ownerOnlyKey(options.keyFile ?? join(options.dataDir, REGISTER_KEY_FILE), { mayCreate: false, refusals: refusals(file) });
  // An empty file made owner-only first: the copy is written into it with that mode.
  closeSync(openSync(target, 'w', 0o600));
  chmodSync(target, 0o600);
  await copyInBackground({ file, key }, target);
}

/**
 * A read-only connection to the register's database: the one pulls share, with a large page cache,
 * or a full copy's own, which reads each page about once and keeps a small one.
 */
function openReader(file: string, key: Buffer, cacheKiB = 131_072): Sqlite {
  const reader = openEncrypted(file, key, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma(`cache_size = -${cacheKiB}`);
  return reader;
}

function openSqliteFiles(dataDir: string, keyFile: string, walLimit: number): { file: string; writer: Sqlite; reader: Sqlite; openReader: () => Sqlite } {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, REGISTER_DB_FILE);
  const loose = [dataDir, ...databaseFiles(file), ...(existsSync(keyFile) ? [keyFile] : [])].filter((p) => !isOwnerOnly(p));
  if (loose.length > 0) throw exposed(loose);
  const state = fileState(file);
  const key = ownerOnlyKey(keyFile, { mayCreate: state !== 'encrypted', refusals: refusals(file) });
  if (state === 'plain') encryptFile(file, key);
  // A new database file is made owner-only before SQLite opens it: SQLite gives its log and
  // shared-memory files the database file's mode.
  if (state === 'none') closeSync(openSync(file, 'a', 0o600));
  let writer: Sqlite;
  try {
    writer = openEncrypted(file, key);
  } catch (e) {
    if ((e as { code?: string }).code === 'SQLITE_NOTADB') throw wrongKey(file, keyFile);
    throw e;
  }
  let reader: Sqlite | null = null;
  try {
    writer.pragma('journal_mode = WAL');
    writer.pragma('synchronous = FULL');
    writer.pragma('busy_timeout = 5000');
    writer.pragma('cache_size = -131072');
    writer.pragma(`journal_size_limit = ${walLimit}`);
    migrateSqlite(drizzleSqlite(writer), { migrationsFolder: migrations('sqlite') });
    reader = openReader(file, key);
    for (const f of databaseFiles(file)) chmodSync(f, 0o600);
    return { file, writer, reader, openReader: () => openReader(file, key, 16_384) };
  } catch (e) {
    reader?.close();
    writer.close();
    throw e;
  }
}

function openSqlite(dataDir: string, keyFile: string, walLimit: number): RegisterDb {
  const { file, writer, reader, openReader } = withOwnerOnlyUmask(() => openSqliteFiles(dataDir, keyFile, walLimit));
  /** The connections of long reads under way: closed at `close`, which ends their reads. */
  const longReaders = new Set<Sqlite>();
  /** Long reads waiting for those under way to end (the write-ahead log past its limit). */
  let waiting: (() => void)[] = [];
  const walBytes = () => statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0;
  let closed = false;
  /** Until the long reads under way have ended, or `signal` says the one waiting is no longer wanted. */
  const gap = (signal?: AbortSignal) =>
    new Promise<void>((go, fail) => {
      const turn = () => {
        signal?.removeEventListener('abort', leave);
        go();
      };
      const leave = () => {
        const at = waiting.indexOf(turn);
        if (at >= 0) waiting.splice(at, 1);
        fail(signal!.reason);
      };
      waiting.push(turn);
      signal?.addEventListener('abort', leave, { once: true });
    });
  const endOfGap = () => {
    const next = waiting;
    waiting = [];
    for (const go of next) go();
  };
  /**
   * Empties the write-ahead log into the database, once for every long read that waited for it and
   * only while none reads: without waiting for another process's reader (a backup), whose read
   * would keep it from emptying anyway (the copy then begins with the log as it is).
   */
  let emptying: Promise<void> | null = null;
  const emptyLog = () =>
    (emptying ??= writes(async () => {
      if (longReaders.size > 0 || walBytes() <= walLimit) return;
      writer.pragma('busy_timeout = 0');
      try {
        writer.pragma('wal_checkpoint(TRUNCATE)');
      } finally {
        writer.pragma('busy_timeout = 5000');
      }
    }).finally(() => (emptying = null)));

  const on = (conn: Sqlite): Sql => ({
    async all<T>(text: string, params: readonly unknown[] = []) {
      const c = toSqlite(text);
      const s = conn.prepare(c.text);
      const args = c.order.map((i) => params[i]);
      return (s.reader ? s.all(...args) : (s.run(...args), [])) as T[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      const c = toSqlite(text);
      return conn.prepare(c.text).run(...c.order.map((i) => params[i])).changes;
    },
  });
  const w = on(writer);
  const r = on(reader);
  const writes = serial();
  const reads = serial();
  const alone = serial();
  const tx = <T>(fn: (q: Sql) => Promise<T>): Promise<T> =>
    writes(async () => {
      writer.exec('BEGIN IMMEDIATE');
      try {
        const result = await fn(w);
        writer.exec('COMMIT');
        return result;
      } catch (e) {
        if (writer.inTransaction) writer.exec('ROLLBACK');
        throw e;
      }
    });
  return {
    dialect: 'sqlite',
    all: (text, params) => writes(() => w.all(text, params)),
    run: (text, params) => writes(() => w.run(text, params)),
    changes: (fn) => tx(fn),
    tx: (fn) => tx(fn),
    alone: (fn) => alone(fn),
    read: (fn) =>
      reads(async () => {
        reader.exec('BEGIN');
        try {
          return await fn(r);
        } finally {
          reader.exec('COMMIT');
        }
      }),
    async longRead(fn, signal) {
      if (closed) throw new Error('the register is closing');
      // A log past its limit is emptied into the database before another long read holds it:
      // once those under way have ended (a read holding an older state keeps the log from starting again).
      while (!closed && longReaders.size > 0 && walBytes() > walLimit) await gap(signal);
      if (!closed && walBytes() > walLimit) await emptyLog();
      if (closed) throw new Error('the register is closing');
      signal?.throwIfAborted();
      const own = openReader();
      longReaders.add(own);
      try {
        own.exec('BEGIN');
        return await fn(on(own));
      } finally {
        longReaders.delete(own);
        // Closing the connection ends its read transaction.
        if (own.open) own.close();
        if (longReaders.size === 0) endOfGap();
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      // Long reads waiting for a gap never begin.
      endOfGap();
      await writes(async () => undefined);
      for (const own of longReaders) own.close();
      reader.close();
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.close();
    },
  };
}

// bigint columns hold milliseconds and counters, all well inside a double's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

/** The advisory lock (a number of the register's own) that register nodes starting together take in turn. */
export const START_LOCK = 0x6465706f; // "depo"

/** Connections each register process keeps to PostgreSQL at most (its pool). */
export const PG_POOL_SIZE = 8;

async function openPostgres(url: string): Promise<RegisterDb> {
  const pool = new pg.Pool({ connectionString: url, max: PG_POOL_SIZE });
  /** `fn` under the start lock, on a connection of its own that holds it (released when `fn` ends, or the connection does). */
  const alone = async <T>(fn: () => Promise<T>): Promise<T> => {
    const holder = new pg.Client({ connectionString: url });
    await holder.connect();
    try {
      await holder.query('select pg_advisory_lock($1)', [START_LOCK]);
      return await fn();
    } finally {
      await holder.end().catch(() => undefined);
    }
  };
  // Several register nodes may start at once on one database: one migrates, the others wait and find it done.
  try {
    await alone(() => migratePg(drizzlePg(pool), { migrationsFolder: migrations('pg') }));
  } catch (e) {
    await pool.end().catch(() => undefined);
    throw e;
  }
  const on = (c: pg.Pool | pg.PoolClient): Sql => ({
    async all<T>(text: string, params: readonly unknown[] = []) {
      return (await c.query(text, params as unknown[])).rows as T[];
    },
    async run(text: string, params: readonly unknown[] = []) {
      return (await c.query(text, params as unknown[])).rowCount ?? 0;
    },
  });
  const within = async <T>(begin: string, fn: (q: Sql) => Promise<T>): Promise<T> => {
    const client = await pool.connect();
    try {
      await client.query(begin);
      const result = await fn(on(client));
      await client.query('COMMIT');
      return result;
    } catch (e) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw e;
    } finally {
      client.release();
    }
  };
  const base = on(pool);
  const numbering = serial();
  let ended: Promise<void> | null = null;
  return {
    dialect: 'postgres',
    all: base.all,
    run: base.run,
    // Writers take the `rev` counter's row first (see register.ts), which orders them by commit.
    tx: (fn) => within('BEGIN', fn),
    changes: (fn) => numbering(() => within('BEGIN', fn)),
    read: (fn) => within('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    longRead: (fn) => within('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    alone,
    close: () => (ended ??= pool.end()),
  };
}
