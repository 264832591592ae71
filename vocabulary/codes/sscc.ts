import { gs1CheckDigit } from './station-codes';

/**
 * An SSCC: extension digit, GS1 company prefix, serial reference (filling 16 digits together with
 * the prefix), and the mod-10 check digit. The serial reference comes from a counter that never repeats.
 */
export function makeSscc(extensionDigit: number, companyPrefix: string, serialReference: number): string {
  if (!/^\d{7,10}$/.test(companyPrefix)) throw new RangeError('the GS1 company prefix has 7 to 10 digits');
  if (!Number.isInteger(extensionDigit) || extensionDigit < 0 || extensionDigit > 9) throw new RangeError('the extension digit is 0–9');
  const serialDigits = 16 - companyPrefix.length;
  if (!Number.isInteger(serialReference) || serialReference < 0 || serialReference >= 10 ** serialDigits)
    throw new RangeError(`the serial reference has at most ${serialDigits} digits`);
  const body = `${extensionDigit}${companyPrefix}${String(serialReference).padStart(serialDigits, '0')}`;
  return body + gs1CheckDigit(body);
}

/** True for 18 digits whose last is the GS1 check digit of the 17 before it. */
export function isValidSscc(code: string): boolean {
  return /^\d{18}$/.test(code) && gs1CheckDigit(code.slice(0, 17)) === code.charCodeAt(17) - 48;
}
