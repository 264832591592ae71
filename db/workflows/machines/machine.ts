/**
 * The shape every scanning workflow shares: a pure state machine that takes one input (a scan, a
 * command, something typed or ticked on the screen) and answers with its next state, at most one
 * effect for the core to carry out (look up an order, post a receipt…), and what the worker sees
 * and hears. The outcome of the effect comes back to the machine the same way. No I/O and no
 * database at run time: only types are imported from the rest of the core.
 */
import type { UserMessage } from '../../../vocabulary/errors';
import type { Role } from '../../schema';
import type { Resolution } from '../../stock/resolve';
import type { LoadListRow, PalletView } from '../pallets';
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
  /** How many units one scan of an article stands for. */
  | { kind: 'quantity'; quantity: number }
  /** The delivery route and day to pick. */
  | { kind: 'route'; route: string; deliveryDay: string }
  /** A component of a returned device ticked as there, or not. */
  | { kind: 'component'; name: string; present: boolean }
  /** The day a returned device came back (`YYYY-MM-DD`); today when null. */
  | { kind: 'returnedOn'; day: string | null }
  /** A line of a received pallet that was not on it. */
  | { kind: 'missing'; itemId: string }
  /** Where the pallet being built goes. */
  | { kind: 'deliveryPoint'; deliveryPoint: string; municipality: string };

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
  putAway: { input: MoveInput; output: { movementIds: string[] } };
  move: { input: MoveInput; output: { movementIds: string[] } };
  /** The orders of a route and day (the first route with orders when none is given, or the route of `orderRef`). */
  pickList: {
    input: { route: string | null; deliveryDay: string | null; orderRef?: string };
    output: { route: string | null; deliveryDay: string | null; routes: RouteDay[]; orders: PickOrder[] };
  };
  pick: {
    input: { orderRef: string; articleId: string; individualId: string | null; fromLocationId: string | null; quantity: number; lot: string | null; route: string; deliveryDay: string; label: string };
    output: { movementIds: string[]; notProposed: string | null; orders: PickOrder[] };
  };
  components: { input: { individualId: string }; output: { name: string; quantity: number }[] };
  returnIndividual: { input: ReturnInput; output: { movementIds: string[] } };
  moveEverything: { input: { fromLocationId: string; toLocationId: string }; output: { movementIds: string[] } };
  /** A route and day to build pallets for: its routes, its orders' delivery points, its pallets so far, and the pallet being built. */
  palletRoute: {
    input: { route: string | null; deliveryDay: string | null; palletId: string | null };
    output: { route: string | null; deliveryDay: string | null; routes: RouteDay[]; points: DeliveryPoint[]; loads: LoadListRow[]; pallet: PalletView | null };
  };
  openPallet: { input: { route: string; deliveryDay: string } & DeliveryPoint; output: PalletView };
  palletAdd: {
    input: { palletId: string; articleId: string; individualId: string | null; lot: string | null; quantity: number; label: string };
    output: PalletView;
  };
  palletRemove: { input: { palletId: string; itemId: string }; output: PalletView };
  /** Closes the pallet: its goods leave stock in transit, and its label prints where a printer is set up. */
  closePallet: { input: { palletId: string }; output: { pallet: PalletView; movementIds: string[]; loads: LoadListRow[]; labelZpl: string; printed: boolean } };
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
  /** Reverses movements with correcting ones (the ledger never changes). */
  undo: { input: { movementIds: string[] }; output: { movementIds: string[] } };
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

/** What takes a step back: the effect that undoes it. */
export interface UndoEntry {
  effect: Effect;
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
  initial(): S;
  input(state: S, input: MachineInput): Step<S>;
  settle(state: S, settled: Settled): Step<S>;
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
