/**
 * `npm run cli -- <command> …`: the station from the command line, for diagnosis and scripts.
 *   parse-scan <raw>   decode what a scanner sends; `\x1d` in the argument stands for GS (FNC1).
 * Prints JSON; exits 2 when the input cannot be decoded.
 */
import { decodeScan } from '../drivers/scanner/decode';

/** `\x1d`, `\r`, `\n` and `\t` written out in an argument stand for the characters themselves. */
export function unescapeArgument(s: string): string {
  return s.replace(/\\x([0-9a-fA-F]{2})|\\([rnt\\])/g, (_, hex: string | undefined, c: string | undefined) =>
    hex ? String.fromCharCode(parseInt(hex, 16)) : c === 'r' ? '\r' : c === 'n' ? '\n' : c === 't' ? '\t' : '\\',
  );
}

export function parseScanCommand(arg: string): { output: unknown; exitCode: number } {
  const d = decodeScan(unescapeArgument(arg));
  if (!d.ok) return { output: { error: d.error }, exitCode: 2 };
  const { aim, symbology, text, content } = d.value;
  const { kind, ...fields } = content;
  return { output: { symbology, aim, kind, text, ...fields }, exitCode: 0 };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [command, ...args] = process.argv.slice(2);
  if (command === 'parse-scan' && args.length === 1) {
    const r = parseScanCommand(args[0]!);
    console.log(JSON.stringify(r.output, null, 2));
    process.exit(r.exitCode);
  }
  console.error('Usage: npm run cli -- parse-scan <raw>   (\\x1d stands for GS)');
  process.exit(64);
}
