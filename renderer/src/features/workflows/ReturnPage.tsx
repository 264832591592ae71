import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Components = CallOutput<'returns.components'>;

/** Return intake: scan the device, check its components, confirm; it joins the cleaning queue. */
export function ReturnPage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [device, setDevice] = useState<{ id: string; number: string; name: string } | null>(null);
  const [components, setComponents] = useState<Components>([]);
  const [present, setPresent] = useState<Record<string, boolean>>({});
  const [returnedOn, setReturnedOn] = useState(() => new Date().toISOString().slice(0, 10));

  const confirm = async () => {
    if (!device) return w.fail(new Error(t('returns.scanFirst')));
    const missing = components.filter((c) => !present[c.name]).map((c) => c.name);
    const r = await call('returns.receive', { individualId: device.id, returnedOn, missing });
    w.done(r.movementIds);
    w.ok(missing.length ? t('returns.receivedMissing', { number: device.number, missing: missing.join(', ') }) : t('returns.received', { number: device.number }));
    setDevice(null);
    setComponents([]);
  };

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (r?.kind !== 'individual') return w.fail(new Error(t('returns.notIndividual')));
      if (device && device.id === r.id) return confirm();
      const parts = await call('returns.components', { individualId: r.id });
      setDevice({ id: r.id, number: r.individualNumber, name: r.articleName });
      setComponents(parts);
      setPresent(Object.fromEntries(parts.map((p) => [p.name, true])));
      w.ok(parts.length ? t('returns.check', { number: r.individualNumber }) : t('returns.noParts', { number: r.individualNumber }));
    },
    (command) => {
      if (command === 'confirm' || command === 'done') void confirm().catch(w.fail);
      if (command === 'cancel') {
        setDevice(null);
        setComponents([]);
        w.ok(t('workflow.cleared'));
      }
    },
  );

  return (
    <main id="main" className="page">
      <h1>{t('returns.title')}</h1>
      <p className="prompt" data-testid="prompt">{device ? t('returns.confirmPrompt', { number: device.number }) : t('returns.scanPrompt')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
      {device && (
        <section aria-labelledby="return-device" className="card">
          <h2 id="return-device">
            <span className="code">{device.number}</span> {device.name}
          </h2>
          <label className="field inline">
            {t('returns.date')}
            <input type="date" value={returnedOn} max={new Date().toISOString().slice(0, 10)} onChange={(e) => setReturnedOn(e.target.value)} />
          </label>
          {components.length > 0 && (
            <fieldset>
              <legend>{t('returns.components')}</legend>
              {components.map((c) => (
                <label key={c.name} className="check-row">
                  <input type="checkbox" checked={present[c.name] ?? false} onChange={(e) => setPresent((p) => ({ ...p, [c.name]: e.target.checked }))} />
                  {c.quantity > 1 ? `${c.quantity} × ` : ''}
                  {c.name}
                </label>
              ))}
            </fieldset>
          )}
          <button type="button" className="primary" onClick={() => void confirm().catch(w.fail)}>
            {t('returns.confirm')}
          </button>
        </section>
      )}
    </main>
  );
}
