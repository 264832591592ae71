/**
 * Inventory counts (inventering): the count, its locations, what was scanned, what the ledger
 * expected, the variances, and the supervisor's decisions.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { COUNT_KINDS, COUNT_LOCATION_STATES, COUNT_STATES } from '../../vocabulary/domain';
import { inList } from './checks';
import { articles } from './articles';
import { individuals } from './individuals';
import { locations, sites } from './sites';
import { users } from './users';

/**
 * An inventory count (inventering): a whole site, a zone, a list of locations, one location, or a
 * cycle count. Blind by default: counters do not see what the system expects. Approved counts are
 * never changed (a trigger refuses it).
 */
export const counts = sqliteTable(
  'counts',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    kind: text('kind', { enum: COUNT_KINDS }).notNull(),
    title: text('title').notNull(),
    blind: integer('blind', { mode: 'boolean' }).notNull().default(true),
    /** A variance above either goes to a recount by another counter (value in öre). */
    thresholdQuantity: integer('threshold_quantity').notNull().default(0),
    thresholdValue: integer('threshold_value').notNull().default(0),
    state: text('state', { enum: COUNT_STATES }).notNull(),
    createdAt: integer('created_at').notNull(),
    createdBy: text('created_by').notNull(),
    approvedAt: integer('approved_at'),
    approvedBy: text('approved_by'),
  },
  (t) => [uniqueIndex('counts_number').on(t.number), index('counts_site').on(t.siteId, t.createdAt), check('counts_state', sql`${t.state} in (${inList(COUNT_STATES)})`)],
);

/**
 * A location in a count: who counts it, and where its count stands. `startMark` and `endMark` are
 * the ledger's position (its last rowid) when counting the location began and ended: the expected
 * stock is taken at `endMark`, and a movement at the location between the two sends it to a recount.
 */
export const countLocations = sqliteTable(
  'count_locations',
  {
    countId: text('count_id')
      .notNull()
      .references(() => counts.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    assignee: text('assignee').references(() => users.id),
    state: text('state', { enum: COUNT_LOCATION_STATES }).notNull().default('open'),
    /** 1 for the count, 2 for the recount. */
    round: integer('round').notNull().default(1),
    startMark: integer('start_mark'),
    endMark: integer('end_mark'),
    countedAt: integer('counted_at'),
    countedBy: text('counted_by'),
    /** Why it goes to a recount: a variance over the threshold, or stock moved here while it was counted. */
    recountReason: text('recount_reason'),
    /** How many lines (an article lot, an individual) were expected or counted here, for the accuracy. */
    lines: integer('lines'),
  },
  (t) => [primaryKey({ columns: [t.countId, t.locationId] }), index('count_locations_state').on(t.countId, t.state)],
);

/** What was scanned or typed at a location, per round. An individual once per count round. */
export const countScans = sqliteTable(
  'count_scans',
  {
    id: text('id').primaryKey(),
    countId: text('count_id')
      .notNull()
      .references(() => counts.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    round: integer('round').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    lot: text('lot').notNull().default(''),
    expiry: text('expiry'),
    individualId: text('individual_id').references(() => individuals.id),
    quantity: integer('quantity').notNull(),
    at: integer('at').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [
    index('count_scans_location').on(t.countId, t.locationId, t.round),
    uniqueIndex('count_scans_individual').on(t.countId, t.round, t.individualId).where(sql`${t.individualId} is not null`),
    check('count_scans_quantity', sql`${t.quantity} > 0`),
  ],
);

/**
 * What the ledger said was at a location when its count (of that round) ended: articles by lot,
 * and each individual. Variances are the scans against this.
 */
export const countExpected = sqliteTable(
  'count_expected',
  {
    countId: text('count_id')
      .notNull()
      .references(() => counts.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    round: integer('round').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    lot: text('lot').notNull().default(''),
    individualId: text('individual_id').references(() => individuals.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [index('count_expected_location').on(t.countId, t.locationId, t.round)],
);

/**
 * Each line of a location that differs from the ledger, written when the location's count (of that
 * round) ends: the supervisor's review reads these, never the whole count again.
 */
export const countVariances = sqliteTable(
  'count_variances',
  {
    countId: text('count_id')
      .notNull()
      .references(() => counts.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    round: integer('round').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    lot: text('lot').notNull().default(''),
    individualId: text('individual_id').references(() => individuals.id),
    expected: integer('expected').notNull(),
    counted: integer('counted').notNull(),
  },
  (t) => [index('count_variances_location').on(t.countId, t.locationId, t.round)],
);

/** The supervisor's decision on each variance line at approval, with the movement it posted. */
export const countAdjustments = sqliteTable(
  'count_adjustments',
  {
    id: text('id').primaryKey(),
    countId: text('count_id')
      .notNull()
      .references(() => counts.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    lot: text('lot').notNull().default(''),
    individualId: text('individual_id').references(() => individuals.id),
    expected: integer('expected').notNull(),
    counted: integer('counted').notNull(),
    /** Value of the difference in öre (purchase price × difference). */
    value: integer('value').notNull(),
    approved: integer('approved', { mode: 'boolean' }).notNull(),
    movementId: text('movement_id'),
  },
  (t) => [index('count_adjustments_count').on(t.countId)],
);
