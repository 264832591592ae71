/**
 * This station: the one row that says which station the database belongs to, its own settings, and the
 * number series it hands out offline.
 */
import { sql } from 'drizzle-orm';
import { check, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { sites } from './sites';

/** The one row that says which station this database belongs to. */
export const station = sqliteTable(
  'station',
  {
    singleton: integer('singleton').primaryKey().default(1),
    id: text('id').notNull(),
    name: text('name').notNull(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [check('station_singleton', sql`${t.singleton} = 1`)],
);

/** This station's own settings (scanners, printers…), by key; kept locally and never synced. */
export const stationSettings = sqliteTable('station_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Number series this station hands out offline, e.g. individual numbers, within its own block. */
export const numberSeries = sqliteTable('number_series', {
  name: text('name').primaryKey(),
  next: integer('next').notNull(),
  last: integer('last').notNull(),
});
