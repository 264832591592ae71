/**
 * Rental periods, the basis the centre invoices rent on: a device is rented from the day it is
 * delivered (a customer's pallet delivered, a kiosk or depot hand-out) until the day it comes back
 * (a return), per individual and order. Read from the ledger's movements still standing, so an
 * undone delivery or return counts as never made; listed per municipality and month, with the
 * days of each period that fall in that month.
 */
import { localDay } from '../../vocabulary/calendar';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { mustHoldRegion } from '../sync/scope';

export interface RentalPeriod {
  individualNumber: string;
  articleNumber: string;
  articleName: string;
  orderRef: string | null;
  customerRef: string | null;
  municipality: string;
  /** The day it went out and the day it came back (null while it is still out), `YYYY-MM-DD`. */
  from: string;
  to: string | null;
  /** The period's days within the month asked for: the day out and the day back both count. */
  days: number;
}

const DAY = 86_400_000;
const dayNumber = (day: string) => Date.parse(`${day}T00:00:00Z`) / DAY;

/** The rental periods that touch a month (`YYYY-MM`), optionally of one municipality, by municipality and period start. */
export function rentalPeriods(store: StationDb, month: string, municipality?: string | null, now = Date.now()): RentalPeriod[] {
  // Every municipality's loans are the whole region's history: a depot's own copy has only its site's.
  mustHoldRegion(store);
  const first = `${month}-01`;
  const [y, m] = month.split('-').map(Number) as [number, number];
  const next = m === 12 ? `${y + 1}-01-01` : `${y}-${String(m + 1).padStart(2, '0')}-01`;
  // A day's bounds are local days; a little slack either side and the day check below is exact.
  const from = Date.parse(`${first}T00:00:00Z`) - DAY;
  const until = Date.parse(`${next}T00:00:00Z`) + DAY;
  const rows = stmt<Omit<RentalPeriod, 'from' | 'to' | 'days'> & { outAt: number; backAt: number | null }>(
    store,
    `with undone as (select reverses as id from movements where reverses is not null),
     out as (
       select m.id, m.individual_id, m.order_ref, m.occurred_at, m.recorded_at, m.station_id, m.seq, lf.site_id
       from movements m join locations lf on lf.id = m.from_location_id
       where m.reason = 'delivery' and m.individual_id is not null and m.to_location_id is null and m.occurred_at < @until
         and m.id not in (select id from undone)
     ),
     periods as (
       -- The first return booked after the delivery, in the order the device's history is kept (a late return may be dated back).
       select o.*, (select r.occurred_at from movements r where r.individual_id = o.individual_id and r.reason = 'return' and r.id not in (select id from undone)
                      and (r.recorded_at, r.station_id, r.seq) > (o.recorded_at, o.station_id, o.seq)
                    order by r.recorded_at, r.station_id, r.seq limit 1) as back_at
       from out o
     )
     select i.individual_number as individualNumber, a.article_number as articleNumber, a.name as articleName, p.order_ref as orderRef,
       co.customer_ref as customerRef, coalesce(co.municipality, s.municipality) as municipality, p.occurred_at as outAt, p.back_at as backAt
     from periods p join individuals i on i.id = p.individual_id join articles a on a.id = i.article_id
       left join customer_orders co on co.order_ref = p.order_ref join sites s on s.id = p.site_id
     where (p.back_at is null or p.back_at >= @from) and (@municipality is null or coalesce(co.municipality, s.municipality) = @municipality)
     order by sv_order(coalesce(co.municipality, s.municipality)), p.occurred_at, i.individual_number`,
  ).all({ from, until, municipality: municipality ?? null });
  const monthFirst = dayNumber(first);
  const monthLast = dayNumber(next) - 1;
  const today = localDay(now);
  return rows.flatMap((r) => {
    const out = localDay(r.outAt);
    const back = r.backAt === null ? null : localDay(r.backAt);
    const days = Math.min(monthLast, dayNumber(back ?? today)) - Math.max(monthFirst, dayNumber(out)) + 1;
    if (days <= 0) return [];
    const { outAt: _out, backAt: _back, ...rest } = r;
    return [{ ...rest, from: out, to: back, days }];
  });
}

/** What a screen shows of a month: each municipality's periods and days, and the first periods of the one chosen (the file has them all). */
export function rentalSummary(store: StationDb, month: string, municipality?: string | null, shown = 500) {
  const all = rentalPeriods(store, month);
  const byMunicipality = new Map<string, { municipality: string; periods: number; days: number }>();
  for (const p of all) {
    const m = byMunicipality.get(p.municipality) ?? { municipality: p.municipality, periods: 0, days: 0 };
    m.periods++;
    m.days += p.days;
    byMunicipality.set(p.municipality, m);
  }
  const chosen = municipality ? all.filter((p) => p.municipality === municipality) : all;
  return {
    municipalities: [...byMunicipality.values()].sort((a, b) => a.municipality.localeCompare(b.municipality, 'sv')),
    total: { periods: chosen.length, days: chosen.reduce((n, p) => n + p.days, 0) },
    periods: chosen.slice(0, shown),
  };
}

/** The periods as rows of a sheet, headed in Swedish. */
export function rentalRows(periods: readonly RentalPeriod[]): (string | number | null)[][] {
  return [
    ['Kommun', 'Individ', 'Artikel', 'Benämning', 'Order', 'Kund', 'Från', 'Till', 'Dagar i månaden'],
    ...periods.map((p) => [p.municipality, p.individualNumber, p.articleNumber, p.articleName, p.orderRef, p.customerRef, p.from, p.to, p.days]),
  ];
}
