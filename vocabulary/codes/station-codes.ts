/**
 * The station's own codes and the product codes it meets, told apart by their form alone.
 * Pure: no I/O, never throws.
 */

export const INDIVIDUAL_NUMBER = /^I\d{7}$/;
export const ARTICLE_NUMBER = /^A\d{6}$/;
/**
 * A place's code: what a scan of its label is read as (three letters, as the site's code, then one to four
 * parts of capitals and digits, e.g. BOD-A-01-2). The one rule for a code given to a place, at a
 * station, at the register and from the region's system, so a label always scans as its place and
 * never as an article, a device or an order.
 */
export const LOCATION_CODE = /^[A-ZÅÄÖ]{3}(-[A-Z0-9]{1,3}){1,4}$/;

/** Upper-cases and trims what a scanner or a keyboard sent, dropping control characters. */
export function normalizeCode(raw: string): string {
  // eslint-disable-next-line no-control-regex
  return raw.replace(/[\u0000-\u001f\u007f]/g, '').trim().toLocaleUpperCase('sv-SE');
}

/** The GS1 mod-10 check digit for the digits before it. */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  for (let i = digitsWithoutCheck.length - 1, w = 3; i >= 0; i--, w = w === 3 ? 1 : 3) {
    sum += (digitsWithoutCheck.charCodeAt(i) - 48) * w;
  }
  return (10 - (sum % 10)) % 10;
}

/** True for a GTIN-8, -12, -13 or -14 whose check digit is right. */
export function isValidGtin(code: string): boolean {
  if (!/^\d+$/.test(code) || ![8, 12, 13, 14].includes(code.length)) return false;
  return gs1CheckDigit(code.slice(0, -1)) === code.charCodeAt(code.length - 1) - 48;
}

/** A GTIN written as the 14 digits it is stored as. */
export const toGtin14 = (gtin: string): string => gtin.padStart(14, '0');

