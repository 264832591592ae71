import { useContext, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../../api/contract';
import type { WorkflowName, WorkflowView } from '../../../../db/workflows/machines/table';
import type { ScanEvent } from '../../../../services/scanning';
import { call, CallFailed, subscribe } from '../../bridge/client';
import { beep } from '../../feedback';
import { localized } from '../../i18n';
import { href, navigate } from '../../router';
import { HeldScansHere, heldScans } from '../../scanning/heldScans';
import { BEFORE_SCAN, sendScan, useSubmittedScans } from '../../scanning/useScans';
import { WORKFLOW_SCREENS } from '../../workflowScreens';

export type SessionInput = CallInput<'workflow.input'>['input'];

/** Inputs that name nothing themselves but act on what the screen shows: sent with the state's `rev`. */
const ACTS_ON_WHAT_IS_SHOWN: ReadonlySet<SessionInput['kind']> = new Set(['command', 'serviceStep']);

/** Opening and closing are sent one after another, so a screen left and one entered never cross. */
let order: Promise<unknown> = Promise.resolve();
const inOrder = <T,>(f: () => Promise<T>): Promise<T> => {
  const next = order.then(f, f);
  order = next.catch(() => undefined);
  return next;
};

/**
 * A workflow's session in the core, on screen: opened (or resumed where it was) when the screen
 * appears, its state as the core publishes it, and what the screen sends. The workflow itself
 * runs in the core; the screen only shows it, so a reload or a second screen shows the same.
 */
export function useSession<W extends WorkflowName>(workflow: W) {
  const [view, setView] = useState<WorkflowView<W> | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const heard = useRef<number | null>(null);
  const held = useContext(HeldScansHere);
  // Scans made while the screen was loading, before its session was open, that no session took: the
  // session takes them once open (kept here, so that effects run twice in development send them once).
  const early = useRef<ScanEvent[] | null>(null);

  useEffect(() => {
    let me: string | null = null;
    let alive = true;
    early.current ??= heldScans(held).filter((scan) => !scan.workflow);
    // Views come by the call's answer and by events; the one with the higher `rev` is the newer.
    const show = (v: WorkflowView<W>) => {
      if (!alive) return;
      setProblem(null);
      setView((old) => (old && old.rev > v.rev ? old : v));
    };
    const stop = subscribe((e) => {
      if (e.type !== 'workflow.state' || me === null || e.view.userId !== me) return;
      if (e.view.workflow === workflow) show(e.view as WorkflowView<W>);
      // A command card scanned here or at a scanner of the station opened another workflow: its screen
      // follows. Another screen opening its own session (the one just left, say) does not lead here away.
      else if (e.view.open && e.byCard) navigate(href(WORKFLOW_SCREENS[e.view.workflow]));
    });
    // A station that did not answer (a window reloaded while it was busy, a moment's hiccup) is asked
    // again, calmly, until it does: opening resumes the same session, so asking twice changes nothing.
    let retry: ReturnType<typeof setTimeout> | undefined;
    const open = (wait: number) =>
      inOrder(() => call('workflow.open', { workflow })).then(
        (v) => {
          me = v.userId;
          show(v as WorkflowView<W>);
          if (!alive) return;
          // One after another, in the order they were made.
          const scans = early.current ?? [];
          early.current = [];
          void scans.reduce<Promise<unknown>>((before, scan) => before.then(() => (alive ? sendScan(scan.raw) : null)), Promise.resolve());
        },
        (e: unknown) => {
          if (!alive) return;
          setProblem(e instanceof CallFailed ? localized(e.error.message) : String(e));
          if (e instanceof CallFailed && e.error.code === 'transport.unreachable') retry = setTimeout(() => void open(Math.min(wait * 2, 5_000)), wait);
        },
      );
    void open(250);
    return () => {
      alive = false;
      clearTimeout(retry);
      stop();
      void inOrder(() => call('workflow.close', { workflow })).catch(() => undefined);
    };
  }, [workflow, held]);

  // A scan this page sent that the session took: the station's answer carries its new state, event or not (no second call).
  useSubmittedScans((scan) => {
    if (!scan.workflow) return;
    if (scan.workflow !== workflow) return navigate(href(WORKFLOW_SCREENS[scan.workflow]));
    const shown = (v: WorkflowView<W>) => {
      setProblem(null);
      setView((old) => (old && old.rev > v.rev ? old : v));
    };
    if (scan.view?.workflow === workflow) return shown(scan.view as WorkflowView<W>);
    call('workflow.state', { workflow }).then((v) => shown(v as WorkflowView<W>), () => undefined);
  });

  // Every new feedback is heard once: a high beep, or a low double beep. A resumed one is not.
  const seq = view?.feedback?.seq ?? null;
  const kind = view?.feedback?.kind;
  useEffect(() => {
    if (seq === null) return;
    if (heard.current !== null && seq > heard.current) beep(kind === 'ok' ? 'ok' : 'error');
    heard.current = seq;
  }, [seq, kind]);

  // A command pressed here (undo, confirm…) or a workshop step acts on what this screen shows (the last
  // step, the device on it): the core refuses it when that is not the newest state.
  const send = (input: SessionInput) =>
    void call('workflow.input', { workflow, input, ...(ACTS_ON_WHAT_IS_SHOWN.has(input.kind) && view ? { seen: view.rev } : {}) }).then(
      (v) => {
        setProblem(null);
        setView((old) => (old && old.rev > v.rev ? old : (v as WorkflowView<W>)));
      },
      (e: unknown) => {
        beep('error');
        setProblem(e instanceof CallFailed ? localized(e.error.message) : String(e));
      },
    );

  senders.set(workflow, send);
  useEffect(() => () => void senders.delete(workflow), [workflow]);

  return { view, state: view?.state ?? null, send, problem, undo: () => send({ kind: 'command', command: 'undo' }) };
}

/** Each workflow on screen, how it sends: the command buttons send as the screen's own session does. */
const senders = new Map<WorkflowName, (input: SessionInput) => void>();

/** The command cards' commands that have a button of their own (the undo button is beside them). */
const COMMAND_BUTTONS = [
  ['done', 'workflow.commandDone'],
  ['confirm', 'workflow.commandConfirm'],
  ['cancel', 'workflow.commandCancel'],
] as const;

/**
 * KLAR, BEKRÄFTA and AVBRYT as buttons, for a worker without the command card: each sends exactly
 * what scanning the card sends, and the session answers as it answers the card.
 */
export function CommandButtons({ view }: { view: WorkflowView | null }) {
  const { t } = useTranslation();
  const send = view ? senders.get(view.workflow) : undefined;
  return (
    <>
      {COMMAND_BUTTONS.map(([command, label]) => (
        <button key={command} type="button" className="command-button" disabled={!send} onClick={() => send?.({ kind: 'command', command })}>
          {t(label)}
        </button>
      ))}
    </>
  );
}

/** The feedback line (seen, and heard by the hook), the command cards' buttons and the undo button. */
export function SessionStatus({ view, problem, onUndo }: { view: WorkflowView | null; problem: string | null; onUndo: () => void }) {
  const { t } = useTranslation();
  const f = view?.feedback;
  const text = problem ?? (f ? localized(f.message) : '');
  const kind = problem ? 'error' : f?.kind;
  return (
    <div className="workflow-status">
      <div className={kind ? `feedback feedback-${kind}` : 'feedback'} role="status" aria-live="assertive" data-testid="workflow-feedback" data-seq={f?.seq ?? 0}>
        {text}
      </div>
      {/* The kiosk has its own KLAR and AVBRYT, made for a visitor. */}
      {view?.workflow !== 'kiosk' && <CommandButtons view={view} />}
      <button type="button" onClick={onUndo} disabled={!view?.canUndo}>
        {t('workflow.undo')}
      </button>
    </div>
  );
}

/** What the worker is asked to do next, in the core's words. */
export function Prompt({ view }: { view: WorkflowView | null }) {
  return (
    <p className="prompt" data-testid="prompt">
      {view ? localized(view.prompt) : ''}
    </p>
  );
}

/** How long a typed quantity waits before it is sent: a scanner's burst that lands in the field first takes it back. */
const TYPED_QUANTITY_MS = 400;

/**
 * How many units one scan stands for: typed here, kept in the session (`clearable`: emptied, none
 * is typed). What is sent is compared with what this field sent last, not with the view. It is
 * sent a moment after the last key (at once when the field is left or a scan is sent), so a
 * scanner's burst that lands here, which the wedge takes back (useKeyboardWedge), never reaches
 * the session, not even for a moment: the field takes typed digits only.
 */
export function QuantityField({ value, onChange, label, clearable = false }: { value: number | null; onChange: (quantity: number | null) => void; label?: string; clearable?: boolean }) {
  const { t } = useTranslation();
  const [text, setText] = useState(value === null ? '' : String(value));
  const [editing, setEditing] = useState(false);
  const sent = useRef<number | null>(value);
  const waiting = useRef<{ quantity: number | null; timer: ReturnType<typeof setTimeout> } | null>(null);
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  });
  const drop = () => {
    if (waiting.current) clearTimeout(waiting.current.timer);
    waiting.current = null;
  };
  const flush = useRef(() => {
    const w = waiting.current;
    if (!w) return;
    clearTimeout(w.timer);
    waiting.current = null;
    if (w.quantity === sent.current) return;
    sent.current = w.quantity;
    changed.current(w.quantity);
  });
  useEffect(() => {
    const f = flush.current;
    window.addEventListener(BEFORE_SCAN, f);
    return () => {
      window.removeEventListener(BEFORE_SCAN, f);
      f();
    };
  }, []);
  const shown = editing ? text : value === null ? '' : String(value);
  return (
    <label className="field inline">
      {label ?? t('receive.quantity')}
      <input
        type="number"
        min={1}
        max={10000}
        value={shown}
        onFocus={() => {
          setText(value === null ? '' : String(value));
          sent.current = value;
          setEditing(true);
        }}
        onBlur={() => {
          flush.current();
          setEditing(false);
        }}
        onKeyDown={(e) => {
          if (e.key === 'Enter') flush.current();
        }}
        onChange={(e) => {
          setText(e.target.value);
          const raw = e.target.value.trim();
          // Emptied: none typed where the session has such a thing, else the session keeps what it has.
          if (raw === '' && !clearable) return drop();
          const next = raw === '' ? null : Math.max(1, Math.min(10000, Math.trunc(Number(raw)) || 1));
          drop();
          if (next === sent.current) return;
          waiting.current = { quantity: next, timer: setTimeout(() => flush.current(), TYPED_QUANTITY_MS) };
        }}
      />
    </label>
  );
}
