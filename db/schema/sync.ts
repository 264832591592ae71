/**
 * The station's side of the sync with the central register: the outbox, the flag that stands the
 * outbox triggers aside, the link to the register, and what the register flagged.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/**
 * Changes waiting to reach the central register, numbered 1, 2, 3… on this station.
 * Always written in the same transaction as the change it carries.
 */
export const outbox = sqliteTable('outbox', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  payload: text('payload', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  sentAt: integer('sent_at'),
});

/**
 * Present only while changes that came from elsewhere (the register's, the demo data) are being
 * written: the triggers that put every change of a synced table into the outbox stand aside then.
 * Every other write to a synced table reaches the outbox, in its own transaction, by itself.
 */
export const syncApplying = sqliteTable(
  'sync_applying',
  { singleton: integer('singleton').primaryKey().default(1) },
  (t) => [check('sync_applying_singleton', sql`${t.singleton} = 1`)],
);

/**
 * What this station's copy holds, when it is one depot's own: that site's stock, devices, queue and
 * history, and the region's master data (one row). No row: the copy is the whole region's. The
 * balance triggers keep only the site's places; readers say "not held at this station" for the rest.
 */
export const copyScope = sqliteTable(
  'copy_scope',
  {
    singleton: integer('singleton').primaryKey().default(1),
    siteId: text('site_id').notNull(),
  },
  (t) => [check('copy_scope_singleton', sql`${t.singleton} = 1`)],
);

/** This station's link to the central register (one row once enrolled). */
export const syncState = sqliteTable(
  'sync_state',
  {
    singleton: integer('singleton').primaryKey().default(1),
    registerUrl: text('register_url').notNull(),
    token: text('token').notNull(),
    /** The register's identity; a different one means the register was replaced: start over. */
    epoch: text('epoch'),
    /** Pull from here: the register's change number last applied here. */
    cursor: integer('cursor').notNull().default(0),
    /** The last outbox entry the register has acknowledged. */
    acked: integer('acked').notNull().default(0),
    /** The last audit entry (by its place in the trail) the register holds. */
    auditAcked: integer('audit_acked').notNull().default(0),
    /** The first audit entry the register found not following from the one before, if any. */
    auditBrokenAt: integer('audit_broken_at'),
    lastSuccessAt: integer('last_success_at'),
    lastAttemptAt: integer('last_attempt_at'),
    lastError: text('last_error', { mode: 'json' }),
  },
  (t) => [check('sync_state_singleton', sql`${t.singleton} = 1`)],
);

/** What the register flagged for a supervisor here: entries it rejected, individuals moved by two stations. */
export const syncIssues = sqliteTable(
  'sync_issues',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['rejection', 'conflict'] }).notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    at: integer('at').notNull(),
    resolvedAt: integer('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('sync_issues_open').on(t.resolvedAt, t.at)],
);
