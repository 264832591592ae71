/**
 * Lots and their expiry dates (read from the GS1 code at goods receipt, synced through the
 * register): first-expiry-first at picking and at the kiosk, the site's expiry list (expired, and
 * expiring within a number of days), the rule that an expired lot never goes out, and a lot's
 * recall: where every unit of it is, and which orders it went out on.
 */
import { localDay } from '../../vocabulary/calendar';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { mustHoldRegion } from '../sync/scope';

/** Where an article can be taken from at a site: the first to expire first, then the fullest shelf; expired lots are left out. */
export interface LotStock {
  locationId: string;
  code: string;
  lot: string;
  expiresOn: string | null;
  quantity: number;
}

/** The storage kinds goods are taken from, unless the caller names its own. */
const SHELVES: readonly string[] = ['shelf', 'rack', 'floor'];

export function firstExpiryFirst(
  store: StationDb,
  siteId: string,
  articleId: string,
  options: { kinds?: readonly string[]; lot?: string | null; today?: string } = {},
): LotStock[] {
  return stmt<LotStock>(
    store,
    `select l.id as locationId, l.code, b.lot, lt.expires_on as expiresOn, b.quantity from balances b
       join locations l on l.id = b.location_id left join lots lt on lt.article_id = b.article_id and lt.lot = b.lot
     where b.article_id = $article and l.site_id = $site and l.kind in (select value from json_each($kinds)) and l.retired_at is null and b.quantity > 0
       and ($lot is null or b.lot = $lot) and (lt.expires_on is null or lt.expires_on >= $today)
     order by lt.expires_on is null, lt.expires_on, b.quantity desc, b.lot`,
  ).all({ article: articleId, site: siteId, kinds: JSON.stringify(options.kinds ?? SHELVES), lot: options.lot ?? null, today: options.today ?? localDay(Date.now()) });
}

/** The expiry date of a lot, if one was read. */
export function lotExpiry(store: StationDb, articleId: string, lot: string): string | null {
  return stmt<{ e: string | null }>(store, 'select expires_on as e from lots where article_id = ? and lot = ?').get(articleId, lot)?.e ?? null;
}

/** Refuses an expired lot going out to a patient. */
export function refuseExpired(store: StationDb, articleId: string, articleNumber: string, lot: string, today: string): void {
  const expires = lotExpiry(store, articleId, lot);
  if (expires !== null && expires < today)
    throw new DepotError(
      'stock.expired',
      {
        sv: `Batch ${lot} av ${articleNumber} gick ut ${expires} och lämnas inte ut. Ta en batch som inte har gått ut, och lägg den här i karantän.`,
        en: `Lot ${lot} of ${articleNumber} expired on ${expires} and does not go out. Take a lot that has not expired, and put this one in quarantine.`,
      },
      'lot',
    );
}

export interface ExpiryLine {
  articleId: string;
  articleNumber: string;
  name: string;
  lot: string;
  expiresOn: string;
  locationCode: string;
  quantity: number;
  expired: boolean;
}

/** A site's stock that has expired or expires within `days`, the first to expire first. */
export function expiryList(store: StationDb, siteId: string, days: number, now = Date.now()): ExpiryLine[] {
  const today = localDay(now);
  const until = localDay(now + days * 86_400_000);
  return stmt<Omit<ExpiryLine, 'expired'>>(
    store,
    `select a.id as articleId, a.article_number as articleNumber, a.name, lt.lot, lt.expires_on as expiresOn, l.code as locationCode, b.quantity
     from lots lt join balances b on b.article_id = lt.article_id and b.lot = lt.lot
       join locations l on l.id = b.location_id join articles a on a.id = lt.article_id
     where lt.expires_on is not null and lt.expires_on <= ? and l.site_id = ? and b.quantity > 0
     order by lt.expires_on, a.article_number, lt.lot, l.code`,
  )
    .all(until, siteId)
    .map((r) => ({ ...r, expired: r.expiresOn < today }));
}

export interface LotRecall {
  articleNumber: string;
  name: string;
  lot: string;
  expiresOn: string | null;
  /** Where its units are now. */
  stock: { site: string; locationCode: string; quantity: number }[];
  /** The orders it went out on (to patients, at a kiosk, to a depot's customers), with how many. */
  out: { orderRef: string | null; customerRef: string | null; deliveryPoint: string | null; day: string; quantity: number }[];
}

/** A recall of one lot of bulk goods: every unit still in stock, and every order it went out on. */
export function lotRecall(store: StationDb, articleId: string, lot: string): LotRecall {
  // Every site's stock and every order of the lot: a depot's own copy has its own site's only.
  mustHoldRegion(store);
  const a = stmt<{ articleNumber: string; name: string }>(store, 'select article_number as articleNumber, name from articles where id = ?').get(articleId);
  if (!a) throw new DepotError('stock.unknown_article', { sv: 'Okänd artikel.', en: 'Unknown article.' }, 'articleId');
  const stock = stmt<LotRecall['stock'][number]>(
    store,
    `select s.name as site, l.code as locationCode, b.quantity from balances b join locations l on l.id = b.location_id join sites s on s.id = l.site_id
     where b.article_id = ? and b.lot = ? and b.quantity > 0 order by sv_order(s.name), l.code`,
  ).all(articleId, lot);
  const out = stmt<{ orderRef: string | null; customerRef: string | null; deliveryPoint: string | null; at: number; quantity: number }>(
    store,
    `select m.order_ref as orderRef, o.customer_ref as customerRef, o.delivery_point as deliveryPoint, min(m.occurred_at) as at, sum(m.quantity) as quantity
     from movements m left join customer_orders o on o.order_ref = m.order_ref
     where m.article_id = ? and m.lot = ? and m.to_location_id is null and m.reason = 'delivery'
       and not exists (select 1 from movements c where c.reverses = m.id and c.article_id = m.article_id)
     group by m.order_ref order by at`,
  ).all(articleId, lot);
  return { ...a, lot, expiresOn: lotExpiry(store, articleId, lot), stock, out: out.map(({ at, ...o }) => ({ ...o, day: localDay(at) })) };
}
