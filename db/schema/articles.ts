/**
 * The article range: ISO 9999 classes, articles and their GTINs, lots, the components a returned device
 * should come back with, and where an article is put away by preference.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { TRACKING } from '../../vocabulary/domain';
import { inList } from './checks';
import { locations, sites } from './sites';

/** ISO 9999 classes (groups of 4 digits, subgroups of 6) that the county prescribes. */
export const isoCodes = sqliteTable(
  'iso_codes',
  {
    code: text('code').notNull(),
    edition: text('edition').notNull(),
    title: text('title').notNull(),
    groupCode: text('group_code'),
  },
  (t) => [primaryKey({ columns: [t.code, t.edition] })],
);

export const articles = sqliteTable(
  'articles',
  {
    id: text('id').primaryKey(),
    articleNumber: text('article_number').notNull().unique(),
    name: text('name').notNull(),
    /** Lower-cased name for case-insensitive search, å/ä/ö included. */
    searchName: text('search_name').notNull(),
    isoCode: text('iso_code').notNull(),
    isoEdition: text('iso_edition').notNull(),
    rentable: integer('rentable', { mode: 'boolean' }).notNull(),
    unit: text('unit').notNull(),
    supplier: text('supplier').notNull(),
    /** Purchase price in öre (1/100 SEK). */
    purchasePrice: integer('purchase_price').notNull(),
    tracking: text('tracking', { enum: TRACKING }).notNull(),
    /** Articles of one group stand in for each other: picking proposes the longest-waiting ready device of any of them. */
    equivalenceGroup: text('equivalence_group'),
    /** The supervisor who last changed the article, and when (null: as the region's register or the demo loaded it). */
    changedBy: text('changed_by'),
    changedAt: integer('changed_at'),
  },
  (t) => [
    index('articles_iso').on(t.isoCode),
    index('articles_equivalence').on(t.equivalenceGroup).where(sql`${t.equivalenceGroup} is not null`),
    check('articles_tracking', sql`${t.tracking} in (${inList(TRACKING)})`),
    check('articles_price', sql`${t.purchasePrice} >= 0`),
  ],
);

export const articleGtins = sqliteTable(
  'article_gtins',
  {
    gtin: text('gtin').primaryKey(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
  },
  (t) => [index('article_gtins_article').on(t.articleId)],
);

/**
 * HIBC codes of an article: the labeler's code and the product number (`E735A100010`), as a scanned
 * HIBC primary names them (the unit of measure and check character are not part of it).
 */
export const articleHibc = sqliteTable(
  'article_hibc',
  {
    code: text('code').primaryKey(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
  },
  (t) => [index('article_hibc_article').on(t.articleId)],
);

/** Lots of lot-tracked articles, with their expiry dates as read from the GS1 code. */
export const lots = sqliteTable(
  'lots',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    lot: text('lot').notNull(),
    expiresOn: text('expires_on'),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.lot] }), index('lots_expiry').on(t.expiresOn).where(sql`${t.expiresOn} is not null`)],
);

/** What should come back with a returned device (the return checklist). */
export const articleComponents = sqliteTable(
  'article_components',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    name: text('name').notNull(),
    quantity: integer('quantity').notNull().default(1),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.name] })],
);

/** Where an article is put away at a site, by preference. */
export const preferredLocations = sqliteTable(
  'preferred_locations',
  {
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    locationId: text('location_id')
      .notNull()
      .references(() => locations.id),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.siteId] })],
);
