import { z } from 'zod';
import { DepotError } from '../../db/errors';
import { transition, type ServiceAction } from '../../db/service/flow';
import { openJobFor, recordBreaches, serviceStep, technicianBoard } from '../../db/service/jobs';
import { safetyNotice, traceCsv } from '../../db/service/trace';
import { addToWashBatch, closeWashBatch, openWashBatch, washBatch } from '../../db/service/wash';
import type { Role } from '../../db/schema';
import { stmt } from '../../db/statements';
import { individualById } from '../../db/workflows/common';
import { handler, type HandlerContext } from '../handler';

const id = z.string().min(1).max(64);
/** Who works the reconditioning flow. */
const WORKSHOP: readonly Role[] = ['technician', 'warehouse_worker', 'supervisor', 'admin'];
const actor = (ctx: HandlerContext) => ({ userId: ctx.session!.userId, stationId: ctx.station.id, siteId: ctx.station.siteId });
const action = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('send_to_cleaning') }),
  z.object({ kind: z.literal('clean') }),
  z.object({ kind: z.literal('inspect'), passed: z.boolean() }),
  z.object({ kind: z.literal('start_repair') }),
  z.object({ kind: z.literal('finish_repair') }),
  z.object({ kind: z.literal('send_to_supplier') }),
  z.object({ kind: z.literal('back_from_supplier') }),
  z.object({ kind: z.literal('release') }),
  z.object({ kind: z.literal('scrap') }),
]);

const ACTIONS: ServiceAction[] = [
  { kind: 'send_to_cleaning' },
  { kind: 'clean' },
  { kind: 'inspect', passed: true },
  { kind: 'inspect', passed: false },
  { kind: 'start_repair' },
  { kind: 'finish_repair' },
  { kind: 'send_to_supplier' },
  { kind: 'back_from_supplier' },
  { kind: 'release' },
  { kind: 'scrap' },
];

export const serviceHandlers = {
  /** The site's open jobs, most pressing first, each with its service-level clock. */
  'service.board': handler({
    access: WORKSHOP,
    input: z.object({}).strict(),
    run: (ctx) => {
      recordBreaches(ctx.store, ctx.station.siteId);
      return technicianBoard(ctx.store, ctx.station.siteId);
    },
  }),

  /** The open job of a scanned individual (or null). */
  'service.job': handler({
    access: WORKSHOP,
    input: z.object({ individualId: id }).strict(),
    run: (ctx, i) => {
      const ind = individualById(ctx.store, i.individualId);
      const job = openJobFor(ctx.store, ind.id) ?? null;
      // The steps that may come next, so the screen offers only those.
      const actions = job ? ACTIONS.filter((a) => transition(job.state, a) !== null) : [];
      return { individualNumber: ind.individualNumber, job, actions };
    },
  }),

  'service.step': handler({
    access: WORKSHOP,
    input: z
      .object({ individualId: id, action, toLocationId: id.nullish(), detail: z.record(z.string(), z.union([z.string().max(500), z.number(), z.boolean()])).optional() })
      .strict(),
    run: (ctx, i) => {
      const job = serviceStep(ctx.store, actor(ctx), i);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: 1 });
      return job;
    },
  }),

  /** A technician takes a job (or pauses it, giving it back to the queue). */
  'service.take': handler({
    access: WORKSHOP,
    input: z.object({ individualId: id, take: z.boolean() }).strict(),
    run: (ctx, i) => {
      const job = openJobFor(ctx.store, i.individualId);
      if (!job) throw new DepotError('service.no_job', { sv: 'Det finns inget öppet jobb för den.', en: 'There is no open job for it.' });
      stmt(ctx.store, 'update service_jobs set taken_by = ? where id = ?').run(i.take ? ctx.session!.userId : null, job.id);
      return openJobFor(ctx.store, i.individualId)!;
    },
  }),

  /** A safety notice: where every individual of an article (a lot, a serial range) is, and the same as CSV. */
  'service.safetyNotice': handler({
    access: ['supervisor', 'admin', 'technician'],
    input: z.object({ articleId: id, lot: z.string().max(64).nullish(), serialFrom: z.string().max(64).nullish(), serialTo: z.string().max(64).nullish() }).strict(),
    run: (ctx, i) => {
      const rows = safetyNotice(ctx.store, i);
      return { rows, csv: traceCsv(rows) };
    },
  }),

  'wash.open': handler({ access: WORKSHOP, input: z.object({ cabinet: z.string().min(1).max(40), method: z.string().min(1).max(80) }).strict(), run: (ctx, i) => openWashBatch(ctx.store, actor(ctx), i) }),
  'wash.get': handler({ access: WORKSHOP, input: z.object({ batchId: id }).strict(), run: (ctx, i) => washBatch(ctx.store, i.batchId) }),
  'wash.add': handler({ access: WORKSHOP, input: z.object({ batchId: id, individualId: id }).strict(), run: (ctx, i) => addToWashBatch(ctx.store, i.batchId, i.individualId) }),
  'wash.close': handler({
    access: WORKSHOP,
    input: z.object({ batchId: id }).strict(),
    run: (ctx, i) => {
      const b = closeWashBatch(ctx.store, actor(ctx), i.batchId);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: b.items.length });
      return b;
    },
  }),
};
