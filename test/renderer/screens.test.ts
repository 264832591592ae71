import './page';
import { isValidElement, type ReactElement } from 'react';
import { describe, expect, it } from 'vitest';
import { ROLES as DB_ROLES } from '../../db/schema';
import { en } from '../../renderer/src/i18n/en';
import { sv } from '../../renderer/src/i18n/sv';
import { PutawayPage } from '../../renderer/src/features/workflows/PutawayPage';
import { ScanPage } from '../../renderer/src/features/scan/ScanPage';
import { CountPage } from '../../renderer/src/features/counts/CountPage';
import { preloadScreen } from '../../renderer/src/components/ScreenBoundary';
import { MENU_GROUPS, ROLES, SCREENS, homeOf, menuFor, offered, scanTarget, scansNavigate, screenFor, takesScans, type ScreenContext } from '../../renderer/src/screens';

const routes = (screens: { route: string }[]) => screens.map((s) => s.route);
const lookup = (resource: object, key: string): unknown => key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], resource);
const ctx = (over: Partial<ScreenContext> = {}): ScreenContext => ({ id: 'x1', query: new URLSearchParams(), userId: 'u1', role: 'warehouse_worker', supervisor: false, siteId: 's1', ...over });

describe('the screen table', () => {
  it('knows every role the station has', () => {
    expect([...ROLES].sort()).toEqual([...DB_ROLES].sort());
  });

  it('gives each role its menu, its home first', () => {
    const menus = Object.fromEntries(ROLES.map((r) => [r, routes(menuFor(r))]));
    expect(menus).toEqual({
      // Storage locations are kept by those who work on the shelves; the workshop keeps its own data.
      warehouse_worker: ['scan', 'search', 'depot', 'deliveries', 'pickups', 'expiry', 'replenishment', 'counts', 'locations', 'printing', 'scanners'],
      depot_staff: ['depot', 'search', 'scan', 'pickups', 'expiry', 'replenishment', 'counts', 'locations', 'printing', 'scanners'],
      technician: ['service', 'search', 'scan', 'queue', 'workshop-data', 'printing', 'scanners'],
      supervisor: ['overview', 'search', 'scan', 'depot', 'deliveries', 'pickups', 'expiry', 'replenishment', 'counts', 'locations', 'service', 'queue', 'workshop', 'workshop-data', 'rentals', 'audit', 'printing', 'scanners', 'places', 'new-article', 'sync'],
      admin: ['overview', 'search', 'scan', 'depot', 'deliveries', 'pickups', 'expiry', 'replenishment', 'counts', 'locations', 'service', 'queue', 'workshop', 'workshop-data', 'rentals', 'audit', 'printing', 'scanners', 'places', 'new-article', 'users', 'sync'],
      // Prescribers use the kiosk; signed in, the core refuses them everything but scanning.
      prescriber: ['scan'],
    });
  });

  it('names exactly one home per role, offered in its menu', () => {
    for (const role of ROLES) {
      const homes = SCREENS.filter((s) => s.home?.includes(role));
      expect(homes, role).toHaveLength(1);
      expect(homes[0]!.roles, role).toContain(role);
      expect(homes[0]!.menu, role).not.toBeNull();
      expect(homeOf(role)).toBe(homes[0]);
    }
  });

  it('gives every screen one route, a title in both languages, roles and a page', () => {
    expect(new Set(routes([...SCREENS])).size).toBe(SCREENS.length);
    for (const s of SCREENS) {
      expect(s.route, s.route).toMatch(/^[a-z][a-z-]*$/);
      expect(typeof lookup(sv, s.title), s.route).toBe('string');
      expect(typeof lookup(en, s.title), s.route).toBe('string');
      expect(s.roles.length, s.route).toBeGreaterThan(0);
      for (const r of s.roles) expect(DB_ROLES, s.route).toContain(r);
      expect(isValidElement(s.page(ctx())), s.route).toBe(true);
    }
  });

  it('puts a screen in the menu of exactly the roles it names', () => {
    for (const s of SCREENS.filter((s) => s.menu !== null && s.menu !== 'workflows')) {
      expect(MENU_GROUPS, s.route).toContain(s.menu);
      for (const r of ROLES) expect(menuFor(r).includes(s), `${s.route} for ${r}`).toBe(s.roles.includes(r));
    }
  });

  it('offers the scanning station its workflows, in order', async () => {
    expect(routes(offered('workflows'))).toEqual(['receive', 'putaway', 'move', 'move-all', 'pick', 'pallet', 'pallet-receive', 'restock', 'return']);
    const station = screenFor('scan', 'warehouse_worker').page(ctx()) as ReactElement<{ workflows: { route: string; title: string }[] }>;
    expect(await preloadScreen(station.type)).toBe(ScanPage);
    expect(station.props.workflows.map((w) => w.title)).toEqual(['receive.title', 'putaway.title', 'move.title', 'moveAll.title', 'pick.title', 'pallet.title', 'palletIn.title', 'restock.title', 'returns.title']);
  });
});

describe('routing', () => {
  it('opens the home of the signed-in role where the address names no screen', () => {
    expect(screenFor(undefined, 'technician').route).toBe('service');
    expect(screenFor('', 'supervisor').route).toBe('overview');
    expect(screenFor(undefined, 'depot_staff').route).toBe('depot');
  });

  it('opens the scanning station for an address it does not know', () => {
    expect(screenFor('no-such-screen', 'supervisor').route).toBe('scan');
  });

  it('opens any screen for any role: the core decides what each may do there', () => {
    expect(screenFor('audit', 'warehouse_worker').route).toBe('audit');
  });

  it('hands each screen what it needs from the address and the signed-in user', async () => {
    const count = screenFor('count', 'supervisor').page(ctx({ id: 'c9', userId: 'u7', supervisor: true })) as ReactElement<Record<string, unknown>>;
    expect(await preloadScreen(count.type)).toBe(CountPage);
    expect(count.props).toEqual({ id: 'c9', supervisor: true });
    const search = screenFor('search', 'technician').page(ctx({ query: new URLSearchParams('q=rollator') })) as ReactElement<Record<string, unknown>>;
    expect(search.props).toEqual({ initial: 'rollator' });
    const move = screenFor('move', 'warehouse_worker').page(ctx()) as ReactElement<Record<string, unknown>>;
    // Putaway and move are one page: moving is a page of its own, not putaway's state carried over.
    expect(await preloadScreen(move.type)).toBe(PutawayPage);
    expect(move.key).toBe('move');
    expect(move.props).toEqual({ move: true });
  });
});

describe('scan routing', () => {
  it('leaves scans to the screens that take them', () => {
    const own = SCREENS.filter(takesScans).map((s) => s.route).sort();
    expect(own).toEqual(['count', 'deliveries', 'move', 'move-all', 'pallet', 'pallet-receive', 'pick', 'pickups', 'putaway', 'receive', 'restock', 'return', 'scanners', 'service'].sort());
    expect(takesScans(screenFor('search', 'warehouse_worker'))).toBe(false);
  });

  it('lets no scan lead away from a screen that takes scans, the home shown at an empty address included', () => {
    expect(scansNavigate('receive', 'warehouse_worker')).toBe(false);
    expect(scansNavigate('search', 'warehouse_worker')).toBe(true);
    expect(scansNavigate('no-such-screen', 'warehouse_worker')).toBe(true);
    // A technician starts at reconditioning, which takes its own scans.
    expect(scansNavigate(undefined, 'technician')).toBe(false);
    expect(scansNavigate(undefined, 'warehouse_worker')).toBe(true);
  });

  it('opens a scanned individual, article or location on its screen', () => {
    const details = { gtin: null } as never;
    expect(scanTarget({ kind: 'individual', id: 'i 1', individualNumber: 'A000001', articleId: 'a1', articleName: 'Rollator', status: 'in_stock' as never, locationCode: null })).toBe('#/individual/i%201');
    expect(scanTarget({ kind: 'article', id: 'a1', articleNumber: '123', name: 'Rollator', rentable: true, details })).toBe('#/article/a1');
    expect(scanTarget({ kind: 'location', id: 'l1', code: 'A-01', name: 'A-01', siteName: 'Centralförrådet' })).toBe('#/location/l1');
  });

  it('opens nothing for what only a workflow takes', () => {
    expect(scanTarget({ kind: 'order', ref: 'O-1' })).toBeNull();
    expect(scanTarget({ kind: 'pallet', sscc: '003456789012345675' })).toBeNull();
    expect(scanTarget({ kind: 'unknown', text: 'x', message: { sv: 'x', en: 'x' } })).toBeNull();
  });
});
