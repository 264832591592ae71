/**
 * Labels for screens and office printers: the ZPL rendered to a PNG (the preview shows exactly what
 * the label printer will print) and to a PDF of the same size. pdf-lib and the ZPL renderer load on
 * first use, not at start-up.
 */
import type { Dpi, LabelSize } from '../drivers/printer/zpl';

/** Renders ZPL to PNG images, one per label in it. The renderer (about 8 MB of WebAssembly) loads on first use. */
export async function renderZpl(zpl: string, size: LabelSize, dpi: Dpi): Promise<Buffer[]> {
  const { ready } = await import('zpl-renderer-js');
  const { api } = await ready;
  const pngs = await api.zplToBase64MultipleAsync(zpl, size.widthMm, size.heightMm, Math.round(dpi / 25.4));
  return pngs.map((p) => Buffer.from(p, 'base64'));
}

/** What a screen shows of a label: its images as data URLs, and its size. */
export async function labelPreview(zpl: string, size: LabelSize, dpi: Dpi): Promise<{ images: string[]; widthMm: number; heightMm: number }> {
  const pngs = await renderZpl(zpl, size, dpi);
  return { images: pngs.map((p) => `data:image/png;base64,${p.toString('base64')}`), widthMm: size.widthMm, heightMm: size.heightMm };
}

const MM_TO_PT = 72 / 25.4;

/** A PDF with one page per label, each page exactly the label's size. */
export async function zplToPdf(zpl: string, size: LabelSize, dpi: Dpi, title: string): Promise<Uint8Array> {
  const { PDFDocument } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(title);
  pdf.setProducer('Depot Station');
  pdf.setCreator('Depot Station');
  const w = size.widthMm * MM_TO_PT;
  const h = size.heightMm * MM_TO_PT;
  for (const png of await renderZpl(zpl, size, dpi)) {
    const image = await pdf.embedPng(png);
    pdf.addPage([w, h]).drawImage(image, { x: 0, y: 0, width: w, height: h });
  }
  return pdf.save();
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
  const { PDFDocument, StandardFonts } = await import('pdf-lib');
  const pdf = await PDFDocument.create();
  pdf.setTitle(`Pallet ${p.sscc}`);
  pdf.setProducer('Depot Station');
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const A4: [number, number] = [595.28, 841.89];
  let page = pdf.addPage(A4);
  let y = 800;
  const line = (text: string, size = 10, f = font, x = 40) => {
    if (y < 50) {
      page = pdf.addPage(A4);
      y = 800;
    }
    page.drawText(text, { x, y, size, font: f });
    y -= size + 6;
  };
  line('Pallmanifest / Pallet manifest', 16, bold);
  line(`SSCC ${p.sscc}`, 12, bold);
  line(`${p.route} · ${p.deliveryDay}`);
  line(`Till / To: ${p.deliveryPoint}, ${p.municipality}`);
  y -= 8;
  line('Artikel / Article          Individ / Individual   Antal / Qty   Order', 10, bold);
  for (const i of p.items) line(`${i.articleNumber}  ${i.name.slice(0, 40).padEnd(40)}  ${i.individualNumber ?? ''}  ${i.quantity}  ${i.orderRef ?? ''}`, 9);
  y -= 8;
  line(`Totalt / Total: ${p.items.reduce((n, i) => n + i.quantity, 0)}`, 11, bold);
  return pdf.save();
}
