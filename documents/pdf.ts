/**
 * A4 documents as PDF: the pallet manifest, an individual's timeline and a count's report. Each is
 * a heading and its facts, then tables drawn as rows and columns (a shaded header row repeated on
 * every page, cell text wrapped within its column, numbers right-aligned) and "Sida 1 av 2" at the
 * foot of each page. Helvetica in WinAnsi; pdf-lib loads on first use.
 */
import type { PDFFont, PDFPage } from 'pdf-lib';
import type { UserMessage } from '../vocabulary/errors';
import type { CountReport } from '../db/counts/report';
import type { Timeline } from '../db/service/timeline';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;
/** Room kept at the foot of each page for its number. */
const FOOT = 36;
const PAD = 3;

/** Helvetica's WinAnsi encoding covers Swedish; anything else is written with a near equivalent or '?'. */
const WIN_ANSI_EXTRAS = new Set('–—‘’“”•…€');
export const encodable = (s: string) =>
  [...s.replace(/→/g, '->').replace(/\u2212/g, '-').replace(/[\u2009\u202f]/g, '\u00a0')].map((c) => (c.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRAS.has(c) ? c : '?')).join('');

export interface Column {
  header: string;
  /** A share of the table's width; the shares are scaled to the page. */
  width: number;
  align?: 'left' | 'right';
}

type Lang = keyof UserMessage;
const PAGE_OF: Record<Lang, (n: number, of: number) => string> = { sv: (n, of) => `Sida ${n} av ${of}`, en: (n, of) => `Page ${n} of ${of}` };

/** Words wrapped to `width` at `size`; a word longer than the width is cut where it must be. */
function wrap(font: PDFFont, size: number, text: string, width: number): string[] {
  const out: string[] = [];
  for (const paragraph of encodable(text).split('\n')) {
    let current = '';
    for (const word of paragraph.split(' ')) {
      const next = current ? `${current} ${word}` : word;
      if (font.widthOfTextAtSize(next, size) <= width) {
        current = next;
        continue;
      }
      if (current) out.push(current);
      current = word;
      while (font.widthOfTextAtSize(current, size) > width && current.length > 1) {
        let cut = current.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(current.slice(0, cut), size) > width) cut--;
        out.push(current.slice(0, cut));
        current = current.slice(cut);
      }
    }
    out.push(current);
  }
  return out;
}

async function document(title: string, lang: Lang) {
  const { PDFDocument, StandardFonts, rgb } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(encodable(title));
  pdf.setProducer('Depot Station');
  pdf.setCreator('Depot Station');
  pdf.setLanguage(lang === 'sv' ? 'sv-SE' : 'en-GB');
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  const grey = rgb(0.55, 0.55, 0.55);
  const shade = rgb(0.9, 0.9, 0.9);
  const right = A4[0] - MARGIN;
  let page: PDFPage = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  const newPage = () => {
    page = pdf.addPage(A4);
    y = A4[1] - MARGIN;
  };
  const room = (h: number) => y - h >= MARGIN + FOOT;

  /** One paragraph across the page, wrapped; a new page when the page is full. */
  const line = (text: string, opts: { size?: number; bold?: boolean } = {}) => {
    const size = opts.size ?? 10;
    const font = opts.bold ? fonts.bold : fonts.regular;
    for (const l of wrap(font, size, text, right - MARGIN)) {
      if (!room(size + 4)) newPage();
      page.drawText(l, { x: MARGIN, y: y - size, size, font });
      y -= size + 4;
    }
  };
  const gap = (n = 8) => {
    y -= n;
  };

  /** A table: the header row shaded and bold, on every page the table runs onto; each cell wrapped within its column. */
  const table = (columns: readonly Column[], rows: readonly (readonly string[])[], opts: { size?: number } = {}) => {
    const size = opts.size ?? 8.5;
    const leading = size + 2;
    const total = columns.reduce((n, c) => n + c.width, 0);
    const widths = columns.map((c) => (c.width / total) * (right - MARGIN));
    const xs = widths.map((_, i) => MARGIN + widths.slice(0, i).reduce((a, b) => a + b, 0));
    const layout = (cells: readonly string[], font: PDFFont) => {
      const wrapped = columns.map((_, i) => wrap(font, size, cells[i] ?? '', widths[i]! - 2 * PAD));
      return { wrapped, height: Math.max(1, ...wrapped.map((w) => w.length)) * leading + 2 * PAD };
    };
    const draw = (cells: { wrapped: string[][]; height: number }, font: PDFFont, header: boolean) => {
      if (header) page.drawRectangle({ x: MARGIN, y: y - cells.height, width: right - MARGIN, height: cells.height, color: shade });
      cells.wrapped.forEach((lines, i) => {
        lines.forEach((text, k) => {
          const w = font.widthOfTextAtSize(text, size);
          const x = columns[i]!.align === 'right' ? xs[i]! + widths[i]! - PAD - w : xs[i]! + PAD;
          page.drawText(text, { x, y: y - PAD - size - k * leading + 1, size, font });
        });
      });
      y -= cells.height;
      page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: header ? 0.8 : 0.3, color: header ? rgb(0, 0, 0) : grey });
    };
    const head = layout(columns.map((c) => c.header), fonts.bold);
    const top = () => {
      page.drawLine({ start: { x: MARGIN, y }, end: { x: right, y }, thickness: 0.8, color: rgb(0, 0, 0) });
      draw(head, fonts.bold, true);
    };
    const first = rows[0] ? layout(rows[0], fonts.regular) : { height: 0 };
    if (!room(head.height + first.height)) newPage();
    top();
    for (const r of rows) {
      const cells = layout(r, fonts.regular);
      if (!room(cells.height)) {
        newPage();
        top();
      }
      draw(cells, fonts.regular, false);
    }
  };

  /** Numbers every page at its foot ("Sida 1 av 2"), with the document's title opposite. */
  const save = () => {
    const pages = pdf.getPages();
    const size = 8;
    const name = encodable(title);
    pages.forEach((p, i) => {
      const label = PAGE_OF[lang](i + 1, pages.length);
      p.drawText(name, { x: MARGIN, y: MARGIN - 10, size, font: fonts.regular, color: grey });
      p.drawText(label, { x: right - fonts.regular.widthOfTextAtSize(label, size), y: MARGIN - 10, size, font: fonts.regular });
    });
    return pdf.save();
  };
  return { line, gap, table, save };
}

const number = (n: number) => n.toLocaleString('sv-SE');
const dateTime = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** A pallet manifest: what is on the pallet, for the driver and the receiving depot. */
export async function manifestPdf(p: {
  sscc: string;
  route: string;
  deliveryDay: string;
  deliveryPoint: string;
  municipality: string;
  items: { articleNumber: string; name: string; individualNumber: string | null; quantity: number; orderRef: string | null }[];
}): Promise<Uint8Array> {
  const doc = await document(`Pallmanifest ${p.sscc}`, 'sv');
  doc.line('Pallmanifest / Pallet manifest', { size: 16, bold: true });
  doc.line(`SSCC ${p.sscc}`, { size: 12, bold: true });
  doc.line(`Rutt / Route: ${p.route} · ${p.deliveryDay}`);
  doc.line(`Till / To: ${p.deliveryPoint}, ${p.municipality}`);
  doc.gap();
  doc.table(
    [
      { header: 'Artikel / Article', width: 14 },
      { header: 'Benämning / Name', width: 36 },
      { header: 'Individ / Individual', width: 18 },
      { header: 'Antal / Qty', width: 10, align: 'right' },
      { header: 'Order', width: 22 },
    ],
    p.items.map((i) => [i.articleNumber, i.name, i.individualNumber ?? '', number(i.quantity), i.orderRef ?? '']),
  );
  doc.gap();
  doc.line(`Totalt / Total: ${number(p.items.reduce((n, i) => n + i.quantity, 0))}`, { size: 11, bold: true });
  return doc.save();
}

/** An individual's timeline, for a safety notice, the supplier or the patient's file. */
export async function timelinePdf(t: Timeline, lang: Lang, printedAt = Date.now()): Promise<Uint8Array> {
  const sv = lang === 'sv';
  const doc = await document(`${t.individualNumber} ${t.articleName}`, lang);
  doc.line(sv ? `Historik för ${t.individualNumber}` : `History of ${t.individualNumber}`, { size: 16, bold: true });
  doc.line(`${t.articleNumber} ${t.articleName}${t.serialNumber ? ` · ${sv ? 'serienummer' : 'serial number'} ${t.serialNumber}` : ''}`, { size: 11 });
  doc.line(`${sv ? 'Nu' : 'Now'}: ${t.status}${t.locationCode ? `, ${t.locationCode}` : ''} · ${sv ? 'utskriven' : 'printed'} ${dateTime(printedAt)}`, { size: 9 });
  doc.gap();
  doc.table(
    [
      { header: sv ? 'Tid' : 'When', width: 17 },
      { header: sv ? 'Händelse' : 'Event', width: 60 },
      { header: sv ? 'Av' : 'By', width: 23 },
    ],
    t.entries.map((e) => [dateTime(e.at), [e.text[lang], ...e.details.map((d) => `– ${d[lang]}`)].join('\n'), e.by ?? '']),
  );
  doc.gap();
  doc.line(sv ? `${number(t.entries.length)} händelser.` : `${number(t.entries.length)} events.`, { size: 9, bold: true });
  return doc.save();
}

/** An inventory count's report: accuracy per zone, and every variance as decided. */
export async function countReportPdf(r: CountReport): Promise<Uint8Array> {
  const doc = await document(`Inventering ${r.count.number}`, 'sv');
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toLocaleString('sv-SE')} %`;
  const kr = (ore: number) => `${(Math.round(ore / 100) || 0).toLocaleString('sv-SE')} kr`;
  const state = { counting: 'pågår', approved: 'godkänd', cancelled: 'avbruten' }[r.count.state];
  doc.line(`Inventering ${r.count.number}`, { size: 16, bold: true });
  doc.line(`${r.count.title} · ${r.count.state === 'approved' && r.count.approvedAt ? `godkänd ${dateTime(r.count.approvedAt)}` : state}`, { size: 10 });
  doc.gap();
  doc.line(
    `Träffsäkerhet ${pct(r.total.accuracy)} · ${number(r.total.locations)} platser, ${number(r.total.lines)} rader, ${number(r.total.variances)} avvikelser · värde netto ${kr(r.total.value)} · ${number(r.total.missing)} saknade och ${number(r.total.found)} hittade individer`,
    { size: 10, bold: true },
  );
  doc.gap();
  doc.line('Zoner', { size: 12, bold: true });
  doc.table(
    [
      { header: 'Zon', width: 24 },
      { header: 'Platser', width: 11, align: 'right' },
      { header: 'Rader', width: 11, align: 'right' },
      { header: 'Avvikelser', width: 14, align: 'right' },
      { header: 'Träffsäkerhet', width: 17, align: 'right' },
      { header: 'Värde netto', width: 18, align: 'right' },
    ],
    [...r.zones, { ...r.total, zoneCode: 'Totalt', zoneName: '' }].map((z) => [
      `${z.zoneCode} ${z.zoneName}`.trim(),
      number(z.locations),
      number(z.lines),
      number(z.variances),
      pct(z.accuracy),
      kr(z.value),
    ]),
  );
  doc.gap(14);
  doc.line('Avvikelser', { size: 12, bold: true });
  const decided = (a: boolean | null) => (a === null ? '' : a ? 'godkänd' : 'ej godkänd');
  doc.table(
    [
      { header: 'Plats', width: 15 },
      { header: 'Artikel', width: 24 },
      { header: 'Individ / batch', width: 14 },
      { header: 'Förväntat', width: 9, align: 'right' },
      { header: 'Räknat', width: 8, align: 'right' },
      { header: 'Avvikelse', width: 9, align: 'right' },
      { header: 'Värde', width: 9, align: 'right' },
      { header: 'Beslut', width: 12 },
    ],
    r.lines.map((l) => [
      l.locationCode,
      `${l.articleNumber} ${l.articleName}`,
      l.individualNumber ?? l.lot ?? '',
      number(l.expected),
      number(l.counted),
      number(l.difference),
      kr(l.value),
      decided(l.approved),
    ]),
  );
  if (r.lines.length === 0) doc.line('Inga avvikelser.', { size: 9 });
  return doc.save();
}
