import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { useCall } from '../../components/useCall';
import { formatDate } from '../../i18n';
import type { Workflow } from '../workflows/useWorkflow';

/** Where a call's outcome is said: the workshop's feedback line. */
type Notes = Pick<Workflow, 'ok' | 'fail'>;

/** The site's preventive maintenance falling due (by date or by operating hours), each signed off from its line. */
export function MaintenanceDue({ w, supervisor }: { w: Notes; supervisor: boolean }) {
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
      <Margins supervisor={supervisor} w={w} onSaved={() => setTick((n) => n + 1)} />
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

/** The margin a device due for maintenance is held back from picking: shown to all, set by supervisors. */
function Margins({ supervisor, w, onSaved }: { supervisor: boolean; w: Notes; onSaved: () => void }) {
  const { t } = useTranslation();
  const { data } = useCall('maintenance.margins', {}, []);
  const [days, setDays] = useState<string | null>(null);
  const [hours, setHours] = useState<string | null>(null);
  if (!data) return null;
  if (!supervisor) return <p className="muted">{t('maintenance.marginText', { days: data.days, hours: data.hours })}</p>;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void call('maintenance.margins', { set: { days: Number(days ?? data.days), hours: Number(hours ?? data.hours) } }).then(() => (onSaved(), w.ok(t('maintenance.marginSaved'))), w.fail);
      }}
    >
      <label>{t('maintenance.marginDays')}<input inputMode="numeric" size={4} value={days ?? String(data.days)} onChange={(e) => setDays(e.target.value)} /></label>
      <label>{t('maintenance.marginHours')}<input inputMode="numeric" size={5} value={hours ?? String(data.hours)} onChange={(e) => setHours(e.target.value)} /></label>
      <button type="submit" className="ghost">{t('maintenance.saveMargin')}</button>
    </form>
  );
}
