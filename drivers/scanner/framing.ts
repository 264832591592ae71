/**
 * Serial framing: how one scan is told from the next in a stream of bytes. A suffix (CR, LF,
 * CRLF or ETX) ends a scan, or, with no suffix, a pause longer than the inter-byte timeout.
 * An optional prefix is removed. Pure: bytes in, scans out.
 */

export type Suffix = 'CR' | 'LF' | 'CRLF' | 'ETX' | 'none';

export interface Framing {
  suffix: Suffix;
  /** Sent by the scanner before each scan; removed when present. */
  prefix?: string;
  /** With no suffix: the silence that ends a scan. */
  interByteTimeoutMs?: number;
}

export const SUFFIX_BYTES: Record<Exclude<Suffix, 'none'>, number[]> = {
  CR: [0x0d],
  LF: [0x0a],
  CRLF: [0x0d, 0x0a],
  ETX: [0x03],
};

/** Longer than any barcode: a stream this long without a suffix is noise, not a scan. */
export const MAX_FRAME = 8192;

export interface FrameResult {
  scans: string[];
  /** Bytes dropped as noise (a frame that grew past MAX_FRAME). */
  dropped: number;
}

const decoder = new TextDecoder('utf-8');

export class Framer {
  private buf: number[] = [];
  private lastByteAt = 0;

  constructor(private readonly framing: Framing) {}

  private finish(frame: number[], out: string[]): void {
    let text = decoder.decode(Uint8Array.from(frame));
    const prefix = this.framing.prefix;
    if (prefix && text.startsWith(prefix)) text = text.slice(prefix.length);
    if (text.length > 0) out.push(text);
  }

  /** Feeds bytes as they arrive; returns the scans they complete. */
  push(chunk: Uint8Array, now: number): FrameResult {
    const scans: string[] = [];
    let dropped = 0;
    if (this.framing.suffix === 'none') {
      scans.push(...this.flush(now).scans);
      for (const b of chunk) this.buf.push(b);
    } else {
      const suffix = SUFFIX_BYTES[this.framing.suffix];
      for (const b of chunk) {
        this.buf.push(b);
        const n = this.buf.length;
        if (n >= suffix.length && suffix.every((s, i) => this.buf[n - suffix.length + i] === s)) {
          this.finish(this.buf.slice(0, n - suffix.length), scans);
          this.buf = [];
        }
      }
    }
    if (this.buf.length > MAX_FRAME) {
      dropped += this.buf.length;
      this.buf = [];
    }
    this.lastByteAt = now;
    return { scans, dropped };
  }

  /** With no suffix: ends the pending scan once the line has been quiet long enough. */
  flush(now: number): FrameResult {
    const scans: string[] = [];
    const timeout = this.framing.interByteTimeoutMs ?? 50;
    if (this.framing.suffix === 'none' && this.buf.length > 0 && now - this.lastByteAt >= timeout) {
      this.finish(this.buf, scans);
      this.buf = [];
    }
    return { scans, dropped: 0 };
  }

  /** Whether bytes are waiting for their end. */
  get pending(): boolean {
    return this.buf.length > 0;
  }

  reset(): void {
    this.buf = [];
  }
}
