/**
 * What a scan names: an article (by GTIN, article number), an individual (individual number,
 * manufacturer serial, UDI), a location, a pallet (SSCC), an order, a user badge or a command.
 * Every look-up is one indexed read, so this stays well inside a scanner's rhythm.
 */
import { decodeScan, type Command, type ScanContent } from '../../vocabulary/codes/decode';
import { gs1DateToIso } from '../../vocabulary/codes/gs1';
import type { UserMessage } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { IndividualStatus, Role } from '../schema';
import { stmt } from '../statements';
import { copyScope, deviceNotHeld } from '../sync/scope';

/** What came with the code: a lot, an expiry date, a serial, a count. */
export interface ScanDetails {
  lot?: string;
  expiry?: string;
  serial?: string;
  quantity?: number;
}

export type Resolution =
  | { kind: 'article'; id: string; articleNumber: string; name: string; rentable: boolean; details: ScanDetails }
  | { kind: 'individual'; id: string; individualNumber: string; articleId: string; articleName: string; status: IndividualStatus; locationCode: string | null }
  | { kind: 'location'; id: string; code: string; name: string; siteName: string }
  | { kind: 'pallet'; sscc: string }
  | { kind: 'order'; ref: string }
  | { kind: 'user'; id: string; name: string; role: Role }
  | { kind: 'command'; command: Command }
  /** Nothing here; `gtin` when it was a valid GTIN no article has yet (a supervisor may link it at goods receipt). */
  | { kind: 'unknown'; text: string; message: UserMessage; gtin?: string; notHeld?: string };

function individualBy(store: StationDb, where: 'number' | 'serial' | 'udi', value: string): Resolution | null {
  const column = { number: 'i.individual_number', serial: 'i.serial_number', udi: 'i.udi' }[where];
  const r = stmt<{ id: string; individualNumber: string; articleId: string; articleName: string; status: IndividualStatus; locationCode: string | null }>(
    store,
    `select i.id, i.individual_number as individualNumber, a.id as articleId, a.name as articleName, i.status, l.code as locationCode
     from individuals i join articles a on a.id = i.article_id left join locations l on l.id = i.location_id
     where ${column} = ? limit 2`,
  ).all(value);
  // A serial number shared by two devices from different makers names neither for sure.
  return r.length === 1 ? { kind: 'individual', ...r[0]! } : null;
}

const ARTICLE_BY = {
  number: 'select id, article_number as articleNumber, name, rentable from articles where article_number = ?',
  gtin: 'select a.id, a.article_number as articleNumber, a.name, a.rentable from article_gtins g join articles a on a.id = g.article_id where g.gtin = ?',
  hibc: 'select a.id, a.article_number as articleNumber, a.name, a.rentable from article_hibc h join articles a on a.id = h.article_id where h.code = ?',
} as const;

function articleBy(store: StationDb, where: keyof typeof ARTICLE_BY, value: string, details: ScanDetails): Resolution | null {
  const sql = ARTICLE_BY[where];
  const r = stmt<{ id: string; articleNumber: string; name: string; rentable: number }>(store, sql).get(value);
  return r ? { kind: 'article', id: r.id, articleNumber: r.articleNumber, name: r.name, rentable: r.rentable === 1, details } : null;
}

const unknown = (text: string, sv: string, en: string): Resolution => ({ kind: 'unknown', text, message: { sv, en } });
/** A device code at a depot whose own copy does not hold that device: "not held here", never "not in the register". */
const notHeld = (store: StationDb, text: string, code: string): Resolution | null =>
  copyScope(store) === null ? null : { kind: 'unknown', text, message: deviceNotHeld(store, code).userMessage, notHeld: code };
const unlinked = (text: string, gtin: string): Resolution => ({ kind: 'unknown', text, message: { sv: `GTIN ${gtin} är inte kopplad till någon artikel.`, en: `GTIN ${gtin} is not linked to any article.` }, gtin });

export function resolveScan(store: StationDb, content: ScanContent, text: string): Resolution {
  switch (content.kind) {
    case 'individual':
      return (
        individualBy(store, 'number', content.number) ??
        notHeld(store, text, content.number) ??
        unknown(text, `Individ ${content.number} finns inte i registret.`, `Individual ${content.number} is not in the register.`)
      );
    case 'article':
      return articleBy(store, 'number', content.number, {}) ?? unknown(text, `Artikel ${content.number} finns inte i sortimentet.`, `Article ${content.number} is not in the range.`);
    // A bare GTIN or SSCC is only digits with a right check digit, as a maker's serial number may be:
    // a device known by that serial number is what was scanned.
    case 'gtin':
      return articleBy(store, 'gtin', content.gtin, {}) ?? individualBy(store, 'serial', text) ?? unlinked(text, content.gtin);
    case 'location': {
      const l = stmt<{ id: string; code: string; name: string; siteName: string }>(
        store,
        'select l.id, l.code, l.name, s.name as siteName from locations l join sites s on s.id = l.site_id where l.code = ? and l.retired_at is null',
      ).get(content.code);
      return l ? { kind: 'location', ...l } : unknown(text, `Lagerplats ${content.code} finns inte. Kontrollera etiketten.`, `Location ${content.code} does not exist. Check the label.`);
    }
    case 'gs1': {
      const ai = content.ai;
      if (ai['00']) return { kind: 'pallet', sscc: ai['00'] };
      const details: ScanDetails = {
        ...(ai['10'] ? { lot: ai['10'] } : {}),
        ...(ai['17'] ? { expiry: gs1DateToIso(ai['17'], 'expiry') } : {}),
        ...(ai['21'] ? { serial: ai['21'] } : {}),
        ...(ai['30'] || ai['37'] ? { quantity: Number(ai['30'] ?? ai['37']) } : {}),
      };
      // A UDI with a serial number names one device, if we have it.
      // At a depot whose copy does not hold it, it is that device that is not here, not its article.
      if (ai['21']) {
        const found = individualBy(store, 'udi', text) ?? individualBy(store, 'serial', ai['21']) ?? notHeld(store, text, text);
        if (found) return found;
      }
      if (ai['8004']) {
        const found = individualBy(store, 'number', ai['8004']) ?? notHeld(store, text, ai['8004']);
        if (found) return found;
      }
      if (ai['01']) {
        return articleBy(store, 'gtin', ai['01'], details) ?? unlinked(text, ai['01']);
      }
      if (ai['400']) return { kind: 'order', ref: ai['400'] };
      return unknown(text, 'GS1-koden säger inget som stationen känner till.', 'The GS1 code names nothing this station knows.');
    }
    case 'hibc': {
      const h = content.hibc;
      if (!h.lic || !h.pcn)
        return unknown(text, 'HIBC-koden har bara batch eller datum. Skanna artikelns HIBC-kod (den som börjar med tillverkarens kod).', "The HIBC code holds only a lot or date. Scan the article's HIBC code (the one that starts with the maker's code).");
      const details: ScanDetails = { ...(h.lot ? { lot: h.lot } : {}), ...(h.expiry ? { expiry: h.expiry } : {}), ...(h.serial ? { serial: h.serial } : {}), ...(h.quantity ? { quantity: h.quantity } : {}) };
      // A serial number names one device, if we have it.
      if (h.serial) {
        const found = individualBy(store, 'serial', h.serial);
        if (found) return found;
      }
      return articleBy(store, 'hibc', `${h.lic}${h.pcn}`, details) ?? unknown(text, `HIBC-koden (${h.lic} ${h.pcn}) är inte kopplad till någon artikel.`, `The HIBC code (${h.lic} ${h.pcn}) is not linked to any article.`);
    }
    case 'sscc':
      return individualBy(store, 'serial', text) ?? { kind: 'pallet', sscc: content.sscc };
    case 'order':
      return { kind: 'order', ref: content.ref };
    case 'badge': {
      const u = stmt<{ id: string; name: string; role: Role }>(store, 'select id, name, role from users where badge_code = ? and active = 1').get(content.code);
      return u ? { kind: 'user', ...u } : unknown(text, 'Okänd passerbricka.', 'Unknown badge.');
    }
    case 'command':
      return { kind: 'command', command: content.command };
    case 'text':
      return (
        individualBy(store, 'serial', content.text) ??
        individualBy(store, 'udi', content.text) ??
        unknown(text, `Okänd streckkod "${content.text}". Skanna igen eller sök på namnet.`, `Unknown barcode "${content.text}". Scan again or search by name.`)
      );
  }
}

/**
 * What a typed or scanned code names, for a look-up (the search field, a form's code field): the
 * same decoding and resolving as a scan, without the scan's effects. A badge or a command is not
 * something to look up, and says so.
 */
export function resolveCode(store: StationDb, raw: string): Resolution {
  const decoded = decodeScan(raw);
  if (!decoded.ok) return { kind: 'unknown', text: raw, message: decoded.error.message };
  const r = resolveScan(store, decoded.value.content, decoded.value.text);
  if (r.kind === 'user' || r.kind === 'command')
    return unknown(decoded.value.text, 'Koden är en passerbricka eller ett kommando, inget att slå upp.', 'The code is a badge or a command, nothing to look up.');
  return r;
}
