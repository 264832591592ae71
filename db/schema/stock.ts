/**
 * The stock ledger (`movements`, append-only), a device's state before each of this station's own
 * movements of it, and the balances derived from the ledger.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { INDIVIDUAL_STATUSES, MOVEMENT_REASONS } from '../../vocabulary/domain';
import { articles } from './articles';
import { individuals } from './individuals';
import { locations } from './sites';
import { users } from './users';

/** The stock ledger. Rows are never updated or deleted (enforced by triggers). */
export const movements = sqliteTable(
  'movements',
  {
    id: text('id').primaryKey(),
    stationId: text('station_id').notNull(),
    seq: integer('seq').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    occurredAt: integer('occurred_at').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    individualId: text('individual_id').references(() => individuals.id),
    lot: text('lot'),
    fromLocationId: text('from_location_id').references(() => locations.id),
    toLocationId: text('to_location_id').references(() => locations.id),
    quantity: integer('quantity').notNull(),
    reason: text('reason', { enum: MOVEMENT_REASONS }).notNull(),
    orderRef: text('order_ref'),
    /** For a correction: the movement it reverses (an undo). */
    reverses: text('reverses'),
  },
  (t) => [
    uniqueIndex('movements_station_seq').on(t.stationId, t.seq),
    index('movements_individual').on(t.individualId, t.occurredAt).where(sql`${t.individualId} is not null`),
    index('movements_article').on(t.articleId, t.occurredAt),
    index('movements_occurred').on(t.occurredAt),
    index('movements_order').on(t.orderRef, t.articleId).where(sql`${t.orderRef} is not null`),
    check('movements_quantity', sql`${t.quantity} > 0`),
    check(
      'movements_locations',
      sql`(${t.fromLocationId} is not null or ${t.toLocationId} is not null) and ${t.fromLocationId} is not ${t.toLocationId}`,
    ),
    check('movements_individual_one', sql`${t.individualId} is null or ${t.quantity} = 1`),
  ],
);

/**
 * A device's state just before each of this station's own movements of it: an undo puts it back
 * exactly so, even when this station holds only part of the device's history (a full copy carries
 * 90 days). Kept here only; the register replays its whole history to the same answer.
 */
export const deviceBefore = sqliteTable('device_before', {
  movementId: text('movement_id').primaryKey(),
  status: text('status', { enum: INDIVIDUAL_STATUSES }).notNull(),
  readySince: integer('ready_since'),
});

/**
 * Stock on hand per article, location and lot ('' when the article has no lots). Derived from `movements`.
 * Stored WITHOUT ROWID (migration 0018, which drizzle cannot express): a generated migration that
 * rebuilds this table must keep that clause.
 */
export const balances = sqliteTable(
  'balances',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    lot: text('lot').notNull().default(''),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.locationId, t.lot] }), index('balances_location').on(t.locationId)],
);
