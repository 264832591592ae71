/**
 * Scanners that present themselves as a USB keyboard, read as 8-byte boot-keyboard reports
 * (modifiers, reserved, six key usages) and turned back into text with the keyboard layout the
 * scanner was set up for: Swedish or US. Enter ends a scan. Pure.
 */

export type KeyboardLayout = 'sv' | 'us';

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** usage → [plain, shift, altgr] */
type KeyMap = Record<number, [string, string, string?]>;

function base(): KeyMap {
  const m: KeyMap = {};
  for (let i = 0; i < 26; i++) m[0x04 + i] = [LETTERS[i]!, LETTERS[i]!.toUpperCase()];
  m[0x2c] = [' ', ' '];
  // Keypad digits send the same in every layout.
  const pad = '1234567890';
  for (let i = 0; i < 10; i++) m[0x59 + i] = [pad[i]!, pad[i]!];
  m[0x54] = ['/', '/'];
  m[0x55] = ['*', '*'];
  m[0x56] = ['-', '-'];
  m[0x57] = ['+', '+'];
  m[0x63] = ['.', '.'];
  return m;
}

const US: KeyMap = (() => {
  const m = base();
  const digits = '1234567890';
  const shifted = '!@#$%^&*()';
  for (let i = 0; i < 10; i++) m[0x1e + i] = [digits[i]!, shifted[i]!];
  Object.assign(m, {
    0x2d: ['-', '_'], 0x2e: ['=', '+'], 0x2f: ['[', '{'], 0x30: [']', '}'], 0x31: ['\\', '|'], 0x32: ['#', '~'],
    0x33: [';', ':'], 0x34: ["'", '"'], 0x35: ['`', '~'], 0x36: [',', '<'], 0x37: ['.', '>'], 0x38: ['/', '?'], 0x64: ['\\', '|'],
  });
  return m;
})();

const SV: KeyMap = (() => {
  const m = base();
  const digits = '1234567890';
  const shifted = '!"#¤%&/()=';
  const altgr = ['', '@', '£', '$', '€', '', '{', '[', ']', '}'];
  for (let i = 0; i < 10; i++) m[0x1e + i] = [digits[i]!, shifted[i]!, altgr[i] || undefined];
  Object.assign(m, {
    0x2d: ['+', '?', '\\'], 0x2e: ['´', '`'], 0x2f: ['å', 'Å'], 0x30: ['¨', '^', '~'], 0x31: ["'", '*'], 0x32: ["'", '*'],
    0x33: ['ö', 'Ö'], 0x34: ['ä', 'Ä'], 0x35: ['§', '½'], 0x36: [',', ';'], 0x37: ['.', ':'], 0x38: ['-', '_'], 0x64: ['<', '>', '|'],
  });
  return m;
})();

const MAPS: Record<KeyboardLayout, KeyMap> = { sv: SV, us: US };

const ENTER = [0x28, 0x58];
const CTRL = 0x01 | 0x10;
const SHIFT = 0x02 | 0x20;
const ALTGR = 0x40;

export class BootKeyboardDecoder {
  private previous = new Set<number>();
  private text = '';

  constructor(private readonly layout: KeyboardLayout) {}

  /** Feeds one 8-byte report; returns the scan it completes, if any. */
  push(report: Uint8Array): string | null {
    if (report.length < 8) return null;
    const mods = report[0]!;
    const keys = [...report.subarray(2, 8)].filter((k) => k > 0x03);
    let done: string | null = null;
    for (const k of keys) {
      if (this.previous.has(k)) continue; // still held down, not a new press
      if (ENTER.includes(k)) {
        done = this.text;
        this.text = '';
        continue;
      }
      // A scanner sends GS (FNC1) as Ctrl + the key at the `]` position.
      if (mods & CTRL) {
        if (k === 0x30) this.text += '\x1d';
        continue;
      }
      const entry = MAPS[this.layout][k];
      if (!entry) continue;
      const ch = mods & ALTGR ? entry[2] : mods & SHIFT ? entry[1] : entry[0];
      if (ch) this.text += ch;
    }
    this.previous = new Set(keys);
    return done;
  }

  reset(): void {
    this.previous.clear();
    this.text = '';
  }
}

/** The boot reports a keyboard scanner sends when typing `text` and Enter (for tests and diagnostics). */
export function encodeBootKeyboard(text: string, layout: KeyboardLayout): Uint8Array[] {
  const reverse = new Map<string, [number, number]>();
  for (const [usage, [plain, shift, altgr]] of Object.entries(MAPS[layout])) {
    const u = Number(usage);
    if (!reverse.has(plain)) reverse.set(plain, [u, 0]);
    if (!reverse.has(shift)) reverse.set(shift, [u, 0x02]);
    if (altgr && !reverse.has(altgr)) reverse.set(altgr, [u, 0x40]);
  }
  reverse.set('\x1d', [0x30, 0x01]);
  const reports: Uint8Array[] = [];
  const up = new Uint8Array(8);
  for (const ch of text) {
    const k = reverse.get(ch);
    if (!k) throw new Error(`no key for ${JSON.stringify(ch)} on the ${layout} layout`);
    reports.push(Uint8Array.of(k[1], 0, k[0], 0, 0, 0, 0, 0), up);
  }
  reports.push(Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0), up);
  return reports;
}
