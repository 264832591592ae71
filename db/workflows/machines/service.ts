/**
 * The workshop (Rekond) by scanning. Scan a device (or choose it on the board) to see its job, and
 * take its next step on the screen: to washing, inspected by its checklist, a repair with a work
 * order, to the supplier, released, scrapped. A device released as ready goes on the shelf scanned
 * next. While a wash batch is open, the devices scanned go into it (`KLAR` closes it: everything
 * in it is cleaned). While a work order is open, a scanned spare part is taken out for it, and
 * undo puts it back.
 */
import type { UserMessage } from '../../../vocabulary/errors';
import { WORKSHOP_ROLES } from '../../../vocabulary/domain';
import type { ServiceState } from '../../service/flow';
import type { ServiceJobView, WorkOrderView } from '../../service/views';
import type { WashBatch } from '../../service/wash';
import { fail, ok, refused, warn, type Effect, type Feedback, type Machine, type MachineInput, type Step } from './machine';

export interface ServiceSessionState {
  /** The device being worked on. */
  individual: { id: string; individualNumber: string } | null;
  /** Its job as the core read it last: the state, the steps that may come next, the checklist, the repair. */
  job: ServiceJobView | null;
  /** Released as ready: the shelf it goes on is scanned next. */
  awaitingShelf: boolean;
  /** The open wash batch the devices scanned go into, and what is in it. */
  batch: { id: string; cabinet: string } | null;
  batchView: WashBatch | null;
  /** The open work order spare parts are taken out for (the device's repair, or a field order), and its parts. */
  workOrder: { id: string; number: string } | null;
  workOrderView: WorkOrderView | null;
}

type State = ServiceSessionState;

/** The states of a job, as the workshop's board names them. */
const STATES: Record<ServiceState, UserMessage> = {
  returned: { sv: 'Returnerad', en: 'Returned' },
  awaiting_cleaning: { sv: 'Väntar på disk', en: 'Waiting for washing' },
  cleaned: { sv: 'Rengjord', en: 'Cleaned' },
  inspected: { sv: 'Kontrollerad', en: 'Inspected' },
  needs_repair: { sv: 'Behöver reparation', en: 'Needs repair' },
  in_repair: { sv: 'Under reparation', en: 'In repair' },
  at_supplier: { sv: 'Hos leverantör', en: 'At the supplier' },
  ready: { sv: 'Klar', en: 'Ready' },
  scrapped: { sv: 'Kasserad', en: 'Scrapped' },
};

const START: State = { individual: null, job: null, awaitingShelf: false, batch: null, batchView: null, workOrder: null, workOrderView: null };

const openOrder = (wo: WorkOrderView | null | undefined) => (wo && wo.state === 'open' ? { workOrder: { id: wo.id, number: wo.number }, workOrderView: wo } : { workOrder: null, workOrderView: null });

/** The device's job as read now: it is the one worked on, with its repair (if one is open) taking the spare parts. */
const withJob = (state: State, individualId: string, view: ServiceJobView): State => ({
  ...state,
  individual: { id: individualId, individualNumber: view.individualNumber },
  job: view,
  awaitingShelf: false,
  ...openOrder(view.workOrder),
});

/** Back to choosing a device; an open wash batch stays open (it is closed by `KLAR` or on the screen). */
const cleared = (state: State): State => ({ ...START, batch: state.batch, batchView: state.batchView });

function wrongScan(state: State, kind: string): Feedback {
  const n = state.individual?.individualNumber;
  if (state.awaitingShelf && n) return fail(`Skanna hyllplatsen ${n} ställs på (eller en annan individ).`, `Scan the shelf ${n} goes on (or another individual).`);
  if (kind === 'article') return fail('Skanna en individ. En reservdel tas ut när en arbetsorder är öppen.', 'Scan an individual. A spare part is taken out while a work order is open.');
  return fail('Skanna en individ.', 'Scan an individual.');
}

function scan(state: State, input: Extract<MachineInput, { kind: 'scan' }>): Step<State> {
  const r = input.resolution;
  if (r.kind === 'individual') {
    if (state.batch) return { state, effect: { kind: 'washAdd', batchId: state.batch.id, individualId: r.id } };
    return { state, effect: { kind: 'serviceJob', individualId: r.id } };
  }
  if (r.kind === 'location' && state.awaitingShelf && state.individual)
    return { state, effect: { kind: 'serviceStep', individualId: state.individual.id, action: { kind: 'release' }, toLocationId: r.id } };
  if (r.kind === 'article' && state.workOrder)
    return { state, effect: { kind: 'usePart', workOrderId: state.workOrder.id, articleId: r.id, quantity: r.details.quantity ?? 1, lot: r.details.lot ?? null } };
  return { state, feedback: wrongScan(state, r.kind) };
}

const batchCount = (count: number) =>
  count === 1 ? ok('1 individ rengjord.', '1 individual cleaned.') : ok(`${count} individer rengjorda.`, `${count} individuals cleaned.`);

/** What the screen shows, to read again: the device's job (with its repair), the wash batch, a field work order. */
function views(state: State): Effect | null {
  const individualId = state.individual?.id ?? null;
  const batchId = state.batch?.id ?? null;
  const workOrderId = state.individual ? null : (state.workOrder?.id ?? null);
  return individualId || batchId || workOrderId ? { kind: 'serviceViews', individualId, batchId, workOrderId } : null;
}

export const service: Machine<State> = {
  version: 1,
  access: WORKSHOP_ROLES,
  undoes: ['returnPart'],
  initial: () => START,

  input(state, input) {
    switch (input.kind) {
      case 'scan':
        return scan(state, input);
      case 'command':
        if (input.command === 'confirm') return { state };
        if (input.command === 'done') {
          if (state.batch) return { state, effect: { kind: 'washClose', batchId: state.batch.id } };
          return { state: cleared(state), feedback: ok('Klart. Skanna nästa individ.', 'Done. Scan the next individual.') };
        }
        return { state: cleared(state), feedback: ok('Avbrutet. Skanna nästa individ.', 'Cancelled. Scan the next individual.') };
      case 'serviceSelect':
        return { state, effect: { kind: 'serviceJob', individualId: input.individualId } };
      case 'serviceStep': {
        if (!state.individual) return { state, feedback: fail('Skanna individen först.', 'Scan the individual first.') };
        const n = state.individual.individualNumber;
        if (!state.job?.job) return { state, feedback: fail(`${n} är inte inne för rekonditionering. Ta emot den som retur först.`, `${n} is not in for reconditioning. Take it in as a return first.`) };
        // A release waits for its shelf; one out of turn goes to the core at once, which says what must happen first.
        if (input.action.kind === 'release' && state.job.actions.some((a) => a.kind === 'release'))
          return { state: { ...state, awaitingShelf: true }, feedback: ok(`${n}: skanna hyllplatsen den ställs på.`, `${n}: scan the shelf it goes on.`) };
        const { kind: _kind, ...step } = input;
        return { state, effect: { kind: 'serviceStep', individualId: state.individual.id, ...step } };
      }
      case 'serviceWorkOrder':
        return { state, effect: { kind: 'workOrder', workOrderId: input.workOrderId } };
      case 'washOpen':
        if (state.batch) return { state, feedback: fail(`Diskomgången i ${state.batch.cabinet} är öppen: stäng den först.`, `The wash batch in ${state.batch.cabinet} is open: close it first.`) };
        return { state, effect: { kind: 'washOpen', cabinet: input.cabinet, method: input.method } };
      case 'washClose':
        if (!state.batch) return { state, feedback: fail('Ingen diskomgång är öppen.', 'No wash batch is open.') };
        return { state, effect: { kind: 'washClose', batchId: state.batch.id } };
      case 'refresh':
        return { state, effect: views(state) };
      default:
        return { state };
    }
  },

  settle(state, s) {
    if (!s.ok) {
      // A batch closed, or a work order finished, elsewhere: it no longer takes scans here.
      if ((s.kind === 'washAdd' || s.kind === 'washClose') && (s.error.code === 'wash.closed' || s.error.code === 'wash.unknown'))
        return { state: { ...state, batch: null, batchView: null }, feedback: refused(s) };
      if (s.kind === 'usePart' && (s.error.code === 'workorder.closed' || s.error.code === 'workorder.unknown'))
        return { state: { ...state, workOrder: null, workOrderView: null, job: state.job && { ...state.job, workOrder: null } }, feedback: refused(s) };
      // What the screen showed can no longer be read: it starts afresh.
      if (s.kind === 'serviceViews') return { state: START, feedback: refused(s) };
      return { state, feedback: refused(s) };
    }
    switch (s.kind) {
      case 'serviceJob': {
        const v = s.value;
        const next = withJob(state, s.effect.individualId, v);
        if (!v.job) return { state: next, feedback: warn(`${v.individualNumber} är inte inne för rekonditionering.`, `${v.individualNumber} is not in for reconditioning.`) };
        const st = STATES[v.job.state];
        return { state: next, feedback: ok(`${v.individualNumber}: ${st.sv}.`, `${v.individualNumber}: ${st.en}.`) };
      }
      case 'serviceStep': {
        const { job, view } = s.value;
        const st = STATES[job.state];
        const feedback = ok(`${view.individualNumber}: nu ${st.sv}.`, `${view.individualNumber}: now ${st.en}.`);
        // A finished job (ready or scrapped) leaves the screen; otherwise its next steps are offered.
        if (job.closedAt !== null) return { state: cleared(state), feedback };
        return { state: withJob(state, s.effect.individualId, view), feedback };
      }
      case 'workOrder': {
        // The order opens on the screen, its fault and parts with it (the screen says so when it has just been created).
        const wo = s.value;
        const next = { ...state, individual: null, job: null, awaitingShelf: false, ...openOrder(wo) };
        return wo.state === 'open' ? { state: next } : { state: next, feedback: warn(`${wo.number} är redan avslutad.`, `${wo.number} is already closed.`) };
      }
      case 'usePart': {
        const { part, order } = s.value;
        return {
          state: { ...state, ...openOrder(order), job: state.job && { ...state.job, workOrder: state.job.workOrder?.id === order.id ? order : state.job.workOrder } },
          feedback: ok(`${part.articleName} uttagen till ${order.number}.`, `${part.articleName} taken out for ${order.number}.`),
          // Undo puts the part back where it came from, on the order's record.
          undo: {
            effect: { kind: 'returnPart', workOrderId: order.id, movementId: part.movementId },
            what: {
              sv: `${part.quantity} st ${part.articleNumber} tillbaka till ${part.locationCode} från ${order.number}`,
              en: `${part.quantity} × ${part.articleNumber} back to ${part.locationCode} from ${order.number}`,
            },
          },
        };
      }
      case 'returnPart':
        return { state: state.workOrder?.id === s.value.id ? { ...state, ...openOrder(s.value) } : state };
      case 'washOpen': {
        const b = s.value;
        return { state: { ...state, batch: { id: b.id, cabinet: b.cabinet }, batchView: b }, feedback: ok(`Diskomgång i ${b.cabinet} startad. Skanna in individerna.`, `Wash batch in ${b.cabinet} started. Scan the individuals in.`) };
      }
      case 'washAdd': {
        const b = s.value;
        const n = b.items.find((i) => i.individualId === s.effect.individualId)?.individualNumber ?? '';
        return { state: { ...state, batchView: b }, feedback: ok(`${n} lagd i ${b.cabinet}.`, `${n} put in ${b.cabinet}.`) };
      }
      case 'washClose': {
        const next = { ...state, batch: null, batchView: null };
        // The device on the screen may have been in the batch: its job is read again.
        return { state: next, feedback: batchCount(s.value.items.length), effect: views(next) };
      }
      case 'serviceViews': {
        const { job, batch, workOrder } = s.value;
        let next = state;
        if (state.individual && job && s.effect.individualId === state.individual.id) next = { ...next, job, ...openOrder(job.workOrder) };
        if (state.batch && s.effect.batchId === state.batch.id) next = batch?.closedAt === null ? { ...next, batchView: batch } : { ...next, batch: null, batchView: null };
        if (!state.individual && state.workOrder && s.effect.workOrderId === state.workOrder.id) next = { ...next, ...openOrder(workOrder) };
        return { state: next };
      }
      default:
        return { state };
    }
  },

  refresh: views,

  prompt(state) {
    if (state.awaitingShelf) return { sv: 'Skanna hyllplatsen den ställs på.', en: 'Scan the shelf it goes on.' };
    if (state.batch) return { sv: `Skanna individerna som går in i ${state.batch.cabinet}. KLAR stänger diskomgången.`, en: `Scan the individuals going into ${state.batch.cabinet}. DONE closes the batch.` };
    if (state.workOrder)
      return { sv: `Skanna reservdelens streckkod för att ta ut en till ${state.workOrder.number}.`, en: `Scan a spare part's barcode to take one out for ${state.workOrder.number}.` };
    if (state.individual?.individualNumber && state.job?.job) return { sv: `${state.individual.individualNumber}: välj nästa steg, eller skanna en annan individ.`, en: `${state.individual.individualNumber}: choose the next step, or scan another individual.` };
    return { sv: 'Skanna en individ, eller välj en i arbetskön.', en: 'Scan an individual, or choose one in the work queue.' };
  },
};
