/**
 * Labels for screens and office printers: the ZPL rendered to a PNG (the preview shows exactly what
 * the label printer will print) and to a PDF of the same size. pdf-lib loads on first use; the ZPL
 * renderer runs on a worker thread of its own (./label-worker), started by the first render, so a
 * large preview never holds up the station's calls and scans.
 */
import type { Dpi, LabelSize } from '../vocabulary/zpl';
import { labelRenderer } from './label-worker';

/** Renders ZPL to PNG images, one per label in it, within the renderer's limits on size and time. */
export async function renderZpl(zpl: string, size: LabelSize, dpi: Dpi): Promise<Buffer[]> {
  const pngs = await labelRenderer().render(zpl, size, dpi);
  return pngs.map((p) => Buffer.from(p, 'base64'));
}

/** What a screen shows of a label: its images as data URLs, and its size. */
export async function labelPreview(zpl: string, size: LabelSize, dpi: Dpi): Promise<{ images: string[]; widthMm: number; heightMm: number }> {
  const pngs = await labelRenderer().render(zpl, size, dpi);
  return { images: pngs.map((p) => `data:image/png;base64,${p}`), widthMm: size.widthMm, heightMm: size.heightMm };
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
