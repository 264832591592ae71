/**
 * The register's stock: balances kept in the same transaction as the movements, and the check
 * that they are the ledger's sum.
 */
import type { RegisterContext } from './context';

/** One place's stock where the balance and the sum of the movements disagree. */
export interface LedgerDifference {
  articleId: string;
  locationId: string;
  lot: string;
  balance: number;
  movements: number;
}

export interface LedgerCheck {
  ok: boolean;
  /** Places (article, location, lot) compared. */
  places: number;
  movements: number;
  /** The first disagreements found (at most 100). */
  differences: LedgerDifference[];
}

/** Stock as the register sees it: non-zero balances keyed `article|location|lot`. */
export async function stock({ db }: RegisterContext): Promise<Map<string, number>> {
  const rows = await db.all<{ article_id: string; location_id: string; lot: string; quantity: number }>(
    'select article_id, location_id, lot, quantity from balances where quantity <> 0',
  );
  return new Map(rows.map((b) => [`${b.article_id}|${b.location_id}|${b.lot}`, Number(b.quantity)]));
}

/**
 * Checks that the stock the register holds is its ledger's sum: for every article, location
 * and lot, the balance equals what the movements brought there minus what they took away.
 * One consistent read; the first differences are listed.
 */
export async function verifyLedger({ db }: RegisterContext): Promise<LedgerCheck> {
  return db.read(async (q) => {
    const sums = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number | string }>(
      `select article_id, location_id, lot, sum(quantity) as quantity from (
         select article_id, to_location_id as location_id, coalesce(lot, '') as lot, quantity from movements where to_location_id is not null
         union all
         select article_id, from_location_id as location_id, coalesce(lot, '') as lot, -quantity from movements where from_location_id is not null
       ) t group by article_id, location_id, lot`,
    );
    const balances = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>('select article_id, location_id, lot, quantity from balances');
    const [count] = await q.all<{ n: number }>('select count(*) as n from movements');
    const places = new Map<string, LedgerDifference>();
    const at = (r: { article_id: string; location_id: string; lot: string }) => {
      const key = `${r.article_id}\u0000${r.location_id}\u0000${r.lot}`;
      let p = places.get(key);
      if (!p) places.set(key, (p = { articleId: r.article_id, locationId: r.location_id, lot: r.lot, balance: 0, movements: 0 }));
      return p;
    };
    for (const r of sums) at(r).movements += Number(r.quantity);
    for (const b of balances) at(b).balance += Number(b.quantity);
    const differences = [...places.values()].filter((p) => p.balance !== p.movements);
    return { ok: differences.length === 0, places: places.size, movements: Number(count!.n), differences: differences.slice(0, 100) };
  });
}
