import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeScan } from '../../vocabulary/codes/decode';
import { gs1CheckDigit, isValidGtin, normalizeCode } from '../../vocabulary/codes/station-codes';

describe('station codes', () => {
  it('computes GS1 check digits of real GTINs', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // a GTIN-13 printed on a retail product
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true); // GTIN-8
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A (GTIN-12)
    expect(gs1CheckDigit('03600029145')).toBe(2);
  });

  it('tells the station\'s own codes apart by form, typed in any case', () => {
    const content = (raw: string) => {
      const d = decodeScan(raw);
      return d.ok ? d.value.content : d.error.code;
    };
    expect(content(' i0100002\r\n')).toEqual({ kind: 'individual', number: 'I0100002' });
    expect(content('A100003')).toEqual({ kind: 'article', number: 'A100003' });
    expect(content('bod-h-01-02-3')).toEqual({ kind: 'location', code: 'BOD-H-01-02-3' });
    expect(content('4006381333931')).toEqual({ kind: 'gtin', gtin: '04006381333931' });
    expect(content('12B13000001')).toEqual({ kind: 'text', text: '12B13000001' });
  });

  it('normalizes whatever a keyboard sends without throwing', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const n = normalizeCode(s);
        expect(n).toBe(n.trim());
        // eslint-disable-next-line no-control-regex
        expect(/[\u0000-\u001f\u007f]/.test(n)).toBe(false);
      }),
    );
  });
});
