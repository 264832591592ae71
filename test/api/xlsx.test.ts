/** The spreadsheet export: a ZIP of Office Open XML parts whose entries check out and whose cells say what was written. */
import { crc32 } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { xlsx } from '../../api/xlsx';

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
