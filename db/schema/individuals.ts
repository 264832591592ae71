/**
 * Individuals: the serialised devices, each with its status and where it is.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { INDIVIDUAL_STATUSES } from '../../vocabulary/domain';
import { inList } from './checks';
import { articles } from './articles';
import { locations, sites } from './sites';

export const individuals = sqliteTable(
  'individuals',
  {
    id: text('id').primaryKey(),
    individualNumber: text('individual_number').notNull().unique(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    serialNumber: text('serial_number'),
    udi: text('udi'),
    status: text('status', { enum: INDIVIDUAL_STATUSES }).notNull(),
    siteId: text('site_id').references(() => sites.id),
    locationId: text('location_id').references(() => locations.id),
    /** When it last became ready on a shelf (the longest-waiting ready device goes out first); null while not ready. */
    readySince: integer('ready_since'),
    updatedAt: integer('updated_at').notNull(),
    /** Its latest loan, whatever its age: the order it went out on and the day it went (current while the device is on loan). */
    loanOrderRef: text('loan_order_ref'),
    loanSince: integer('loan_since'),
  },
  (t) => [
    index('individuals_article').on(t.articleId),
    index('individuals_ready').on(t.articleId, t.readySince).where(sql`${t.status} = 'in_stock'`),
    index('individuals_location').on(t.locationId),
    index('individuals_serial').on(t.serialNumber),
    index('individuals_udi').on(t.udi).where(sql`${t.udi} is not null`),
    index('individuals_status_since').on(t.status, t.updatedAt),
    index('individuals_loan_order').on(t.loanOrderRef).where(sql`${t.loanOrderRef} is not null`),
    check('individuals_status', sql`${t.status} in (${inList(INDIVIDUAL_STATUSES)})`),
  ],
);
