/** Putaway and stock moves: one individual, or a quantity of an article, from one location to another here. */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { locationById, requireAtSite } from './common';

export interface MoveInput {
  articleId: string;
  individualId?: string | null;
  lot?: string | null;
  quantity: number;
  fromLocationId: string;
  toLocationId: string;
}

const STORAGE = new Set(['shelf', 'floor', 'rack', 'spare_parts']);

/** Moves stock within this site. Putaway must end on a storage location (a shelf, rack or floor spot). */
export function moveStock(store: StationDb, actor: Actor & { siteId: string }, input: MoveInput, reason: 'put_away' | 'move'): PostedMovement[] {
  const from = locationById(store, input.fromLocationId);
  const to = locationById(store, input.toLocationId);
  requireAtSite(from, actor.siteId);
  requireAtSite(to, actor.siteId);
  if (reason === 'put_away' && (!STORAGE.has(to.kind) || to.level !== 'bin'))
    throw new DepotError(
      'putaway.not_storage',
      { sv: `${to.code} är ingen lagerplats att lägga in på. Skanna en hyllplats eller golvplats.`, en: `${to.code} is not a storage location to put away on. Scan a shelf or floor location.` },
      'toLocationId',
    );
  return postMovements(store, actor, [
    { articleId: input.articleId, individualId: input.individualId ?? null, lot: input.lot ?? null, fromLocationId: from.id, toLocationId: to.id, quantity: input.quantity, reason },
  ], reason === 'put_away' ? 'putaway' : 'moving');
}
