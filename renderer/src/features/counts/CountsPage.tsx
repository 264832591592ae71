import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput } from '../../../../api/contract';
import { call, subscribe } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';
import { href, navigate } from '../../router';
import { CyclePlan } from './CyclePlan';

type Kind = CallInput<'count.plan'>['kind'];

/** The site's inventory counts; supervisors plan new ones here. */
export function CountsPage({ siteId, supervisor }: { siteId: string; supervisor: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  useEffect(() => subscribe((e) => e.type === 'count.changed' && setTick((n) => n + 1)), []);
  const { data: counts, error } = useCall('count.list', {}, [tick]);
  return (
    <main id="main" className="page">
      <h1>{t('counts.title')}</h1>
      <ErrorNote error={error} />
      {supervisor && <PlanCount siteId={siteId} />}
      {supervisor && <CyclePlan />}
      <section aria-labelledby="counts-h">
        <h2 id="counts-h">{t('counts.list')}</h2>
        {counts && counts.length === 0 && <p className="muted">{t('counts.none')}</p>}
        <table className="lines" data-testid="counts">
          <thead>
            <tr>
              <th scope="col">{t('counts.count')}</th>
              <th scope="col">{t('counts.kind')}</th>
              <th scope="col">{t('counts.state')}</th>
              <th scope="col">{t('counts.progress')}</th>
            </tr>
          </thead>
          <tbody>
            {(counts ?? []).map((c) => (
              <tr key={c.id}>
                <td><a href={href('count', c.id)}>{c.number}</a> {c.title !== c.number && c.title} <span className="muted">{formatDateTime(c.createdAt)}</span></td>
                <td>{t(`counts.kinds.${c.kind}`)}</td>
                <td>{t(`counts.states.${c.state}`)}</td>
                <td>{t('counts.done', { done: c.progress.byState.counted + c.progress.byState.recounted, total: c.progress.total })}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}

/** Planning a count: what to count, blind or not, and when a variance goes to a recount. */
function PlanCount({ siteId }: { siteId: string }) {
  const { t } = useTranslation();
  const { data: locations } = useCall('locations.list', { siteId }, [siteId]);
  const zones = (locations ?? []).filter((l) => l.level === 'zone' && !l.retired_at);
  const [kind, setKind] = useState<Kind>('zone');
  const [zoneId, setZoneId] = useState('');
  const [codes, setCodes] = useState('');
  const [title, setTitle] = useState('');
  const [blind, setBlind] = useState(true);
  const [quantity, setQuantity] = useState('0');
  const [value, setValue] = useState('0');
  const [error, setError] = useState<unknown>(null);
  const submit = async () => {
    const byCode = new Map((locations ?? []).map((l) => [l.code.toUpperCase(), l.id]));
    const wanted = codes.split(/[\s,;]+/).filter(Boolean);
    const unknown = wanted.filter((c) => !byCode.has(c.toUpperCase()));
    if ((kind === 'locations' || kind === 'spot') && unknown.length) throw new Error(t('counts.unknownCodes', { codes: unknown.join(', ') }));
    const c = await call('count.plan', {
      kind,
      title: title || null,
      zoneId: kind === 'zone' ? zoneId || zones[0]?.id || null : null,
      locationIds: kind === 'locations' || kind === 'spot' ? wanted.map((w) => byCode.get(w.toUpperCase())!) : undefined,
      blind,
      thresholdQuantity: Number(quantity) || 0,
      thresholdValueSek: Number(value) || 0,
    });
    navigate(href('count', c.id));
  };
  return (
    <details open>
      <summary>{t('counts.plan')}</summary>
      <form className="stack-form" onSubmit={(e) => (e.preventDefault(), void submit().catch(setError))}>
        <label>
          {t('counts.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
            {(['site', 'zone', 'locations', 'spot'] as const).map((k) => <option key={k} value={k}>{t(`counts.kinds.${k}`)}</option>)}
          </select>
        </label>
        {kind === 'zone' && (
          <label>
            {t('counts.zone')}
            <select value={zoneId || zones[0]?.id || ''} onChange={(e) => setZoneId(e.target.value)}>
              {zones.map((z) => <option key={z.id} value={z.id}>{z.code} {z.name}</option>)}
            </select>
          </label>
        )}
        {(kind === 'locations' || kind === 'spot') && (
          <label>
            {t('counts.codes')}
            <textarea rows={2} value={codes} onChange={(e) => setCodes(e.target.value)} required />
          </label>
        )}
        <label>{t('counts.titleInput')}<input value={title} onChange={(e) => setTitle(e.target.value)} /></label>
        <label>{t('counts.thresholdQuantity')}<input inputMode="numeric" value={quantity} onChange={(e) => setQuantity(e.target.value)} /></label>
        <label>{t('counts.thresholdValue')}<input inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} /></label>
        <label className="check"><input type="checkbox" checked={blind} onChange={(e) => setBlind(e.target.checked)} /> {t('counts.blind')}</label>
        <button type="submit">{t('counts.create')}</button>
      </form>
      <ErrorNote error={error} />
    </details>
  );
}
