import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, CallFailed } from '../../bridge/client';
import { useCall } from '../../components/useCall';
import { beep } from '../../feedback';
import { formatDateTime, localized } from '../../i18n';
import { href } from '../../router';
import { ScanField } from '../workflows/useWorkflow';
import { CommandButtons, Prompt, useSession, type SessionInput } from '../workflows/useSession';
import { ChecklistForm } from './Checklist';
import { MaintenanceDue } from './MaintenanceDue';
import { NewWorkOrder } from './NewWorkOrder';
import { WorkOrderPanel } from './WorkOrderPanel';

type StepInput = Extract<SessionInput, { kind: 'serviceStep' }>;
type Action = StepInput['action'];
type StepExtras = Omit<StepInput, 'kind' | 'action'>;
type Disposal = NonNullable<StepExtras['scrap']>['disposal'];
const DISPOSAL_OPTIONS: Disposal[] = ['metal_recycling', 'electronics_recycling', 'plastics_recycling', 'combustible', 'hazardous_waste', 'back_to_supplier'];

const actionKey = (a: Action) => (a.kind === 'inspect' ? (a.passed ? 'inspect_pass' : 'inspect_fail') : a.kind);

/** What a call of the screen's own (time on a work order, a new work order…) says, shown until the workshop's session says something new. */
interface Note {
  kind: 'ok' | 'error';
  text: string;
  /** The session's feedback when it was said. */
  seq: number;
}

/**
 * The workshop: the board of open work (late and nearly late first), and the steps of the flow by
 * scanning: scan a device, take its next step (inspect by its checklist, repair with a work order),
 * or scan it into a wash batch; a device released as ready goes on the shelf scanned next. While a
 * work order is open, a scanned spare part is taken out for it. The steps run in the core's
 * workshop session, so a reload (or a scanner with no screen) finds them where they were.
 */
export function ServicePage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('service');
  const [tick, setTick] = useState(0);
  const { data: board } = useCall('service.board', {}, [tick, view?.rev]);
  const [note, setNote] = useState<Note | null>(null);
  const [cabinet, setCabinet] = useState('Disk 1');
  const [method, setMethod] = useState('Termisk desinfektion 90 °C');
  const [fault, setFault] = useState('');
  const [claim, setClaim] = useState('');
  const [scrapping, setScrapping] = useState(false);
  const [scrapReason, setScrapReason] = useState('');
  const [disposal, setDisposal] = useState<Disposal>('metal_recycling');
  const [actions, setActions] = useState('');
  const individualId = state?.individual?.id ?? null;
  const selected = individualId ? (state?.job ?? null) : null;
  const workOrder = state?.workOrderView ?? null;
  const batch = state?.batchView ?? null;
  const seq = view?.feedback?.seq ?? 0;

  // Another device (or none): what was typed for the last one goes.
  useEffect(() => {
    setScrapping(false);
    setFault('');
    setClaim('');
  }, [individualId]);
  const workOrderId = workOrder?.id ?? null;
  const writtenActions = workOrder?.actions ?? '';
  useEffect(() => setActions(writtenActions), [workOrderId]); // eslint-disable-line react-hooks/exhaustive-deps

  const say = (kind: Note['kind'], text: string) => {
    beep(kind);
    setNote({ kind, text, seq });
  };
  const notes = { ok: (text: string) => say('ok', text), fail: (e: unknown) => say('error', e instanceof CallFailed ? localized(e.error.message) : e instanceof Error ? e.message : String(e)) };
  /** After a call that changed what the session shows, the session reads it again. */
  const reread = () => {
    setTick((n) => n + 1);
    send({ kind: 'refresh' });
  };

  const act = (action: Action, extras: StepExtras = {}) => {
    if (action.kind === 'start_repair' && fault.trim()) extras = { ...extras, fault };
    if (action.kind === 'finish_repair' && actions.trim()) extras = { ...extras, actions };
    if (action.kind === 'send_to_supplier' && claim.trim()) extras = { ...extras, claim };
    if (action.kind === 'scrap' && !extras.scrap) return setScrapping(true);
    setScrapping(false);
    send({ kind: 'serviceStep', action, ...extras });
  };

  const f = view?.feedback;
  const shown = problem ? { kind: 'error', text: problem } : note && note.seq === seq ? note : f ? { kind: f.kind, text: localized(f.message) } : null;
  const inspection = selected?.job?.state === 'cleaned' && selected.checklist;

  return (
    <main id="main" className="page">
      <h1>{t('service.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <div className="workflow-status">
        <div className={shown ? `feedback feedback-${shown.kind}` : 'feedback'} role="status" aria-live="assertive" data-testid="workflow-feedback" data-seq={seq}>
          {shown?.text ?? ''}
        </div>
        <CommandButtons view={view} />
        <button type="button" onClick={undo} disabled={!view?.canUndo}>
          {t('workflow.undo')}
        </button>
      </div>
      {selected?.job && individualId && (
        <section aria-labelledby="selected-h" className="card">
          <h2 id="selected-h">
            <a href={href('individual', individualId)} className="code">{selected.individualNumber}</a> · {t(`service.states.${selected.job.state}`)} · {t(`service.priority.${selected.job.priority}`)}
          </h2>
          {selected.missing.length > 0 && (
            <p className="note note-error" data-testid="missing-parts">
              {t('service.missing', { parts: selected.missing.join(', ') })}
            </p>
          )}
          <div className="actions">
            <button type="button" className="ghost" onClick={() => void call('service.take', { individualId, take: !selected.job!.takenBy }).then(reread, notes.fail)}>
              {selected.job.takenBy ? t('service.pause') : t('service.take')}
            </button>
            {selected.actions
              .filter((a) => !(inspection && a.kind === 'inspect'))
              .map((a) => (
                <button key={actionKey(a)} type="button" className={a.kind === 'scrap' ? 'danger' : undefined} onClick={() => act(a)}>
                  {t(`service.actions.${actionKey(a)}`)}
                </button>
              ))}
          </div>
          {selected.job.state === 'needs_repair' && (
            <label className="field">
              {t('service.faultInput')}
              <input value={fault} onChange={(e) => setFault(e.target.value)} />
            </label>
          )}
          {selected.actions.some((a) => a.kind === 'send_to_supplier') && (
            <label className="field">
              {t('service.claimInput')}
              <input value={claim} onChange={(e) => setClaim(e.target.value)} />
            </label>
          )}
          {scrapping && (
            <form className="settings-form" onSubmit={(e) => (e.preventDefault(), act({ kind: 'scrap' }, { scrap: { reason: scrapReason, disposal } }))}>
              <label>
                {t('service.scrapReason')}
                <input value={scrapReason} onChange={(e) => setScrapReason(e.target.value)} required />
              </label>
              <label>
                {t('service.disposal')}
                <select value={disposal} onChange={(e) => setDisposal(e.target.value as Disposal)}>
                  {DISPOSAL_OPTIONS.map((d) => <option key={d} value={d}>{t(`service.disposals.${d}`)}</option>)}
                </select>
              </label>
              <button type="submit" className="danger">{t('service.confirmScrap')}</button>
            </form>
          )}
          {inspection && <ChecklistForm key={selected.job.id} checklist={selected.checklist!} onSubmit={(answers, hours) => act({ kind: 'inspect', passed: true }, { answers, hours })} />}
        </section>
      )}
      {workOrder && workOrder.state === 'open' && <WorkOrderPanel wo={workOrder} w={notes} onChange={reread} actions={actions} setActions={setActions} />}
      <section aria-labelledby="wash-h">
        <h2 id="wash-h">{t('service.washTitle')}</h2>
        {batch && batch.closedAt === null ? (
          <>
            <p>{t('service.batchOpen', { cabinet: batch.cabinet, method: batch.method, count: batch.items.length })}</p>
            <ul data-testid="wash-items">{batch.items.map((i) => <li key={i.individualId}><span className="code">{i.individualNumber}</span> {i.articleName}</li>)}</ul>
            <button type="button" onClick={() => send({ kind: 'washClose' })}>
              {t('service.closeBatch')}
            </button>
          </>
        ) : (
          <form className="settings-form" onSubmit={(e) => (e.preventDefault(), send({ kind: 'washOpen', cabinet, method }))}>
            <label>{t('service.cabinet')}<input value={cabinet} onChange={(e) => setCabinet(e.target.value)} required maxLength={40} /></label>
            <label>{t('service.method')}<input value={method} onChange={(e) => setMethod(e.target.value)} required maxLength={80} /></label>
            <button type="submit">{t('service.openBatch')}</button>
          </form>
        )}
      </section>
      <section aria-labelledby="board-h">
        <h2 id="board-h">{t('service.board')}</h2>
        {board && (
          <p className="muted" data-testid="board-counts">
            {t('service.counts', { ...board.counts, total: board.total })} {board.total > board.lines.length && t('service.showing', { count: board.lines.length })}
          </p>
        )}
        <table className="lines" data-testid="service-board">
          <thead>
            <tr>
              <th scope="col">{t('service.device')}</th>
              <th scope="col">{t('service.state')}</th>
              <th scope="col">{t('service.priorityLabel')}</th>
              <th scope="col">{t('service.due')}</th>
            </tr>
          </thead>
          <tbody>
            {(board?.lines ?? []).map((j) => (
              <tr key={j.id} className={`clock-${j.clock}`}>
                <td>
                  <button type="button" className="ghost" onClick={() => send(j.kind === 'job' ? { kind: 'serviceSelect', individualId: j.individualId! } : { kind: 'serviceWorkOrder', workOrderId: j.id })}>
                    {j.individualNumber && <span className="code">{j.individualNumber}</span>} {j.label}
                  </button>
                </td>
                <td>
                  {t(`service.states.${j.state}`)}
                  {j.workOrder && <span className="code"> · {j.workOrder.number}</span>}
                  {j.takenByName ? ` · ${j.takenByName}` : ''}
                </td>
                <td>{t(`service.priority.${j.priority}`)}</td>
                <td>{formatDateTime(j.dueAt)} · {t(`service.clock.${j.clock}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <NewWorkOrder w={notes} onCreated={(wo) => (setTick((n) => n + 1), send({ kind: 'serviceWorkOrder', workOrderId: wo.id }))} />
      </section>
      <MaintenanceDue w={notes} supervisor={supervisor} />
    </main>
  );
}
