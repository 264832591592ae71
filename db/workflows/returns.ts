/**
 * Return intake: the device is back. The return date is recorded (it ends the rental), its
 * components are checked against the article's list, and it joins the cleaning queue.
 */
import { openServiceJob } from '../service/jobs';
import type { Priority } from '../service/levels';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById, siteZone } from './common';
import { collectPickup } from './pickups';
import { localDay } from '../../vocabulary/calendar';

export function componentsOf(store: StationDb, articleId: string): { name: string; quantity: number }[] {
  return stmt<{ name: string; quantity: number }>(store, 'select name, quantity from article_components where article_id = ? order by sv_order(name)').all(articleId);
}

export interface ReturnInput {
  individualId: string;
  /** The day it came back, `YYYY-MM-DD`; today when left out. */
  returnedOn?: string;
  orderRef?: string | null;
  missing: string[];
  /** How urgently it must be reconditioned (the service agreement's priority); normal when left out. */
  priority?: Priority;
}

/** A device is taken in as a return only while it is out (on loan, or missing after a count): else it is refused, naming it. */
export function requireReturnable(store: StationDb, individualId: string): ReturnType<typeof individualById> {
  const ind = individualById(store, individualId);
  if (ind.locationId !== null || (ind.status !== 'on_loan' && ind.status !== 'missing'))
    throw new DepotError('returns.not_on_loan', {
      sv: `Individ ${ind.individualNumber} är inte utlånad, så den kan inte tas emot som retur. Kontrollera numret.`,
      en: `Individual ${ind.individualNumber} is not on loan, so it cannot be taken in as a return. Check the number.`,
    });
  return ind;
}

export function returnIndividual(
  store: StationDb,
  actor: Actor & { siteId: string },
  input: ReturnInput,
): { movement: PostedMovement; orderRef: string | null; pickup: string | null } {
  return store.sqlite.transaction(() => {
    // A device a count found missing may turn up the same way: it goes through reconditioning like any return.
    const ind = requireReturnable(store, input.individualId);
    const known = new Set(componentsOf(store, ind.articleId).map((c) => c.name));
    const unknownPart = input.missing.find((m) => !known.has(m));
    if (unknownPart) throw new DepotError('returns.unknown_component', { sv: `Okänd komponent: ${unknownPart}.`, en: `Unknown component: ${unknownPart}.` });
    const now = Date.now();
    // Days are the station's own (the worker's calendar says the same): a day before today is taken at its noon.
    const today = localDay(now);
    const day = input.returnedOn ?? today;
    const occurredAt = day === today ? now : Date.parse(`${day}T12:00:00`);
    if (!Number.isFinite(occurredAt) || occurredAt > now + 60_000)
      throw new DepotError('returns.bad_date', { sv: 'Returdatumet kan inte ligga i framtiden.', en: 'The return date cannot be in the future.' }, 'returnedOn');
    const returns = siteZone(store, actor.siteId, 'returns');
    // Back from the loan it was on: the return names that order, so its rental ends.
    const loan = ind.status === 'on_loan' ? stmt<{ ref: string | null }>(store, 'select loan_order_ref as ref from individuals where id = ?').get(ind.id)?.ref ?? null : null;
    const [movement] = postMovements(store, actor, [
      { articleId: ind.articleId, individualId: ind.id, toLocationId: returns.id, quantity: 1, reason: 'return', orderRef: input.orderRef ?? loan, occurredAt },
    ], 'returns');
    // Collected: its pick-up order (the returlapp scanned is the device's own number) is done.
    const pickup = collectPickup(store, actor, ind.id, occurredAt);
    stmt(store, 'insert into return_checks (movement_id, individual_id, missing, checked_at, user_id) values (?, ?, ?, ?, ?)').run(
      movement!.id,
      ind.id,
      JSON.stringify(input.missing),
      now,
      actor.userId,
    );
    // Back from a patient: into the reconditioning flow, its service clock running.
    openServiceJob(store, actor, { individualId: ind.id, priority: input.priority ?? 'normal', at: now, missing: input.missing });
    return { movement: movement!, orderRef: movement!.orderRef, pickup: pickup?.number ?? null };
  })();
}
