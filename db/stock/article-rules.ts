/**
 * The rules an article keeps, judged the same way at the station where a supervisor edits it, at
 * the register that takes the change from any station, and by the import of the region's files.
 * Pure: the shape is the register's `article` entity (the station's columns, with its GTINs and
 * HIBC codes).
 */
import iso from '../reference/iso9999.json';
import { isValidGtin, toGtin14 } from '../../vocabulary/codes/station-codes';
import { SUPERVISOR_ROLES, TRACKING, type Tracking } from '../../vocabulary/domain';
import type { Wrong } from '../service/workshop-rules';

/** Who keeps the article range. */
export const EDITS_ARTICLES = SUPERVISOR_ROLES;

/** The edition of ISO 9999 the region prescribes by. */
export const ISO_EDITION = iso.edition;

const ISO_CODES = new Map<string, string>([...iso.groups.map((g) => [g.code, g.title] as const), ...iso.subgroups.map((s) => [s.code, s.title] as const)]);

/** An ISO 9999 group (4 digits) or subgroup (6 digits) the region prescribes. */
export const isKnownIso = (code: unknown): code is string => typeof code === 'string' && ISO_CODES.has(code);
export const isoTitle = (code: string): string | undefined => ISO_CODES.get(code);

/** An article number: letters, digits, dot, dash or underscore, beginning with a letter or digit, at most 32. */
export const ARTICLE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/;
/** A HIBC product code as stored: `+` dropped, the labeler's code (a letter and three more) and the product number. */
export const HIBC_CODE = /^[A-Z][A-Z0-9]{3}[A-Z0-9]{1,18}$/;

const LIMITS = { name: 120, supplier: 80, unit: 12, group: 60, codes: 20, price: 100_000_000 } as const;

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max && v === v.trim();
const wrong = (field: string, sv: string, en: string): Wrong => ({ field, sv, en });
const list = (v: unknown, ok: (x: unknown) => boolean): v is string[] => Array.isArray(v) && v.length <= LIMITS.codes && v.every(ok) && new Set(v).size === v.length;

/** The name an article is searched by: lower-cased, å, ä and ö kept. */
export const searchName = (name: string): string => name.toLocaleLowerCase('sv-SE');

/** Whether an article holds on its own (that its number, GTINs and HIBC codes are nobody else's is checked by whoever holds the others). */
export function articleWrong(id: string, d: Record<string, unknown>): Wrong {
  if (d.id !== id || typeof id !== 'string' || id.length === 0 || id.length > 64) return wrong('id', 'Ändringen är felaktig.', 'The change is malformed.');
  if (typeof d.article_number !== 'string' || !ARTICLE_NUMBER.test(d.article_number))
    return wrong('articleNumber', 'Artikelnumret får ha bokstäver, siffror, punkt och bindestreck (högst 32 tecken).', 'The article number may have letters, digits, dots and dashes (at most 32 characters).');
  if (!text(d.name, LIMITS.name)) return wrong('name', 'Ge artikeln ett namn (högst 120 tecken).', 'Give the article a name (at most 120 characters).');
  if (d.search_name !== searchName(d.name)) return wrong('name', 'Ändringen är felaktig.', 'The change is malformed.');
  if (!isKnownIso(d.iso_code) || d.iso_edition !== ISO_EDITION)
    return wrong('isoCode', 'Ange en ISO 9999-kod som regionen förskriver (4 eller 6 siffror, t.ex. 122203).', 'Give an ISO 9999 code the region prescribes (4 or 6 digits, e.g. 122203).');
  if (!text(d.supplier, LIMITS.supplier)) return wrong('supplier', 'Ange leverantören (högst 80 tecken).', 'Give the supplier (at most 80 characters).');
  if (!text(d.unit, LIMITS.unit)) return wrong('unit', 'Ange enheten, t.ex. st (högst 12 tecken).', 'Give the unit, e.g. pcs (at most 12 characters).');
  if (typeof d.purchase_price !== 'number' || !Number.isSafeInteger(d.purchase_price) || d.purchase_price < 0 || d.purchase_price > LIMITS.price)
    return wrong('purchasePrice', 'Ange inköpspriset i kronor (0–1 000 000, högst två decimaler).', 'Give the purchase price in kronor (0–1,000,000, at most two decimals).');
  if (![0, 1, true, false].includes(d.rentable as number)) return wrong('rentable', 'Ändringen är felaktig.', 'The change is malformed.');
  if (!(TRACKING as readonly unknown[]).includes(d.tracking)) return wrong('tracking', 'Välj hur artikeln följs: inte alls, per batch, eller per batch med bäst före-datum.', 'Choose how the article is followed: not at all, by lot, or by lot with expiry.');
  // A device rented out one by one is followed as itself, never by lot.
  if (Boolean(d.rentable) && d.tracking !== 'none')
    return wrong('tracking', 'En hyresartikel följs per individ och kan inte också följas per batch.', 'A rentable article is followed one by one and cannot also be followed by lot.');
  if (!(d.equivalence_group === null || d.equivalence_group === undefined || text(d.equivalence_group, LIMITS.group)))
    return wrong('equivalenceGroup', 'Likvärdighetsgruppens namn får vara högst 60 tecken.', "The equivalence group's name may be at most 60 characters.");
  if (!list(d.gtins, (g) => typeof g === 'string' && /^\d{14}$/.test(g) && isValidGtin(g)))
    return wrong('gtins', 'Varje GTIN en gång, med rätt kontrollsiffra (8, 12, 13 eller 14 siffror); högst 20.', 'Each GTIN once, with a valid check digit (8, 12, 13 or 14 digits); at most 20.');
  if (!list(d.hibc, (h) => typeof h === 'string' && HIBC_CODE.test(h)))
    return wrong('hibc', 'Varje HIBC-kod en gång: tillverkarkod (4 tecken) och produktnummer, t.ex. E735A100010; högst 20.', "Each HIBC code once: the labeler's code (4 characters) and product number, e.g. E735A100010; at most 20.");
  return null;
}

/** What changes how an article's stock is counted: once it has stock or devices, these stay as they are. */
export const COUNTED_BY = ['rentable', 'tracking'] as const;
export const countedDifferently = (before: Record<string, unknown>, after: Record<string, unknown>): boolean =>
  COUNTED_BY.some((f) => (f === 'rentable' ? Boolean(before[f]) !== Boolean(after[f]) : before[f] !== after[f]));

/** An article as a person fills it in, at a station or in the register's console. */
export interface ArticleFields {
  articleNumber: string;
  name: string;
  isoCode: string;
  supplier: string;
  unit: string;
  /** Purchase price in öre. */
  purchasePrice: number;
  rentable: boolean;
  tracking: Tracking;
  equivalenceGroup?: string | null;
  gtins: string[];
  hibc: string[];
}

/** The first GTIN typed that is not one (wrong length or check digit), or undefined. */
export const badGtin = (gtins: readonly string[]): string | undefined =>
  gtins.map((g) => g.trim()).filter(Boolean).find((g) => !/^\d{8}$|^\d{12,14}$/.test(g) || !isValidGtin(g));

/**
 * The article entity from what was filled in: trimmed, its search name, GTINs as GTIN-14 and HIBC
 * codes in capitals without the `+`, each once and sorted. Judge it with `articleWrong`.
 */
export function articleData(id: string, f: ArticleFields, changedBy: string, changedAt: number): Record<string, unknown> {
  const name = f.name.trim();
  return {
    id,
    article_number: f.articleNumber.trim(),
    name,
    search_name: searchName(name),
    iso_code: f.isoCode.trim(),
    iso_edition: ISO_EDITION,
    rentable: f.rentable ? 1 : 0,
    unit: f.unit.trim(),
    supplier: f.supplier.trim(),
    purchase_price: f.purchasePrice,
    tracking: f.tracking,
    equivalence_group: f.equivalenceGroup?.trim() || null,
    changed_by: changedBy,
    changed_at: changedAt,
    gtins: [...new Set(f.gtins.map((g) => g.trim()).filter(Boolean).map(toGtin14))].sort(),
    hibc: [...new Set(f.hibc.map((h) => h.trim().replace(/^\+/, '').toUpperCase()).filter(Boolean))].sort(),
  };
}
