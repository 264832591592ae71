/**
 * Every workflow the core runs as a session, by name. Adding one is a machine file and a line
 * here (and, when it needs a new operation on the ledger, an entry in db/workflows/effects.ts).
 */
import type { UserMessage } from '../../../vocabulary/errors';
import { count } from './count';
import { kiosk } from './kiosk';
import type { Machine } from './machine';
import { moveAll } from './move-all';
import { pallet } from './pallet';
import { palletReceipt } from './pallet-receipt';
import { pick } from './pick';
import { move, putaway } from './putaway';
import { receipt } from './receipt';
import { restock } from './restock';
import { returns } from './returns';
import { service } from './service';
import type { Session } from './session';

export const MACHINES = {
  receipt,
  putaway,
  move,
  pick,
  return: returns,
  'move-all': moveAll,
  pallet,
  'pallet-receipt': palletReceipt,
  restock,
  count,
  kiosk,
  service,
} as const satisfies Record<string, Machine<unknown>>;

export type WorkflowName = keyof typeof MACHINES;
export const WORKFLOWS = Object.keys(MACHINES) as [WorkflowName, ...WorkflowName[]];
export type StateOf<W extends WorkflowName> = (typeof MACHINES)[W] extends Machine<infer S> ? S : never;

export const machineOf = <W extends WorkflowName>(workflow: W): Machine<StateOf<W>> => MACHINES[workflow] as unknown as Machine<StateOf<W>>;

/** What a screen shows of a session: the step, its state, the last feedback, and whether undo has anything. */
export interface WorkflowView<W extends WorkflowName = WorkflowName> {
  workflow: W;
  userId: string;
  /** The workflow scans go to (the one the worker last opened). */
  open: boolean;
  state: StateOf<W>;
  prompt: UserMessage;
  feedback: Session['feedback'];
  canUndo: boolean;
  /** Grows with every change: the newer of two views has the higher. */
  rev: number;
}

export type AnyWorkflowView = { [W in WorkflowName]: WorkflowView<W> }[WorkflowName];
