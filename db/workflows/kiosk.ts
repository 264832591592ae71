/**
 * The unmanned depot's kiosk: someone with a badge takes devices or supplies (or puts them back)
 * for an order or a cost centre. Each confirmation posts at once, offline or not; the depot's
 * stock drops, and the next suggestion in Boden refills it.
 */
import { DepotError } from '../errors';
import type { Store } from '../open';
import { postMovements, type Actor, type MovementInput, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById } from './common';

export interface KioskLine {
  articleId: string;
  individualId?: string | null;
  lot?: string | null;
  quantity: number;
}

/** Where the depot keeps goods: its shelves, racks and floor. */
const SHELF_KINDS = "('shelf', 'rack', 'floor', 'goods_in')";

export function kioskWithdraw(
  store: Store,
  actor: Actor & { siteId: string },
  input: { lines: KioskLine[]; direction: 'take' | 'return'; orderRef: string },
): PostedMovement[] {
  const orderRef = input.orderRef.trim();
  if (!orderRef)
    throw new DepotError('kiosk.no_order', { sv: 'Skanna ordern eller ange kostnadsställe först.', en: 'Scan the order or enter the cost centre first.' }, 'orderRef');
  if (input.lines.length === 0) throw new DepotError('kiosk.nothing', { sv: 'Skanna det du tar först.', en: 'Scan what you take first.' });
  const moves: MovementInput[] = [];
  for (const line of input.lines) {
    if (line.individualId) {
      const ind = individualById(store, line.individualId);
      if (input.direction === 'take') {
        const here = ind.locationId ? stmt<{ site_id: string }>(store, 'select site_id from locations where id = ?').get(ind.locationId) : undefined;
        if (!here || here.site_id !== actor.siteId)
          throw new DepotError('kiosk.not_here', {
            sv: `${ind.individualNumber} står inte i det här förrådet enligt registret. Lägg den åt sidan och ring Hjälpmedelscentralen.`,
            en: `${ind.individualNumber} is not in this depot according to the register. Put it aside and call the assistive-device centre.`,
          });
        moves.push({ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, quantity: 1, reason: 'delivery', orderRef });
      } else moves.push({ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, toLocationId: shelfFor(store, actor.siteId, ind.articleId), quantity: 1, reason: 'return', orderRef });
      continue;
    }
    if (input.direction === 'return') {
      moves.push({ articleId: line.articleId, lot: line.lot ?? null, toLocationId: shelfFor(store, actor.siteId, line.articleId), quantity: line.quantity, reason: 'return', orderRef });
      continue;
    }
    // Taken from wherever the depot has it, the fullest shelf first.
    let left = line.quantity;
    for (const b of stmt<{ locationId: string; lot: string; quantity: number }>(
      store,
      `select b.location_id as locationId, b.lot, b.quantity from balances b join locations l on l.id = b.location_id
       where b.article_id = ? and l.site_id = ? and l.kind in ${SHELF_KINDS} and l.retired_at is null and b.quantity > 0 and (? is null or b.lot = ?)
       order by b.quantity desc`,
    ).all(line.articleId, actor.siteId, line.lot ?? null, line.lot ?? null)) {
      if (left === 0) break;
      const q = Math.min(left, b.quantity);
      moves.push({ articleId: line.articleId, lot: b.lot || null, fromLocationId: b.locationId, quantity: q, reason: 'delivery', orderRef });
      left -= q;
    }
    if (left > 0)
      throw new DepotError('kiosk.not_enough', {
        sv: `Förrådet har bara ${line.quantity - left} st enligt registret. Ta det som finns och ring Hjälpmedelscentralen om resten.`,
        en: `The depot has only ${line.quantity - left} according to the register. Take what there is and call the assistive-device centre about the rest.`,
      });
  }
  return postMovements(store, actor, moves);
}

/** Where something put back goes: its preferred place here, else where it is already kept, else the first shelf. */
function shelfFor(store: Store, siteId: string, articleId: string): string {
  const row =
    stmt<{ id: string }>(store, 'select location_id as id from preferred_locations where article_id = ? and site_id = ?').get(articleId, siteId) ??
    stmt<{ id: string }>(
      store,
      `select b.location_id as id from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ? and l.kind in ${SHELF_KINDS} and l.retired_at is null order by b.quantity desc limit 1`,
    ).get(articleId, siteId) ??
    stmt<{ id: string }>(store, `select id from locations where site_id = ? and kind in ${SHELF_KINDS} and retired_at is null order by level = 'bin' desc, code limit 1`).get(siteId);
  if (!row) throw new DepotError('kiosk.no_shelf', { sv: 'Förrådet har ingen hyllplats registrerad.', en: 'The depot has no shelf registered.' });
  return row.id;
}
