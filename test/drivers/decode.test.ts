import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseScanCommand, unescapeArgument } from '../../hosts/cli';
import { parseAim } from '../../vocabulary/codes/aim';
import { decodeScan } from '../../vocabulary/codes/decode';
import { AIS, GS, formatGs1, gs1DateToIso, parseGs1, type Gs1Element } from '../../vocabulary/codes/gs1';
import { hibcCheckChar, parseHibc } from '../../vocabulary/codes/hibc';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';

const digits = (n: number) => fc.array(fc.integer({ min: 0, max: 9 }), { minLength: n, maxLength: n }).map((d) => d.join(''));
const withCheck = (n: number) => digits(n - 1).map((d) => d + gs1CheckDigit(d));
const cset82 = fc.constantFrom(...'!"%&\'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz'.split(''));
const date = fc.record({ y: fc.integer({ min: 0, max: 99 }), m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 0, max: 28 }) }).map(
  ({ y, m, d }) => [y, m, d].map((n) => String(n).padStart(2, '0')).join(''),
);

function valueFor(ai: string): fc.Arbitrary<string> {
  const def = AIS[ai]!;
  if (def.check) return withCheck(def.length);
  if (def.date) return date;
  if (def.numeric) return fc.integer({ min: 1, max: def.length }).chain((n) => digits(n));
  return fc.array(cset82, { minLength: 1, maxLength: def.length }).map((cs) => cs.join(''));
}

/** A valid set of GS1 elements: distinct AIs, (254) only with (414). */
const gs1Elements: fc.Arbitrary<Gs1Element[]> = fc
  .uniqueArray(fc.constantFrom(...Object.keys(AIS)), { minLength: 1, maxLength: 6 })
  .map((ais) => (ais.includes('254') && !ais.includes('414') ? [...ais, '414'] : ais))
  .chain((ais) => fc.tuple(...ais.map((ai) => valueFor(ai).map((value) => ({ ai, value })))));

describe('AIM identifiers', () => {
  it('names the symbology and whether it carries GS1 data', () => {
    expect(parseAim(']C1010')).toMatchObject({ aim: ']C1', symbology: 'gs1-128', gs1: true, data: '010' });
    expect(parseAim(']C0ABC')).toMatchObject({ symbology: 'code128', gs1: false });
    expect(parseAim(']d2010')).toMatchObject({ symbology: 'gs1-datamatrix', gs1: true });
    expect(parseAim(']d1X')).toMatchObject({ symbology: 'datamatrix', gs1: false });
    expect(parseAim(']Q3010')).toMatchObject({ symbology: 'gs1-qr', gs1: true });
    expect(parseAim(']E04006381333931')).toMatchObject({ symbology: 'ean13' });
    expect(parseAim(']E496385074')).toMatchObject({ symbology: 'ean8' });
    expect(parseAim(']e0010')).toMatchObject({ symbology: 'gs1-databar', gs1: true });
    expect(parseAim('I0100002')).toMatchObject({ aim: null, symbology: 'unknown', data: 'I0100002' });
  });
});

describe('GS1 element strings', () => {
  it('reads a GS1-128 with fixed and variable fields, GS separators and a month-only expiry', () => {
    const raw = `]C101073500000000091726120010LOT-7${GS}21SER123`;
    const d = decodeScan(raw);
    expect(d).toMatchObject({ ok: true, value: { symbology: 'gs1-128', content: { kind: 'gs1', ai: { '01': '07350000000009', '17': '261200', '10': 'LOT-7', '21': 'SER123' } } } });
    expect(gs1DateToIso('261200', 'expiry', new Date('2026-11-23'))).toBe('2026-12-31');
    expect(gs1DateToIso('990101', 'other', new Date('2026-11-23'))).toBe('1999-01-01');
    expect(gs1DateToIso('700101', 'expiry', new Date('2026-11-23'))).toBe('2070-01-01');
  });

  it('reads an SSCC, a location GLN with its extension, and refurbishment data', () => {
    const sscc = '0' + '7350000' + '123456789';
    const ssccFull = sscc + gs1CheckDigit(sscc);
    const gln = '735000000000';
    expect(parseGs1(`00${ssccFull}`)).toMatchObject({ ok: true, value: { ai: { '00': ssccFull } } });
    expect(parseGs1(`414${gln}${gs1CheckDigit(gln)}254HYLLA-3`)).toMatchObject({ ok: true, value: { ai: { '254': 'HYLLA-3' } } });
    expect(parseGs1(`254HYLLA-3`)).toMatchObject({ ok: false, error: { code: 'gs1.requires' } });
    expect(parseGs1(`7020R1${GS}7021OK`)).toMatchObject({ ok: true, value: { ai: { '7020': 'R1', '7021': 'OK' } } });
    expect(parseGs1('(01)07350000000009(21)ABC')).toMatchObject({ ok: true, value: { ai: { '01': '07350000000009', '21': 'ABC' } } });
  });

  it('says what is wrong with a bad GS1 code', () => {
    expect(parseGs1('0107350000000008')).toMatchObject({ ok: false, error: { code: 'gs1.check_digit' } });
    expect(parseGs1('01073500000')).toMatchObject({ ok: false, error: { code: 'gs1.too_short' } });
    expect(parseGs1('99ABC')).toMatchObject({ ok: false, error: { code: 'gs1.unknown_ai' } });
    expect(parseGs1('17261340')).toMatchObject({ ok: false, error: { code: 'gs1.bad_date' } });
    expect(parseGs1('10' + 'X'.repeat(21))).toMatchObject({ ok: false, error: { code: 'gs1.too_long' } });
  });

  it('parses any valid element string back to the same values', () => {
    fc.assert(
      fc.property(gs1Elements, fc.constantFrom(']C1', ']d2', ']Q3', ']e0'), (elements, aim) => {
        const parsed = parseGs1(formatGs1(elements));
        expect(parsed).toMatchObject({ ok: true });
        if (parsed.ok) expect(parsed.value.ai).toEqual(Object.fromEntries(elements.map((e) => [e.ai, e.value])));
        const scanned = decodeScan(aim + formatGs1(elements));
        expect(scanned.ok && scanned.value.content).toEqual({ kind: 'gs1', ai: Object.fromEntries(elements.map((e) => [e.ai, e.value])), elements });
      }),
      { numRuns: 2000 },
    );
  });
});

describe('HIBC', () => {
  it('reads primary data and checks the mod-43 character', () => {
    expect(parseHibc('+A123BJC5D6E71G')).toEqual({ ok: true, value: { lic: 'A123', pcn: 'BJC5D6E7', unitOfMeasure: 1 } });
    expect(parseHibc('+A123BJC5D6E71H')).toMatchObject({ ok: false, error: { code: 'hibc.check_char' } });
  });

  it('reads concatenated primary and secondary data with lot, serial and expiry', () => {
    const make = (s: string) => s + hibcCheckChar(s);
    expect(parseHibc(make('+E123PROD11/$$3261231LOT42'))).toEqual({ ok: true, value: { lic: 'E123', pcn: 'PROD1', unitOfMeasure: 1, expiry: '2026-12-31', lot: 'LOT42' } });
    expect(parseHibc(make('+E123PROD11/$$+0227SN9'))).toMatchObject({ ok: true, value: { expiry: '2027-02-28', serial: 'SN9' } });
    expect(parseHibc(make('+E123PROD11/$L7'))).toMatchObject({ ok: true, value: { lot: 'L7' } });
    expect(parseHibc(make('+$$726L1A'))).toMatchObject({ ok: true, value: { lot: '26L1', link: 'A' } });
    expect(parseHibc(make('+E123PROD11/$$3261340L'))).toMatchObject({ ok: false, error: { code: 'hibc.bad_secondary' } });
  });

  it('round-trips random primary data', () => {
    const alnum = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split(''));
    fc.assert(
      fc.property(
        fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ'.split('')),
        fc.array(alnum, { minLength: 3, maxLength: 3 }),
        fc.array(alnum, { minLength: 1, maxLength: 18 }),
        fc.integer({ min: 0, max: 9 }),
        (first, lic, pcn, uom) => {
          const body = `+${first}${lic.join('')}${pcn.join('')}${uom}`;
          expect(parseHibc(body + hibcCheckChar(body))).toEqual({ ok: true, value: { lic: first + lic.join(''), pcn: pcn.join(''), unitOfMeasure: uom } });
        },
      ),
    );
  });
});

describe('the station codes and everything else', () => {
  it('recognises individuals, articles, locations, badges, commands, orders, GTINs and SSCCs', () => {
    const kind = (raw: string) => {
      const d = decodeScan(raw);
      return d.ok ? d.value.content : d.error.code;
    };
    expect(kind('I0100002\r\n')).toEqual({ kind: 'individual', number: 'I0100002' });
    expect(kind(']C0a100003')).toEqual({ kind: 'article', number: 'A100003' });
    expect(kind('BOD-H-01-02-3')).toEqual({ kind: 'location', code: 'BOD-H-01-02-3' });
    expect(kind('U1001')).toEqual({ kind: 'badge', code: 'U1001' });
    expect(kind('CMD-UNDO')).toEqual({ kind: 'command', command: 'undo' });
    expect(kind('KO-0001234')).toEqual({ kind: 'order', ref: 'KO-0001234' });
    expect(kind(']E04006381333931')).toEqual({ kind: 'gtin', gtin: '04006381333931' });
    expect(kind(']E04006381333932')).toBe('scan.check_digit');
    const sscc = '373500001234567890'.slice(0, 17);
    expect(kind(sscc + gs1CheckDigit(sscc))).toEqual({ kind: 'sscc', sscc: sscc + gs1CheckDigit(sscc) });
    expect(kind('12B13000001')).toEqual({ kind: 'text', text: '12B13000001' });
    expect(kind('')).toBe('scan.empty');
    expect(kind('AB\x07C')).toBe('scan.garbage');
  });

  it('never throws and always answers with a value or a typed error, over 100,000 random inputs', () => {
    const noisy = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.string({ unit: fc.constantFrom(...'0123456789]Cd12QeE+$/()\x1d\r\nABCI-'.split('')), maxLength: 60 }),
    );
    fc.assert(
      fc.property(noisy, (raw) => {
        const d = decodeScan(raw);
        if (d.ok) expect(typeof d.value.content.kind).toBe('string');
        else {
          expect(d.error.code).toMatch(/^(scan|gs1|hibc)\./);
          expect(d.error.code).not.toBe('scan.internal');
          expect(d.error.message.sv.length).toBeGreaterThan(0);
          expect(d.error.message.en.length).toBeGreaterThan(0);
        }
      }),
      { numRuns: 100_000 },
    );
  });
});

describe('npm run cli -- parse-scan', () => {
  it('prints the symbology and the AIs, and exits 2 on what it cannot decode', () => {
    expect(unescapeArgument('10A\\x1d21B')).toBe(`10A${GS}21B`);
    expect(parseScanCommand(']C11723120010LOT\\x1d2199')).toEqual({
      exitCode: 0,
      output: expect.objectContaining({ symbology: 'gs1-128', kind: 'gs1', ai: { '17': '231200', '10': 'LOT', '21': '99' } }),
    });
    expect(parseScanCommand(']C10107350000000008')).toEqual({ exitCode: 2, output: { error: expect.objectContaining({ code: 'gs1.check_digit' }) } });
  });
});
