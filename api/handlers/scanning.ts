import { z } from 'zod';
import { audit } from '../../db/audit';
import { handler } from '../context';

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

/**
 * A keyboard-wedge scan from a screen: what it typed, the key that came alone just before it (perhaps
 * its first), and whether it came into a text field (then it is a scan only if the station knows it).
 */
export const wedgeScan = z.object({ raw: z.string().min(1).max(4000), lead: z.string().length(1).optional(), ifKnown: z.boolean().optional() }).strict();

export const wedgeOptions = (i: z.infer<typeof wedgeScan>) => ({ ...(i.lead ? { lead: i.lead } : {}), ...(i.ifKnown ? { ifKnown: true } : {}) });

export const scanHandlers = {
  /**
   * A keyboard-wedge scan from a screen: decoded, resolved and sent on like any other scan, and to
   * the caller's open workflow session. It audits itself: what a session posts is audited where it
   * is posted, and a session's row is the screen's working memory, not a record.
   */
  'scan.submit': handler({
    input: wedgeScan,
    run: async (ctx, i) => ctx.scanning.submitFromKeyboard(i.raw, { userId: ctx.session!.userId, role: ctx.session!.role }, wedgeOptions(i)),
  }),

  'scanners.overview': handler({
    input: z.object({}).strict(),
    run: (ctx) => ctx.scanning.overview(),
  }),

  'scanners.save': handler({
    input: z.object({ scanners: z.array(scannerSetting).max(16) }).strict(),
    run: async (ctx, i) => {
      audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'scanners.save', entity: 'station', entityId: ctx.station.id, detail: i.scanners });
      return { states: await ctx.scanning.save(i.scanners) };
    },
  }),
};
