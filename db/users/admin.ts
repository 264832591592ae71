/**
 * Users kept by administrators at any station: name, role, site, badge, active or not. A PIN is
 * never typed by anyone but its user: an administrator issues a one-time code (shown once, kept
 * only hashed, valid for a week), with which the user sets their own PIN at any station; a reset
 * is a new code, and ends the old PIN. Every change is audited and goes to the register, which
 * hands it to every station: a user deactivated here can sign in nowhere once stations have synced.
 */
import { randomInt } from 'node:crypto';
import { BADGE_CODE } from '../../vocabulary/codes/decode';
import { ROLES, type Role } from '../../vocabulary/domain';
import { DepotError } from '../../vocabulary/errors';
import { audit } from '../audit';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { pinPepper } from '../pepper';
import { stmt } from '../statements';
import type { Actor } from '../stock/ledger';
import { syncLink } from '../sync/link';
import { hashPin } from './pins';
import { queueUser, requireRole } from './users';

/** How long a one-time code stays usable. */
export const CODE_DAYS = 7;
/** Who keeps the users. */
export const KEEPS_USERS = ['admin'] as const satisfies readonly Role[];

export interface UserInput {
  name: string;
  role: Role;
  siteId: string | null;
  badge: string | null;
}

export interface UserLine {
  id: string;
  name: string;
  role: Role;
  siteId: string | null;
  siteName: string | null;
  badge: string | null;
  active: boolean;
  /** Whether the user has a PIN, or a one-time code waiting to set one (until when). */
  pin: 'set' | 'code' | 'none';
  codeExpires: number | null;
  changedBy: string | null;
  changedAt: number | null;
}

const requireAdmin = (store: StationDb, actor: Actor): void =>
  requireRole(store, actor.userId, KEEPS_USERS, { sv: 'Bara en administratör kan ändra användare.', en: 'Only an administrator can change users.' });

function checked(store: StationDb, input: UserInput, id: string | null): UserInput {
  const name = input.name.trim();
  if (name.length < 2 || name.length > 80) throw new DepotError('users.name', { sv: 'Skriv användarens namn (2–80 tecken).', en: "Write the user's name (2–80 characters)." }, 'name');
  if (!ROLES.includes(input.role)) throw new DepotError('users.role', { sv: 'Välj en roll.', en: 'Choose a role.' }, 'role');
  if (input.siteId !== null && !stmt(store, 'select 1 from sites where id = ?').get(input.siteId)) throw new DepotError('users.site', { sv: 'Förrådet finns inte.', en: 'The site does not exist.' }, 'siteId');
  const badge = input.badge?.trim().toUpperCase() || null;
  if (badge !== null && !BADGE_CODE.test(badge)) throw new DepotError('users.badge', { sv: 'En passerbricka är U och 4–6 siffror, t.ex. U1001.', en: 'A badge is U and 4–6 digits, e.g. U1001.' }, 'badge');
  const holder = badge ? stmt<{ id: string; name: string }>(store, 'select id, name from users where badge_code = ?').get(badge) : undefined;
  if (holder && holder.id !== id) throw new DepotError('users.badge_taken', { sv: `Passerbrickan ${badge} är ${holder.name}s.`, en: `Badge ${badge} is ${holder.name}'s.` }, 'badge');
  return { name, role: input.role, siteId: input.siteId, badge };
}

/** A new one-time code for a user: its hash stored, the code itself returned once. */
function newCode(store: StationDb, userId: string, now: number): { code: string; expires: number } {
  const code = String(randomInt(0, 100_000_000)).padStart(8, '0');
  const expires = now + CODE_DAYS * 86_400_000;
  stmt(store, "update users set pin_hash = 'none', pin_code_hash = ?, pin_code_expires = ? where id = ?").run(hashPin(code, pinPepper(store, { linked: syncLink(store) !== null })), expires, userId);
  return { code, expires };
}

/** A new user, without a PIN: the one-time code returned is for them to set one with. */
export function createUser(store: StationDb, actor: Actor, input: UserInput, now = Date.now()): { id: string; code: string; expires: number } {
  requireAdmin(store, actor);
  return store.sqlite.transaction(() => {
    const u = checked(store, input, null);
    const id = uuidv7(now);
    stmt(store, "insert into users (id, name, role, pin_hash, badge_code, site_id, active, changed_by, changed_at) values (?, ?, ?, 'none', ?, ?, 1, ?, ?)").run(id, u.name, u.role, u.badge, u.siteId, actor.userId, now);
    const code = newCode(store, id, now);
    audit(store, { ...actor, action: 'user.create', entity: 'user', entityId: id, detail: u });
    queueUser(store, id);
    return { id, ...code };
  })();
}

/** Changes a user's name, role, site, badge, or whether they may sign in at all. */
export function updateUser(store: StationDb, actor: Actor, input: UserInput & { id: string; active: boolean }, now = Date.now()): void {
  requireAdmin(store, actor);
  store.sqlite.transaction(() => {
    if (!stmt(store, 'select 1 from users where id = ?').get(input.id)) throw new DepotError('users.unknown', { sv: 'Användaren finns inte.', en: 'The user does not exist.' });
    if (input.id === actor.userId && (!input.active || input.role !== 'admin'))
      throw new DepotError('users.self', { sv: 'Du kan inte ta bort din egen administratörsroll; be en annan administratör.', en: 'You cannot remove your own administrator role; ask another administrator.' }, 'role');
    const u = checked(store, input, input.id);
    stmt(store, 'update users set name = ?, role = ?, badge_code = ?, site_id = ?, active = ?, changed_by = ?, changed_at = ? where id = ?').run(u.name, u.role, u.badge, u.siteId, input.active ? 1 : 0, actor.userId, now, input.id);
    audit(store, { ...actor, action: 'user.update', entity: 'user', entityId: input.id, detail: { ...u, active: input.active } });
    queueUser(store, input.id);
  })();
}

/** A PIN reset: a new one-time code; the old PIN no longer works anywhere once stations have synced. */
export function issuePinCode(store: StationDb, actor: Actor, userId: string, now = Date.now()): { code: string; expires: number } {
  requireAdmin(store, actor);
  return store.sqlite.transaction(() => {
    const user = stmt<{ role: string; active: number }>(store, 'select role, active from users where id = ?').get(userId);
    if (!user || !user.active || user.role === 'prescriber')
      throw new DepotError('users.no_pin', { sv: 'Användaren är inte aktiv eller loggar in med bricka utan PIN-kod.', en: 'The user is not active, or signs in with a badge and no PIN.' });
    const code = newCode(store, userId, now);
    stmt(store, 'update users set changed_by = ?, changed_at = ? where id = ?').run(actor.userId, now, userId);
    // The code itself is never written down: only that one was issued.
    audit(store, { ...actor, action: 'user.pin_code', entity: 'user', entityId: userId, detail: { expires: code.expires } });
    queueUser(store, userId);
    return code;
  })();
}

/** Every user, for an administrator. */
export function listUsers(store: StationDb, now = Date.now()): UserLine[] {
  return stmt<Omit<UserLine, 'active' | 'pin'> & { active: number; pinHash: string; codeHash: string | null }>(
    store,
    `select u.id, u.name, u.role, u.site_id as siteId, s.name as siteName, u.badge_code as badge, u.active, u.pin_hash as pinHash, u.pin_code_hash as codeHash,
       u.pin_code_expires as codeExpires, c.name as changedBy, u.changed_at as changedAt
     from users u left join sites s on s.id = u.site_id left join users c on c.id = u.changed_by order by u.active desc, sv_order(u.name)`,
  )
    .all()
    .map(({ pinHash, codeHash, ...u }) => ({
      ...u,
      active: u.active === 1,
      pin: codeHash !== null && u.codeExpires !== null && u.codeExpires > now ? 'code' : pinHash !== 'none' ? 'set' : 'none',
    }));
}
