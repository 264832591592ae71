/**
 * Undo of a workflow's last step. The ledger never changes: each movement is reversed by a
 * correcting movement, and only while what it moved is still where it put it and a device's step
 * is still its latest. Only the scanning workflows' own steps are undone here: what a pallet, a
 * count, the workshop or the kiosk booked has its own way back, so the record around it (the
 * pallet's state, the count, the service job) never disagrees with the shelves.
 */
import { audit } from '../audit';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { MovementReason } from '../schema';
import { postMovements, type Actor, type MovementInput, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { withdrawJob } from '../service/jobs';
import { reopenPickup } from './pickups';
import { deviceHistory } from '../stock/ledger';
import { standing } from '../stock/status';

/** The steps a scanning station undoes: goods receipt, putaway, moves, picking, return intake, a restocking run's shelving, and a kiosk withdrawal. */
export const SCANNED_STEPS: ReadonlySet<MovementReason> = new Set<MovementReason>(['receipt', 'put_away', 'move', 'pick', 'return', 'transfer', 'delivery']);

const notHere = new DepotError('undo.not_here', {
  sv: 'Det steget ångras inte här: det har en egen väg tillbaka (pallen, inventeringen eller servicen). Be en arbetsledare om hjälp.',
  en: 'That step is not undone here: it has its own way back (the pallet, the count or the workshop). Ask a supervisor for help.',
});

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

/** Undoes the given movements of this station, when each is of a reason `steps` lists (a workflow undoes its own). */
export function undoMovements(store: StationDb, actor: Actor, movementIds: readonly string[], steps: ReadonlySet<MovementReason> = SCANNED_STEPS): PostedMovement[] {
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
      if (!steps.has(r.reason)) throw notHere;
      // A pallet received is received: its goods go back only by reporting a line missing.
      if (r.reason === 'transfer' && stmt(store, "select 1 from pallets where sscc = ? and state = 'received'").get(r.orderRef)) throw notHere;
      if (r.individualId) {
        const last = standing(deviceHistory(store, r.individualId)).at(-1);
        if (last?.id !== r.id && !movementIds.includes(last?.id ?? ''))
          throw new DepotError('undo.moved_since', {
            sv: 'Det går inte att ångra: varan har flyttats sedan dess. Flytta tillbaka den för hand.',
            en: 'It cannot be undone: the goods have moved since. Move them back by hand.',
          });
      }
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
    for (const r of rows) {
      audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'undo', entity: 'movement', entityId: r.id });
      // A return taken in by mistake opened a service job that nothing has touched yet: it is closed with it.
      if (r.reason === 'return' && r.individualId) {
        withdrawJob(store, actor, r.individualId);
        // Still out there: the pick-up it collected is open again.
        reopenPickup(store, r.individualId);
      }
    }
    return posted;
  })();
}
