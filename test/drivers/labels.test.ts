import { writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeSscc } from '../../vocabulary/codes/sscc';
import { faultOf, formatHostStatus, parseHostStatus } from '../../drivers/printer/status';
import { LABEL_SIZES, escapeField, individualLabel, locationLabel, palletLabel, returnLabel, ssccHumanReadable, type Dpi } from '../../vocabulary/zpl';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { renderAndRead } from '../render-label';

const DPIS: Dpi[] = [203, 300];

describe('labels, rendered and read back', () => {
  it.each(DPIS)('individual label at %i dpi: Data Matrix and Code 128 both carry the individual number', async (dpi) => {
    const zpl = individualLabel({ individualNumber: 'I0100002', articleName: 'Manuell rullstol Kallax 45 cm, sitsbredd åäö', isoCode: '122203' }, dpi);
    expect(zpl).toContain('^CI28');
    const { codes, png } = await renderAndRead(zpl, LABEL_SIZES.individual, dpi);
    if (process.env.DEPOT_LABEL_PNG) writeFileSync(`${process.env.DEPOT_LABEL_PNG}/individual-${dpi}.png`, png);
    expect(codes.map((c) => [c.format, c.text]).sort()).toEqual([
      ['Code128', 'I0100002'],
      ['DataMatrix', 'I0100002'],
    ]);
  });

  it.each(DPIS)('location label at %i dpi: the location code', async (dpi) => {
    const { codes } = await renderAndRead(locationLabel({ code: 'BOD-H-03-05-2', name: 'Fack 03-05-2', siteName: 'Centralförrådet Boden' }, dpi), LABEL_SIZES.location, dpi);
    expect(codes.map((c) => [c.format, c.text])).toEqual([['Code128', 'BOD-H-03-05-2']]);
  });

  it.each(DPIS)('pallet label at %i dpi: the SSCC as GS1-128 with AI 00, FNC1 and a right check digit', async (dpi) => {
    const sscc = makeSscc(3, '7350000', 123456789);
    const zpl = palletLabel(
      {
        sscc,
        from: { name: 'Centralförrådet Boden', municipality: 'Boden' },
        to: { deliveryPoint: 'Kalix vårdcentral', municipality: 'Kalix' },
        route: 'Rutt Kalix',
        deliveryDay: '2026-11-26',
        contents: ['2 × Manuell rullstol Kallax 45 cm', '1 × Rollator Polar M', '4 × Kompressionsstrumpa'],
        itemCount: 7,
      },
      dpi,
    );
    expect(zpl).toContain(ssccHumanReadable(sscc));
    const { codes, png } = await renderAndRead(zpl, LABEL_SIZES.pallet, dpi);
    if (process.env.DEPOT_LABEL_PNG) writeFileSync(`${process.env.DEPOT_LABEL_PNG}/pallet-${dpi}.png`, png);
    const gs1 = codes.find((c) => c.format === 'Code128');
    expect(gs1).toMatchObject({ aim: ']C1' });
    expect(gs1!.text.replace(/[()]/g, '')).toBe(`00${sscc}`);
    expect(gs1CheckDigit(sscc.slice(0, 17))).toBe(Number(sscc[17]));
  });

  it('return label: the individual number in both codes', async () => {
    const { codes } = await renderAndRead(
      returnLabel({ individualNumber: 'I0100777', articleName: 'Rollator Polar M', pickupOrder: 'HO-0000042', pickupPoint: 'Solgårdens äldreboende', municipality: 'Piteå' }, 203),
      LABEL_SIZES.return,
      203,
    );
    expect(codes.map((c) => c.text).sort()).toEqual(['I0100777', 'I0100777']);
  });
});

describe('label pieces', () => {
  it('escapes what would break a field', () => {
    expect(escapeField('A^B~C_D\nE')).toBe('A_5EB_7EC_5FD E');
  });

  it('makes SSCCs of 18 digits with a right check digit, never the same for two serials', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 999_999_998 }), (ext, serial) => {
        const a = makeSscc(ext, '7350000', serial);
        const b = makeSscc(ext, '7350000', serial + 1);
        expect(a).toMatch(/^\d{18}$/);
        expect(gs1CheckDigit(a.slice(0, 17))).toBe(Number(a[17]));
        expect(a).not.toBe(b);
      }),
    );
    expect(() => makeSscc(1, '7350000', 10 ** 9)).toThrow(RangeError);
  });

  it('reads ~HS answers, and no answer is a fault', () => {
    expect(faultOf(parseHostStatus(formatHostStatus()))).toBeNull();
    expect(faultOf(parseHostStatus(formatHostStatus({ paperOut: true })))).toBe('paper_out');
    expect(faultOf(parseHostStatus(formatHostStatus({ headOpen: true })))).toBe('head_open');
    expect(faultOf(parseHostStatus(formatHostStatus({ paused: true })))).toBe('paused');
    expect(faultOf(parseHostStatus(formatHostStatus().slice(0, 30)))).toBe('no_answer');
    expect(faultOf(null)).toBe('no_answer');
  });
});
