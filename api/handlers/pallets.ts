import { z } from 'zod';
import { restockFinish, restockReport, restockScan, restockStart } from '../../db/workflows/restock';
import { getSetting } from '../../db/settings';
import {
  DEFAULT_GS1,
  GS1_KEY,
  addToPallet,
  closePallet,
  deliverPallet,
  deliveries,
  loadList,
  openPallet,
  pallet,
  palletLabelZpl,
  receivePallet,
  removeFromPallet,
  reportMissing,
  saveGs1,
  type Gs1Settings,
  type PalletView,
} from '../../db/workflows/pallets';
import { manifestPdf } from '../../documents/pdf';
import { actor, announcePosted, dataUrl, handler, type HandlerContext } from '../context';

const id = z.string().min(1).max(64);

const labelFor = (ctx: HandlerContext, p: PalletView, dpi: 203 | 300): string => palletLabelZpl(ctx.store, p, dpi);

export const palletHandlers = {
  /** The region's GS1 company prefix and extension digit SSCCs are made from (the register hands it to every station). */
  'settings.gs1': handler({ input: z.object({}).strict(), run: (ctx) => getSetting<Gs1Settings>(ctx.store, GS1_KEY, DEFAULT_GS1) }),
  'settings.saveGs1': handler({
    input: z.object({ companyPrefix: z.string().max(10).regex(/^\d{7,10}$/), extensionDigit: z.number().int().min(0).max(9) }).strict(),
    run: (ctx, i) => saveGs1(ctx.store, actor(ctx), i),
  }),
  'pallets.open': handler({
    input: z.object({ route: z.string().min(1).max(80), deliveryDay: z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/), deliveryPoint: z.string().min(1).max(120), municipality: z.string().min(1).max(60) }).strict(),
    run: (ctx, i) => openPallet(ctx.store, actor(ctx), i),
  }),
  'pallets.get': handler({ input: z.object({ idOrSscc: z.string().min(1).max(64) }).strict(), run: (ctx, i) => pallet(ctx.store, i.idOrSscc) }),
  'pallets.add': handler({
    input: z.object({ palletId: id, articleId: id, individualId: id.nullish(), lot: z.string().max(64).nullish(), quantity: z.number().int().positive().max(10_000), orderRef: z.string().max(40).nullish() }).strict(),
    run: (ctx, i) => addToPallet(ctx.store, actor(ctx), i),
  }),
  'pallets.remove': handler({ input: z.object({ palletId: id, itemId: id }).strict(), run: (ctx, i) => removeFromPallet(ctx.store, ctx.station.siteId, i.palletId, i.itemId) }),
  /**
   * Closes the pallet, ships its contents and prints its label (where a printer is set up). While
   * goods picked for its delivery point are still at dispatch on no pallet, it is refused
   * (`pallets.left_to_load`, naming them) unless `leaveBehind` says the worker confirmed it.
   */
  'pallets.close': handler({
    input: z.object({ palletId: id, leaveBehind: z.boolean().optional() }).strict(),
    run: (ctx, i) => {
      const r = closePallet(ctx.store, actor(ctx), i.palletId, { leaveBehind: i.leaveBehind === true });
      announcePosted(ctx, r.movements);
      const printer = ctx.printing.printerTaking('pallet');
      const job = printer
        ? ctx.printing.enqueue({ printerId: printer.id, kind: 'pallet', title: `Pall ${r.pallet.sscc}`, zpl: labelFor(ctx, r.pallet, printer.dpi), userId: ctx.session!.userId })
        : null;
      return { pallet: r.pallet, labelJobId: job?.id ?? null, labelZpl: labelFor(ctx, r.pallet, printer?.dpi ?? 203) };
    },
  }),
  'pallets.manifest': handler({
    input: z.object({ palletId: id }).strict(),
    run: async (ctx, i) => ({ pdf: dataUrl('pdf', await manifestPdf(pallet(ctx.store, i.palletId))) }),
  }),
  'pallets.loadList': handler({
    input: z.object({ route: z.string().min(1).max(80), deliveryDay: z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    run: (ctx, i) => loadList(ctx.store, ctx.station.siteId, i.route, i.deliveryDay),
  }),
  /** A restocking run starts with the pallet's SSCC: a pallet not to be received here is refused; otherwise its manifest. */
  'restock.start': handler({ input: z.object({ sscc: z.string().length(18).regex(/^\d{18}$/) }).strict(), run: (ctx, i) => restockStart(ctx.store, ctx.station.siteId, i.sscc) }),
  /** A restocking run: what the pallet should hold and what has been scanned in so far. */
  'restock.report': handler({ input: z.object({ sscc: z.string().length(18).regex(/^\d{18}$/) }).strict(), run: (ctx, i) => restockReport(ctx.store, ctx.station.siteId, i.sscc) }),
  'restock.scan': handler({
    input: z
      .object({ sscc: z.string().length(18).regex(/^\d{18}$/), locationId: id, articleId: id, individualId: id.nullish(), lot: z.string().max(64).nullish(), quantity: z.number().int().positive().max(10_000) })
      .strict(),
    run: (ctx, i) => announcePosted(ctx, restockScan(ctx.store, actor(ctx), i)),
  }),
  'restock.finish': handler({ input: z.object({ sscc: z.string().length(18).regex(/^\d{18}$/) }).strict(), run: (ctx, i) => restockFinish(ctx.store, actor(ctx), i.sscc) }),
  /** The customers' pallets of a route and day, by delivery point: closed, waiting to go, or delivered (when and by whom). */
  'deliveries.list': handler({
    input: z.object({ route: z.string().min(1).max(80), deliveryDay: z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/) }).strict(),
    run: (ctx, i) => deliveries(ctx.store, ctx.station.siteId, i.route, i.deliveryDay),
  }),
  /** A customer's pallet delivered at its delivery point (by its SSCC or from the list): its devices are on loan from now. */
  'deliveries.confirm': handler({
    input: z.object({ idOrSscc: z.string().min(1).max(64) }).strict(),
    run: (ctx, i) => {
      const r = deliverPallet(ctx.store, actor(ctx), i.idOrSscc);
      announcePosted(ctx, r.movements);
      return r.pallet;
    },
  }),
  'pallets.receive': handler({
    input: z.object({ sscc: z.string().length(18).regex(/^\d{18}$/) }).strict(),
    run: (ctx, i) => {
      const r = receivePallet(ctx.store, actor(ctx), i.sscc);
      return { pallet: r.pallet, ...announcePosted(ctx, r.movements) };
    },
  }),
  'pallets.reportMissing': handler({
    input: z.object({ palletId: id, itemId: id }).strict(),
    run: (ctx, i) => {
      const r = reportMissing(ctx.store, actor(ctx), i.palletId, i.itemId);
      announcePosted(ctx, r.movements);
      return r.pallet;
    },
  }),
};
