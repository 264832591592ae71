import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatNumber } from '../../i18n';

type Recall = CallOutput<'lots.recall'>;

/** A safety notice for bulk goods: one lot, where every unit of it is, and which orders it went out on. */
export function LotRecall({ articleId }: { articleId: string }) {
  const { t } = useTranslation();
  const { data: me } = useCall('auth.me', {}, []);
  const [lot, setLot] = useState('');
  const [recall, setRecall] = useState<Recall | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!me || !['supervisor', 'admin', 'technician'].includes(me.role)) return null;
  const find = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      setRecall(await call('lots.recall', { articleId, lot: lot.trim() }));
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="lot-recall">
      <h2 id="lot-recall">{t('lots.recallTitle')}</h2>
      <form className="settings-form" onSubmit={find}>
        <label>
          {t('article.lot')}
          <input value={lot} onChange={(e) => setLot(e.target.value)} maxLength={64} required />
        </label>
        <button type="submit">{t('trace.find')}</button>
      </form>
      <ErrorNote error={error} />
      {recall && (
        <>
          <p role="status">
            {t('lots.recallFound', {
              lot: recall.lot,
              stock: recall.stock.reduce((n, s) => n + s.quantity, 0),
              out: recall.out.reduce((n, o) => n + o.quantity, 0),
              orders: recall.out.length,
            })}
          </p>
          <table className="lines" data-testid="recall-stock">
            <caption>{t('lots.inStock')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('article.site')}</th>
                <th scope="col">{t('article.location')}</th>
                <th scope="col" className="num">{t('article.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {recall.stock.map((s) => (
                <tr key={`${s.site}|${s.locationCode}`}>
                  <td>{s.site}</td>
                  <td>{s.locationCode}</td>
                  <td className="num">{formatNumber(s.quantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="lines" data-testid="recall-out">
            <caption>{t('lots.wentOut')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('lots.order')}</th>
                <th scope="col">{t('lots.deliveryPoint')}</th>
                <th scope="col">{t('lots.day')}</th>
                <th scope="col" className="num">{t('article.quantity')}</th>
              </tr>
            </thead>
            <tbody>
              {recall.out.map((o) => (
                <tr key={`${o.orderRef ?? ''}|${o.day}`}>
                  <td>{o.orderRef ?? '–'}</td>
                  <td>{o.deliveryPoint ?? '–'}</td>
                  <td>{o.day}</td>
                  <td className="num">{formatNumber(o.quantity)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
