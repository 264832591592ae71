import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { classifyCode, gs1CheckDigit, isValidGtin, normalizeCode } from '../../vocabulary/codes/station-codes';

describe('station codes', () => {
  it('computes GS1 check digits of real GTINs', () => {
    expect(isValidGtin('4006381333931')).toBe(true); // a GTIN-13 printed on a retail product
    expect(isValidGtin('4006381333932')).toBe(false);
    expect(isValidGtin('96385074')).toBe(true); // GTIN-8
    expect(isValidGtin('036000291452')).toBe(true); // UPC-A (GTIN-12)
    expect(gs1CheckDigit('03600029145')).toBe(2);
  });

  it('tells the station\'s own codes apart by form', () => {
    expect(classifyCode(' i0100002\r\n')).toEqual({ kind: 'individual', code: 'I0100002' });
    expect(classifyCode('A100003')).toEqual({ kind: 'article', code: 'A100003' });
    expect(classifyCode('bod-h-01-02-3')).toEqual({ kind: 'location', code: 'BOD-H-01-02-3' });
    expect(classifyCode('4006381333931')).toEqual({ kind: 'gtin', code: '04006381333931' });
    expect(classifyCode('12B13000001')).toEqual({ kind: 'other', code: '12B13000001' });
  });

  it('never throws, whatever a scanner sends', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        const r = classifyCode(s);
        expect(r.code).toBe(r.kind === 'gtin' ? normalizeCode(s).padStart(14, '0') : normalizeCode(s));
      }),
    );
  });
});
