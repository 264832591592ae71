/**
 * Repair work orders. A reconditioning job's repair step opens one for the device; devices out with
 * patients and municipality-owned devices come in as work orders of their own (from the register or
 * entered at the station) and share the technicians' board and service levels. On a work order:
 * the fault, time spent, spare parts used (each a movement out of the spare-parts store with the
 * order's number, so the parts' stock and reorder points follow), what was done, and the close.
 * Every entry is an append-only event; the order itself goes to the register.
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import { stationNumber } from '../numbers';
import type { StationDb } from '../open';
import type { MovementReason, WorkOrderOrigin } from '../schema';
import { postMovements, type Actor } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById, locationById, requireAtSite } from '../workflows/common';
import { undoMovements } from '../workflows/undo';
import { serviceClock, type Priority } from './levels';

export interface WorkOrder {
  id: string;
  number: string;
  siteId: string;
  origin: WorkOrderOrigin;
  individualId: string | null;
  jobId: string | null;
  device: string | null;
  owner: string | null;
  place: string | null;
  priority: Priority;
  dueAt: number;
  fault: string;
  actions: string | null;
  minutes: number;
  state: 'open' | 'done' | 'cancelled';
  openedAt: number;
  startedAt: number | null;
  closedAt: number | null;
}

export interface WorkOrderPart {
  movementId: string;
  articleId: string;
  articleNumber: string;
  articleName: string;
  lot: string | null;
  quantity: number;
  locationCode: string;
  at: number;
}

/** The order's columns as a WorkOrder, read through table alias `w`. */
const WO_COLUMNS = `w.id, w.number, w.site_id as siteId, w.origin, w.individual_id as individualId, w.job_id as jobId, w.device, w.owner, w.place,
  w.priority, w.due_at as dueAt, w.fault, w.actions, w.minutes, w.state, w.opened_at as openedAt, w.started_at as startedAt, w.closed_at as closedAt`;

export type SiteActor = Actor & { siteId: string };

export function workOrderById(store: StationDb, id: string): WorkOrder {
  const wo = stmt<WorkOrder>(store, `select ${WO_COLUMNS} from work_orders w where w.id = ? or w.number = ?`).get(id, id);
  if (!wo) throw new DepotError('workorder.unknown', { sv: 'Okänd arbetsorder. Skanna eller skriv ordernumret igen.', en: 'Unknown work order. Scan or type its number again.' });
  return wo;
}

/** The individual's open work order, if it has one. */
export function openWorkOrderFor(store: StationDb, individualId: string): WorkOrder | undefined {
  return stmt<WorkOrder>(store, `select ${WO_COLUMNS} from work_orders w where w.individual_id = ? and w.state = 'open' order by w.opened_at desc limit 1`).get(individualId);
}

function record(store: StationDb, actor: Actor, workOrderId: string, kind: string, detail: unknown, at: number): void {
  stmt(store, 'insert into work_order_events (id, work_order_id, at, station_id, user_id, kind, detail) values (?, ?, ?, ?, ?, ?, ?)').run(
    uuidv7(at),
    workOrderId,
    at,
    actor.stationId,
    actor.userId,
    kind,
    detail === undefined ? null : JSON.stringify(detail),
  );
}

const text = (s: string | null | undefined, max: number) => {
  const t = s?.trim();
  return t ? t.slice(0, max) : null;
};

export interface NewWorkOrder {
  origin: WorkOrderOrigin;
  individualId?: string | null;
  jobId?: string | null;
  device?: string | null;
  owner?: string | null;
  place?: string | null;
  priority: Priority;
  fault: string;
  at?: number;
}

/**
 * Opens a work order. A device out with a patient must be one the register lends out; a
 * municipality's device needs a description (and its owner) when it is not in the register.
 */
export function openWorkOrder(store: StationDb, actor: SiteActor, input: NewWorkOrder): WorkOrder {
  return store.sqlite.transaction(() => {
    const fault = text(input.fault, 1000);
    if (!fault) throw new DepotError('workorder.fault', { sv: 'Skriv vad som är fel på hjälpmedlet.', en: 'Write what is wrong with the device.' }, 'fault');
    const ind = input.individualId ? individualById(store, input.individualId) : null;
    if (ind) {
      const open = openWorkOrderFor(store, ind.id);
      if (open)
        throw new DepotError('workorder.already_open', {
          sv: `${ind.individualNumber} har redan en öppen arbetsorder (${open.number}). Fortsätt på den.`,
          en: `${ind.individualNumber} already has an open work order (${open.number}). Carry on with that one.`,
        });
    }
    let place = text(input.place, 200);
    if (input.origin === 'on_loan') {
      if (!ind || ind.status !== 'on_loan')
        throw new DepotError('workorder.not_on_loan', {
          sv: `${ind?.individualNumber ?? 'Hjälpmedlet'} är inte utlånat. Är det här i förrådet tas det emot som retur i stället.`,
          en: `${ind?.individualNumber ?? 'The device'} is not on loan. If it is here in the store, take it in as a return instead.`,
        });
      // Where it is: the order it went out on (a pseudonymous reference and delivery point), unless told.
      place ??= stmt<{ ref: string | null }>(store, 'select loan_order_ref as ref from individuals where id = ?').get(ind.id)?.ref ?? null;
    }
    const device = text(input.device, 200);
    if (input.origin === 'municipality' && !ind && !device)
      throw new DepotError('workorder.device', { sv: 'Beskriv hjälpmedlet (typ, fabrikat, serienummer).', en: 'Describe the device (type, make, serial number).' }, 'device');
    const at = input.at ?? Date.now();
    const id = uuidv7(at);
    const number = stationNumber(store, 'AO', 'work_order');
    stmt(
      store,
      `insert into work_orders (id, number, site_id, origin, individual_id, job_id, device, owner, place, priority, due_at, fault, state, opened_at, opened_by)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?)`,
    ).run(id, number, actor.siteId, input.origin, ind?.id ?? null, input.jobId ?? null, device, text(input.owner, 200), place, input.priority, serviceClock(input.priority, at).due, fault, at, actor.userId);
    record(store, actor, id, 'open', { origin: input.origin, fault, priority: input.priority }, at);
    return workOrderById(store, id);
  })();
}

function requireOpen(store: StationDb, id: string): WorkOrder {
  const wo = workOrderById(store, id);
  if (wo.state !== 'open')
    throw new DepotError('workorder.closed', { sv: `Arbetsorder ${wo.number} är redan avslutad.`, en: `Work order ${wo.number} is already closed.` });
  return wo;
}

/** Time spent on the order, in whole minutes; the first entry starts the order's clock. */
export function addWorkTime(store: StationDb, actor: Actor, input: { workOrderId: string; minutes: number; note?: string | null; at?: number }): WorkOrder {
  return store.sqlite.transaction(() => {
    const wo = requireOpen(store, input.workOrderId);
    if (!Number.isInteger(input.minutes) || input.minutes <= 0 || input.minutes > 24 * 60)
      throw new DepotError('workorder.minutes', { sv: 'Ange tiden i hela minuter, mellan 1 och 1440.', en: 'Give the time in whole minutes, between 1 and 1440.' }, 'minutes');
    const at = input.at ?? Date.now();
    stmt(store, 'update work_orders set minutes = minutes + ?, started_at = coalesce(started_at, ?) where id = ?').run(input.minutes, at, wo.id);
    record(store, actor, wo.id, 'time', { minutes: input.minutes, note: text(input.note, 500) }, at);
    return workOrderById(store, wo.id);
  })();
}

/**
 * A spare part used: taken out of the site's spare-parts store (the location scanned, or where the
 * part is), posted as a movement with the order's number. Refused, with what to do, when the part
 * is not there in that quantity.
 */
export function useSparePart(
  store: StationDb,
  actor: SiteActor,
  input: { workOrderId: string; articleId: string; quantity: number; lot?: string | null; fromLocationId?: string | null; at?: number },
): WorkOrderPart {
  return store.sqlite.transaction(() => {
    const wo = requireOpen(store, input.workOrderId);
    const article = stmt<{ id: string; number: string; name: string; rentable: number }>(store, 'select id, article_number as number, name, rentable from articles where id = ?').get(input.articleId);
    if (!article) throw new DepotError('stock.unknown_article', { sv: 'Okänd reservdel. Skanna dess streckkod igen.', en: 'Unknown spare part. Scan its barcode again.' }, 'articleId');
    if (article.rentable)
      throw new DepotError('workorder.not_a_part', {
        sv: `${article.name} är ett hjälpmedel som lånas ut, inte en reservdel.`,
        en: `${article.name} is a device that is lent out, not a spare part.`,
      });
    let from: { id: string; code: string; lot: string } | undefined;
    if (input.fromLocationId) {
      const l = locationById(store, input.fromLocationId);
      requireAtSite(l, actor.siteId);
      from = { id: l.id, code: l.code, lot: input.lot ?? '' };
    } else {
      // Where the part is in the spare-parts store: its own zone and everything under it, most stock first.
      from = stmt<{ id: string; code: string; lot: string }>(
        store,
        `with recursive store_locations(id) as (
           select id from locations where site_id = ? and kind = 'spare_parts' and retired_at is null
           union select l.id from locations l join store_locations s on l.parent_id = s.id where l.retired_at is null)
         select l.id, l.code, b.lot from balances b join locations l on l.id = b.location_id
         where b.article_id = ? and b.location_id in (select id from store_locations) and b.quantity >= ? and (? is null or b.lot = ?)
         order by b.quantity desc limit 1`,
      ).get(actor.siteId, article.id, input.quantity, input.lot ?? null, input.lot ?? null);
      if (!from)
        throw new DepotError('workorder.no_part', {
          sv: `${article.name} finns inte i reservdelsförrådet i det antalet. Skanna hyllplatsen du tog den från, eller beställ fler.`,
          en: `${article.name} is not in the spare-parts store in that quantity. Scan the shelf you took it from, or order more.`,
        });
    }
    const at = input.at ?? Date.now();
    const [m] = postMovements(store, actor, [
      { articleId: article.id, lot: from.lot || null, fromLocationId: from.id, toLocationId: null, quantity: input.quantity, reason: 'spare_part', orderRef: wo.number, occurredAt: at },
    ], 'repairs');
    const part: WorkOrderPart = { movementId: m!.id, articleId: article.id, articleNumber: article.number, articleName: article.name, lot: from.lot || null, quantity: input.quantity, locationCode: from.code, at };
    stmt(store, 'update work_orders set started_at = coalesce(started_at, ?) where id = ?').run(at, wo.id);
    record(store, actor, wo.id, 'part', part, at);
    return part;
  })();
}

const SPARE_PARTS: ReadonlySet<MovementReason> = new Set<MovementReason>(['spare_part']);

/**
 * A part taken out by mistake (or not needed after all) goes back where it came from: its movement
 * is reversed while the part is still unused there, and the order's record says so.
 */
export function returnSparePart(store: StationDb, actor: Actor, input: { workOrderId: string; movementId: string }): WorkOrder {
  return store.sqlite.transaction(() => {
    const wo = requireOpen(store, input.workOrderId);
    const part = workOrderParts(store, wo.id).find((p) => p.movementId === input.movementId);
    if (!part) throw new DepotError('workorder.no_such_part', { sv: 'Den reservdelen är inte uttagen på den här arbetsordern.', en: 'That spare part is not taken out on this work order.' });
    undoMovements(store, actor, [part.movementId], SPARE_PARTS);
    record(store, actor, wo.id, 'part_returned', part, Date.now());
    return workOrderById(store, wo.id);
  })();
}

/** The parts used on an order (those put back left out), from its events. */
export function workOrderParts(store: StationDb, workOrderId: string): WorkOrderPart[] {
  const events = stmt<{ kind: string; detail: string }>(store, "select kind, detail from work_order_events where work_order_id = ? and kind in ('part', 'part_returned') order by at, rowid")
    .all(workOrderId)
    .map((e) => ({ kind: e.kind, part: JSON.parse(e.detail) as WorkOrderPart }));
  const returned = new Set(events.filter((e) => e.kind === 'part_returned').map((e) => e.part.movementId));
  return events.filter((e) => e.kind === 'part' && !returned.has(e.part.movementId)).map((e) => e.part);
}

/** Writes down what was done (the order keeps the latest words; each version is on the record). */
export function writeActions(store: StationDb, actor: Actor, input: { workOrderId: string; actions: string; at?: number }): WorkOrder {
  return store.sqlite.transaction(() => {
    const wo = requireOpen(store, input.workOrderId);
    setActions(store, actor, wo, input.actions, input.at ?? Date.now());
    return workOrderById(store, wo.id);
  })();
}

/** The order's latest words on what was done, and the version on the record; sent on by the caller. */
function setActions(store: StationDb, actor: Actor, wo: WorkOrder, words: string, at: number): void {
  const actions = text(words, 2000);
  if (!actions) throw new DepotError('workorder.actions', { sv: 'Skriv vad som gjordes.', en: 'Write what was done.' }, 'actions');
  stmt(store, 'update work_orders set actions = ? where id = ?').run(actions, wo.id);
  record(store, actor, wo.id, 'actions', { actions }, at);
}

/**
 * Closes the order: done (what was done must be written first), or cancelled with a reason (the
 * device went to the supplier instead, or was scrapped).
 */
export function closeWorkOrder(store: StationDb, actor: Actor, input: { workOrderId: string; outcome: 'done' | 'cancelled'; reason?: string; actions?: string | null; at?: number }): WorkOrder {
  return store.sqlite.transaction(() => {
    const at = input.at ?? Date.now();
    let wo = requireOpen(store, input.workOrderId);
    if (input.actions?.trim()) {
      setActions(store, actor, wo, input.actions, at);
      wo = workOrderById(store, wo.id);
    }
    if (input.outcome === 'done' && !wo.actions)
      throw new DepotError('workorder.actions', {
        sv: `Skriv vad som gjordes på ${wo.number} innan den avslutas.`,
        en: `Write what was done on ${wo.number} before closing it.`,
      }, 'actions');
    stmt(store, 'update work_orders set state = ?, closed_at = ?, closed_by = ?, started_at = coalesce(started_at, ?) where id = ?').run(input.outcome, at, actor.userId, at, wo.id);
    record(store, actor, wo.id, 'close', { outcome: input.outcome, reason: input.reason ?? null }, at);
    return workOrderById(store, wo.id);
  })();
}

/** A technician takes the work order (or gives it back to the queue with null). */
export function takeWorkOrder(store: StationDb, workOrderId: string, userId: string | null): void {
  stmt(store, 'update work_orders set taken_by = ? where id = ?').run(userId, workOrderId);
}
