/**
 * The kinds of entry a supervisor looks for in the audit trail, in the warehouse's words rather
 * than the entries' own names: sign-ins and locks, the stock's comings and goings, counts, the
 * workshop, the register of users, places and articles, and the station's settings. Every entry
 * has one kind, read from its action: an exact name first, else the part before its first dot
 * (a call's name, "picking.pick"), else none.
 */
export const AUDIT_KINDS = ['signIn', 'stock', 'counts', 'workshop', 'records', 'settings'] as const;
export type AuditKind = (typeof AUDIT_KINDS)[number];

const EXACT: Record<string, AuditKind> = {
  sign_in: 'signIn',
  sign_in_failed: 'signIn',
  sign_in_refused_locked: 'signIn',
  sign_in_locked: 'signIn',
  sign_in_unlocked: 'signIn',
  pin_set_with_code: 'signIn',
  'user.pin_code': 'signIn',
  undo: 'stock',
  'kiosk.withdraw': 'stock',
  'kiosk.configure': 'settings',
  'workshop.preferred_location': 'records',
  'stock.saveArticle': 'records',
  'stock.linkGtin': 'records',
};

const BY_CALL: Record<string, AuditKind> = {
  auth: 'signIn',
  receiving: 'stock',
  putaway: 'stock',
  move: 'stock',
  picking: 'stock',
  returns: 'stock',
  pallets: 'stock',
  restock: 'stock',
  deliveries: 'stock',
  pickups: 'stock',
  purchase: 'stock',
  refill: 'stock',
  replenishment: 'stock',
  lots: 'stock',
  stock: 'stock',
  kiosk: 'stock',
  reorder: 'stock',
  scan: 'stock',
  workflow: 'stock',
  count: 'counts',
  service: 'workshop',
  workorder: 'workshop',
  wash: 'workshop',
  workshop: 'workshop',
  maintenance: 'workshop',
  user: 'records',
  users: 'records',
  location: 'records',
  locations: 'records',
  site: 'records',
  delivery_point: 'records',
  article: 'records',
  gtin: 'records',
  places: 'records',
  settings: 'settings',
  station: 'settings',
  scanners: 'settings',
  printers: 'settings',
  print: 'settings',
  labels: 'settings',
  sync: 'settings',
  audit: 'settings',
};

/** The kind of an entry by its action, or null for one no kind covers. */
export function auditKindOf(action: string): AuditKind | null {
  if (Object.hasOwn(EXACT, action)) return EXACT[action]!;
  const dot = action.indexOf('.');
  const call = dot > 0 ? action.slice(0, dot) : null;
  return call !== null && Object.hasOwn(BY_CALL, call) ? BY_CALL[call]! : null;
}
