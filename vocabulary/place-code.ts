/**
 * A place's code in words a worker can act on: what is wrong with a code as typed, and the rule
 * its label must follow to scan as a place (`LOCATION_CODE`). Pure.
 */
import { LOCATION_CODE, normalizeCode } from './codes/station-codes';
import type { LocationLevel } from './domain';
import type { UserMessage } from './errors';

/** The rule for a place's code. */
export const PLACE_CODE_RULE: UserMessage = {
  sv: 'En platskod är tre bokstäver (som förrådets kod) och en till fyra delar om högst tre versaler eller siffror, med bindestreck emellan, t.ex. BOD-A-01-2. Annars läses etiketten inte som en plats när den skannas.',
  en: "A location code is three letters (as the site's code) and one to four parts of at most three capitals or digits, joined by hyphens, e.g. BOD-A-01-2. Otherwise its label is not read as a location when scanned.",
};

/** What is shown of a part a worker typed: enough to find it, never a screenful. */
const shown = (part: string) => JSON.stringify(part.length > 12 ? `${part.slice(0, 12)}…` : part);

/** The first thing wrong with a place's code as typed; null when its label scans as a place. */
function firstWrong(code: string): UserMessage | null {
  if (LOCATION_CODE.test(code)) return null;
  const [site = '', ...parts] = code.split('-');
  if (!/^[A-ZÅÄÖ]{3}$/.test(site))
    return site === ''
      ? { sv: 'Platskoden börjar med förrådets kod, tre bokstäver.', en: "A location code begins with the site's code, three letters." }
      : { sv: `Platskoden börjar med förrådets kod, tre bokstäver, inte ${shown(site)}.`, en: `A location code begins with the site's code, three letters, not ${shown(site)}.` };
  if (parts.length === 0) return { sv: `Efter ${site} behövs minst en del, t.ex. ${site}-A.`, en: `${site} needs at least one part after it, e.g. ${site}-A.` };
  if (parts.length > 4) return { sv: `Högst fyra delar efter förrådets kod; koden har ${parts.length}.`, en: `At most four parts after the site's code; the code has ${parts.length}.` };
  for (const part of parts) {
    if (part === '') return { sv: 'Varje del mellan bindestrecken behöver minst ett tecken.', en: 'Every part between the hyphens needs at least one character.' };
    if (part.length > 3) return { sv: `Delen ${shown(part)} är för lång: högst tre tecken.`, en: `The part ${shown(part)} is too long: three characters at most.` };
    if (/[ÅÄÖ]/.test(part))
      return { sv: `Delen ${shown(part)} har Å, Ä eller Ö: efter förrådets kod tar en platskod bara A–Z och siffror.`, en: `The part ${shown(part)} has Å, Ä or Ö: after the site's code a location code takes only A–Z and digits.` };
    if (!/^[A-Z0-9]+$/.test(part)) return { sv: `Delen ${shown(part)} får bara ha bokstäver A–Z och siffror.`, en: `The part ${shown(part)} may hold only letters A–Z and digits.` };
  }
  return { sv: '', en: '' };
}

/**
 * Why a code, as typed, is not a place's (upper case and spaces around it do not count against
 * it): the first thing wrong, then the rule. Null when its label scans as a place.
 */
export function placeCodeProblem(typed: string): UserMessage | null {
  const wrong = firstWrong(normalizeCode(typed));
  if (!wrong) return null;
  return { sv: `${wrong.sv} ${PLACE_CODE_RULE.sv}`.trim(), en: `${wrong.en} ${PLACE_CODE_RULE.en}`.trim() };
}

/** An aisle of a new range, as typed: one to three capitals or digits (it is one part of its places' codes). */
export function aisleProblem(typed: string): UserMessage | null {
  const aisle = normalizeCode(typed);
  if (/^[A-Z0-9]{1,3}$/.test(aisle)) return null;
  return {
    sv: `Gången skrivs med en till tre bokstäver A–Z eller siffror, t.ex. 03 eller B${aisle === '' ? '' : `, inte ${shown(aisle)}`}: den blir en del av hyllornas och fackens koder.`,
    en: `An aisle is one to three letters A–Z or digits, e.g. 03 or B${aisle === '' ? '' : `, not ${shown(aisle)}`}: it becomes part of its shelves' and bins' codes.`,
  };
}

/** A level of the place tree with its indefinite article, as it stands in a sentence. */
export const LEVEL_WORDS: Record<LocationLevel, UserMessage> = {
  zone: { sv: 'en zon', en: 'a zone' },
  aisle: { sv: 'en gång', en: 'an aisle' },
  shelf: { sv: 'en hylla', en: 'a shelf' },
  bin: { sv: 'ett fack', en: 'a bin' },
};
