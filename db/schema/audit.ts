/**
 * The audit trail: who did what, each entry chained to the one before.
 */
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Who did what, for traceability. Rows are never updated or deleted (enforced by triggers), and each is chained to the one before by its hash. */
export const auditLog = sqliteTable(
  'audit_log',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    stationId: text('station_id').notNull(),
    userId: text('user_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    detail: text('detail', { mode: 'json' }),
    /** SHA-256 of the previous entry's hash and this entry: an edited or removed entry breaks the chain. */
    hash: text('hash'),
  },
  (t) => [index('audit_log_entity').on(t.entity, t.entityId), index('audit_log_at').on(t.at)],
);
