import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PageState } from '../../components/PageState';
import { useCall } from '../../components/useCall';
import { BarChartFigure } from '../../components/Charts';
import { formatNumber } from '../../i18n';
import { isoWeek } from '../../../../vocabulary/calendar';

/** The workshop's figures for supervisors: throughput, breaches, the queue and its age, scrap rate per article. */
export function WorkshopPage() {
  const { t } = useTranslation();
  const [weeks, setWeeks] = useState(26);
  const { data: c, error } = useCall('service.charts', { weeks }, [weeks]);
  const buckets = t('workshop.ageBuckets', { returnObjects: true }) as string[];
  return (
    <main id="main" className="page">
      <h1>{t('workshop.title')}</h1>
      <label className="field">
        {t('workshop.weeks')}
        <select value={weeks} onChange={(e) => setWeeks(Number(e.target.value))}>
          {[8, 13, 26, 52].map((n) => <option key={n} value={n}>{n}</option>)}
        </select>
      </label>
      {!c ? (
        <PageState error={error} />
      ) : (
        <>
          <section aria-labelledby="tp-h">
            <h2 id="tp-h">{t('workshop.throughput')}</h2>
            <BarChartFigure
              testId="chart-throughput"
              title={t('workshop.throughput')}
              unit={t('chart.pieces')}
              category={t('chart.week')}
              categories={c.weeks.map((w) => t('workshop.weekOf', { week: isoWeek(w.week) }))}
              stacked
              series={[
                { key: 'ready', name: t('workshop.ready'), values: c.weeks.map((w) => w.ready), color: 'var(--ok)' },
                { key: 'scrapped', name: t('workshop.scrapped'), values: c.weeks.map((w) => w.scrapped), color: '#b7791f' },
              ]}
            />
          </section>
          <section aria-labelledby="br-h">
            <h2 id="br-h">{t('workshop.breaches')}</h2>
            <BarChartFigure
              testId="chart-breaches"
              title={t('workshop.breaches')}
              unit={t('chart.pieces')}
              category={t('chart.week')}
              categories={c.weeks.map((w) => t('workshop.weekOf', { week: isoWeek(w.week) }))}
              series={[{ key: 'breaches', name: t('service.clock.breached'), values: c.weeks.map((w) => w.breaches), color: 'var(--err)' }]}
            />
          </section>
          <section aria-labelledby="q-h">
            <h2 id="q-h">{t('workshop.queue')}</h2>
            <table className="lines" data-testid="queue-figures">
              <thead>
                <tr>
                  <th scope="col">{t('service.state')}</th>
                  <th scope="col">{t('workshop.count')}</th>
                  <th scope="col">{t('workshop.mean')}</th>
                  <th scope="col">{t('workshop.oldest')}</th>
                </tr>
              </thead>
              <tbody>
                {c.queue.map((q) => (
                  <tr key={q.state}>
                    <td>{t(`service.states.${q.state}`)}</td>
                    <td>{formatNumber(q.count)}</td>
                    <td>{t('workshop.hours', { count: q.meanHours })}</td>
                    <td>{t('workshop.hours', { count: q.oldestHours })}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            <h3>{t('workshop.ages')}</h3>
            <BarChartFigure
              testId="chart-ages"
              title={t('workshop.ages')}
              unit={t('chart.pieces')}
              category={t('chart.ageGroup')}
              categories={buckets}
              series={[{ key: 'count', name: t('workshop.count'), values: c.ages, color: 'var(--accent)' }]}
            />
          </section>
          <section aria-labelledby="scrap-h">
            <h2 id="scrap-h">{t('workshop.scrapRate')}</h2>
            <table className="lines" data-testid="scrap-rate">
              <thead>
                <tr>
                  <th scope="col">{t('workshop.article')}</th>
                  <th scope="col">{t('workshop.done')}</th>
                  <th scope="col">{t('workshop.scrapped')}</th>
                  <th scope="col">{t('workshop.rate')}</th>
                </tr>
              </thead>
              <tbody>
                {c.scrap.map((s) => (
                  <tr key={s.articleId}>
                    <td>{s.articleName}</td>
                    <td>{formatNumber(s.done)}</td>
                    <td>{formatNumber(s.scrapped)}</td>
                    <td>
                      <meter min={0} max={1} value={s.rate} aria-label={s.articleName} /> {Math.round(s.rate * 100)} %
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </main>
  );
}
