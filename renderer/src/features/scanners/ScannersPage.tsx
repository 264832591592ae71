import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../../api/contract';
import type { ScanEvent } from '../../../../services/scanning';
import { call, subscribe } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import i18n, { localized } from '../../i18n';
import { useScans } from '../../scanning/useScans';

type Overview = CallOutput<'scanners.overview'>;
type Setting = CallInput<'scanners.save'>['scanners'][number];
type State = Overview['states'][number];

const newSerial = (n: number, path = ''): Setting => ({
  id: `scanner-${Date.now().toString(36)}-${n}`,
  name: i18n.t('scanners.defaultName', { n }),
  kind: 'serial',
  path,
  baudRate: 9600,
  framing: { suffix: 'CR' },
  enabled: true,
});

/** Pick and set up this station's scanners, see their state, and try a scan. */
/** Scanners: everyone sees their state and test scans; a supervisor sets them up. */
export function ScannersPage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const [overview, setOverview] = useState<Overview | null>(null);
  const [settings, setSettings] = useState<Setting[]>([]);
  const [states, setStates] = useState<Record<string, State>>({});
  const [lastScan, setLastScan] = useState<ScanEvent | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);

  useEffect(() => {
    call('scanners.overview', {}).then((o) => {
      setOverview(o);
      setSettings(o.configured as Setting[]);
      setStates(Object.fromEntries(o.states.map((s) => [s.id, s])));
      setLastScan(o.lastScan);
    }, setError);
    return subscribe((e) => {
      if (e.type === 'scanner.status') setStates((s) => ({ ...s, [e.status.id]: e.status }));
    });
  }, []);
  useScans(setLastScan);

  const update = (i: number, patch: Partial<Setting>) => {
    setSaved(false);
    setSettings((xs) => xs.map((x, j) => (j === i ? ({ ...x, ...patch } as Setting) : x)));
  };
  const save = async () => {
    try {
      const r = await call('scanners.save', { scanners: settings });
      // Live status events may already be newer than the answer to the save.
      setStates((known) => ({ ...Object.fromEntries(r.states.map((s) => [s.id, s])), ...known }));
      setSaved(true);
      setError(null);
    } catch (e) {
      setError(e);
    }
  };

  return (
    <main id="main" className="page">
      <h1>{t('scanners.title')}</h1>
      <ErrorNote error={error} />
      <section aria-labelledby="configured" aria-busy={overview === null}>
        <h2 id="configured">{t('scanners.configured')}</h2>
        {overview === null && <p className="muted">{t('app.loading')}</p>}
        {overview !== null && settings.length === 0 && <p className="muted">{t(supervisor ? 'scanners.none' : 'scanners.noneYet')}</p>}
        {settings.map((s, i) => {
          const state = states[s.id];
          return (
            <fieldset key={s.id} className="card scanner">
              <legend>
                {s.name}{' '}
                <span className={`chip state-${state?.state ?? 'stopped'}`} data-testid={`scanner-state-${i}`}>
                  {t(`scanners.states.${state?.state ?? 'stopped'}`)}
                </span>
              </legend>
              <div className="form-grid">
                <label>
                  {t('scanners.name')}
                  <input value={s.name} onChange={(e) => update(i, { name: e.target.value })} />
                </label>
                <label>
                  {t('scanners.kind')}
                  <select
                    value={s.kind}
                    onChange={(e) =>
                      update(i, e.target.value === 'hid'
                        ? ({ id: s.id, name: s.name, path: s.path, enabled: s.enabled, kind: 'hid', mode: 'pos' } as Partial<Setting>)
                        : ({ id: s.id, name: s.name, path: s.path, enabled: s.enabled, kind: 'serial', baudRate: 9600, framing: { suffix: 'CR' } } as Partial<Setting>))
                    }
                  >
                    <option value="serial">{t('scanners.serial')}</option>
                    <option value="hid">{t('scanners.hid')}</option>
                  </select>
                </label>
                <label>
                  {t('scanners.path')}
                  <input value={s.path} list="scanner-paths" onChange={(e) => update(i, { path: e.target.value })} />
                </label>
                {s.kind === 'serial' ? (
                  <>
                    <label>
                      {t('scanners.baud')}
                      <select value={s.baudRate} onChange={(e) => update(i, { baudRate: Number(e.target.value) })}>
                        {[9600, 19200, 38400, 57600, 115200].map((b) => (
                          <option key={b} value={b}>{b}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t('scanners.suffix')}
                      <select value={s.framing.suffix} onChange={(e) => update(i, { framing: { ...s.framing, suffix: e.target.value as 'CR' } })}>
                        {['CR', 'LF', 'CRLF', 'ETX', 'none'].map((x) => (
                          <option key={x} value={x}>{x === 'none' ? t('scanners.noSuffix') : x}</option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t('scanners.prefix')}
                      <input value={s.framing.prefix ?? ''} maxLength={8} onChange={(e) => update(i, { framing: { ...s.framing, prefix: e.target.value || undefined } })} />
                    </label>
                  </>
                ) : (
                  <>
                    <label>
                      {t('scanners.mode')}
                      <select value={s.mode} onChange={(e) => update(i, { mode: e.target.value as 'pos' })}>
                        <option value="pos">HID POS</option>
                        <option value="keyboard">{t('scanners.keyboard')}</option>
                      </select>
                    </label>
                    <label>
                      {t('scanners.layout')}
                      <select value={s.keyboardLayout ?? 'sv'} onChange={(e) => update(i, { keyboardLayout: e.target.value as 'sv' })}>
                        <option value="sv">{t('scanners.swedish')}</option>
                        <option value="us">{t('scanners.us')}</option>
                      </select>
                    </label>
                  </>
                )}
                <label className="check">
                  <input type="checkbox" checked={s.enabled} onChange={(e) => update(i, { enabled: e.target.checked })} />
                  {t('scanners.enabled')}
                </label>
              </div>
              {state?.error && <p className="muted">{state.error}</p>}
              <button type="button" onClick={() => setSettings((xs) => xs.filter((_, j) => j !== i))}>
                {t('scanners.remove')}
              </button>
            </fieldset>
          );
        })}
        <datalist id="scanner-paths">
          {(overview?.available ?? []).map((d) => (
            <option key={d.path} value={d.path}>{d.label}</option>
          ))}
        </datalist>
        {supervisor ? (
          <p className="actions">
            <button type="button" disabled={overview === null} onClick={() => setSettings((xs) => [...xs, newSerial(xs.length + 1, overview?.available[0]?.path ?? '')])}>
              {t('scanners.add')}
            </button>
            <button type="button" className="primary" disabled={overview === null} onClick={save}>
              {t('scanners.save')}
            </button>
            <span role="status">{saved ? t('scanners.saved') : ''}</span>
          </p>
        ) : (
          <p className="muted">{t('scanners.supervisorSetsUp')}</p>
        )}
      </section>
      <section aria-labelledby="available">
        <h2 id="available">{t('scanners.available')}</h2>
        {overview && overview.available.length === 0 && <p className="muted">{t('scanners.noneFound')}</p>}
        <ul className="plain">
          {(overview?.available ?? []).map((d) => (
            <li key={d.path}>
              <span className="code">{d.path}</span> {d.label && `${d.label} `}({d.kind === 'hid' ? `HID ${d.hidMode}` : t('scanners.serial')})
            </li>
          ))}
        </ul>
      </section>
      <section aria-labelledby="test-scan">
        <h2 id="test-scan">{t('scanners.testScan')}</h2>
        <div className="card" aria-live="polite" data-testid="test-scan">
          {!lastScan ? (
            <p className="muted">{t('scanners.scanSomething')}</p>
          ) : (
            <dl className="facts">
              <div><dt>{t('scanners.text')}</dt><dd className="code">{lastScan.text}</dd></div>
              <div><dt>{t('scanners.symbology')}</dt><dd>{t(`scanners.symbologies.${lastScan.symbology}`)}</dd></div>
              <div><dt>{t('scanners.source')}</dt><dd>{t(`scanners.sources.${lastScan.source}`)}{lastScan.source === 'keyboard' ? '' : ` · ${lastScan.device}`}</dd></div>
              <div>
                <dt>{t('scanners.meaning')}</dt>
                <dd>{lastScan.error ? localized(lastScan.error.message) : lastScan.resolution?.kind === 'unknown' ? localized(lastScan.resolution.message) : lastScan.resolution ? t(`scanners.meanings.${lastScan.resolution.kind}`) : ''}</dd>
              </div>
            </dl>
          )}
        </div>
      </section>
    </main>
  );
}
