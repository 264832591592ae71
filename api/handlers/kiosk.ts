import { z } from 'zod';
import { audit } from '../../db/audit';
import { KIOSK_LINE_QUANTITY, KIOSK_LINES, ORDER_REF_MAX } from '../../vocabulary/domain';
import { DepotError } from '../../vocabulary/errors';
import { putSetting } from '../../db/settings';
import { requireUnlocked, userByBadge } from '../../db/users/users';
import { kioskSettings, kioskWithdraw } from '../../db/workflows/kiosk';
import { actor, announcePosted, handler } from '../context';
import { wedgeOptions, wedgeScan } from './scanning';

const id = z.string().min(1).max(64);

export const kioskHandlers = {
  'kiosk.settings': handler({ input: z.object({}).strict(), run: (ctx) => kioskSettings(ctx.store) }),

  /** Turns this station into the unmanned depot's kiosk (or back). */
  'kiosk.configure': handler({
    input: z.object({ enabled: z.boolean(), idleSeconds: z.number().int().min(15).max(600) }).strict(),
    run: (ctx, i) => {
      putSetting(ctx.store, 'kiosk', i);
      // Visits under the old settings end here (their baskets with them), not when the next call finds them idle.
      ctx.sessions.closeKiosk();
      audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'kiosk.configure', entity: 'station', entityId: ctx.station.id, detail: i });
      return i;
    },
  }),

  /**
   * At the kiosk, a badge alone opens a short session that may only register withdrawals, whoever
   * the badge belongs to: a supervisor's badge gives a kiosk session like anyone else's.
   */
  'kiosk.start': handler({
    input: z.object({ badge: z.string().min(1).max(40) }).strict(),
    run: (ctx, i) => {
      if (!kioskSettings(ctx.store).enabled)
        throw new DepotError('kiosk.off', { sv: 'Stationen är inte i kioskläge.', en: 'This station is not in kiosk mode.' });
      const user = userByBadge(ctx.store, i.badge.trim().toUpperCase());
      if (!user) throw new DepotError('kiosk.unknown_badge', { sv: 'Okänd bricka. Kontakta Hjälpmedelscentralen för att få behörighet.', en: 'Unknown badge. Contact the assistive-device centre for access.' });
      requireUnlocked(ctx.store, user.id, ctx.now());
      // A new badge ends whatever visit was under way: the kiosk has one visitor at a time.
      ctx.sessions.closeKiosk();
      const session = ctx.sessions.open(user, { kiosk: true });
      ctx.workflows.startKioskVisit(user.id);
      return { session: session.token, user };
    },
  }),

  'kiosk.withdraw': handler({
    input: z
      .object({
        direction: z.enum(['take', 'return']),
        orderRef: z.string().min(1).max(ORDER_REF_MAX),
        lines: z.array(z.object({ articleId: id, individualId: id.nullish(), lot: z.string().max(64).nullish(), quantity: z.number().int().positive().max(KIOSK_LINE_QUANTITY) }).strict()).min(1).max(KIOSK_LINES),
      })
      .strict(),
    run: (ctx, i) => {
      if (!ctx.session?.kiosk)
        throw new DepotError('kiosk.badge_only', {
          sv: 'Uttag i kiosken registreras med bricka på kioskens startskärm.',
          en: "Kiosk withdrawals are registered with a badge on the kiosk's start screen.",
        });
      const posted = kioskWithdraw(ctx.store, actor(ctx), i);
      return announcePosted(ctx, posted);
    },
  }),

  /** A scan typed by a keyboard-wedge scanner at the kiosk, resolved like any other. */
  'kiosk.scan': handler({
    input: wedgeScan,
    run: (ctx, i) => ctx.scanning.submitFromKeyboard(i.raw, { userId: ctx.session!.userId, role: ctx.session!.role, kiosk: ctx.session!.kiosk === true }, wedgeOptions(i)),
  }),

  /** Someone is still at the kiosk (a touch, a key, a scan the screen took itself): the session stays open. */
  'kiosk.touch': handler({ input: z.object({}).strict(), run: (ctx) => ({ open: true, name: ctx.session!.name }) }),

  'kiosk.finish': handler({
    input: z.object({}).strict(),
    run: (ctx) => {
      ctx.sessions.close(ctx.session!.token);
      return { finished: true };
    },
  }),
};
