/**
 * Keyboard-wedge scanners type like a very fast keyboard. This tells their bursts from a person
 * typing by timing alone, from `KeyboardEvent.key` (so any keyboard layout works). Pure, apart
 * from the clock it is given.
 */

export interface WedgeOptions {
  /** The longest gap between two keys of one scan. Scanners send a key every few ms; people rarely under 50. */
  maxGapMs: number;
  /** The fewest characters that make a scan. */
  minLength: number;
  /**
   * How late a scanner's first key may come (some send it after a pause, then the rest as a burst):
   * one key this little before a burst may be the scan's first.
   */
  lateFirstKeyMs: number;
}

export const DEFAULT_WEDGE: WedgeOptions = { maxGapMs: 35, minLength: 4, lateFirstKeyMs: 250 };

export interface WedgeKey {
  key: string;
  ctrlKey: boolean;
  altKey: boolean;
  metaKey: boolean;
  at: number;
}

export type WedgeVerdict =
  /** Not ours: let the key do what it normally does. */
  | { action: 'pass' }
  /** Part of a burst: swallow it. */
  | { action: 'hold' }
  /**
   * The burst ended with Enter: here is the scan. `lead`: one key that came alone, a little before
   * the burst; it may be the scan's first (a scanner that sends its first key late) or a person's.
   */
  | { action: 'scan'; text: string; lead?: string };

export class WedgeDetector {
  private buf = '';
  private last = 0;
  private fast = true;
  private leadKey: string | null = null;

  constructor(private readonly options: WedgeOptions = DEFAULT_WEDGE) {}

  key(k: WedgeKey): WedgeVerdict {
    const gap = k.at - this.last;
    // One key alone, then after a short pause more: it may be a late first key of the burst now beginning.
    let lead: string | null = null;
    if (this.buf && (gap > this.options.maxGapMs || gap < 0)) {
      if (this.buf.length === 1 && gap >= 0 && gap <= this.options.lateFirstKeyMs) lead = this.buf;
      this.reset();
    }
    this.last = k.at;
    if (k.key === 'Enter') {
      const text = this.buf;
      const isScan = this.fast && text.length >= this.options.minLength;
      const before = this.leadKey;
      this.reset();
      return isScan ? { action: 'scan', text, ...(before ? { lead: before } : {}) } : { action: 'pass' };
    }
    let ch: string | null = null;
    if (k.ctrlKey && (k.key === ']' || k.key === '5')) ch = '\x1d'; // GS sent as Ctrl+] (or Ctrl+5 on some layouts)
    else if (!k.ctrlKey && !k.metaKey && k.key.length === 1) ch = k.key;
    if (ch === null) {
      this.reset();
      return { action: 'pass' };
    }
    if (this.buf && gap > this.options.maxGapMs) this.fast = false;
    if (!this.buf) this.leadKey = lead;
    this.buf += ch;
    // The first key might be a person's; hold keys only once a burst is underway.
    return this.buf.length >= 2 ? { action: 'hold' } : { action: 'pass' };
  }

  /** How many characters the burst under way holds so far (1: it has just begun). */
  get pending(): number {
    return this.buf.length;
  }

  /** The burst under way so far (its first key included, which was not held). */
  get burst(): string {
    return this.buf;
  }

  /** The key that came alone just before the burst under way, if one did (see `lateFirstKeyMs`). */
  get lead(): string | null {
    return this.leadKey;
  }

  /** What was held back when a burst turns out to be typing after all. */
  reset(): void {
    this.buf = '';
    this.fast = true;
    this.leadKey = null;
  }
}

/** Inputs nobody types text into: a scan may arrive while one of them has focus. */
const NOT_TYPED = new Set(['radio', 'checkbox', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/**
 * A field made for codes (`data-scan-field`): whatever it holds when Enter comes is the code, typed
 * or scanned, so the wedge leaves its keys alone, even a burst that began as typing.
 */
export function isScanField(el: EventTarget | null): boolean {
  return el instanceof HTMLInputElement && el.dataset.scanField !== undefined;
}

/** A field the user types in (a scan field included, which takes scans itself): the wedge never takes keys from it. */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  const tag = el.tagName;
  if (tag === 'INPUT') return !NOT_TYPED.has((el as HTMLInputElement).type);
  return tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
}
