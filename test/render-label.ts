import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { ready } from 'zpl-renderer-js';
import { prepareZXingModule, readBarcodes } from 'zxing-wasm/reader';
import type { Dpi, LabelSize } from '../vocabulary/zpl';

let prepared = false;

/** Renders ZPL offline to a PNG the way the printer would lay it out, then reads every barcode on it. */
export async function renderAndRead(zpl: string, size: LabelSize, dpi: Dpi): Promise<{ png: Buffer; codes: { format: string; text: string; aim: string }[] }> {
  if (!prepared) {
    const wasm = readFileSync(createRequire(import.meta.url).resolve('zxing-wasm/reader/zxing_reader.wasm'));
    await prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer }, fireImmediately: true });
    prepared = true;
  }
  const { api } = await ready;
  const png = Buffer.from(await api.zplToBase64Async(zpl, size.widthMm, size.heightMm, Math.round(dpi / 25.4)), 'base64');
  const results = await readBarcodes(new Uint8Array(png), { tryHarder: true, maxNumberOfSymbols: 8, formats: [] } as never);
  return { png, codes: results.map((r) => ({ format: r.format, text: r.text, aim: r.symbologyIdentifier })) };
}
