import { z } from 'zod';
import { handler } from '../handler';

export const APP_VERSION = '0.1.0';

export const stationHandlers = {
  'station.info': handler({
    access: 'public',
    input: z.object({}).strict(),
    run: (ctx) => ({ ...ctx.station, setUp: ctx.station.id !== '', appVersion: APP_VERSION, damaged: ctx.damaged?.userMessage ?? null }),
  }),
};
