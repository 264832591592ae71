/** The spreadsheet export: a ZIP of Office Open XML parts whose entries check out and whose cells say what was written. */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { xlsx } from '../../documents/xlsx';
import { csv } from '../../db/csv';
import { signedIn, tinyApi } from '../helpers';

/** Reads a ZIP's stored entries by their local headers, checking each one's CRC. */
function entries(zip: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  for (let at = 0; zip.readUInt32LE(at) === 0x04034b50; ) {
    const crc = zip.readUInt32LE(at + 14);
    const size = zip.readUInt32LE(at + 18);
    const nameLength = zip.readUInt16LE(at + 26);
    const extra = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 30, at + 30 + nameLength).toString('utf8');
    const data = zip.subarray(at + 30 + nameLength + extra, at + 30 + nameLength + extra + size);
    expect(crc32(data)).toBe(crc);
    out.set(name, data.toString('utf8'));
    at += 30 + nameLength + extra + size;
  }
  return out;
}

describe('exports a spreadsheet opens', () => {
  it('never let a cell run as a formula, in CSV or XLSX, whoever typed it', async () => {
    const hostile = ['=HYPERLINK("http://evil.example","Klicka")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1'];
    const text = csv([hostile, ['vanlig text', 'BOD-H-01-01-1']]);
    for (const h of hostile) expect(text).not.toMatch(new RegExp(`(^|;|\\n)"?${h.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(text).toContain(`'=HYPERLINK(""http://evil.example"",""Klicka"")`);
    expect(text).toContain('vanlig text;BOD-H-01-01-1');
    // Numbers stay numbers, negative ones included.
    expect(csv([[-2, 3.5]])).toContain('-2;3,5');
    const sheet = entries(xlsx([{ name: 'S', rows: [hostile, [-2]] }])).get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain(`<t xml:space="preserve">'=HYPERLINK(&quot;http://evil.example&quot;,&quot;Klicka&quot;)</t>`);
    expect(sheet).toContain(`<t xml:space="preserve">'@SUM(A1)</t>`);
    expect(sheet).toContain('<c r="A2"><v>-2</v></c>');
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

describe('the XLSX writer', () => {
  it('writes a workbook with its sheets, text and numbers in the right cells, and the ZIP directory at the end', () => {
    const book = xlsx([
      { name: 'Avvikelser', rows: [['Plats', 'Antal'], ['BOD-H-01-01-1', -2], ['Ränta & <kvot>', 3.5]] },
      { name: 'Zoner: alla', rows: [['Zon'], ['BOD-H']] },
    ]);
    const files = entries(book);
    expect([...files.keys()]).toEqual(['[Content_Types].xml', '_rels/.rels', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/worksheets/sheet1.xml', 'xl/worksheets/sheet2.xml']);
    expect(files.get('xl/workbook.xml')).toContain('<sheet name="Avvikelser" sheetId="1" r:id="rId1"/><sheet name="Zoner  alla" sheetId="2" r:id="rId2"/>');
    const sheet = files.get('xl/worksheets/sheet1.xml')!;
    expect(sheet).toContain('<c r="A2" t="inlineStr"><is><t xml:space="preserve">BOD-H-01-01-1</t></is></c><c r="B2"><v>-2</v></c>');
    expect(sheet).toContain('Ränta &amp; &lt;kvot&gt;');
    expect(sheet).toContain('<c r="B3"><v>3.5</v></c>');
    // The end-of-directory record counts the six entries.
    const end = book.subarray(book.length - 22);
    expect(end.readUInt32LE(0)).toBe(0x06054b50);
    expect(end.readUInt16LE(10)).toBe(6);
    expect(book.readUInt32LE(end.readUInt32LE(16))).toBe(0x02014b50);
  });
});
