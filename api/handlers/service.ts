import { z } from 'zod';
import { DepotError } from '../../vocabulary/errors';
import { serviceCharts } from '../../db/service/charts';
import { DISPOSALS, openJobFor, recordBreaches, serviceStep, takeJob, technicianBoard } from '../../db/service/jobs';
import { PRIORITIES } from '../../db/service/levels';
import { maintenanceDueList, maintenanceMargins, signOffMaintenance } from '../../db/service/maintenance';
import { putSetting } from '../../db/settings';
import { audit } from '../../db/audit';
import { individualTimeline } from '../../db/service/timeline';
import { individualById } from '../../db/workflows/common';
import { addWorkTime, closeWorkOrder, openWorkOrder, returnSparePart, takeWorkOrder, useSparePart, workOrderById, writeActions } from '../../db/service/workorders';
import { safetyNotice, traceCsv } from '../../db/service/trace';
import { addToWashBatch, closeWashBatch, openWashBatch, washBatch } from '../../db/service/wash';
import { serviceJobView, workOrderView as workOrderViewOf } from '../../db/service/views';
import { timelinePdf } from '../../documents/pdf';
import { actor, dataUrl, handler, type HandlerContext } from '../context';

const id = z.string().min(1).max(64);
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

const note = (max: number) => z.string().max(max).nullish();
const answers = z.array(z.object({ questionId: z.string().min(1).max(40), ok: z.boolean(), note: note(300) }).strict()).max(60);
const hours = z.number().int().min(0).max(1_000_000).nullish();

/** A work order as the screen shows it: the order, the parts used on it. */
const workOrderView = (ctx: HandlerContext, id: string) => workOrderViewOf(ctx.store, id);

/** The timeline with what the register holds beyond this station's copy, when it can be asked. */
async function wholeTimeline(ctx: HandlerContext, individualId: string) {
  // An unknown device is refused before the register is asked.
  const { id } = individualById(ctx.store, individualId);
  const older = await ctx.sync.deviceHistory(id);
  return { ...individualTimeline(ctx.store, id, older ?? []), fromRegister: older !== null };
}

export const serviceHandlers = {
  /** The site's open jobs, most pressing first, each with its service-level clock. */
  'service.board': handler({
    input: z.object({}).strict(),
    run: (ctx) => {
      recordBreaches(ctx.store, ctx.station.siteId);
      return technicianBoard(ctx.store, ctx.station.siteId);
    },
  }),

  /** The open job of a scanned individual (or null). */
  'service.job': handler({
    input: z.object({ individualId: id }).strict(),
    run: (ctx, i) => serviceJobView(ctx.store, i.individualId),
  }),

  'service.step': handler({
    input: z
      .object({
        individualId: id,
        action,
        toLocationId: id.nullish(),
        answers: answers.optional(),
        hours,
        fault: note(1000),
        actions: note(2000),
        scrap: z.object({ reason: z.string().max(300), disposal: z.enum(DISPOSALS) }).strict().nullish(),
        claim: note(64),
        detail: z.record(z.string().max(64), z.union([z.string().max(500), z.number(), z.boolean()])).optional(),
      })
      .strict(),
    run: (ctx, i) => {
      const job = serviceStep(ctx.store, actor(ctx), i);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: 1 });
      return job;
    },
  }),

  /** A technician takes a job or a field work order (or pauses it, giving it back to the queue). */
  'service.take': handler({
    input: z.union([z.object({ individualId: id, take: z.boolean() }).strict(), z.object({ workOrderId: id, take: z.boolean() }).strict()]),
    run: (ctx, i) => {
      const who = i.take ? ctx.session!.userId : null;
      if ('workOrderId' in i) {
        const wo = workOrderById(ctx.store, i.workOrderId);
        takeWorkOrder(ctx.store, wo.id, who);
        return { taken: who !== null };
      }
      const job = openJobFor(ctx.store, i.individualId);
      if (!job) throw new DepotError('service.no_job', { sv: 'Det finns inget öppet jobb för den.', en: 'There is no open job for it.' });
      takeJob(ctx.store, job.id, who);
      return { taken: who !== null };
    },
  }),

  /** A repair of a device out with a patient or of a municipality's own device. */
  'workorder.open': handler({
    input: z
      .object({
        origin: z.enum(['on_loan', 'municipality']),
        individualId: id.nullish(),
        device: note(200),
        owner: note(200),
        place: note(200),
        priority: z.enum(PRIORITIES),
        fault: z.string().max(1000),
      })
      .strict(),
    run: (ctx, i) => workOrderView(ctx, openWorkOrder(ctx.store, actor(ctx), i).id),
  }),
  'workorder.get': handler({ input: z.object({ workOrderId: id }).strict(), run: (ctx, i) => workOrderView(ctx, i.workOrderId) }),
  'workorder.time': handler({
    input: z.object({ workOrderId: id, minutes: z.number().int(), note: note(500) }).strict(),
    run: (ctx, i) => workOrderView(ctx, addWorkTime(ctx.store, actor(ctx), i).id),
  }),
  /** A spare part used on the order: out of the spare-parts store, a movement with the order's number. */
  'workorder.part': handler({
    input: z.object({ workOrderId: id, articleId: id, quantity: z.number().int(), lot: z.string().max(64).nullish(), fromLocationId: id.nullish() }).strict(),
    run: (ctx, i) => {
      const part = useSparePart(ctx.store, actor(ctx), i);
      ctx.events.emit({ type: 'stock.changed', articleIds: [part.articleId], movementCount: 1 });
      return workOrderView(ctx, i.workOrderId);
    },
  }),
  /** A part put back (the undo of a scan, or not needed after all). */
  'workorder.returnPart': handler({
    input: z.object({ workOrderId: id, movementId: id }).strict(),
    run: (ctx, i) => {
      const wo = returnSparePart(ctx.store, actor(ctx), i);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: 1 });
      return workOrderView(ctx, wo.id);
    },
  }),
  'workorder.actions': handler({
    input: z.object({ workOrderId: id, actions: z.string().max(2000) }).strict(),
    run: (ctx, i) => workOrderView(ctx, writeActions(ctx.store, actor(ctx), i).id),
  }),
  /** Closes a field work order (a reconditioning repair is finished by its step in the flow). */
  'workorder.close': handler({
    input: z.object({ workOrderId: id, actions: note(2000) }).strict(),
    run: (ctx, i) => {
      const wo = workOrderById(ctx.store, i.workOrderId);
      if (wo.jobId)
        throw new DepotError('workorder.in_flow', {
          sv: `${wo.number} hör till en rekonditionering: skanna individen och välj Reparation klar.`,
          en: `${wo.number} belongs to a reconditioning job: scan the individual and choose Repair finished.`,
        });
      return workOrderView(ctx, closeWorkOrder(ctx.store, actor(ctx), { workOrderId: wo.id, outcome: 'done', actions: i.actions }).id);
    },
  }),

  /** Preventive maintenance falling due at this site within the next days (and by operating hours). */
  'maintenance.due': handler({
    input: z.object({ withinDays: z.number().int().min(0).max(365) }).strict(),
    run: (ctx, i) => maintenanceDueList(ctx.store, ctx.station.siteId, Date.now() + i.withinDays * 86_400_000),
  }),
  /** How far ahead a device due for maintenance is held back from picking (supervisors set it). */
  'maintenance.margins': handler({
    input: z.object({ set: z.object({ days: z.number().int().min(0).max(180), hours: z.number().int().min(0).max(1000) }).strict().optional() }).strict(),
    run: (ctx, { set: i }) => {
      if (i) {
        if (ctx.session!.role !== 'supervisor' && ctx.session!.role !== 'admin')
          throw new DepotError('auth.forbidden', { sv: 'Bara en arbetsledare kan ändra marginalen.', en: 'Only a supervisor can change the margin.' });
        putSetting(ctx.store, 'maintenance.marginDays', i.days);
        putSetting(ctx.store, 'maintenance.marginHours', i.hours);
        audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'maintenance.margins', entity: 'setting', detail: i });
      }
      return maintenanceMargins(ctx.store);
    },
  }),
  'maintenance.signOff': handler({
    input: z.object({ individualId: id, planId: id, hours }).strict(),
    run: (ctx, i) => {
      signOffMaintenance(ctx.store, actor(ctx), i);
      return { done: true };
    },
  }),

  /** Everything that happened to an individual, in order; and the same as a PDF. */
  /** A device's whole history: what this station holds, and (when online) the older history the register keeps. */
  'individual.timeline': handler({ input: z.object({ individualId: id }).strict(), run: (ctx, i) => wholeTimeline(ctx, i.individualId) }),
  'individual.timelinePdf': handler({
    input: z.object({ individualId: id, lang: z.enum(['sv', 'en']) }).strict(),
    run: async (ctx, i) => {
      const t = await wholeTimeline(ctx, i.individualId);
      return { pdf: dataUrl('pdf', await timelinePdf(t, i.lang)), fileName: `historik-${t.individualNumber}.pdf` };
    },
  }),

  /** The workshop's figures for supervisors: throughput, breaches, queue and its age, scrap rate. */
  'service.charts': handler({
    input: z.object({ weeks: z.number().int().min(4).max(104) }).strict(),
    run: (ctx, i) => serviceCharts(ctx.store, ctx.station.siteId, { weeks: i.weeks }),
  }),

  /** A safety notice: where every individual of an article (a lot, a serial range) is, and the same as CSV. */
  'service.safetyNotice': handler({
    input: z.object({ articleId: id, lot: z.string().max(64).nullish(), serialFrom: z.string().max(64).nullish(), serialTo: z.string().max(64).nullish() }).strict(),
    run: (ctx, i) => {
      const rows = safetyNotice(ctx.store, i);
      return { rows, csv: traceCsv(rows) };
    },
  }),

  'wash.open': handler({ input: z.object({ cabinet: z.string().min(1).max(40), method: z.string().min(1).max(80) }).strict(), run: (ctx, i) => openWashBatch(ctx.store, actor(ctx), i) }),
  'wash.get': handler({ input: z.object({ batchId: id }).strict(), run: (ctx, i) => washBatch(ctx.store, i.batchId) }),
  'wash.add': handler({ input: z.object({ batchId: id, individualId: id }).strict(), run: (ctx, i) => addToWashBatch(ctx.store, i.batchId, i.individualId) }),
  'wash.close': handler({
    input: z.object({ batchId: id }).strict(),
    run: (ctx, i) => {
      const b = closeWashBatch(ctx.store, actor(ctx), i.batchId);
      ctx.events.emit({ type: 'stock.changed', articleIds: [], movementCount: b.items.length });
      return b;
    },
  }),
};
