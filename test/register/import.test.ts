/**
 * Import from the region's register: CSV and XLSX files in the documented layout are validated row
 * by row, previewed without changing anything, applied once (the same file again changes nothing),
 * booked so stock agrees with the ledger, and reach a station enrolled afterwards; every rejected
 * row is in the report with its reason, and a hostile file is refused with a clear error.
 */
import ExcelJS from 'exceljs';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { resolveCode } from '../../db/stock/resolve';
import { importFiles } from '../../register/import/apply';
import { exportFiles } from '../../register/import/export';
import { regionSample } from '../../register/import/sample';
import { headRev } from '../../register/sql';
import { tempDir } from '../helpers';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import pg from 'pg';
import { enrolledStation, PG_URL, STORES, tinyRegister, whileAnotherNodeWrites } from '../sync/harness';

describe.each(STORES)('importing the region register files, register on %s', (kind) => {
  it('previews, applies once, reports every rejected row with its reason, and reaches a station enrolled afterwards', async () => {
    const reg = await tinyRegister(kind);
    const register = reg.register;
    const sites = (await register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
    const dir = tempDir('depot-import-');
    const sample = regionSample({ articles: 300, individuals: 3_000, orders: 200, sites, errors: true });
    const files = { article: join(dir, 'artiklar.csv'), individual: join(dir, 'individer.csv'), order: join(dir, 'ordrar.csv') };
    writeFileSync(files.article, sample.articles);
    writeFileSync(files.individual, sample.individuals);
    writeFileSync(files.order, sample.orders);
    const all = [files.article, files.individual, files.order];
    const report = join(dir, 'avvisade.csv');

    // The preview changes nothing and says what would change.
    const rev = await headRev(register.db);
    const preview = await importFiles(register, all, { apply: false, report });
    expect(await headRev(register.db)).toBe(rev);
    expect(preview.created).toEqual({ article: 298, individual: 2_998, order: 200 });
    expect(preview.rows).toBe(3_500);
    // Exactly the seeded rows are rejected, each for its own reason.
    const rejected = preview.rejected.map((r) => ({ table: r.file === files.article ? 'article' : r.file === files.individual ? 'individual' : 'order', row: r.row, column: r.column }));
    expect(rejected).toEqual(sample.seeded);
    const reasons = preview.rejected.map((r) => r.sv).join('\n');
    expect(reasons).toMatch(/ISO 9999-kod/);
    expect(reasons).toMatch(/teckenkodning/);
    expect(reasons).toMatch(/Okänd artikel R999999/);
    expect(reasons).toMatch(/Serienummer .* finns redan/);
    const written = readFileSync(report, 'utf8');
    expect(written.startsWith('\ufefffil;blad;rad;kolumn;värde;orsak;reason')).toBe(true);
    expect(written.split('\r\n').filter(Boolean)).toHaveLength(1 + sample.seeded.length);

    // Applied, it is booked: devices in stock are received into goods-in, and stock equals the ledger.
    const applied = await importFiles(register, all, { apply: true, report });
    expect(applied.created).toEqual(preview.created);
    expect(await register.verifyLedger()).toMatchObject({ ok: true });
    const [inStock] = await register.db.all<{ n: number }>("select count(*) as n from movements where station_id = 'region-import' and reason = 'receipt'");
    // Seven in ten rows are in stock; one of them (the unknown article's) is rejected.
    expect(Number(inStock!.n)).toBe(2_100 - 1);

    // The same files again change nothing.
    const after = await headRev(register.db);
    const again = await importFiles(register, all, { apply: true, report });
    expect(again.created).toEqual({ article: 0, individual: 0, order: 0 });
    expect(again.updated).toEqual({ article: 0, individual: 0, order: 0 });
    expect(again.unchanged).toEqual({ article: 298, individual: 2_998, order: 200 });
    expect(await headRev(register.db)).toBe(after);

    // A station enrolled afterwards has them: the article's GTIN and the device's label resolve.
    const station = await enrolledStation(register, reg.server.url, { site: 0, start: false });
    await station.engine.syncNow();
    const article = station.store.sqlite.prepare("select id from articles where article_number = 'R200001'").get() as { id: string };
    expect(resolveCode(station.store, `0789000000001${gs1CheckDigit('789000000001')}`)).toMatchObject({ kind: 'article', id: article.id });
    expect(resolveCode(station.store, 'I5000001')).toMatchObject({ kind: 'individual' });
    const mine = station.store.sqlite.prepare("select count(*) as n from individuals where individual_number >= 'I5000001'").get() as { n: number };
    expect(mine.n).toBe(2_998);

    // The export speaks the region's words: stock per place with its devices, movements, rental periods.
    const out = await exportFiles(register, join(dir, 'ut'));
    expect(out.map((o) => o.file.split('/').at(-1))).toEqual(['lager.csv', 'rorelser.csv', 'hyresperioder.csv']);
    expect(readFileSync(join(dir, 'ut', 'lager.csv'), 'utf8')).toMatch(/R200001;[^\r]*I5000001/);
    await station.close();
  });
});

describe('import files from the region, the details', () => {
  it('reads an XLSX workbook like the CSV files, takes Windows-1252 when told, and never moves a device the register holds', async () => {
    const reg = await tinyRegister('sqlite');
    const register = reg.register;
    const dir = tempDir('depot-import-xlsx-');
    const wb = new ExcelJS.Workbook();
    const articles = wb.addWorksheet('Artiklar');
    articles.addRow(['Artikelnummer', 'Benämning', 'ISO', 'Leverantör', 'Enhet', 'Inköpspris', 'Hyrs_ut', 'Spårning', 'GTIN', 'HIBC', 'Likvärdighetsgrupp']);
    articles.addRow(['R300001', 'Rollator Import', '120606', 'Importleverantör AB', 'st', 2499.5, 'ja', 'ingen', '', '', 'Rollator import']);
    articles.addRow(['R300002', 'Madrass Import', 43306, 'Importleverantör AB', 'st', '1 200,00', 'nej', 'batch', '', '', '']);
    const devices = wb.addWorksheet('Individer');
    devices.addRow(['individnummer', 'serienummer', 'artikelnummer', 'status', 'förråd', 'plats']);
    devices.addRow(['I6000001', 'SN-1', 'R300001', 'i_lager', 'BOD', '']);
    devices.addRow(['I6000002', 'SN-2', 'R300001', 'utlånad', 'BOD', '']);
    const orders = wb.addWorksheet('Ordrar');
    orders.addRow(['ordernummer', 'kundreferens', 'förråd', 'leveransställe', 'kommun', 'rutt', 'leveransdag', 'beställd', 'artikelnummer', 'antal']);
    orders.addRow(['SO-900001', 'PSN-1', 'BOD', 'Utlämning 1', 'Boden', 'Rutt 1', new Date('2030-03-04T00:00:00Z'), '2030-02-20 09:15', 'R300001', 2]);
    const xlsx = join(dir, 'region.xlsx');
    await wb.xlsx.writeFile(xlsx);
    const result = await importFiles(register, [xlsx], { apply: true });
    expect(result.rejected).toEqual([]);
    expect(result.created).toEqual({ article: 2, individual: 2, order: 1 });
    const [mattress] = await register.db.all<{ data: string }>("select data from entities where kind = 'article' and data like '%R300002%'");
    expect(JSON.parse(mattress!.data)).toMatchObject({ iso_code: '043306', purchase_price: 120_000, rentable: 0, tracking: 'lot' });

    // A device put away since (here: its place changed at the register) is not a difference when the file names no place.
    const [device] = await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'individual' and data like '%I6000001%'");
    const held = JSON.parse(device!.data) as { site_id: string; location_id: string };
    const shelf = (await register.db.all<{ id: string; data: string }>("select id, data from entities where kind = 'location' and deleted = 0"))
      .map((l) => ({ id: l.id, ...(JSON.parse(l.data) as { site_id: string; kind: string }) }))
      .find((l) => l.site_id === held.site_id && l.kind === 'shelf' && l.id !== held.location_id)!;
    await register.db.run("update entities set data = $1 where kind = 'individual' and id = $2", [JSON.stringify({ ...held, location_id: shelf.id }), device!.id]);
    const again = await importFiles(register, [xlsx], { apply: false });
    expect(again).toMatchObject({ rejected: [], created: { article: 0, individual: 0, order: 0 }, unchanged: { individual: 2 } });

    // A row saying a device the register holds is elsewhere, or in another state, is reported and the device stays.
    const moved = join(dir, 'flyttad.csv');
    writeFileSync(moved, 'individnummer;serienummer;artikelnummer;status;förråd;plats\r\nI6000002;SN-2;R300001;i_lager;BOD;\r\n');
    const before = await register.db.all("select data from entities where kind = 'individual' and data like '%I6000002%'");
    const refused = await importFiles(register, [moved], { apply: true, report: join(dir, 'r.csv') });
    expect(refused.rejected).toMatchObject([{ row: 2, column: 'status', sv: expect.stringMatching(/Flytta den på en station/) }]);
    expect(await register.db.all("select data from entities where kind = 'individual' and data like '%I6000002%'")).toEqual(before);

    // Windows-1252 is read when told; as UTF-8 the same bytes are a row that cannot be read.
    const ansi = join(dir, 'ansi.csv');
    writeFileSync(ansi, Buffer.from('artikelnummer;benämning;iso;leverantör;inköpspris;hyrs_ut\r\nR300003;Gåbord ansi;120612;Leverantör AB;100;nej\r\n', 'latin1'));
    await expect(importFiles(register, [ansi], { apply: false })).rejects.toMatchObject({ code: 'import.bad_file' });
    const read = await importFiles(register, [ansi], { apply: false, encoding: 'windows-1252' });
    expect(read).toMatchObject({ rejected: [], created: { article: 1 } });
  });

  it('refuses hostile files with a clear error and changes nothing', async () => {
    const reg = await tinyRegister('sqlite');
    const dir = tempDir('depot-import-hostile-');
    const rev = await headRev(reg.register.db);
    const header = 'artikelnummer;benämning;iso;leverantör;inköpspris;hyrs_ut\r\n';
    const cases: [string, Buffer | string, RegExp][] = [
      ['gz.csv', gzipSync(Buffer.from(`${header}R1;x;120606;L;1;ja\r\n`)), /packad/],
      ['fake.xlsx', 'not a workbook', /XLSX/],
      ['header.csv', 'a;b;c\r\n1;2;3\r\n', /rubrikraden/],
      ['quote.csv', `${header}"R1;x;120606;L;1;ja\r\n`, /CSV/],
      ['image.png', 'x', /CSV- och XLSX/],
    ];
    for (const [name, content, message] of cases) {
      writeFileSync(join(dir, name), content);
      await expect(importFiles(reg.register, [join(dir, name)], { apply: true }), name).rejects.toMatchObject({ code: 'import.bad_file', userMessage: { sv: expect.stringMatching(message) } });
    }
    await expect(importFiles(reg.register, [join(dir, 'missing.csv')], { apply: true })).rejects.toMatchObject({ code: 'import.bad_file' });
    // Rows that are not what they claim: a formula, an unknown column, an enormous value, a price in words.
    writeFileSync(join(dir, 'rows.csv'), `${header.trim()};extra\r\n=cmd|' /C calc'!A0;x;120606;L;1;ja;1\r\n`);
    const r1 = await importFiles(reg.register, [join(dir, 'rows.csv')], { apply: true, report: join(dir, 'r1.csv') });
    expect(r1.rejected).toMatchObject([{ sv: expect.stringMatching(/Okänd kolumn: extra/) }]);
    writeFileSync(join(dir, 'rows2.csv'), `${header}=cmd|' /C calc'!A0;x;120606;L;1;ja\r\nR2;${'x'.repeat(5000)};120606;L;1;ja\r\nR3;y;120606;L;tusen;ja\r\n`);
    const r2 = await importFiles(reg.register, [join(dir, 'rows2.csv')], { apply: true, report: join(dir, 'r2.csv') });
    expect(r2.rejected.map((r) => r.column)).toEqual(['artikelnummer', 'benämning', 'inköpspris']);
    // The report never runs a formula when opened.
    expect(readFileSync(join(dir, 'r2.csv'), 'utf8')).toMatch(/;'=cmd/);
    expect(await headRev(reg.register.db)).toBe(rev);
  });
});

describe.skipIf(!PG_URL)('an import beside another writer, register on PostgreSQL', () => {
  it('puts no device on a place another writer withdrew while the import was waiting its turn, and imports files that change nothing without waiting for anyone', async () => {
    const reg = await tinyRegister('postgres');
    const register = reg.register;
    const entities = async (kind: string): Promise<(Record<string, unknown> & { id: string })[]> =>
      (await register.db.all<{ id: string; data: string }>('select id, data from entities where kind = $1 and deleted = 0', [kind])).map((r) => ({ ...(JSON.parse(r.data) as Record<string, unknown>), id: r.id }));
    const site = (await entities('site')).find((s) => s.code === 'BOD')!;
    const devices = await entities('individual');
    const stocked = new Set((await register.db.all<{ l: string }>('select distinct location_id as l from balances where quantity <> 0')).map((r) => r.l));
    const shelf = (await entities('location')).find((l) => l.site_id === site.id && l.kind === 'shelf' && !stocked.has(l.id) && !devices.some((d) => d.location_id === l.id))!;
    const article = (await entities('article')).find((a) => a.rentable === 1 || a.rentable === true)!;
    const file = join(tempDir('depot-import-race-'), 'individer.csv');
    writeFileSync(file, `individnummer;serienummer;artikelnummer;status;förråd;plats\r\nI6100001;SN-RACE-1;${String(article.article_number)};i_lager;BOD;${String(shelf.code)}\r\n`);

    // Another register node withdraws the empty place while the import waits its turn behind it.
    const [ended] = await whileAnotherNodeWrites(reg, "update counters set value = value + 1 where name = 'rev' returning value", [() => importFiles(register, [file], { apply: true, report: join(tempDir('depot-import-race-report-'), 'r.csv') })], async (other, [held]) => {
      await other.query("update entities set deleted = 1, rev = $1 where kind = 'location' and id = $2", [Number(held!.value), shelf.id]);
    });
    if (ended!.status === 'rejected') throw ended!.reason;
    const result = ended!.value;

    // The row is refused for the place it names, and nothing is on the withdrawn place.
    expect(result.rejected).toMatchObject([{ row: 2, column: 'plats', sv: expect.stringMatching(new RegExp(`Platsen ${String(shelf.code)} finns inte`)) }]);
    expect(result.created.individual).toBe(0);
    expect(await register.db.all('select 1 from balances where location_id = $1 and quantity <> 0', [shelf.id])).toEqual([]);
    expect((await entities('individual')).filter((d) => d.location_id === shelf.id)).toEqual([]);
    expect(await register.verifyLedger()).toMatchObject({ ok: true });

    // Files that change nothing (imported before) are done without waiting for any writer: here
    // another node holds the counter all along.
    const again = join(tempDir('depot-import-again-'), 'individer.csv');
    writeFileSync(again, `individnummer;serienummer;artikelnummer;status;förråd;plats\r\nI6100002;SN-RACE-2;${String(article.article_number)};utlånad;BOD;\r\n`);
    expect((await importFiles(register, [again], { apply: true })).created.individual).toBe(1);
    const other = new pg.Client({ connectionString: (reg.options as { databaseUrl: string }).databaseUrl });
    await other.connect();
    try {
      await other.query('begin');
      await other.query("update counters set value = value where name = 'rev'");
      expect(await importFiles(register, [again], { apply: true })).toMatchObject({ created: { individual: 0 }, unchanged: { individual: 1 }, rejected: [] });
    } finally {
      await other.query('rollback');
      await other.end();
    }
  });
});

describe('an import the size of the large dataset', () => {
  it('takes 20,000 articles and 300,000 individuals with the four seeded errors: exactly those rows rejected, the rest applied once', { timeout: 600_000 }, async () => {
    const reg = await tinyRegister('sqlite');
    const register = reg.register;
    const sites = (await register.db.all<{ data: string }>("select data from entities where kind = 'site' and deleted = 0")).map((r) => (JSON.parse(r.data) as { code: string }).code).sort();
    const dir = tempDir('depot-import-large-');
    const sample = regionSample({ articles: 20_000, individuals: 300_000, orders: 5_000, sites, errors: true, firstIndividual: 7_000_001 });
    const files = ['artiklar.csv', 'individer.csv', 'ordrar.csv'].map((f) => join(dir, f));
    writeFileSync(files[0]!, sample.articles);
    writeFileSync(files[1]!, sample.individuals);
    writeFileSync(files[2]!, sample.orders);
    const applied = await importFiles(register, files, { apply: true, report: join(dir, 'avvisade.csv') });
    const table = (file: string) => (file === files[0] ? 'article' : file === files[1] ? 'individual' : 'order');
    expect(applied.rejected.map((r) => ({ table: table(r.file), row: r.row, column: r.column }))).toEqual(sample.seeded);
    expect(applied.created).toEqual({ article: 19_998, individual: 299_998, order: 5_000 });
    expect(await register.verifyLedger()).toMatchObject({ ok: true });
    const rev = await headRev(register.db);
    const again = await importFiles(register, files, { apply: true, report: join(dir, 'avvisade.csv') });
    expect(again.created).toEqual({ article: 0, individual: 0, order: 0 });
    expect(await headRev(register.db)).toBe(rev);
  });
});
