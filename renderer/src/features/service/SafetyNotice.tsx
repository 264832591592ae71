import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';

type Result = CallOutput<'service.safetyNotice'>;

/** For a safety notice: where every individual of this article (a lot, a serial range) is, with a CSV to send on. */
export function SafetyNotice({ articleId, articleNumber }: { articleId: string; articleNumber: string }) {
  const { t } = useTranslation();
  const { data: me } = useCall('auth.me', {}, []);
  const [lot, setLot] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [result, setResult] = useState<(Result & { url: string }) | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!me || !['supervisor', 'admin', 'technician'].includes(me.role)) return null;
  const find = async (e: React.FormEvent) => {
    e.preventDefault();
    try {
      const r = await call('service.safetyNotice', { articleId, lot: lot.trim() || null, serialFrom: from.trim() || null, serialTo: to.trim() || null });
      if (result) URL.revokeObjectURL(result.url);
      setResult({ ...r, url: URL.createObjectURL(new Blob([r.csv], { type: 'text/csv;charset=utf-8' })) });
      setError(null);
    } catch (err) {
      setError(err);
    }
  };
  return (
    <section aria-labelledby="safety-notice">
      <h2 id="safety-notice">{t('trace.title')}</h2>
      <form className="settings-form" onSubmit={find}>
        <label>{t('trace.lot')}<input value={lot} onChange={(e) => setLot(e.target.value)} /></label>
        <label>{t('trace.serialFrom')}<input value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label>{t('trace.serialTo')}<input value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <button type="submit">{t('trace.find')}</button>
      </form>
      <ErrorNote error={error} />
      {result && (
        <>
          <p role="status">
            {t('trace.found', { count: result.rows.length })}{' '}
            <a href={result.url} download={`sakerhetsmeddelande-${articleNumber}.csv`}>{t('trace.download')}</a>
          </p>
          <table className="lines" data-testid="trace">
            <thead>
              <tr>
                <th scope="col">{t('trace.individual')}</th>
                <th scope="col">{t('trace.serial')}</th>
                <th scope="col">{t('trace.where')}</th>
              </tr>
            </thead>
            <tbody>
              {result.rows.map((r) => (
                <tr key={r.individualNumber}>
                  <td className="code">{r.individualNumber}</td>
                  <td>{r.serialNumber ?? '—'}</td>
                  <td>{r.location ? `${r.site ?? ''} ${r.location}` : r.orderRef ? t('trace.outWith', { order: r.orderRef }) : t(`status.${r.status}`, { defaultValue: r.status })}{r.serviceState ? ` · ${t(`service.states.${r.serviceState}`, { defaultValue: r.serviceState })}` : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
