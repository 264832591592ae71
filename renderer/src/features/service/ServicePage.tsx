import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';
import { href } from '../../router';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from '../workflows/useWorkflow';
import { ChecklistForm } from './Checklist';
import { MaintenanceDue } from './MaintenanceDue';
import { NewWorkOrder } from './NewWorkOrder';
import { WorkOrderPanel, type WorkOrderView } from './WorkOrderPanel';

type Selected = CallOutput<'service.job'> & { individualId: string };
type Action = CallInput<'service.step'>['action'];
type StepExtras = Omit<CallInput<'service.step'>, 'individualId' | 'action'>;
type Batch = CallOutput<'wash.get'>;
type Disposal = NonNullable<StepExtras['scrap']>['disposal'];
const DISPOSAL_OPTIONS: Disposal[] = ['metal_recycling', 'electronics_recycling', 'plastics_recycling', 'combustible', 'hazardous_waste', 'back_to_supplier'];

const actionKey = (a: Action) => (a.kind === 'inspect' ? (a.passed ? 'inspect_pass' : 'inspect_fail') : a.kind);

/**
 * The workshop: the board of open work (late and nearly late first), and the steps of the flow by
 * scanning: scan a device, take its next step (inspect by its checklist, repair with a work order),
 * or scan it into a wash batch; a device released as ready goes on the shelf scanned next. While a
 * work order is open on screen, a scanned spare part is taken out for it.
 */
export function ServicePage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [tick, setTick] = useState(0);
  const { data: board } = useCall('service.board', {}, [tick]);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [fieldOrder, setFieldOrder] = useState<WorkOrderView | null>(null);
  const [awaitingShelf, setAwaitingShelf] = useState(false);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [cabinet, setCabinet] = useState('Disk 1');
  const [method, setMethod] = useState('Termisk desinfektion 90 °C');
  const [fault, setFault] = useState('');
  const [claim, setClaim] = useState('');
  const [scrapping, setScrapping] = useState(false);
  const [scrapReason, setScrapReason] = useState('');
  const [disposal, setDisposal] = useState<Disposal>('metal_recycling');
  const [actions, setActions] = useState('');
  const workOrder = selected?.workOrder ?? fieldOrder;
  const refresh = () => setTick((n) => n + 1);

  const select = async (individualId: string) => {
    const s = await call('service.job', { individualId });
    setSelected({ ...s, individualId });
    setFieldOrder(null);
    setAwaitingShelf(false);
    setScrapping(false);
    setFault('');
    setClaim('');
    setActions(s.workOrder?.actions ?? '');
    if (!s.job) w.warn(t('service.noJob', { n: s.individualNumber }));
    else w.ok(t('service.selected', { n: s.individualNumber, state: t(`service.states.${s.job.state}`) }));
  };

  const openFieldOrder = async (workOrderId: string) => {
    const wo = await call('workorder.get', { workOrderId });
    setSelected(null);
    setFieldOrder(wo);
    setActions(wo.actions ?? '');
    w.ok(`${wo.number}: ${wo.fault}`);
  };

  const act = async (action: Action, extras: StepExtras = {}) => {
    if (!selected) return;
    if (action.kind === 'release' && !extras.toLocationId) {
      setAwaitingShelf(true);
      return w.ok(t('service.scanShelf'));
    }
    if (action.kind === 'start_repair' && fault.trim()) extras = { ...extras, fault };
    if (action.kind === 'finish_repair' && actions.trim()) extras = { ...extras, actions };
    if (action.kind === 'send_to_supplier' && claim.trim()) extras = { ...extras, claim };
    if (action.kind === 'scrap' && !extras.scrap) return setScrapping(true);
    const job = await call('service.step', { individualId: selected.individualId, action, ...extras });
    refresh();
    setAwaitingShelf(false);
    setScrapping(false);
    // A finished job (ready or scrapped) leaves the screen; otherwise its next steps are offered.
    if (job.closedAt !== null) setSelected(null);
    else {
      const next = await call('service.job', { individualId: selected.individualId });
      setSelected({ ...next, individualId: selected.individualId });
      setActions(next.workOrder?.actions ?? '');
    }
    w.ok(t('service.done', { n: selected.individualNumber, state: t(`service.states.${job.state}`) }));
  };

  const onWorkOrderChange = (wo: WorkOrderView) => {
    refresh();
    if (selected) setSelected({ ...selected, workOrder: wo });
    else setFieldOrder(wo.state === 'open' ? wo : null);
  };

  useWorkflowScans(w, async (scan) => {
    const r = scan.resolution;
    if (r?.kind === 'individual') {
      if (batch && batch.closedAt === null) {
        setBatch(await call('wash.add', { batchId: batch.id, individualId: r.id }));
        return w.ok(t('service.inBatch', { n: r.individualNumber, cabinet: batch.cabinet }));
      }
      return select(r.id);
    }
    if (r?.kind === 'location' && awaitingShelf) return act({ kind: 'release' }, { toLocationId: r.id });
    if (r?.kind === 'article' && workOrder?.state === 'open') {
      const next = await call('workorder.part', { workOrderId: workOrder.id, articleId: r.id, quantity: r.details.quantity ?? 1, lot: r.details.lot ?? null });
      onWorkOrderChange(next);
      // Undo (the button or the UNDO barcode) puts the part back.
      const added = next.parts.at(-1)!;
      w.done(async () => onWorkOrderChange(await call('workorder.returnPart', { workOrderId: next.id, movementId: added.movementId })));
      return w.ok(t('workorder.partUsed', { name: r.name, number: workOrder.number }));
    }
    w.fail(new Error(t('service.scanDevice')));
  });

  const prompt = awaitingShelf
    ? t('service.scanShelf')
    : batch && batch.closedAt === null
      ? t('service.scanIntoBatch', { cabinet: batch.cabinet })
      : workOrder?.state === 'open'
        ? t('workorder.scanPart')
        : t('service.scanDevice');
  const inspection = selected?.job?.state === 'cleaned' && selected.checklist;

  return (
    <main id="main" className="page">
      <h1>{t('service.title')}</h1>
      <p className="prompt" data-testid="prompt">{prompt}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
      {selected?.job && (
        <section aria-labelledby="selected-h" className="card">
          <h2 id="selected-h">
            <a href={href('individual', selected.individualId)} className="code">{selected.individualNumber}</a> · {t(`service.states.${selected.job.state}`)} · {t(`service.priority.${selected.job.priority}`)}
          </h2>
          <div className="actions">
            <button type="button" className="ghost" onClick={() => void call('service.take', { individualId: selected.individualId, take: !selected.job!.takenBy }).then(() => (refresh(), select(selected.individualId)), w.fail)}>
              {selected.job.takenBy ? t('service.pause') : t('service.take')}
            </button>
            {selected.actions
              .filter((a) => !(inspection && a.kind === 'inspect'))
              .map((a) => (
                <button key={actionKey(a)} type="button" className={a.kind === 'scrap' ? 'danger' : undefined} onClick={() => void act(a).catch(w.fail)}>
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
            <form className="settings-form" onSubmit={(e) => (e.preventDefault(), void act({ kind: 'scrap' }, { scrap: { reason: scrapReason, disposal } }).catch(w.fail))}>
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
          {inspection && <ChecklistForm key={selected.job.id} checklist={selected.checklist!} onSubmit={(answers, hours) => void act({ kind: 'inspect', passed: true }, { answers, hours }).catch(w.fail)} />}
        </section>
      )}
      {workOrder && workOrder.state === 'open' && <WorkOrderPanel wo={workOrder} w={w} onChange={onWorkOrderChange} actions={actions} setActions={setActions} />}
      <section aria-labelledby="wash-h">
        <h2 id="wash-h">{t('service.washTitle')}</h2>
        {batch && batch.closedAt === null ? (
          <>
            <p>{t('service.batchOpen', { cabinet: batch.cabinet, method: batch.method, count: batch.items.length })}</p>
            <ul data-testid="wash-items">{batch.items.map((i) => <li key={i.individualId}><span className="code">{i.individualNumber}</span> {i.articleName}</li>)}</ul>
            <button type="button" onClick={() => void call('wash.close', { batchId: batch.id }).then((b) => { setBatch(b); refresh(); w.ok(t('service.batchClosed', { count: b.items.length })); }, w.fail)}>
              {t('service.closeBatch')}
            </button>
          </>
        ) : (
          <form className="settings-form" onSubmit={(e) => { e.preventDefault(); void call('wash.open', { cabinet, method }).then((b) => { setBatch(b); w.ok(t('service.batchOpened', { cabinet: b.cabinet })); }, w.fail); }}>
            <label>{t('service.cabinet')}<input value={cabinet} onChange={(e) => setCabinet(e.target.value)} /></label>
            <label>{t('service.method')}<input value={method} onChange={(e) => setMethod(e.target.value)} /></label>
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
                  <button type="button" className="ghost" onClick={() => void (j.kind === 'job' ? select(j.individualId!) : openFieldOrder(j.id)).catch(w.fail)}>
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
        <NewWorkOrder w={w} onCreated={(wo) => (refresh(), setSelected(null), setFieldOrder(wo), setActions(''))} />
      </section>
      <MaintenanceDue w={w} supervisor={supervisor} />
    </main>
  );
}
