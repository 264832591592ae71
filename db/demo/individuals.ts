/**
 * The demo's devices: individuals of the rentable articles (the more an article moves, the more of
 * it), each given a plausible life in the ledger (receipt, put-away, loans, returns, cleaning,
 * reconditioning, transfers to depots) ending in a chosen state shortly before now. The individual
 * row is written in its final state, which follows from its movements as the core would have it.
 */
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { MovementReason } from '../schema';
import { stateAfter, type DeviceState } from '../stock/status';
import type { DemoArticle } from './articles';
import type { DemoLedger } from './ledger';
import type { Random } from './random';
import type { Loc, SiteLocs } from './sites';

/**
 * Writes `individuals` individuals and their movements, about 85 % of `movements` in all, in
 * transactions of a few thousand; reports progress after each.
 */
export function seedIndividuals(
  sq: StationDb['sqlite'],
  size: { individuals: number; movements: number },
  ctx: { random: Random; now: number; siteLocs: SiteLocs[]; articles: DemoArticle[]; ledger: DemoLedger; onProgress?: (done: number, total: number) => void },
): void {
  const { individuals, movements } = size;
  const { random, now, siteLocs, articles, ledger, onProgress } = ctx;
  const { rnd, pick, between } = random;
  const central = siteLocs[0]!;
  const depots = siteLocs.slice(1);
  const insInd = sq.prepare(
    `insert into individuals (id, individual_number, article_id, serial_number, udi, status, site_id, location_id, ready_since, updated_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
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
  const individualBudget = Math.round(movements * 0.85);
  const perIndividual = individualBudget / Math.max(1, individuals);
  const CHUNK = 2000;
  for (let start = 0; start < individuals && rentables.length; start += CHUNK) {
    sq.transaction(() => {
      for (let n = start; n < Math.min(individuals, start + CHUNK); n++) {
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
        for (const [from, to, reason, t] of steps) ledger.post(a.id, id, null, from, to, 1, reason, t);
      }
    })();
    onProgress?.(Math.min(individuals, start + CHUNK), individuals);
  }
}
