import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call, CallFailed } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatDate, formatDateTime } from '../../i18n';

/** A day (`YYYY-MM-DD`) as the user's language writes it. */
const dayText = (day: string) => formatDate(Date.parse(`${day}T12:00:00Z`));
import { useScans } from '../../scanning/useScans';
import { compareSwedish } from '../../format';

type List = CallOutput<'pickups.list'>;
type Pickup = List['pickups'][number];

/**
 * Hämtorder: order the collection of a device on loan (scan its label or type its number); the
 * core puts it on its route's next collection day by the delivery rules. The collection list of a
 * day, by route, prints each pick-up's return label (returlapp). A pick-up is collected when the
 * device is taken in at Retur.
 */
export function PickupsPage() {
  const { t } = useTranslation();
  const [list, setList] = useState<List | null>(null);
  const [day, setDay] = useState<string | null>(null);
  const [device, setDevice] = useState('');
  const [where, setWhere] = useState({ pickupPoint: '', municipality: '', route: '' });
  const [askWhere, setAskWhere] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  /** The pick-up whose cancelling waits for a yes, asked beside its button. */
  const [cancelling, setCancelling] = useState<string | null>(null);

  /** The routes this site runs, for a pick-up whose loan is not known here. */
  const [routes, setRoutes] = useState<string[]>([]);
  /** The site's delivery points: choosing one fills in its municipality and route. */
  const [points, setPoints] = useState<{ name: string; municipality: string; route: string }[]>([]);
  useEffect(() => {
    if (askWhere)
      Promise.all([call('picking.routes', {}), call('places.list', {})]).then(([r, p]) => {
        setPoints(p.points.filter((x) => x.retiredAt === null));
        setRoutes([...new Set([...r.map((x) => x.route), ...p.points.map((x) => x.route)])].sort(compareSwedish));
      }, setError);
  }, [askWhere]);

  const load = useCallback(async () => {
    await call('pickups.list', { collectionDay: day }).then((l) => {
      setList(l);
      if (!day && l.collectionDay) setDay(l.collectionDay);
    }, setError);
  }, [day]);
  useEffect(() => void load(), [load]);

  const order = async (individual: string) => {
    setError(null);
    setDone(null);
    try {
      const extra = askWhere ? { pickupPoint: where.pickupPoint || null, municipality: where.municipality || null, route: where.route || null } : {};
      const p = await call('pickups.order', { individual, ...extra });
      setDevice('');
      setAskWhere(false);
      setDay(p.collectionDay);
      if (p.collectionDay === day) await load();
      setDone(t('pickups.ordered', { number: p.number, device: p.individualNumber, route: p.route, day: dayText(p.collectionDay) }));
    } catch (e) {
      // Where its loan went is not known here: ask for the place instead of a dead end.
      if (e instanceof CallFailed && e.error.code === 'pickups.where') setAskWhere(true);
      setError(e);
    }
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (device.trim()) void order(device.trim());
  };

  useScans((scan) => {
    if (scan.resolution?.kind === 'individual') void order(scan.resolution.individualNumber);
  });

  const print = async (p: Pickup) => {
    setError(null);
    setDone(null);
    try {
      await call('pickups.label', { pickupId: p.id });
      await load();
      setDone(t('pickups.printed', { number: p.number }));
    } catch (e) {
      setError(e);
    }
  };

  const cancel = async (p: Pickup) => {
    setCancelling(null);
    try {
      await call('pickups.cancel', { pickupId: p.id });
      await load();
    } catch (e) {
      setError(e);
    }
  };

  const listed = [...new Set((list?.pickups ?? []).map((p) => p.route))];
  return (
    <main id="main" className="page">
      <h1>{t('pickups.title')}</h1>
      <p className="muted">{t('pickups.help')}</p>
      <form className="form-row" onSubmit={submit}>
        <label>
          {t('pickups.device')}
          <input value={device} onChange={(e) => setDevice(e.target.value)} data-scan-field autoComplete="off" maxLength={64} />
        </label>
        {askWhere && (
          <>
            <label>
              {t('pickups.point')}
              <input
                value={where.pickupPoint}
                onChange={(e) => {
                  const known = points.find((p) => p.name === e.target.value);
                  setWhere(known ? { pickupPoint: known.name, municipality: known.municipality, route: known.route } : { ...where, pickupPoint: e.target.value });
                }}
                maxLength={120}
                required
                list="delivery-points"
              />
              <datalist id="delivery-points">
                {points.map((p) => (
                  <option key={p.name} value={p.name} />
                ))}
              </datalist>
            </label>
            <label>
              {t('pickups.municipality')}
              <input value={where.municipality} onChange={(e) => setWhere({ ...where, municipality: e.target.value })} maxLength={60} required />
            </label>
            <label>
              {t('pickups.route')}
              <select value={where.route} onChange={(e) => setWhere({ ...where, route: e.target.value })} required>
                <option value="">{t('pickups.chooseRoute')}</option>
                {routes.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </select>
            </label>
          </>
        )}
        <button type="submit" className="primary">
          {t('pickups.order')}
        </button>
      </form>
      <ErrorNote error={error} />
      {done && (
        <p className="note" role="status">
          {done}
        </p>
      )}
      <h2>{t('pickups.listTitle')}</h2>
      <div className="form-row" hidden={(list?.days.length ?? 0) === 0}>
        <label>
          {t('pickups.day')}
          <select value={day ?? ''} onChange={(e) => setDay(e.target.value || null)}>
            {(list?.days ?? []).map((d) => (
              <option key={`${d.route}|${d.collectionDay}`} value={d.collectionDay}>
                {dayText(d.collectionDay)} · {d.route} ({d.pickups})
              </option>
            ))}
          </select>
        </label>
      </div>
      {listed.length === 0 ? (
        <p className="muted">{t('pickups.none')}</p>
      ) : (
        listed.map((route) => (
          <section key={route} aria-labelledby={`route-${route}`}>
            <h3 id={`route-${route}`}>{route}</h3>
            <table className="table" data-testid="pickups">
              <thead>
                <tr>
                  <th scope="col">{t('pickups.number')}</th>
                  <th scope="col">{t('pickups.device')}</th>
                  <th scope="col">{t('pickups.point')}</th>
                  <th scope="col">{t('pickups.order_ref')}</th>
                  <th scope="col">{t('pickups.state')}</th>
                  <th scope="col">
                    <span className="visually-hidden">{t('pickups.action')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {(list?.pickups ?? [])
                  .filter((p) => p.route === route)
                  .map((p) => (
                    <tr key={p.id}>
                      <td>{p.number}</td>
                      <td>
                        {p.individualNumber} · {p.articleName}
                      </td>
                      <td>
                        {p.pickupPoint}, {p.municipality}
                      </td>
                      <td>{p.orderRef ?? '–'}</td>
                      <td>
                        {p.state === 'collected'
                          ? t('pickups.collectedAt', { at: formatDateTime(p.closedAt!) })
                          : p.labelPrintedAt
                            ? t('pickups.labelPrinted', { at: formatDateTime(p.labelPrintedAt) })
                            : t('pickups.states.ordered')}
                      </td>
                      <td>
                        {p.state === 'ordered' &&
                          (cancelling === p.id ? (
                            <span role="group" aria-label={t('pickups.cancelConfirm', { number: p.number, device: p.individualNumber })}>
                              {t('pickups.cancelConfirm', { number: p.number, device: p.individualNumber })}{' '}
                              <button type="button" className="danger" onClick={() => void cancel(p)}>
                                {t('pickups.cancelYes')}
                              </button>{' '}
                              <button type="button" onClick={() => setCancelling(null)}>
                                {t('pickups.cancelNo')}
                              </button>
                            </span>
                          ) : (
                            <>
                              <button type="button" className="primary" onClick={() => void print(p)}>
                                {p.labelPrintedAt ? t('pickups.reprint') : t('pickups.print')}
                              </button>{' '}
                              <button type="button" onClick={() => setCancelling(p.id)}>
                                {t('pickups.cancel')}
                              </button>
                            </>
                          ))}
                      </td>
                    </tr>
                  ))}
              </tbody>
            </table>
          </section>
        ))
      )}
    </main>
  );
}
