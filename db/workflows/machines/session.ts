/**
 * One worker's session in one workflow, around its machine: what every workflow shares. Scans
 * that cannot be read, or name nothing, are answered here; `CMD-UNDO` (or the undo button) takes
 * the last step back by the effect that step left on the undo stack; everything else goes to the
 * machine. Pure, like the machines: the core carries out the effect each answer asks for and hands
 * back how it went (`settle`).
 */
import type { Command } from '../../../vocabulary/codes/decode';
import type { ScanError } from '../../../vocabulary/codes/result';
import type { UserMessage } from '../../../vocabulary/errors';
import type { Resolution } from '../../stock/resolve';
import type { Effect, Feedback, Machine, MachineInput, Settled, Step, UndoEntry } from './machine';

/** What reaches a session: a scan as the core resolved it, a command, or a value from the screen. */
export type SessionInput =
  | { kind: 'scan'; text: string; resolution: Resolution | null; error: ScanError | null }
  | { kind: 'command'; command: Command }
  | Exclude<MachineInput, { kind: 'scan' } | { kind: 'command' }>;

export interface Session<S = unknown> {
  version: number;
  state: S;
  /** The steps that can be taken back, the last on top. */
  undo: UndoEntry[];
  /** The last feedback; `seq` grows with each, so a screen beeps once for each. */
  feedback: (Feedback & { seq: number }) | null;
  seq: number;
  /** Grows with every change the core keeps, so a screen can tell a newer state from an older one. */
  rev: number;
  /** The effect asked for and not yet settled: the machine's own, or an undo. */
  pending: { effect: Effect; by: 'machine' | 'undo' } | null;
}

/** Steps kept for undo: a worker takes back the last few, not yesterday's. */
export const UNDO_DEPTH = 50;

export interface Answer<S> {
  session: Session<S>;
  /** For the core to carry out, then `settle`. */
  effect: Effect | null;
}

export function startSession<S>(machine: Machine<S>): Session<S> {
  return { version: machine.version, state: machine.initial(), undo: [], feedback: null, seq: 0, rev: 0, pending: null };
}

const say = <S>(session: Session<S>, feedback: Feedback | null | undefined): Session<S> =>
  feedback ? { ...session, feedback: { ...feedback, seq: session.seq + 1 }, seq: session.seq + 1 } : session;

function apply<S>(session: Session<S>, step: Step<S>, by: 'machine' | 'undo', push: boolean): Answer<S> {
  const effect = step.effect ?? null;
  let undo = push && step.forget ? [] : session.undo;
  if (push && step.undo) undo = [...undo, step.undo].slice(-UNDO_DEPTH);
  const next = say({ ...session, state: step.state, undo, pending: effect ? { effect, by } : null }, step.feedback);
  return { session: next, effect };
}

const NOTHING_TO_UNDO: Feedback = { kind: 'error', message: { sv: 'Det finns inget att ångra.', en: 'There is nothing to undo.' } };
const UNDONE: Feedback = { kind: 'ok', message: { sv: 'Senaste steget är ångrat.', en: 'The last step is undone.' } };
/** What an undo says: what it took back, as the core put it (or as the step described itself), else only that it did. */
function undoneSaying(settled: Settled & { ok: true }, entry: UndoEntry | undefined): Feedback {
  const said = (settled.kind === 'undo' ? settled.value.said : null) ?? entry?.what ?? null;
  return said ? { kind: 'ok', message: { sv: `Ångrat: ${said.sv}.`, en: `Undone: ${said.en}.` } } : UNDONE;
}
const error = (message: UserMessage): Feedback => ({ kind: 'error', message });

/** One input: answered here (an unreadable scan, undo) or by the machine. */
export function sessionInput<S>(machine: Machine<S>, session: Session<S>, input: SessionInput): Answer<S> {
  const settled = { ...session, pending: null };
  switch (input.kind) {
    case 'scan': {
      if (input.error) return { session: say(settled, error(input.error.message)), effect: null };
      const r = input.resolution;
      if (!r) return { session: say(settled, error({ sv: 'Skanningen kunde inte tolkas. Skanna igen.', en: 'The scan could not be interpreted. Scan again.' })), effect: null };
      if (r.kind === 'unknown') return { session: say(settled, error(r.message)), effect: null };
      if (r.kind === 'command') return sessionInput(machine, settled, { kind: 'command', command: r.command });
      return apply(settled, machine.input(settled.state, { kind: 'scan', text: input.text, resolution: r }), 'machine', false);
    }
    case 'command': {
      if (input.command === 'undo') {
        const last = settled.undo.at(-1);
        if (!last) {
          const back = machine.takeBack?.(settled.state) ?? null;
          return back ? apply(settled, back, 'machine', false) : { session: say(settled, NOTHING_TO_UNDO), effect: null };
        }
        return { session: { ...settled, pending: { effect: last.effect, by: 'undo' } }, effect: last.effect };
      }
      const command = input.command;
      // A card that opens a workflow is the core's to act on before a session sees it.
      if (command !== 'confirm' && command !== 'cancel' && command !== 'done') return { session: settled, effect: null };
      return apply(settled, machine.input(settled.state, { kind: 'command', command }), 'machine', false);
    }
    default:
      return apply(settled, machine.input(settled.state, input), 'machine', false);
  }
}

/** How the effect the session asked for went. An undo that went through takes its step off the stack. */
export function sessionSettle<S>(machine: Machine<S>, session: Session<S>, settled: Settled): Answer<S> {
  const pending = session.pending;
  if (!pending) return { session, effect: null };
  if (pending.by === 'undo') {
    // The core refused to take the step back (it was taken back elsewhere, or what followed depends on it): it
    // leaves the stack, so the steps before it can still be undone.
    if (!settled.ok) return { session: say({ ...session, undo: session.undo.slice(0, -1), pending: null }, error(settled.error.message)), effect: null };
    const state = machine.undone ? machine.undone(session.state, settled) : session.state;
    const undone = say({ ...session, state, undo: session.undo.slice(0, -1), pending: null }, undoneSaying(settled, session.undo.at(-1)));
    // What the screen shows (an order's lines, a pick list) is read again after the step is gone.
    const refresh = machine.refresh(undone.state);
    return { session: { ...undone, pending: refresh ? { effect: refresh, by: 'machine' } : null }, effect: refresh };
  }
  return apply(session, machine.settle(session.state, settled), 'machine', settled.ok);
}

/** A session saved earlier, if it fits the machine as it is now; else a fresh one. */
const isId = (x: unknown): x is string => typeof x === 'string' && x.length > 0 && x.length <= 64;

/**
 * What a saved undo entry may hold: the movements a step posted, to be reversed, an item to
 * take off an open pallet, or a scan of a location still being counted. Nothing else is carried out from a saved session, whatever its row says.
 */
const isText = (x: unknown): x is string => typeof x === 'string' && x.length <= 500;
function isUndoEntry(x: unknown): x is UndoEntry {
  const entry = x as { effect?: Record<string, unknown>; what?: { sv?: unknown; en?: unknown } } | null;
  const e = entry?.effect;
  if (!e || typeof e !== 'object') return false;
  // What it undoes, in words: two short texts, nothing else.
  const w = entry.what;
  if (w !== undefined && (typeof w !== 'object' || w === null || !isText(w.sv) || !isText(w.en) || Object.keys(w).length !== 2)) return false;
  if (Object.keys(entry).some((k) => k !== 'effect' && k !== 'what')) return false;
  if (e.kind === 'undo') return Array.isArray(e.movementIds) && e.movementIds.length > 0 && e.movementIds.length <= 1000 && e.movementIds.every(isId) && Object.keys(e).length === 2;
  if (e.kind === 'palletRemove')
    return isId(e.palletId) && isId(e.itemId) && (e.itemIds === undefined || (Array.isArray(e.itemIds) && e.itemIds.length <= 100 && e.itemIds.every(isId))) && Object.keys(e).length === (e.itemIds === undefined ? 3 : 4);
  if (e.kind === 'countUndoScan') return isId(e.countId) && isId(e.scanId) && Object.keys(e).length === 3;
  // A spare part taken out for a work order goes back by its own way (the order's record says so), never as a bare reversal.
  if (e.kind === 'returnPart') return isId(e.workOrderId) && isId(e.movementId) && Object.keys(e).length === 3;
  return false;
}

export function resumeSession<S>(machine: Machine<S>, saved: unknown): Session<S> {
  const s = saved as Partial<Session<S>> | null;
  const ours = (x: unknown) => isUndoEntry(x) && machine.undoes.includes(x.effect.kind);
  if (!s || typeof s !== 'object' || s.version !== machine.version || !Array.isArray(s.undo) || s.undo.length > UNDO_DEPTH || !s.undo.every(ours) || typeof s.seq !== 'number' || !('state' in s))
    return startSession(machine);
  return { version: machine.version, state: s.state as S, undo: s.undo, feedback: s.feedback ?? null, seq: s.seq, rev: typeof s.rev === 'number' ? s.rev : 0, pending: null };
}

/** Whether undo has anything to take back: a step on the stack, or one the machine takes back itself. */
export const canUndo = <S>(machine: Machine<S>, session: Session<S>): boolean => session.undo.length > 0 || (machine.takeBack?.(session.state) ?? null) !== null;
