/**
 * The audit trail's chain, pure: each entry carries an HMAC-SHA256, keyed with the station's chain
 * key, of the entry before it together with its own content, over exactly the bytes stored. Without
 * the key no one can write a link that checks, so an entry edited and the later links recomputed
 * shows. The station checks its own file with it; the register, which the station gives its chain
 * key, checks every entry a station sends against the one before.
 *
 * Older trails began without a hash (before the chain) and then with an unkeyed SHA-256. Both are
 * accepted only before the first keyed entry, and a trail must end in a keyed entry: a station
 * writes one when it first opens an older trail, so a trail whose hashes were all removed or
 * recomputed without the key does not check.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

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

/** Where a walk along the chain stands: the last hash, whether the chain has begun, and whether it is keyed yet. */
export interface ChainState {
  prev: string;
  sealed: boolean;
  keyed: boolean;
}

export const CHAIN_START: ChainState = { prev: 'depot-station-audit', sealed: false, keyed: false };

/** The chain's key, derived from the station's database key: a copy of the trail without the key cannot be re-chained. */
export const chainKeyFrom = (stationKey: Buffer): Buffer => createHmac('sha256', stationKey).update('depot-station audit chain v1').digest();

/** The text as SQLite stores it (UTF-8; a lone surrogate becomes U+FFFD), so the chain hashes what is kept. */
export const asStored = (s: string): string => Buffer.from(s, 'utf8').toString('utf8');

const NULL_FIELD = Buffer.from([0xff, 0xff, 0xff, 0xff]);

/** Each field as its stored UTF-8 bytes after its length, a missing one marked apart from an empty one. */
function chainBytes(prev: string, r: Omit<ChainedEntry, 'hash'>): Buffer {
  const parts: Buffer[] = [];
  for (const f of [prev, r.id, String(r.at), r.stationId, r.userId, r.action, r.entity, r.entityId, r.detail]) {
    if (f === null) {
      parts.push(NULL_FIELD);
      continue;
    }
    const bytes = Buffer.from(f, 'utf8');
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    parts.push(len, bytes);
  }
  return Buffer.concat(parts);
}

/** The keyed link of an entry after `prev`. */
export const chainHash = (key: Buffer, prev: string, r: Omit<ChainedEntry, 'hash'>): string => createHmac('sha256', key).update(chainBytes(prev, r)).digest('hex');

/** The unkeyed link older stations wrote, accepted only before the first keyed one. */
const legacyHash = (prev: string, r: Omit<ChainedEntry, 'hash'>): string =>
  createHash('sha256').update(JSON.stringify([prev, r.id, r.at, r.stationId, r.userId, r.action, r.entity, r.entityId, r.detail])).digest('hex');

/** Equal hashes, compared in constant time; anything but a hash (another length in bytes, say) is not equal. */
function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Whether an entry follows from the state, and the state after it. A broken entry's own hash
 * carries the walk on, so each altered entry is marked once and the ones after it still check.
 * A missing hash after the chain began is a break.
 */
export function nextLink(key: Buffer, state: ChainState, entry: ChainedEntry): { ok: boolean; state: ChainState } {
  if (entry.hash === null) return { ok: !state.sealed, state };
  if (same(entry.hash, chainHash(key, state.prev, entry))) return { ok: true, state: { prev: entry.hash, sealed: true, keyed: true } };
  const ok = !state.keyed && same(entry.hash, legacyHash(state.prev, entry));
  return { ok, state: { prev: entry.hash, sealed: true, keyed: state.keyed } };
}

/** The head of a trail: its last entry's number and hash, with a seal only the key can make. */
export interface ChainHead {
  seq: number;
  hash: string;
  seal: string;
}

const headSeal = (key: Buffer, seq: number, hash: string) => createHmac('sha256', key).update(`head\u0000${seq}\u0000${hash}`).digest('hex');

export const sealHead = (key: Buffer, seq: number, hash: string): ChainHead => ({ seq, hash, seal: headSeal(key, seq, hash) });

export const headSealed = (key: Buffer, h: ChainHead): boolean =>
  Number.isSafeInteger(h.seq) && typeof h.hash === 'string' && typeof h.seal === 'string' && same(h.seal, headSeal(key, h.seq, h.hash));
