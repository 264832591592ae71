/**
 * The rest of the demo's ledger: components and consumables received into the central store's
 * bins, picked and delivered from there, and sent to depots on refills and delivered on from them.
 */
import type { StationDb } from '../open';
import type { DemoArticle } from './articles';
import type { DemoLedger } from './ledger';
import type { Random } from './random';
import type { SiteLocs } from './sites';

const DAY = 86_400_000;

/** Posts movements of the articles that are not rented out until the ledger holds `total`, in transactions of 5,000. */
export function seedConsumables(
  sq: StationDb['sqlite'],
  total: number,
  ctx: { random: Random; now: number; siteLocs: SiteLocs[]; articles: DemoArticle[]; ledger: DemoLedger; onProgress?: (done: number, total: number) => void },
): void {
  const { random, now, siteLocs, articles, ledger, onProgress } = ctx;
  const { rnd, pick, between } = random;
  const central = siteLocs[0]!;
  const depots = siteLocs.slice(1);
  const sold = articles.filter((a) => !a.rentable);
  const stock = new Map<string, number>();
  const key = (a: string, l: string, lot: string | null) => `${a}|${l}|${lot ?? ''}`;
  const addLot = sq.prepare('insert or ignore into lots (article_id, lot, expires_on) values (?, ?, ?)');
  while (ledger.count < total && sold.length) {
    sq.transaction(() => {
      for (let k = 0; k < 5000 && ledger.count < total; k++) {
        const a = pick(sold);
        // A lot is named by the month it was made (L2301… L2612); it keeps three years: the oldest have expired, some expire soon.
        const made = a.tracking === 'none' ? 0 : between(0, 47);
        const [yy, mm] = [23 + Math.floor(made / 12), String((made % 12) + 1).padStart(2, '0')];
        const lot = a.tracking === 'none' ? null : `L${yy}${mm}-${between(1, 99)}`;
        if (lot) addLot.run(a.id, lot, a.tracking === 'lot_expiry' ? `20${yy + 3}-${mm}-28` : null);
        const bin = central.bins[Math.floor((a.number.charCodeAt(6) * 31 + a.number.charCodeAt(5)) % central.bins.length)] ?? central.bins[0]!;
        const at = now - between(2, 3 * 365) * DAY;
        const have = stock.get(key(a.id, bin.id, lot)) ?? 0;
        if (have < 10 || rnd() < 0.15) {
          const q = between(20, 200);
          ledger.post(a.id, null, lot, null, bin, q, 'receipt', at);
          stock.set(key(a.id, bin.id, lot), have + q);
        } else if (rnd() < 0.3 && depots.length && ledger.count + 1 < total) {
          const depot = pick(depots);
          const spot = depot.bins.length ? pick(depot.bins) : pick(depot.floor);
          const q = Math.min(have, between(2, 10));
          ledger.post(a.id, null, lot, bin, spot, q, 'transfer', at);
          ledger.post(a.id, null, lot, spot, null, between(1, q), 'delivery', at + DAY);
          stock.set(key(a.id, bin.id, lot), have - q);
        } else if (ledger.count + 1 < total) {
          const q = Math.min(have, between(1, 8));
          ledger.post(a.id, null, lot, bin, central.dispatch!, q, 'pick', at);
          ledger.post(a.id, null, lot, central.dispatch!, null, q, 'delivery', at + DAY);
          stock.set(key(a.id, bin.id, lot), have - q);
        } else {
          const q = between(20, 200);
          ledger.post(a.id, null, lot, null, bin, q, 'receipt', at);
          stock.set(key(a.id, bin.id, lot), have + q);
        }
      }
    })();
    onProgress?.(ledger.count, total);
  }
}
