import { z } from 'zod';
import { retireChecklist, retirePlan, saveChecklist, savePlan, setComponents, setTraining, workshopData } from '../../db/service/workshop-data';
import { componentsOf } from '../../db/workflows/returns';
import { actor, handler } from '../context';

const id = z.string().min(1).max(64);
const isoPrefix = z.string().trim().max(6);

/** The workshop's own data, kept at any station and handed to every station by the register. */
export const workshopHandlers = {
  /** Checklists and maintenance plans (those in use first), and the technicians with what each is trained for. */
  'workshop.data': handler({ input: z.object({}).strict(), run: (ctx) => workshopData(ctx.store) }),
  /** Writes an inspection checklist (new, or a new version of one) for an ISO 9999 class or one article; it reaches every station. */
  'workshop.saveChecklist': handler({
    input: z
      .object({
        id: id.nullish(),
        name: z.string().max(200),
        articleId: id.nullish(),
        isoPrefix: isoPrefix.nullish(),
        questions: z.array(z.object({ id: z.string().max(40).nullish(), sv: z.string().max(400), en: z.string().max(400) }).strict()).max(100),
      })
      .strict(),
    run: (ctx, i) => saveChecklist(ctx.store, actor(ctx), i),
  }),
  /** A checklist no longer in use; inspections made by it keep their questions' words. */
  'workshop.retireChecklist': handler({ input: z.object({ id }).strict(), run: (ctx, i) => retireChecklist(ctx.store, actor(ctx), i.id) }),
  /** Writes a maintenance plan: an ISO 9999 class serviced every so many days and/or operating hours. */
  'workshop.savePlan': handler({
    input: z
      .object({ id: id.nullish(), name: z.string().max(200), isoPrefix, intervalDays: z.number().int().nullish(), intervalHours: z.number().int().nullish() })
      .strict(),
    run: (ctx, i) => savePlan(ctx.store, actor(ctx), i),
  }),
  /** A plan no longer followed: nothing falls due by it any more. */
  'workshop.retirePlan': handler({ input: z.object({ id }).strict(), run: (ctx, i) => retirePlan(ctx.store, actor(ctx), i.id) }),
  /** Which ISO 9999 classes a technician is trained for (the whole list); a supervisor's to say. */
  'workshop.setTraining': handler({
    input: z.object({ userId: id, isoPrefixes: z.array(isoPrefix).max(100) }).strict(),
    run: (ctx, i) => setTraining(ctx.store, actor(ctx), i),
  }),
  /** What comes back with a returned device of an article. */
  'workshop.components': handler({ input: z.object({ articleId: id }).strict(), run: (ctx, i) => componentsOf(ctx.store, i.articleId) }),
  /** What comes back with a returned device of an article (the whole list). */
  'workshop.setComponents': handler({
    input: z.object({ articleId: id, components: z.array(z.object({ name: z.string().max(120), quantity: z.number().int() }).strict()).max(100) }).strict(),
    run: (ctx, i) => setComponents(ctx.store, actor(ctx), i),
  }),
};
