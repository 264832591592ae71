import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';

type Point = { id: string | null; name: string; address: string; postcode: string; town: string; municipality: string; route: string; weekday: number };
const NEW_POINT: Point = { id: null, name: '', address: '', postcode: '', town: '', municipality: '', route: '', weekday: 1 };
const WEEKDAYS = [1, 2, 3, 4, 5] as const;
const DAY = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;
const dayKey = (d: number | null) => `places.weekdays.${DAY[Math.min(5, Math.max(1, d ?? 1)) - 1]!}` as const;

/** Monday to Friday, the days routes run. */
function WeekdaySelect({ value, onChange, disabled = false }: { value: number; onChange: (day: number) => void; disabled?: boolean }) {
  const { t } = useTranslation();
  return (
    <label>
      {t('places.weekday')}
      <select value={value} onChange={(e) => onChange(Number(e.target.value))} disabled={disabled}>
        {WEEKDAYS.map((d) => (
          <option key={d} value={d}>
            {t(dayKey(d))}
          </option>
        ))}
      </select>
    </label>
  );
}

/**
 * The region's sites and this site's delivery points: supervisors keep the delivery points (with
 * their addresses, routes and weekdays), administrators the sites. Each change reaches every
 * station through the register.
 */
export function PlacesPage({ admin }: { admin: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const { data, error } = useCall('places.list', {}, [tick]);
  const [point, setPoint] = useState<Point | null>(null);
  const [retiring, setRetiring] = useState<string | null>(null);
  const [site, setSite] = useState<{ id: string; name: string; municipality: string; address: string; postcode: string; town: string; route: string; deliveryWeekday: number | null } | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [note, setNote] = useState('');
  if (!data) return <PageState error={error} />;
  const done = (message: string) => (setFailure(null), setNote(message), setTick((n) => n + 1));
  const savePoint = (e: FormEvent) => {
    e.preventDefault();
    if (!point) return;
    call('places.savePoint', point).then(() => (setPoint(null), done(t('places.pointSaved', { name: point.name }))), setFailure);
  };
  const saveSite = (e: FormEvent) => {
    e.preventDefault();
    if (!site) return;
    call('places.saveSite', { ...site, route: site.route || null, deliveryWeekday: site.route ? (site.deliveryWeekday ?? 1) : null }).then(() => (setSite(null), done(t('places.siteSaved', { name: site.name }))), setFailure);
  };
  const field = (key: keyof Point, label: string, extra: Partial<React.InputHTMLAttributes<HTMLInputElement>> = {}) => (
    <label>
      {label}
      <input value={String(point![key] ?? '')} onChange={(e) => setPoint({ ...point!, [key]: e.target.value })} required {...extra} />
    </label>
  );
  return (
    <main id="main" className="page">
      <h1>{t('places.title')}</h1>
      <p className="muted">{t('places.help')}</p>
      <ErrorNote error={failure} />
      {note && (
        <p role="status" data-testid="places-note">
          {note}
        </p>
      )}

      <section aria-labelledby="points">
        <h2 id="points">{t('places.points')}</h2>
        <button type="button" onClick={() => setPoint(NEW_POINT)}>
          {t('places.newPoint')}
        </button>
        {point && (
          <form className="settings-form" aria-label={point.id ? t('places.editPoint', { name: point.name }) : t('places.newPoint')} onSubmit={savePoint}>
            <div className="form-row">
              {field('name', t('places.name'), { maxLength: 80 })}
              {field('address', t('places.address'), { maxLength: 120 })}
              {field('postcode', t('places.postcode'), { maxLength: 6, inputMode: 'numeric' })}
              {field('town', t('places.town'), { maxLength: 60 })}
            </div>
            <div className="form-row">
              {field('municipality', t('places.municipality'), { maxLength: 60 })}
              {field('route', t('places.route'), { maxLength: 60 })}
              <WeekdaySelect value={point.weekday} onChange={(weekday) => setPoint({ ...point, weekday })} />
              <button type="submit" className="primary">
                {t('places.save')}
              </button>
              <button type="button" className="ghost" onClick={() => setPoint(null)}>
                {t('places.cancel')}
              </button>
            </div>
          </form>
        )}
        <table className="table" data-testid="delivery-points">
          <thead>
            <tr>
              <th scope="col">{t('places.name')}</th>
              <th scope="col">{t('places.address')}</th>
              <th scope="col">{t('places.route')}</th>
              <th scope="col">{t('places.changed')}</th>
              <th scope="col">
                <span className="visually-hidden">{t('places.actions')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {data.points.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name} {p.retiredAt !== null && <span className="muted">({t('places.retired')})</span>}
                </td>
                <td>
                  {p.address}, {p.postcode} {p.town}
                </td>
                <td>
                  {p.route}, {t(dayKey(p.weekday))}
                </td>
                <td>{p.changedBy ? `${p.changedBy}, ${formatDateTime(p.changedAt ?? 0)}` : ''}</td>
                <td>
                  {p.retiredAt === null && (
                    <>
                      <button type="button" className="ghost" onClick={() => setPoint({ ...p })} aria-label={t('places.editPoint', { name: p.name })}>
                        {t('places.edit')}
                      </button>
                      {retiring === p.id ? (
                        <>
                          <button type="button" className="danger" onClick={() => call('places.retirePoint', { id: p.id }).then(() => (setRetiring(null), done(t('places.pointRetired', { name: p.name }))), setFailure)}>
                            {t('places.confirmRetire')}
                          </button>
                          <button type="button" className="ghost" onClick={() => setRetiring(null)}>
                            {t('places.cancel')}
                          </button>
                        </>
                      ) : (
                        <button type="button" className="ghost" onClick={() => setRetiring(p.id)} aria-label={t('places.retirePoint', { name: p.name })}>
                          {t('places.retire')}
                        </button>
                      )}
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      <section aria-labelledby="sites">
        <h2 id="sites">{t('places.sites')}</h2>
        {site && (
          <form className="settings-form" aria-label={t('places.editSite', { name: site.name })} onSubmit={saveSite}>
            <div className="form-row">
              <label>
                {t('places.name')}
                <input value={site.name} onChange={(e) => setSite({ ...site, name: e.target.value })} required maxLength={80} />
              </label>
              <label>
                {t('places.municipality')}
                <input value={site.municipality} onChange={(e) => setSite({ ...site, municipality: e.target.value })} required maxLength={60} />
              </label>
              <label>
                {t('places.address')}
                <input value={site.address} onChange={(e) => setSite({ ...site, address: e.target.value })} maxLength={120} />
              </label>
              <label>
                {t('places.postcode')}
                <input value={site.postcode} onChange={(e) => setSite({ ...site, postcode: e.target.value })} maxLength={6} inputMode="numeric" />
              </label>
              <label>
                {t('places.town')}
                <input value={site.town} onChange={(e) => setSite({ ...site, town: e.target.value })} maxLength={60} />
              </label>
            </div>
            <div className="form-row">
              <label>
                {t('places.siteRoute')}
                <input value={site.route} onChange={(e) => setSite({ ...site, route: e.target.value })} maxLength={60} />
              </label>
              <WeekdaySelect value={site.deliveryWeekday ?? 1} onChange={(deliveryWeekday) => setSite({ ...site, deliveryWeekday })} disabled={!site.route} />
              <button type="submit" className="primary">
                {t('places.save')}
              </button>
              <button type="button" className="ghost" onClick={() => setSite(null)}>
                {t('places.cancel')}
              </button>
            </div>
          </form>
        )}
        <table className="table" data-testid="sites">
          <thead>
            <tr>
              <th scope="col">{t('places.site')}</th>
              <th scope="col">{t('places.address')}</th>
              <th scope="col">{t('places.siteRoute')}</th>
              <th scope="col">{t('places.changed')}</th>
              {admin && (
                <th scope="col">
                  <span className="visually-hidden">{t('places.actions')}</span>
                </th>
              )}
            </tr>
          </thead>
          <tbody>
            {data.sites.map((s) => (
              <tr key={s.id}>
                <td>
                  <span className="code">{s.code}</span> {s.name} · {s.municipality}
                </td>
                <td>{s.address ? `${s.address}, ${s.postcode ?? ''} ${s.town ?? ''}` : ''}</td>
                <td>{s.route ? `${s.route}, ${t(dayKey(s.deliveryWeekday))}` : ''}</td>
                <td>{s.changedBy ? `${s.changedBy}, ${formatDateTime(s.changedAt ?? 0)}` : ''}</td>
                {admin && (
                  <td>
                    <button
                      type="button"
                      className="ghost"
                      aria-label={t('places.editSite', { name: s.name })}
                      onClick={() => setSite({ id: s.id, name: s.name, municipality: s.municipality, address: s.address ?? '', postcode: s.postcode ?? '', town: s.town ?? '', route: s.route ?? '', deliveryWeekday: s.deliveryWeekday })}
                    >
                      {t('places.edit')}
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
