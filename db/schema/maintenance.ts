/**
 * Preventive maintenance: plans per article family, maintenance signed off, the technicians trained
 * for each family, and operating-hour readings.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { individuals } from './individuals';
import { users } from './users';

/** Preventive maintenance for an article family (an ISO 9999 code prefix): every so many days and/or operating hours. */
export const maintenancePlans = sqliteTable('maintenance_plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  isoPrefix: text('iso_prefix').notNull(),
  intervalDays: integer('interval_days'),
  intervalHours: integer('interval_hours'),
  /** A retired plan is due no more; its sign-offs stay on each device's record. */
  retiredAt: integer('retired_at'),
  /** Who changed it last, and when. */
  changedBy: text('changed_by'),
  changedAt: integer('changed_at'),
});

/** A maintenance signed off: by whom, when, and the operating hours read then (when the device has a meter). */
export const maintenanceRecords = sqliteTable(
  'maintenance_records',
  {
    id: text('id').primaryKey(),
    planId: text('plan_id')
      .notNull()
      .references(() => maintenancePlans.id),
    individualId: text('individual_id')
      .notNull()
      .references(() => individuals.id),
    doneAt: integer('done_at').notNull(),
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    hours: integer('hours'),
  },
  (t) => [index('maintenance_records_individual').on(t.individualId, t.planId, t.doneAt)],
);

/** Which technicians are trained for which article families (ISO 9999 prefixes). */
export const technicianTraining = sqliteTable(
  'technician_training',
  {
    userId: text('user_id')
      .notNull()
      .references(() => users.id),
    isoPrefix: text('iso_prefix').notNull(),
  },
  (t) => [primaryKey({ columns: [t.userId, t.isoPrefix] })],
);

/** Operating-hour meter readings (lifts, powered wheelchairs), for maintenance by hours. */
export const hourReadings = sqliteTable(
  'hour_readings',
  {
    individualId: text('individual_id')
      .notNull()
      .references(() => individuals.id),
    at: integer('at').notNull(),
    hours: integer('hours').notNull(),
    userId: text('user_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.individualId, t.at] }), check('hour_readings_hours', sql`${t.hours} >= 0`)],
);
