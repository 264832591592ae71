/** Exports a spreadsheet opens: no cell runs as a formula (the workbook's layout is tested in test/documents/workbook.test.ts). */
import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { xlsx } from '../../documents/workbook';
import { csv } from '../../db/csv';
import { signedIn, tinyApi } from '../helpers';

describe('exports a spreadsheet opens', () => {
  it('never let a cell run as a formula, in CSV or XLSX, whoever typed it', async () => {
    const hostile = ['=HYPERLINK("http://evil.example","Klicka")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const text = csv([hostile, ['vanlig text', 'BOD-H-01-01-1']]);
    for (const h of hostile) expect(text).not.toMatch(new RegExp(`(^|;|\\n)"?${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"",""Klicka"")`);
    expect(text).toContain('vanlig text;BOD-H-01-01-1');
    // Numbers stay numbers, negative ones included.
    expect(csv([[-2, 3.5]])).toContain('-2;3,5');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load((await xlsx([{ name: 'S', rows: [['a', 'b', 'c', 'd', 'e', 'f'], hostile, [-2]] }])) as never);
    const sheet = book.getWorksheet('S')!;
    expect(sheet.getCell('A2').type).toBe(ExcelJS.ValueType.String);
    expect(sheet.getCell('A2').value).toBe(`'=HYPERLINK("http://evil.example","Klicka")`);
    expect(sheet.getCell('D2').value).toBe(`'@SUM(A1)`);
    expect(sheet.getCell('A3').value).toBe(-2);
    // Through the station: a name typed at the public sign-in reaches the audit trail's export inert.
    const { store, api } = tinyApi();
    await api.call({ name: 'auth.signIn', input: { userId: '=HYPERLINK("http://evil.example")', pin: '0000' } });
    const boss = await signedIn(api, 'supervisor');
    const exported = (await boss.call('audit.export', {})) as { ok: true; value: { url: string } };
    const file = Buffer.from(exported.value.url.split('base64,')[1]!, 'base64').toString('utf8');
    expect(file).toContain(`;"'=HYPERLINK(""http://evil.example"")"`);
    expect(file).not.toMatch(/;"?=HYPERLINK/);
    store.close();
  });
});
