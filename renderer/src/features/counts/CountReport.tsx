import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { BarChartFigure } from '../../components/Charts';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { kronor, percent, wholeKronor } from '../../format';

/** The count's report: accuracy per zone (a chart and a table), variance value, individuals found and missing; CSV, XLSX and PDF. */
export function CountReport({ countId, version }: { countId: string; version: unknown }) {
  const { t } = useTranslation();
  const { data: r } = useCall('count.report', { countId }, [countId, version]);
  const [files, setFiles] = useState<Record<string, { url: string; fileName: string }>>({});
  const [error, setError] = useState<unknown>(null);
  if (!r || r.total.locations === 0) return null; // nothing counted yet
  const make = (format: 'csv' | 'xlsx' | 'pdf') => void call('count.export', { countId, format }).then((f) => setFiles((x) => ({ ...x, [format]: f })), setError);
  return (
    <section aria-labelledby="report-h">
      <h2 id="report-h">{t('counts.report')}</h2>
      <p data-testid="report-total">
        {t('counts.reportTotal', { accuracy: percent(r.total.accuracy), locations: r.total.locations, lines: r.total.lines, variances: r.total.variances, value: wholeKronor(r.total.value), missing: r.total.missing, found: r.total.found })}
      </p>
      <BarChartFigure
        testId="chart-accuracy"
        title={t('counts.accuracyChart')}
        unit={t('chart.percent')}
        category={t('counts.zone')}
        categories={r.zones.map((z) => z.zoneCode)}
        series={[{ key: 'accuracy', name: t('counts.accuracy'), values: r.zones.map((z) => Math.round(z.accuracy * 1000) / 10), color: 'var(--ok)' }]}
        max={100}
      />
      <table className="lines" data-testid="report-zones">
        <thead>
          <tr>
            <th scope="col">{t('counts.zone')}</th>
            <th scope="col">{t('counts.locations')}</th>
            <th scope="col">{t('counts.lines')}</th>
            <th scope="col">{t('counts.variances')}</th>
            <th scope="col">{t('counts.accuracy')}</th>
            <th scope="col">{t('counts.value')}</th>
          </tr>
        </thead>
        <tbody>
          {r.zones.map((z) => (
            <tr key={z.zoneCode}>
              <td><span className="code">{z.zoneCode}</span> {z.zoneName}</td>
              <td>{z.locations}</td>
              <td>{z.lines}</td>
              <td>{z.variances}</td>
              <td>{percent(z.accuracy)}</td>
              <td>{kronor(z.value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        {(['csv', 'xlsx', 'pdf'] as const).map((f) =>
          files[f] ? (
            <a key={f} href={files[f].url} download={files[f].fileName} data-testid={`report-${f}`}>{t('counts.download', { format: f.toUpperCase() })}</a>
          ) : (
            <button key={f} type="button" className="ghost" onClick={() => make(f)}>{t('counts.export', { format: f.toUpperCase() })}</button>
          ),
        )}
      </div>
      <ErrorNote error={error} />
    </section>
  );
}
