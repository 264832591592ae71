/** How the station writes figures: shares, money and weeks, in the language on screen. */
import { formatNumber } from './i18n';

/** A share (0–1) as a percentage with one decimal: 0.9834 → "98,3 %". */
export const percent = (share: number): string => `${formatNumber(Math.round(share * 1000) / 10)} %`;

/** An amount in öre as whole kronor, without the unit: 123 456 öre → "1 235". */
export const wholeKronor = (ore: number): string => formatNumber(Math.round(ore / 100));

/** An amount in öre as whole kronor with the unit: 123 456 öre → "1 235 kr". */
export const kronor = (ore: number): string => `${wholeKronor(ore)} kr`;


/**
 * Swedish alphabetical order (Å, Ä, Ö after Z) for every list the station sorts, whatever the
 * language on screen or the browser's own: the names are Swedish names.
 */
export { bySwedish, compareSwedish, sortedSwedish } from '../../vocabulary/language';
