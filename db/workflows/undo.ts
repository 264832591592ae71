/**
 * Undo of a workflow's last step. The ledger never changes: each movement is reversed by a
 * correcting movement, and only while what it moved is still where it put it.
 */
import { audit } from '../audit';
import { DepotError } from '../errors';
import type { Store } from '../open';
import type { MovementReason } from '../schema';
import { postMovements, type Actor, type MovementInput, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';

interface Row {
  id: string;
  articleId: string;
  individualId: string | null;
  lot: string | null;
  fromLocationId: string | null;
  toLocationId: string | null;
  quantity: number;
  reason: MovementReason;
  orderRef: string | null;
  stationId: string;
}

export function undoMovements(store: Store, actor: Actor, movementIds: readonly string[]): PostedMovement[] {
  return store.sqlite.transaction(() => {
    const rows = movementIds.map((id) => {
      const r = stmt<Row>(
        store,
        `select id, article_id as articleId, individual_id as individualId, lot, from_location_id as fromLocationId,
           to_location_id as toLocationId, quantity, reason, order_ref as orderRef, station_id as stationId from movements where id = ?`,
      ).get(id);
      if (!r || r.stationId !== actor.stationId || r.reason === 'correction')
        throw new DepotError('undo.unknown', { sv: 'Det finns inget att ångra.', en: 'There is nothing to undo.' });
      const undone = stmt<{ n: number }>(store, "select count(*) as n from audit_log where entity = 'movement' and entity_id = ? and action = 'undo'").get(id)!.n;
      if (undone > 0) throw new DepotError('undo.already', { sv: 'Det steget är redan ångrat.', en: 'That step is already undone.' });
      return r;
    });
    const reversals: MovementInput[] = rows.reverse().map((r) => ({
      articleId: r.articleId,
      individualId: r.individualId,
      lot: r.lot,
      fromLocationId: r.toLocationId,
      toLocationId: r.fromLocationId,
      quantity: r.quantity,
      reason: 'correction',
      orderRef: r.orderRef,
      reverses: r.id,
    }));
    let posted: PostedMovement[];
    try {
      posted = postMovements(store, actor, reversals, 'undo');
    } catch (e) {
      if (e instanceof DepotError && (e.code === 'stock.individual_elsewhere' || e.code === 'stock.insufficient'))
        throw new DepotError('undo.moved_since', {
          sv: 'Det går inte att ångra: varan har flyttats sedan dess. Flytta tillbaka den för hand.',
          en: 'It cannot be undone: the goods have moved since. Move them back by hand.',
        });
      throw e;
    }
    // The ledger puts each device back in the state its movements still standing give it.
    for (const r of rows) audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'undo', entity: 'movement', entityId: r.id });
    return posted;
  })();
}
