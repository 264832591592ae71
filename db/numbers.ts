/**
 * Numbers a station hands out on its own (refill orders, purchase orders, work orders): a counter
 * per series, prefixed with the station's site code so numbers from different stations never
 * collide offline, e.g. AO-BOD-000012.
 */
import type { StationDb } from './open';
import { stmt } from './statements';

function nextInSeries(store: StationDb, series: string): number {
  const row = stmt<{ next: number }>(store, 'select next from number_series where name = ?').get(series);
  if (!row) stmt(store, 'insert into number_series (name, next, last) values (?, 2, 9999999)').run(series);
  else stmt(store, 'update number_series set next = next + 1 where name = ?').run(series);
  return row?.next ?? 1;
}

const stationCode = (store: StationDb) => stmt<{ code: string }>(store, 'select s.code from station st join sites s on s.id = st.site_id').get()?.code ?? 'X';

/** The next number of a series, e.g. `stationNumber(store, 'AO', 'work_order')` → AO-BOD-000012. */
export function stationNumber(store: StationDb, prefix: string, series: string): string {
  return `${prefix}-${stationCode(store)}-${String(nextInSeries(store, series)).padStart(6, '0')}`;
}
