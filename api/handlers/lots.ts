import { z } from 'zod';
import { expiryList, lotRecall } from '../../db/stock/lots';
import { handler } from '../context';

export const lotHandlers = {
  /** The site's stock that has expired or expires within the days asked for, the first to expire first. */
  'lots.expiring': handler({
    input: z.object({ days: z.number().int().min(0).max(3_650) }).strict(),
    run: (ctx, i) => expiryList(ctx.store, ctx.station.siteId, i.days),
  }),
  /** A lot recalled: where every unit of it is, and which orders it went out on. */
  'lots.recall': handler({
    input: z.object({ articleId: z.string().min(1).max(64), lot: z.string().trim().min(1).max(64) }).strict(),
    run: (ctx, i) => lotRecall(ctx.store, i.articleId, i.lot),
  }),
};
