import type Database from 'better-sqlite3';
import type { StationDb } from './open';

/**
 * How the core runs SQL: its queries go through `stmt`, prepared once per
 * connection and kept for the connection's life (a few hundred statements in all), so a query
 * that runs at every scan is never compiled twice.
 */
const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** The prepared statement for `sql` on this connection, compiled at its first use. */
export function stmt<R = unknown>(store: StationDb, sql: string): Database.Statement<unknown[], R> {
  let cache = caches.get(store.sqlite);
  if (!cache) caches.set(store.sqlite, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = store.sqlite.prepare(sql)));
  return s as Database.Statement<unknown[], R>;
}
