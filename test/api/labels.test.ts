import { PDFDocument } from 'pdf-lib';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labelZpl } from '../../hosts/cli';
import { zplToPdf } from '../../documents/labels';
import { copyStation } from '../../db/open';
import { LABEL_SIZES } from '../../vocabulary/zpl';
import { renderAndRead } from '../render-label';
import { tempDir, tinyStore } from '../helpers';

function dataDir(): { dir: string; individual: string; location: string } {
  const s = tinyStore();
  const individual = (s.sqlite.prepare('select individual_number as n from individuals limit 1').get() as { n: string }).n;
  const location = (s.sqlite.prepare("select code from locations where level = 'bin' limit 1").get() as { code: string }).code;
  const src = s.file;
  s.close();
  const dir = tempDir();
  copyStation(join(src, '..'), dir);
  return { dir, individual, location };
}

describe('npm run cli -- label', () => {
  it('writes the ZPL of an individual and a location label from the station database', async () => {
    const { dir, individual, location } = dataDir();
    const ind = labelZpl('individual', individual, ['--data-dir', dir]);
    expect((await renderAndRead(ind, LABEL_SIZES.individual, 203)).codes.map((c) => c.text)).toEqual([individual, individual]);
    const loc = labelZpl('location', location, ['--data-dir', dir, '--dpi', '300']);
    expect(loc).toContain(`^FD${location.replace(/_/g, '_5F')}^FS`);
    expect(() => labelZpl('individual', 'I9999999', ['--data-dir', dir])).toThrowError(expect.objectContaining({ code: 'labels.not_found' }));
  });

  it('makes a PDF of exactly the label size for office printers', async () => {
    const zpl = labelZpl('pallet', '373500001234567895', ['--to', 'Kalix vårdcentral', '--municipality', 'Kalix', '--content', '2 × Rollator']);
    const pdf = await PDFDocument.load(await zplToPdf(zpl, LABEL_SIZES.pallet, 203, 'pallet'));
    expect(pdf.getPageCount()).toBe(1);
    const { width, height } = pdf.getPage(0).getSize();
    expect(Math.round((width * 25.4) / 72)).toBe(100);
    expect(Math.round((height * 25.4) / 72)).toBe(150);
  });
});
