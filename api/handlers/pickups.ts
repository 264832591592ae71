import { z } from 'zod';
import { returnLabelData } from '../../db/labels/data';
import { cancelPickup, collectionDays, collectionList, deviceByCode, markReturnLabelPrinted, orderPickup, pickupOrder } from '../../db/workflows/pickups';
import { returnLabel } from '../../vocabulary/zpl';
import { actor, handler, type HandlerContext } from '../context';
import { queue } from './printing';

const id = z.string().min(1).max(64);
const day = z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/);
const text = (max: number) => z.string().max(max).nullish();

/** Prints the pick-up's return label (returlapp) and notes that it was printed. */
function printReturnLabel(ctx: HandlerContext, pickupId: string, printerId?: string | null) {
  const p = pickupOrder(ctx.store, pickupId);
  const d = returnLabelData(ctx.store, p.individualId, p.number, p.pickupPoint, p.municipality);
  const jobs = queue(ctx, 'return', [{ title: `Returlapp ${p.number}`, zpl: (dpi) => returnLabel(d, dpi) }], printerId);
  markReturnLabelPrinted(ctx.store, p.id);
  return { pickup: pickupOrder(ctx.store, p.id), jobs };
}

export const pickupHandlers = {
  /** A pick-up ordered for a device on loan: collected on its route's next collection day. */
  'pickups.order': handler({
    input: z.object({ individual: z.string().min(1).max(64), pickupPoint: text(120), municipality: text(60), route: text(80) }).strict(),
    run: (ctx, i) => orderPickup(ctx.store, actor(ctx), { ...i, individualId: deviceByCode(ctx.store, i.individual) }),
  }),
  /** The collection days with their routes, and the collection list of one day (and route). */
  'pickups.list': handler({
    input: z.object({ collectionDay: day.nullish(), route: z.string().min(1).max(80).nullish() }).strict(),
    run: (ctx, i) => {
      const days = collectionDays(ctx.store, ctx.station.siteId);
      const chosen = i.collectionDay ?? days[0]?.collectionDay ?? null;
      return { days, collectionDay: chosen, pickups: chosen ? collectionList(ctx.store, ctx.station.siteId, chosen, i.route) : [] };
    },
  }),
  'pickups.cancel': handler({
    input: z.object({ pickupId: id }).strict(),
    run: (ctx, i) => cancelPickup(ctx.store, actor(ctx), i.pickupId),
  }),
  /** The return label (returlapp) of a pick-up, to the printer that takes return labels. */
  'pickups.label': handler({
    input: z.object({ pickupId: id, printerId: id.nullish() }).strict(),
    run: (ctx, i) => printReturnLabel(ctx, i.pickupId, i.printerId),
  }),
};
