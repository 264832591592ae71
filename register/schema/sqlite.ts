/**
 * The register's tables, SQLite dialect (the embedded default). `schema/pg.ts` is the same
 * schema in PostgreSQL's dialect; each has its own committed drizzle-kit migrations.
 *
 * Master data (sites, locations, articles, users, individuals, orders) is kept as one row per
 * entity with its fields as JSON: the register stores and serves it, and reads only the few
 * fields it checks. Every change gets the next number of the register's one `rev` counter,
 * which is the cursor stations pull by.
 */
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

export const counters = sqliteTable('counters', {
  name: text('name').primaryKey(),
  value: integer('value').notNull(),
});

export const meta = sqliteTable('meta', {
  key: text('key').primaryKey(),
  value: text('value').notNull(),
});

export const stations = sqliteTable('stations', {
  id: text('id').primaryKey(),
  name: text('name').notNull(),
  siteId: text('site_id').notNull(),
  tokenHash: text('token_hash').unique(),
  enrolledAt: integer('enrolled_at').notNull(),
  revokedAt: integer('revoked_at'),
  lastApplied: integer('last_applied').notNull().default(0),
  lastSeenAt: integer('last_seen_at'),
  /** The app version the station last said it runs (its `X-Depot-Version` header), for the console's fleet view. */
  version: text('version'),
});

export const enrolmentCodes = sqliteTable('enrolment_codes', {
  codeHash: text('code_hash').primaryKey(),
  stationName: text('station_name').notNull(),
  siteId: text('site_id').notNull(),
  createdAt: integer('created_at').notNull(),
  expiresAt: integer('expires_at').notNull(),
  usedAt: integer('used_at'),
  stationId: text('station_id'),
});

export const entities = sqliteTable(
  'entities',
  {
    kind: text('kind').notNull(),
    id: text('id').notNull(),
    data: text('data').notNull(),
    rev: integer('rev').notNull(),
    deleted: integer('deleted').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.kind, t.id] }), index('entities_rev').on(t.rev)],
);

export const movements = sqliteTable(
  'movements',
  {
    id: text('id').primaryKey(),
    stationId: text('station_id').notNull(),
    seq: integer('seq').notNull(),
    userId: text('user_id').notNull(),
    occurredAt: integer('occurred_at').notNull(),
    recordedAt: integer('recorded_at').notNull(),
    articleId: text('article_id').notNull(),
    individualId: text('individual_id'),
    lot: text('lot'),
    fromLocationId: text('from_location_id'),
    toLocationId: text('to_location_id'),
    quantity: integer('quantity').notNull(),
    reason: text('reason').notNull(),
    orderRef: text('order_ref'),
    /** For a correction: the movement it reverses (an undo). */
    reverses: text('reverses'),
    rev: integer('rev').notNull(),
  },
  (t) => [
    uniqueIndex('movements_station_seq').on(t.stationId, t.seq),
    index('movements_rev').on(t.rev),
    index('movements_individual').on(t.individualId),
  ],
);

export const balances = sqliteTable(
  'balances',
  {
    articleId: text('article_id').notNull(),
    locationId: text('location_id').notNull(),
    lot: text('lot').notNull(),
    quantity: integer('quantity').notNull(),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.locationId, t.lot] })],
);

/**
 * Every station's audit trail as the station sent it, entry by entry in the station's order
 * (`seq`), each checked against the entry before: `chain_ok = 0` marks an entry that does not
 * follow from it (the station's file was altered before it was sent).
 */
export const auditEntries = sqliteTable(
  'audit_entries',
  {
    stationId: text('station_id').notNull(),
    seq: integer('seq').notNull(),
    id: text('id').notNull(),
    at: integer('at').notNull(),
    recordedStationId: text('recorded_station_id').notNull(),
    userId: text('user_id'),
    action: text('action').notNull(),
    entity: text('entity').notNull(),
    entityId: text('entity_id'),
    detail: text('detail'),
    hash: text('hash'),
    chainOk: integer('chain_ok').notNull(),
    receivedAt: integer('received_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.stationId, t.seq] }), index('audit_entries_at').on(t.at)],
);

/**
 * What was done in the register's console, and by whom: enrolment codes issued and withdrawn,
 * stations revoked, users created and changed (never a code or a PIN, only that one was issued).
 */
export const consoleAudit = sqliteTable(
  'console_audit',
  {
    id: text('id').primaryKey(),
    at: integer('at').notNull(),
    userId: text('user_id').notNull(),
    userName: text('user_name').notNull(),
    action: text('action').notNull(),
    subject: text('subject'),
    detail: text('detail'),
  },
  (t) => [index('console_audit_at').on(t.at)],
);

/**
 * The console's sign-ins, in the database so that any register node answers any of them (behind a
 * load balancer a browser's next call may reach another node): a session known by its token's hash.
 */
export const consoleSessions = sqliteTable(
  'console_sessions',
  {
    tokenHash: text('token_hash').primaryKey(),
    userId: text('user_id').notNull(),
    startedAt: integer('started_at').notNull(),
    usedAt: integer('used_at').notNull(),
  },
  (t) => [index('console_sessions_user').on(t.userId)],
);

/** Wrong PINs in the console per user, counted across every register node. */
export const consoleLocks = sqliteTable('console_locks', {
  userId: text('user_id').primaryKey(),
  failures: integer('failures').notNull(),
  locks: integer('locks').notNull(),
  lockedUntil: integer('locked_until'),
});
