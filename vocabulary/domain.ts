/**
 * The station's domain vocabulary: the fixed lists of values the database allows (its check
 * constraints are built from them), the core checks input against, and the screens offer. Pure
 * data and types, importable by every layer, the renderer included.
 */

// Sites and locations.
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
/** Where stock ready to be lent stands. */
export const STORAGE_KINDS: readonly LocationKind[] = ['rack', 'shelf', 'floor'];

// Individuals (the serialised devices): where each stands.
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

// Who uses the station.
/** Prescribers (förskrivare) take devices at an unmanned depot's kiosk by badge; they never sign in to the station itself. */
export const ROLES = ['warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin', 'prescriber'] as const;
export type Role = (typeof ROLES)[number];
/** The role groups every rule of who may do what is written with (`api/permissions.ts`, the workflows). */
export const STAFF_ROLES = ['warehouse_worker', 'depot_staff', 'technician', 'supervisor', 'admin'] as const satisfies readonly Role[];
export const SUPERVISOR_ROLES = ['supervisor', 'admin'] as const satisfies readonly Role[];
/** The reconditioning workshop: technicians, and the warehouse workers who take devices through washing. */
export const WORKSHOP_ROLES = ['technician', 'warehouse_worker', 'supervisor', 'admin'] as const satisfies readonly Role[];

// The stock ledger.
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

// Printing.
export const PRINT_JOB_STATES = ['queued', 'printing', 'waiting', 'printed', 'cancelled'] as const;
export type PrintJobState = (typeof PRINT_JOB_STATES)[number];

// Pallets.
export const PALLET_STATES = ['open', 'closed', 'received'] as const;

// Service: reconditioning jobs and work orders.
export const SERVICE_JOB_STATES = ['returned', 'awaiting_cleaning', 'cleaned', 'inspected', 'needs_repair', 'in_repair', 'at_supplier', 'ready', 'scrapped'] as const;
export const SERVICE_PRIORITIES = ['acute', 'urgent', 'normal'] as const;
export const WORK_ORDER_ORIGINS = ['reconditioning', 'on_loan', 'municipality'] as const;
export type WorkOrderOrigin = (typeof WORK_ORDER_ORIGINS)[number];
export const WORK_ORDER_STATES = ['open', 'done', 'cancelled'] as const;

// Inventory counts.
export const COUNT_KINDS = ['site', 'zone', 'locations', 'spot', 'cycle'] as const;
export type CountKind = (typeof COUNT_KINDS)[number];
export const COUNT_STATES = ['counting', 'approved', 'cancelled'] as const;
export const COUNT_LOCATION_STATES = ['open', 'counting', 'counted', 'recount', 'recounting', 'recounted'] as const;
export type CountLocationState = (typeof COUNT_LOCATION_STATES)[number];

/** What the kiosk registers at once: lines in one basket, units on one line, and an order number's or cost centre's length. */
export const KIOSK_LINES = 200;
export const KIOSK_LINE_QUANTITY = 10_000;
export const ORDER_REF_MAX = 64;
