/**
 * Labels and the print queue.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { PRINT_JOB_STATES } from '../../vocabulary/domain';
import { inList } from './checks';

/** Labels waiting to be printed (printing itself comes with the printers). */
export const labelJobs = sqliteTable('label_jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  entityId: text('entity_id').notNull(),
  createdAt: integer('created_at').notNull(),
  status: text('status').notNull().default('queued'),
});

/**
 * The print queue. A job is printed once: it is marked printed only when the printer has confirmed
 * the whole job; until then it waits and is tried again with backoff. A reprint is a new job.
 */
export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    printerId: text('printer_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    zpl: text('zpl').notNull(),
    state: text('state', { enum: PRINT_JOB_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    printedAt: integer('printed_at'),
    reprintOf: text('reprint_of'),
    userId: text('user_id'),
  },
  (t) => [index('print_jobs_due').on(t.state, t.nextAttemptAt), check('print_jobs_state', sql`${t.state} in (${inList(PRINT_JOB_STATES)})`)],
);
