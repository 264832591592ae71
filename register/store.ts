/**
 * The register's database, SQLite (embedded, the default) or PostgreSQL (with DATABASE_URL).
 * Both get their schema from drizzle-kit migrations committed under `register/migrations/`; the
 * register's operations are written once, as plain SQL both dialects understand, against this
 * small interface: `$1, $2…` parameters, and transactions that are serialised against each other.
 */
import Database from 'better-sqlite3';
import { drizzle as drizzleSqlite } from 'drizzle-orm/better-sqlite3';
import { migrate as migrateSqlite } from 'drizzle-orm/better-sqlite3/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

export interface Sql {
  all<T>(text: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a statement; resolves to the number of rows it changed. */
  run(text: string, params?: readonly unknown[]): Promise<number>;
}

export interface RegisterDb extends Sql {
  readonly dialect: 'sqlite' | 'postgres';
  /** One transaction; transactions that write never interleave. */
  tx<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  /** A consistent read over several statements (a snapshot), alongside writers. */
  read<T>(fn: (q: Sql) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type RegisterDbOptions = { dataDir: string } | { databaseUrl: string };

const migrations = (dialect: 'sqlite' | 'pg') => fileURLToPath(new URL(`./migrations/${dialect}`, import.meta.url));

export async function openRegisterDb(options: RegisterDbOptions): Promise<RegisterDb> {
  return 'databaseUrl' in options ? openPostgres(options.databaseUrl) : openSqlite(options.dataDir);
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

function openSqlite(dataDir: string): RegisterDb {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'register.sqlite');
  const writer = new Database(file);
  writer.pragma('journal_mode = WAL');
  writer.pragma('synchronous = FULL');
  writer.pragma('busy_timeout = 5000');
  writer.pragma('cache_size = -131072');
  migrateSqlite(drizzleSqlite(writer), { migrationsFolder: migrations('sqlite') });
  const reader = new Database(file, { readonly: true });
  reader.pragma('busy_timeout = 5000');
  reader.pragma('cache_size = -131072');

  const on = (conn: Database.Database): Sql => ({
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
  return {
    dialect: 'sqlite',
    all: (text, params) => writes(() => w.all(text, params)),
    run: (text, params) => writes(() => w.run(text, params)),
    tx: (fn) =>
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
      }),
    read: (fn) =>
      reads(async () => {
        reader.exec('BEGIN');
        try {
          return await fn(r);
        } finally {
          reader.exec('COMMIT');
        }
      }),
    async close() {
      await writes(async () => undefined);
      reader.close();
      writer.pragma('wal_checkpoint(TRUNCATE)');
      writer.close();
    },
  };
}

// bigint columns hold milliseconds and counters, all well inside a double's exact range.
pg.types.setTypeParser(20, (v) => Number(v));

async function openPostgres(url: string): Promise<RegisterDb> {
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  await migratePg(drizzlePg(pool), { migrationsFolder: migrations('pg') });
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
  return {
    dialect: 'postgres',
    all: base.all,
    run: base.run,
    // Writers take the `rev` counter's row first (see register.ts), which orders them by commit.
    tx: (fn) => within('BEGIN', fn),
    read: (fn) => within('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY', fn),
    close: () => pool.end(),
  };
}
