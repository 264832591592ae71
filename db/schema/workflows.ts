/**
 * What the workflows record beside the ledger: purchase and customer orders, return checks, pallets.
 */
import { sql } from 'drizzle-orm';
import { check, index, integer, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';
import { PALLET_STATES } from '../../vocabulary/domain';
import { inList } from './checks';
import { articles } from './articles';
import { individuals } from './individuals';
import { sites } from './sites';
import { movements } from './stock';
import { users } from './users';

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

/**
 * A pick-up order (hämtorder): a device on loan to be collected on its route's next collection
 * day (the same weekly days and 11:30 cut-off as deliveries), with its return label (returlapp).
 * It is collected when the device is taken in as a return.
 */
export const pickupOrders = sqliteTable(
  'pickup_orders',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull().unique(),
    siteId: text('site_id')
      .notNull()
      .references(() => sites.id),
    individualId: text('individual_id').notNull(),
    orderRef: text('order_ref'),
    customerRef: text('customer_ref'),
    pickupPoint: text('pickup_point').notNull(),
    municipality: text('municipality').notNull(),
    route: text('route').notNull(),
    collectionDay: text('collection_day').notNull(),
    placedAt: integer('placed_at').notNull(),
    placedBy: text('placed_by').notNull(),
    state: text('state', { enum: ['ordered', 'collected', 'cancelled'] }).notNull(),
    labelPrintedAt: integer('label_printed_at'),
    closedAt: integer('closed_at'),
    closedBy: text('closed_by'),
  },
  (t) => [
    index('pickup_orders_route_day').on(t.siteId, t.collectionDay, t.route),
    uniqueIndex('pickup_orders_one_open').on(t.individualId).where(sql`${t.state} = 'ordered'`),
    check('pickup_orders_state', sql`${t.state} in ('ordered', 'collected', 'cancelled')`),
  ],
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
    /** A customer's pallet handed over at its delivery point: when, and by whom (its devices are on loan from then). */
    deliveredAt: integer('delivered_at'),
    deliveredBy: text('delivered_by'),
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
