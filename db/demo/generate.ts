/**
 * Fills an empty station database with a coherent, deterministic dataset: the demo data every
 * fresh install starts with, or the large dataset the benchmarks run on. Individuals get a
 * plausible life (receipt, put-away, loans, returns, cleaning, reconditioning, transfers to depots)
 * and their final status and location follow from it; balances follow from the ledger trigger.
 *
 * Each concern has its seeder (sites, users, articles, individuals, consumables, orders,
 * replenishment, maintenance, workshop); this file runs them in order. The seeders up to the
 * orders draw from one seeded generator in turn, the later ones from generators of their own.
 */
import { recordLoans } from '../stock/loans';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { seedArticles, seedIsoCodes } from './articles';
import { seedConsumables } from './consumables';
import { seedIndividuals } from './individuals';
import { demoLedger } from './ledger';
import { seedMaintenance } from './maintenance';
import { seedOrders } from './orders';
import { seeded } from './random';
import { seedReorderSettings } from './replenishment';
import { seedSites, seedStation } from './sites';
import { seedUsers } from './users';
import { seedWorkshop } from './workshop';

export interface DatasetSize {
  sites: number;
  articles: number;
  individuals: number;
  locations: number;
  movements: number;
}

export const DEMO_SIZE: DatasetSize = { sites: 14, articles: 500, individuals: 5_000, locations: 800, movements: 45_000 };
export const LARGE_SIZE: DatasetSize = { sites: 20, articles: 20_000, individuals: 300_000, locations: 5_000, movements: 3_000_000 };

export interface SeedProgress {
  phase: string;
  done: number;
  total: number;
}

/**
 * Seeds an empty database. The station itself is the first scanning station in Boden.
 * Returns the station id.
 */
export function seedDataset(store: StationDb, size: DatasetSize, onProgress?: (p: SeedProgress) => void, seed = 9999): string {
  const random = seeded(seed);
  const sq = store.sqlite;
  const now = Date.now();
  const stationId = uuidv7(now);

  // Reference data, sites, locations, users, articles.
  const { siteLocs, staff, articles } = sq.transaction(() => {
    seedIsoCodes(sq);
    const siteLocs = seedSites(sq, size);
    seedStation(sq, stationId, siteLocs[0]!.site.id, now);
    const staff = seedUsers(store, siteLocs);
    const articles = seedArticles(sq, size.articles, random);
    return { siteLocs, staff, articles };
  })();
  onProgress?.({ phase: 'master data', done: 1, total: 1 });

  // Movements: each site's own station posted what happened there.
  const ledger = demoLedger(sq, siteLocs, staff, random);
  const ctx = { random, now, siteLocs, articles, ledger };
  seedIndividuals(sq, size, { ...ctx, onProgress: (done, total) => onProgress?.({ phase: 'individuals', done, total }) });
  seedConsumables(sq, size.movements, { ...ctx, onProgress: (done, total) => onProgress?.({ phase: 'movements', done, total }) });

  seedOrders(sq, ctx);
  seedReorderSettings(store, seed);
  seedMaintenance(store, seed);
  seedWorkshop(store, seed);
  recordLoans(store);
  // The demo data was not made here: nothing of it waits to be sent to a register, and the
  // station's own entries are numbered from 1 as the register expects.
  sq.exec("delete from outbox; delete from sqlite_sequence where name = 'outbox'");
  sq.pragma('optimize');
  return stationId;
}
