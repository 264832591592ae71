/**
 * Data model v1 of a Depot Station's local database.
 *
 * Stock is an append-only ledger (`movements`); `balances` is derived from it by a trigger in
 * the same statement, and `audit_log` is append-only too (see the triggers in the migration).
 * IDs are UUIDv7 strings so stations can create records offline without collisions.
 * Times are integer milliseconds since the Unix epoch (UTC).
 */
import { sql } from 'drizzle-orm';
import {
  type AnySQLiteColumn,
  check,
  index,
  integer,
  primaryKey,
  sqliteTable,
  text,
  uniqueIndex,
} from 'drizzle-orm/sqlite-core';

export const SITE_KINDS = ['central_store', 'staffed_depot', 'unmanned_depot'] as const;
export type SiteKind = (typeof SITE_KINDS)[number];

export const LOCATION_LEVELS = ['zone', 'aisle', 'shelf', 'bin'] as const;
export type LocationLevel = (typeof LOCATION_LEVELS)[number];

export const LOCATION_KINDS = [
  'goods_in',
  'rack',
  'shelf',
  'floor',
  'dispatch',
  'returns',
  'quarantine',
  'cleaning',
  'workshop',
  'spare_parts',
] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];

export const INDIVIDUAL_STATUSES = [
  'in_stock',
  'reserved',
  'in_transit',
  'on_loan',
  'returned',
  'in_cleaning',
  'in_reconditioning',
  'quarantine',
  'scrapped',
  /** Expected at a location and not found there by an approved count. */
  'missing',
  /** Registered by mistake and reversed (an undone goods receipt): never in stock. */
  'cancelled',
] as const;
export type IndividualStatus = (typeof INDIVIDUAL_STATUSES)[number];

/** Prescribers (förskrivare) take devices at an unmanned depot's kiosk by badge; they never sign in to the station itself. */
export const ROLES = ['warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin', 'prescriber'] as const;
export type Role = (typeof ROLES)[number];

export const MOVEMENT_REASONS = [
  'receipt',
  'put_away',
  'move',
  'pick',
  'dispatch',
  'delivery',
  'return',
  'to_cleaning',
  'to_reconditioning',
  'ready',
  'scrap',
  'count_adjustment',
  'transfer',
  /** A spare part used in a repair (the work order's number as order reference). */
  'spare_part',
  /** Reverses an earlier movement (undo). */
  'correction',
] as const;
export type MovementReason = (typeof MOVEMENT_REASONS)[number];

export const TRACKING = ['none', 'lot', 'lot_expiry'] as const;
export type Tracking = (typeof TRACKING)[number];

const inList = (values: readonly string[]) => sql.raw(values.map((v) => `'${v}'`).join(', '));

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
  },
  (t) => [check('sites_kind', sql`${t.kind} in (${inList(SITE_KINDS)})`)],
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
  },
  (t) => [
    index('articles_iso').on(t.isoCode),
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
  },
  (t) => [
    index('individuals_article').on(t.articleId),
    index('individuals_ready').on(t.articleId, t.readySince).where(sql`${t.status} = 'in_stock'`),
    index('individuals_location').on(t.locationId),
    index('individuals_serial').on(t.serialNumber),
    index('individuals_udi').on(t.udi).where(sql`${t.udi} is not null`),
    index('individuals_status_since').on(t.status, t.updatedAt),
    check('individuals_status', sql`${t.status} in (${inList(INDIVIDUAL_STATUSES)})`),
  ],
);

export const users = sqliteTable(
  'users',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    role: text('role', { enum: ROLES }).notNull(),
    /** scrypt hash of the PIN: `scrypt$<salt hex>$<hash hex>`. */
    pinHash: text('pin_hash').notNull(),
    badgeCode: text('badge_code').unique(),
    siteId: text('site_id').references(() => sites.id),
    active: integer('active', { mode: 'boolean' }).notNull().default(true),
  },
  (t) => [check('users_role', sql`${t.role} in (${inList(ROLES)})`)],
);

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

/**
 * Changes waiting to reach the central register, numbered 1, 2, 3… on this station.
 * Always written in the same transaction as the change it carries.
 */
export const outbox = sqliteTable('outbox', {
  seq: integer('seq').primaryKey({ autoIncrement: true }),
  kind: text('kind').notNull(),
  payload: text('payload', { mode: 'json' }).notNull(),
  createdAt: integer('created_at').notNull(),
  sentAt: integer('sent_at'),
});

/**
 * Present only while changes that came from elsewhere (the register's, the demo data) are being
 * written: the triggers that put every change of a synced table into the outbox stand aside then.
 * Every other write to a synced table reaches the outbox, in its own transaction, by itself.
 */
export const syncApplying = sqliteTable(
  'sync_applying',
  { singleton: integer('singleton').primaryKey().default(1) },
  (t) => [check('sync_applying_singleton', sql`${t.singleton} = 1`)],
);

/** This station's own settings (scanners, printers…), by key; kept locally and never synced. */
export const stationSettings = sqliteTable('station_settings', {
  key: text('key').primaryKey(),
  value: text('value', { mode: 'json' }).notNull(),
  updatedAt: integer('updated_at').notNull(),
});

/** Purchase orders to suppliers, received at goods receipt. What has arrived is read from the ledger. */
export const purchaseOrders = sqliteTable('purchase_orders', {
  id: text('id').primaryKey(),
  poNumber: text('po_number').notNull().unique(),
  supplier: text('supplier').notNull(),
  siteId: text('site_id')
    .notNull()
    .references(() => sites.id),
  expectedOn: text('expected_on').notNull(),
  createdAt: integer('created_at').notNull(),
});

export const purchaseOrderLines = sqliteTable(
  'purchase_order_lines',
  {
    id: text('id').primaryKey(),
    purchaseOrderId: text('purchase_order_id')
      .notNull()
      .references(() => purchaseOrders.id),
    lineNo: integer('line_no').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [uniqueIndex('purchase_order_lines_line').on(t.purchaseOrderId, t.lineNo), check('purchase_order_lines_quantity', sql`${t.quantity} > 0`)],
);

/**
 * Customer orders (kundorder): devices for a delivery point, delivered on its route's day. The
 * customer is a cost centre or a pseudonymous reference, never a personal identity number.
 */
export const customerOrders = sqliteTable(
  'customer_orders',
  {
    id: text('id').primaryKey(),
    orderRef: text('order_ref').notNull().unique(),
    customerRef: text('customer_ref').notNull(),
    deliveryPoint: text('delivery_point').notNull(),
    municipality: text('municipality').notNull(),
    route: text('route').notNull(),
    deliveryDay: text('delivery_day').notNull(),
    placedAt: integer('placed_at').notNull(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    /** Set on a refill (an internal order from the central store to a depot): the depot it goes to. */
    toSiteId: text('to_site_id').references(() => sites.id),
  },
  (t) => [index('customer_orders_route_day').on(t.route, t.deliveryDay), index('customer_orders_to_site').on(t.toSiteId).where(sql`${t.toSiteId} is not null`)],
);

export const customerOrderLines = sqliteTable(
  'customer_order_lines',
  {
    id: text('id').primaryKey(),
    customerOrderId: text('customer_order_id')
      .notNull()
      .references(() => customerOrders.id),
    lineNo: integer('line_no').notNull(),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    quantity: integer('quantity').notNull(),
  },
  (t) => [uniqueIndex('customer_order_lines_line').on(t.customerOrderId, t.lineNo), check('customer_order_lines_quantity', sql`${t.quantity} > 0`)],
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

/** The outcome of a return's component check. */
export const returnChecks = sqliteTable('return_checks', {
  movementId: text('movement_id')
    .primaryKey()
    .references(() => movements.id),
  individualId: text('individual_id')
    .notNull()
    .references(() => individuals.id),
  missing: text('missing', { mode: 'json' }).notNull(),
  checkedAt: integer('checked_at').notNull(),
  userId: text('user_id')
    .notNull()
    .references(() => users.id),
});

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
  (t) => [primaryKey({ columns: [t.articleId, t.lot] })],
);

/** Labels waiting to be printed (printing itself comes with the printers). */
export const labelJobs = sqliteTable('label_jobs', {
  id: text('id').primaryKey(),
  kind: text('kind').notNull(),
  entityId: text('entity_id').notNull(),
  createdAt: integer('created_at').notNull(),
  status: text('status').notNull().default('queued'),
});

export const PRINT_JOB_STATES = ['queued', 'printing', 'waiting', 'printed', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

/**
 * The print queue. A job is printed once: it is marked printed only when the printer has confirmed
 * the whole job; until then it waits and is tried again with backoff. A reprint is a new job.
 */
export const printJobs = sqliteTable(
  'print_jobs',
  {
    id: text('id').primaryKey(),
    printerId: text('printer_id').notNull(),
    kind: text('kind').notNull(),
    title: text('title').notNull(),
    zpl: text('zpl').notNull(),
    state: text('state', { enum: PRINT_JOB_STATES }).notNull(),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: integer('next_attempt_at').notNull(),
    lastError: text('last_error'),
    createdAt: integer('created_at').notNull(),
    printedAt: integer('printed_at'),
    reprintOf: text('reprint_of'),
    userId: text('user_id'),
  },
  (t) => [index('print_jobs_due').on(t.state, t.nextAttemptAt), check('print_jobs_state', sql`${t.state} in (${inList(PRINT_JOB_STATES)})`)],
);

/** Number series this station hands out offline, e.g. individual numbers, within its own block. */
export const numberSeries = sqliteTable('number_series', {
  name: text('name').primaryKey(),
  next: integer('next').notNull(),
  last: integer('last').notNull(),
});

export const PALLET_STATES = ['open', 'closed', 'received'] as const;

/** A pallet for a delivery (route, day, delivery point), identified by its SSCC. */
export const pallets = sqliteTable(
  'pallets',
  {
    id: text('id').primaryKey(),
    sscc: text('sscc').notNull().unique(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    route: text('route').notNull(),
    deliveryDay: text('delivery_day').notNull(),
    deliveryPoint: text('delivery_point').notNull(),
    municipality: text('municipality').notNull(),
    toSiteId: text('to_site_id').references(() => sites.id),
    state: text('state', { enum: PALLET_STATES }).notNull(),
    createdAt: integer('created_at').notNull(),
    closedAt: integer('closed_at'),
    receivedAt: integer('received_at'),
  },
  (t) => [index('pallets_route_day').on(t.route, t.deliveryDay), check('pallets_state', sql`${t.state} in (${inList(PALLET_STATES)})`)],
);

/** What is on a pallet; at the receiving depot each item is confirmed or reported missing. */
export const palletItems = sqliteTable(
  'pallet_items',
  {
    id: text('id').primaryKey(),
    palletId: text('pallet_id')
      .notNull()
      .references(() => pallets.id),
    articleId: text('article_id')
      .notNull()
      .references(() => articles.id),
    individualId: text('individual_id').references(() => individuals.id),
    lot: text('lot'),
    quantity: integer('quantity').notNull(),
    orderRef: text('order_ref'),
    addedAt: integer('added_at').notNull(),
    receivedState: text('received_state').notNull().default('pending'),
  },
  (t) => [index('pallet_items_pallet').on(t.palletId), check('pallet_items_quantity', sql`${t.quantity} > 0`)],
);

/** This station's link to the central register (one row once enrolled). */
export const syncState = sqliteTable(
  'sync_state',
  {
    singleton: integer('singleton').primaryKey().default(1),
    registerUrl: text('register_url').notNull(),
    token: text('token').notNull(),
    /** The register's identity; a different one means the register was replaced: start over. */
    epoch: text('epoch'),
    /** Pull from here: the register's change number last applied here. */
    cursor: integer('cursor').notNull().default(0),
    /** The last outbox entry the register has acknowledged. */
    acked: integer('acked').notNull().default(0),
    /** The last audit entry (by its place in the trail) the register holds. */
    auditAcked: integer('audit_acked').notNull().default(0),
    /** The first audit entry the register found not following from the one before, if any. */
    auditBrokenAt: integer('audit_broken_at'),
    lastSuccessAt: integer('last_success_at'),
    lastAttemptAt: integer('last_attempt_at'),
    lastError: text('last_error', { mode: 'json' }),
  },
  (t) => [check('sync_state_singleton', sql`${t.singleton} = 1`)],
);

/** What the register flagged for a supervisor here: entries it rejected, individuals moved by two stations. */
export const syncIssues = sqliteTable(
  'sync_issues',
  {
    id: text('id').primaryKey(),
    kind: text('kind', { enum: ['rejection', 'conflict'] }).notNull(),
    data: text('data', { mode: 'json' }).notNull(),
    at: integer('at').notNull(),
    resolvedAt: integer('resolved_at'),
    resolvedBy: text('resolved_by'),
  },
  (t) => [index('sync_issues_open').on(t.resolvedAt, t.at)],
);

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

export const SERVICE_JOB_STATES = ['returned', 'awaiting_cleaning', 'cleaned', 'inspected', 'needs_repair', 'in_repair', 'at_supplier', 'ready', 'scrapped'] as const;
export const SERVICE_PRIORITIES = ['acute', 'urgent', 'normal'] as const;

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

/** Preventive maintenance for an article family (an ISO 9999 code prefix): every so many days and/or operating hours. */
export const maintenancePlans = sqliteTable('maintenance_plans', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  isoPrefix: text('iso_prefix').notNull(),
  intervalDays: integer('interval_days'),
  intervalHours: integer('interval_hours'),
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
});

export const WORK_ORDER_ORIGINS = ['reconditioning', 'on_loan', 'municipality'] as const;
export type WorkOrderOrigin = (typeof WORK_ORDER_ORIGINS)[number];
export const WORK_ORDER_STATES = ['open', 'done', 'cancelled'] as const;

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

export const COUNT_KINDS = ['site', 'zone', 'locations', 'spot', 'cycle'] as const;
export type CountKind = (typeof COUNT_KINDS)[number];
export const COUNT_STATES = ['counting', 'approved', 'cancelled'] as const;
export const COUNT_LOCATION_STATES = ['open', 'counting', 'counted', 'recount', 'recounting', 'recounted'] as const;
export type CountLocationState = (typeof COUNT_LOCATION_STATES)[number];

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

/**
 * Wrong PINs per user at this station: five in a row lock the user (and their badge) here for a
 * cooling-off time that doubles with each further lock without a right PIN between (see
 * `lockFor` in db/users/users.ts). Station-local, beside the user records the register owns.
 */
export const signInLocks = sqliteTable('sign_in_locks', {
  userId: text('user_id')
    .primaryKey()
    .references(() => users.id),
  /** Wrong PINs since the last lock began (or the last right PIN). */
  failures: integer('failures').notNull(),
  lockedAt: integer('locked_at'),
  /** Locks in a row without a right PIN between, this one included. */
  locks: integer('locks').notNull().default(0),
  /** The lock lifts by itself at this time. */
  lockedUntil: integer('locked_until'),
  /**
   * The last unlock (`sign_in_unlocks` row) this station held when the lock began: only an unlock
   * that arrived after it lifts it, however the two stations' clocks differ.
   */
  unlocksSeen: integer('unlocks_seen').notNull().default(0),
});

/**
 * An administrator lifted a user's sign-in locks at every station of the user's site (or IT did,
 * in the register). Synced: written here, it travels to the register and from there to every
 * station, where a lock that began before the user's latest unlock counts as lifted.
 */
export const signInUnlocks = sqliteTable(
  'sign_in_unlocks',
  {
    id: text('id').primaryKey(),
    userId: text('user_id').notNull(),
    siteId: text('site_id').notNull(),
    at: integer('at').notNull(),
    /** The administrator; null when lifted in the register. */
    byUserId: text('by_user_id'),
  },
  (t) => [index('sign_in_unlocks_user').on(t.userId, t.at)],
);
