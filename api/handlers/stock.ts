import { z } from 'zod';
import { TRACKING } from '../../vocabulary/domain';
import { equivalenceGroups, saveArticle } from '../../db/stock/articles';
import { MOVEMENT_REASONS } from '../../db/schema';
import { postMovements } from '../../db/stock/ledger';
import { MAX_QUANTITY } from '../../db/stock/rules';
import { listSites, overview, reconditioningQueue, siteStock } from '../../db/stock/overview';
import { articleDetail, individualDetail, locationDetail } from '../../db/stock/details';
import { search } from '../../db/stock/search';
import { resolveCode } from '../../db/stock/resolve';
import { linkGtin } from '../../db/stock/gtins';
import { rentalPeriods, rentalRows, rentalSummary } from '../../db/stock/rentals';
import { csv } from '../../db/csv';
import { rentalBook } from '../../documents/workbook';
import { actor, announcePosted, dataUrl, handler } from '../context';

const id = z.string().min(1).max(64);
const byId = z.object({ id }).strict();

export const MAX_BATCH = 10_000;

const movement = z
  .object({
    articleId: id,
    individualId: id.nullish(),
    lot: z.string().max(64).nullish(),
    fromLocationId: id.nullish(),
    toLocationId: id.nullish(),
    quantity: z.number().int().positive().max(MAX_QUANTITY),
    reason: z.enum(MOVEMENT_REASONS),
    orderRef: z.string().max(64).nullish(),
    occurredAt: z.number().int().positive().optional(),
  })
  .strict();

const rentalQuery = z.object({ month: z.string().length(7).regex(/^20\d{2}-(0[1-9]|1[0-2])$/), municipality: z.string().min(1).max(60).nullish() });

export const stockHandlers = {
  /** Links a GTIN no article has (met at goods receipt) to an article; it reaches every station through the register. */
  'stock.linkGtin': handler({
    input: z.object({ gtin: z.string().min(1).max(20), articleId: z.string().min(1).max(64) }).strict(),
    run: (ctx, i) => linkGtin(ctx.store, actor(ctx), i),
  }),
  /** The rental periods touching a month: each municipality's count and days, and the first periods of the one chosen. */
  'rentals.list': handler({ input: rentalQuery.strict(), run: (ctx, i) => rentalSummary(ctx.store, i.month, i.municipality) }),
  /** The same as a file: CSV as Swedish spreadsheets open it, or XLSX. */
  'rentals.export': handler({
    input: rentalQuery.extend({ format: z.enum(['csv', 'xlsx']) }).strict(),
    run: async (ctx, i) => {
      const periods = rentalPeriods(ctx.store, i.month, i.municipality);
      const fileName = `hyror-${i.month}${i.municipality ? `-${i.municipality.replace(/[^\p{L}\p{N}]+/gu, '-')}` : ''}.${i.format}`;
      if (i.format === 'csv') return { fileName, url: dataUrl('csv', csv(rentalRows(periods))) };
      return { fileName, url: dataUrl('xlsx', await rentalBook(periods)) };
    },
  }),
  'stock.search': handler({
    input: z
      .object({
        text: z.string().max(200),
        cursor: z.object({ branch: z.number().int().min(0).max(10), after: z.array(z.string().max(200)).max(4) }).nullish(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    run: (ctx, i) => search(ctx.store, i.text, i.cursor ?? null, i.limit ?? 50),
  }),

  /**
   * What a typed or scanned code names, decoded and resolved like a scan (no scan event). A device
   * a depot's own copy does not hold is asked of the register first.
   */
  'stock.resolve': handler({
    input: z.object({ code: z.string().max(500) }).strict(),
    run: async (ctx, i) => {
      const r = resolveCode(ctx.store, i.code);
      if (r.kind === 'unknown' && r.notHeld && (await ctx.sync.fetchDevice(r.notHeld))) return resolveCode(ctx.store, i.code);
      return r;
    },
  }),

  'stock.article': handler({ input: byId, run: (ctx, i) => articleDetail(ctx.store, i.id) }),
  /** Creates or changes an article (a supervisor's): what it is, how it is followed, its barcodes and its equivalence group; it reaches every station. */
  'stock.saveArticle': handler({
    input: z
      .object({
        id: z.string().min(1).max(64).nullish(),
        articleNumber: z.string().max(64),
        name: z.string().max(400),
        isoCode: z.string().max(12),
        supplier: z.string().max(200),
        unit: z.string().max(24),
        purchasePrice: z.number().int(),
        rentable: z.boolean(),
        tracking: z.enum(TRACKING),
        equivalenceGroup: z.string().max(120).nullish(),
        gtins: z.array(z.string().max(20)).max(40),
        hibc: z.array(z.string().max(40)).max(40),
      })
      .strict(),
    run: (ctx, i) => saveArticle(ctx.store, actor(ctx), i),
  }),
  /** The equivalence groups in use, with how many articles each has. */
  'stock.equivalenceGroups': handler({ input: z.object({}).strict(), run: (ctx) => equivalenceGroups(ctx.store) }),
  'stock.individual': handler({ input: byId, run: (ctx, i) => individualDetail(ctx.store, i.id) }),
  'stock.location': handler({ input: byId, run: (ctx, i) => locationDetail(ctx.store, i.id) }),

  /**
   * The generic posting call, for integrations: admins only, moves between this site's places
   * only, audited by the core and validated like every posting. Every other reason is booked
   * through the workflow that owns it.
   */
  'stock.post': handler({
    input: z.object({ movements: z.array(movement).min(1).max(MAX_BATCH) }).strict(),
    run: (ctx, i) => {
      const posted = postMovements(ctx.store, actor(ctx), i.movements, 'integration');
      announcePosted(ctx, posted);
      return { posted: posted.map((m) => ({ id: m.id, seq: m.seq })) };
    },
  }),

  'stock.sites': handler({ input: z.object({}).strict(), run: (ctx) => listSites(ctx.store) }),

  'stock.siteStock': handler({
    input: z.object({ siteId: id }).strict(),
    run: (ctx, i) => siteStock(ctx.store, i.siteId),
  }),

  'queue.reconditioning': handler({
    input: z
      .object({
        after: z.object({ since: z.number().int(), id }).nullish(),
        limit: z.number().int().min(1).max(500).optional(),
      })
      .strict(),
    run: (ctx, i) => reconditioningQueue(ctx.store, i.after ?? null, i.limit ?? 100),
  }),

  'supervisor.overview': handler({ input: z.object({}).strict(), run: (ctx) => overview(ctx.store) }),
};
