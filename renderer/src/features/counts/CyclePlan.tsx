import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { BarChartFigure } from '../../components/Charts';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { href, navigate } from '../../router';

type Policy = CallInput<'count.cycleSchedule'>;

/** Cycle counts by ABC class: the classes, the year's schedule week by week, and this week's count. */
export function CyclePlan() {
  const { t } = useTranslation();
  const [policy, setPolicy] = useState<Policy>({ basis: 'value', perYear: { A: 4, B: 2, C: 1 } });
  const { data: s, error } = useCall('count.cycleSchedule', policy, [policy.basis, policy.perYear.A, policy.perYear.B, policy.perYear.C]);
  const [failed, setFailed] = useState<unknown>(null);
  const per = (k: 'A' | 'B' | 'C', v: string) => setPolicy((p) => ({ ...p, perYear: { ...p.perYear, [k]: Math.max(0, Math.min(52, Number(v) || 0)) } }));
  return (
    <details>
      <summary>{t('counts.cycle')}</summary>
      <div className="inline-form">
        <label>
          {t('counts.basis')}
          <select value={policy.basis} onChange={(e) => setPolicy((p) => ({ ...p, basis: e.target.value as Policy['basis'] }))}>
            <option value="value">{t('counts.basisValue')}</option>
            <option value="movements">{t('counts.basisMovements')}</option>
          </select>
        </label>
        {(['A', 'B', 'C'] as const).map((k) => (
          <label key={k}>
            {t('counts.perYear', { abc: k })}
            <input inputMode="numeric" size={3} value={policy.perYear[k]} onChange={(e) => per(k, e.target.value)} />
          </label>
        ))}
      </div>
      <ErrorNote error={error ?? failed} />
      {s && (
        <>
          <table className="lines" data-testid="abc-classes">
            <thead>
              <tr><th scope="col">{t('counts.abc')}</th><th scope="col">{t('counts.articles')}</th><th scope="col">{t('counts.locations')}</th><th scope="col">{t('counts.timesAYear')}</th></tr>
            </thead>
            <tbody>
              {(['A', 'B', 'C'] as const).map((k) => (
                <tr key={k}><td>{k}</td><td>{s.classes[k].articles}</td><td>{s.classes[k].locations}</td><td>{s.classes[k].perYear}</td></tr>
              ))}
            </tbody>
          </table>
          <BarChartFigure
            testId="chart-cycle"
            title={t('counts.perWeek')}
            unit={t('chart.pieces')}
            category={t('chart.week')}
            categories={s.perWeek.map((_, i) => String(i + 1))}
            series={[{ key: 'locations', name: t('counts.locations'), values: s.perWeek, color: 'var(--accent)' }]}
          />
          <button type="button" disabled={s.due.length === 0} onClick={() => void call('count.startCycle', policy).then((c) => navigate(href('count', c.id)), setFailed)}>
            {t('counts.startCycle', { week: s.week, count: s.due.length })}
          </button>
        </>
      )}
    </details>
  );
}
