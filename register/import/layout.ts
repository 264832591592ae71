/**
 * The column layout of the files the region's register exports (documented in the README): one
 * table per kind, articles (*Artiklar*), individuals (*Individer*) and open orders (*Ordrar*), as
 * a CSV file each or as the sheets of one XLSX workbook. A table is known by its header row: the
 * columns may come in any order and have any case; unknown columns are refused, so a misspelt
 * column never silently drops its data.
 */

export type TableKind = 'article' | 'individual' | 'order';

export interface Column {
  /** The header as the file names it. */
  name: string;
  required: boolean;
}

const col = (name: string, required = false): Column => ({ name, required });

export const LAYOUT: Record<TableKind, { sheet: string; columns: Column[] }> = {
  article: {
    sheet: 'Artiklar',
    columns: [
      col('artikelnummer', true),
      col('benämning', true),
      col('iso', true),
      col('leverantör', true),
      col('enhet'),
      col('inköpspris', true),
      col('hyrs_ut', true),
      col('spårning'),
      col('gtin'),
      col('hibc'),
      col('likvärdighetsgrupp'),
    ],
  },
  individual: {
    sheet: 'Individer',
    columns: [col('individnummer', true), col('serienummer'), col('artikelnummer', true), col('status', true), col('förråd', true), col('plats')],
  },
  order: {
    sheet: 'Ordrar',
    columns: [
      col('ordernummer', true),
      col('kundreferens', true),
      col('förråd', true),
      col('leveransställe', true),
      col('kommun', true),
      col('rutt', true),
      col('leveransdag', true),
      col('beställd'),
      col('artikelnummer', true),
      col('antal', true),
    ],
  },
};

/** A header as compared: trimmed, lower-case, spaces as underscores. */
export const headerKey = (h: string): string => h.replace(/^\ufeff/, '').trim().toLocaleLowerCase('sv-SE').replace(/\s+/g, '_');

/** The kind a header row names: the one whose required columns it all has (each kind has a column no other requires). */
export function kindOfHeader(header: readonly string[]): TableKind | null {
  const keys = new Set(header.map(headerKey));
  const kinds = (Object.keys(LAYOUT) as TableKind[]).filter((k) => LAYOUT[k].columns.every((c) => !c.required || keys.has(c.name)));
  // An order row names an article too: the most specific layout that fits.
  return kinds.sort((a, b) => LAYOUT[b].columns.length - LAYOUT[a].columns.length)[0] ?? null;
}

/** The kind a workbook's sheet holds, by its name (Artiklar, Individer, Ordrar) or else by its header. */
export function kindOfSheet(name: string, header: readonly string[]): TableKind | null {
  const byName = (Object.keys(LAYOUT) as TableKind[]).find((k) => LAYOUT[k].sheet.toLocaleLowerCase('sv-SE') === name.trim().toLocaleLowerCase('sv-SE'));
  return byName ?? kindOfHeader(header);
}

/** Columns a header has that the layout does not know. */
export const unknownColumns = (kind: TableKind, header: readonly string[]): string[] =>
  header.filter((h) => h.trim() !== '' && !LAYOUT[kind].columns.some((c) => c.name === headerKey(h)));

/** Individual statuses as the file writes them, and what each is here. Others are brought in at a station. */
export const STATUS_WORDS: Record<string, 'in_stock' | 'on_loan' | 'scrapped'> = {
  i_lager: 'in_stock',
  'i lager': 'in_stock',
  in_stock: 'in_stock',
  utlånad: 'on_loan',
  on_loan: 'on_loan',
  utrangerad: 'scrapped',
  scrapped: 'scrapped',
};

export const TRACKING_WORDS: Record<string, 'none' | 'lot' | 'lot_expiry'> = {
  '': 'none',
  ingen: 'none',
  none: 'none',
  batch: 'lot',
  lot: 'lot',
  batch_bäst_före: 'lot_expiry',
  'batch och bäst före': 'lot_expiry',
  lot_expiry: 'lot_expiry',
};

export const YES_NO: Record<string, boolean> = { ja: true, j: true, yes: true, '1': true, sant: true, true: true, nej: false, n: false, no: false, '0': false, falskt: false, false: false };
