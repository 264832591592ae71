import { z } from 'zod';
import { computeSuggestions } from '../../db/replenishment/suggestions';
import { createPurchaseOrders, createRefillOrders, openPurchaseOrders, waitingAtGoodsIn } from '../../db/replenishment/orders';
import { reorderSettingsFor, saveReorderSetting, siteFigures, stockHistory, transfers } from '../../db/replenishment/dashboard';
import { MAX_QUANTITY } from '../../db/stock/rules';
import { actor, handler } from '../context';

const id = z.string().min(1).max(64);
const windowDays = z.number().int().min(7).max(365).default(90);
/** Quantities set on suggested lines before they are ordered. */
const quantities = z.array(z.object({ articleId: id, quantity: z.number().int().min(0).max(MAX_QUANTITY) }).strict()).max(2000).optional();
const chosen = (q: { articleId: string; quantity: number }[] | undefined) => (q ? new Map(q.map((l) => [l.articleId, l.quantity])) : undefined);

export const replenishmentHandlers = {
  'replenishment.suggestions': handler({
    // Depot staff see what is coming to them too.
    input: z.object({ windowDays }).strict(),
    run: (ctx, i) => computeSuggestions(ctx.store, { windowDays: i.windowDays }),
  }),

  /** Orders the suggested refills; `quantities` changes a suggested line's quantity first (0 leaves it out). */
  'replenishment.orderRefills': handler({
    input: z.object({ siteIds: z.array(id).max(100).optional(), quantities }).strict(),
    run: (ctx, i) => createRefillOrders(ctx.store, actor(ctx), i.siteIds, undefined, chosen(i.quantities)),
  }),

  /** Orders the suggested purchases; `quantities` changes a suggested line's quantity first (0 leaves it out). */
  'replenishment.orderPurchases': handler({
    input: z.object({ suppliers: z.array(z.string().min(1).max(120)).max(100).optional(), quantities }).strict(),
    run: (ctx, i) => createPurchaseOrders(ctx.store, actor(ctx), i.suppliers, undefined, chosen(i.quantities)),
  }),

  /** Purchase orders still to be received in full, and what stands at goods-in waiting to be put away. */
  'replenishment.inbound': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ purchaseOrders: openPurchaseOrders(ctx.store), goodsIn: waitingAtGoodsIn(ctx.store) }),
  }),

  'replenishment.dashboard': handler({
    input: z.object({ windowDays }).strict(),
    run: (ctx, i) => siteFigures(ctx.store, computeSuggestions(ctx.store, { windowDays: i.windowDays })),
  }),

  'replenishment.stockHistory': handler({
    input: z.object({ articleId: id, siteId: id, days: z.number().int().min(7).max(730).default(180) }).strict(),
    run: (ctx, i) => stockHistory(ctx.store, i.articleId, i.siteId, i.days),
  }),

  /** Pallets between sites and their differences, the same list at the sending and the receiving end. */
  'replenishment.transfers': handler({ input: z.object({ days: z.number().int().min(1).max(365).default(30) }).strict(), run: (ctx, i) => transfers(ctx.store, i.days) }),

  'reorder.settings': handler({ input: z.object({ articleId: id }).strict(), run: (ctx, i) => reorderSettingsFor(ctx.store, i.articleId) }),

  'reorder.save': handler({
    input: z
      .object({
        articleId: id,
        siteId: id,
        stockArticle: z.boolean(),
        reorderPoint: z.number().int().min(0).max(1_000_000),
        safetyStock: z.number().int().min(0).max(1_000_000),
        maxStock: z.number().int().min(0).max(1_000_000),
        leadDays: z.number().int().min(0).max(365),
        orderQuantity: z.number().int().min(0).max(1_000_000),
      })
      .strict(),
    run: (ctx, i) => {
      saveReorderSetting(ctx.store, i);
      return reorderSettingsFor(ctx.store, i.articleId);
    },
  }),
};
