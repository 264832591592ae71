/**
 * A restocking run at a depot: staff arrive with a refill pallet, scan a shelf, then what they put
 * there, item by item; at the end the pallet's manifest is compared with what was scanned in, and
 * the differences are recorded on the pallet (and so reach Boden through the register). What was
 * received is read from the ledger (transfers in under the pallet's SSCC, less their undoing), so an
 * undone scan is simply not counted.
 */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { locationById, requireAtSite } from './common';
import { pallet as palletView, requireReceivableHere, type PalletView } from './pallets';

export interface RestockLine {
  articleId: string;
  articleNumber: string;
  name: string;
  individualId: string | null;
  individualNumber: string | null;
  expected: number;
  received: number;
}

export interface RestockReport {
  pallet: PalletView;
  lines: RestockLine[];
  /** Scanned in but not on the manifest. */
  extra: RestockLine[];
  complete: boolean;
}

export function restockReport(store: StationDb, siteId: string, sscc: string): RestockReport {
  const p = palletView(store, sscc);
  const received = stmt<{ articleId: string; individualId: string | null; q: number }>(
    store,
    `select m.article_id as articleId, m.individual_id as individualId,
       sum(case when m.reason = 'transfer' and m.to_location_id is not null then m.quantity else -m.quantity end) as q
     from movements m left join locations t on t.id = m.to_location_id left join locations f on f.id = m.from_location_id
     where m.order_ref = ? and ((m.reason = 'transfer' and t.site_id = ?) or (m.reason = 'correction' and f.site_id = ? and m.to_location_id is null))
     group by m.article_id, m.individual_id`,
  ).all(p.sscc, siteId, siteId);
  const got = new Map(received.map((r) => [`${r.articleId}|${r.individualId ?? ''}`, r.q]));
  const lines: RestockLine[] = [];
  for (const item of stmt<{ articleId: string; articleNumber: string; name: string; individualId: string | null; individualNumber: string | null; q: number }>(
    store,
    `select pi.article_id as articleId, a.article_number as articleNumber, a.name, pi.individual_id as individualId, i.individual_number as individualNumber, sum(pi.quantity) as q
     from pallet_items pi join articles a on a.id = pi.article_id left join individuals i on i.id = pi.individual_id
     where pi.pallet_id = ? group by pi.article_id, pi.individual_id order by a.article_number`,
  ).all(p.id)) {
    const key = `${item.articleId}|${item.individualId ?? ''}`;
    lines.push({ ...item, expected: item.q, received: got.get(key) ?? 0 });
    got.delete(key);
  }
  const extra = [...got]
    .filter(([, q]) => q > 0)
    .map(([key, q]) => {
      const [articleId, individualId] = key.split('|') as [string, string];
      const a = stmt<{ articleNumber: string; name: string }>(store, 'select article_number as articleNumber, name from articles where id = ?').get(articleId)!;
      const ind = individualId ? stmt<{ n: string }>(store, 'select individual_number as n from individuals where id = ?').get(individualId) : undefined;
      return { articleId, ...a, individualId: individualId || null, individualNumber: ind?.n ?? null, expected: 0, received: q };
    });
  return { pallet: p, lines, extra, complete: extra.length === 0 && lines.every((l) => l.received === l.expected) };
}

/**
 * The run's first step, scanning the pallet: only a refill pallet addressed to this site, closed
 * and sent and not yet received, is taken in; then its manifest is shown and a shelf is asked for.
 */
export function restockStart(store: StationDb, siteId: string, sscc: string): RestockReport {
  requireReceivableHere(store, siteId, sscc);
  return restockReport(store, siteId, sscc);
}

/** One scan of the run: `quantity` of an article (or one individual) from the pallet onto a shelf here. */
export function restockScan(
  store: StationDb,
  actor: Actor & { siteId: string },
  input: { sscc: string; locationId: string; articleId: string; individualId?: string | null; lot?: string | null; quantity: number },
): PostedMovement[] {
  return store.sqlite.transaction(() => {
    const p = requireReceivableHere(store, actor.siteId, input.sscc);
    requireAtSite(locationById(store, input.locationId), actor.siteId);
    const onPallet = input.individualId ? stmt(store, 'select 1 from pallet_items where pallet_id = ? and individual_id = ?').get(p.id, input.individualId) !== undefined : true;
    if (!onPallet)
      throw new DepotError('restock.not_on_pallet', {
        sv: 'Den individen finns inte på pallen. Lägg den åt sidan och ring Hjälpmedelscentralen.',
        en: 'That individual is not on the pallet. Put it aside and call the assistive-device centre.',
      });
    if (!input.individualId) {
      // Goods come in only as far as the pallet brought them: a box scanned twice, or one that was never sent, books nothing.
      const line = restockReport(store, actor.siteId, p.sscc).lines.find((l) => l.articleId === input.articleId && l.individualId === null);
      const left = line ? line.expected - line.received : 0;
      if (input.quantity > left)
        throw new DepotError(
          'restock.more_than_sent',
          line
            ? {
                sv: `Pallen hade ${line.expected} st ${line.articleNumber} och ${line.received} är redan inlagda. Kontrollera antalet; det som är över läggs åt sidan och Hjälpmedelscentralen ringer du.`,
                en: `The pallet had ${line.expected} of ${line.articleNumber} and ${line.received} are already shelved. Check the quantity; put anything more aside and call the assistive-device centre.`,
              }
            : {
                sv: 'Den varan finns inte på pallen. Lägg den åt sidan och ring Hjälpmedelscentralen.',
                en: 'Those goods are not on the pallet. Put them aside and call the assistive-device centre.',
              },
          'quantity',
        );
    }
    return postMovements(store, actor, [
      { articleId: input.articleId, individualId: input.individualId ?? null, lot: input.lot ?? null, toLocationId: input.locationId, quantity: input.quantity, reason: 'transfer', orderRef: p.sscc },
    ], 'restocking');
  })();
}

/** Ends the run: each manifest line is received or (partly) missing, the pallet is received, and both ends see the differences. */
export function restockFinish(store: StationDb, actor: Actor & { siteId: string }, sscc: string): RestockReport {
  return store.sqlite.transaction(() => {
    const p = requireReceivableHere(store, actor.siteId, sscc);
    const report = restockReport(store, actor.siteId, sscc);
    for (const l of report.lines) {
      const state = l.received >= l.expected ? 'received' : 'missing';
      stmt(store, `update pallet_items set received_state = ? where pallet_id = ? and article_id = ? and individual_id is ?`).run(state, p.id, l.articleId, l.individualId);
    }
    stmt(store, "update pallets set state = 'received', received_at = ? where id = ?").run(Date.now(), p.id);
    return restockReport(store, actor.siteId, sscc);
  })();
}
