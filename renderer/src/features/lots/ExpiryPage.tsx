import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatNumber } from '../../i18n';
import { ExpiryDate } from './ExpiryDate';

type Line = CallOutput<'lots.expiring'>[number];

/** Utgångsdatum: this site's lots that have expired (never picked or handed out) or expire within the days chosen. */
export function ExpiryPage() {
  const { t } = useTranslation();
  const [days, setDays] = useState(30);
  const [lines, setLines] = useState<Line[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    call('lots.expiring', { days }).then(setLines, setError);
  }, [days]);
  const expired = lines?.filter((l) => l.expired).length ?? 0;
  return (
    <main id="main" className="page">
      <h1>{t('lots.title')}</h1>
      <p className="muted">{t('lots.help')}</p>
      <div className="form-row">
        <label>
          {t('lots.within')}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 30, 90, 180].map((d) => (
              <option key={d} value={d}>
                {t('lots.days', { count: d })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <ErrorNote error={error} />
      {lines && (
        <p role="status">{t('lots.summary', { count: lines.length, expired })}</p>
      )}
      {lines && lines.length > 0 && (
        <table className="table" data-testid="expiry">
          <thead>
            <tr>
              <th scope="col">{t('lots.expires')}</th>
              <th scope="col">{t('article.number')}</th>
              <th scope="col">{t('individual.article')}</th>
              <th scope="col">{t('article.lot')}</th>
              <th scope="col">{t('article.location')}</th>
              <th scope="col" className="num">{t('article.quantity')}</th>
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={`${l.articleId}|${l.lot}|${l.locationCode}`}>
                <td>
                  <ExpiryDate day={l.expiresOn} />
                </td>
                <td>{l.articleNumber}</td>
                <td>{l.name}</td>
                <td>{l.lot}</td>
                <td>{l.locationCode}</td>
                <td className="num">{formatNumber(l.quantity)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
