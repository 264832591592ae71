/**
 * The audit trail's chain, pure: each entry carries the SHA-256 of the entry before it together
 * with its own content. Entries written before the chain began carry no hash and are accepted
 * only before the first that does. The station checks its own file with it; the register checks
 * every entry a station sends against the one before.
 */
import { createHash } from 'node:crypto';

export interface ChainedEntry {
  id: string;
  at: number;
  stationId: string;
  userId: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: string | null;
  hash: string | null;
}

/** Where a walk along the chain stands: the last hash, and whether the chain has begun. */
export interface ChainState {
  prev: string;
  sealed: boolean;
}

export const CHAIN_START: ChainState = { prev: 'depot-station-audit', sealed: false };

export const chainHash = (prev: string, r: Omit<ChainedEntry, 'hash'>): string =>
  createHash('sha256').update(JSON.stringify([prev, r.id, r.at, r.stationId, r.userId, r.action, r.entity, r.entityId, r.detail])).digest('hex');

/**
 * Whether an entry follows from the state, and the state after it. A broken entry's own hash
 * carries the walk on, so each altered entry is marked once and the ones after it still check.
 */
export function nextLink(state: ChainState, entry: ChainedEntry): { ok: boolean; state: ChainState } {
  if (entry.hash === null && !state.sealed) return { ok: true, state };
  const ok = entry.hash !== null && entry.hash === chainHash(state.prev, entry);
  return { ok, state: { prev: entry.hash ?? state.prev, sealed: true } };
}
