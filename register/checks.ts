/**
 * How the register judges a pushed entry, as if it came from a stranger: its movements
 * (`checkMovements`) and its changes to master data (`checkEdits`). An entry that fails is
 * rejected with a code and a message for the station's supervisor; the rest of the push goes on.
 */
import type { IndividualStatus, LocationKind, MovementReason } from '../db/schema';
import { stateAfter } from '../db/stock/status';
import { badOccurredAt, EARLIEST_MS, isReason, MAX_CLOCK_SKEW_MS, MAX_QUANTITY, notReadyMessage, skipsReconditioning } from '../db/stock/rules';
import type { Individual, Movement, PushEntry, Rejection } from '../db/sync/wire';
import { CHANGED_BY, isWorkshopKind, WORKSHOP_KINDS, workshopDataWrong, type WorkshopKind } from '../db/service/workshop-rules';
import { LINKS_GTINS } from '../db/stock/gtins';
import { articleWrong, countedDifferently, EDITS_ARTICLES } from '../db/stock/article-rules';
import { gs1Holds, SETS_GS1 } from '../db/workflows/pallets';
import { KEEPS_PLACES, placeWrong } from '../db/locations/places';
import { isValidGtin } from '../vocabulary/codes/station-codes';
import { BADGE_CODE } from '../vocabulary/codes/decode';
import { ROLES } from '../vocabulary/domain';
import type { StationRecord } from './context';

/** Master data a station may change (supervisors' settings, pallets on their way between sites, repairs, the site's reconditioning queue, an administrator's unlock of a site's sign-in locks). */
const FROM_STATIONS = new Set<string>(['article', 'setting', 'site', 'delivery_point', 'location', 'lot', 'reorder_setting', 'pallet', 'purchase_order', 'customer_order', 'pickup_order', 'service_job', 'wash_batch', 'work_order', 'sign_in_unlock', 'gtin_link', 'user', ...WORKSHOP_KINDS]);

/** How far ahead of the register's clock a station's unlock may be dated. */
const UNLOCK_SKEW_MS = 10 * 60_000;

/** Why an entry can never apply: the code and message its station's supervisor sees. */
export type Problem = Omit<Rejection, 'n'>;

/** A pushed entry with its movements and individuals read by name. */
export interface PushedEntry {
  entry: PushEntry;
  movements: Movement[];
  individuals: Individual[];
}

/** An article as the register's check of a push reads it. */
export interface ArticleFacts {
  /** Rented out one by one: every movement of it names its individual. */
  individual: boolean;
}

/** What the register already holds (or books earlier in the same push) that a pushed movement must not repeat. */
export interface Taken {
  ids: Set<string>;
  /** This station's movement numbers. */
  seqs: Set<number>;
  /** Movements of this station's site a correction may name as the one it reverses, with the individual each moved. */
  own: Map<string, string | null>;
}

/**
 * Why an entry can never apply, or null when it can. A push is judged as if it came from a
 * stranger: every movement must be new (its id and its number), name a known reason, carry a
 * sensible quantity and believable dates, stay within the station's own site, and name the
 * individual of an article rented out one by one.
 */
export function checkMovements(
  entry: PushedEntry,
  station: StationRecord,
  articles: Map<string, ArticleFacts>,
  locations: Map<string, { site_id: string; kind: LocationKind }>,
  individuals: Map<string, { article_id: string; status: IndividualStatus; individual_number: string; location_id: string | null }>,
  taken: Taken,
  now: number,
): Problem | null {
  const ids = new Set<string>();
  /** Each device's status and place as this entry's movements so far leave it (status unknown after an undo: the rule for undo decides). */
  const status = new Map<string, IndividualStatus | null>();
  const place = new Map<string, string | null>();
  const seqs = new Set<number>();
  for (const m of entry.movements) {
    const { id, stationId, seq, occurredAt, recordedAt, articleId, individualId, fromLocationId: from, toLocationId: to, quantity, reason, reverses } = m;
    if (stationId !== station.id)
      return { code: 'sync.foreign_movement', message: { sv: 'Rörelsen kommer från en annan station.', en: 'The movement belongs to another station.' } };
    if (!Number.isSafeInteger(seq) || seq <= 0)
      return { code: 'sync.bad_movement', message: { sv: 'Rörelsen är felaktig och kan inte bokas.', en: 'The movement is malformed and cannot be booked.' } };
    if (ids.has(id) || taken.ids.has(id) || seqs.has(seq) || taken.seqs.has(seq))
      return {
        code: 'sync.duplicate_movement',
        message: {
          sv: 'Rörelsen finns redan i registret (samma rörelse skickad igen, eller av en annan station) och bokas inte två gånger. Kontakta IT om stationen.',
          en: 'The register already holds this movement (sent again, or by another station); it is not booked twice. Contact IT about this station.',
        },
      };
    ids.add(id);
    seqs.add(seq);
    if (!isReason(reason))
      return {
        code: 'sync.unknown_reason',
        message: {
          sv: 'Rörelsen har en orsak som registret inte känner till och bokas inte. Kontrollera saldot och boka om med rätt funktion.',
          en: 'The movement has a reason the register does not know; it is not booked. Check the stock and book it again with the right function.',
        },
      };
    if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY)
      return {
        code: 'sync.bad_quantity',
        message: {
          sv: `Antalet i rörelsen är inte ett heltal mellan 1 och ${MAX_QUANTITY.toLocaleString('sv-SE')}; den bokas inte. Räkna varan och boka om.`,
          en: `The movement's quantity is not a whole number from 1 to ${MAX_QUANTITY.toLocaleString('en-GB')}; it is not booked. Count the goods and book them again.`,
        },
      };
    const badDate =
      !Number.isSafeInteger(recordedAt) || recordedAt < EARLIEST_MS || recordedAt > now + MAX_CLOCK_SKEW_MS
        ? {
            sv: 'Stationens klocka visade ett orimligt datum när rörelsen bokades; den bokas inte. Kontrollera stationens klocka och boka om.',
            en: "The station's clock showed an impossible date when the movement was booked; it is not booked. Check the station's clock and book it again.",
          }
        : badOccurredAt(occurredAt, recordedAt);
    if (badDate) return { code: 'sync.bad_date', message: badDate };
    const article = articles.get(articleId);
    if (!article)
      return {
        code: 'sync.article_gone',
        message: { sv: 'Artikeln finns inte längre i registret. Kontrollera varan och boka den på rätt artikel.', en: 'The article no longer exists in the register. Check the goods and book them to the right article.' },
      };
    for (const loc of [from, to]) {
      if (loc === null) continue;
      const place = locations.get(loc);
      if (!place)
        return {
          code: 'sync.location_gone',
          message: { sv: 'Lagerplatsen finns inte längre i registret. Flytta varan till en giltig plats.', en: 'The location no longer exists in the register. Move the goods to a valid location.' },
        };
      if (place.site_id !== station.siteId)
        return {
          code: 'sync.other_site',
          message: {
            sv: 'Rörelsen gäller en lagerplats i ett annat förråd än stationens och bokas inte. Varor i andra förråd bokas av deras egna stationer.',
            en: "The movement concerns a location at another site than the station's; it is not booked. Goods at other sites are booked by their own stations.",
          },
        };
    }
    if ((individualId !== null && quantity !== 1) || from === to)
      return { code: 'sync.bad_movement', message: { sv: 'Rörelsen är felaktig och kan inte bokas.', en: 'The movement is malformed and cannot be booked.' } };
    if (individualId === null && article.individual)
      return {
        code: 'sync.individual_required',
        message: {
          sv: 'Artikeln hyrs ut styckvis och rörelsen saknar individ; den bokas inte. Skanna individmärkningen och boka om.',
          en: 'The article is rented out one by one and the movement names no individual; it is not booked. Scan the individual label and book it again.',
        },
      };
    // A correction reverses a movement of this station's site of the same goods, and only a correction names one.
    if (reverses !== null && (reason !== 'correction' || !taken.own.has(reverses) || taken.own.get(reverses) !== individualId))
      return {
        code: 'sync.bad_correction',
        message: {
          sv: 'Rättelsen hänvisar till en rörelse som stationen inte har bokat; den bokas inte. Kontakta IT om stationen.',
          en: 'The correction refers to a movement the station has not booked; it is not booked. Contact IT about this station.',
        },
      };
    if (individualId !== null) {
      const known = individuals.get(individualId);
      const identity = entry.individuals.find((i) => i.id === individualId);
      if (!known && !identity)
        return { code: 'sync.unknown_individual', message: { sv: 'Individen är okänd för registret.', en: 'The individual is unknown to the register.' } };
      if ((known?.article_id ?? identity!.articleId) !== articleId)
        return { code: 'sync.individual_article', message: { sv: 'Individen hör till en annan artikel i registret.', en: 'The individual belongs to another article in the register.' } };
      // The hygiene chain holds for a push as for a posting at a station: only reconditioning makes a
      // device from a patient ready. Judged where the station saw the device where the register has it;
      // two stations that moved it at once are a conflict, recorded as such for a supervisor.
      const before = status.has(individualId) ? status.get(individualId)! : (known?.status ?? null);
      const where = place.has(individualId) ? place.get(individualId)! : (known?.location_id ?? null);
      const after = reason === 'correction' ? null : stateAfter(null, reason as MovementReason, to === null ? null : locations.get(to)!, occurredAt).status;
      if (known && where === from && before !== null && after !== null && skipsReconditioning(before, reason as MovementReason, after))
        return { code: 'sync.not_ready', message: notReadyMessage(known.individual_number) };
      status.set(individualId, after);
      place.set(individualId, to);
    }
  }
  return null;
}

/**
 * Why a station's changes to master data can never apply, or null: a station changes only what
 * belongs to its own site (a pallet: one built here or addressed here, never re-addressed), and
 * deletes nothing.
 */
export function checkEdits(
  entry: PushEntry,
  station: StationRecord,
  stored: Map<string, Record<string, unknown>>,
  now: () => number,
  /** The entry's places the register's rules for places refuse (`PlaceRules`), each with its reason. */
  placesWrong: ReadonlyMap<string, { sv: string; en: string }> = new Map(),
): Problem | null {
  const refused = {
    code: 'sync.not_editable',
    message: {
      sv: 'Stationen får bara ändra grunddata för sitt eget förråd; ändringen sparas inte. Kontakta IT om stationen.',
      en: "A station may change only its own site's master data; the change is not saved. Contact IT about this station.",
    },
  };
  for (const [kind, id, data] of entry.e ?? []) {
    if (!FROM_STATIONS.has(kind) || data === null) return refused;
    // A station saves a change under the id its data names: one naming another thing than the change's is forged.
    if ('id' in data && data.id !== id) return refused;
    const before = stored.get(`${kind}\u0000${id}`);
    // Workshop data belongs to the region (a preferred location to its site): it holds, and whoever changed it may.
    if (isWorkshopKind(kind)) {
      if (!workshopHolds(kind, id, data, station, stored, now)) return badWorkshopData;
      continue;
    }
    // Users are the region's: an administrator keeps them; a user sets only their own PIN, with a code.
    if (kind === 'user') {
      if (!userChangeHolds(id, data, before, stored, now)) return badUser;
      continue;
    }
    // The region's GS1 company prefix: a supervisor's, well formed, believably dated.
    if (kind === 'setting') {
      if (!gs1Holds(data) || id !== data.id || activeUser(stored, data.changed_by, SETS_GS1) === undefined || !believable(data.changed_at, now)) return refused;
      continue;
    }
    // A site is the region's (an administrator's); its code and kind never change, since locations and labels are named by them.
    if (kind === 'site') {
      if (!before || placeWrong('site', id, data) || before.code !== data.code || before.kind !== data.kind) return refused;
      if (activeUser(stored, data.changed_by, KEEPS_PLACES.site) === undefined || !believable(data.changed_at, now)) return refused;
      continue;
    }
    // A delivery point is its site's: that site's supervisors keep it.
    if (kind === 'delivery_point') {
      if (placeWrong('delivery_point', id, data) || data.site_id !== station.siteId || (before && before.site_id !== station.siteId)) return refused;
      if (activeUser(stored, data.changed_by, KEEPS_PLACES.delivery_point) === undefined || !believable(data.changed_at, now)) return refused;
      continue;
    }
    // The article range is the region's: a supervisor keeps it, and a number or code names one article.
    if (kind === 'article') {
      if (!articleHolds(id, data, before, stored, now)) return badArticle;
      continue;
    }
    // A GTIN names one article, region-wide: a supervisor links one no article has.
    if (kind === 'gtin_link') {
      if (!gtinLinkHolds(id, data, stored, now)) return badGtinLink;
      continue;
    }
    // A lot belongs to the region: read at any site's goods receipt, its expiry once read stands.
    if (kind === 'lot') {
      if (!lotHolds(id, data, before, stored)) return refused;
      continue;
    }
    const ours = (d: Record<string, unknown>) => d.site_id === station.siteId || (kind === 'pallet' && d.to_site_id === station.siteId);
    if (!ours(data) || (before && !ours(before))) return refused;
    // The register's rules for places (`PlaceRules`): at its site, under a place it holds, with a code
    // that names one place and scans as one.
    const placeRefused = kind === 'location' ? placesWrong.get(id) : undefined;
    if (placeRefused) return { code: 'sync.bad_location', message: placeRefused };
    if (kind === 'pallet' && before && (before.site_id !== data.site_id || before.to_site_id !== data.to_site_id || before.sscc !== data.sscc)) return refused;
    if (kind === 'sign_in_unlock' && !unlockHolds(id, data, before, stored, now)) return refused;
  }
  return null;
}

type Stored = Map<string, Record<string, unknown>>;

/** A user the register holds, active, and in one of the roles given: whoever a pushed change names as having made it. */
function activeUser(stored: Stored, userId: unknown, roles: readonly unknown[]): Record<string, unknown> | undefined {
  const u = typeof userId === 'string' ? stored.get(`user\u0000${userId}`) : undefined;
  return u !== undefined && (u.active === 1 || u.active === true) && roles.includes(u.role) ? u : undefined;
}

/** A time a station sends is believable: a whole number of milliseconds, not before the region began, not further ahead than `skew`. */
const believable = (at: unknown, now: () => number, skew = MAX_CLOCK_SKEW_MS): boolean => typeof at === 'number' && Number.isSafeInteger(at) && at >= EARLIEST_MS && at <= now() + skew;

/**
 * An unlock a station sends lifts the sign-in locks of a user of its own site: it is new (never
 * changed afterwards), names the user and the administrator as the register knows them, and its
 * time is believable (one far ahead would lift locks that have not happened yet).
 */
function unlockHolds(
  id: string,
  data: Record<string, unknown>,
  before: Record<string, unknown> | undefined,
  stored: Map<string, Record<string, unknown>>,
  now: () => number,
): boolean {
  const user = typeof data.user_id === 'string' ? stored.get(`user\u0000${data.user_id}`) : undefined;
  return (
    before === undefined &&
    data.id === id &&
    user !== undefined &&
    user.site_id === data.site_id &&
    activeUser(stored, data.by_user_id, ['admin']) !== undefined &&
    // A few minutes of clock drift, no more: an unlock dated ahead would lift locks not yet begun.
    believable(data.at, now, UNLOCK_SKEW_MS)
  );
}

const badUser: Problem = {
  code: 'sync.bad_user',
  message: {
    sv: 'Ändringen av användaren håller inte (inte gjord av en administratör, en PIN-kod satt av någon annan än användaren, eller felaktiga uppgifter) och sparas inte.',
    en: 'The change to the user does not hold (not made by an administrator, a PIN set by someone other than the user, or malformed details) and is not saved.',
  },
};

/** The fields of a user only an administrator changes. */
const USER_FIELDS = ['name', 'role', 'site_id', 'badge_code', 'active'] as const;

/**
 * A user from a station: well formed, dated believably, and either an active administrator's change
 * (who never sets a PIN: a new user has none, a reset clears it) or the user's own PIN set with the
 * one-time code they had (nothing else of theirs changed).
 */
export function userChangeHolds(id: string, data: Record<string, unknown>, before: Record<string, unknown> | undefined, stored: Map<string, Record<string, unknown>>, now: () => number): boolean {
  const { name, role, site_id: site, badge_code: badge, active, pin_hash: pin, changed_by: by } = data;
  const wellFormed =
    data.id === id &&
    typeof name === 'string' &&
    name.trim().length >= 2 &&
    name.length <= 80 &&
    (ROLES as readonly unknown[]).includes(role) &&
    (site === null || (typeof site === 'string' && stored.has(`site\u0000${site}`))) &&
    (badge === null || (typeof badge === 'string' && BADGE_CODE.test(badge))) &&
    [0, 1, true, false].includes(active as number) &&
    typeof pin === 'string' &&
    believable(data.changed_at, now);
  if (!wellFormed) return false;
  // A badge names one user, region-wide.
  const holder = typeof badge === 'string' ? stored.get(`badge\u0000${badge}`)?.user_id : undefined;
  if (holder !== undefined && holder !== id) return false;
  const same = (f: string) => before !== undefined && (f === 'active' ? Boolean(before[f]) === Boolean(data[f]) : before[f] === data[f]);
  // The user's own PIN, set with the code an administrator issued and while that code is still theirs
  // (a PIN set with a code an administrator has since replaced is refused).
  if (by === id)
    return before !== undefined && typeof before.pin_code_hash === 'string' && data.pin_code_used === before.pin_code_hash && data.pin_code_hash === null && pin !== 'none' && USER_FIELDS.every(same) && Boolean(before.active);
  if (activeUser(stored, by, ['admin']) === undefined) return false;
  // An administrator never sets a PIN: it stays as it was, or is cleared for a new code.
  return pin === 'none' || (before !== undefined && before.pin_hash === pin);
}

const badGtinLink: Problem = {
  code: 'sync.bad_gtin_link',
  message: {
    sv: 'Kopplingen av streckkoden håller inte (ingen giltig GTIN, en okänd artikel, redan en annan artikels, eller inte gjord av en arbetsledare) och sparas inte.',
    en: "The barcode's link does not hold (not a valid GTIN, an unknown article, already another article's, or not made by a supervisor) and is not saved.",
  },
};

/** A GTIN link from a station: a valid GTIN-14 no other article has, to an article the register knows, by an active supervisor, believably dated. */
function gtinLinkHolds(id: string, data: Record<string, unknown>, stored: Map<string, Record<string, unknown>>, now: () => number): boolean {
  const owner = stored.get(`gtin\u0000${id}`)?.article_id;
  return (
    data.id === id &&
    data.gtin === id &&
    /^\d{14}$/.test(id) &&
    isValidGtin(id) &&
    typeof data.article_id === 'string' &&
    stored.has(`article\u0000${data.article_id}`) &&
    (owner === undefined || owner === data.article_id) &&
    activeUser(stored, data.changed_by, LINKS_GTINS) !== undefined &&
    believable(data.changed_at, now)
  );
}

const badArticle: Problem = {
  code: 'sync.bad_article',
  message: {
    sv: 'Ändringen av artikeln håller inte (inte gjord av en arbetsledare, felaktiga uppgifter, ett artikelnummer eller en streckkod som redan är en annan artikels, eller ändrad uppföljning trots saldo) och sparas inte.',
    en: "The change to the article does not hold (not made by a supervisor, malformed details, an article number or barcode that is already another article's, or a changed way of following it despite stock) and is not saved.",
  },
};

/**
 * An article from a station holds by the rules the station applies (`article-rules.ts`), is changed
 * by an active supervisor at a believable time, takes no other article's number, GTIN or HIBC code,
 * and is not counted differently once it has stock or devices anywhere in the region.
 */
export function articleHolds(id: string, data: Record<string, unknown>, before: Record<string, unknown> | undefined, stored: Stored, now: () => number): boolean {
  if (articleWrong(id, data)) return false;
  if (activeUser(stored, data.changed_by, EDITS_ARTICLES) === undefined || !believable(data.changed_at, now)) return false;
  const mine = (key: string) => {
    const owner = stored.get(key)?.article_id;
    return owner === undefined || owner === id;
  };
  if (!mine(`article_number\u0000${data.article_number as string}`)) return false;
  if (!(data.gtins as string[]).every((g) => mine(`gtin\u0000${g}`)) || !(data.hibc as string[]).every((h) => mine(`hibc\u0000${h}`))) return false;
  return !before || !countedDifferently(before, data) || !stored.has(`stock\u0000${id}`);
}

const badWorkshopData: Problem = {
  code: 'sync.bad_workshop_data',
  message: {
    sv: 'Ändringen av verkstadens data håller inte (fel roll, en okänd artikel, plats eller tekniker, eller felaktiga uppgifter) och sparas inte. Gör om den på stationen.',
    en: "The change to the workshop's data does not hold (a role that may not, an unknown article, location or technician, or malformed details) and is not saved. Make it again at the station.",
  },
};

/**
 * Workshop data from a station holds by the rules the station applies (`workshop-rules.ts`), names
 * who changed it (a user the register knows, active, in a role that may) and when (believably), and
 * refers only to what the register holds: its article, its technician, its own site's location.
 */
function workshopHolds(kind: WorkshopKind, id: string, data: Record<string, unknown>, station: StationRecord, stored: Map<string, Record<string, unknown>>, now: () => number): boolean {
  if (workshopDataWrong(kind, id, data)) return false;
  const known = (k: string, v: unknown) => (typeof v === 'string' ? stored.get(`${k}\u0000${v}`) : undefined);
  if (activeUser(stored, data.changed_by, CHANGED_BY[kind]) === undefined || !believable(data.changed_at, now)) return false;
  if (data.article_id !== null && data.article_id !== undefined && !known('article', data.article_id)) return false;
  if (kind === 'training') return activeUser(stored, data.user_id, ['technician']) !== undefined;
  if (kind === 'preferred_location') {
    if (data.site_id !== station.siteId) return false;
    if (data.location_id === null) return true;
    const place = known('location', data.location_id);
    return place !== undefined && place.site_id === station.siteId && (place.retired_at === null || place.retired_at === undefined);
  }
  return true;
}

/** A lot from a station: named by its article and lot, an expiry that is a date, and never a different expiry once one is known. */
function lotHolds(id: string, data: Record<string, unknown>, before: Record<string, unknown> | undefined, stored: Map<string, Record<string, unknown>>): boolean {
  const { article_id: article, lot, expires_on: expires } = data;
  if (typeof article !== 'string' || typeof lot !== 'string' || lot.length === 0 || lot.length > 64 || id !== `${article}|${lot}`) return false;
  if (!stored.has(`article\u0000${article}`)) return false;
  if (expires !== null && expires !== undefined && (typeof expires !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(expires))) return false;
  return !before || before.expires_on === null || before.expires_on === undefined || before.expires_on === expires;
}
