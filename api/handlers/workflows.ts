import { z } from 'zod';
import { moveStock } from '../../db/workflows/moving';
import { orderRoute, pick, pickList, routesAndDays } from '../../db/workflows/picking';
import { suggestLocation } from '../../db/workflows/putaway';
import { purchaseOrder, receive } from '../../db/workflows/receiving';
import { componentsOf, returnIndividual } from '../../db/workflows/returns';
import { DepotError } from '../../vocabulary/errors';
import { individualLabelData, markLabelSent } from '../../db/labels/data';
import { individualLabel } from '../../vocabulary/zpl';
import { individualById, siteZone } from '../../db/workflows/common';
import { undoMovements } from '../../db/workflows/undo';
import { actor, ALL_STAFF, announcePosted, handler, type HandlerContext } from '../context';

const id = z.string().min(1).max(64);
const day = z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/);
const quantity = z.number().int().positive().max(100_000);


/** New individuals get their labels printed at once where a printer is set up; otherwise they wait in label_jobs. */
function printNewLabels(ctx: HandlerContext, individualIds: string[]): number {
  if (individualIds.length === 0 || ctx.printing.printers().length === 0) return 0;
  const printer = ctx.printing.printerFor('individual');
  for (const individualId of individualIds) {
    const d = individualLabelData(ctx.store, individualId);
    ctx.printing.enqueue({ printerId: printer.id, kind: 'individual', title: `Individ ${d.individualNumber}`, zpl: individualLabel(d, printer.dpi), userId: ctx.session!.userId });
    markLabelSent(ctx.store, individualId);
  }
  return individualIds.length;
}

const move = z
  .object({ articleId: id, individualId: id.nullish(), lot: z.string().max(64).nullish(), quantity, fromLocationId: id.nullish(), toLocationId: id })
  .strict();

/** Where the goods are now: the location given, the individual's own, or (for putaway) goods in. */
function fromLocation(ctx: HandlerContext, i: { individualId?: string | null; fromLocationId?: string | null }, fallback: 'goods_in' | null): string {
  if (i.fromLocationId) return i.fromLocationId;
  if (i.individualId) {
    const at = individualById(ctx.store, i.individualId).locationId;
    if (at) return at;
  }
  if (fallback) return siteZone(ctx.store, ctx.station.siteId, fallback).id;
  throw new DepotError('workflow.from_unknown', { sv: 'Skanna platsen varan står på först.', en: 'Scan the location the goods are at first.' }, 'fromLocationId');
}

export const workflowHandlers = {
  'receiving.order': handler({ access: ALL_STAFF, input: z.object({ poNumber: z.string().min(1).max(40) }).strict(), run: (ctx, i) => purchaseOrder(ctx.store, i.poNumber) }),

  'receiving.receive': handler({
    access: ALL_STAFF,
    input: z
      .object({
        poNumber: z.string().min(1).max(40),
        articleId: id,
        quantity,
        lot: z.string().max(20).nullish(),
        expiresOn: day.nullish(),
        serialNumber: z.string().max(30).nullish(),
        udi: z.string().max(120).nullish(),
      })
      .strict(),
    run: (ctx, i) => {
      const r = receive(ctx.store, actor(ctx), i);
      return { ...announcePosted(ctx, r.movements), individuals: r.individuals, line: r.line, over: r.over, labelsQueued: printNewLabels(ctx, r.individuals.map((x) => x.id)) };
    },
  }),

  'putaway.suggest': handler({
    access: ALL_STAFF,
    input: z.object({ articleId: id }).strict(),
    run: (ctx, i) => suggestLocation(ctx.store, ctx.station.siteId, i.articleId),
  }),

  'putaway.putAway': handler({
    access: ALL_STAFF,
    input: move,
    run: (ctx, i) => announcePosted(ctx, moveStock(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, 'goods_in') }, 'put_away')),
  }),
  'move.move': handler({
    access: ALL_STAFF,
    input: move,
    run: (ctx, i) => announcePosted(ctx, moveStock(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, null) }, 'move')),
  }),

  'picking.orderRoute': handler({
    access: ALL_STAFF,
    input: z.object({ orderRef: z.string().min(1).max(40) }).strict(),
    run: (ctx, i) => orderRoute(ctx.store, ctx.station.siteId, i.orderRef),
  }),
  'picking.routes': handler({ access: ALL_STAFF, input: z.object({}).strict(), run: (ctx) => routesAndDays(ctx.store, ctx.station.siteId) }),
  'picking.list': handler({
    access: ALL_STAFF,
    input: z.object({ route: z.string().min(1).max(80), deliveryDay: day }).strict(),
    run: (ctx, i) => pickList(ctx.store, ctx.station.siteId, i.route, i.deliveryDay),
  }),
  'picking.pick': handler({
    access: ALL_STAFF,
    input: z
      .object({ orderRef: z.string().min(1).max(40), articleId: id, fromLocationId: id.nullish(), individualId: id.nullish(), quantity, lot: z.string().max(64).nullish() })
      .strict(),
    run: (ctx, i) => {
      const r = pick(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, null) });
      return { ...announcePosted(ctx, r.movements), notProposed: r.notProposed };
    },
  }),

  'returns.components': handler({
    access: ALL_STAFF,
    input: z.object({ individualId: id }).strict(),
    run: (ctx, i) => componentsOf(ctx.store, individualById(ctx.store, i.individualId).articleId),
  }),
  'returns.receive': handler({
    access: ALL_STAFF,
    input: z
      .object({
        individualId: id,
        returnedOn: day.optional(),
        orderRef: z.string().max(40).nullish(),
        missing: z.array(z.string().max(80)).max(50),
        priority: z.enum(['acute', 'urgent', 'normal']).optional(),
      })
      .strict(),
    run: (ctx, i) => announcePosted(ctx, [returnIndividual(ctx.store, actor(ctx), i).movement]),
  }),

  'workflow.undo': handler({
    access: ALL_STAFF,
    input: z.object({ movementIds: z.array(id).min(1).max(1000) }).strict(),
    run: (ctx, i) => announcePosted(ctx, undoMovements(ctx.store, actor(ctx), i.movementIds)),
  }),
};
