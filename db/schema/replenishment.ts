/**
 * Replenishment: reorder settings per article and site, and the ledger aggregates the suggestions read.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { articles } from './articles';
import { sites } from './sites';

/**
 * Reorder settings per article and site (master data from the register). For the central store
 * they drive purchase suggestions; for a depot, refills from Boden on its weekly delivery.
 */
export const reorderSettings = sqliteTable(
  'reorder_settings',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    /** Kept in stock at this site (lagervara): only these get suggestions. */
    stockArticle: integer('stock_article', { mode: 'boolean' }).notNull(),
    reorderPoint: integer('reorder_point').notNull(),
    safetyStock: integer('safety_stock').notNull(),
    /** Order up to this; 0: up to the reorder point plus the usage over the lead time. */
    maxStock: integer('max_stock').notNull(),
    leadDays: integer('lead_days').notNull(),
    /** Order in multiples of this (a pack or pallet size); 0: any quantity. */
    orderQuantity: integer('order_quantity').notNull(),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.articleId, t.siteId] }),
    index('reorder_settings_site').on(t.siteId),
    check('reorder_settings_numbers', sql`${t.reorderPoint} >= 0 and ${t.safetyStock} >= 0 and ${t.maxStock} >= 0 and ${t.leadDays} >= 0 and ${t.orderQuantity} >= 0`),
  ],
);

/**
 * Stock on hand per article and site, and usage per article, site and day: aggregates of the
 * ledger the replenishment suggestions read, brought up to date from the movements added since
 * `aggregates_state.watermark` (the ledger only grows, so its rowid is a watermark). Rebuilt from
 * scratch when `built` is 0: after a full copy from the register, or when a location changes kind,
 * site or retirement.
 */
export const stockBySite = sqliteTable(
  'stock_by_site',
  {
    articleId: text('article_id').notNull(),
    siteId: text('site_id').notNull(),
    onHand: integer('on_hand').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.siteId] })],
);

export const usageByDay = sqliteTable(
  'usage_by_day',
  {
    articleId: text('article_id').notNull(),
    siteId: text('site_id').notNull(),
    /** Days since the Unix epoch (UTC). */
    day: integer('day').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.siteId, t.day] })],
);

/** Usage per article and site summed over the window `aggregates_state.window_days` ending today: a rolling sum of `usage_by_day`. */
export const usageWindow = sqliteTable(
  'usage_window',
  {
    articleId: text('article_id').notNull(),
    siteId: text('site_id').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.siteId] })],
);

export const aggregatesState = sqliteTable(
  'aggregates_state',
  {
    singleton: integer('singleton').primaryKey().default(1),
    watermark: integer('watermark').notNull(),
    built: integer('built').notNull(),
    /** The rolling window: its length, and the last day before it (days since the epoch). */
    windowDays: integer('window_days').notNull().default(90),
    windowBefore: integer('window_before').notNull().default(0),
  },
  (t) => [check('aggregates_state_singleton', sql`${t.singleton} = 1`)],
);
