import type Database from 'better-sqlite3';
import type { Store } from './open';

const caches = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A prepared statement, compiled once per connection and reused (hot paths only). */
export function stmt<R = unknown>(store: Store, sql: string): Database.Statement<unknown[], R> {
  let cache = caches.get(store.sqlite);
  if (!cache) caches.set(store.sqlite, (cache = new Map()));
  let s = cache.get(sql);
  if (!s) cache.set(sql, (s = store.sqlite.prepare(sql)));
  return s as Database.Statement<unknown[], R>;
}
