import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { LocationKind, LocationLevel } from '../../../../db/schema';
import { KindSelect } from './KindSelect';
import { LEVELS } from './kinds';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { FormAnswer } from '../../components/FormAnswer';
import { useCall } from '../../components/useCall';
import { VirtualList } from '../../components/VirtualList';
import { formatNumber } from '../../i18n';
import { href } from '../../router';
import { locationByCode } from './ManageLocation';

const INDENT: Record<LocationLevel, number> = { zone: 0, aisle: 1, shelf: 2, bin: 3 };

/** A site's location tree; those who keep the shelves add single locations or whole ranges, and print their labels in one go. */
export function LocationsPage({ defaultSiteId, keeps }: { defaultSiteId: string; keeps: boolean }) {
  const { t } = useTranslation();
  const { data: sites } = useCall('stock.sites', {}, []);
  const [siteId, setSiteId] = useState(defaultSiteId);
  useEffect(() => setSiteId(defaultSiteId), [defaultSiteId]);
  const [tick, setTick] = useState(0);
  const { data: rows, error: listError } = useCall('locations.list', siteId ? { siteId } : null, [siteId, tick]);
  const [showRetired, setShowRetired] = useState(false);
  const visible = (rows ?? []).filter((r) => showRetired || r.retired_at === null);
  const zones = (rows ?? []).filter((r) => r.level === 'zone' && r.retired_at === null);
  const [single, setSingle] = useState({ parent: '', code: '', name: '', level: 'bin' as LocationLevel, kind: 'shelf' as LocationKind, capacity: '' });
  const [range, setRange] = useState({ zoneId: '', aisle: '', s0: 1, s1: 10, b0: 1, b1: 5, bins: true, kind: 'shelf' as LocationKind, capacity: '', print: true });
  // What the last form did, shown under that form's button, where the worker who pressed it is looking.
  const [outcome, setOutcome] = useState<{ form: 'range' | 'single'; note: string; error: unknown } | null>(null);

  const act = async (form: 'range' | 'single', f: () => Promise<string>) => {
    try {
      const note = await f();
      setOutcome({ form, note, error: null });
      setTick((n) => n + 1);
    } catch (e) {
      setOutcome({ form, note: '', error: e });
    }
  };
  const outcomeOf = (form: 'range' | 'single') => (
    <FormAnswer testId={`locations-${form}-outcome`} note={outcome?.form === form ? outcome.note || null : null} error={outcome?.form === form ? outcome.error : null} />
  );

  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>{t('locations.title')}</h1>
      <label className="field" htmlFor="locations-site">{t('depot.site')}</label>
      <select id="locations-site" value={siteId} onChange={(e) => setSiteId(e.target.value)}>
        {(sites ?? []).map((s) => (
          <option key={s.id} value={s.id}>{s.name}</option>
        ))}
      </select>
      <label className="field">
        <input type="checkbox" checked={showRetired} onChange={(e) => setShowRetired(e.target.checked)} /> {t('locations.showRetired')}
      </label>
      <ErrorNote error={listError} />
      <p className="muted">{rows ? t('locations.count', { count: visible.length }) : t('app.loading')}</p>
      <VirtualList
        id="location-tree"
        role="list"
        label={t('locations.title')}
        count={visible.length}
        renderRow={(i) => {
          const r = visible[i]!;
          return (
            <a className="hit hit-named hit-tree" href={href('location', r.id)}>
              {/* The tree shows in the codes' column; the names and figures keep to one column each, whatever the level. */}
              <span className="code" style={{ paddingLeft: `${INDENT[r.level] * 20}px` }}>{r.code}</span>
              <span className="title">{r.name}{r.retired_at !== null ? ` (${t('locations.isRetired')})` : ''}</span>
              <span className="detail">{t(`locationKind.${r.kind}`)}{r.capacity ? ` · ${t('locations.capacityShort', { n: r.capacity })}` : ''} · {formatNumber(r.items)}</span>
            </a>
          );
        }}
      />
      {keeps && (
        <>
          <section aria-labelledby="new-range">
            <h2 id="new-range">{t('locations.newRange')}</h2>
            <form
              className="settings-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act('range', async () => {
                  const r = await call('locations.createRange', {
                    parentId: range.zoneId || zones[0]!.id,
                    aisle: range.aisle,
                    shelves: [range.s0, range.s1],
                    bins: range.bins ? [range.b0, range.b1] : null,
                    kind: range.kind,
                    capacity: range.capacity ? Number(range.capacity) : null,
                  });
                  if (range.print && r.codes.length) await call('labels.locations', { fromCode: r.codes[0]!, toCode: r.codes.at(-1)! });
                  return t(range.print ? 'locations.rangeCreatedPrinted' : 'locations.rangeCreated', { count: r.ids.length });
                });
              }}
            >
              <label>
                {t('locations.zone')}
                <select value={range.zoneId} onChange={(e) => setRange({ ...range, zoneId: e.target.value })}>
                  {zones.map((z) => (
                    <option key={z.id} value={z.id}>{z.code} {z.name}</option>
                  ))}
                </select>
              </label>
              <label>
                {t('locations.aisle')}
                <input value={range.aisle} onChange={(e) => setRange({ ...range, aisle: e.target.value })} required maxLength={4} />
              </label>
              <label>
                {t('locations.shelvesFrom')}
                <input type="number" min={1} max={99} value={range.s0} onChange={(e) => setRange({ ...range, s0: Number(e.target.value) })} />
              </label>
              <label>
                {t('locations.shelvesTo')}
                <input type="number" min={1} max={99} value={range.s1} onChange={(e) => setRange({ ...range, s1: Number(e.target.value) })} />
              </label>
              <label>
                <input type="checkbox" checked={range.bins} onChange={(e) => setRange({ ...range, bins: e.target.checked })} /> {t('locations.withBins')}
              </label>
              {range.bins && (
                <>
                  <label>
                    {t('locations.binsFrom')}
                    <input type="number" min={1} max={99} value={range.b0} onChange={(e) => setRange({ ...range, b0: Number(e.target.value) })} />
                  </label>
                  <label>
                    {t('locations.binsTo')}
                    <input type="number" min={1} max={99} value={range.b1} onChange={(e) => setRange({ ...range, b1: Number(e.target.value) })} />
                  </label>
                </>
              )}
              <KindSelect value={range.kind} onChange={(kind) => setRange({ ...range, kind })} />
              <label>
                {t('locations.capacity')}
                <input type="number" min={1} value={range.capacity} onChange={(e) => setRange({ ...range, capacity: e.target.value })} />
              </label>
              <label>
                <input type="checkbox" checked={range.print} onChange={(e) => setRange({ ...range, print: e.target.checked })} /> {t('locations.printLabels')}
              </label>
              <button type="submit">{t('locations.createRange')}</button>
            </form>
            {outcomeOf('range')}
          </section>
          <section aria-labelledby="new-location">
            <h2 id="new-location">{t('locations.newLocation')}</h2>
            <form
              className="settings-form"
              onSubmit={(e) => {
                e.preventDefault();
                void act('single', async () => {
                  const parentId = single.level === 'zone' ? null : await locationByCode(single.parent.trim(), t('locations.notFound', { code: single.parent }));
                  await call('locations.create', { siteId, parentId, code: single.code, name: single.name, level: single.level, kind: single.kind, capacity: single.capacity ? Number(single.capacity) : null });
                  return t('locations.created', { code: single.code.toUpperCase() });
                });
              }}
            >
              <label>
                {t('locations.level')}
                <select value={single.level} onChange={(e) => setSingle({ ...single, level: e.target.value as LocationLevel })}>
                  {LEVELS.map((l) => (
                    <option key={l} value={l}>{t(`locations.levels.${l}`)}</option>
                  ))}
                </select>
              </label>
              {single.level !== 'zone' && (
                <label>
                  {t('locations.parent')}
                  <input value={single.parent} onChange={(e) => setSingle({ ...single, parent: e.target.value })} placeholder={t('locations.scanParent')} required />
                </label>
              )}
              <label>
                {t('locations.code')}
                <input value={single.code} onChange={(e) => setSingle({ ...single, code: e.target.value })} placeholder={t('locations.codeForm')} required />
              </label>
              <label>
                {t('locations.name')}
                <input value={single.name} onChange={(e) => setSingle({ ...single, name: e.target.value })} />
              </label>
              <KindSelect value={single.kind} onChange={(kind) => setSingle({ ...single, kind })} />
              <label>
                {t('locations.capacity')}
                <input type="number" min={1} value={single.capacity} onChange={(e) => setSingle({ ...single, capacity: e.target.value })} />
              </label>
              <button type="submit">{t('locations.create')}</button>
            </form>
            {outcomeOf('single')}
          </section>
        </>
      )}
    </main>
  );
}
