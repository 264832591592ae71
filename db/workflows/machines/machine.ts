/**
 * The shape every scanning workflow shares: a pure state machine that takes one input (a scan, a
 * command, something typed or ticked on the screen) and answers with its next state, at most one
 * effect for the core to carry out (look up an order, post a receipt…), and what the worker sees
 * and hears. The outcome of the effect comes back to the machine the same way. No I/O and no
 * database at run time: only types are imported from the rest of the core.
 */
import type { UserMessage } from '../../../vocabulary/errors';
import type { CountAt, CountLocation, CountScan } from '../../counts/counting';
import type { Role } from '../../schema';
import type { Resolution } from '../../stock/resolve';
import type { ServiceAction } from '../../service/flow';
import type { ServiceJob, StepInput } from '../../service/jobs';
import type { ServiceJobView, WorkOrderView } from '../../service/views';
import type { WashBatch } from '../../service/wash';
import type { WorkOrderPart } from '../../service/workorders';
import type { LoadListRow, LoadingRow, PalletView } from '../pallets';
import type { PickOrder } from '../picking';
import type { Suggestion } from '../putaway';
import type { PurchaseOrderView, ReceiveInput } from '../receiving';
import type { RestockReport } from '../restock';
import type { ReturnInput } from '../returns';

/** One line under the workflow: green, amber or red, and heard as a high beep or a low double beep. */
export interface Feedback {
  kind: 'ok' | 'warn' | 'error';
  message: UserMessage;
}

/** What a workflow takes: a scan of something the station knows, a command card, or a value from the screen. */
export type MachineInput =
  | { kind: 'scan'; text: string; resolution: Exclude<Resolution, { kind: 'command' } | { kind: 'unknown' }> }
  | { kind: 'command'; command: 'confirm' | 'cancel' | 'done' }
  /** How many units one scan of an article stands for (none typed: null). */
  | { kind: 'quantity'; quantity: number | null }
  /** The delivery route and day to pick. */
  | { kind: 'route'; route: string; deliveryDay: string }
  /** A component of a returned device ticked as there, or not. */
  | { kind: 'component'; name: string; present: boolean }
  /** The day a returned device came back (`YYYY-MM-DD`); today when null. */
  | { kind: 'returnedOn'; day: string | null }
  /** A line of a received pallet that was not on it. */
  | { kind: 'missing'; itemId: string }
  /** Where the pallet being built goes. */
  | { kind: 'deliveryPoint'; deliveryPoint: string; municipality: string }
  /** The count to work in. */
  | { kind: 'count'; countId: string }
  /** A location chosen on the screen, as if scanned. */
  | { kind: 'start'; locationId: string }
  /** The workshop: a device chosen on the board, as if scanned. */
  | { kind: 'serviceSelect'; individualId: string }
  /** The workshop: the chosen device's next step, with what that step takes (a release waits for its shelf to be scanned). */
  | ({ kind: 'serviceStep'; action: ServiceAction } & ServiceStepExtras)
  /** The workshop: a work order out in the field, chosen on the board or just created. */
  | { kind: 'serviceWorkOrder'; workOrderId: string }
  /** The workshop: a wash batch started in a cabinet; the devices scanned next go into it. */
  | { kind: 'washOpen'; cabinet: string; method: string }
  /** The workshop: the wash batch is done, and everything in it cleaned. */
  | { kind: 'washClose' }
  /** What the screen shows is read again (the screen changed something by a call of its own). */
  | { kind: 'refresh' }
  /** At the kiosk: taking, or putting back. */
  | { kind: 'direction'; direction: 'take' | 'return' }
  /** At the kiosk: the order or cost centre, typed. */
  | { kind: 'orderRef'; ref: string }
  /** At the kiosk: a line's quantity set on the touch screen (none: off the list). */
  | { kind: 'line'; key: string; quantity: number };

/** What a workshop step takes besides the device and the action (as `service.step` does). */
export type ServiceStepExtras = Pick<StepInput, 'answers' | 'hours' | 'fault' | 'actions' | 'scrap' | 'claim'>;

export interface Place {
  id: string;
  code: string;
}

export interface DeliveryPoint {
  deliveryPoint: string;
  municipality: string;
}

export interface RouteDay {
  route: string;
  deliveryDay: string;
  orders: number;
}

interface MoveInput {
  articleId: string;
  individualId: string | null;
  lot: string | null;
  quantity: number;
  /** Where the goods are now; for putaway goods in, for an individual where it is, when null. */
  fromLocationId: string | null;
  toLocationId: string;
  /** The target's code, for the worker's feedback. */
  toCode: string;
}

/**
 * Everything a workflow may ask the core to do, with what comes back. The core carries each one
 * out through the ledger's own operations (db/workflows/effects.ts).
 */
export interface EffectMap {
  purchaseOrder: { input: { poNumber: string; quiet?: boolean }; output: PurchaseOrderView };
  receive: {
    input: ReceiveInput;
    output: { movementIds: string[]; individuals: { id: string; individualNumber: string }[]; over: boolean; order: PurchaseOrderView };
  };
  suggest: { input: { articleId: string }; output: Suggestion | null };
  /** A location scanned to put goods on, checked before anything is asked or booked: it is at this site. */
  place: { input: { locationId: string; code: string }; output: Place };
  putAway: { input: MoveInput; output: { movementIds: string[] } };
  move: { input: MoveInput; output: { movementIds: string[] } };
  /** The orders of a route and day (the first route with orders when none is given, or the route of `orderRef`). */
  pickList: {
    input: { route: string | null; deliveryDay: string | null; orderRef?: string };
    output: { route: string | null; deliveryDay: string | null; routes: RouteDay[]; orders: PickOrder[] };
  };
  pick: {
    input: {
      orderRef: string;
      articleId: string;
      individualId: string | null;
      fromLocationId: string | null;
      quantity: number;
      lot: string | null;
      route: string;
      deliveryDay: string;
      label: string;
      /** The ordered article a device of an equivalent article stands in for. */
      standsFor?: string | null;
    };
    output: { movementIds: string[]; notProposed: string | null; orders: PickOrder[] };
  };
  components: { input: { individualId: string }; output: { name: string; quantity: number }[] };
  returnIndividual: { input: ReturnInput; output: { movementIds: string[]; orderRef: string | null; pickup: string | null } };
  moveEverything: { input: { fromLocationId: string; toLocationId: string }; output: { movementIds: string[] } };
  /** A route and day to build pallets for: its routes, its orders' delivery points, its pallets so far, and the pallet being built. */
  palletRoute: {
    input: { route: string | null; deliveryDay: string | null; palletId: string | null };
    output: {
      route: string | null;
      deliveryDay: string | null;
      routes: RouteDay[];
      points: DeliveryPoint[];
      loads: LoadListRow[];
      pallet: PalletView | null;
      /** Per delivery point and article: what was picked for it and how much of that is on a pallet. */
      loading: LoadingRow[];
    };
  };
  openPallet: { input: { route: string; deliveryDay: string } & DeliveryPoint; output: PalletView };
  palletAdd: {
    input: { palletId: string; articleId: string; individualId: string | null; lot: string | null; quantity: number; label: string };
    /** The pallet, and of the article scanned: how many are on pallets for this delivery point against how many were picked for it. */
    output: PalletView & { count: { loaded: number; picked: number } | null; loading: LoadingRow[] };
  };
  /** Takes an item off an open pallet (`itemIds`: with the others one scan put on, split over orders). */
  palletRemove: { input: { palletId: string; itemId: string; itemIds?: string[] }; output: PalletView };
  /** Closes the pallet: its goods leave stock in transit, and its label prints where a printer is set up. */
  closePallet: {
    /** `leaveBehind`: the worker confirmed closing though goods picked for the delivery point are still at dispatch (else that is refused, naming them). */
    input: { palletId: string; leaveBehind?: boolean };
    output: { pallet: PalletView; movementIds: string[]; loads: LoadListRow[]; loading: LoadingRow[]; labelZpl: string; printed: boolean };
  };
  /** A pallet as it is now. */
  pallet: { input: { sscc: string }; output: PalletView };
  /** At a depot: everything on the pallet comes in at once. */
  receivePallet: { input: { sscc: string }; output: { pallet: PalletView; movementIds: string[] } };
  /** A line of a received pallet that was not on it leaves stock again. */
  reportMissing: { input: { palletId: string; itemId: string }; output: { pallet: PalletView; movementIds: string[] } };
  /** A restocking run: its pallet's manifest and what is shelved so far (`start` checks the pallet may be received here). */
  restockReport: { input: { sscc: string; start?: boolean }; output: RestockReport };
  restockScan: {
    input: { sscc: string; locationId: string; articleId: string; individualId: string | null; lot: string | null; quantity: number; label: string };
    output: { movementIds: string[]; report: RestockReport };
  };
  restockFinish: { input: { sscc: string }; output: RestockReport };
  /** A count to work in: its number. */
  countOpen: { input: { countId: string }; output: { id: string; number: string } };
  /** A location of a count as it is now, with what is counted there. */
  countAt: { input: { countId: string; locationId: string }; output: CountAt };
  countStart: { input: { countId: string; locationId: string }; output: CountAt };
  countIndividual: { input: { countId: string; locationId: string; individualId: string }; output: { scan: CountScan; at: CountAt } };
  countArticle: {
    input: { countId: string; locationId: string; articleId: string; quantity: number; lot: string | null; expiry: string | null };
    output: { scan: CountScan; at: CountAt };
  };
  countFinish: { input: { countId: string; locationId: string }; output: CountLocation };
  /** Takes back a scan of a location still being counted. */
  countUndoScan: { input: { countId: string; scanId: string }; output: { undone: true } };
  /** The workshop: a device's open job as its screen shows it (as `service.job`). */
  serviceJob: { input: { individualId: string }; output: ServiceJobView };
  /** The workshop: one step of a device's job (as `service.step`), and the job as it is then. */
  serviceStep: { input: { individualId: string; action: ServiceAction; toLocationId?: string | null } & ServiceStepExtras; output: { job: ServiceJob; view: ServiceJobView } };
  /** The workshop: a work order as its screen shows it (as `workorder.get`). */
  workOrder: { input: { workOrderId: string }; output: WorkOrderView };
  /** The workshop: a spare part taken out for an open work order (as `workorder.part`). */
  usePart: { input: { workOrderId: string; articleId: string; quantity: number; lot: string | null }; output: { part: WorkOrderPart; order: WorkOrderView } };
  /** The workshop: a spare part put back where it came from (as `workorder.returnPart`). */
  returnPart: { input: { workOrderId: string; movementId: string }; output: WorkOrderView };
  washOpen: { input: { cabinet: string; method: string }; output: WashBatch };
  washAdd: { input: { batchId: string; individualId: string }; output: WashBatch };
  washClose: { input: { batchId: string }; output: WashBatch };
  /** The workshop: what its screen shows, read again (the device's job, the wash batch, the work order; null where none is given). */
  serviceViews: {
    input: { individualId: string | null; batchId: string | null; workOrderId: string | null };
    output: { job: ServiceJobView | null; batch: WashBatch | null; workOrder: WorkOrderView | null };
  };
  /** The kiosk's basket registered: taken from the depot's shelves, or put back on them. */
  kioskWithdraw: {
    input: { direction: 'take' | 'return'; orderRef: string; lines: { articleId: string; individualId: string | null; quantity: number }[] };
    output: { movementIds: string[] };
  };
  /** Reverses movements with correcting ones (the ledger never changes). */
  undo: {
    input: { movementIds: string[] };
    /** `said`: what was undone, in words ("I0100002 tillbaka till BOD-H-01-09-1"); `gone`: the individuals that left stock with it. */
    output: { movementIds: string[]; said: UserMessage | null; gone: string[] };
  };
}

export type EffectKind = keyof EffectMap;
export type EffectOf<K extends EffectKind> = { kind: K } & EffectMap[K]['input'];
export type Effect = { [K in EffectKind]: EffectOf<K> }[EffectKind];

/** A refusal from the core, in words for the worker. */
export interface Refusal {
  code: string;
  message: UserMessage;
}

/** How an effect went: its result, or why the core refused it (nothing was changed then). */
export type Settled =
  | { [K in EffectKind]: { kind: K; effect: EffectOf<K>; ok: true; value: EffectMap[K]['output'] } }[EffectKind]
  | { kind: EffectKind; effect: Effect; ok: false; error: Refusal };

/** What takes a step back: the effect that undoes it, and (where the effect's outcome cannot say it) what it undoes, in words. */
export interface UndoEntry {
  effect: Effect;
  what?: UserMessage;
}

/** A machine's answer to one input or one settled effect. */
export interface Step<S> {
  state: S;
  effect?: Effect | null;
  feedback?: Feedback | null;
  /** Pushed onto the undo stack (only as a step's effect succeeds). */
  undo?: UndoEntry | null;
  /** The steps so far can no longer be taken back (a pallet closed and sent): the undo stack is emptied. */
  forget?: boolean;
}

export interface Machine<S> {
  /** Raised when the shape of the state changes: a session saved under another version starts afresh. */
  readonly version: number;
  /** The roles that may work in it (as for the calls it replaces). */
  readonly access: readonly Role[];
  /** What its undo entries may ask for: a saved session whose stack holds anything else starts afresh. */
  readonly undoes: readonly EffectKind[];
  initial(): S;
  input(state: S, input: MachineInput): Step<S>;
  settle(state: S, settled: Settled): Step<S>;
  /**
   * Takes back the last step that changed only the session (a line put in the kiosk's basket), when
   * the undo stack is empty; null when there is none.
   */
  takeBack?(state: S): Step<S> | null;
  /** The state once an undo went through (before it is read again by `refresh`): what the step added to the session itself is gone. */
  undone?(state: S, settled: Settled & { ok: true }): S;
  /** What brings a resumed session up to date (an order's lines re-read), or null. */
  refresh(state: S): Effect | null;
  /** What the worker is asked to do next. */
  prompt(state: S): UserMessage;
}

export const ok = (sv: string, en: string): Feedback => ({ kind: 'ok', message: { sv, en } });
export const warn = (sv: string, en: string): Feedback => ({ kind: 'warn', message: { sv, en } });
export const fail = (sv: string, en: string): Feedback => ({ kind: 'error', message: { sv, en } });
export const refused = (s: Settled & { ok: false }): Feedback => ({ kind: 'error', message: s.error.message });
export const undoMovements = (movementIds: string[]): UndoEntry | null => (movementIds.length ? { effect: { kind: 'undo', movementIds } } : null);

export const CLEARED = ok('Avbrutet. Börja om med nästa skanning.', 'Cancelled. Start again with the next scan.');
