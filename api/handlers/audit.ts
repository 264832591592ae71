import { z } from 'zod';
import { AUDIT_KINDS } from '../../vocabulary/audit-kind';
import { verifyAuditChain } from '../../db/audit';
import { auditCsv, auditLines } from '../../db/audit-log';
import { auditAnchors } from '../../db/backup';
import { auditAtRegister } from '../../db/sync/audit';
import { dataUrl, handler } from '../context';

const query = z
  .object({
    before: z.number().int().nullish(),
    text: z.string().max(100).nullish(),
    kind: z.enum(AUDIT_KINDS).nullish(),
    userId: z.string().max(64).nullish(),
    from: z.number().int().nullish(),
    to: z.number().int().nullish(),
  })
  .strict();

export const auditHandlers = {
  /** The audit trail for supervisors, newest first, a page at a time. */
  'audit.list': handler({ input: query, run: (ctx, i) => auditLines(ctx.store, { ...i, limit: 200 }) }),
  /** Whether every link of the chain holds and it still reaches the heads the register and the newest backup recorded; how much of it the register holds. */
  'audit.verify': handler({
    input: z.object({}).strict(),
    run: (ctx) => ({ ...verifyAuditChain(ctx.store, auditAnchors(ctx.store)), register: auditAtRegister(ctx.store) }),
  }),
  /** The entries matching the filter (at most 100,000) as CSV. */
  'audit.export': handler({
    input: query,
    run: (ctx, i) => ({ fileName: 'granskningslogg.csv', url: dataUrl('csv', auditCsv(auditLines(ctx.store, { ...i, limit: 100_000 }))) }),
  }),
};
