/**
 * How the station orders names and counts things in words, the same in the core and on screen:
 * Swedish alphabetical order (…, X, Y, Z, Å, Ä, Ö) and the singular for exactly one.
 */

/** Swedish collation: Å, Ä and Ö after Z, case and accents (é, ü) second to the letter itself. */
export const swedishCollator = new Intl.Collator('sv');

/** Compares two texts in Swedish alphabetical order; a missing text sorts first. */
export const compareSwedish = (a: string | null | undefined, b: string | null | undefined): number => swedishCollator.compare(a ?? '', b ?? '');

/** A comparator that orders things by a text of theirs in Swedish alphabetical order. */
export const bySwedish =
  <T>(text: (x: T) => string | null | undefined) =>
  (a: T, b: T): number =>
    compareSwedish(text(a), text(b));

/** A copy of the list in Swedish alphabetical order of `text` (the list itself is left as it is). */
export const sortedSwedish = <T>(list: readonly T[], text: (x: T) => string | null | undefined): T[] => [...list].sort(bySwedish(text));

/** Punctuation in the order Swedish collation puts it: all of it before digits, digits before letters. */
const PUNCTUATION = "_-,;:!?.'\"()[]{}@*/\\&#%`^+<=>|~$";

/**
 * A text's key for ordering it in SQLite, whose own order is byte order ("Älvsbyn" after
 * "Övertorneå", both after every lower-case letter): compared byte by byte, the keys of two texts
 * are in Swedish alphabetical order. Letters first (case and accents aside, å ä ö after z, æ as ä,
 * ø as ö, ü as y), then accents and case (lower case first) to break a tie. The station registers it
 * as `sv_order(text)` on its database (`db/open.ts`); lists for people order by it.
 */
export function swedishSortKey(text: string | null | undefined): string | null {
  if (text === null || text === undefined) return null;
  const lower = text.normalize('NFC').toLocaleLowerCase('sv-SE');
  let primary = '';
  for (const ch of lower) {
    if (ch === 'å') primary += '\ue001';
    else if (ch === 'ä' || ch === 'æ') primary += '\ue002';
    else if (ch === 'ö' || ch === 'ø') primary += '\ue003';
    else if (ch === 'ü' || ch === 'ű') primary += 'y';
    else if (/\s/.test(ch)) primary += '\u0001';
    else {
      const bare = ch.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
      if (/^[\p{L}\p{N}]+$/u.test(bare)) primary += bare;
      else {
        const i = PUNCTUATION.indexOf(ch);
        primary += String.fromCharCode(0x02 + (i < 0 ? PUNCTUATION.length : i));
      }
    }
  }
  const swapped = [...text.normalize('NFC')].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
  return `${primary}\u0000${swapped}`;
}

/**
 * A count with its noun in the right number, in Swedish and English alike (both say the singular
 * for exactly one): plural(1, 'rad', 'rader') → "1 rad", plural(3, 'rad', 'rader') → "3 rader".
 */
export const plural = (n: number, one: string, other: string): string => `${n} ${n === 1 ? one : other}`;
