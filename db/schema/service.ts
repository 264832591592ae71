/**
 * Service: reconditioning jobs and their events, wash-cabinet batches, inspection checklists, and
 * work orders (repairs) with their events.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { SERVICE_JOB_STATES, SERVICE_PRIORITIES, WORK_ORDER_ORIGINS, WORK_ORDER_STATES } from '../../vocabulary/domain';
import { inList } from './checks';
import { articles } from './articles';
import { individuals } from './individuals';
import { sites } from './sites';
import { users } from './users';

/**
 * A job for one individual in the reconditioning flow (db/service/flow.ts): where it stands, how
 * urgent it is and its service-level clock. Closed when the individual is ready or scrapped.
 */
export const serviceJobs = sqliteTable(
  'service_jobs',
  {
    id: text('id').primaryKey(),
    individualId: text('individual_id')
      .notNull()
      .references(() => individuals.id),
    /** The individual's article (it never changes), so the figures per article need no join. */
    articleId: text('article_id').references(() => articles.id),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    state: text('state', { enum: SERVICE_JOB_STATES }).notNull(),
    priority: text('priority', { enum: SERVICE_PRIORITIES }).notNull(),
    arrivedAt: integer('arrived_at').notNull(),
    dueAt: integer('due_at').notNull(),
    startedAt: integer('started_at'),
    doneAt: integer('done_at'),
    /** The technician working on it now, if someone has taken it. */
    takenBy: text('taken_by').references(() => users.id),
    breachedAt: integer('breached_at'),
    closedAt: integer('closed_at'),
  },
  (t) => [
    // The supervisors' figures read these indexes alone: finished jobs by week, state and article; breaches by week.
    index('service_jobs_done').on(t.siteId, t.doneAt, t.state, t.articleId),
    index('service_jobs_breached').on(t.siteId, t.breachedAt).where(sql`${t.breachedAt} is not null`),
    // The technicians' board, the breaches and the queue figures read the open jobs from this one alone.
    index('service_jobs_board')
      .on(t.siteId, t.dueAt, t.priority, t.arrivedAt, t.startedAt, t.state, t.breachedAt, t.id)
      .where(sql`${t.closedAt} is null`),
    index('service_jobs_article').on(t.articleId, t.doneAt),
    // Purchasing's count of the queue per article (the reconditioning pipeline) reads this one alone,
    // in article order; led by the article, it is never a way to a site's open jobs (the board's).
    index('service_jobs_queue_by_article').on(t.articleId, t.siteId).where(sql`${t.closedAt} is null`),
    // An individual's history.
    index('service_jobs_individual').on(t.individualId, t.arrivedAt),
    uniqueIndex('service_jobs_one_open').on(t.individualId).where(sql`${t.closedAt} is null`),
    check('service_jobs_state', sql`${t.state} in (${inList(SERVICE_JOB_STATES)})`),
    check('service_jobs_priority', sql`${t.priority} in (${inList(SERVICE_PRIORITIES)})`),
  ],
);

/** Every step of every job: who, where, when, what (the individual's traceable history). Append-only. */
export const serviceEvents = sqliteTable(
  'service_events',
  {
    id: text('id').primaryKey(),
    jobId: text('job_id')
      .notNull()
      .references(() => serviceJobs.id),
    at: integer('at').notNull(),
    stationId: text('station_id').notNull(),
    userId: text('user_id').notNull(),
    action: text('action').notNull(),
    fromState: text('from_state').notNull(),
    toState: text('to_state').notNull(),
    detail: text('detail', { mode: 'json' }),
  },
  (t) => [index('service_events_job').on(t.jobId, t.at)],
);

/** A wash-cabinet run: devices scanned in, the batch closed, each of them cleaned by it. */
export const washBatches = sqliteTable('wash_batches', {
  id: text('id').primaryKey(),
  siteId: text('site_id')
    .notNull()
    .references(() => sites.id),
  cabinet: text('cabinet').notNull(),
  method: text('method').notNull(),
  openedAt: integer('opened_at').notNull(),
  openedBy: text('opened_by').notNull(),
  closedAt: integer('closed_at'),
});

export const washBatchItems = sqliteTable(
  'wash_batch_items',
  {
    batchId: text('batch_id')
      .notNull()
      .references(() => washBatches.id),
    individualId: text('individual_id')
      .notNull()
      .references(() => individuals.id),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.batchId, t.individualId] })],
);

/**
 * What an inspection checks, for one article or an article family (an ISO 9999 code prefix; '' for
 * every article). The most specific checklist applies. `questions` is a JSON array of
 * `{ id, sv, en }`; each is answered OK or not, with a note.
 */
export const inspectionChecklists = sqliteTable('inspection_checklists', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  articleId: text('article_id').references(() => articles.id),
  isoPrefix: text('iso_prefix'),
  questions: text('questions').notNull(),
  /** Retired checklists apply no more; inspections already made keep the questions' words as they were. */
  retiredAt: integer('retired_at'),
  /** Who changed it last, and when (workshop data is kept in the register and written at any station). */
  changedBy: text('changed_by'),
  changedAt: integer('changed_at'),
});

/**
 * A repair: of a device in reconditioning (opened by its repair step), of a device out with a
 * patient, or of a municipality-owned device (from the register or entered at the station). The
 * fault, what was done and the time spent; spare parts are movements with this order's number.
 */
export const workOrders = sqliteTable(
  'work_orders',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    origin: text('origin', { enum: WORK_ORDER_ORIGINS }).notNull(),
    /** The device when it is in the register; a municipality's own device may not be. */
    individualId: text('individual_id').references(() => individuals.id),
    /** The reconditioning job the repair belongs to. */
    jobId: text('job_id').references(() => serviceJobs.id),
    device: text('device'),
    owner: text('owner'),
    /** Where the device is: a delivery point or the order it went out on (never a patient's identity). */
    place: text('place'),
    priority: text('priority', { enum: SERVICE_PRIORITIES }).notNull(),
    dueAt: integer('due_at').notNull(),
    fault: text('fault').notNull(),
    actions: text('actions'),
    minutes: integer('minutes').notNull().default(0),
    state: text('state', { enum: WORK_ORDER_STATES }).notNull(),
    openedAt: integer('opened_at').notNull(),
    openedBy: text('opened_by').notNull(),
    startedAt: integer('started_at'),
    /** The technician working on it now, if someone has taken it. */
    takenBy: text('taken_by').references(() => users.id),
    breachedAt: integer('breached_at'),
    closedAt: integer('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [
    uniqueIndex('work_orders_number').on(t.number),
    index('work_orders_open').on(t.siteId, t.state),
    index('work_orders_individual').on(t.individualId),
    index('work_orders_job').on(t.jobId).where(sql`${t.jobId} is not null`),
    check('work_orders_origin', sql`${t.origin} in (${inList(WORK_ORDER_ORIGINS)})`),
    check('work_orders_state', sql`${t.state} in (${inList(WORK_ORDER_STATES)})`),
    check('work_orders_minutes', sql`${t.minutes} >= 0`),
  ],
);

/** Every entry on a work order: opened, time spent, part used, actions written, closed. Append-only. */
export const workOrderEvents = sqliteTable(
  'work_order_events',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id')
      .notNull()
      .references(() => workOrders.id),
    at: integer('at').notNull(),
    stationId: text('station_id').notNull(),
    userId: text('user_id').notNull(),
    kind: text('kind').notNull(),
    detail: text('detail', { mode: 'json' }),
  },
  (t) => [index('work_order_events_order').on(t.workOrderId, t.at)],
);
