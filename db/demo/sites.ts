/**
 * The demo's sites and locations: the central store first, then staffed and unmanned depots in
 * turn, each with its zones, floor spots and shelves, sharing the locations by the site's size.
 * Also the station row: the station itself is the first scanning station of the central store.
 */
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { LocationKind, LocationLevel } from '../schema';
import { SITES, type SiteSeed } from './catalogue';

/** A location the later seeders put stock in. */
export interface Loc {
  id: string;
  code: string;
  siteId: string;
  siteCode: string;
  kind: LocationKind;
}

/** A site and the locations the later seeders use: its zones for the flow, and where stock is kept. */
export interface SiteLocs {
  site: SiteSeed & { id: string };
  goodsIn?: Loc;
  returns?: Loc;
  dispatch?: Loc;
  cleaning?: Loc;
  workshop?: Loc;
  bins: Loc[];
  floor: Loc[];
}

/** Writes `sites` sites with `locations` locations among them; the central store comes first. */
export function seedSites(sq: StationDb['sqlite'], size: { sites: number; locations: number }): SiteLocs[] {
  const siteLocs: SiteLocs[] = [];
  const insSite = sq.prepare('insert into sites (id, code, name, kind, municipality) values (?, ?, ?, ?, ?)');
  // A smaller set still has every kind of site: the central store, then staffed and unmanned depots in turn.
  const staffed = SITES.filter((x) => x.kind === 'staffed_depot');
  const unmanned = SITES.filter((x) => x.kind === 'unmanned_depot');
  const interleaved = staffed.flatMap((x, i) => [x, ...(unmanned[i] ? [unmanned[i]] : [])]).concat(unmanned.slice(staffed.length));
  const chosen = size.sites >= SITES.length ? SITES.slice() : [...SITES.filter((x) => x.kind === 'central_store'), ...interleaved].slice(0, size.sites);
  const insLoc = sq.prepare(
    'insert into locations (id, site_id, parent_id, code, name, level, kind) values (?, ?, ?, ?, ?, ?, ?)',
  );
  let locationsLeft = size.locations;
  const weights = chosen.map((s) => (s.kind === 'central_store' ? 10 : s.kind === 'staffed_depot' ? 1.6 : 0.5));
  const weightSum = weights.reduce((a, b) => a + b, 0);
  chosen.forEach((s, si) => {
    const site = { ...s, id: uuidv7() };
    insSite.run(site.id, site.code, site.name, site.kind, site.municipality);
    const sl: SiteLocs = { site, bins: [], floor: [] };
    const add = (parent: string | null, code: string, name: string, level: LocationLevel, kind: LocationKind): Loc => {
      const l = { id: uuidv7(), code, siteId: site.id, siteCode: site.code, kind };
      insLoc.run(l.id, site.id, parent, code, name, level, kind);
      locationsLeft--;
      return l;
    };
    const budget = si === chosen.length - 1 ? locationsLeft : Math.round((size.locations * weights[si]!) / weightSum);
    const start = locationsLeft;
    const used = () => start - locationsLeft;
    const zone = (letter: string, name: string, kind: LocationKind) => add(null, `${s.code}-${letter}`, name, 'zone', kind);
    if (s.kind !== 'unmanned_depot') {
      sl.goodsIn = zone('A', 'Godsmottagning', 'goods_in');
      sl.returns = zone('R', 'Returer', 'returns');
      sl.dispatch = zone('D', 'Utlastning', 'dispatch');
      sl.workshop = zone('W', 'Verkstad', 'workshop');
    }
    // An unmanned depot keeps what is put back at its kiosk apart, until it goes for washing.
    if (s.kind === 'unmanned_depot') sl.returns = zone('R', 'Returer', 'returns');
    if (s.kind === 'central_store') {
      sl.cleaning = zone('C', 'Rengöring (diskkabinett)', 'cleaning');
      zone('Q', 'Karantän', 'quarantine');
      zone('S', 'Reservdelar', 'spare_parts');
    }
    const floorZone = zone('F', 'Golvplatser', 'floor');
    const floorCount = Math.max(2, Math.round(budget * 0.08));
    for (let f = 1; f <= floorCount; f++) {
      sl.floor.push(add(floorZone.id, `${s.code}-F-${String(f).padStart(2, '0')}`, `Golvplats ${f}`, 'bin', 'floor'));
    }
    const shelfZone = zone('H', 'Hyllager', 'rack');
    for (let aisle = 1; used() < budget && aisle <= 99; aisle++) {
      const a2 = String(aisle).padStart(2, '0');
      const aisleLoc = add(shelfZone.id, `${s.code}-H-${a2}`, `Gång ${a2}`, 'aisle', 'rack');
      for (let shelf = 1; shelf <= 10 && used() < budget; shelf++) {
        const s2 = String(shelf).padStart(2, '0');
        const shelfLoc = add(aisleLoc.id, `${s.code}-H-${a2}-${s2}`, `Hylla ${a2}-${s2}`, 'shelf', 'shelf');
        for (let bin = 1; bin <= 4 && used() < budget; bin++) {
          sl.bins.push(add(shelfLoc.id, `${s.code}-H-${a2}-${s2}-${bin}`, `Fack ${a2}-${s2}-${bin}`, 'bin', 'shelf'));
        }
      }
    }
    siteLocs.push(sl);
  });
  return siteLocs;
}

/** The station row: this database belongs to `stationId`, at `siteId`. */
export function seedStation(sq: StationDb['sqlite'], stationId: string, siteId: string, now: number): void {
  sq.prepare('insert into station (singleton, id, name, site_id, created_at) values (1, ?, ?, ?, ?)').run(stationId, 'Skanningsstation 1', siteId, now);
}
