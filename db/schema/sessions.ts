/**
 * The scanning workflows' sessions: for each user of this station and each workflow, where the
 * worker is (the machine's state), what undo would take back, and the last feedback. Kept so a
 * reloaded screen, a second screen or a restarted station carries on at the same step. Local to
 * the station and never synced: what a session posts is in the ledger like any other step.
 */
import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { users } from './users';

export const workflowSessions = sqliteTable(
  'workflow_sessions',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    /** The workflow's name in the core's table (`receipt`, `putaway`…). */
    workflow: text('workflow').notNull(),
    /** The session as JSON: the machine's state, the undo stack, the last feedback. */
    session: text('session').notNull(),
    /** The workflow the user's scans go to: at most one per user. */
    open: integer('open', { mode: 'boolean' }).notNull().default(false),
    /** Last opened or used; a scanner of the station's own feeds the user who used one last. */
    usedAt: integer('used_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.userId, t.workflow] }),
    uniqueIndex('workflow_sessions_open').on(t.userId).where(sql`${t.open} = 1`),
    index('workflow_sessions_used').on(t.usedAt),
  ],
);
