import { z } from 'zod';
import { individualLabelData, locationLabelData, locationRange, returnLabelData } from '../../db/labels/data';
import { LABEL_SIZES, individualLabel, locationLabel, returnLabel } from '../../vocabulary/zpl';
import { labelPreview } from '../../documents/labels';
import { handler, type HandlerContext } from '../context';
import { askStatus } from '../../drivers/printer/transport';
import { DepotError } from '../../vocabulary/errors';

const id = z.string().min(1).max(64);

const connection = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tcp'), host: z.string().min(1).max(255), port: z.number().int().min(1).max(65535) }).strict(),
  z.object({ kind: z.literal('serial'), path: z.string().min(1).max(300), baudRate: z.number().int().min(300).max(921_600) }).strict(),
]);

export const printerProfile = z
  .object({
    id,
    name: z.string().min(1).max(80),
    connection,
    dpi: z.union([z.literal(203), z.literal(300)]),
    labelSize: z.object({ widthMm: z.number().min(10).max(220), heightMm: z.number().min(10).max(400) }).strict(),
    kinds: z.array(z.enum(['individual', 'location', 'pallet', 'return', 'test'])).max(5),
  })
  .strict();

/** Puts labels in the queue for the printer that takes their kind. */
export function queue(ctx: HandlerContext, kind: keyof typeof LABEL_SIZES, labels: { title: string; zpl: (dpi: 203 | 300) => string }[], printerId?: string | null) {
  const printer = ctx.printing.printerFor(kind, printerId);
  return labels.map((l) => ctx.printing.enqueue({ printerId: printer.id, kind, title: l.title, zpl: l.zpl(printer.dpi), userId: ctx.session!.userId }));
}

export const printHandlers = {
  'printers.list': handler({ input: z.object({}).strict(), run: (ctx) => ctx.printing.printers() }),
  'printers.save': handler({
    input: z.object({ printers: z.array(printerProfile).max(16) }).strict(),
    run: (ctx, i) => {
      ctx.printing.savePrinters(i.printers);
      return ctx.printing.printers();
    },
  }),
  'printers.status': handler({
    input: z.object({ printerId: id }).strict(),
    run: async (ctx, i) => {
      const p = ctx.printing.printers().find((x) => x.id === i.printerId);
      if (!p) throw new DepotError('print.no_printer', { sv: 'Skrivaren finns inte.', en: 'The printer does not exist.' });
      return askStatus(p.connection, { timeoutMs: 2000 });
    },
  }),
  'printers.test': handler({ input: z.object({ printerId: id }).strict(), run: (ctx, i) => ctx.printing.testPrint(i.printerId, ctx.session!.userId) }),

  'print.jobs': handler({ input: z.object({}).strict(), run: (ctx) => ctx.printing.jobs() }),
  'print.reprint': handler({ input: z.object({ jobId: id }).strict(), run: (ctx, i) => ctx.printing.reprint(i.jobId, ctx.session!.userId) }),
  'print.cancel': handler({ input: z.object({ jobId: id }).strict(), run: (ctx, i) => ctx.printing.cancel(i.jobId) }),
  /** Exactly what the job prints, as PNG images. */
  'print.preview': handler({
    input: z.object({ jobId: id }).strict(),
    run: async (ctx, i) => {
      const job = ctx.printing.job(i.jobId);
      const zpl = ctx.printing.zplOf(i.jobId);
      if (!job || !zpl) throw new DepotError('print.unknown_job', { sv: 'Utskriften finns inte.', en: 'The print job does not exist.' });
      const printer = ctx.printing.printers().find((p) => p.id === job.printerId);
      const size = printer?.labelSize ?? LABEL_SIZES[job.kind as keyof typeof LABEL_SIZES] ?? LABEL_SIZES.individual;
      return labelPreview(zpl, size, printer?.dpi ?? 203);
    },
  }),

  /** Any label's ZPL rendered as it will print, for previews before a job exists. */
  'labels.render': handler({
    input: z.object({ zpl: z.string().min(1).max(200_000), kind: z.enum(['individual', 'location', 'pallet', 'return']), dpi: z.union([z.literal(203), z.literal(300)]).optional() }).strict(),
    run: (_ctx, i) => labelPreview(i.zpl, LABEL_SIZES[i.kind], i.dpi ?? 203),
  }),
  'labels.individual': handler({
    input: z.object({ individualIds: z.array(id).min(1).max(500), printerId: id.nullish() }).strict(),
    run: (ctx, i) =>
      queue(
        ctx,
        'individual',
        i.individualIds.map((x) => {
          const d = individualLabelData(ctx.store, x);
          return { title: `Individ ${d.individualNumber}`, zpl: (dpi) => individualLabel(d, dpi) };
        }),
        i.printerId,
      ),
  }),
  'labels.locations': handler({
    input: z.object({ fromCode: z.string().min(1).max(40), toCode: z.string().min(1).max(40).optional(), printerId: id.nullish() }).strict(),
    run: (ctx, i) => {
      const rows = i.toCode ? locationRange(ctx.store, i.fromCode.toUpperCase(), i.toCode.toUpperCase()) : [locationLabelData(ctx.store, i.fromCode.toUpperCase())];
      return queue(ctx, 'location', rows.map((d) => ({ title: `Plats ${d.code}`, zpl: (dpi) => locationLabel(d, dpi) })), i.printerId);
    },
  }),
  'labels.return': handler({
    input: z.object({ individualId: id, pickupOrder: z.string().min(1).max(40), pickupPoint: z.string().min(1).max(120), municipality: z.string().min(1).max(60), printerId: id.nullish() }).strict(),
    run: (ctx, i) => {
      const d = returnLabelData(ctx.store, i.individualId, i.pickupOrder, i.pickupPoint, i.municipality);
      return queue(ctx, 'return', [{ title: `Retur ${d.individualNumber}`, zpl: (dpi) => returnLabel(d, dpi) }], i.printerId);
    },
  }),
};
