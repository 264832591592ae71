import type { ReactNode } from 'react';
import type { ParseKeys } from 'i18next';
import type { ScanEvent } from '../../services/scanning';
import { ROLES, STAFF_ROLES, SUPERVISOR_ROLES, type Role } from '../../vocabulary/domain';
import { lazyScreen } from './components/ScreenBoundary';
import { href } from './router';

/** Each screen's code is loaded when it is first opened (see components/ScreenBoundary.tsx). */
const ArticlePage = lazyScreen(() => import('./features/article/ArticlePage'), 'ArticlePage');
const NewArticlePage = lazyScreen(() => import('./features/article/ArticleEditor'), 'NewArticlePage');
const AuditPage = lazyScreen(() => import('./features/audit/AuditPage'), 'AuditPage');
const CountPage = lazyScreen(() => import('./features/counts/CountPage'), 'CountPage');
const CountsPage = lazyScreen(() => import('./features/counts/CountsPage'), 'CountsPage');
const DeliveriesPage = lazyScreen(() => import('./features/deliveries/DeliveriesPage'), 'DeliveriesPage');
const PickupsPage = lazyScreen(() => import('./features/pickups/PickupsPage'), 'PickupsPage');
const ExpiryPage = lazyScreen(() => import('./features/lots/ExpiryPage'), 'ExpiryPage');
const DepotPage = lazyScreen(() => import('./features/depot/DepotPage'), 'DepotPage');
const IndividualPage = lazyScreen(() => import('./features/individual/IndividualPage'), 'IndividualPage');
const LocationPage = lazyScreen(() => import('./features/locations/LocationPage'), 'LocationPage');
const LocationsPage = lazyScreen(() => import('./features/locations/LocationsPage'), 'LocationsPage');
const PlacesPage = lazyScreen(() => import('./features/locations/PlacesPage'), 'PlacesPage');
const PrintingPage = lazyScreen(() => import('./features/printing/PrintingPage'), 'PrintingPage');
const RentalsPage = lazyScreen(() => import('./features/rentals/RentalsPage'), 'RentalsPage');
const ReplenishmentPage = lazyScreen(() => import('./features/replenishment/ReplenishmentPage'), 'ReplenishmentPage');
const ScannersPage = lazyScreen(() => import('./features/scanners/ScannersPage'), 'ScannersPage');
const SearchPage = lazyScreen(() => import('./features/search/SearchPage'), 'SearchPage');
const ServicePage = lazyScreen(() => import('./features/service/ServicePage'), 'ServicePage');
const WorkshopPage = lazyScreen(() => import('./features/service/WorkshopPage'), 'WorkshopPage');
const WorkshopDataPage = lazyScreen(() => import('./features/service/WorkshopDataPage'), 'WorkshopDataPage');
const UsersPage = lazyScreen(() => import('./features/users/UsersPage'), 'UsersPage');
const ScanPage = lazyScreen(() => import('./features/scan/ScanPage'), 'ScanPage');
const OverviewPage = lazyScreen(() => import('./features/supervisor/OverviewPage'), 'OverviewPage');
const SyncPage = lazyScreen(() => import('./features/sync/SyncPage'), 'SyncPage');
const QueuePage = lazyScreen(() => import('./features/technician/QueuePage'), 'QueuePage');
const MoveAllPage = lazyScreen(() => import('./features/workflows/MoveAllPage'), 'MoveAllPage');
const PalletPage = lazyScreen(() => import('./features/workflows/PalletPage'), 'PalletPage');
const PalletReceivePage = lazyScreen(() => import('./features/workflows/PalletReceivePage'), 'PalletReceivePage');
const PickPage = lazyScreen(() => import('./features/workflows/PickPage'), 'PickPage');
const PutawayPage = lazyScreen(() => import('./features/workflows/PutawayPage'), 'PutawayPage');
const ReceivePage = lazyScreen(() => import('./features/workflows/ReceivePage'), 'ReceivePage');
const RestockPage = lazyScreen(() => import('./features/workflows/RestockPage'), 'RestockPage');
const ReturnPage = lazyScreen(() => import('./features/workflows/ReturnPage'), 'ReturnPage');

/** Every role, in the order the station lists them, and the core's role groups. */
export { ROLES };
const STAFF = STAFF_ROLES;
const LEADS = SUPERVISOR_ROLES;
/** Who works with stock on the shelves. */
const STOCK = ['warehouse_worker', 'depot_staff', 'supervisor', 'admin'] as const satisfies readonly Role[];
/** Who keeps the storage locations (create, rename, move); retiring one stays a supervisor's. */
const keepsLocations = (role: Role) => (STOCK as readonly Role[]).includes(role);

/** The site a screen starts on: a depot's staff their own depot, everyone else the station's site. */
const ownSite = (c: ScreenContext): string => (c.role === 'depot_staff' && c.userSiteId ? c.userSiteId : c.siteId);

/**
 * The top menu's groups, in the order they appear; within a group, screens keep the table's order.
 * The bar shows a role's home as a link of its own and each group as one menu button, so it keeps
 * to one row at 1366 px for every role.
 */
export const MENU_GROUPS = ['stock', 'workshop', 'follow-up', 'setup'] as const;
export type MenuGroup = (typeof MENU_GROUPS)[number];

/** What a screen is given: the address's id and query, who is signed in, and the station's own site. */
export interface ScreenContext {
  id: string;
  query: URLSearchParams;
  userId: string;
  role: Role;
  /** A supervisor or an administrator: screens show them what only they may do. */
  supervisor: boolean;
  siteId: string;
  /** The signed-in user's own site, when they belong to one. */
  userSiteId?: string | null;
}

export interface Screen {
  /** The address's first part: `#/<route>/<id>`. */
  route: string;
  /** What the screen is called where it is offered. */
  title: ParseKeys;
  /**
   * Who is offered the screen where it is offered. Anyone signed in may still open any address:
   * the core decides what each role may do, and a screen shows its refusal.
   */
  roles: readonly Role[];
  /** Where it is offered: a group of the top menu, the scanning station's list of workflows, or nowhere (reached by a link or a scan). */
  menu: MenuGroup | 'workflows' | null;
  /** The roles that start here after signing in, and whose menu begins with it. */
  home?: readonly Role[];
  /**
   * How scans meet the screen: `own` takes every scan itself (a workflow, the scanner settings);
   * an individual, article or location scanned anywhere else opens the screen for that kind.
   */
  scans?: 'own' | 'individual' | 'article' | 'location';
  page: (ctx: ScreenContext) => ReactNode;
}

/** The station's screens. The router, the menus and where scans lead are all read from here. */
export const SCREENS: readonly Screen[] = [
  { route: 'overview', title: 'nav.overview', roles: LEADS, menu: 'follow-up', home: LEADS, page: () => <OverviewPage /> },
  { route: 'service', title: 'nav.service', roles: ['technician', ...LEADS], menu: 'workshop', home: ['technician'], scans: 'own', page: (c) => <ServicePage supervisor={c.supervisor} /> },
  { route: 'queue', title: 'nav.queue', roles: ['technician', ...LEADS], menu: 'workshop', page: () => <QueuePage /> },
  { route: 'search', title: 'nav.search', roles: STAFF, menu: 'stock', page: (c) => <SearchPage initial={c.query.get('q') ?? ''} /> },
  { route: 'scan', title: 'nav.scan', roles: ROLES, menu: 'stock', home: ['warehouse_worker', 'prescriber'], page: () => <ScanPage workflows={offered('workflows')} /> },
  { route: 'depot', title: 'nav.depot', roles: STOCK, menu: 'stock', home: ['depot_staff'], page: (c) => <DepotPage defaultSiteId={ownSite(c)} role={c.role} /> },
  { route: 'deliveries', title: 'nav.deliveries', roles: ['warehouse_worker', ...LEADS], menu: 'stock', scans: 'own', page: () => <DeliveriesPage /> },
  { route: 'pickups', title: 'nav.pickups', roles: STOCK, menu: 'stock', scans: 'own', page: () => <PickupsPage /> },
  { route: 'expiry', title: 'nav.expiry', roles: STOCK, menu: 'stock', page: () => <ExpiryPage /> },
  { route: 'replenishment', title: 'nav.replenishment', roles: STOCK, menu: 'stock', page: (c) => <ReplenishmentPage role={c.role} /> },
  { route: 'counts', title: 'nav.counts', roles: STOCK, menu: 'stock', page: (c) => <CountsPage siteId={c.siteId} supervisor={c.supervisor} /> },
  { route: 'locations', title: 'nav.locations', roles: STOCK, menu: 'stock', page: (c) => <LocationsPage defaultSiteId={ownSite(c)} keeps={keepsLocations(c.role)} /> },
  { route: 'workshop', title: 'nav.workshop', roles: LEADS, menu: 'workshop', page: () => <WorkshopPage /> },
  { route: 'rentals', title: 'nav.rentals', roles: LEADS, menu: 'follow-up', page: () => <RentalsPage /> },
  { route: 'audit', title: 'nav.audit', roles: LEADS, menu: 'follow-up', page: () => <AuditPage /> },
  { route: 'printing', title: 'nav.printing', roles: STAFF, menu: 'setup', page: (c) => <PrintingPage supervisor={c.supervisor} /> },
  { route: 'scanners', title: 'nav.scanners', roles: STAFF, menu: 'setup', scans: 'own', page: (c) => <ScannersPage supervisor={c.supervisor} /> },
  { route: 'workshop-data', title: 'nav.workshopData', roles: ['technician', ...LEADS], menu: 'workshop', page: (c) => <WorkshopDataPage supervisor={c.supervisor} /> },
  { route: 'places', title: 'nav.places', roles: LEADS, menu: 'setup', page: (c) => <PlacesPage admin={c.role === 'admin'} /> },
  { route: 'new-article', title: 'nav.newArticle', roles: LEADS, menu: 'setup', page: () => <NewArticlePage /> },
  { route: 'users', title: 'nav.users', roles: ['admin'], menu: 'setup', page: () => <UsersPage /> },
  { route: 'sync', title: 'nav.sync', roles: LEADS, menu: 'setup', page: (c) => <SyncPage role={c.role} /> },

  // The scanning station's workflows: each takes the scanner while it is open.
  { route: 'receive', title: 'receive.title', roles: ROLES, menu: 'workflows', scans: 'own', page: (c) => <ReceivePage supervisor={c.supervisor} /> },
  { route: 'putaway', title: 'putaway.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <PutawayPage /> },
  { route: 'move', title: 'move.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <PutawayPage key="move" move /> },
  { route: 'move-all', title: 'moveAll.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <MoveAllPage /> },
  { route: 'pick', title: 'pick.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <PickPage /> },
  { route: 'pallet', title: 'pallet.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <PalletPage /> },
  { route: 'pallet-receive', title: 'palletIn.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <PalletReceivePage /> },
  { route: 'restock', title: 'restock.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <RestockPage /> },
  { route: 'return', title: 'returns.title', roles: ROLES, menu: 'workflows', scans: 'own', page: () => <ReturnPage /> },

  // Reached by a scan or a link.
  { route: 'individual', title: 'search.kinds.individual', roles: STAFF, menu: null, scans: 'individual', page: (c) => <IndividualPage id={c.id} /> },
  { route: 'article', title: 'search.kinds.article', roles: STAFF, menu: null, scans: 'article', page: (c) => <ArticlePage id={c.id} role={c.role} /> },
  { route: 'location', title: 'search.kinds.location', roles: STAFF, menu: null, scans: 'location', page: (c) => <LocationPage id={c.id} keeps={keepsLocations(c.role)} supervisor={c.supervisor} /> },
  { route: 'count', title: 'counts.count', roles: STOCK, menu: null, scans: 'own', page: (c) => <CountPage id={c.id} supervisor={c.supervisor} /> },
];

const byRoute = new Map(SCREENS.map((s) => [s.route, s]));

/** Where a role starts: the one screen that names it as home. */
export function homeOf(role: Role): Screen {
  return SCREENS.find((s) => s.home?.includes(role)) ?? screenAt('scan');
}

/** The screen at a route: the role's home where there is none, the scanning station where it is unknown. */
export function screenFor(route: string | undefined, role: Role): Screen {
  if (route === undefined || route === '') return homeOf(role);
  return byRoute.get(route) ?? screenAt('scan');
}

export function screenAt(route: string): Screen {
  const s = byRoute.get(route);
  if (!s) throw new Error(`No screen at ${route}`);
  return s;
}

/** A role's top menu: its home first, then the menu's groups in order. */
export function menuFor(role: Role): Screen[] {
  const home = homeOf(role);
  const rest = MENU_GROUPS.flatMap((g) => SCREENS.filter((s) => s.menu === g && s !== home && s.roles.includes(role)));
  return [home, ...rest];
}

/** A role's top menu as the bar shows it: its home, then each group with the role's screens in it (none empty). */
export function menuGroupsFor(role: Role): { home: Screen; groups: { group: MenuGroup; screens: Screen[] }[] } {
  const home = homeOf(role);
  const groups = MENU_GROUPS.map((group) => ({ group, screens: SCREENS.filter((s) => s.menu === group && s !== home && s.roles.includes(role)) }));
  return { home, groups: groups.filter((g) => g.screens.length > 0) };
}

/** The screens offered in one place, for a role (or for anyone). */
export function offered(where: MenuGroup | 'workflows', role?: Role): Screen[] {
  return SCREENS.filter((s) => s.menu === where && (role === undefined || s.roles.includes(role)));
}

/** Whether the screen takes scans itself, so a scan must not lead away from it. */
export const takesScans = (screen: Screen): boolean => screen.scans === 'own';

/** Whether a scan made at this address opens what was scanned: not where the screen shown (the home included) takes scans itself. */
export const scansNavigate = (route: string | undefined, role: Role): boolean => !takesScans(screenFor(route, role));

/** Where a scanned individual, article or location opens; nothing for what a workflow takes (an order, a pallet…). */
export function scanTarget(resolution: NonNullable<ScanEvent['resolution']>): string | null {
  if (resolution.kind !== 'individual' && resolution.kind !== 'article' && resolution.kind !== 'location') return null;
  const screen = SCREENS.find((s) => s.scans === resolution.kind);
  return screen ? href(screen.route, resolution.id) : null;
}

/** Loads the code of the screens a scan opens (a device, an article, a location) before the first scan needs it. */
export function preloadScanScreens(): void {
  for (const screen of [IndividualPage, ArticlePage, LocationPage]) void screen.preload().catch(() => undefined);
}
