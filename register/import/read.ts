/**
 * Reading the region's files: CSV (semicolon, comma or tab; UTF-8 with or without a byte-order
 * mark, or Windows-1252 when told) with csv-parse, and XLSX with exceljs's streaming reader, into
 * tables of text cells. A row whose bytes are not text in the file's encoding is kept as a row
 * that cannot be read, so the report names it instead of importing it garbled.
 */
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { readFileSync, statSync } from 'node:fs';
import { extname } from 'node:path';
import { RegisterError } from '../context';
import { headerKey, kindOfHeader, kindOfSheet, type TableKind } from './layout';

/** One row of a table: its number as a spreadsheet shows it (the header is row 1), and its cells by column (the header as compared, `headerKey`), or why it cannot be read. */
export interface FileRow {
  row: number;
  cells: Record<string, string>;
  unreadable?: string;
}

export interface Table {
  file: string;
  /** The sheet of a workbook, or null for a CSV file. */
  sheet: string | null;
  kind: TableKind;
  header: string[];
  rows: FileRow[];
}

export type Encoding = 'utf-8' | 'windows-1252';

/** The largest file taken (the large dataset's individuals are about 25 MB as CSV). */
export const MAX_FILE_BYTES = 256 * 1024 * 1024;
/** The longest cell taken: longer is not a value from a register. */
const MAX_CELL = 500;

const refuse = (sv: string, en: string) => new RegisterError('import.bad_file', { sv, en }, 400);

/** The tables in a file (one for a CSV, one per sheet with data for an XLSX). */
export async function readTables(path: string, encoding: Encoding = 'utf-8'): Promise<Table[]> {
  let size: number;
  try {
    size = statSync(path).size;
  } catch {
    throw refuse(`Filen ${path} finns inte eller går inte att läsa.`, `The file ${path} does not exist or cannot be read.`);
  }
  if (size > MAX_FILE_BYTES) throw refuse(`Filen ${path} är för stor (högst 256 MB). Dela upp den.`, `The file ${path} is too large (at most 256 MB). Split it.`);
  const ext = extname(path).toLowerCase();
  if (ext === '.xlsx') return readWorkbook(path);
  if (ext === '.csv' || ext === '.txt') return [readCsv(path, readFileSync(path), encoding)];
  throw refuse(`${path}: bara CSV- och XLSX-filer kan läsas in.`, `${path}: only CSV and XLSX files can be imported.`);
}

const utf8 = new TextDecoder('utf-8');
const cp1252 = new TextDecoder('windows-1252');

function readCsv(file: string, bytes: Buffer, encoding: Encoding): Table {
  if (bytes.subarray(0, 2).toString('hex') === '1f8b' || bytes.subarray(0, 4).toString('hex') === '504b0304')
    throw refuse(`${file} är packad (gzip eller zip), inte en CSV-fil. Packa upp den, eller spara den som .xlsx om det är en arbetsbok.`, `${file} is compressed (gzip or zip), not a CSV file. Unpack it, or save it as .xlsx if it is a workbook.`);
  const firstLine = bytes.subarray(0, Math.min(bytes.length, 4096)).toString('latin1').split(/\r?\n/)[0] ?? '';
  const delimiter = [';', '\t', ','].map((d) => [d, firstLine.split(d).length] as const).sort((a, b) => b[1] - a[1])[0]![0];
  // Bytes that are not text in the file's encoding become U+FFFD, and their row is one that cannot be read.
  const decoded = (encoding === 'windows-1252' ? cp1252 : utf8).decode(bytes);
  let records: string[][];
  try {
    records = parse(decoded, { delimiter, bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: 64 * 1024 }) as string[][];
  } catch (e) {
    throw refuse(`${file} går inte att läsa som CSV (${(e as Error).message.slice(0, 120)}).`, `${file} cannot be read as CSV (${(e as Error).message.slice(0, 120)}).`);
  }
  const [head, ...body] = records;
  const header = (head ?? []).map((h) => h.replace(/^\ufeff/, '').replace(/\ufffd/g, '').trim());
  const kind = kindOfHeader(header);
  if (!kind) throw noLayout(file, header);
  const keys = header.map((h, i) => headerKey(h) || `${i + 1}`);
  const rows = body.map((r, n): FileRow => {
    const cells: Record<string, string> = {};
    let unreadable: string | undefined;
    r.forEach((v, i) => {
      const key = keys[i] ?? `${i + 1}`;
      if (v.includes('\ufffd')) unreadable ??= key;
      else cells[key] = v.length > MAX_CELL ? v.slice(0, MAX_CELL + 1) : v.trim();
    });
    return { row: n + 2, cells, ...(unreadable !== undefined ? { unreadable } : {}) };
  });
  return { file, sheet: null, kind, header, rows };
}

const noLayout = (file: string, header: readonly string[]) =>
  refuse(
    `${file}: rubrikraden (${header.slice(0, 6).join(', ')}) stämmer inte med någon tabell (Artiklar, Individer, Ordrar). Se kolumnerna i README.`,
    `${file}: the header row (${header.slice(0, 6).join(', ')}) matches no table (articles, individuals, orders). See the columns in the README.`,
  );

/** A cell's value as text: numbers as written, dates as `YYYY-MM-DD` (with the time when it has one), formulas by their result. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (v instanceof Date) {
    const iso = v.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : `${iso.slice(0, 10)} ${iso.slice(11, 16)}`;
  }
  if ('richText' in v) return v.richText.map((r) => r.text).join('');
  if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
  if ('text' in v) return String(v.text);
  return '';
}

async function readWorkbook(file: string): Promise<Table[]> {
  const tables: Table[] = [];
  try {
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'emit' });
    for await (const sheet of reader) {
      const name = (sheet as unknown as { name: string }).name;
      let header: string[] | null = null;
      let table: Table | null = null;
      for await (const row of sheet) {
        const values = (row.values as ExcelJS.CellValue[]).slice(1).map((c) => cellText(c).trim());
        if (!header) {
          header = values;
          const kind = kindOfSheet(name, header);
          if (!kind) throw noLayout(`${file} (${name})`, header);
          table = { file, sheet: name, kind, header, rows: [] };
          tables.push(table);
          continue;
        }
        if (values.every((v) => v === '')) continue;
        const cells: Record<string, string> = {};
        values.forEach((v, i) => (cells[headerKey(header![i] ?? '') || `${i + 1}`] = v.length > MAX_CELL ? v.slice(0, MAX_CELL + 1) : v));
        table!.rows.push({ row: row.number, cells });
      }
    }
  } catch (e) {
    if (e instanceof RegisterError) throw e;
    throw refuse(`${file} går inte att läsa som XLSX-arbetsbok (${(e as Error).message.slice(0, 120)}).`, `${file} cannot be read as an XLSX workbook (${(e as Error).message.slice(0, 120)}).`);
  }
  if (tables.length === 0) throw refuse(`${file} har inga blad med data.`, `${file} has no sheets with data.`);
  return tables;
}
