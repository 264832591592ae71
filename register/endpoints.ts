/**
 * The register's HTTP endpoints as its reference lists them (`docs/register-api.md`, written by
 * `scripts/api-reference.ts`): who may call each, what it does, and its body as JSON Schema where
 * it has one. A test checks that every route the register serves is here and nothing else is, so
 * the reference never drifts from the routes.
 */
import type { z } from 'zod';
import { auditPush, pushRequest } from '../db/sync/wire';
import { CONSOLE_SCHEMAS } from './console/api';

export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  who: 'anyone' | 'a station (bearer token)' | 'a console session (administrator or supervisor)' | 'a console session (administrator)' | "a console session (administrator, or a supervisor of the delivery point's site)";
  what: string;
  body?: z.ZodType;
}

const STATION = 'a station (bearer token)' as const;
const SESSION = 'a console session (administrator or supervisor)' as const;
const ADMIN = 'a console session (administrator)' as const;
const POINT_KEEPER = "a console session (administrator, or a supervisor of the delivery point's site)" as const;

export const REGISTER_ENDPOINTS: Endpoint[] = [
  { method: 'GET', path: '/health', who: 'anyone', what: 'Whether the register answers, and its epoch (a new epoch means stations take a new full copy).' },
  { method: 'POST', path: '/enrol', who: 'anyone', what: 'Trades a one-time enrolment code for a station identity, its bearer token and its blocks of numbers. At most 20 attempts a minute from one address.', body: CONSOLE_SCHEMAS.enrol },
  { method: 'GET', path: '/sync/me', who: STATION, what: 'The station as the register knows it (site, last entry applied).' },
  { method: 'GET', path: '/sync/pepper', who: STATION, what: "The region's PIN pepper, for a station enrolled before it was handed over at enrolment." },
  { method: 'POST', path: '/sync/push', who: STATION, what: "The station's outbox entries (movements, individuals, master data changes), gzipped JSON; each applied exactly once, judged as if from a stranger; rejected entries come back with a code and a message. 409 when an entry number is skipped.", body: pushRequest },
  { method: 'POST', path: '/sync/audit', who: STATION, what: "The station's audit trail, hash-chained; the register checks the chain and keeps it.", body: auditPush },
  { method: 'GET', path: '/sync/pull', who: STATION, what: 'Every change after `cursor` (query: `epoch`, `cursor`, `limit` ≤ 20,000, and `scope=site` from a station holding a depot\'s own copy), gzipped JSON; movements of other stations (with `scope=site`, those touching the station\'s site, and first each device the page refers to as it stands), master data of the region and of the station\'s site.' },
  { method: 'POST', path: '/sync/devices', who: STATION, what: 'Devices as the register holds them now, by id (gzipped JSON body `{ ids }`, at most 1,000; those it has): for a depot whose new copy of its site no longer carries devices it held.' },
  { method: 'GET', path: '/sync/device', who: STATION, what: 'One device as the register holds it now, by its individual number, UDI or serial number (query: `code`), or null when none or more than one has it: for a depot whose own copy does not hold it.' },
  { method: 'GET', path: '/sync/history', who: STATION, what: "One device's whole history (query: `individual`), for a station's timeline." },
  { method: 'GET', path: '/sync/snapshot', who: STATION, what: 'The full copy for a new station, streamed as frames, the totals first: columnar frames packed with brotli when `Accept` names `application/vnd.depot.snapshot+columns`, otherwise frames of gzipped JSON lines. With `scope=site`, a depot\'s station gets its own site\'s copy (the region\'s master data; its site\'s stock, devices, queue and 90 days of history; the devices those refer to), the central store\'s the whole region\'s.' },
  { method: 'GET', path: '/console', who: 'anyone', what: 'Redirects to `/console/`.' },
  { method: 'GET', path: '/console/*', who: 'anyone', what: "The console's web page and its files (the page signs in before it shows anything)." },
  { method: 'GET', path: '/console/api/sign-in/users', who: 'anyone', what: 'The administrators and supervisors who can sign in to the console (names and roles only).' },
  { method: 'POST', path: '/console/api/session', who: 'anyone', what: 'Signs in with a user (or badge) and PIN; five wrong PINs lock the user as at a station. Sets an HttpOnly, SameSite=Strict session cookie.', body: CONSOLE_SCHEMAS.signIn },
  { method: 'GET', path: '/console/api/me', who: SESSION, what: 'Who is signed in.' },
  { method: 'POST', path: '/console/api/session/end', who: SESSION, what: 'Signs out.' },
  { method: 'GET', path: '/console/api/fleet', who: SESSION, what: 'Every station with its site, version, last heard from, last entry applied, rejected entries and conflicts; stations silent for longer than the set time flagged.' },
  { method: 'POST', path: '/console/api/stations/:id/revoke', who: ADMIN, what: "Withdraws a station's access." },
  { method: 'GET', path: '/console/api/sites', who: SESSION, what: 'The sites.' },
  { method: 'GET', path: '/console/api/articles', who: SESSION, what: 'The articles (query: `q` to search).' },
  { method: 'POST', path: '/console/api/articles', who: SESSION, what: 'Creates an article (purchase price in öre), judged as a station\'s: the article rules, and a number, GTIN and HIBC code no other article has. Every station pulls it.', body: CONSOLE_SCHEMAS.article },
  { method: 'POST', path: '/console/api/articles/:id', who: SESSION, what: 'Changes an article, judged as a station\'s; whether it is rented out and how it is followed stay once it has stock or devices anywhere.', body: CONSOLE_SCHEMAS.article },
  { method: 'POST', path: '/console/api/sites/:id', who: ADMIN, what: "Changes a site's name, municipality, address, route and delivery weekday (its code and kind never change).", body: CONSOLE_SCHEMAS.site },
  { method: 'GET', path: '/console/api/delivery-points', who: SESSION, what: "Every site's delivery points (query: `site` for one site's), those in use first." },
  { method: 'POST', path: '/console/api/delivery-points', who: POINT_KEEPER, what: 'Creates a delivery point of a site (a postcode as `961 85`, a weekday 1–5); its name one of a kind among the site\'s points in use.', body: CONSOLE_SCHEMAS.deliveryPoint },
  { method: 'POST', path: '/console/api/delivery-points/:id', who: POINT_KEEPER, what: 'Changes a delivery point (what the body leaves out stays); `retired: true` retires it, `false` brings it back.', body: CONSOLE_SCHEMAS.deliveryPointChange },
  { method: 'GET', path: '/console/api/enrolment-codes', who: SESSION, what: 'Enrolment codes issued, and whether each is waiting, used or expired.' },
  { method: 'POST', path: '/console/api/enrolment-codes', who: ADMIN, what: 'Issues a one-time enrolment code for a station of a site (shown once).', body: CONSOLE_SCHEMAS.enrolmentCode },
  { method: 'POST', path: '/console/api/enrolment-codes/:id/withdraw', who: ADMIN, what: 'Withdraws an unused enrolment code.' },
  { method: 'GET', path: '/console/api/users', who: ADMIN, what: 'The users of the region.' },
  { method: 'POST', path: '/console/api/users', who: ADMIN, what: 'Creates a user; the answer carries the one-time code they set their PIN with at any station (shown once).', body: CONSOLE_SCHEMAS.user },
  { method: 'POST', path: '/console/api/users/:id/active', who: ADMIN, what: 'Activates or deactivates a user; a deactivated user is refused at every station once it has synced.', body: CONSOLE_SCHEMAS.active },
  { method: 'POST', path: '/console/api/users/:id/pin-code', who: ADMIN, what: "Issues a new one-time code (a PIN reset); the old PIN stops working." },
  { method: 'POST', path: '/console/api/import', who: ADMIN, what: "Previews (`apply: false`, nothing written) or applies an import of the region's files (CSV or XLSX, base64; at most 48 MiB), as `npm run register -- import` does; answers what is new, changed and unchanged per table, and the rejected rows with their reasons.", body: CONSOLE_SCHEMAS.import },
  { method: 'GET', path: '/console/api/issues', who: SESSION, what: "The region's rejected entries and conflicts, each with what to do about it." },
  { method: 'GET', path: '/console/api/audit', who: ADMIN, what: 'What was done in the console, by whom and when.' },
];
