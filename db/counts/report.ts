/**
 * The count report: accuracy per zone and for the whole count (share of counted lines, an article
 * lot or an individual at a location, that matched the ledger), the variance value, and the
 * individuals found and missing; every variance line as it was decided.
 */
import { csv } from '../csv';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import { varianceReview, type VarianceLine } from './approve';
import { countHead, zoneOf, type CountHead } from './plan';

export interface AccuracyFigures {
  zoneCode: string;
  zoneName: string;
  locations: number;
  lines: number;
  variances: number;
  /** 0–1: lines without a variance. */
  accuracy: number;
  /** Net value of the variances in öre (and the sum of their absolute values). */
  value: number;
  absoluteValue: number;
  missing: number;
  found: number;
}

export interface CountReport {
  count: CountHead;
  zones: AccuracyFigures[];
  total: AccuracyFigures;
  lines: (VarianceLine & { approved: boolean | null })[];
}

export function countReport(store: StationDb, countId: string): CountReport {
  const count = countHead(store, countId);
  // Each counted location with its zone, and how many lines it had (what was expected or counted there).
  const located = stmt<{ locationId: string; zoneCode: string; zoneName: string; lines: number }>(
    store,
    `select cl.location_id as locationId, coalesce(z.code, '–') as zoneCode, coalesce(z.name, '') as zoneName, coalesce(cl.lines, 0) as lines
     from count_locations cl left join locations z on z.id = ${zoneOf('cl.location_id')}
     where cl.count_id = $c and cl.state in ('counted', 'recounted')`,
  ).all({ c: count.id });
  const decided = new Map(
    stmt<{ key: string; approved: number }>(
      store,
      "select location_id || '|' || article_id || '|' || lot || '|' || coalesce(individual_id, '') as key, approved from count_adjustments where count_id = ?",
    )
      .all(count.id)
      .map((d) => [d.key, d.approved === 1]),
  );
  const lines = varianceReview(store, count.id).lines.map((l) => ({ ...l, approved: count.state === 'approved' ? (decided.get(l.key) ?? false) : null }));
  const zoneAt = new Map(located.map((l) => [l.locationId, l]));
  const figures = new Map<string, AccuracyFigures>();
  const empty = (zoneCode: string, zoneName: string): AccuracyFigures => ({ zoneCode, zoneName, locations: 0, lines: 0, variances: 0, accuracy: 1, value: 0, absoluteValue: 0, missing: 0, found: 0 });
  const total = empty('', '');
  for (const l of located) {
    const z = figures.get(l.zoneCode) ?? figures.set(l.zoneCode, empty(l.zoneCode, l.zoneName)).get(l.zoneCode)!;
    for (const f of [z, total]) {
      f.locations++;
      f.lines += l.lines;
    }
  }
  for (const v of lines) {
    const z = figures.get(zoneAt.get(v.locationId)?.zoneCode ?? '–');
    for (const f of [z, total]) {
      if (!f) continue;
      f.variances++;
      f.value += v.value;
      f.absoluteValue += Math.abs(v.value);
      if (v.kind === 'missing') f.missing++;
      if (v.kind === 'found') f.found++;
    }
  }
  for (const f of [...figures.values(), total]) f.accuracy = f.lines === 0 ? 1 : (f.lines - f.variances) / f.lines;
  return { count, zones: [...figures.values()].sort((a, b) => a.zoneCode.localeCompare(b.zoneCode)), total, lines };
}

const HEADER = ['Plats', 'Zon', 'Artikelnummer', 'Artikel', 'Batch', 'Individ', 'Förväntat', 'Räknat', 'Avvikelse', 'Värde (kr)', 'Typ', 'Godkänd'];
const KIND = { quantity: 'antal', missing: 'saknas', found: 'hittad' } as const;

/** The variance lines as rows (header first), the same for CSV and the spreadsheet. */
export function reportRows(r: CountReport): (string | number | null)[][] {
  return [
    HEADER,
    ...r.lines.map((l) => [
      l.locationCode,
      l.zoneCode,
      l.articleNumber,
      l.articleName,
      l.lot || null,
      l.individualNumber,
      l.expected,
      l.counted,
      l.difference,
      l.value / 100,
      KIND[l.kind],
      l.approved === null ? null : l.approved ? 'ja' : 'nej',
    ]),
  ];
}

export function reportZoneRows(r: CountReport): (string | number | null)[][] {
  return [
    ['Zon', 'Namn', 'Platser', 'Rader', 'Avvikelser', 'Träffsäkerhet (%)', 'Avvikelsevärde netto (kr)', 'Saknade individer', 'Hittade individer'],
    ...[...r.zones, { ...r.total, zoneCode: 'Totalt', zoneName: '' }].map((z) => [z.zoneCode, z.zoneName, z.locations, z.lines, z.variances, Math.round(z.accuracy * 1000) / 10, z.value / 100, z.missing, z.found]),
  ];
}

/** The variance lines as CSV. */
export const reportCsv = (r: CountReport): string => csv(reportRows(r));
