import { z } from 'zod';
import { moveStock } from '../../db/workflows/moving';
import { orderRoute, pick, pickList, routesAndDays } from '../../db/workflows/picking';
import { suggestLocation } from '../../db/workflows/putaway';
import { purchaseOrder, receive, RECEIPT_TEXT_LIMITS } from '../../db/workflows/receiving';
import { componentsOf, returnIndividual } from '../../db/workflows/returns';
import { individualById } from '../../db/workflows/common';
import { MAX_STEP_QUANTITY, fromLocation as whereNow } from '../../db/workflows/effects';
import { KIOSK_LINE_QUANTITY, ORDER_REF_MAX } from '../../vocabulary/domain';
import { WORKFLOWS } from '../../db/workflows/machines/table';
import { undoMovements } from '../../db/workflows/undo';
import { DISPOSALS } from '../../db/service/jobs';
import { printIndividualLabels } from '../../services/workflows';
import { actor, announcePosted, handler, type HandlerContext } from '../context';

const id = z.string().min(1).max(64);
const day = z.string().length(10).regex(/^\d{4}-\d{2}-\d{2}$/);
const quantity = z.number().int().positive().max(MAX_STEP_QUANTITY);

const printNewLabels = (ctx: HandlerContext, individualIds: string[]) => printIndividualLabels(ctx.store, ctx.printing, ctx.session!.userId, individualIds);
const fromLocation = (ctx: HandlerContext, i: { individualId?: string | null; fromLocationId?: string | null }, fallback: 'goods_in' | null) =>
  whereNow(ctx.store, ctx.station.siteId, i, fallback);

const workflow = z.enum(WORKFLOWS);
/** A workshop step from the screen, with what `service.step` takes besides the device (the shelf of a release comes by scan). */
const serviceStep = z
  .object({
    kind: z.literal('serviceStep'),
    action: z.discriminatedUnion('kind', [
      z.object({ kind: z.enum(['send_to_cleaning', 'clean', 'start_repair', 'finish_repair', 'send_to_supplier', 'back_from_supplier', 'release', 'scrap']) }).strict(),
      z.object({ kind: z.literal('inspect'), passed: z.boolean() }).strict(),
    ]),
    answers: z.array(z.object({ questionId: z.string().min(1).max(40), ok: z.boolean(), note: z.string().max(300).nullish() }).strict()).max(60).optional(),
    hours: z.number().int().min(0).max(1_000_000).nullish(),
    fault: z.string().max(1000).nullish(),
    actions: z.string().max(2000).nullish(),
    scrap: z.object({ reason: z.string().max(300), disposal: z.enum(DISPOSALS) }).strict().nullish(),
    claim: z.string().max(64).nullish(),
  })
  .strict();
/** What a screen sends a session: a command (the undo button, a confirm button…) or a value typed, chosen or ticked. Scans come by `scan.submit`. */
const sessionInput = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('command'), command: z.enum(['confirm', 'cancel', 'undo', 'done']) }).strict(),
  z.object({ kind: z.literal('quantity'), quantity: quantity.nullable() }).strict(),
  z.object({ kind: z.literal('route'), route: z.string().min(1).max(80), deliveryDay: day }).strict(),
  z.object({ kind: z.literal('component'), name: z.string().min(1).max(80), present: z.boolean() }).strict(),
  z.object({ kind: z.literal('returnedOn'), day: day.nullable() }).strict(),
  z.object({ kind: z.literal('missing'), itemId: id }).strict(),
  z.object({ kind: z.literal('deliveryPoint'), deliveryPoint: z.string().min(1).max(120), municipality: z.string().min(1).max(60) }).strict(),
  z.object({ kind: z.literal('count'), countId: id }).strict(),
  z.object({ kind: z.literal('start'), locationId: id }).strict(),
  z.object({ kind: z.literal('direction'), direction: z.enum(['take', 'return']) }).strict(),
  z.object({ kind: z.literal('orderRef'), ref: z.string().max(ORDER_REF_MAX) }).strict(),
  z.object({ kind: z.literal('line'), key: id, quantity: z.number().int().min(0).max(KIOSK_LINE_QUANTITY) }).strict(),
  z.object({ kind: z.literal('serviceSelect'), individualId: id }).strict(),
  serviceStep,
  z.object({ kind: z.literal('serviceWorkOrder'), workOrderId: id }).strict(),
  z.object({ kind: z.literal('washOpen'), cabinet: z.string().trim().min(1).max(40), method: z.string().trim().min(1).max(80) }).strict(),
  z.object({ kind: z.literal('washClose') }).strict(),
  z.object({ kind: z.literal('refresh') }).strict(),
]);
const user = (ctx: HandlerContext) => ({ userId: ctx.session!.userId, role: ctx.session!.role, kiosk: ctx.session!.kiosk === true });


const move = z
  .object({ articleId: id, individualId: id.nullish(), lot: z.string().max(64).nullish(), quantity, fromLocationId: id.nullish(), toLocationId: id })
  .strict();

export const workflowHandlers = {
  'receiving.order': handler({ input: z.object({ poNumber: z.string().min(1).max(40) }).strict(), run: (ctx, i) => purchaseOrder(ctx.store, i.poNumber) }),

  'receiving.receive': handler({
    input: z
      .object({
        poNumber: z.string().min(1).max(40),
        articleId: id,
        quantity,
        lot: z.string().max(RECEIPT_TEXT_LIMITS.lot).nullish(),
        expiresOn: day.nullish(),
        serialNumber: z.string().max(RECEIPT_TEXT_LIMITS.serialNumber).nullish(),
        udi: z.string().max(RECEIPT_TEXT_LIMITS.udi).nullish(),
      })
      .strict(),
    run: (ctx, i) => {
      const r = receive(ctx.store, actor(ctx), i);
      return { ...announcePosted(ctx, r.movements), individuals: r.individuals, line: r.line, over: r.over, labelsQueued: printNewLabels(ctx, r.individuals.map((x) => x.id)) };
    },
  }),

  'putaway.suggest': handler({
    input: z.object({ articleId: id }).strict(),
    run: (ctx, i) => suggestLocation(ctx.store, ctx.station.siteId, i.articleId),
  }),

  'putaway.putAway': handler({
    input: move,
    run: (ctx, i) => announcePosted(ctx, moveStock(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, 'goods_in') }, 'put_away')),
  }),
  'move.move': handler({
    input: move,
    run: (ctx, i) => announcePosted(ctx, moveStock(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, null) }, 'move')),
  }),

  'picking.orderRoute': handler({
    input: z.object({ orderRef: z.string().min(1).max(40) }).strict(),
    run: (ctx, i) => orderRoute(ctx.store, ctx.station.siteId, i.orderRef),
  }),
  'picking.routes': handler({ input: z.object({}).strict(), run: (ctx) => routesAndDays(ctx.store, ctx.station.siteId) }),
  'picking.list': handler({
    input: z.object({ route: z.string().min(1).max(80), deliveryDay: day }).strict(),
    run: (ctx, i) => pickList(ctx.store, ctx.station.siteId, i.route, i.deliveryDay),
  }),
  'picking.pick': handler({
    input: z
      .object({ orderRef: z.string().min(1).max(40), articleId: id, fromLocationId: id.nullish(), individualId: id.nullish(), quantity, lot: z.string().max(64).nullish() })
      .strict(),
    run: (ctx, i) => {
      const r = pick(ctx.store, actor(ctx), { ...i, fromLocationId: fromLocation(ctx, i, null) });
      return { ...announcePosted(ctx, r.movements), notProposed: r.notProposed };
    },
  }),

  'returns.components': handler({
    input: z.object({ individualId: id }).strict(),
    run: (ctx, i) => componentsOf(ctx.store, individualById(ctx.store, i.individualId).articleId),
  }),
  'returns.receive': handler({
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

  // A session's row is the screen's working memory, not a record: these calls write no call entry
  // to the audit trail (they run as calls that audit themselves), and every step a session posts
  // gets its own entry, in the same transaction, from the runner (db/workflows/effects.ts).
  'workflow.open': handler({
    input: z.object({ workflow }).strict(),
    run: async (ctx, i) => ctx.workflows.open(user(ctx), i.workflow),
  }),
  'workflow.input': handler({
    /** `seen`: the `rev` of the state the screen showed (a command pressed on a screen that was behind is refused). */
    input: z.object({ workflow, input: sessionInput, seen: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).optional() }).strict(),
    run: async (ctx, i) => ctx.workflows.input(user(ctx), i.workflow, i.input, i.seen),
  }),
  'workflow.state': handler({
    input: z.object({ workflow }).strict(),
    run: (ctx, i) => ctx.workflows.view(ctx.session!.userId, i.workflow),
  }),
  'workflow.close': handler({
    input: z.object({ workflow }).strict(),
    run: async (ctx, i) => ctx.workflows.close(ctx.session!.userId, i.workflow),
  }),

  'workflow.undo': handler({
    input: z.object({ movementIds: z.array(id).min(1).max(1000) }).strict(),
    run: (ctx, i) => announcePosted(ctx, undoMovements(ctx.store, actor(ctx), i.movementIds)),
  }),
};
