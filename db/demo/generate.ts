/**
 * Fills an empty station database with a coherent, deterministic dataset: the demo data every
 * fresh install starts with, or the large dataset the benchmarks run on. Individuals get a
 * plausible life (receipt, put-away, loans, returns, cleaning, reconditioning, transfers to depots)
 * and their final status and location follow from it; balances follow from the ledger trigger.
 */
import iso from '../reference/iso9999.json';
import { gs1CheckDigit } from '../../vocabulary/codes/station-codes';
import { uuidv7 } from '../ids';
import type { Store } from '../open';
import type { LocationKind, LocationLevel, MovementReason } from '../schema';
import { stateAfter, type DeviceState } from '../stock/status';
import { orderCutoff } from '../workflows/picking';
import { pinPepper } from '../pepper';
import { hashPin } from '../users/pins';
import { seedWorkshop } from './workshop';
import { DEMO_USERS, FAMILIES, MODELS, SITES, SUPPLIERS, isRentable, type SiteSeed } from './catalogue';

export interface DatasetSize {
  sites: number;
  articles: number;
  individuals: number;
  locations: number;
  movements: number;
}

export const DEMO_SIZE: DatasetSize = { sites: 14, articles: 500, individuals: 5_000, locations: 800, movements: 45_000 };
export const LARGE_SIZE: DatasetSize = { sites: 20, articles: 20_000, individuals: 300_000, locations: 5_000, movements: 3_000_000 };

const DAY = 86_400_000;

/** A small, fast, seeded PRNG (mulberry32), so the same size always gives the same data. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Loc {
  id: string;
  code: string;
  siteId: string;
  siteCode: string;
  kind: LocationKind;
}

interface SiteLocs {
  site: SiteSeed & { id: string };
  goodsIn?: Loc;
  returns?: Loc;
  dispatch?: Loc;
  cleaning?: Loc;
  workshop?: Loc;
  bins: Loc[];
  floor: Loc[];
}

export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * Seeds an empty database. The station itself is the first scanning station in Boden.
 * Returns the station id.
 */
export function seedDataset(store: Store, size: DatasetSize, onProgress?: (p: SeedProgress) => void, seed = 9999): string {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const sq = store.sqlite;
  const now = Date.now();
  const stationId = uuidv7(now);

  // Reference data, sites, locations, users, articles.
  const siteLocs: SiteLocs[] = [];
  const users: { id: string; role: string; site: string }[] = [];
  const articles: { id: string; number: string; iso: string; rentable: boolean; tracking: string; weight: number; floor: boolean; gtin: string }[] = [];
  sq.transaction(() => {
    const insIso = sq.prepare('insert into iso_codes (code, edition, title, group_code) values (?, ?, ?, ?)');
    for (const g of iso.groups) insIso.run(g.code, iso.edition, g.title, null);
    for (const s of iso.subgroups) insIso.run(s.code, iso.edition, s.title, s.group);

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
    const boden = siteLocs[0]!.site;
    sq.prepare('insert into station (singleton, id, name, site_id, created_at) values (1, ?, ?, ?, ?)').run(
      stationId,
      'Skanningsstation 1',
      boden.id,
      now,
    );
    const insUser = sq.prepare('insert into users (id, name, role, pin_hash, badge_code, site_id, active) values (?, ?, ?, ?, ?, ?, 1)');
    // The pepper of the register this data goes to, when one handed it over first (`keepPinPepper`).
    const pepper = pinPepper(store, { linked: false });
    DEMO_USERS.forEach((u, i) => {
      const id = uuidv7();
      const site = siteLocs.find((s) => s.site.code === u.site)?.site ?? boden;
      // No PIN, no sign-in: a prescriber's badge opens the kiosk and nothing else.
      insUser.run(id, u.name, u.role, u.pin ? hashPin(u.pin, pepper) : 'none', `U${String(1001 + i)}`, site.id);
      if (u.role !== 'prescriber') users.push({ id, role: u.role, site: site.code });
    });

    const insArticle = sq.prepare(
      `insert into articles (id, article_number, name, search_name, iso_code, iso_edition, rentable, unit, supplier, purchase_price, tracking)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insGtin = sq.prepare('insert into article_gtins (gtin, article_id) values (?, ?)');
    const familyWeights = FAMILIES.map((f) => f.weight);
    const familyTotal = familyWeights.reduce((a, b) => a + b, 0);
    let gtinSerial = 0;
    for (let n = 0; n < size.articles; n++) {
      let r = rnd() * familyTotal;
      let f = FAMILIES[0]!;
      for (const fam of FAMILIES) if ((r -= fam.weight) < 0) { f = fam; break; }
      const priceSek = between(f.price[0], f.price[1]);
      const name = `${pick(f.nouns)} ${pick(MODELS)} ${pick(f.variants)}`;
      const rentable = isRentable(f.iso, priceSek);
      const a = {
        id: uuidv7(),
        number: `A${String(100000 + n).padStart(6, '0')}`,
        iso: f.iso,
        rentable,
        tracking: f.tracking ?? 'none',
        weight: f.weight * (0.3 + rnd()),
        floor: /^(1812|1236|1222|1223)/.test(f.iso),
        gtin: '',
      };
      articles.push(a);
      insArticle.run(a.id, a.number, name, name.toLocaleLowerCase('sv-SE'), f.iso, iso.edition, rentable ? 1 : 0, f.unit ?? 'st', pick(SUPPLIERS), priceSek * 100, a.tracking);
      const gtins = rnd() < 0.3 ? 2 : 1;
      for (let g = 0; g < gtins; g++) {
        const body = `735${String(1000 + (gtinSerial % 9000)).padStart(4, '0')}${String(Math.floor(gtinSerial / 9000) * 7 + g).padStart(5, '0')}`;
        gtinSerial++;
        const gtin = `0${body}${gs1CheckDigit(body)}`;
        if (g === 0) a.gtin = gtin;
        insGtin.run(gtin, a.id);
      }
    }
  })();
  onProgress?.({ phase: 'master data', done: 1, total: 1 });

  // Movements: each site's own station posted what happened there.
  const stations = new Map(siteLocs.map((s) => [s.site.id, { id: uuidv7(), seq: 0 }]));
  const central = siteLocs[0]!;
  const depots = siteLocs.slice(1);
  const byRole = (role: string) => users.filter((u) => u.role === role).map((u) => u.id);
  const workers = byRole('warehouse_worker');
  const depotStaff = byRole('depot_staff');
  const technicians = byRole('technician');
  const insMove = sq.prepare(
    `insert into movements (id, station_id, seq, user_id, occurred_at, recorded_at, article_id, individual_id, lot,
       from_location_id, to_location_id, quantity, reason, order_ref) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insInd = sq.prepare(
    `insert into individuals (id, individual_number, article_id, serial_number, udi, status, site_id, location_id, ready_since, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  let movementCount = 0;
  let orderSerial = 0;
  const post = (
    articleId: string,
    individualId: string | null,
    lot: string | null,
    from: Loc | null,
    to: Loc | null,
    quantity: number,
    reason: MovementReason,
    at: number,
  ) => {
    const siteId = (to ?? from)!.siteId;
    const st = stations.get(siteId)!;
    const user =
      reason === 'to_reconditioning' || reason === 'ready' || reason === 'scrap'
        ? pick(technicians)
        : siteId === central.site.id
          ? pick(workers)
          : pick(depotStaff.length ? depotStaff : workers);
    const orderRef = reason === 'delivery' ? `KO-${String(++orderSerial).padStart(7, '0')}` : reason === 'return' ? `HO-${String(++orderSerial).padStart(7, '0')}` : null;
    insMove.run(uuidv7(), st.id, ++st.seq, user, at, at + between(0, 120_000), articleId, individualId, lot, from?.id ?? null, to?.id ?? null, quantity, reason, orderRef);
    movementCount++;
  };

  const rentables = articles.filter((a) => a.rentable);
  const cumulative: number[] = [];
  rentables.reduce((acc, a) => (cumulative.push(acc + a.weight), acc + a.weight), 0);
  const totalWeight = cumulative.at(-1) ?? 0;
  const pickRentable = () => {
    const r = rnd() * totalWeight;
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < r) lo = mid + 1;
      else hi = mid;
    }
    return rentables[lo]!;
  };
  const individualBudget = Math.round(size.movements * 0.85);
  const perIndividual = individualBudget / Math.max(1, size.individuals);
  const CHUNK = 2000;
  for (let start = 0; start < size.individuals && rentables.length; start += CHUNK) {
    sq.transaction(() => {
      for (let n = start; n < Math.min(size.individuals, start + CHUNK); n++) {
        const a = pickRentable();
        const id = uuidv7();
        const number = `I${String(100001 + n).padStart(7, '0')}`;
        const serial = `${a.iso.slice(0, 2)}${String.fromCharCode(65 + (n % 26))}${String(between(10, 25))}${String(n).padStart(6, '0')}`;
        // Walk the individual's life from time 0, end it in a chosen state, then shift it so it ends
        // shortly before now. The individual row is written first, in its final state.
        const steps: [Loc | null, Loc | null, MovementReason, number][] = [];
        let at = 0;
        let here: Loc | null = null;
        const go = (to: Loc | null, reason: MovementReason, afterMs: number) => {
          at += afterMs;
          steps.push([here, to, reason, at]);
          here = to;
        };
        const hours = (lo: number, hi: number) => between(lo, hi) * 3_600_000;
        const home = () => (a.floor ? pick(central.floor) : pick(central.bins));
        const depotSpot = (d: SiteLocs) => (a.floor && d.floor.length ? pick(d.floor) : pick(d.bins.length ? d.bins : d.floor));
        const loanAndBack = () => {
          if (rnd() < 0.35 && depots.length) {
            go(depotSpot(pick(depots)), 'transfer', hours(24, 24 * 60));
            go(null, 'delivery', hours(24, 24 * 90));
          } else {
            go(central.dispatch!, 'pick', hours(24, 24 * 60));
            go(null, 'delivery', hours(2, 24 * 6));
          }
          go(central.returns!, 'return', hours(24 * 20, 24 * 300));
          go(central.cleaning!, 'to_cleaning', hours(2, 48));
          go(central.workshop!, 'to_reconditioning', hours(2, 72));
          go(home(), 'ready', hours(4, 24 * 14));
        };
        go(central.goodsIn!, 'receipt', 0);
        go(home(), 'put_away', hours(1, 30));
        const cycles = Math.max(0, Math.round((perIndividual - 4) / 6 + (rnd() - 0.5) * 2));
        for (let c = 0; c < cycles; c++) loanAndBack();
        const end = rnd();
        let gap = hours(1, 24 * 20);
        if (end < 0.3) {
          // on loan to a patient
          go(central.dispatch!, 'pick', hours(24, 24 * 30));
          go(null, 'delivery', hours(2, 24 * 6));
          gap = hours(24, 24 * 400);
        } else if (end < 0.5 && depots.length) {
          go(depotSpot(pick(depots)), 'transfer', hours(24, 24 * 30)); // waiting at a depot
          gap = hours(24, 24 * 120);
        } else if (end < 0.53) {
          go(central.dispatch!, 'pick', hours(24, 24 * 30)); // picked for the next delivery
        } else if (end < 0.56) {
          go(central.dispatch!, 'pick', hours(24, 24 * 30));
          go(null, 'delivery', hours(2, 24 * 6));
          go(central.returns!, 'return', hours(24 * 20, 24 * 300)); // just returned
        } else if (end < 0.6) {
          go(central.dispatch!, 'pick', hours(24, 24 * 30));
          go(null, 'delivery', hours(2, 24 * 6));
          go(central.returns!, 'return', hours(24 * 20, 24 * 300));
          go(central.cleaning!, 'to_cleaning', hours(2, 48)); // in the wash cabinet
        } else if (end < 0.66) {
          go(central.dispatch!, 'pick', hours(24, 24 * 30));
          go(null, 'delivery', hours(2, 24 * 6));
          go(central.returns!, 'return', hours(24 * 20, 24 * 300));
          go(central.cleaning!, 'to_cleaning', hours(2, 48));
          go(central.workshop!, 'to_reconditioning', hours(2, 72)); // with a technician
        } else if (end < 0.68) {
          go(central.workshop!, 'to_reconditioning', hours(24, 24 * 30));
          go(null, 'scrap', hours(2, 24 * 10)); // worn out
        }
        const shift = now - gap - at;
        for (const st of steps) st[3] += shift;
        const last = steps.at(-1)!;
        const finalLoc = last[1];
        const state = steps.reduce<DeviceState | null>((s, [, to, reason, t]) => stateAfter(s, reason, to, t), null)!;
        insInd.run(
          id,
          number,
          a.id,
          serial,
          rnd() < 0.5 ? `(01)${a.gtin}(21)${serial}` : null,
          state.status,
          finalLoc?.siteId ?? null,
          finalLoc?.id ?? null,
          state.readySince,
          last[3],
        );
        for (const [from, to, reason, t] of steps) post(a.id, id, null, from, to, 1, reason, t);
      }
    })();
    onProgress?.({ phase: 'individuals', done: Math.min(size.individuals, start + CHUNK), total: size.individuals });
  }

  // Components and consumables fill the rest of the ledger: receipts, picks, deliveries, depot refills.
  const sold = articles.filter((a) => !a.rentable);
  const stock = new Map<string, number>();
  const key = (a: string, l: string, lot: string | null) => `${a}|${l}|${lot ?? ''}`;
  const total = size.movements;
  while (movementCount < total && sold.length) {
    sq.transaction(() => {
      for (let k = 0; k < 5000 && movementCount < total; k++) {
        const a = pick(sold);
        const lot = a.tracking === 'none' ? null : `L${between(2301, 2612)}-${between(1, 99)}`;
        const bin = central.bins[Math.floor((a.number.charCodeAt(6) * 31 + a.number.charCodeAt(5)) % central.bins.length)] ?? central.bins[0]!;
        const at = now - between(2, 3 * 365) * DAY;
        const have = stock.get(key(a.id, bin.id, lot)) ?? 0;
        if (have < 10 || rnd() < 0.15) {
          const q = between(20, 200);
          post(a.id, null, lot, null, bin, q, 'receipt', at);
          stock.set(key(a.id, bin.id, lot), have + q);
        } else if (rnd() < 0.3 && depots.length && movementCount + 1 < total) {
          const depot = pick(depots);
          const spot = depot.bins.length ? pick(depot.bins) : pick(depot.floor);
          const q = Math.min(have, between(2, 10));
          post(a.id, null, lot, bin, spot, q, 'transfer', at);
          post(a.id, null, lot, spot, null, between(1, q), 'delivery', at + DAY);
          stock.set(key(a.id, bin.id, lot), have - q);
        } else if (movementCount + 1 < total) {
          const q = Math.min(have, between(1, 8));
          post(a.id, null, lot, bin, central.dispatch!, q, 'pick', at);
          post(a.id, null, lot, central.dispatch!, null, q, 'delivery', at + DAY);
          stock.set(key(a.id, bin.id, lot), have - q);
        } else {
          const q = between(20, 200);
          post(a.id, null, lot, null, bin, q, 'receipt', at);
          stock.set(key(a.id, bin.id, lot), have + q);
        }
      }
    })();
    onProgress?.({ phase: 'movements', done: movementCount, total });
  }
  seedOrders(sq, { rnd, now, central, depots, articles });
  seedReorderSettings(store, seed);
  seedMaintenance(store, seed);
  seedWorkshop(store, seed);
  // The demo data was not made here: nothing of it waits to be sent to a register, and the
  // station's own entries are numbered from 1 as the register expects.
  sq.exec("delete from outbox; delete from sqlite_sequence where name = 'outbox'");
  sq.pragma('optimize');
  return stationId;
}

/**
 * Delivery routes and weekdays for the depots, and reorder settings: every article is a stock
 * article in Boden; each depot keeps what it has on its shelves. Settings are sized from the
 * ledger's own usage, so the demo's suggestions look like a real week's. Also fills an older
 * database that lacks them (the benchmark's large dataset).
 */
export function seedReorderSettings(store: Store, seed = 9999): void {
  const sq = store.sqlite;
  const rnd = prng(seed + 17);
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  const now = Date.now();
  sq.transaction(() => {
    const sites = sq.prepare("select id, kind, municipality from sites order by code").all() as { id: string; kind: string; municipality: string }[];
    const setRoute = sq.prepare('update sites set route = ?, delivery_weekday = ? where id = ?');
    sites.forEach((site, i) => site.kind !== 'central_store' && setRoute.run(`Rutt ${site.municipality}`, 1 + (i % 5), site.id));
    // Usage per article and site over the last 90 days: what left stock for good.
    const usage = new Map<string, number>();
    for (const u of sq
      .prepare(
        `select m.article_id as a, l.site_id as s, sum(m.quantity) as q from movements m join locations l on l.id = m.from_location_id
         where m.to_location_id is null and m.reason in ('delivery', 'dispatch', 'scrap') and m.occurred_at >= ? group by m.article_id, l.site_id`,
      )
      .all(now - 90 * DAY) as { a: string; s: string; q: number }[])
      usage.set(`${u.a}:${u.s}`, u.q / 90);
    const ins = sq.prepare(
      `insert or ignore into reorder_settings (article_id, site_id, stock_article, reorder_point, safety_stock, max_stock, lead_days, order_quantity, updated_at)
       values (?, ?, 1, ?, ?, ?, ?, ?, ?)`,
    );
    const central = sites.find((x) => x.kind === 'central_store');
    if (central)
      for (const a of sq.prepare('select id, rentable from articles').all() as { id: string; rentable: number }[]) {
        const daily = usage.get(`${a.id}:${central.id}`) ?? 0.05;
        const lead = between(5, 21);
        const safety = Math.ceil(daily * 5);
        const rp = safety + Math.ceil(daily * lead);
        ins.run(a.id, central.id, rp, safety, rp + Math.ceil(daily * 30), lead, a.rentable ? 0 : [0, 5, 10, 25][between(0, 3)]!, now);
      }
    for (const site of sites.filter((x) => x.kind !== 'central_store')) {
      // A depot keeps a small assortment: what it holds most of, at most 400 articles.
      const held = sq
        .prepare(
          `select b.article_id as id, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id
           where l.site_id = ? and b.quantity > 0 group by b.article_id order by q desc limit 400`,
        )
        .all(site.id) as { id: string; q: number }[];
      for (const a of held) {
        const daily = usage.get(`${a.id}:${site.id}`) ?? 0.02;
        const safety = Math.max(1, Math.ceil(daily * 3));
        // Most lines sit above their reorder point; one in ten is due for a refill.
        const rp = rnd() < 0.1 ? a.q : Math.min(Math.max(0, a.q - 1), safety + Math.ceil(daily * 7));
        ins.run(a.id, site.id, rp, Math.min(safety, rp), rp + between(1, 4), 0, 0, now);
      }
    }
  })();
}

const COMPONENTS: [RegExp, string[]][] = [
  [/^122[234]/, ['Benstöd, par', 'Armstöd, par', 'Tippskydd']],
  [/^1812/, ['Handkontroll', 'Sänggrindar, par']],
  [/^1236/, ['Handkontroll', 'Laddare']],
  [/^120606/, ['Korg', 'Bricka']],
  [/^0433/, ['Överdrag']],
];

const weekdayAfter = (from: number, n: number): string => {
  const d = new Date(from);
  let left = n;
  while (left > 0) {
    d.setDate(d.getDate() + 1);
    if (d.getDay() !== 0 && d.getDay() !== 6) left--;
  }
  return d.toISOString().slice(0, 10);
};

/** Open purchase orders, customer orders by route and day, return checklists and preferred locations. */
function seedOrders(
  sq: Store['sqlite'],
  ctx: { rnd: () => number; now: number; central: SiteLocs; depots: SiteLocs[]; articles: { id: string; iso: string; rentable: boolean; tracking: string }[] },
): void {
  const { rnd, now, central, depots, articles } = ctx;
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rnd() * (hi - lo + 1));
  sq.transaction(() => {
    const insComp = sq.prepare('insert or ignore into article_components (article_id, name, quantity) values (?, ?, 1)');
    for (const a of articles.filter((x) => x.rentable))
      for (const [re, parts] of COMPONENTS) if (re.test(a.iso)) for (const part of parts) insComp.run(a.id, part);

    const insPref = sq.prepare('insert or ignore into preferred_locations (article_id, site_id, location_id) values (?, ?, ?)');
    for (const a of articles) if (rnd() < 0.2 && central.bins.length) insPref.run(a.id, central.site.id, pick(central.bins).id);

    const rentable = articles.filter((a) => a.rentable);
    const sold = articles.filter((a) => !a.rentable);
    const insPo = sq.prepare('insert into purchase_orders (id, po_number, supplier, site_id, expected_on, created_at) values (?, ?, ?, ?, ?, ?)');
    const insPoLine = sq.prepare('insert into purchase_order_lines (id, purchase_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)');
    for (let n = 1; n <= 6; n++) {
      const id = uuidv7();
      insPo.run(id, `IO-${String(n).padStart(7, '0')}`, pick(SUPPLIERS), central.site.id, weekdayAfter(now, n % 3), now - n * 86_400_000);
      const lines = [pick(rentable), pick(rentable), pick(sold), sold.find((a) => a.tracking !== 'none') ?? pick(sold)];
      [...new Map(lines.filter(Boolean).map((a) => [a.id, a])).values()].forEach((a, i) =>
        insPoLine.run(uuidv7(), id, i + 1, a.id, a.rentable ? between(2, 5) : between(20, 60)),
      );
    }

    // Customer orders for the coming deliveries, rentable lines only where a ready individual exists.
    const ready = sq
      .prepare(
        `select distinct i.article_id as id from individuals i join locations l on l.id = i.location_id
         where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor') limit 400`,
      )
      .all(central.site.id) as { id: string }[];
    const stocked = sq
      .prepare(
        `select distinct b.article_id as id from balances b join locations l on l.id = b.location_id join articles a on a.id = b.article_id
         where l.site_id = ? and l.level = 'bin' and b.quantity >= 10 and a.rentable = 0 and a.tracking = 'none' limit 200`,
      )
      .all(central.site.id) as { id: string }[];
    const insOrder = sq.prepare(
      `insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insLine = sq.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, ?, ?, ?)');
    const points = ['vårdcentral', 'äldreboende Solgården', 'korttidsboende', 'hemtjänstens förråd'];
    let serial = 0;
    depots.slice(0, 8).forEach((d, i) => {
      const deliveryDay = weekdayAfter(now, 1 + (i % 4));
      const cutoff = orderCutoff(deliveryDay);
      for (let k = 0; k < 3; k++) {
        const id = uuidv7();
        const late = k === 2;
        const placedAt = Math.min(now, cutoff.getTime() + (late ? 3_600_000 : -between(2, 72) * 3_600_000));
        insOrder.run(id, `KO-${String(9_000_000 + ++serial).padStart(7, '0')}`, `KST-${between(1000, 9999)}`, `${d.site.municipality} ${pick(points)}`, d.site.municipality, `Rutt ${d.site.municipality}`, deliveryDay, placedAt, central.site.id);
        const lineArticles = [ready.length ? pick(ready).id : null, stocked.length ? pick(stocked).id : null].filter((x): x is string => x !== null);
        [...new Set(lineArticles)].forEach((a, j) => insLine.run(uuidv7(), id, j + 1, a, rentable.some((r) => r.id === a) ? 1 : between(1, 4)));
      }
    });
  })();
}

/**
 * Preventive maintenance in the demo: lifts inspected yearly and slings every six months, beds
 * checked yearly; most devices were done within their interval, about one in ten is due.
 * Technicians are trained for the families they work on.
 */
export function seedMaintenance(store: Store, seed = 9999): void {
  const sq = store.sqlite;
  const rnd = prng(seed + 29);
  const now = Date.now();
  sq.transaction(() => {
    const plans = [
      { id: uuidv7(), name: 'Personlyft, årlig besiktning', iso: '1236', days: 365 },
      { id: uuidv7(), name: 'Lyftsele, halvårskontroll', iso: '123621', days: 182 },
      { id: uuidv7(), name: 'Säng, årlig kontroll', iso: '181210', days: 365 },
    ];
    const insPlan = sq.prepare('insert into maintenance_plans (id, name, iso_prefix, interval_days) values (?, ?, ?, ?)');
    for (const p of plans) insPlan.run(p.id, p.name, p.iso, p.days);
    const techs = sq.prepare("select id, name from users where role = 'technician' order by name").all() as { id: string; name: string }[];
    const train = sq.prepare('insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)');
    techs.forEach((t, i) => {
      train.run(t.id, '1812');
      if (i === 0) train.run(t.id, '1236');
    });
    const signer = techs[0]?.id;
    if (!signer) return;
    const insRecord = sq.prepare('insert into maintenance_records (id, plan_id, individual_id, done_at, user_id) values (?, ?, ?, ?, ?)');
    for (const p of plans) {
      const inds = sq.prepare("select i.id from individuals i join articles a on a.id = i.article_id where a.iso_code like ? || '%'").all(p.iso) as { id: string }[];
      for (const i of inds) if (rnd() > 0.1) insRecord.run(uuidv7(), p.id, i.id, now - Math.floor(rnd() * (p.days - 20)) * DAY, signer);
    }
  })();
}
