import { and, eq, ne, sql } from 'drizzle-orm';
import { audit } from '../audit';
import { DepotError, type UserMessage } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { users, type Role } from '../schema';
import { stmt } from '../statements';
import { pinPepper } from '../pepper';
import { syncLink } from '../sync/link';
import { hashPin, verifyPin } from './pins';
import { queueChanges } from '../sync/outbox';

export interface UserSummary {
  id: string;
  name: string;
  role: Role;
}

/**
 * The users who may sign in at this station, for the sign-in list; `setsPin` when the user has no
 * PIN yet but a one-time code to set one; `lockedUntil` when wrong PINs locked them out here, with
 * `lockedText` saying until when (as the refusal would).
 */
export function listActiveUsers(store: StationDb, now = Date.now()): (UserSummary & { setsPin: boolean; lockedUntil: number | null; lockedText: UserMessage | null })[] {
  const locked = new Map(lockedUsers(store, now).map((l) => [l.id, l.lockedUntil]));
  return store.db
    .select({ id: users.id, name: users.name, role: users.role, pinHash: users.pinHash, codeExpires: users.pinCodeExpires })
    .from(users)
    .where(and(eq(users.active, true), ne(users.role, 'prescriber')))
    .orderBy(sql`sv_order(${users.name})`)
    .all()
    .map(({ pinHash, codeExpires, ...u }) => {
      const lockedUntil = locked.get(u.id) ?? null;
      return {
        ...u,
        setsPin: pinHash === 'none' && codeExpires !== null && codeExpires > now,
        lockedUntil,
        lockedText: lockedUntil === null ? null : lockedUntilText(lockedUntil, now),
      };
    });
}

/**
 * Refuses a change by someone who is not an active user in one of the roles that keep what it
 * changes (the core's own check, whatever the call's permission says), in words for them.
 */
export function requireRole(store: StationDb, userId: string, roles: readonly Role[], message: UserMessage): void {
  const role = stmt<{ role: Role }>(store, 'select role from users where id = ? and active = 1').get(userId)?.role;
  if (!role || !roles.includes(role)) throw new DepotError('auth.forbidden', message);
}

/** The site a user belongs to (their depot, for depot staff), or null for one of the whole region. */
export const homeSite = (store: StationDb, userId: string): string | null => stmt<{ s: string | null }>(store, 'select site_id as s from users where id = ?').get(userId)?.s ?? null;

/** Whether a user may be signed in at all (a user deactivated anywhere is, here too, once synced). */
export const isActive = (store: StationDb, userId: string): boolean => stmt<{ active: number }>(store, 'select active from users where id = ?').get(userId)?.active === 1;

export function userByBadge(store: StationDb, badge: string): UserSummary | null {
  return (
    store.db
      .select({ id: users.id, name: users.name, role: users.role })
      .from(users)
      .where(and(eq(users.badgeCode, badge), eq(users.active, true)))
      .get() ?? null
  );
}

const WRONG_PIN = {
  sv: 'Fel användare eller PIN-kod. Försök igen.',
  en: 'Wrong user or PIN. Try again.',
};

/** A wrong PIN (or one-time code) of a user who can be locked: how many tries are left before the lock. */
export function wrongPinMessage(triesLeft: number, code = false): UserMessage {
  return {
    sv: `${code ? 'Fel engångskod' : 'Fel PIN-kod'}. ${triesLeft} försök kvar innan inloggningen låses på den här stationen.`,
    en: `${code ? 'Wrong one-time code' : 'Wrong PIN'}. ${triesLeft} ${triesLeft === 1 ? 'try' : 'tries'} left before sign-in is locked at this station.`,
  };
}

const MINUTE = 60_000;
/** Wrong PINs in a row that lock a user at this station. */
export const MAX_FAILURES = 5;
/** How long the first lock lasts; each further lock without a right PIN between lasts twice as long as the one before. */
export const FIRST_LOCK_MS = 15 * MINUTE;
/** The longest a lock lasts. */
export const LONGEST_LOCK_MS = 24 * 60 * MINUTE;

/**
 * The lockout policy: how long (ms) a user is locked out at this station after `failuresInARow`
 * wrong PINs, when `locksInARow` locks came before without a right PIN between; 0 for no lock.
 * Five wrong PINs lock for a quarter of an hour, the next five for half an hour, then an hour…
 * up to a day at most.
 */
export function lockFor(failuresInARow: number, locksInARow: number): number {
  if (!(failuresInARow >= MAX_FAILURES)) return 0;
  const before = Math.min(Math.max(0, Math.floor(locksInARow) || 0), 32);
  return Math.min(LONGEST_LOCK_MS, FIRST_LOCK_MS * 2 ** before);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A lock's end as shown: rounded up to the minute, so the lock is over at the time the message names. */
const shownUntil = (at: number): number => Math.ceil(at / MINUTE) * MINUTE;

/** When a lock ends, in local time: "14:05", with the date when it is not today (the console's refusal says it too). */
export function lockEnds(at: number, now: number): { sv: string; en: string } {
  const d = new Date(shownUntil(at));
  const time = `${pad(d.getHours())}:${pad(d.getMinutes())}`;
  if (d.toDateString() === new Date(now).toDateString()) return { sv: `kl. ${time}`, en: time };
  const date = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return { sv: `${date} kl. ${time}`, en: `${time} on ${date}` };
}

/** A locked user in the sign-in list: "Låst till kl. 14:05". */
export function lockedUntilText(lockedUntil: number, now: number): UserMessage {
  const when = lockEnds(lockedUntil, now);
  return { sv: `Låst till ${when.sv}`, en: `Locked until ${when.en}` };
}

/** The refusal of a locked user: until when, and who can lift the lock sooner. */
export function lockedMessage(lockedUntil: number, now: number): UserMessage {
  const when = lockEnds(lockedUntil, now);
  return {
    sv: `Inloggningen är låst på den här stationen till ${when.sv} efter för många felaktiga PIN-koder. En administratör kan häva låset tidigare, här eller på en annan station i förrådet; en arbetsledare kan göra det här för personal som inte är arbetsledare.`,
    en: `Sign-in is locked at this station until ${when.en} after too many wrong PINs. An administrator can lift the lock sooner, here or at another station of the site; so can a supervisor here, for staff who are not supervisors.`,
  };
}

/** A user who signs in by badge only (a prescriber; a PIN hash of 'none') has no PIN to guess, and so no PIN lock. */
const hasPin = (row: { role: Role; pinHash: string }) => row.role !== 'prescriber' && row.pinHash !== 'none';

/** A one-time code to set a PIN with, not yet expired. */
const hasCode = (now: number) => (row: { role: Role; pinCodeHash: string | null; pinCodeExpires: number | null }) =>
  row.role !== 'prescriber' && row.pinCodeHash !== null && row.pinCodeExpires !== null && row.pinCodeExpires > now;

/** How far apart two stations' clocks may be and an unlock still lift a lock begun just after it by the other's clock. */
export const UNLOCK_CLOCK_SLACK_MS = 5 * MINUTE;

/** Refused sign-ins written to the trail in a minute, at most; more only count towards locks. */
export const REFUSALS_RECORDED_PER_MINUTE = 60;

const recentRefusals = (store: StationDb, at = Date.now()): number =>
  stmt<{ n: number }>(store, "select count(*) as n from audit_log where at > ? and action in ('sign_in_failed', 'sign_in_refused_locked')").get(at - MINUTE)!.n;

/**
 * An unlock for this station's site lifts a lock when it arrived here after the lock began and was
 * made no earlier than a few minutes (the most two stations' clocks may differ) before it: an old
 * unlock arriving late lifts nothing, and one from a station whose clock runs slow still lifts.
 * One dated ahead waits for its time.
 */
const LIFTED = `exists (select 1 from sign_in_unlocks u where u.user_id = l.user_id and u.site_id = (select site_id from station)
  and u.rowid > l.unlocks_seen and u.at >= l.locked_at - ${UNLOCK_CLOCK_SLACK_MS} and u.at <= $now)`;
/** A lock counts while its time is not over and no unlock lifted it. */
const LOCK_STANDS = `l.locked_until > $now and not ${LIFTED}`;

/**
 * Until when the user is locked out at this station, or null. One prepared statement: every
 * signed-in call asks it.
 */
export function lockedUntil(store: StationDb, userId: string, now: number = Date.now()): number | null {
  return stmt<{ until: number }>(store, `select l.locked_until as until from sign_in_locks l where l.user_id = $userId and ${LOCK_STANDS}`).get({ userId, now })?.until ?? null;
}

interface LockState {
  failures: number;
  locks: number;
  lockedAt: number | null;
  lockedUntil: number | null;
}

/**
 * The user's wrong PINs and locks at this station. An unlock that came after the last lock began
 * clears the wrong PINs and the lock, but not the count of locks in a row: only a right PIN does,
 * so lifting a lock after every fifth guess does not make guessing any quicker.
 */
function lockState(store: StationDb, userId: string, now: number): LockState {
  const row = stmt<LockState & { lifted: number }>(
    store,
    `select l.failures, l.locks, l.locked_at as lockedAt, l.locked_until as lockedUntil,
       ${LIFTED} as lifted
     from sign_in_locks l where l.user_id = $userId`,
  ).get({ userId, now });
  if (!row) return { failures: 0, locks: 0, lockedAt: null, lockedUntil: null };
  if (row.lifted) return { failures: 0, locks: row.locks, lockedAt: null, lockedUntil: null };
  return { failures: row.failures, locks: row.locks, lockedAt: row.lockedAt, lockedUntil: row.lockedUntil };
}

/**
 * Checks a PIN; every attempt, right or wrong, goes into the audit log. Five wrong ones in a row
 * lock the user at this station for a while (`lockFor`); while locked, no PIN is even tried. The
 * lock lifts by itself when its time is over, or sooner by an unlock. A right PIN clears the count.
 * A user without a PIN (badge only) is refused like a wrong PIN and never locked.
 */
export function signIn(store: StationDb, stationId: string, userId: string, pin: string, now: number = Date.now()): UserSummary {
  const pepper = () => pinPepper(store, { linked: syncLink(store) !== null });
  return checkSecret(store, stationId, userId, now, { usable: hasPin, matches: (row) => verifyPin(pin, row.pinHash, pepper), action: 'sign_in' });
}

/** What a sign-in checks: a PIN, or a one-time code to set one. */
interface Secret {
  /** Whether the user has one to check (one without is refused like a wrong one, never locked). */
  usable: (row: typeof users.$inferSelect) => boolean;
  matches: (row: typeof users.$inferSelect) => boolean;
  action: string;
}

/** A sign-in's check with its lock: the same count of wrong tries, whatever is tried. */
function checkSecret(store: StationDb, stationId: string, userId: string, now: number, secret: Secret): UserSummary {
  const row = store.db.select().from(users).where(eq(users.id, userId)).get();
  const state = lockState(store, userId, now);
  const attempt = (action: string, detail?: unknown) => audit(store, { stationId, userId: row ? row.id : null, action, entity: 'user', entityId: userId, ...(detail === undefined ? {} : { detail }) });
  // Refused attempts are recorded up to a rate: beyond it a script's stream of them would fill the
  // disk and the register. Counting and locking go on regardless; the trail shows the stream began.
  const refused = (action: string) => {
    if (recentRefusals(store) < REFUSALS_RECORDED_PER_MINUTE) attempt(action);
  };
  if (state.lockedUntil !== null && state.lockedUntil > now)
    throw new DepotError('auth.locked', lockedMessage(state.lockedUntil, now), 'pin', () => refused('sign_in_refused_locked'));
  const lockable = row !== undefined && row.active && secret.usable(row);
  if (lockable && secret.matches(row)) {
    attempt(secret.action);
    stmt(store, 'delete from sign_in_locks where user_id = ?').run(userId);
    return { id: row.id, name: row.name, role: row.role };
  }
  // A refused sign-in keeps only its record: the attempt, the count of wrong PINs and the lock.
  if (!lockable) throw new DepotError('auth.wrong_pin', WRONG_PIN, 'pin', () => refused('sign_in_failed'));
  const failures = state.failures + 1;
  const lockMs = lockFor(failures, state.locks);
  const next: LockState = lockMs > 0 ? { failures: 0, locks: state.locks + 1, lockedAt: now, lockedUntil: now + lockMs } : { ...state, failures };
  const record = () => {
    refused('sign_in_failed');
    stmt(
      store,
      `insert into sign_in_locks (user_id, failures, locks, locked_at, locked_until, unlocks_seen)
       values (?, ?, ?, ?, ?, (select coalesce(max(rowid), 0) from sign_in_unlocks))
       on conflict (user_id) do update set failures = excluded.failures, locks = excluded.locks, locked_at = excluded.locked_at,
         locked_until = excluded.locked_until, unlocks_seen = case when excluded.locked_at is not sign_in_locks.locked_at then excluded.unlocks_seen else sign_in_locks.unlocks_seen end`,
    ).run(userId, next.failures, next.locks, next.lockedAt, next.lockedUntil);
    if (lockMs > 0) attempt('sign_in_locked', { until: next.lockedUntil, minutes: lockMs / MINUTE, locksInARow: next.locks });
  };
  if (lockMs > 0) throw new DepotError('auth.locked', lockedMessage(next.lockedUntil!, now), 'pin', record);
  throw new DepotError('auth.wrong_pin', wrongPinMessage(MAX_FAILURES - failures, secret.action === 'pin_set_with_code'), 'pin', record);
}

/** Refuses a user locked out by wrong PINs at this station (a locked badge opens nothing, the kiosk included). */
export function requireUnlocked(store: StationDb, userId: string, now: number = Date.now()): void {
  const until = lockedUntil(store, userId, now);
  if (until !== null) throw new DepotError('auth.locked', lockedMessage(until, now));
}

/** Users locked out at this station now, and until when. */
export function lockedUsers(store: StationDb, now: number = Date.now()): (UserSummary & { lockedAt: number; lockedUntil: number })[] {
  return stmt<UserSummary & { lockedAt: number; lockedUntil: number }>(
    store,
    `select u.id, u.name, u.role, l.locked_at as lockedAt, l.locked_until as lockedUntil from sign_in_locks l join users u on u.id = l.user_id
     where ${LOCK_STANDS} order by l.locked_until`,
  ).all({ now });
}

export interface Unlocker {
  stationId: string;
  siteId: string;
  userId: string;
  role: Role;
}

/**
 * Lifts a user's sign-in lock; the count of wrong PINs starts again. An administrator lifts the
 * user's locks at every station of this site (the unlock is synced, and other stations learn of
 * it at their next sync), also when the user is not locked here; a supervisor, or an
 * administrator for a user of another site, lifts the lock at this station only.
 */
export function unlockUser(store: StationDb, actor: Unlocker, userId: string, now: number = Date.now()): { siteWide: boolean } {
  const user = stmt<{ siteId: string | null; role: Role }>(store, 'select site_id as siteId, role from users where id = ?').get(userId);
  if (!user) throw new DepotError('auth.unknown_user', { sv: 'Användaren finns inte.', en: 'There is no such user.' });
  // Else a supervisor could lift an administrator's lock after every fifth guess and go on guessing.
  if (actor.role !== 'admin' && (user.role === 'supervisor' || user.role === 'admin'))
    throw new DepotError('auth.unlock_needs_admin', {
      sv: 'Bara en administratör kan häva låset för en arbetsledare eller en administratör.',
      en: "Only an administrator can lift a supervisor's or an administrator's lock.",
    });
  const siteWide = actor.role === 'admin' && user.siteId !== null && user.siteId === actor.siteId;
  if (!siteWide && lockedUntil(store, userId, now) === null)
    throw new DepotError(
      'auth.not_locked',
      actor.role === 'admin'
        ? {
            sv: 'Användaren är inte låst här och hör till ett annat förråd. En administratör på en station i det förrådet kan häva låset, eller IT i registret.',
            en: 'The user is not locked here and belongs to another site. An administrator at a station of that site can lift the lock, or IT in the register.',
          }
        : {
            sv: 'Användaren är inte låst på den här stationen. Ett lås på en annan station kan en administratör häva härifrån.',
            en: 'The user is not locked at this station. An administrator can lift a lock at another station from here.',
          },
    );
  if (siteWide) stmt(store, 'insert into sign_in_unlocks (id, user_id, site_id, at, by_user_id) values (?, ?, ?, ?, ?)').run(uuidv7(now), userId, user.siteId, now, actor.userId);
  // The count of wrong PINs starts again; the locks in a row stand, so the next lock is longer still.
  stmt(store, 'update sign_in_locks set failures = 0, locked_at = null, locked_until = null where user_id = ?').run(userId);
  audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'sign_in_unlocked', entity: 'user', entityId: userId, detail: { siteWide } });
  return { siteWide };
}

/**
 * The user sets their own PIN with the one-time code an administrator gave them: the code is
 * checked like a PIN (wrong tries count towards the same lock), then used up; the new PIN goes to
 * the register and every station with the user. Signs the user in.
 */
export function setPinWithCode(store: StationDb, stationId: string, input: { userId: string; code: string; pin: string }, now: number = Date.now()): UserSummary {
  const pepper = () => pinPepper(store, { linked: syncLink(store) !== null });
  return store.sqlite.transaction(() => {
    const used = stmt<{ h: string | null }>(store, 'select pin_code_hash as h from users where id = ?').get(input.userId)?.h ?? null;
    const user = checkSecret(store, stationId, input.userId, now, { usable: hasCode(now), matches: (row) => verifyPin(input.code, row.pinCodeHash!, pepper), action: 'pin_set_with_code' });
    stmt(store, 'update users set pin_hash = ?, pin_code_hash = null, pin_code_expires = null, changed_by = ?, changed_at = ? where id = ?').run(hashPin(input.pin, pepper()), input.userId, now, input.userId);
    // Which code it was (its verifier): the register takes the PIN only if that code was still the user's.
    queueUser(store, input.userId, { pin_code_used: used });
    return user;
  })();
}

/** The user as the register keeps it, queued for it (in the caller's transaction). */
export function queueUser(store: StationDb, userId: string, extra: Record<string, unknown> = {}): void {
  const row = stmt<Record<string, unknown>>(store, 'select id, name, role, pin_hash, badge_code, site_id, active, pin_code_hash, pin_code_expires, changed_by, changed_at from users where id = ?').get(userId);
  if (row) queueChanges(store, [['user', userId, { ...row, ...extra }]]);
}
