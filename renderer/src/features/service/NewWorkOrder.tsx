import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import type { Workflow } from '../workflows/useWorkflow';
import type { WorkOrderView } from './WorkOrderPanel';

/** Where a call's outcome is said: the workshop's feedback line. */
type Notes = Pick<Workflow, 'ok' | 'fail'>;

type Origin = CallInput<'workorder.open'>['origin'];
type Priority = CallInput<'workorder.open'>['priority'];

/** A repair of a device that is out: one on loan (scanned or typed), or a municipality's own device. */
export function NewWorkOrder({ w, onCreated }: { w: Notes; onCreated: (wo: WorkOrderView) => void }) {
  const { t } = useTranslation();
  const [origin, setOrigin] = useState<Origin>('on_loan');
  const [number, setNumber] = useState('');
  const [device, setDevice] = useState('');
  const [owner, setOwner] = useState('');
  const [place, setPlace] = useState('');
  const [priority, setPriority] = useState<Priority>('urgent');
  const [fault, setFault] = useState('');
  const submit = async () => {
    let individualId: string | null = null;
    if (origin === 'on_loan') {
      const hit = await call('stock.resolve', { code: number.trim() });
      if (hit.kind !== 'individual') throw new Error(t('workorder.unknownIndividual', { code: number.trim() }));
      individualId = hit.id;
    }
    const wo = await call('workorder.open', { origin, individualId, device: device || null, owner: owner || null, place: place || null, priority, fault });
    setNumber('');
    setDevice('');
    setOwner('');
    setPlace('');
    setFault('');
    w.ok(t('workorder.created', { number: wo.number }));
    onCreated(wo);
  };
  return (
    <details>
      <summary>{t('workorder.newTitle')}</summary>
      <form className="settings-form" onSubmit={(e) => (e.preventDefault(), void submit().catch(w.fail))}>
        <fieldset>
          <legend>{t('workorder.newTitle')}</legend>
          <label>
            <input type="radio" name="wo-origin" checked={origin === 'on_loan'} onChange={() => setOrigin('on_loan')} /> {t('workorder.newOnLoan')}
          </label>
          <label>
            <input type="radio" name="wo-origin" checked={origin === 'municipality'} onChange={() => setOrigin('municipality')} /> {t('workorder.newMunicipality')}
          </label>
        </fieldset>
        {origin === 'on_loan' ? (
          <label>{t('workorder.individualInput')}<input value={number} onChange={(e) => setNumber(e.target.value)} required /></label>
        ) : (
          <>
            <label>{t('workorder.deviceInput')}<input value={device} onChange={(e) => setDevice(e.target.value)} required /></label>
            <label>{t('workorder.ownerInput')}<input value={owner} onChange={(e) => setOwner(e.target.value)} /></label>
          </>
        )}
        <label>{t('workorder.placeInput')}<input value={place} onChange={(e) => setPlace(e.target.value)} /></label>
        <label>
          {t('service.priorityLabel')}
          <select value={priority} onChange={(e) => setPriority(e.target.value as Priority)}>
            {(['acute', 'urgent', 'normal'] as const).map((p) => <option key={p} value={p}>{t(`service.priority.${p}`)}</option>)}
          </select>
        </label>
        <label>{t('workorder.faultInput')}<input value={fault} onChange={(e) => setFault(e.target.value)} required /></label>
        <button type="submit">{t('workorder.create')}</button>
      </form>
    </details>
  );
}
