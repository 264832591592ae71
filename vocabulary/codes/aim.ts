/**
 * AIM symbology identifiers (ISO/IEC 15424): the `]Cm` prefix a scanner puts before the data,
 * telling which barcode it read and how (e.g. `]C1` GS1-128, `]d2` GS1 DataMatrix).
 */

export type Symbology =
  | 'code39'
  | 'code128'
  | 'gs1-128'
  | 'ean13'
  | 'ean8'
  | 'upc-e'
  | 'ean-addon'
  | 'gs1-databar'
  | 'itf'
  | 'datamatrix'
  | 'gs1-datamatrix'
  | 'qr'
  | 'gs1-qr'
  | 'pdf417'
  | 'aztec'
  | 'gs1-aztec'
  | 'unknown';

export interface AimParse {
  /** The identifier as sent, e.g. `]C1`; null when the scanner sent none. */
  aim: string | null;
  symbology: Symbology;
  /** True when the symbol carries GS1 element strings (FNC1 in first position). */
  gs1: boolean;
  /** What follows the identifier. */
  data: string;
}

function identify(code: string, modifier: string): { symbology: Symbology; gs1: boolean } {
  switch (code) {
    case 'A':
      return { symbology: 'code39', gs1: false };
    case 'C':
      return modifier === '1' ? { symbology: 'gs1-128', gs1: true } : { symbology: 'code128', gs1: false };
    case 'E':
      if (modifier === '4') return { symbology: 'ean8', gs1: false };
      if (modifier === '1' || modifier === '2') return { symbology: 'ean-addon', gs1: false };
      return { symbology: 'ean13', gs1: false };
    case 'e':
      return { symbology: 'gs1-databar', gs1: true };
    case 'I':
      return { symbology: 'itf', gs1: false };
    case 'd':
      return modifier === '2' || modifier === '5' ? { symbology: 'gs1-datamatrix', gs1: true } : { symbology: 'datamatrix', gs1: false };
    case 'Q':
      return modifier === '3' || modifier === '4' ? { symbology: 'gs1-qr', gs1: true } : { symbology: 'qr', gs1: false };
    case 'L':
      return { symbology: 'pdf417', gs1: false };
    case 'z':
      return modifier === '4' || modifier === '5' || modifier === 'A' || modifier === 'B' || modifier === 'C'
        ? { symbology: 'gs1-aztec', gs1: true }
        : { symbology: 'aztec', gs1: false };
    default:
      return { symbology: 'unknown', gs1: false };
  }
}

/** Splits off the AIM identifier, if there is one. Never throws. */
export function parseAim(raw: string): AimParse {
  const m = /^\]([A-Za-z])([0-9A-Za-z])/.exec(raw);
  if (!m) return { aim: null, symbology: 'unknown', gs1: false, data: raw };
  return { aim: m[0], ...identify(m[1]!, m[2]!), data: raw.slice(3) };
}
