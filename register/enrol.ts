/**
 * Stations and their enrolment: a one-time code an administrator hands out, traded once for a
 * station identity, its bearer token and its own blocks of numbers; tokens checked on every
 * request, and revoked when a station is withdrawn.
 */
import { createHash, randomBytes, randomInt } from 'node:crypto';
import { uuidv7 } from '../db/ids';
import type { EnrolResponse } from '../db/sync/wire';
import { DAY, RegisterError, type RegisterContext, type StationRecord } from './context';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const INDIVIDUAL_BLOCK = 100_000;
const SSCC_BLOCK = 1_000_000;

interface StationRow {
  id: string;
  name: string;
  site_id: string;
  last_applied: number;
  revoked_at: number | null;
}

const stationRecord = (s: StationRow): StationRecord => ({
  id: s.id,
  name: s.name,
  siteId: s.site_id,
  lastApplied: Number(s.last_applied),
  revokedAt: s.revoked_at === null ? null : Number(s.revoked_at),
});

/** A one-time code an administrator gives the person setting up a station (valid for `ttlMs`). */
export async function createEnrolmentCode({ db, options }: RegisterContext, input: { stationName: string; siteId: string; ttlMs?: number }): Promise<string> {
  const [site] = await db.all("select id from entities where kind = 'site' and id = $1 and deleted = 0", [input.siteId]);
  if (!site) throw new RegisterError('register.unknown_site', { sv: 'Okänd plats.', en: 'Unknown site.' }, 404);
  const alphabet = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';
  const code = Array.from({ length: 12 }, () => alphabet[randomInt(alphabet.length)]).join('');
  const now = options.now();
  await db.run('insert into enrolment_codes (code_hash, station_name, site_id, created_at, expires_at) values ($1, $2, $3, $4, $5)', [
    sha256(code),
    input.stationName,
    input.siteId,
    now,
    now + (input.ttlMs ?? 7 * DAY),
  ]);
  return code;
}

const badCode = () =>
  new RegisterError(
    'register.bad_code',
    { sv: 'Koden gäller inte (fel, redan använd eller för gammal). Be en administratör om en ny kod.', en: 'The code is not valid (wrong, already used or expired). Ask an administrator for a new code.' },
    403,
  );

/** Trades a one-time code for a station identity, its token and its own blocks of numbers. */
export async function enrol({ db, options }: RegisterContext, code: string): Promise<EnrolResponse> {
  const token = randomBytes(32).toString('base64url');
  const now = options.now();
  return db.tx(async (q) => {
    const [c] = await q.all<{ station_name: string; site_id: string; expires_at: number; used_at: number | null }>(
      'select station_name, site_id, expires_at, used_at from enrolment_codes where code_hash = $1',
      [sha256(code.trim().toUpperCase())],
    );
    if (!c || c.used_at !== null || Number(c.expires_at) < now) throw badCode();
    const stationId = uuidv7(now);
    // Taken only while still unused: of two enrolments with one code at once (on two register nodes),
    // the one that waited finds it used and is refused.
    if ((await q.run('update enrolment_codes set used_at = $1, station_id = $2 where code_hash = $3 and used_at is null', [now, stationId, sha256(code.trim().toUpperCase())])) === 0) throw badCode();
    await q.run('insert into stations (id, name, site_id, token_hash, enrolled_at, last_applied) values ($1, $2, $3, $4, $5, 0)', [
      stationId,
      c.station_name,
      c.site_id,
      sha256(token),
      now,
    ]);
    const [ind] = await q.all<{ value: number }>(`update counters set value = value + ${INDIVIDUAL_BLOCK} where name = 'individual_next' returning value`);
    const [sscc] = await q.all<{ value: number }>(`update counters set value = value + ${SSCC_BLOCK} where name = 'sscc_next' returning value`);
    const indEnd = Number(ind!.value) - 1;
    const ssccEnd = Number(sscc!.value) - 1;
    return {
      stationId,
      token,
      name: c.station_name,
      siteId: c.site_id,
      numbers: {
        individual: { next: indEnd - INDIVIDUAL_BLOCK + 1, last: indEnd },
        sscc: { next: ssccEnd - SSCC_BLOCK + 1, last: ssccEnd },
      },
      ...(options.pinPepper ? { pepper: options.pinPepper.toString('hex') } : {}),
    };
  });
}

export async function revoke({ db, options }: RegisterContext, stationId: string): Promise<boolean> {
  return (await db.run('update stations set revoked_at = $1 where id = $2 and revoked_at is null', [options.now(), stationId])) > 0;
}

/** The station a bearer token belongs to, or null for an unknown or revoked token. */
export async function authenticate({ db }: RegisterContext, token: string | undefined): Promise<StationRecord | null> {
  if (!token) return null;
  const [s] = await db.all<StationRow>('select id, name, site_id, last_applied, revoked_at from stations where token_hash = $1', [sha256(token)]);
  if (!s || s.revoked_at !== null) return null;
  return stationRecord(s);
}

export async function stations({ db }: RegisterContext): Promise<StationRecord[]> {
  const rows = await db.all<StationRow>('select id, name, site_id, last_applied, revoked_at from stations order by enrolled_at');
  return rows.map(stationRecord);
}
