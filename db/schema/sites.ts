/**
 * Sites (the central store and the depots) and their locations, from zones down to bins.
 */
import { sql } from 'drizzle-orm';
import { type AnySQLiteColumn, check, index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { LOCATION_KINDS, LOCATION_LEVELS, SITE_KINDS } from '../../vocabulary/domain';
import { inList } from './checks';

export const sites = sqliteTable(
  'sites',
  {
    id: text('id').primaryKey(),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    kind: text('kind', { enum: SITE_KINDS }).notNull(),
    municipality: text('municipality').notNull(),
    /** The route that delivers to this site, and its weekday (1 = Monday … 5 = Friday); none for the central store. */
    route: text('route'),
    deliveryWeekday: integer('delivery_weekday'),
    /** Where it is: street address, postcode and town (for drivers and labels). */
    address: text('address'),
    postcode: text('postcode'),
    town: text('town'),
    /** The administrator who last changed the site, and when (null: as the register loaded it). */
    changedBy: text('changed_by'),
    changedAt: integer('changed_at'),
  },
  (t) => [check('sites_kind', sql`${t.kind} in (${inList(SITE_KINDS)})`)],
);

/**
 * The places a site's routes deliver to and collect from (a health centre, a care home, a
 * municipality's store), with their addresses, each on a route and its weekday. Kept by the
 * site's supervisors; retired, never deleted, since orders and pallets name them.
 */
export const deliveryPoints = sqliteTable(
  'delivery_points',
  {
    id: text('id').primaryKey(),
    /** The site whose routes serve it. */
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    name: text('name').notNull(),
    address: text('address').notNull(),
    postcode: text('postcode').notNull(),
    town: text('town').notNull(),
    municipality: text('municipality').notNull(),
    route: text('route').notNull(),
    /** 1 = Monday … 5 = Friday. */
    weekday: integer('weekday').notNull(),
    retiredAt: integer('retired_at'),
    changedBy: text('changed_by'),
    changedAt: integer('changed_at'),
  },
  (t) => [index('delivery_points_site').on(t.siteId, t.name), check('delivery_points_weekday', sql`${t.weekday} between 1 and 5`)],
);

export const locations = sqliteTable(
  'locations',
  {
    id: text('id').primaryKey(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    parentId: text('parent_id').references((): AnySQLiteColumn => locations.id),
    code: text('code').notNull().unique(),
    name: text('name').notNull(),
    level: text('level', { enum: LOCATION_LEVELS }).notNull(),
    kind: text('kind', { enum: LOCATION_KINDS }).notNull(),
    /** How many units fit, when it matters; null: not limited. */
    capacity: integer('capacity'),
    retiredAt: integer('retired_at'),
  },
  (t) => [
    index('locations_site').on(t.siteId),
    index('locations_parent').on(t.parentId),
    check('locations_level', sql`${t.level} in (${inList(LOCATION_LEVELS)})`),
    check('locations_kind', sql`${t.kind} in (${inList(LOCATION_KINDS)})`),
  ],
);
