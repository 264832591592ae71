/**
 * Spreadsheet exports as XLSX, written with exceljs: each sheet's header row bold and frozen, column
 * widths that fit what they hold, numbers stored as numbers and days as dates, each with a Swedish
 * format (thousands spaced, decimal comma, ISO days, as Excel shows them in a Swedish locale).
 * Text never runs as a formula. exceljs loads on first use.
 */
import { inert } from '../db/csv';
import { reportRows, reportZoneRows, type CountReport } from '../db/counts/report';
import { rentalRows, type RentalPeriod } from '../db/stock/rentals';

/** How a column's cells are stored and shown. */
export type CellKind = 'text' | 'integer' | 'decimal' | 'kr' | 'percent' | 'date' | 'dateTime';

export type CellValue = string | number | Date | null;

export interface Sheet {
  name: string;
  /** The header row first, then the data; a column's kind says how its cells are stored (text when not given). */
  rows: readonly (readonly CellValue[])[];
  kinds?: readonly CellKind[];
}

/** Number formats in Excel's own notation (a comma groups thousands, a point is the decimal sign: a Swedish Excel shows them as space and comma). */
export const FORMATS: Record<Exclude<CellKind, 'text'>, string> = {
  integer: '#,##0',
  decimal: '#,##0.0##',
  kr: '#,##0.00 "kr"',
  percent: '0.0 %',
  date: 'yyyy-mm-dd',
  dateTime: 'yyyy-mm-dd hh:mm',
};

const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
const MIN_WIDTH = 6;
const MAX_WIDTH = 60;

/** A cell's value as stored: a day written `YYYY-MM-DD` in a date column becomes a date; a number in a text column stays a number. */
function stored(v: CellValue, kind: CellKind): CellValue {
  if (v === null || v === '') return null;
  if ((kind === 'date' || kind === 'dateTime') && typeof v === 'string') {
    const m = DAY.exec(v);
    if (m) return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    const t = Date.parse(v);
    return Number.isNaN(t) ? inert(v) : new Date(t);
  }
  if ((kind === 'date' || kind === 'dateTime') && typeof v === 'number') return new Date(v);
  if (typeof v === 'number') return Number.isFinite(v) ? v : null;
  if (v instanceof Date) return v;
  // Characters XML 1.0 cannot carry at all (control characters other than tab and line breaks).
  return inert([...v].filter((c) => c >= ' ' || c === '\t' || c === '\n' || c === '\r').join(''));
}

/** About how many characters a cell shows, for the column's width. */
function shownLength(v: CellValue, kind: CellKind): number {
  if (v === null) return 0;
  if (v instanceof Date) return kind === 'dateTime' ? 16 : 10;
  if (typeof v === 'number') return (kind === 'kr' ? 5 : 1) + Math.ceil(Math.abs(v).toFixed(kind === 'integer' ? 0 : 2).length * 1.35);
  return Math.max(...v.split('\n').map((l) => l.length));
}

export async function xlsx(sheets: readonly Sheet[]): Promise<Buffer> {
  const { default: ExcelJS } = await import('exceljs');
  const book = new ExcelJS.Workbook();
  book.creator = 'Depot Station';
  book.created = new Date(0);
  const used = new Set<string>();
  sheets.forEach((s, i) => {
    let name = s.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31).trim() || `Blad ${i + 1}`;
    if (used.has(name.toLowerCase())) name = `${name.slice(0, 27)} (${i + 1})`;
    used.add(name.toLowerCase());
    const sheet = book.addWorksheet(name, { views: [{ state: 'frozen', xSplit: 0, ySplit: 1, topLeftCell: 'A2', activeCell: 'A2' }] });
    const [header = [], ...body] = s.rows;
    const width = Math.max(header.length, ...body.map((r) => r.length));
    const kinds: CellKind[] = Array.from({ length: width }, (_, c) => s.kinds?.[c] ?? 'text');
    const head = sheet.addRow(header.map((h) => stored(h, 'text')));
    head.font = { bold: true };
    head.alignment = { vertical: 'middle' };
    for (const r of body) sheet.addRow(r.map((v, c) => stored(v, kinds[c]!)));
    kinds.forEach((kind, c) => {
      const column = sheet.getColumn(c + 1);
      if (kind !== 'text') column.numFmt = FORMATS[kind];
      const longest = Math.max(shownLength(stored(header[c] ?? null, 'text'), 'text') + 2, ...body.map((r) => shownLength(stored(r[c] ?? null, kind), kind)));
      column.width = Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, longest + 2));
    });
    // The header keeps its own look (a number format on the column would otherwise apply to it too).
    head.eachCell((cell) => {
      cell.numFmt = 'General';
    });
    if (body.length > 0 && width > 0) sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: width } };
  });
  return Buffer.from(await book.xlsx.writeBuffer());
}

/** A count's report as a workbook: every variance line, and the figures per zone with the total. */
export const countReportBook = (r: CountReport): Promise<Buffer> =>
  xlsx([
    { name: 'Avvikelser', rows: reportRows(r), kinds: ['text', 'text', 'text', 'text', 'text', 'text', 'integer', 'integer', 'integer', 'kr', 'text', 'text'] },
    { name: 'Zoner', rows: reportZoneRows(r), kinds: ['text', 'text', 'integer', 'integer', 'integer', 'decimal', 'kr', 'integer', 'integer'] },
  ]);

/** A month's rental periods as a workbook, the days as dates. */
export const rentalBook = (periods: readonly RentalPeriod[]): Promise<Buffer> =>
  xlsx([{ name: 'Hyror', rows: rentalRows(periods), kinds: ['text', 'text', 'text', 'text', 'text', 'text', 'date', 'date', 'integer'] }]);
