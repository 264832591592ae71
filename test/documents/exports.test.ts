/**
 * Exports a spreadsheet user and a reader of paper can work with: workbooks read back with exceljs
 * (frozen bold header, fitting widths, numbers and dates stored as such with Swedish formats), and
 * PDFs read back as text (column headers on every page, "Sida 1 av 2").
 */
import ExcelJS from 'exceljs';
import { extractText, getDocumentProxy } from 'unpdf';
import { describe, expect, it } from 'vitest';
import type { CountReport } from '../../db/counts/report';
import type { RentalPeriod } from '../../db/stock/rentals';
import { individualTimeline } from '../../db/service/timeline';
import { countReportPdf, manifestPdf, timelinePdf } from '../../documents/pdf';
import { countReportBook, FORMATS, rentalBook } from '../../documents/workbook';
import { queries, tinyStore } from '../helpers';

async function read(file: Buffer): Promise<ExcelJS.Workbook> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(file as never);
  return book;
}

/** Each page's text, in order. */
async function pages(pdf: Uint8Array): Promise<string[]> {
  const { text } = await extractText(await getDocumentProxy(new Uint8Array(pdf)), { mergePages: false });
  return text;
}

const zone = { zoneCode: 'BOD-H', zoneName: 'Hjälpmedelslager', locations: 40, lines: 1234, variances: 3, accuracy: 0.9876, value: -123_456, absoluteValue: 200_000, missing: 1, found: 1 };
const report = (lines: number): CountReport => ({
  count: { id: 'c1', number: 'INV-2026-0007', siteId: 's1', kind: 'site', title: 'Helinventering Boden', blind: true, thresholdQuantity: 2, thresholdValue: 100_000, state: 'approved', createdAt: Date.UTC(2026, 10, 2, 8), approvedAt: Date.UTC(2026, 10, 3, 15) },
  zones: [zone],
  total: { ...zone, zoneCode: '', zoneName: '' },
  lines: Array.from({ length: lines }, (_, i) => ({
    key: `k${i}`,
    locationId: `l${i}`,
    locationCode: `BOD-H-01-${String(i % 20).padStart(2, '0')}-1`,
    zoneCode: 'BOD-H',
    articleId: 'a1',
    articleNumber: '100035',
    articleName: 'Rollator Carl Oskar, 4 hjul, med korg och bricka',
    lot: '',
    individualId: null,
    individualNumber: i % 2 ? `I01000${String(i).padStart(2, '0')}` : null,
    ledgerLocationCode: null,
    expected: 1500,
    counted: 1500 - i,
    difference: -i,
    value: -i * 123_456,
    kind: 'quantity' as const,
    approved: i % 3 !== 0,
  })),
});

describe('the spreadsheet exports', () => {
  it('freeze a bold header row, fit their columns, and store numbers as numbers with Swedish formats', async () => {
    const book = await read(await countReportBook(report(5)));
    const sheet = book.getWorksheet('Avvikelser')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).getCell(1).value).toBe('Plats');
    for (let c = 1; c <= 12; c++) expect(sheet.getRow(1).getCell(c).font?.bold).toBe(true);
    expect(sheet.getRow(2).getCell(1).font?.bold).toBeFalsy();
    // Förväntat, Räknat, Avvikelse as whole numbers; the value in kronor with two decimals.
    const row = sheet.getRow(3);
    expect(row.getCell(7).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(7).value).toBe(1500);
    expect(row.getCell(7).numFmt).toBe(FORMATS.integer);
    expect(row.getCell(9).value).toBe(-1);
    expect(row.getCell(10).type).toBe(ExcelJS.ValueType.Number);
    expect(row.getCell(10).value).toBe(-1234.56);
    expect(row.getCell(10).numFmt).toBe('#,##0.00 "kr"');
    // Widths fit the longest text: the article's name is wider than its header, the location wider than "Plats".
    expect(sheet.getColumn(4).width).toBeGreaterThanOrEqual('Rollator Carl Oskar, 4 hjul, med korg och bricka'.length);
    expect(sheet.getColumn(1).width).toBeGreaterThanOrEqual('BOD-H-01-01-1'.length);
    expect(sheet.getColumn(11).width).toBeLessThan(sheet.getColumn(4).width!);
    const zones = book.getWorksheet('Zoner')!;
    expect(zones.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(zones.getRow(2).getCell(4).value).toBe(1234);
    expect(zones.getRow(2).getCell(4).numFmt).toBe('#,##0');
  });

  it('store days as dates, shown the Swedish way', async () => {
    const period: RentalPeriod = { individualNumber: 'I0100002', articleNumber: '100035', articleName: 'Rollator', orderRef: 'KO-0066001', customerRef: 'PSN-9001', municipality: 'Överkalix', from: '2026-10-24', to: null, days: 8 };
    const sheet = (await read(await rentalBook([period, { ...period, to: '2026-11-29', days: 29 }]))).getWorksheet('Hyror')!;
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.getRow(1).font?.bold).toBe(true);
    const from = sheet.getRow(2).getCell(7);
    expect(from.type).toBe(ExcelJS.ValueType.Date);
    expect(from.value).toEqual(new Date(Date.UTC(2026, 9, 24)));
    expect(from.numFmt).toBe('yyyy-mm-dd');
    expect(sheet.getRow(2).getCell(8).value).toBeNull();
    expect(sheet.getRow(3).getCell(8).value).toEqual(new Date(Date.UTC(2026, 10, 29)));
    expect(sheet.getRow(3).getCell(9).type).toBe(ExcelJS.ValueType.Number);
    expect(sheet.getRow(3).getCell(9).value).toBe(29);
    expect(sheet.getRow(2).getCell(1).value).toBe('Överkalix');
  });
});

describe('the PDF documents', () => {
  it('lay the pallet manifest out as a table, its header on every page, each page numbered', async () => {
    const items = Array.from({ length: 90 }, (_, i) => ({ articleNumber: `1000${i}`, name: `Rullstol Etac ${i}, helt ställbar med breda hjul och extra långa armstöd`, individualNumber: `I01${String(i).padStart(5, '0')}`, quantity: 1, orderRef: `KO-00660${i}` }));
    const text = await pages(await manifestPdf({ sscc: '373500000000000017', route: 'Rutt Ö', deliveryDay: '2026-11-30', deliveryPoint: 'Överkalix hälsocentral', municipality: 'Överkalix', items }));
    expect(text.length).toBeGreaterThan(1);
    text.forEach((page, i) => {
      for (const h of ['Artikel / Article', 'Benämning / Name', 'Individ / Individual', 'Antal / Qty', 'Order']) expect(page).toContain(h);
      expect(page).toContain(`Sida ${i + 1} av ${text.length}`);
    });
    expect(text[0]).toContain('Pallmanifest / Pallet manifest');
    expect(text[0]).toContain('I0100000');
    expect(text.at(-1)).toContain('I0100089');
    expect(text.at(-1)).toContain('Totalt / Total: 90');
  });

  it('lay the count report out as tables of zones and variances, with Swedish numbers and page numbers', async () => {
    const text = await pages(await countReportPdf(report(70)));
    expect(text.length).toBeGreaterThan(1);
    expect(text[0]).toContain('Inventering INV-2026-0007');
    for (const h of ['Zon', 'Platser', 'Rader', 'Träffsäkerhet', 'Värde netto']) expect(text[0]).toContain(h);
    expect(text[0]).toMatch(/98,8 %/);
    expect(text[0]).toMatch(/1\s234/);
    text.forEach((page, i) => {
      for (const h of ['Plats', 'Artikel', 'Förväntat', 'Räknat', 'Avvikelse', 'Beslut']) expect(page).toContain(h);
      expect(page).toContain(`Sida ${i + 1} av ${text.length}`);
    });
    expect(text.join('\n')).toContain('ej godkänd');
  });

  it('lay an individual\'s timeline out as a table of when, what and by whom, in the language asked for', async () => {
    const store = tinyStore();
    const { one } = queries(store);
    const ind = one<{ id: string }>('select individual_id as id from movements where individual_id is not null group by individual_id order by count(*) desc limit 1').id;
    const t = individualTimeline(store, ind);
    const many = { ...t, entries: Array.from({ length: 10 }, () => t.entries).flat() };
    const sv = await pages(await timelinePdf(many, 'sv'));
    expect(sv.length).toBeGreaterThan(1);
    sv.forEach((page, i) => {
      for (const h of ['Tid', 'Händelse', 'Av']) expect(page).toContain(h);
      expect(page).toContain(`Sida ${i + 1} av ${sv.length}`);
    });
    const en = await pages(await timelinePdf(t, 'en'));
    expect(en[0]).toContain('When');
    expect(en[0]).toContain(`Page 1 of ${en.length}`);
    store.close();
  });
});
