/**
 * Keeps `stock_by_site` and `usage_by_day` (see db/schema/replenishment.ts) up to date with the ledger: from
 * scratch when they are not built, otherwise from the movements added since the watermark.
 */
import type { StationDb } from '../open';
import { stmt } from '../statements';

/** Where stock counts as on hand: not in the returns, cleaning, workshop or quarantine queues, nor at dispatch. */
export const ON_HAND_KINDS = "('goods_in', 'rack', 'shelf', 'floor', 'spare_parts')";
/** What leaves a site for good: to patients, out on pallets (a depot's refill is the store's usage), scrapped. */
export const USAGE_REASONS = "('delivery', 'dispatch', 'scrap', 'spare_part')";
const DAY = 86_400_000;

const today = (now: number) => Math.floor(now / DAY);

/**
 * Brings the aggregates up to date for a usage window of `windowDays` ending `now`; returns how
 * many movements it had to read. The window's sum rolls: days that fall out are subtracted, new
 * usage is added; a different window length sums it anew.
 */
export function refreshAggregates(store: StationDb, windowDays = 90, now = Date.now()): number {
  const sq = store.sqlite;
  return sq.transaction(() => {
    const state = stmt<{ watermark: number; built: number; window_days: number; window_before: number }>(
      store,
      'select watermark, built, window_days, window_before from aggregates_state',
    ).get() ?? { watermark: 0, built: 0, window_days: windowDays, window_before: 0 };
    const top = stmt<{ r: number | null }>(store, 'select max(rowid) as r from movements').get()!.r ?? 0;
    const before = today(now) - windowDays;
    let read = 0;
    if (!state.built) {
      sq.exec('delete from stock_by_site; delete from usage_by_day; delete from usage_window;');
      sq.exec(
        `insert into stock_by_site (article_id, site_id, on_hand)
         select b.article_id, l.site_id, sum(b.quantity) from balances b join locations l on l.id = b.location_id
         where l.kind in ${ON_HAND_KINDS} and l.retired_at is null group by b.article_id, l.site_id`,
      );
      usageSince(store, 0);
      read = top;
    } else if (top > state.watermark) {
      for (const [side, sign] of [['from_location_id', -1], ['to_location_id', 1]] as const)
        stmt(
          store,
          `insert into stock_by_site (article_id, site_id, on_hand)
           select m.article_id, l.site_id, ${sign} * sum(m.quantity) from movements m join locations l on l.id = m.${side}
           where m.rowid > ? and l.kind in ${ON_HAND_KINDS} and l.retired_at is null group by m.article_id, l.site_id
           on conflict (article_id, site_id) do update set on_hand = on_hand + excluded.on_hand`,
        ).run(state.watermark);
      // New usage inside the window as it stands joins its sum (what is older is already outside).
      usageSince(store, state.watermark, state.window_days === windowDays ? state.window_before : null);
      read = top - state.watermark;
    }
    if (!state.built || state.window_days !== windowDays) {
      sq.exec('delete from usage_window');
      stmt(
        store,
        `insert into usage_window (article_id, site_id, quantity)
         select article_id, site_id, sum(quantity) from usage_by_day where day > ? group by article_id, site_id`,
      ).run(before);
    } else if (before > state.window_before) {
      // The days that slid out of the window leave its sum.
      stmt(
        store,
        `insert into usage_window (article_id, site_id, quantity)
         select article_id, site_id, -sum(quantity) from usage_by_day where day > ? and day <= ? group by article_id, site_id
         on conflict (article_id, site_id) do update set quantity = quantity + excluded.quantity`,
      ).run(state.window_before, before);
    }
    stmt(store, 'insert or replace into aggregates_state (singleton, watermark, built, window_days, window_before) values (1, ?, 1, ?, ?)').run(
      top,
      windowDays,
      Math.max(before, state.window_days === windowDays && state.built ? state.window_before : before),
    );
    return read;
  })();
}

/** Adds the usage of movements after `rowid` to the daily sums, and to the window's sum for days after `windowBefore`. */
function usageSince(store: StationDb, rowid: number, windowBefore: number | null = null): void {
  const select = `select m.article_id as a, l.site_id as s, m.occurred_at / ${DAY} as d, sum(m.quantity) as q from movements m join locations l on l.id = m.from_location_id
     where m.rowid > ? and m.to_location_id is null and m.reason in ${USAGE_REASONS} group by m.article_id, l.site_id, m.occurred_at / ${DAY}`;
  stmt(
    store,
    `insert into usage_by_day (article_id, site_id, day, quantity) select a, s, d, q from (${select}) where true
     on conflict (article_id, site_id, day) do update set quantity = quantity + excluded.quantity`,
  ).run(rowid);
  if (windowBefore !== null)
    stmt(
      store,
      `insert into usage_window (article_id, site_id, quantity) select a, s, sum(q) from (${select}) where d > ? group by a, s
       on conflict (article_id, site_id) do update set quantity = quantity + excluded.quantity`,
    ).run(rowid, windowBefore);
}

/** Forget the aggregates (a full copy replaced the balances): the next refresh builds them anew. */
export function invalidateAggregates(store: StationDb): void {
  stmt(store, 'update aggregates_state set built = 0').run();
}
