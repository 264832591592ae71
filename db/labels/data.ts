/** What goes on each label, read from the station's database. */
import type { IndividualLabelData, LocationLabelData, ReturnLabelData } from '../../vocabulary/zpl';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { stmt } from '../statements';

const notFound = (sv: string, en: string) => new DepotError('labels.not_found', { sv, en });

export function individualLabelData(store: StationDb, idOrNumber: string): IndividualLabelData & { id: string } {
  const r = stmt<IndividualLabelData & { id: string }>(
    store,
    `select i.id, i.individual_number as individualNumber, a.name as articleName, a.iso_code as isoCode
     from individuals i join articles a on a.id = i.article_id where i.id = @code or i.individual_number = @code`,
  ).get({ code: idOrNumber });
  if (!r) throw notFound(`Individ ${idOrNumber} finns inte.`, `Individual ${idOrNumber} does not exist.`);
  return r;
}

export function locationLabelData(store: StationDb, idOrCode: string): LocationLabelData & { id: string } {
  const r = stmt<LocationLabelData & { id: string }>(
    store,
    `select l.id, l.code, l.name, s.name as siteName from locations l join sites s on s.id = l.site_id
     where (l.id = @code or l.code = @code) and l.retired_at is null`,
  ).get({ code: idOrCode });
  if (!r) throw notFound(`Lagerplats ${idOrCode} finns inte.`, `Location ${idOrCode} does not exist.`);
  return r;
}

/** Every location in a range, by code: `BOD-H-01` gives the aisle and everything under it. */
export function locationRange(store: StationDb, fromCode: string, toCode: string): (LocationLabelData & { id: string })[] {
  const rows = stmt<LocationLabelData & { id: string }>(
    store,
    `select l.id, l.code, l.name, s.name as siteName from locations l join sites s on s.id = l.site_id
     where l.code >= ? and l.code <= ? || char(1114111) and l.retired_at is null order by l.code limit 1001`,
  ).all(fromCode, toCode);
  if (rows.length > 1000)
    throw new DepotError('labels.range_too_large', { sv: 'Intervallet har fler än 1 000 platser. Dela upp det.', en: 'The range holds more than 1,000 locations. Split it.' });
  return rows;
}

export function returnLabelData(store: StationDb, idOrNumber: string, pickupOrder: string, pickupPoint: string, municipality: string): ReturnLabelData {
  const i = individualLabelData(store, idOrNumber);
  return { individualNumber: i.individualNumber, articleName: i.articleName, pickupOrder, pickupPoint, municipality };
}

/** The individual's label went to a printer. */
export function markLabelSent(store: StationDb, individualId: string): void {
  stmt(store, "update label_jobs set status = 'sent' where entity_id = ? and kind = 'individual'").run(individualId);
}
