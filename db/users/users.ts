import { and, asc, eq, ne } from 'drizzle-orm';
import { audit } from '../audit';
import { DepotError } from '../errors';
import type { Store } from '../open';
import { users, type Role } from '../schema';
import { stmt } from '../statements';
import { pinPepper } from '../pepper';
import { syncLink } from '../sync/station';
import { verifyPin } from './pins';

export interface UserSummary {
  id: string;
  name: string;
  role: Role;
}

/** The users who may sign in at this station, for the sign-in list. */
export function listActiveUsers(store: Store): UserSummary[] {
  return store.db
    .select({ id: users.id, name: users.name, role: users.role })
    .from(users)
    .where(and(eq(users.active, true), ne(users.role, 'prescriber')))
    .orderBy(asc(users.name))
    .all();
}

export function userByBadge(store: Store, badge: string): UserSummary | null {
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

/** Wrong PINs in a row that lock a user until a supervisor unlocks them. */
export const MAX_FAILURES = 5;

const LOCKED = {
  sv: 'Inloggningen är låst efter fem felaktiga PIN-koder. Be en arbetsledare låsa upp den.',
  en: 'Sign-in is locked after five wrong PINs. Ask a supervisor to unlock it.',
};

/**
 * Checks a PIN; every attempt, right or wrong, goes into the audit log. Five wrong ones in a row
 * lock the user until a supervisor unlocks them; a right one clears the count.
 */
export function signIn(store: Store, stationId: string, userId: string, pin: string): UserSummary {
  const row = store.db.select().from(users).where(eq(users.id, userId)).get();
  const lock = stmt<{ failures: number; lockedAt: number | null }>(store, 'select failures, locked_at as lockedAt from sign_in_locks where user_id = ?').get(userId);
  const attempt = (action: string) => audit(store, { stationId, userId: row ? row.id : null, action, entity: 'user', entityId: userId });
  // Still counted, so the trail shows someone kept trying.
  if (lock?.lockedAt) throw new DepotError('auth.locked', LOCKED, 'pin', () => attempt('sign_in_refused_locked'));
  const ok = row !== undefined && row.active && row.role !== 'prescriber' && verifyPin(pin, row.pinHash, pinPepper(store, { linked: syncLink(store) !== null }));
  if (ok && row) {
    attempt('sign_in');
    stmt(store, 'delete from sign_in_locks where user_id = ?').run(userId);
    return { id: row.id, name: row.name, role: row.role };
  }
  // A refused sign-in keeps only its record: the attempt, the count of wrong PINs and the lock.
  const failures = (lock?.failures ?? 0) + 1;
  const locked = row && failures >= MAX_FAILURES ? Date.now() : null;
  const record = () => {
    attempt('sign_in_failed');
    if (!row) return;
    stmt(store, 'insert into sign_in_locks (user_id, failures, locked_at) values (?, ?, ?) on conflict (user_id) do update set failures = excluded.failures, locked_at = excluded.locked_at').run(userId, failures, locked);
    if (locked) audit(store, { stationId, userId: row.id, action: 'sign_in_locked', entity: 'user', entityId: userId });
  };
  if (locked) throw new DepotError('auth.locked', LOCKED, 'pin', record);
  throw new DepotError('auth.wrong_pin', WRONG_PIN, 'pin', record);
}

/** Refuses a user locked out by wrong PINs (a locked badge opens nothing, the kiosk included). */
export function requireUnlocked(store: Store, userId: string): void {
  if (stmt(store, 'select 1 from sign_in_locks where user_id = ? and locked_at is not null').get(userId)) throw new DepotError('auth.locked', LOCKED);
}

/** Users locked out at this station. */
export function lockedUsers(store: Store): (UserSummary & { lockedAt: number })[] {
  return stmt<UserSummary & { lockedAt: number }>(
    store,
    'select u.id, u.name, u.role, l.locked_at as lockedAt from sign_in_locks l join users u on u.id = l.user_id where l.locked_at is not null order by l.locked_at',
  ).all();
}

/** A supervisor unlocks a user: the count of wrong PINs starts again. */
export function unlockUser(store: Store, actor: { stationId: string; userId: string }, userId: string): void {
  const n = stmt(store, 'delete from sign_in_locks where user_id = ? and locked_at is not null').run(userId).changes;
  if (n === 0) throw new DepotError('auth.not_locked', { sv: 'Användaren är inte låst.', en: 'The user is not locked.' });
  audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'sign_in_unlocked', entity: 'user', entityId: userId });
}
