import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatNumber } from '../../i18n';
import { localDay } from '../../../../vocabulary/calendar';

type Summary = CallOutput<'rentals.list'>;
type File = CallOutput<'rentals.export'>;

/** Hyror: the rental periods of a month per municipality (delivered to returned), and the same as CSV or XLSX for invoicing. */
export function RentalsPage() {
  const { t } = useTranslation();
  const [month, setMonth] = useState(() => localDay(Date.now()).slice(0, 7));
  const [municipality, setMunicipality] = useState('');
  const [summary, setSummary] = useState<Summary | null>(null);
  const [files, setFiles] = useState<Partial<Record<'csv' | 'xlsx', File>>>({});
  const [error, setError] = useState<unknown>(null);
  const valid = /^20\d{2}-(0[1-9]|1[0-2])$/.test(month);

  useEffect(() => {
    setFiles({});
    if (!valid) return;
    call('rentals.list', { month, municipality: municipality || null }).then((r) => {
      setSummary(r);
      setError(null);
    }, setError);
  }, [month, municipality, valid]);

  const municipalities = summary?.municipalities.map((m) => m.municipality) ?? [];
  const shown = summary?.periods ?? [];
  const total = summary?.total ?? { periods: 0, days: 0 };
  const make = (format: 'csv' | 'xlsx') =>
    void call('rentals.export', { month, municipality: municipality || null, format }).then((f) => setFiles((x) => ({ ...x, [format]: f })), setError);

  return (
    <main id="main" className="page">
      <h1>{t('rentals.title')}</h1>
      <p className="muted">{t('rentals.help')}</p>
      <div className="form-row">
        <label className="field inline">
          {t('rentals.month')}
          <input type="month" value={month} onChange={(e) => setMonth(e.target.value)} />
        </label>
        <label className="field inline">
          {t('rentals.municipality')}
          <select value={municipality} onChange={(e) => { setMunicipality(e.target.value); setFiles({}); }}>
            <option value="">{t('rentals.all')}</option>
            {municipalities.map((m) => (
              <option key={m} value={m}>
                {m}
              </option>
            ))}
          </select>
        </label>
        {(['csv', 'xlsx'] as const).map((f) =>
          files[f] ? (
            <a key={f} href={files[f].url} download={files[f].fileName} data-testid={`rentals-${f}`}>
              {t('rentals.download', { format: f.toUpperCase() })}
            </a>
          ) : (
            <button key={f} type="button" disabled={!valid} onClick={() => make(f)}>
              {t('rentals.make', { format: f.toUpperCase() })}
            </button>
          ),
        )}
      </div>
      <ErrorNote error={error} />
      <p data-testid="rentals-total">{t('rentals.total', { count: total.periods, days: total.days })}</p>
      {shown.length > 0 && (
        <table className="table" data-testid="rentals">
          <thead>
            <tr>
              <th scope="col">{t('rentals.municipality')}</th>
              <th scope="col">{t('rentals.individual')}</th>
              <th scope="col">{t('rentals.article')}</th>
              <th scope="col">{t('rentals.order')}</th>
              <th scope="col">{t('rentals.from')}</th>
              <th scope="col">{t('rentals.to')}</th>
              <th scope="col" className="num">{t('rentals.days')}</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((p) => (
              <tr key={`${p.individualNumber}|${p.from}`}>
                <td>{p.municipality}</td>
                <td className="nowrap">{p.individualNumber}</td>
                <td>
                  {p.articleNumber} {p.articleName}
                </td>
                <td className="nowrap">{p.orderRef ?? ''}</td>
                <td className="nowrap">{p.from}</td>
                <td className="nowrap">{p.to ?? t('rentals.out')}</td>
                <td className="num">{formatNumber(p.days)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {total.periods > shown.length && <p className="muted">{t('rentals.more', { count: total.periods - shown.length })}</p>}
    </main>
  );
}
