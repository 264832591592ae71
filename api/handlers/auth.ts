import { z } from 'zod';
import { DepotError, isDepotError } from '../../vocabulary/errors';
import { listActiveUsers, lockedUsers, signIn, unlockUser, userByBadge } from '../../db/users/users';
import { actor, handler } from '../context';

export const authHandlers = {
  'auth.users': handler({
    input: z.object({}).strict(),
    run: (ctx) => listActiveUsers(ctx.store),
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

  'auth.me': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ id: ctx.session!.userId, name: ctx.session!.name, role: ctx.session!.role }),
  }),
};
