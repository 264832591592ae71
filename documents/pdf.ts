/**
 * A4 documents as PDF: the pallet manifest, an individual's timeline and a count's report. Plain text in Helvetica,
 * wrapped to the page and continued on new pages; pdf-lib loads on first use.
 */
import type { UserMessage } from '../vocabulary/errors';
import type { CountReport } from '../db/counts/report';
import type { Timeline } from '../db/service/timeline';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 40;

/** Helvetica's WinAnsi encoding covers Swedish; anything else is written with a near equivalent or '?'. */
const WIN_ANSI_EXTRAS = new Set('–—‘’“”•…€');
const encodable = (s: string) =>
  [...s.replace(/→/g, '->')].map((c) => (c.charCodeAt(0) <= 0xff || WIN_ANSI_EXTRAS.has(c) ? c : '?')).join('');

async function textDocument(title: string) {
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Depot Station');
  pdf.setCreator('Depot Station');
  const fonts = { regular: await pdf.embedFont(StandardFonts.Helvetica), bold: await pdf.embedFont(StandardFonts.HelveticaBold) };
  let page = pdf.addPage(A4);
  let y = A4[1] - MARGIN;
  /** Writes one paragraph at `x`, wrapped to the page width; a new page when the page is full. */
  const line = (raw: string, opts: { size?: number; bold?: boolean; x?: number } = {}) => {
    const size = opts.size ?? 10;
    const font = opts.bold ? fonts.bold : fonts.regular;
    const x = opts.x ?? MARGIN;
    const width = A4[0] - MARGIN - x;
    const words = encodable(raw).split(' ');
    let current = '';
    const out: string[] = [];
    for (const w of words) {
      const next = current ? `${current} ${w}` : w;
      if (current && font.widthOfTextAtSize(next, size) > width) {
        out.push(current);
        current = w;
      } else current = next;
    }
    out.push(current);
    for (const text of out) {
      if (y < MARGIN + size) {
        page = pdf.addPage(A4);
        y = A4[1] - MARGIN;
      }
      page.drawText(text, { x, y, size, font });
      y -= size + 4;
    }
  };
  const gap = (n = 8) => {
    y -= n;
  };
  return { line, gap, save: () => pdf.save() };
}

/** A pallet manifest: what is on the pallet, for the driver and the receiving depot. */
export async function manifestPdf(p: {
  sscc: string;
  route: string;
  deliveryDay: string;
  deliveryPoint: string;
  municipality: string;
  items: { articleNumber: string; name: string; individualNumber: string | null; quantity: number; orderRef: string | null }[];
}): Promise<Uint8Array> {
  const doc = await textDocument(`Pallet ${p.sscc}`);
  doc.line('Pallmanifest / Pallet manifest', { size: 16, bold: true });
  doc.line(`SSCC ${p.sscc}`, { size: 12, bold: true });
  doc.line(`${p.route} · ${p.deliveryDay}`);
  doc.line(`Till / To: ${p.deliveryPoint}, ${p.municipality}`);
  doc.gap();
  doc.line('Artikel / Article          Individ / Individual   Antal / Qty   Order', { bold: true });
  for (const i of p.items) doc.line(`${i.articleNumber}  ${i.name.slice(0, 40).padEnd(40)}  ${i.individualNumber ?? ''}  ${i.quantity}  ${i.orderRef ?? ''}`, { size: 9 });
  doc.gap();
  doc.line(`Totalt / Total: ${p.items.reduce((n, i) => n + i.quantity, 0)}`, { size: 11, bold: true });
  return doc.save();
}

const dateTime = (ms: number) => {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
};

/** An individual's timeline, for a safety notice, the supplier or the patient's file. */
export async function timelinePdf(t: Timeline, lang: keyof UserMessage, printedAt = Date.now()): Promise<Uint8Array> {
  const sv = lang === 'sv';
  const doc = await textDocument(`${t.individualNumber} ${t.articleName}`);
  doc.line(sv ? `Historik för ${t.individualNumber}` : `History of ${t.individualNumber}`, { size: 16, bold: true });
  doc.line(`${t.articleNumber} ${t.articleName}${t.serialNumber ? ` · ${sv ? 'serienummer' : 'serial number'} ${t.serialNumber}` : ''}`, { size: 11 });
  doc.line(`${sv ? 'Nu' : 'Now'}: ${t.status}${t.locationCode ? `, ${t.locationCode}` : ''} · ${sv ? 'utskriven' : 'printed'} ${dateTime(printedAt)}`, { size: 9 });
  doc.gap();
  for (const e of t.entries) {
    doc.line(`${dateTime(e.at)}   ${e.text[lang]}${e.by ? `   (${e.by})` : ''}`, { size: 9 });
    for (const d of e.details) doc.line(d[lang], { size: 8, x: MARGIN + 90 });
  }
  doc.gap();
  doc.line(sv ? `${t.entries.length} händelser.` : `${t.entries.length} events.`, { size: 9, bold: true });
  return doc.save();
}

/** An inventory count's report: accuracy per zone, and every variance as decided. */
export async function countReportPdf(r: CountReport): Promise<Uint8Array> {
  const doc = await textDocument(`Inventering ${r.count.number}`);
  const pct = (x: number) => `${(Math.round(x * 1000) / 10).toString().replace('.', ',')} %`;
  const kr = (ore: number) => `${Math.round(ore / 100).toLocaleString('sv-SE')} kr`;
  doc.line(`Inventering ${r.count.number}`, { size: 16, bold: true });
  doc.line(`${r.count.title} · ${r.count.state === 'approved' && r.count.approvedAt ? `godkänd ${dateTime(r.count.approvedAt)}` : r.count.state}`, { size: 10 });
  doc.gap();
  doc.line(`Träffsäkerhet ${pct(r.total.accuracy)} · ${r.total.locations} platser, ${r.total.lines} rader, ${r.total.variances} avvikelser · värde netto ${kr(r.total.value)} · ${r.total.missing} saknade och ${r.total.found} hittade individer`, { size: 10, bold: true });
  doc.gap();
  doc.line('Zon                      Platser   Rader   Avvikelser   Träffsäkerhet   Värde', { size: 9, bold: true });
  for (const z of r.zones) doc.line(`${`${z.zoneCode} ${z.zoneName}`.slice(0, 24).padEnd(24)} ${String(z.locations).padStart(7)} ${String(z.lines).padStart(7)} ${String(z.variances).padStart(12)} ${pct(z.accuracy).padStart(15)}   ${kr(z.value)}`, { size: 9 });
  doc.gap();
  doc.line('Avvikelser', { size: 12, bold: true });
  for (const l of r.lines)
    doc.line(
      `${l.locationCode}  ${l.individualNumber ?? l.articleNumber} ${l.articleName}${l.lot ? ` (${l.lot})` : ''}: förväntat ${l.expected}, räknat ${l.counted}, ${kr(l.value)}${l.approved === null ? '' : l.approved ? ', godkänd' : ', ej godkänd'}`,
      { size: 8 },
    );
  return doc.save();
}
