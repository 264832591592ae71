import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from '../workflows/useWorkflow';

type Selected = CallOutput<'service.job'> & { individualId: string };
type Action = CallInput<'service.step'>['action'];
type Batch = CallOutput<'wash.get'>;

const actionKey = (a: Action) => (a.kind === 'inspect' ? (a.passed ? 'inspect_pass' : 'inspect_fail') : a.kind);

/**
 * The workshop: the board of open jobs (breached and about to breach first), and the steps of the
 * flow by scanning: scan a device, pick its next step (or scan it in a wash batch); a device
 * released as ready goes on the shelf scanned next.
 */
export function ServicePage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [tick, setTick] = useState(0);
  const { data: board } = useCall('service.board', {}, [tick]);
  const [selected, setSelected] = useState<Selected | null>(null);
  const [awaitingShelf, setAwaitingShelf] = useState(false);
  const [batch, setBatch] = useState<Batch | null>(null);
  const [cabinet, setCabinet] = useState('Disk 1');
  const [method, setMethod] = useState('Termisk desinfektion 90 °C');

  const select = async (individualId: string) => {
    const s = await call('service.job', { individualId });
    setSelected({ ...s, individualId });
    setAwaitingShelf(false);
    if (!s.job) w.warn(t('service.noJob', { n: s.individualNumber }));
    else w.ok(t('service.selected', { n: s.individualNumber, state: t(`service.states.${s.job.state}`) }));
  };

  const act = async (action: Action, toLocationId?: string) => {
    if (!selected) return;
    if (action.kind === 'release' && !toLocationId) {
      setAwaitingShelf(true);
      return w.ok(t('service.scanShelf'));
    }
    const job = await call('service.step', { individualId: selected.individualId, action, toLocationId: toLocationId ?? null });
    setTick((n) => n + 1);
    setAwaitingShelf(false);
    // A finished job (ready or scrapped) leaves the screen; otherwise its next steps are offered.
    if (job.closedAt !== null) setSelected(null);
    else setSelected({ ...(await call('service.job', { individualId: selected.individualId })), individualId: selected.individualId });
    w.ok(t('service.done', { n: selected.individualNumber, state: t(`service.states.${job.state}`) }));
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
    if (r?.kind === 'location' && awaitingShelf) return act({ kind: 'release' }, r.id);
    w.fail(new Error(t('service.scanDevice')));
  });

  return (
    <main id="main" className="page">
      <h1>{t('service.title')}</h1>
      <p className="prompt" data-testid="prompt">{awaitingShelf ? t('service.scanShelf') : batch && batch.closedAt === null ? t('service.scanIntoBatch', { cabinet: batch.cabinet }) : t('service.scanDevice')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={false} onUndo={() => undefined} />
      {selected?.job && (
        <section aria-labelledby="selected-h" className="card">
          <h2 id="selected-h">
            <span className="code">{selected.individualNumber}</span> · {t(`service.states.${selected.job.state}`)} · {t(`service.priority.${selected.job.priority}`)}
          </h2>
          <div className="actions">
            <button type="button" className="ghost" onClick={() => void call('service.take', { individualId: selected.individualId, take: !selected.job!.takenBy }).then(() => { setTick((n) => n + 1); return select(selected.individualId); }, w.fail)}>
              {selected.job.takenBy ? t('service.pause') : t('service.take')}
            </button>
            {selected.actions.map((a) => (
              <button key={actionKey(a)} type="button" className={a.kind === 'scrap' ? 'danger' : undefined} onClick={() => void act(a).catch(w.fail)}>
                {t(`service.actions.${actionKey(a)}`)}
              </button>
            ))}
          </div>
        </section>
      )}
      <section aria-labelledby="wash-h">
        <h2 id="wash-h">{t('service.washTitle')}</h2>
        {batch && batch.closedAt === null ? (
          <>
            <p>{t('service.batchOpen', { cabinet: batch.cabinet, method: batch.method, count: batch.items.length })}</p>
            <ul data-testid="wash-items">{batch.items.map((i) => <li key={i.individualId}><span className="code">{i.individualNumber}</span> {i.articleName}</li>)}</ul>
            <button type="button" onClick={() => void call('wash.close', { batchId: batch.id }).then((b) => { setBatch(b); setTick((n) => n + 1); w.ok(t('service.batchClosed', { count: b.items.length })); }, w.fail)}>
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
            {(board ?? []).map((j) => (
              <tr key={j.id} className={`clock-${j.clock}`}>
                <td><button type="button" className="ghost" onClick={() => void select(j.individualId).catch(w.fail)}><span className="code">{j.individualNumber}</span> {j.articleName}</button></td>
                <td>{t(`service.states.${j.state}`)}{j.takenByName ? ` · ${j.takenByName}` : ''}</td>
                <td>{t(`service.priority.${j.priority}`)}</td>
                <td>{formatDateTime(j.dueAt)} · {t(`service.clock.${j.clock}`)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
