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
  'workshop.retireChecklist': handler({ input: z.object({ id }).strict(), run: (ctx, i) => retireChecklist(ctx.store, actor(ctx), i.id) }),
  'workshop.savePlan': handler({
    input: z
      .object({ id: id.nullish(), name: z.string().max(200), isoPrefix, intervalDays: z.number().int().nullish(), intervalHours: z.number().int().nullish() })
      .strict(),
    run: (ctx, i) => savePlan(ctx.store, actor(ctx), i),
  }),
  'workshop.retirePlan': handler({ input: z.object({ id }).strict(), run: (ctx, i) => retirePlan(ctx.store, actor(ctx), i.id) }),
  'workshop.setTraining': handler({
    input: z.object({ userId: id, isoPrefixes: z.array(isoPrefix).max(100) }).strict(),
    run: (ctx, i) => setTraining(ctx.store, actor(ctx), i),
  }),
  /** What comes back with a returned device of an article. */
  'workshop.components': handler({ input: z.object({ articleId: id }).strict(), run: (ctx, i) => componentsOf(ctx.store, i.articleId) }),
  'workshop.setComponents': handler({
    input: z.object({ articleId: id, components: z.array(z.object({ name: z.string().max(120), quantity: z.number().int() }).strict()).max(100) }).strict(),
    run: (ctx, i) => setComponents(ctx.store, actor(ctx), i),
  }),
};
