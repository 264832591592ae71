import { z } from 'zod';
import { audit } from '../../db/audit';
import { getSetting, putSetting } from '../../db/settings';
import { APP_VERSION } from '../../vocabulary/version';
import { IDLE_KEY, IDLE_MINUTES_DEFAULT, handler } from '../context';

export { APP_VERSION };

export const stationHandlers = {
  'station.info': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ ...ctx.station, setUp: ctx.station.id !== '', appVersion: APP_VERSION, damaged: ctx.damaged?.userMessage ?? null }),
  }),

  /** How long the station stays signed in without use; a supervisor sets it (1 to 480 minutes). */
  'station.idle': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ minutes: getSetting<number>(ctx.store, IDLE_KEY, IDLE_MINUTES_DEFAULT) }),
  }),
  'station.setIdle': handler({
    input: z.object({ minutes: z.number().int().min(1).max(480) }).strict(),
    run: (ctx, i) => {
      putSetting(ctx.store, IDLE_KEY, i.minutes);
      audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'station.setIdle', entity: 'station', entityId: ctx.station.id, detail: i });
      return { minutes: i.minutes };
    },
  }),
};
