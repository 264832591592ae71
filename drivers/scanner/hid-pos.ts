/**
 * HID POS scanners (USB HID usage page 0x8C): each input report holds a piece of the scan, with
 * its length, the AIM symbology identifier and a flag saying more follows. Layouts differ by
 * vendor, so they are data. Pure: reports in, scans out.
 */

export interface HidPosLayout {
  name: string;
  /** The first byte when the device numbers its reports; null when it does not. */
  reportId: number | null;
  lengthIndex: number;
  /** Where the 3-byte AIM identifier (`]C1`) sits; null when the layout has none. */
  aimIndex: number | null;
  dataIndex: number;
  dataMax: number;
  /** Index of the byte holding the continuation flag (negative: from the end). */
  continuationIndex: number;
  continuationMask: number;
}

/** The common layouts: the 64-byte report of Honeywell/Datalogic-style HID POS, and a minimal one. */
export const HID_POS_LAYOUTS: Record<string, HidPosLayout> = {
  standard: { name: 'standard', reportId: 0x02, lengthIndex: 1, aimIndex: 2, dataIndex: 5, dataMax: 56, continuationIndex: 63, continuationMask: 0x01 },
  plain: { name: 'plain', reportId: 0x02, lengthIndex: 1, aimIndex: null, dataIndex: 2, dataMax: 61, continuationIndex: -1, continuationMask: 0x01 },
};

export interface HidPosScan {
  data: Uint8Array;
  /** The AIM identifier from the first report, e.g. `]E0`. */
  aim: string | null;
}

export interface HidPosResult {
  scan: HidPosScan | null;
  /** A report this layout cannot read (wrong id, impossible length): ignored. */
  ignored: boolean;
}

export class HidPosAssembler {
  private parts: Uint8Array[] = [];
  private aim: string | null = null;

  constructor(private readonly layout: HidPosLayout) {}

  push(report: Uint8Array): HidPosResult {
    const l = this.layout;
    if (l.reportId !== null && report[0] !== l.reportId) return { scan: null, ignored: true };
    const length = report[l.lengthIndex];
    if (length === undefined || length > l.dataMax || l.dataIndex + length > report.length) return { scan: null, ignored: true };
    if (this.parts.length === 0 && l.aimIndex !== null) {
      const aim = String.fromCharCode(...report.subarray(l.aimIndex, l.aimIndex + 3));
      this.aim = /^\][A-Za-z][0-9A-Za-z]$/.test(aim) ? aim : null;
    }
    this.parts.push(report.slice(l.dataIndex, l.dataIndex + length));
    const flagAt = l.continuationIndex < 0 ? report.length + l.continuationIndex : l.continuationIndex;
    const more = ((report[flagAt] ?? 0) & l.continuationMask) !== 0;
    if (more) return { scan: null, ignored: false };
    const size = this.parts.reduce((n, p) => n + p.length, 0);
    const data = new Uint8Array(size);
    let at = 0;
    for (const p of this.parts) {
      data.set(p, at);
      at += p.length;
    }
    const scan = { data, aim: this.aim };
    this.parts = [];
    this.aim = null;
    return { scan, ignored: false };
  }

  reset(): void {
    this.parts = [];
    this.aim = null;
  }
}

/** Builds the reports a scanner with this layout sends for some data (for tests and diagnostics). */
export function encodeHidPos(layout: HidPosLayout, data: Uint8Array, aim: string | null, reportSize = 64): Uint8Array[] {
  const reports: Uint8Array[] = [];
  for (let at = 0; at < data.length || reports.length === 0; at += layout.dataMax) {
    const chunk = data.subarray(at, at + layout.dataMax);
    const r = new Uint8Array(reportSize);
    if (layout.reportId !== null) r[0] = layout.reportId;
    r[layout.lengthIndex] = chunk.length;
    if (layout.aimIndex !== null && aim) r.set(Buffer.from(aim, 'latin1').subarray(0, 3), layout.aimIndex);
    r.set(chunk, layout.dataIndex);
    const more = at + layout.dataMax < data.length;
    const flagAt = layout.continuationIndex < 0 ? reportSize + layout.continuationIndex : layout.continuationIndex;
    if (more) r[flagAt] = (r[flagAt] ?? 0) | layout.continuationMask;
    reports.push(r);
  }
  return reports;
}
