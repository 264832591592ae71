import { and, asc, eq, ne } from 'drizzle-orm';
import { audit } from '../audit';
import { DepotError } from '../errors';
import type { Store } from '../open';
import { users, type Role } from '../schema';
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

/** Checks a PIN; every attempt, right or wrong, goes into the audit log. */
export function signIn(store: Store, stationId: string, userId: string, pin: string): UserSummary {
  const row = store.db.select().from(users).where(eq(users.id, userId)).get();
  const ok = row !== undefined && row.active && row.role !== 'prescriber' && verifyPin(pin, row.pinHash);
  audit(store, {
    stationId,
    userId: row ? row.id : null,
    action: ok ? 'sign_in' : 'sign_in_failed',
    entity: 'user',
    entityId: userId,
  });
  if (!ok || !row) throw new DepotError('auth.wrong_pin', WRONG_PIN, 'pin');
  return { id: row.id, name: row.name, role: row.role };
}
