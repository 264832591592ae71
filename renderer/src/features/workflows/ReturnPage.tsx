import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, SessionStatus, useSession } from './useSession';
import { localDay } from '../../../../vocabulary/calendar';

const today = () => localDay(Date.now());

/** Return intake: scan the device, check its components, confirm; it joins the cleaning queue. The workflow runs in the core. */
export function ReturnPage() {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession('return');
  const device = state?.device ?? null;
  // A tick shows at once; the core's next state confirms it.
  const [ticked, setTicked] = useState<Record<string, boolean>>({});
  const rev = view?.rev;
  useEffect(() => setTicked({}), [rev]);

  return (
    <main id="main" className="page">
      <h1>{t('returns.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
      {device && state && (
        <section aria-labelledby="return-device" className="card">
          <h2 id="return-device">
            <span className="code">{device.number}</span> {device.name}
          </h2>
          <label className="field inline">
            {t('returns.date')}
            <input type="date" value={state.returnedOn ?? today()} max={today()} onChange={(e) => send({ kind: 'returnedOn', day: e.target.value || null })} />
          </label>
          {state.components.length > 0 && (
            <fieldset>
              <legend>{t('returns.components')}</legend>
              {state.components.map((c) => (
                <label key={c.name} className="check-row">
                  <input
                    type="checkbox"
                    checked={ticked[c.name] ?? state.present[c.name] ?? false}
                    onChange={(e) => {
                      const present = e.target.checked;
                      setTicked((t) => ({ ...t, [c.name]: present }));
                      send({ kind: 'component', name: c.name, present });
                    }}
                  />
                  {c.quantity > 1 ? `${c.quantity} × ` : ''}
                  {c.name}
                </label>
              ))}
            </fieldset>
          )}
          <button type="button" className="primary" onClick={() => send({ kind: 'command', command: 'confirm' })}>
            {t('returns.confirm')}
          </button>
        </section>
      )}
    </main>
  );
}
