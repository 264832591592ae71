import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ScanEvent } from '../../../../services/scanning';
import { call, CallFailed } from '../../bridge/client';
import { beep } from '../../feedback';
import { localized } from '../../i18n';
import { submitScan, useScans } from '../../scanning/useScans';

export type Feedback = { kind: 'ok' | 'error' | 'warn'; text: string } | null;

/**
 * What every scan-driven workflow shares: the feedback line (seen and heard), the undo of the
 * last step (a button, or the UNDO command barcode), and scans arriving from any scanner.
 */
export function useWorkflow() {
  const { t } = useTranslation();
  const [feedback, setFeedback] = useState<Feedback>(null);
  /** What undoes each step: its movements reversed, or (a step with its own record to keep straight) a call of its own. */
  const undoStack = useRef<(string[] | (() => Promise<void>))[]>([]);
  const [canUndo, setCanUndo] = useState(false);

  const ok = (text: string) => {
    beep('ok');
    setFeedback({ kind: 'ok', text });
  };
  const warn = (text: string) => {
    beep('error');
    setFeedback({ kind: 'warn', text });
  };
  const fail = (e: unknown) => {
    beep('error');
    setFeedback({ kind: 'error', text: e instanceof CallFailed ? localized(e.error.message) : e instanceof Error ? e.message : String(e) });
  };
  const done = (undoWith: string[] | (() => Promise<void>)) => {
    undoStack.current.push(undoWith);
    setCanUndo(true);
  };
  const undo = async () => {
    const last = undoStack.current.pop();
    setCanUndo(undoStack.current.length > 0);
    if (!last) return fail(new Error(t('workflow.nothingToUndo')));
    try {
      if (typeof last === 'function') await last();
      else await call('workflow.undo', { movementIds: last });
      ok(t('workflow.undone'));
    } catch (e) {
      undoStack.current.push(last);
      setCanUndo(true);
      fail(e);
    }
  };

  return { feedback, ok, warn, fail, done, undo, canUndo };
}

export type Workflow = ReturnType<typeof useWorkflow>;

/**
 * Hands a screen-run workflow every scan: commands (UNDO is handled here), errors shown at once,
 * the rest to `onScan`. A scan a workflow session in the core took (useSession.tsx) is not this
 * screen's.
 */
export function useWorkflowScans(w: Workflow, onScan: (scan: ScanEvent) => void | Promise<void>, onCommand?: (command: string) => void): void {
  useScans((scan) => {
    if (scan.workflow) return;
    if (scan.error) return w.fail(new CallFailed({ code: scan.error.code, message: scan.error.message }));
    const r = scan.resolution;
    if (r?.kind === 'command') {
      if (r.command === 'undo') return void w.undo();
      return onCommand?.(r.command);
    }
    if (r?.kind === 'unknown') return w.fail(new CallFailed({ code: 'scan.unknown', message: r.message }));
    void Promise.resolve(onScan(scan)).catch(w.fail);
  });
}

/** The feedback line and the undo button. */
export function WorkflowStatus({ feedback, canUndo, onUndo }: { feedback: Feedback; canUndo: boolean; onUndo: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="workflow-status">
      <div className={feedback ? `feedback feedback-${feedback.kind}` : 'feedback'} role="status" aria-live="assertive" data-testid="workflow-feedback">
        {feedback?.text}
      </div>
      <button type="button" onClick={onUndo} disabled={!canUndo}>
        {t('workflow.undo')}
      </button>
    </div>
  );
}

/** Typing instead of scanning: Enter sends the code the same way a scanner would. */
export function ScanField({ label }: { label: string }) {
  const [code, setCode] = useState('');
  return (
    <form
      className="scan-form"
      onSubmit={(e) => {
        e.preventDefault();
        const raw = code.trim();
        setCode('');
        if (raw) submitScan(raw);
      }}
    >
      <label className="field">
        {label}
        <input className="big-input" data-scan-field autoComplete="off" spellCheck={false} value={code} onChange={(e) => setCode(e.target.value)} />
      </label>
    </form>
  );
}
