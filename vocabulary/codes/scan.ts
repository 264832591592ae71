import type { Symbology } from './aim';
import { decodeScan, type DecodedScan } from './decode';
import type { ScanError } from './result';

export type ScanSource = 'serial' | 'hid-pos' | 'hid-keyboard' | 'keyboard';

/** One scan, from whichever scanner, as it travels to the core and on to the screens. */
export interface Scan {
  raw: string;
  symbology: Symbology;
  /** Readable text of what was scanned. */
  text: string;
  source: ScanSource;
  /** Which device, e.g. the serial port path. */
  device: string;
  at: number;
  /** What it means, or why it could not be read. */
  decoded: { ok: true; value: DecodedScan } | { ok: false; error: ScanError };
}

/** Makes the Scan event for raw scanner output; `symbology` from the scanner (HID POS) wins over the AIM guess. */
export function toScan(raw: string, source: ScanSource, device: string, at = Date.now(), aimFromDevice?: string): Scan {
  const decoded = decodeScan(aimFromDevice && !raw.startsWith(']') ? aimFromDevice + raw : raw);
  return {
    raw,
    symbology: decoded.ok ? decoded.value.symbology : 'unknown',
    text: decoded.ok ? decoded.value.text : raw.replace(/[\r\n]+$/, ''),
    source,
    device,
    at,
    decoded,
  };
}
