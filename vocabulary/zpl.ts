/**
 * The station's labels in ZPL II, for 203 and 300 dpi printers, with `^CI28` so å, ä and ö print.
 * Pure: data in, ZPL out. Field data goes through `^FH` hex escapes, so no text can break a label.
 */

import { isValidSscc } from './codes/sscc';
import { DepotError } from './errors';

export type Dpi = 203 | 300;

export interface LabelSize {
  widthMm: number;
  heightMm: number;
}

export const LABEL_SIZES = {
  individual: { widthMm: 50, heightMm: 25 },
  location: { widthMm: 100, heightMm: 50 },
  pallet: { widthMm: 100, heightMm: 150 },
  return: { widthMm: 100, heightMm: 75 },
} as const satisfies Record<string, LabelSize>;

export type LabelKind = keyof typeof LABEL_SIZES;
export const LABEL_KINDS = Object.keys(LABEL_SIZES) as LabelKind[];

/** Whether a printer's label stock takes a kind of label: the label fits on it, both ways. */
export const stockTakes = (stock: LabelSize, kind: LabelKind): boolean => stock.widthMm >= LABEL_SIZES[kind].widthMm && stock.heightMm >= LABEL_SIZES[kind].heightMm;

/** The labels' names, for messages. */
export const LABEL_NAMES: Record<LabelKind, { sv: string; en: string }> = {
  individual: { sv: 'individetikett', en: 'individual label' },
  location: { sv: 'platsetikett', en: 'location label' },
  pallet: { sv: 'pallettikett', en: 'pallet label' },
  return: { sv: 'returlapp', en: 'return label' },
};

const dotsPerMm = (dpi: Dpi) => dpi / 25.4;

/** A ZPL builder in millimetres, so one layout serves both resolutions. */
class Zpl {
  private parts: string[] = [];
  constructor(
    private readonly dpi: Dpi,
    size: LabelSize,
  ) {
    this.parts.push('^XA', '^CI28', `^PW${this.d(size.widthMm)}`, `^LL${this.d(size.heightMm)}`, '^LH0,0');
  }

  /** Millimetres to dots. */
  d(mm: number): number {
    return Math.round(mm * dotsPerMm(this.dpi));
  }

  text(xMm: number, yMm: number, heightMm: number, value: string, opts: { widthMm?: number; lines?: number; bold?: boolean } = {}): this {
    const h = this.d(heightMm);
    const block = opts.widthMm ? `^FB${this.d(opts.widthMm)},${opts.lines ?? 1},0,L,0` : '';
    this.parts.push(`^FO${this.d(xMm)},${this.d(yMm)}^A0N,${h},${opts.bold ? h : Math.round(h * 0.85)}${block}^FH_^FD${escapeField(value)}^FS`);
    return this;
  }

  code128(xMm: number, yMm: number, heightMm: number, moduleDots: number, data: string): this {
    this.parts.push(`^FO${this.d(xMm)},${this.d(yMm)}^BY${moduleDots}^BCN,${this.d(heightMm)},N,N,N^FH_^FD${escapeField(data)}^FS`);
    return this;
  }

  /** GS1-128: FNC1 in first position, then the element string (AIs and values, GS between variable fields). */
  gs1_128(xMm: number, yMm: number, heightMm: number, moduleDots: number, elementString: string): this {
    this.parts.push(`^FO${this.d(xMm)},${this.d(yMm)}^BY${moduleDots}^BCN,${this.d(heightMm)},N,N,N^FD>;>8${elementString}^FS`);
    return this;
  }

  dataMatrix(xMm: number, yMm: number, moduleMm: number, data: string): this {
    this.parts.push(`^FO${this.d(xMm)},${this.d(yMm)}^BXN,${Math.max(2, this.d(moduleMm))},200^FH_^FD${escapeField(data)}^FS`);
    return this;
  }

  box(xMm: number, yMm: number, wMm: number, hMm: number, lineMm = 0.4): this {
    this.parts.push(`^FO${this.d(xMm)},${this.d(yMm)}^GB${this.d(wMm)},${this.d(hMm)},${Math.max(1, this.d(lineMm))}^FS`);
    return this;
  }

  done(copies = 1): string {
    return [...this.parts, `^PQ${copies}`, '^XZ'].join('\n') + '\n';
  }
}

/** `^`, `~` and the escape character itself would end or change a field: write them as hex. */
export function escapeField(value: string): string {
  return value.replace(/[_^~]/g, (c) => `_${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`).replace(/[\r\n]+/g, ' ');
}

const moduleFor = (dpi: Dpi, mm: number) => Math.max(1, Math.round(mm * dotsPerMm(dpi)));

export interface IndividualLabelData {
  individualNumber: string;
  articleName: string;
  isoCode: string;
}

/** About 50×25 mm: a Data Matrix and a Code 128 of the individual number, the article name and ISO code. */
export function individualLabel(l: IndividualLabelData, dpi: Dpi): string {
  return new Zpl(dpi, LABEL_SIZES.individual)
    .dataMatrix(1.5, 1.5, 0.5, l.individualNumber)
    .text(14, 1.5, 3.2, l.individualNumber, { bold: true })
    .text(14, 5.5, 2.4, l.articleName, { widthMm: 34, lines: 2 })
    .text(14, 11, 2.4, `ISO ${l.isoCode}`)
    .code128(3, 15.5, 8, moduleFor(dpi, 0.25), l.individualNumber)
    .done();
}

export interface LocationLabelData {
  code: string;
  name: string;
  siteName: string;
}

/** A large Code 128 of the location code, and the code in big text. */
export function locationLabel(l: LocationLabelData, dpi: Dpi): string {
  return new Zpl(dpi, LABEL_SIZES.location)
    .text(5, 3, 11, l.code, { bold: true })
    .text(5, 15, 3.5, `${l.name} · ${l.siteName}`, { widthMm: 90 })
    .code128(8, 21, 24, moduleFor(dpi, 0.375), l.code)
    .done();
}

export interface PalletLabelData {
  sscc: string;
  from: { name: string; municipality: string };
  to: { deliveryPoint: string; municipality: string };
  route: string;
  deliveryDay: string;
  /** Content summary lines, e.g. "3 × Manuell rullstol". */
  contents: string[];
  itemCount: number;
}

/** The SSCC as the human-readable line a GS1 logistic label prints: (00) then the 18 digits grouped. */
export const ssccHumanReadable = (sscc: string) => `(00) ${sscc[0]} ${sscc.slice(1, 8)} ${sscc.slice(8, 17)} ${sscc[17]}`;

/** 100×150 mm, laid out as a GS1 logistic label: from, to, route and day, contents, the SSCC. */
export function palletLabel(l: PalletLabelData, dpi: Dpi): string {
  // A label with a wrong SSCC would be read as another pallet, or not at all: none is printed.
  if (!isValidSscc(l.sscc))
    throw new DepotError('labels.bad_sscc', {
      sv: `"${l.sscc}" är ingen giltig SSCC: den ska ha 18 siffror och rätt kontrollsiffra sist. Ingen etikett skrevs ut.`,
      en: `"${l.sscc}" is not a valid SSCC: it has 18 digits, the last one the check digit. No label was printed.`,
    });
  const z = new Zpl(dpi, LABEL_SIZES.pallet)
    .text(4, 3, 3, 'FRÅN / FROM')
    .text(4, 7, 4.5, l.from.name, { widthMm: 44 })
    .text(4, 13, 3.5, l.from.municipality)
    .text(52, 3, 3, 'TILL / TO')
    .text(52, 7, 4.5, l.to.deliveryPoint, { widthMm: 46, lines: 2 })
    .text(52, 17, 5, l.to.municipality.toUpperCase(), { bold: true })
    .box(2, 24, 96, 0.1)
    .text(4, 27, 4, `${l.route} · ${l.deliveryDay}`, { widthMm: 92 })
    .text(4, 33, 3, `INNEHÅLL / CONTENTS: ${l.itemCount}`);
  l.contents.slice(0, 6).forEach((line, i) => z.text(4, 38 + i * 4.5, 3.2, line, { widthMm: 92 }));
  if (l.contents.length > 6) z.text(4, 38 + 6 * 4.5, 3.2, `+ ${l.contents.length - 6} …`);
  return z
    .box(2, 72, 96, 0.1)
    .text(4, 75, 3, 'SSCC')
    .text(4, 79, 6, ssccHumanReadable(l.sscc).slice(5), { bold: true })
    .gs1_128(6, 92, 40, moduleFor(dpi, 0.5), `00${l.sscc}`)
    .text(14, 136, 4, ssccHumanReadable(l.sscc))
    .done();
}

export interface ReturnLabelData {
  individualNumber: string;
  articleName: string;
  pickupOrder: string;
  pickupPoint: string;
  municipality: string;
}

/** The "returlapp" for a device to be collected. */
export function returnLabel(l: ReturnLabelData, dpi: Dpi): string {
  return new Zpl(dpi, LABEL_SIZES.return)
    .text(4, 3, 6, 'RETUR', { bold: true })
    .text(40, 4, 4, l.pickupOrder)
    .text(4, 12, 4, l.articleName, { widthMm: 92 })
    .text(4, 18, 3.5, `${l.pickupPoint}, ${l.municipality}`, { widthMm: 92 })
    .text(4, 25, 5, l.individualNumber, { bold: true })
    .code128(4, 33, 18, moduleFor(dpi, 0.4), l.individualNumber)
    .dataMatrix(78, 33, 0.6, l.individualNumber)
    .text(4, 58, 3, 'Hämtas av hjälpmedelscentralen · To be collected')
    .done();
}

/** A test print that shows the printer's settings are right. */
export function testLabel(printerName: string, dpi: Dpi, size: LabelSize): string {
  return new Zpl(dpi, size)
    .box(1, 1, size.widthMm - 2, size.heightMm - 2)
    .text(3, 3, Math.min(5, size.heightMm / 5), 'Depot Station ÅÄÖ åäö', { bold: true })
    .text(3, 3 + Math.min(7, size.heightMm / 3.5), 3, `${printerName} · ${dpi} dpi · ${size.widthMm}×${size.heightMm} mm`, { widthMm: size.widthMm - 6 })
    .done();
}
