/**
 * Undo of a workflow's last step. The ledger never changes: each movement is reversed by a
 * correcting movement, and only while what it moved is still where it put it.
 */
import { audit } from '../audit';
import { DepotError } from '../errors';
import type { Store } from '../open';
import type { IndividualStatus, MovementReason } from '../schema';
import { postMovements, statusAfter, type Actor, type MovementInput, type PostedMovement } from '../stock/ledger';
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
      if (!r || r.stationId !== actor.stationId)
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
    }));
    let posted: PostedMovement[];
    try {
      posted = postMovements(store, actor, reversals);
    } catch (e) {
      if (e instanceof DepotError && (e.code === 'stock.individual_elsewhere' || e.code === 'stock.insufficient'))
        throw new DepotError('undo.moved_since', {
          sv: 'Det går inte att ångra: varan har flyttats sedan dess. Flytta tillbaka den för hand.',
          en: 'It cannot be undone: the goods have moved since. Move them back by hand.',
        });
      throw e;
    }
    // An individual goes back to the status it had before; one that was created by the undone receipt is cancelled.
    for (const r of rows) {
      audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'undo', entity: 'movement', entityId: r.id });
      if (!r.individualId) continue;
      const before = stmt<{ reason: MovementReason; kind: string | null }>(
        store,
        `select m.reason, l.kind from movements m left join locations l on l.id = m.to_location_id
         where m.individual_id = ? and m.id < ? and m.id not in (select entity_id from audit_log where entity = 'movement' and action = 'undo')
           and m.reason <> 'correction' order by m.id desc limit 1`,
      ).get(r.individualId, r.id);
      const status: IndividualStatus = before ? statusAfter(before.reason, before.kind ? { kind: before.kind as never } : null) : 'cancelled';
      stmt(store, 'update individuals set status = ? where id = ?').run(status, r.individualId);
    }
    return posted;
  })();
}
