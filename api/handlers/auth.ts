import { z } from 'zod';
import { DepotError, isDepotError } from '../../vocabulary/errors';
import { createUser, issuePinCode, listUsers, updateUser } from '../../db/users/admin';
import { homeSite, listActiveUsers, lockedUsers, setPinWithCode, signIn, unlockUser, userByBadge } from '../../db/users/users';
import { ROLES } from '../../vocabulary/domain';
import { actor, handler } from '../context';

export const authHandlers = {
  'auth.users': handler({
    input: z.object({}).strict(),
    run: (ctx) => listActiveUsers(ctx.store, ctx.now()),
  }),

  'auth.signIn': handler({
    input: z
      .object({
        userId: z.string().min(1).max(64),
        pin: z.string().max(8).regex(/^\d{4,8}$/, 'pin'),
      })
      .strict(),
    run: (ctx, { userId, pin }) => {
      let user;
      try {
        user = signIn(ctx.store, ctx.station.id, userId, pin, ctx.now());
      } catch (e) {
        // A locked user's sessions at this station end with the lock.
        if (isDepotError(e) && e.code === 'auth.locked') ctx.sessions.closeUser(userId);
        throw e;
      }
      const session = ctx.sessions.open(user);
      return { session: session.token, user };
    },
  }),

  /** Users locked out by wrong PINs at this station and until when, for a supervisor or an administrator to unlock. */
  'auth.locked': handler({ input: z.object({}).strict(), run: (ctx) => lockedUsers(ctx.store, ctx.now()) }),
  /** A supervisor lifts a lock at this station; an administrator lifts a user's locks at every station of this site. */
  'auth.unlock': handler({
    input: z.object({ userId: z.string().min(1).max(64) }).strict(),
    run: (ctx, i) => {
      const { siteWide } = unlockUser(ctx.store, { ...actor(ctx), role: ctx.session!.role }, i.userId, ctx.now());
      return { unlocked: true, siteWide };
    },
  }),

  /** Who a scanned badge belongs to, so the sign-in screen can pick the user; the PIN is still needed. */
  'auth.badge': handler({
    input: z.object({ code: z.string().min(1).max(40) }).strict(),
    run: (ctx, { code }) => {
      const user = userByBadge(ctx.store, code.trim().toUpperCase());
      if (!user) throw new DepotError('auth.unknown_badge', { sv: 'Okänd passerbricka. Välj dig själv i listan.', en: 'Unknown badge. Pick yourself in the list.' });
      return user;
    },
  }),

  'auth.signOut': handler({
    input: z.object({}).strict(),
    run: (ctx) => {
      ctx.sessions.close(ctx.session!.token);
      return { signedOut: true };
    },
  }),

  /** Who is signed in, and their own site (a depot's staff start on their depot's screens, wherever the station stands). */
  'auth.me': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ id: ctx.session!.userId, name: ctx.session!.name, role: ctx.session!.role, siteId: homeSite(ctx.store, ctx.session!.userId) }),
  }),

  /** Sets the user's own PIN with the one-time code an administrator gave them, and signs them in. */
  'auth.setPin': handler({
    input: z
      .object({
        userId: z.string().min(1).max(64),
        oneTimeCode: z.string().max(8).regex(/^\d{8}$/, 'oneTimeCode'),
        pin: z.string().max(8).regex(/^\d{4,8}$/, 'pin'),
      })
      .strict(),
    run: (ctx, { userId, oneTimeCode, pin }) => {
      const user = setPinWithCode(ctx.store, ctx.station.id, { userId, code: oneTimeCode, pin }, ctx.now());
      const session = ctx.sessions.open(user);
      return { session: session.token, user };
    },
  }),

  /** Every user, with their role, site, badge and whether they have a PIN: an administrator's list. */
  'users.list': handler({ input: z.object({}).strict(), run: (ctx) => listUsers(ctx.store, ctx.now()) }),
  /** A new user; the answer holds the one-time code (shown once) they set their PIN with. */
  'users.create': handler({
    input: z.object({ name: z.string().max(200), role: z.enum(ROLES), siteId: z.string().max(64).nullable(), badge: z.string().max(20).nullable() }).strict(),
    run: (ctx, i) => createUser(ctx.store, actor(ctx), i, ctx.now()),
  }),
  /** Changes a user; a user deactivated is signed out here at once, and everywhere once synced. */
  'users.update': handler({
    input: z.object({ id: z.string().min(1).max(64), name: z.string().max(200), role: z.enum(ROLES), siteId: z.string().max(64).nullable(), badge: z.string().max(20).nullable(), active: z.boolean() }).strict(),
    run: (ctx, i) => {
      updateUser(ctx.store, actor(ctx), i, ctx.now());
      if (!i.active) ctx.sessions.closeUser(i.id);
      return { id: i.id };
    },
  }),
  /** A PIN reset: a new one-time code (shown once); the old PIN stops working. */
  'users.pinCode': handler({
    input: z.object({ userId: z.string().min(1).max(64) }).strict(),
    run: (ctx, i) => {
      const code = issuePinCode(ctx.store, actor(ctx), i.userId, ctx.now());
      ctx.sessions.closeUser(i.userId);
      return code;
    },
  }),
};
