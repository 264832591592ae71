import { z } from 'zod';
import { DepotError } from '../../db/errors';
import { listActiveUsers, signIn, userByBadge } from '../../db/users/users';
import { handler } from '../handler';

const MAX_FAILURES = 5;
const LOCK_MS = 60_000;

export const authHandlers = {
  'auth.users': handler({
    access: 'public',
    input: z.object({}).strict(),
    run: (ctx) => listActiveUsers(ctx.store),
  }),

  'auth.signIn': handler({
    access: 'public',
    input: z
      .object({
        userId: z.string().min(1),
        pin: z.string().regex(/^\d{4,8}$/, 'pin'),
      })
      .strict(),
    run: (ctx, { userId, pin }) => {
      const now = Date.now();
      const failures = ctx.sessions.failedSignIns;
      const f = failures.get(userId);
      if (f && f.until > now)
        throw new DepotError(
          'auth.locked',
          {
            sv: `För många felaktiga försök. Vänta ${Math.ceil((f.until - now) / 1000)} sekunder och försök igen.`,
            en: `Too many wrong attempts. Wait ${Math.ceil((f.until - now) / 1000)} seconds and try again.`,
          },
          'pin',
        );
      try {
        const user = signIn(ctx.store, ctx.station.id, userId, pin);
        failures.delete(userId);
        const session = ctx.sessions.open(user);
        return { session: session.token, user };
      } catch (e) {
        const count = (f?.count ?? 0) + 1;
        failures.set(userId, { count, until: count >= MAX_FAILURES ? now + LOCK_MS : 0 });
        throw e;
      }
    },
  }),

  /** Who a scanned badge belongs to, so the sign-in screen can pick the user; the PIN is still needed. */
  'auth.badge': handler({
    access: 'public',
    input: z.object({ code: z.string().min(1).max(40) }).strict(),
    run: (ctx, { code }) => {
      const user = userByBadge(ctx.store, code.trim().toUpperCase());
      if (!user) throw new DepotError('auth.unknown_badge', { sv: 'Okänd passerbricka. Välj dig själv i listan.', en: 'Unknown badge. Pick yourself in the list.' });
      return user;
    },
  }),

  'auth.signOut': handler({
    access: 'signed_in',
    input: z.object({}).strict(),
    run: (ctx) => {
      ctx.sessions.close(ctx.session!.token);
      return { signedOut: true };
    },
  }),

  'auth.me': handler({
    access: 'signed_in',
    input: z.object({}).strict(),
    run: (ctx) => ({ id: ctx.session!.userId, name: ctx.session!.name, role: ctx.session!.role }),
  }),
};
