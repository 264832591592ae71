/**
 * Runs the workflow sessions: feeds an input to the user's session, carries out the effects its
 * machine asks for (db/workflows/effects.ts), and keeps the session in `workflow_sessions`, in the
 * same transaction as what it posted. So whatever happens to a screen, or to the station, the
 * session resumes at the same step with the same undo.
 */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { carryOut, NO_PRINTERS, type EffectEnv, type PrintRequest, type WorkflowActor } from './effects';
import type { Effect, Machine } from './machines/machine';
import { canUndo, resumeSession, sessionInput, sessionSettle, startSession, type Answer, type Session, type SessionInput } from './machines/session';
import { machineOf, MACHINES, type AnyWorkflowView, type WorkflowName } from './machines/table';

/** A session's input never leads to more effects than this in a row (an effect, the screen's refresh…). */
const MAX_EFFECTS = 4;

export interface Ran {
  view: AnyWorkflowView;
  /** What was posted, for the screens (stock changed) and the printers (new individuals' labels). */
  posted: PostedMovement[];
  newIndividuals: string[];
  /** Labels to queue once the step is committed. */
  prints: PrintRequest[];
  /** Counts whose progress changed. */
  changedCounts: string[];
}

export const isWorkflow = (name: string): name is WorkflowName => Object.hasOwn(MACHINES, name);

interface Row {
  session: string;
  open: number;
}

function load(store: StationDb, userId: string, workflow: WorkflowName): { session: Session; open: boolean } {
  const row = stmt<Row>(store, 'select session, open from workflow_sessions where user_id = ? and workflow = ?').get(userId, workflow);
  const machine = machineOf(workflow);
  if (!row) return { session: startSession(machine), open: false };
  let saved: unknown = null;
  try {
    saved = JSON.parse(row.session);
  } catch {
    // A session that cannot be read starts afresh; the ledger holds everything it posted.
  }
  return { session: resumeSession(machine, saved), open: row.open === 1 };
}

function save(store: StationDb, userId: string, workflow: WorkflowName, session: Session, open: boolean, now: number): Session {
  const kept = { ...session, rev: session.rev + 1, pending: null };
  if (open) stmt(store, 'update workflow_sessions set open = 0 where user_id = ? and workflow <> ? and open = 1').run(userId, workflow);
  stmt(
    store,
    `insert into workflow_sessions (user_id, workflow, session, open, used_at) values (?, ?, ?, ?, ?)
     on conflict (user_id, workflow) do update set session = excluded.session, open = excluded.open, used_at = excluded.used_at`,
  ).run(userId, workflow, JSON.stringify(kept), open ? 1 : 0, now);
  return kept;
}

function view(userId: string, workflow: WorkflowName, session: Session, open: boolean): AnyWorkflowView {
  const machine = machineOf(workflow);
  return {
    workflow,
    userId,
    open,
    state: session.state,
    prompt: machine.prompt(session.state as never),
    feedback: session.feedback,
    canUndo: canUndo(machine as Machine<unknown>, session),
    rev: session.rev,
  } as AnyWorkflowView;
}

/** Carries out what the session asks for, handing each outcome back, until it asks for nothing more. */
function drive(store: StationDb, actor: WorkflowActor, workflow: WorkflowName, answer: Answer<unknown>, env: EffectEnv): Omit<Ran, 'view'> & { session: Session } {
  const machine = machineOf(workflow);
  let { session, effect } = answer;
  const done: Omit<Ran, 'view'> = { posted: [], newIndividuals: [], prints: [], changedCounts: [] };
  for (let i = 0; effect && i < MAX_EFFECTS; i++) {
    const carried = carryOut(store, actor, effect, workflow, env);
    done.posted.push(...carried.posted);
    done.newIndividuals.push(...carried.newIndividuals);
    done.prints.push(...carried.prints);
    done.changedCounts.push(...carried.changedCounts);
    ({ session, effect } = sessionSettle(machine, session, carried.settled));
  }
  return { ...done, session: { ...session, pending: null } };
}

/** The screen that sent a command showed an older state than the session's: nothing is done. */
const stale = () =>
  new DepotError('workflow.stale', {
    sv: 'Skärmen låg efter: något hände under tiden. Titta på skärmen och försök igen.',
    en: 'The screen was behind: something happened meanwhile. Look at the screen and try again.',
  });

function run(store: StationDb, actor: WorkflowActor, workflow: WorkflowName, now: number, env: EffectEnv, step: (session: Session) => Answer<unknown>, seen?: number): Ran {
  return store.sqlite.transaction(() => {
    const { session } = load(store, actor.userId, workflow);
    if (seen !== undefined && seen !== session.rev) throw stale();
    const { session: next, ...done } = drive(store, actor, workflow, step(session), env);
    const kept = save(store, actor.userId, workflow, next, true, now);
    return { view: view(actor.userId, workflow, kept, true), ...done };
  })();
}

/**
 * Opens the user's session of a workflow, where it was left (or at its start), and makes it the
 * one their scans go to. What it shows is read again from the database first.
 */
export function openWorkflow(store: StationDb, actor: WorkflowActor, workflow: WorkflowName, now: number, env: EffectEnv = NO_PRINTERS): Ran {
  return run(store, actor, workflow, now, env, (session) => {
    const effect: Effect | null = machineOf(workflow).refresh(session.state as never);
    return { session: { ...session, pending: effect ? { effect, by: 'machine' } : null }, effect };
  });
}

/**
 * One input to the user's session of a workflow (which becomes the one their scans go to). `seen`
 * is the `rev` of the state the screen showed when the worker pressed a command (undo, confirm):
 * when the session has moved on since (a scan at the scanner, another screen), it is refused.
 */
export function workflowInput(store: StationDb, actor: WorkflowActor, workflow: WorkflowName, input: SessionInput, now: number, env: EffectEnv = NO_PRINTERS, seen?: number): Ran {
  return run(store, actor, workflow, now, env, (session) => sessionInput(machineOf(workflow), session, input), seen);
}

/** The user has left the workflow's screen: their scans no longer go to it. It stays where it was, to resume. */
export function closeWorkflow(store: StationDb, userId: string, workflow: WorkflowName): AnyWorkflowView {
  return store.sqlite.transaction(() => {
    const { session, open } = load(store, userId, workflow);
    if (!open) return view(userId, workflow, session, false);
    const row = stmt<{ usedAt: number }>(store, 'select used_at as usedAt from workflow_sessions where user_id = ? and workflow = ?').get(userId, workflow)!;
    return view(userId, workflow, save(store, userId, workflow, session, false, row.usedAt), false);
  })();
}

/** The user's session of a workflow is gone: the next opening starts afresh (the kiosk's basket, once its visit has ended). */
export function forgetWorkflow(store: StationDb, userId: string, workflow: WorkflowName): void {
  stmt(store, 'delete from workflow_sessions where user_id = ? and workflow = ?').run(userId, workflow);
}

/** The user signed out: none of their workflows takes scans any more (each waits where it is). */
export function closeWorkflowsOf(store: StationDb, userId: string): WorkflowName[] {
  const open = stmt<{ workflow: string }>(store, 'select workflow from workflow_sessions where user_id = ? and open = 1').all(userId);
  stmt(store, 'update workflow_sessions set open = 0 where user_id = ? and open = 1').run(userId);
  return open.map((r) => r.workflow).filter(isWorkflow);
}

export function workflowView(store: StationDb, userId: string, workflow: WorkflowName): AnyWorkflowView {
  const { session, open } = load(store, userId, workflow);
  return view(userId, workflow, session, open);
}

/** The workflow the user's scans go to, if any. */
export function openWorkflowOf(store: StationDb, userId: string): WorkflowName | null {
  const row = stmt<{ workflow: string }>(store, 'select workflow from workflow_sessions where user_id = ? and open = 1').get(userId);
  return row && isWorkflow(row.workflow) ? row.workflow : null;
}

/**
 * Whose workflow a scanner of the station's own feeds: the user who last opened or used one here
 * and is still signed in.
 */
export function activeWorkflow(store: StationDb, signedIn: (userId: string) => boolean): { userId: string; workflow: WorkflowName } | null {
  const rows = stmt<{ userId: string; workflow: string }>(store, 'select user_id as userId, workflow from workflow_sessions where open = 1 order by used_at desc limit 20').all();
  const row = rows.find((r) => isWorkflow(r.workflow) && signedIn(r.userId));
  return row ? { userId: row.userId, workflow: row.workflow as WorkflowName } : null;
}

/** The station failed while carrying out a step (nothing of it was kept): the worker is told so. */
export function noteFault(store: StationDb, userId: string, workflow: WorkflowName, now: number): AnyWorkflowView {
  return store.sqlite.transaction(() => {
    const { session, open } = load(store, userId, workflow);
    const seq = session.seq + 1;
    const next: Session = {
      ...session,
      seq,
      feedback: {
        kind: 'error',
        seq,
        message: {
          sv: 'Något gick fel i stationen; inget har sparats. Skanna igen, och kontakta IT om det upprepas.',
          en: 'Something went wrong in the station; nothing was saved. Scan again, and call IT if it happens again.',
        },
      },
    };
    return view(userId, workflow, save(store, userId, workflow, next, open, now), open);
  })();
}
