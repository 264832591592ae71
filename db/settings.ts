import type { StationDb } from './open';
import { stmt } from './statements';

/** Reads one of this station's settings, or the fallback when it was never set. */
export function getSetting<T>(store: StationDb, key: string, fallback: T): T {
  const row = stmt<{ value: string }>(store, 'select value from station_settings where key = ?').get(key);
  return row ? (JSON.parse(row.value) as T) : fallback;
}

export function putSetting(store: StationDb, key: string, value: unknown): void {
  stmt(
    store,
    `insert into station_settings (key, value, updated_at) values (?, ?, ?)
     on conflict (key) do update set value = excluded.value, updated_at = excluded.updated_at`,
  ).run(key, JSON.stringify(value), Date.now());
}
