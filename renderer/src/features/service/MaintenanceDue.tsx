import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { useCall } from '../../components/useCall';
import { formatDate } from '../../i18n';
import type { Workflow } from '../workflows/useWorkflow';

/** The site's preventive maintenance falling due (by date or by operating hours), each signed off from its line. */
export function MaintenanceDue({ w }: { w: Workflow }) {
  const { t } = useTranslation();
  const [withinDays, setWithinDays] = useState(30);
  const [tick, setTick] = useState(0);
  const [hours, setHours] = useState<Record<string, string>>({});
  const { data } = useCall('maintenance.due', { withinDays }, [withinDays, tick]);
  return (
    <section aria-labelledby="maint-h">
      <h2 id="maint-h">{t('maintenance.title')}</h2>
      <label className="field">
        {t('maintenance.within')}
        <select value={withinDays} onChange={(e) => setWithinDays(Number(e.target.value))}>
          {[0, 14, 30, 90].map((d) => <option key={d} value={d}>{d}</option>)}
        </select>
      </label>
      {data && data.length === 0 && <p className="muted">{t('maintenance.none')}</p>}
      {data && data.length > 0 && (
        <table className="lines" data-testid="maintenance-due">
          <thead>
            <tr>
              <th scope="col">{t('service.device')}</th>
              <th scope="col">{t('maintenance.plan')}</th>
              <th scope="col">{t('maintenance.due')}</th>
              <th scope="col"><span className="visually-hidden">{t('maintenance.signOff')}</span></th>
            </tr>
          </thead>
          <tbody>
            {data.slice(0, 200).map((d) => {
              const key = `${d.individualId}:${d.planId}`;
              return (
                <tr key={key}>
                  <td><span className="code">{d.individualNumber}</span> {d.articleName} {d.locationCode && <span className="code muted">{d.locationCode}</span>}</td>
                  <td>{d.plan}</td>
                  <td>{d.dueAt !== null ? formatDate(d.dueAt) : t('maintenance.hoursLeft', { count: d.hoursLeft ?? 0 })}</td>
                  <td>
                    {d.hoursLeft !== null && (
                      <input aria-label={t('maintenance.hoursInput')} inputMode="numeric" size={6} value={hours[key] ?? ''} onChange={(e) => setHours((h) => ({ ...h, [key]: e.target.value }))} />
                    )}
                    <button
                      type="button"
                      className="ghost"
                      onClick={() =>
                        void call('maintenance.signOff', { individualId: d.individualId, planId: d.planId, hours: hours[key] ? Number(hours[key]) : null }).then(() => {
                          setTick((n) => n + 1);
                          w.ok(t('maintenance.signed', { plan: d.plan, n: d.individualNumber }));
                        }, w.fail)
                      }
                    >
                      {t('maintenance.signOff')}
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
