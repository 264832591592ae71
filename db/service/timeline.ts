/**
 * An individual's whole life in the centre's care, in order: receipt, put-away and moves, loans and
 * returns (by order reference), cleaning with its wash batch, inspections with their answers,
 * repairs with the parts used and time spent, maintenance signed off, scrapping. Built from the
 * ledger and the append-only service and work-order records; each entry is worded in Swedish and
 * English so the screen and the PDF say the same.
 */
import type { UserMessage } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { MovementReason } from '../schema';
import { stmt } from '../statements';
import { isReason } from '../stock/rules';
import { individualById } from '../workflows/common';
import type { InspectionRecord } from './checklists';
import type { Disposal } from './jobs';
import type { WorkOrderPart } from './workorders';

export type TimelineKind = 'movement' | 'service' | 'repair' | 'maintenance';

export interface TimelineEntry {
  at: number;
  kind: TimelineKind;
  text: UserMessage;
  /** The lines under it: an inspection's answers, a repair's parts. */
  details: UserMessage[];
  by: string | null;
}

export interface Timeline {
  individualId: string;
  individualNumber: string;
  articleNumber: string;
  articleName: string;
  serialNumber: string | null;
  status: string;
  locationCode: string | null;
  entries: TimelineEntry[];
}

const both = (sv: string, en: string): UserMessage => ({ sv, en });
const ref = (r: string | null) => (r && !/^[0-9a-f]{8}-/.test(r) ? ` (${r})` : '');

function movementText(reason: MovementReason, from: string | null, to: string | null, orderRef: string | null): UserMessage {
  switch (reason) {
    case 'receipt':
      return both(`Inlevererad till ${to}${ref(orderRef)}`, `Received at ${to}${ref(orderRef)}`);
    case 'put_away':
      return both(`Inlagrad på ${to}`, `Put away on ${to}`);
    case 'move':
      return both(`Flyttad från ${from} till ${to}`, `Moved from ${from} to ${to}`);
    case 'pick':
      return both(`Plockad${ref(orderRef)}`, `Picked${ref(orderRef)}`);
    case 'dispatch':
      return both(`Skickad från ${from}${ref(orderRef)}`, `Dispatched from ${from}${ref(orderRef)}`);
    case 'delivery':
      return both(`Utlånad${ref(orderRef)}`, `Lent out${ref(orderRef)}`);
    case 'return':
      return both(`Tillbaka, till ${to}${ref(orderRef)}`, `Came back, to ${to}${ref(orderRef)}`);
    case 'to_cleaning':
      return both(`Till rengöring (${to})`, `To cleaning (${to})`);
    case 'to_reconditioning':
      return both(`Till verkstaden (${to})`, `To the workshop (${to})`);
    case 'ready':
      return both(`Klar för utlåning, ställd på ${to}`, `Ready for loan, put on ${to}`);
    case 'scrap':
      return both(`Kasserad (från ${from})`, `Scrapped (from ${from})`);
    case 'count_adjustment':
      return both(`Inventeringsjustering${to ? `: till ${to}` : `: saknas på ${from}`}`, `Count adjustment${to ? `: to ${to}` : `: missing at ${from}`}`);
    case 'transfer':
      return both(`Överförd till ${to ?? 'annat förråd'}`, `Transferred to ${to ?? 'another site'}`);
    case 'spare_part':
      return both('Använd som reservdel', 'Used as a spare part');
    case 'correction':
      return both(`Rättelse (ångrad): ${from ?? '–'} till ${to ?? '–'}`, `Correction (undone): ${from ?? '–'} to ${to ?? '–'}`);
  }
}

const DISPOSAL_TEXT: Record<Disposal, UserMessage> = {
  metal_recycling: both('metallåtervinning', 'metal recycling'),
  electronics_recycling: both('elektronikåtervinning', 'electronics recycling'),
  plastics_recycling: both('plaståtervinning', 'plastics recycling'),
  combustible: both('brännbart', 'combustible'),
  hazardous_waste: both('farligt avfall', 'hazardous waste'),
  back_to_supplier: both('tillbaka till leverantören', 'back to the supplier'),
};

const SERVICE_TEXT: Record<string, UserMessage> = {
  open: both('Inne för rekonditionering', 'In for reconditioning'),
  send_to_cleaning: both('I kö till disken', 'Queued for washing'),
  clean: both('Rengjord', 'Cleaned'),
  start_repair: both('Reparation startad', 'Repair started'),
  finish_repair: both('Reparation klar', 'Repair finished'),
  send_to_supplier: both('Skickad till leverantören (garanti)', 'Sent to the supplier (warranty)'),
  back_from_supplier: both('Tillbaka från leverantören', 'Back from the supplier'),
  release: both('Friklassad', 'Released'),
  scrap: both('Kasserad', 'Scrapped'),
};

function serviceEntry(action: string, detail: Record<string, unknown>): { text: UserMessage; details: UserMessage[] } {
  if (action === 'inspect') {
    const r = detail as Partial<InspectionRecord> & { hours?: number };
    const verdict = r.passed ? both('Kontroll godkänd', 'Inspection passed') : both('Kontroll underkänd', 'Inspection failed');
    const list = r.checklist ? ` – ${r.checklist}` : '';
    const hours = r.hours !== undefined && r.hours !== null ? `, ${r.hours} h` : '';
    return {
      text: both(`${verdict.sv}${list}${hours}`, `${verdict.en}${list}${hours}`),
      details: (r.answers ?? []).map((a) => both(`${a.question}: ${a.ok ? 'OK' : `Fel – ${a.note ?? ''}`}`, `${a.question}: ${a.ok ? 'OK' : `Fault – ${a.note ?? ''}`}`)),
    };
  }
  const base = SERVICE_TEXT[action] ?? both(action, action);
  const extra: string[] = [];
  if (typeof detail.cabinet === 'string') extra.push(`${detail.cabinet}, ${String(detail.method)}`);
  if (typeof detail.priority === 'string') extra.push(String(detail.priority));
  if (typeof detail.workOrder === 'string') extra.push(detail.workOrder);
  if (typeof detail.claim === 'string') extra.push(detail.claim);
  if (typeof detail.reason === 'string' && typeof detail.disposal === 'string') {
    const d = DISPOSAL_TEXT[detail.disposal as Disposal];
    return { text: both(`${base.sv}: ${detail.reason} (${d.sv})`, `${base.en}: ${detail.reason} (${d.en})`), details: [] };
  }
  const tail = extra.length ? ` (${extra.join('; ')})` : '';
  return { text: both(base.sv + tail, base.en + tail), details: [] };
}

function repairEntry(number: string, kind: string, d: Record<string, unknown>): UserMessage {
  switch (kind) {
    case 'open':
      return both(`Arbetsorder ${number} öppnad: ${String(d.fault)}`, `Work order ${number} opened: ${String(d.fault)}`);
    case 'time':
      return both(`${number}: ${String(d.minutes)} min arbete${d.note ? ` (${String(d.note)})` : ''}`, `${number}: ${String(d.minutes)} min of work${d.note ? ` (${String(d.note)})` : ''}`);
    case 'part': {
      const p = d as unknown as WorkOrderPart;
      const lot = p.lot ? `, batch ${p.lot}` : '';
      return both(`${number}: reservdel ${p.quantity} × ${p.articleName} (${p.articleNumber}${lot}) från ${p.locationCode}`, `${number}: spare part ${p.quantity} × ${p.articleName} (${p.articleNumber}${lot}) from ${p.locationCode}`);
    }
    case 'part_returned': {
      const p = d as unknown as WorkOrderPart;
      return both(`${number}: reservdel tillbaka, ${p.quantity} × ${p.articleName} till ${p.locationCode}`, `${number}: spare part put back, ${p.quantity} × ${p.articleName} to ${p.locationCode}`);
    }
    case 'actions':
      return both(`${number}: åtgärd – ${String(d.actions)}`, `${number}: action – ${String(d.actions)}`);
    case 'close':
      return d.outcome === 'done'
        ? both(`Arbetsorder ${number} avslutad`, `Work order ${number} closed`)
        : both(`Arbetsorder ${number} avbruten (${String(d.reason)})`, `Work order ${number} cancelled (${String(d.reason)})`);
    default:
      return both(`${number}: ${kind}`, `${number}: ${kind}`);
  }
}


/** A movement from the register's history, older than this station's copy holds. */
export interface OlderMovement {
  id: string;
  occurredAt: number;
  reason: string;
  fromLocationId: string | null;
  toLocationId: string | null;
  orderRef: string | null;
  userId: string;
  individualId: string | null;
}

/**
 * Everything that happened to a device, oldest first: its movements, reconditioning steps, repairs
 * and maintenance. `older` adds what the register holds beyond this station's copy (asked for when
 * online); each is told apart as from the register.
 */
export function individualTimeline(store: StationDb, individualId: string, older: readonly OlderMovement[] = []): Timeline {
  const ind = individualById(store, individualId);
  const head = stmt<Omit<Timeline, 'entries' | 'individualId' | 'individualNumber' | 'status'>>(
    store,
    `select a.article_number as articleNumber, a.name as articleName, i.serial_number as serialNumber, l.code as locationCode
     from individuals i join articles a on a.id = i.article_id left join locations l on l.id = i.location_id where i.id = ?`,
  ).get(ind.id)!;
  // Each entry with its row's id: ids are UUIDv7 made in order, so entries of the same moment keep the order they were written in.
  const entries: (TimelineEntry & { id: string })[] = [];
  for (const m of stmt<{ id: string; at: number; reason: MovementReason; fromCode: string | null; toCode: string | null; orderRef: string | null; by: string | null; missing: string | null }>(
    store,
    `select m.id, m.occurred_at as at, m.reason, f.code as fromCode, t.code as toCode, m.order_ref as orderRef, u.name as by, rc.missing
     from movements m left join locations f on f.id = m.from_location_id left join locations t on t.id = m.to_location_id left join users u on u.id = m.user_id
       left join return_checks rc on rc.movement_id = m.id
     where m.individual_id = ? order by m.occurred_at, m.rowid`,
  ).all(ind.id)) {
    // A return names what did not come back with the device.
    const missing = m.missing ? (JSON.parse(m.missing) as string[]) : [];
    const details = missing.length ? [both(`Saknades vid returen: ${missing.join(', ')}`, `Missing at the return: ${missing.join(', ')}`)] : [];
    entries.push({ id: m.id, at: m.at, kind: 'movement', text: movementText(m.reason, m.fromCode, m.toCode, m.orderRef), details, by: m.by });
  }
  const here = new Set(entries.map((e) => e.id));
  const code = stmt<{ code: string }>(store, 'select code from locations where id = ?');
  const name = stmt<{ name: string }>(store, 'select name from users where id = ?');
  for (const m of older) {
    if (here.has(m.id) || m.individualId !== ind.id || !isReason(m.reason)) continue;
    const at = (id: string | null) => (id ? (code.get(id)?.code ?? null) : null);
    entries.push({
      id: m.id,
      at: m.occurredAt,
      kind: 'movement',
      text: movementText(m.reason, at(m.fromLocationId), at(m.toLocationId), m.orderRef),
      details: [both('Från registrets historik', "From the register's history")],
      by: name.get(m.userId)?.name ?? null,
    });
  }
  for (const e of stmt<{ id: string; at: number; action: string; detail: string | null; by: string | null }>(
    store,
    `select e.id, e.at, e.action, e.detail, u.name as by from service_events e join service_jobs j on j.id = e.job_id left join users u on u.id = e.user_id
     where j.individual_id = ? order by e.at, e.rowid`,
  ).all(ind.id))
    entries.push({ id: e.id, at: e.at, kind: 'service', ...serviceEntry(e.action, e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {}), by: e.by });
  for (const e of stmt<{ id: string; at: number; number: string; kind: string; detail: string | null; by: string | null }>(
    store,
    `select e.id, e.at, w.number, e.kind, e.detail, u.name as by from work_order_events e join work_orders w on w.id = e.work_order_id left join users u on u.id = e.user_id
     where w.individual_id = ? order by e.at, e.rowid`,
  ).all(ind.id))
    entries.push({ id: e.id, at: e.at, kind: 'repair', text: repairEntry(e.number, e.kind, e.detail ? (JSON.parse(e.detail) as Record<string, unknown>) : {}), details: [], by: e.by });
  for (const r of stmt<{ id: string; at: number; plan: string; hours: number | null; by: string | null }>(
    store,
    `select r.id, r.done_at as at, p.name as plan, r.hours, u.name as by from maintenance_records r join maintenance_plans p on p.id = r.plan_id left join users u on u.id = r.user_id
     where r.individual_id = ? order by r.done_at`,
  ).all(ind.id)) {
    const hours = r.hours !== null ? `, ${r.hours} h` : '';
    entries.push({ id: r.id, at: r.at, kind: 'maintenance', text: both(`Underhåll signerat: ${r.plan}${hours}`, `Maintenance signed off: ${r.plan}${hours}`), details: [], by: r.by });
  }
  entries.sort((a, b) => a.at - b.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { individualId: ind.id, individualNumber: ind.individualNumber, status: ind.status, ...head, entries: entries.map(({ id: _, ...e }) => e) };
}
