import { z } from 'zod';
import { audit } from '../../db/audit';
import { ALL_STAFF, handler, SUPERVISORS } from '../context';

const framing = z
  .object({
    suffix: z.enum(['CR', 'LF', 'CRLF', 'ETX', 'none']),
    prefix: z.string().max(8).optional(),
    interByteTimeoutMs: z.number().int().min(5).max(2000).optional(),
  })
  .strict();

const common = { id: z.string().min(1).max(64), name: z.string().min(1).max(80), path: z.string().min(1).max(300), enabled: z.boolean() };

export const scannerSetting = z.discriminatedUnion('kind', [
  z.object({ ...common, kind: z.literal('serial'), baudRate: z.number().int().min(300).max(921_600), framing }).strict(),
  z
    .object({
      ...common,
      kind: z.literal('hid'),
      mode: z.enum(['pos', 'keyboard']),
      posLayout: z.enum(['standard', 'plain']).optional(),
      keyboardLayout: z.enum(['sv', 'us']).optional(),
    })
    .strict(),
]);

export const scanHandlers = {
  /** A keyboard-wedge scan from a screen: decoded, resolved and sent on like any other scan. */
  'scan.submit': handler({
    access: 'signed_in',
    input: z.object({ raw: z.string().min(1).max(4000) }).strict(),
    run: (ctx, i) => ctx.scanning.submitFromKeyboard(i.raw),
  }),

  'scanners.overview': handler({
    access: ALL_STAFF,
    input: z.object({}).strict(),
    run: (ctx) => ctx.scanning.overview(),
  }),

  'scanners.save': handler({
    access: SUPERVISORS,
    input: z.object({ scanners: z.array(scannerSetting).max(16) }).strict(),
    run: async (ctx, i) => {
      audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'scanners.save', entity: 'station', entityId: ctx.station.id, detail: i.scanners });
      return { states: await ctx.scanning.save(i.scanners) };
    },
  }),
};
