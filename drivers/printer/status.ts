/**
 * The answer to `~HS` (host status): three STX…ETX strings. What the station needs of it: can the
 * printer print now, and if not, why. No answer at all counts as a fault (newer printers stay silent
 * when media is out or the head is open).
 */

export interface PrinterStatus {
  paperOut: boolean;
  paused: boolean;
  headOpen: boolean;
  ribbonOut: boolean;
  bufferFull: boolean;
  formatsInBuffer: number;
}

export type PrinterFault = 'no_answer' | 'paper_out' | 'paused' | 'head_open' | 'ribbon_out' | 'buffer_full';

/** Parses a complete `~HS` answer; null until all three strings are there. */
export function parseHostStatus(answer: string): PrinterStatus | null {
  // eslint-disable-next-line no-control-regex -- STX and ETX frame the answer
  const strings = [...answer.matchAll(/\x02([^\x02\x03]*)\x03/g)].map((m) => m[1]!.split(','));
  if (strings.length < 3) return null;
  const [one, two] = strings as [string[], string[]];
  if (one.length < 12 || two.length < 11) return null;
  return {
    paperOut: one[1] === '1',
    paused: one[2] === '1',
    formatsInBuffer: Number(one[4]) || 0,
    bufferFull: one[5] === '1',
    headOpen: two[2] === '1',
    ribbonOut: two[3] === '1',
  };
}

export function faultOf(s: PrinterStatus | null): PrinterFault | null {
  if (!s) return 'no_answer';
  if (s.paperOut) return 'paper_out';
  if (s.headOpen) return 'head_open';
  if (s.ribbonOut) return 'ribbon_out';
  if (s.paused) return 'paused';
  if (s.bufferFull) return 'buffer_full';
  return null;
}

/** A `~HS` answer as a printer sends it (for printer emulators and tests). */
export function formatHostStatus(s: Partial<PrinterStatus> = {}): string {
  const b = (v?: boolean) => (v ? '1' : '0');
  const one = `030,${b(s.paperOut)},${b(s.paused)},1218,${String(s.formatsInBuffer ?? 0).padStart(3, '0')},${b(s.bufferFull)},0,0,000,0,0,0`;
  const two = `001,0,${b(s.headOpen)},${b(s.ribbonOut)},0,2,6,0,00000000,1,000`;
  return `\x02${one}\x03\r\n\x02${two}\x03\r\n\x021234,0\x03\r\n`;
}
