/**
 * What a device's status is, decided in one place for the station and the register alike: the
 * status its latest movement gives it, and since when it has been ready on a shelf (the
 * longest-waiting ready device is offered first at picking). An undone movement counts as if it
 * had never happened: the device's state is that of its movements still standing. Pure.
 */
import type { IndividualStatus, LocationKind, MovementReason } from '../schema';

/** What an individual's status becomes when it lands somewhere (or leaves stock). */
export function statusAfter(reason: MovementReason, to: { kind: LocationKind } | null): IndividualStatus {
  if (!to) return reason === 'scrap' ? 'scrapped' : reason === 'count_adjustment' ? 'missing' : reason === 'transfer' || reason === 'dispatch' ? 'in_transit' : 'on_loan';
  switch (to.kind) {
    case 'cleaning':
      return 'in_cleaning';
    case 'workshop':
      return 'in_reconditioning';
    case 'quarantine':
      return 'quarantine';
    case 'returns':
      return 'returned';
    case 'dispatch':
      return 'reserved';
    default:
      return 'in_stock';
  }
}

export interface DeviceState {
  status: IndividualStatus;
  /** When it last became ready on a shelf; null while it is anything but ready. */
  readySince: number | null;
}

/** The state after one more movement: a device moved from shelf to shelf keeps its place in the queue. */
export function stateAfter(before: DeviceState | null, reason: MovementReason, to: { kind: LocationKind } | null, at: number): DeviceState {
  const status = statusAfter(reason, to);
  if (status !== 'in_stock') return { status, readySince: null };
  return { status, readySince: before?.status === 'in_stock' && before.readySince !== null ? before.readySince : at };
}

/** One movement of a device's history, as both ends keep it. */
export interface HistoryMovement {
  id: string;
  reason: MovementReason;
  /** The kind of place it went to; null when it left stock. */
  toKind: LocationKind | null;
  occurredAt: number;
  /** For a correction: the movement it reverses. */
  reverses: string | null;
}

/**
 * A device's state from its history (in the order it happened): the corrections and the
 * movements they reverse are left out, and the rest are replayed. A device none of whose
 * movements stand (an undone goods receipt) was never in stock: it is cancelled.
 */
export function stateFromHistory(history: readonly HistoryMovement[]): DeviceState {
  let state: DeviceState | null = null;
  for (const m of standing(history)) state = stateAfter(state, m.reason, m.toKind === null ? null : { kind: m.toKind }, m.occurredAt);
  return state ?? { status: 'cancelled', readySince: null };
}

/** A device's movements still standing: neither a correction nor reversed by one. */
export function standing(history: readonly HistoryMovement[]): HistoryMovement[] {
  const reversed = new Set(history.filter((m) => m.reason === 'correction' && m.reverses).map((m) => m.reverses!));
  return history.filter((m) => m.reason !== 'correction' && !reversed.has(m.id));
}
