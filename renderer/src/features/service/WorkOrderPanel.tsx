import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { formatDateTime } from '../../i18n';
import type { Workflow } from '../workflows/useWorkflow';

/** Where a call's outcome is said: the workshop's feedback line. */
type Notes = Pick<Workflow, 'ok' | 'fail'>;

export type WorkOrderView = CallOutput<'workorder.get'>;

/**
 * A work order being worked on: its fault, the spare parts taken out for it (by scanning them),
 * time spent and what was done. A field order is closed here; a reconditioning repair is finished
 * by its step in the flow, with the action written here.
 */
export function WorkOrderPanel({ wo, w, onChange, actions, setActions }: { wo: WorkOrderView; w: Notes; onChange: (wo: WorkOrderView) => void; actions: string; setActions: (s: string) => void }) {
  const { t } = useTranslation();
  const [minutes, setMinutes] = useState('');
  const field = wo.jobId === null;
  return (
    <section aria-labelledby="wo-h" className="card" data-testid="work-order">
      <h3 id="wo-h">
        {t('workorder.title', { number: wo.number })} · {t(`workorder.origin.${wo.origin}`)}
      </h3>
      <dl className="facts">
        <div><dt>{t('workorder.fault')}</dt><dd>{wo.fault}</dd></div>
        {wo.device && <div><dt>{t('workorder.device')}</dt><dd>{wo.device}</dd></div>}
        {wo.owner && <div><dt>{t('workorder.owner')}</dt><dd>{wo.owner}</dd></div>}
        {wo.place && <div><dt>{t('workorder.place')}</dt><dd className="code">{wo.place}</dd></div>}
        <div><dt>{t('service.due')}</dt><dd>{formatDateTime(wo.dueAt)}</dd></div>
      </dl>
      <h4>{t('workorder.parts')}</h4>
      <p className="muted">{t('workorder.scanPart')}</p>
      {wo.parts.length === 0 ? (
        <p className="muted">{t('workorder.noParts')}</p>
      ) : (
        <ul data-testid="work-order-parts">
          {wo.parts.map((p) => (
            <li key={p.movementId}>
              {p.quantity} × <span className="code">{p.articleNumber}</span> {p.articleName} ({p.locationCode}){' '}
              <button type="button" className="ghost" onClick={() => void call('workorder.returnPart', { workOrderId: wo.id, movementId: p.movementId }).then((next) => (onChange(next), w.ok(t('workorder.partReturned', { name: p.articleName }))), w.fail)}>
                {t('workorder.returnPart')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          void call('workorder.time', { workOrderId: wo.id, minutes: Number(minutes) }).then((next) => {
            onChange(next);
            setMinutes('');
            w.ok(t('workorder.timeAdded', { minutes, number: wo.number }));
          }, w.fail);
        }}
      >
        <p>{t('workorder.minutes', { count: wo.minutes })}</p>
        <label>
          {t('workorder.minutesInput')}
          <input inputMode="numeric" pattern="[0-9]*" value={minutes} onChange={(e) => setMinutes(e.target.value)} required />
        </label>
        <button type="submit" className="ghost">{t('workorder.addTime')}</button>
      </form>
      <label className="field">
        {t('service.actionsInput')}
        <textarea value={actions} onChange={(e) => setActions(e.target.value)} rows={2} />
      </label>
      <div className="actions">
        <button
          type="button"
          className="ghost"
          disabled={!actions.trim()}
          onClick={() => void call('workorder.actions', { workOrderId: wo.id, actions }).then((next) => (onChange(next), w.ok(t('workorder.actionsSaved'))), w.fail)}
        >
          {t('workorder.saveActions')}
        </button>
        {field && (
          <button type="button" onClick={() => void call('workorder.close', { workOrderId: wo.id, actions: actions || null }).then((next) => (onChange(next), w.ok(t('workorder.closed', { number: wo.number }))), w.fail)}>
            {t('workorder.close')}
          </button>
        )}
      </div>
    </section>
  );
}
