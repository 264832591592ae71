import { z } from 'zod';
import { approveCount, cancelCount, varianceReview } from '../../db/counts/approve';
import { cycleSchedule, startCycleCount } from '../../db/counts/cycle';
import { countArticle, countAt, countIndividual, finishLocation, onCountersList, startLocation, undoCountScan } from '../../db/counts/counting';
import { assignLocations, countHead, countLocations, countProgress, planCount, siteCountIds } from '../../db/counts/plan';
import { countReport, reportCsv } from '../../db/counts/report';
import { COUNT_KINDS } from '../../db/schema';
import { countReportPdf } from '../../documents/pdf';
import { actor, dataUrl, handler, type HandlerContext } from '../context';
import { countReportBook } from '../../documents/workbook';

const id = z.string().min(1).max(64);
const perYear = z.number().int().min(0).max(52);
const policy = z.object({ basis: z.enum(['value', 'movements']), perYear: z.object({ A: perYear, B: perYear, C: perYear }).strict() }).strict();
/** Every screen showing a count refreshes: progress is live. */
const changed = (ctx: HandlerContext, countId: string) => ctx.events.emit({ type: 'count.changed', countId });

export const countHandlers = {
  /** The site's counts, newest first, with how far each has come. */
  'count.list': handler({
    input: z.object({}).strict(),
    run: (ctx) =>
      siteCountIds(ctx.store, ctx.station.siteId).map((id) => ({ ...countHead(ctx.store, id), progress: countProgress(ctx.store, id) })),
  }),

  'count.plan': handler({
    input: z
      .object({
        kind: z.enum(COUNT_KINDS),
        title: z.string().max(120).nullish(),
        zoneId: id.nullish(),
        locationIds: z.array(id).max(20_000).optional(),
        blind: z.boolean().optional(),
        thresholdQuantity: z.number().int().min(0).max(100_000).optional(),
        /** In whole kronor. */
        thresholdValueSek: z.number().min(0).max(10_000_000).optional(),
      })
      .strict(),
    run: (ctx, i) => {
      const c = planCount(ctx.store, actor(ctx), { ...i, thresholdValue: Math.round((i.thresholdValueSek ?? 0) * 100) });
      changed(ctx, c.id);
      return c;
    },
  }),

  /** A count with its locations and who counts them; never what the ledger expects (counting is blind). */
  'count.get': handler({
    input: z.object({ countId: id }).strict(),
    run: (ctx, i) => {
      const c = countHead(ctx.store, i.countId);
      const me = ctx.session!.userId;
      return { ...c, progress: countProgress(ctx.store, c.id), locations: countLocations(ctx.store, c.id).map((l) => ({ ...l, mine: onCountersList(l, me) })) };
    },
  }),

  'count.assign': handler({
    input: z.object({ countId: id, locationIds: z.array(id).min(1).max(20_000), userId: id.nullable() }).strict(),
    run: (ctx, i) => {
      const n = assignLocations(ctx.store, i.countId, i.locationIds, i.userId);
      changed(ctx, i.countId);
      return { assigned: n };
    },
  }),

  'count.start': handler({
    input: z.object({ countId: id, locationId: id }).strict(),
    run: (ctx, i) => {
      startLocation(ctx.store, actor(ctx), i.countId, i.locationId);
      changed(ctx, i.countId);
      return countAt(ctx.store, i.countId, i.locationId);
    },
  }),

  'count.individual': handler({
    input: z.object({ countId: id, locationId: id, individualId: id }).strict(),
    run: (ctx, i) => countIndividual(ctx.store, actor(ctx), i),
  }),

  'count.article': handler({
    input: z.object({ countId: id, locationId: id, articleId: id, quantity: z.number().int(), lot: z.string().max(64).nullish(), expiry: z.string().max(10).nullish() }).strict(),
    run: (ctx, i) => countArticle(ctx.store, actor(ctx), i),
  }),

  'count.undoScan': handler({
    input: z.object({ countId: id, scanId: id }).strict(),
    run: (ctx, i) => {
      undoCountScan(ctx.store, actor(ctx), i.countId, i.scanId);
      return { undone: true };
    },
  }),

  'count.scans': handler({
    input: z.object({ countId: id, locationId: id }).strict(),
    run: (ctx, i) => countAt(ctx.store, i.countId, i.locationId),
  }),

  'count.finish': handler({
    input: z.object({ countId: id, locationId: id }).strict(),
    run: (ctx, i) => {
      const l = finishLocation(ctx.store, actor(ctx), i);
      changed(ctx, i.countId);
      return l;
    },
  }),

  /** The variances for the supervisor, largest value first. */
  'count.review': handler({ input: z.object({ countId: id }).strict(), run: (ctx, i) => varianceReview(ctx.store, i.countId) }),

  'count.approve': handler({
    input: z.object({ countId: id, approve: z.union([z.literal('all'), z.array(z.string().max(300)).max(100_000)]) }).strict(),
    run: (ctx, i) => {
      const r = approveCount(ctx.store, actor(ctx), i);
      changed(ctx, i.countId);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: r.movements });
      return r;
    },
  }),

  /** Accuracy per zone, variance value, individuals found and missing, every line as decided. */
  'count.report': handler({ input: z.object({ countId: id }).strict(), run: (ctx, i) => countReport(ctx.store, i.countId) }),

  /** The report as CSV, XLSX or PDF, ready to save. */
  'count.export': handler({
    input: z.object({ countId: id, format: z.enum(['csv', 'xlsx', 'pdf']) }).strict(),
    run: async (ctx, i) => {
      const r = countReport(ctx.store, i.countId);
      const fileName = `inventering-${r.count.number}.${i.format}`;
      if (i.format === 'csv') return { fileName, url: dataUrl('csv', reportCsv(r)) };
      if (i.format === 'xlsx') {
        return { fileName, url: dataUrl('xlsx', await countReportBook(r)) };
      }
      return { fileName, url: dataUrl('pdf', await countReportPdf(r)) };
    },
  }),

  /** The ABC classes and the year's cycle-count schedule, and this week's locations. */
  'count.cycleSchedule': handler({
    input: policy,
    run: (ctx, i) => cycleSchedule(ctx.store, ctx.station.siteId, i),
  }),
  'count.startCycle': handler({
    input: policy,
    run: (ctx, i) => {
      const c = startCycleCount(ctx.store, actor(ctx), i);
      changed(ctx, c.id);
      return c;
    },
  }),

  'count.cancel': handler({
    input: z.object({ countId: id }).strict(),
    run: (ctx, i) => {
      cancelCount(ctx.store, actor(ctx), i.countId);
      changed(ctx, i.countId);
      return { cancelled: true };
    },
  }),
};
