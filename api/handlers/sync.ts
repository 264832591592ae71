import { z } from 'zod';
import { audit } from '../../db/audit';
import { DepotError } from '../../vocabulary/errors';
import { listSyncIssues, resolveSyncIssue } from '../../db/sync/issues';
import { handler } from '../context';

export const syncHandlers = {
  /** Online or not, last sync, what waits, what a supervisor must look at; and the first copy's progress. */
  'sync.status': handler({ input: z.object({}).strict(), run: (ctx) => ctx.sync.status() }),

  'sync.now': handler({
    input: z.object({}).strict(),
    run: async (ctx) => {
      await ctx.sync.syncNow();
      return ctx.sync.status();
    },
  }),

  /** Entries the register rejected and individuals two stations moved while offline. */
  'sync.issues': handler({
    input: z.object({ resolved: z.boolean().default(false) }).strict(),
    run: (ctx, i) => listSyncIssues(ctx.store, i.resolved),
  }),

  'sync.resolveIssue': handler({
    input: z.object({ id: z.string().min(1).max(200) }).strict(),
    run: (ctx, i) => {
      if (!resolveSyncIssue(ctx.store, i.id, ctx.session!.userId))
        throw new DepotError('sync.no_such_issue', { sv: 'Ärendet finns inte eller är redan åtgärdat.', en: 'The issue does not exist or is already dealt with.' });
      audit(ctx.store, { stationId: ctx.station.id, userId: ctx.session!.userId, action: 'sync.resolve', entity: 'sync_issue', entityId: i.id });
      ctx.events.emit({ type: 'sync.status', status: ctx.sync.status() });
      return { id: i.id };
    },
  }),
};
