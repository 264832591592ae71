/**
 * Traceability for a safety notice: every individual of an article (optionally one lot, or a range
 * of serial numbers) and where it is: in stock where, in a reconditioning queue, or out with a
 * patient under which order reference. Exportable as CSV for the notice's answer.
 */
import { csv } from '../csv';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { mustHoldRegion } from '../sync/scope';

export interface TraceRow {
  individualNumber: string;
  serialNumber: string | null;
  status: string;
  site: string | null;
  location: string | null;
  /** The order it went out on, for one out with a patient. */
  orderRef: string | null;
  serviceState: string | null;
}

export function safetyNotice(store: StationDb, input: { articleId: string; lot?: string | null; serialFrom?: string | null; serialTo?: string | null }): TraceRow[] {
  // Every device of the article in the region: a depot's own copy holds only those at or near its site.
  mustHoldRegion(store);
  return stmt<TraceRow>(
    store,
    `select i.individual_number as individualNumber, i.serial_number as serialNumber, i.status, s.name as site, l.code as location,
       case when i.status = 'on_loan' then i.loan_order_ref
            when i.location_id is null then (select m.order_ref from movements m where m.individual_id = i.id order by m.occurred_at desc, m.id desc limit 1) end as orderRef,
       (select j.state from service_jobs j where j.individual_id = i.id and j.closed_at is null) as serviceState
     from individuals i left join locations l on l.id = i.location_id left join sites s on s.id = i.site_id
     where i.article_id = $article and i.status <> 'cancelled'
       and ($lot is null or exists (select 1 from movements m where m.individual_id = i.id and m.lot = $lot))
       and ($from is null or i.serial_number >= $from) and ($to is null or i.serial_number <= $to)
     order by i.individual_number`,
  ).all({ article: input.articleId, lot: input.lot ?? null, from: input.serialFrom ?? null, to: input.serialTo ?? null });
}

/** The notice as CSV for a spreadsheet. */
export function traceCsv(rows: readonly TraceRow[]): string {
  return csv([['Individ', 'Serienummer', 'Status', 'Förråd', 'Plats', 'Order', 'Rekond'], ...rows.map((r) => [r.individualNumber, r.serialNumber, r.status, r.site, r.location, r.orderRef, r.serviceState])]);
}
