/**
 * The people who use the station, and their sign-in locks and unlocks.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { ROLES } from '../../vocabulary/domain';
import { inList } from './checks';
import { sites } from './sites';

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** scrypt hash of the PIN: `scrypt$<salt hex>$<hash hex>`. */
    pinHash: text('pin_hash').notNull(),
    badgeCode: text('badge_code').unique(),
    siteId: text('site_id').references(() => sites.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
    /**
     * A one-time code an administrator issued (hashed like a PIN) with which the user sets their
     * own PIN at any station, and when it expires. A PIN is never typed by anyone else.
     */
    pinCodeHash: text('pin_code_hash'),
    pinCodeExpires: integer('pin_code_expires'),
    /** Who changed the user last (an administrator, or the user setting their PIN), and when. */
    changedBy: text('changed_by'),
    changedAt: integer('changed_at'),
  },
  (t) => [check('users_role', sql`${t.role} in (${inList(ROLES)})`)],
);

/**
 * Wrong PINs per user at this station: five in a row lock the user (and their badge) here for a
 * cooling-off time that doubles with each further lock without a right PIN between (see
 * `lockFor` in db/users/users.ts). Station-local, beside the user records the register owns.
 */
export const signInLocks = sqliteTable('sign_in_locks', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  /** Wrong PINs since the last lock began (or the last right PIN). */
  failures: integer('failures').notNull(),
  lockedAt: integer('locked_at'),
  /** Locks in a row without a right PIN between, this one included. */
  locks: integer('locks').notNull().default(0),
  /** The lock lifts by itself at this time. */
  lockedUntil: integer('locked_until'),
  /**
   * The last unlock (`sign_in_unlocks` row) this station held when the lock began: only an unlock
   * that arrived after it lifts it, however the two stations' clocks differ.
   */
  unlocksSeen: integer('unlocks_seen').notNull().default(0),
});

/**
 * An administrator lifted a user's sign-in locks at every station of the user's site (or IT did,
 * in the register). Synced: written here, it travels to the register and from there to every
 * station, where a lock that began before the user's latest unlock counts as lifted.
 */
export const signInUnlocks = sqliteTable(
  'sign_in_unlocks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    siteId: text('site_id').notNull(),
    at: integer('at').notNull(),
    /** The administrator; null when lifted in the register. */
    byUserId: text('by_user_id'),
  },
  (t) => [index('sign_in_unlocks_user').on(t.userId, t.at)],
);
