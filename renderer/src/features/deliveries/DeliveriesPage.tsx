import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatDateTime, formatNumber } from '../../i18n';
import { useScans } from '../../scanning/useScans';
import { RouteSelect } from '../workflows/deliveryRoutes';
import { localDay } from '../../../../vocabulary/calendar';

type Routes = CallOutput<'picking.routes'>;
type Row = CallOutput<'deliveries.list'>[number];

/**
 * Leveranser: the customers' pallets of a route and day, by delivery point. The driver scans a
 * pallet's SSCC where it is handed over, or the station marks a pallet, or a whole delivery point,
 * delivered; the core puts every device on it on loan from that moment and says so.
 */
export function DeliveriesPage() {
  const { t } = useTranslation();
  const [routes, setRoutes] = useState<Routes>([]);
  const [chosen, setChosen] = useState('');
  const [rows, setRows] = useState<Row[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<string | null>(null);
  const [route = '', deliveryDay = ''] = chosen.split('|');

  useEffect(() => {
    call('picking.routes', {}).then((r) => {
      setRoutes(r);
      const today = localDay(Date.now());
      const first = r.find((x) => x.deliveryDay >= today) ?? r[0];
      if (first) setChosen(`${first.route}|${first.deliveryDay}`);
    }, setError);
  }, []);

  const load = useCallback(async () => {
    if (!route || !deliveryDay) return;
    await call('deliveries.list', { route, deliveryDay }).then(setRows, setError);
  }, [route, deliveryDay]);
  useEffect(() => void load(), [load]);

  /** Says what was delivered only once the list shows it, so the line and the table never disagree. */
  const deliver = async (ssccs: string[]) => {
    setError(null);
    setDone(null);
    let said: string | null = null;
    try {
      let items = 0;
      for (const sscc of ssccs) items += (await call('deliveries.confirm', { idOrSscc: sscc })).items.reduce((n, i) => n + i.quantity, 0);
      said = t('deliveries.done', { count: ssccs.length, items });
    } catch (e) {
      setError(e);
    }
    await load();
    setDone(said);
  };

  useScans((scan) => {
    if (scan.resolution?.kind === 'pallet') void deliver([scan.resolution.sscc]);
  });

  const points = [...new Set(rows.map((r) => r.deliveryPoint))];
  return (
    <main id="main" className="page">
      <h1>{t('deliveries.title')}</h1>
      <p className="muted">{t('deliveries.help')}</p>
      <div className="form-row">
        <RouteSelect routes={routes} chosen={chosen} onChange={setChosen} />
      </div>
      <ErrorNote error={error} />
      {done && (
        <p className="note" role="status">
          {done}
        </p>
      )}
      {rows.length === 0 ? (
        <p className="muted">{t('deliveries.none')}</p>
      ) : (
        points.map((point) => {
          const here = rows.filter((r) => r.deliveryPoint === point);
          const waiting = here.filter((r) => r.state === 'closed').map((r) => r.sscc);
          return (
            <section key={point} aria-labelledby={`point-${point}`}>
              <div className="form-row">
                <h2 id={`point-${point}`}>
                  {point}, {here[0]!.municipality}
                </h2>
                {waiting.length > 1 && (
                  <button type="button" onClick={() => void deliver(waiting)}>
                    {t('deliveries.allAt', { count: waiting.length })}
                  </button>
                )}
              </div>
              <table className="table" data-testid="deliveries">
                <thead>
                  <tr>
                    <th scope="col">{t('deliveries.sscc')}</th>
                    <th scope="col" className="num">{t('deliveries.items')}</th>
                    <th scope="col">{t('deliveries.state')}</th>
                    <th scope="col">
                      <span className="visually-hidden">{t('deliveries.action')}</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {here.map((r) => (
                    <tr key={r.id}>
                      <td>{r.sscc}</td>
                      <td className="num">{formatNumber(r.items)}</td>
                      <td>
                        {r.state === 'delivered'
                          ? t('deliveries.deliveredAt', { at: formatDateTime(r.deliveredAt!), by: r.deliveredBy ?? '' })
                          : t(`pallet.states.${r.state}`)}
                      </td>
                      <td>
                        {r.state === 'closed' && (
                          <button type="button" className="primary" onClick={() => void deliver([r.sscc])}>
                            {t('deliveries.confirm')}
                          </button>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
          );
        })
      )}
    </main>
  );
}
