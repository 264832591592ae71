/**
 * The rules every movement obeys, wherever it is posted: which workflow owns which reason, how
 * much one movement may carry, and when it may say it happened. Pure: the station's ledger and
 * the register's check of a push read the same table, so a forged push is judged as a posting
 * at the station would be.
 */
import type { UserMessage } from '../../vocabulary/errors';
import { MOVEMENT_REASONS, type IndividualStatus, type MovementReason } from '../schema';

/** The most one movement carries (a pallet of gloves is far less). */
export const MAX_QUANTITY = 1_000_000;

const DAY = 86_400_000;
/** How far back a movement may say it happened: a return registered late, a repair written up after the fact. */
export const MAX_BACKDATE_MS = 60 * DAY;
/** How far ahead of the clock that records it a movement may say it happened (clocks drift a little). */
export const MAX_AHEAD_MS = 10 * 60_000;
/** The register's allowance for a station's clock being ahead of its own. */
export const MAX_CLOCK_SKEW_MS = DAY;
/** No movement of this system happened before this (2020-01-01). */
export const EARLIEST_MS = Date.UTC(2020, 0, 1);

/** The workflows that post to the ledger. */
export const WORKFLOWS = [
  'receiving',
  'putaway',
  'moving',
  'picking',
  'pallets',
  'restocking',
  'returns',
  'service',
  'repairs',
  'counting',
  'kiosk',
  'undo',
  'locations',
  'integration',
] as const;
export type Workflow = (typeof WORKFLOWS)[number];

/**
 * Which reasons each workflow posts. A reason outside its workflow's list is refused: a count
 * adjustment comes only from an approved count, a scrapping only from the service flow, a
 * receipt only from goods receipt or a pallet arriving. The generic posting call
 * (`integration`, admins only) moves stock between places and nothing else.
 */
export const REASONS_OF: Record<Workflow, readonly MovementReason[]> = {
  receiving: ['receipt'],
  putaway: ['put_away'],
  moving: ['move'],
  picking: ['pick'],
  pallets: ['dispatch', 'transfer', 'delivery', 'correction'],
  restocking: ['transfer'],
  returns: ['return'],
  service: ['to_cleaning', 'to_reconditioning', 'ready', 'scrap', 'dispatch', 'return'],
  repairs: ['spare_part'],
  counting: ['count_adjustment'],
  kiosk: ['delivery', 'return'],
  undo: ['correction'],
  locations: ['move'],
  integration: ['move'],
};

/** The workflows that may post a reason (for messages and the README's table). */
export function workflowsOf(reason: MovementReason): Workflow[] {
  return WORKFLOWS.filter((w) => REASONS_OF[w].includes(reason));
}

export const isReason = (s: string): s is MovementReason => (MOVEMENT_REASONS as readonly string[]).includes(s);

/** Why a movement's time is not believable, or null. `recordedAt` is the clock of the station that posted it. */
export function badOccurredAt(occurredAt: number, recordedAt: number): UserMessage | null {
  if (!Number.isSafeInteger(occurredAt) || occurredAt < EARLIEST_MS || occurredAt < recordedAt - MAX_BACKDATE_MS)
    return {
      sv: 'Datumet ligger för långt bakåt (högst 60 dagar). Kontrollera datumet och försök igen.',
      en: 'The date is too far back (60 days at most). Check the date and try again.',
    };
  if (occurredAt > recordedAt + MAX_AHEAD_MS)
    return {
      sv: 'Datumet ligger i framtiden. Kontrollera datumet och stationens klocka.',
      en: "The date is in the future. Check the date and the station's clock.",
    };
  return null;
}

/**
 * The hygiene chain. A device that has been with a patient, or is on its way back to ready
 * (returned, being washed, inspected or repaired, held in quarantine), reaches a shelf or the
 * dispatch area only by the workshop's last step (`ready`). Whatever path is taken (a stock move,
 * a put-back at a kiosk, a count's "found", a receipt, a pallet), the station's ledger and the
 * register's check of a push read this one rule. An undo puts a device back as it was before the
 * step it reverses, so it never reaches further than that step did.
 */
export const NOT_YET_CLEAN: ReadonlySet<IndividualStatus> = new Set<IndividualStatus>(['on_loan', 'returned', 'in_cleaning', 'in_reconditioning', 'quarantine']);

/**
 * Whether a movement takes a device that is not yet clean to where it can be picked or sent out.
 * Only the workshop's release (`ready`, from the workshop, after washing and inspection) does that.
 */
export function skipsReconditioning(before: IndividualStatus, reason: MovementReason, after: IndividualStatus): boolean {
  if (!NOT_YET_CLEAN.has(before) || (after !== 'in_stock' && after !== 'reserved') || reason === 'correction') return false;
  return reason !== 'ready' || before !== 'in_reconditioning';
}

/** What a worker is told when a device would skip its washing and inspection. */
export const notReadyMessage = (individualNumber: string): UserMessage => ({
  sv: `Individ ${individualNumber} är inte klar för utlåning och ställs inte på en hylla. Den går via rengöring och kontroll.`,
  en: `Individual ${individualNumber} is not ready to lend and does not go on a shelf. It goes through cleaning and inspection.`,
});
