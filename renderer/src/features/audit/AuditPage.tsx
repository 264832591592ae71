import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatDateTime, localized } from '../../i18n';
import { AUDIT_KINDS, type AuditKind } from '../../../../vocabulary/audit-kind';

type Line = CallOutput<'audit.list'>[number];

/** An entry's stored detail laid out to read, wrapped where it is long. */
function pretty(detail: string): string {
  try {
    return JSON.stringify(JSON.parse(detail), null, 2);
  } catch {
    return detail;
  }
}
type Verdict = CallOutput<'audit.verify'>;

/** The audit trail for supervisors: who did what, where and when; the chain checked; as CSV. */
export function AuditPage() {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<AuditKind | ''>('');
  const [lines, setLines] = useState<Line[]>([]);
  const [more, setMore] = useState(true);
  // Whether the lines shown answer the filter as it stands (not a page still loading).
  const [loaded, setLoaded] = useState(false);
  const [verdict, setVerdict] = useState<Verdict | null>(null);
  const [file, setFile] = useState<{ url: string; fileName: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = (reset: boolean) =>
    call('audit.list', { text: text || null, kind: kind || null, before: reset ? null : (lines.at(-1)?.seq ?? null) }).then((next) => {
      setLines((xs) => (reset ? next : [...xs, ...next]));
      setMore(next.length === 200);
      setLoaded(true);
    }, setError);
  // A kind chosen shows its entries at once; the words are applied by Visa (or Enter).
  useEffect(() => {
    void load(true);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [kind]);
  return (
    <main id="main" className="page">
      <h1>{t('audit.title')}</h1>
      <LockedUsers />
      <IdleTime />
      <div className="actions">
        <button type="button" className="ghost" onClick={() => void call('audit.verify', {}).then(setVerdict, setError)}>{t('audit.verify')}</button>
        <button type="button" className="ghost" onClick={() => void call('audit.export', { text: text || null, kind: kind || null }).then(setFile, setError)}>{t('audit.export')}</button>
        {file && <a href={file.url} download={file.fileName} data-testid="audit-csv">{t('audit.download')}</a>}
      </div>
      {verdict && (
        <p role="status" data-testid="audit-verdict" className={verdict.ok ? 'ok' : 'error'}>
          {verdict.ok
            ? t('audit.intact', { count: verdict.entries, unsealed: verdict.unsealed })
            : verdict.brokenAt === null
              ? t('audit.shortened')
              : t(verdict.reason === 'unkeyed' ? 'audit.unkeyed' : 'audit.broken', { at: formatDateTime(verdict.brokenAt.at), action: verdict.brokenAt.action })}
        </p>
      )}
      {verdict && (
        <p data-testid="audit-register" className={verdict.register.brokenAt === null ? undefined : 'error'}>
          {!verdict.register.linked
            ? t('audit.registerNotLinked')
            : verdict.register.brokenAt !== null
              ? t('audit.registerBroken', { seq: verdict.register.brokenAt })
              : t('audit.registerHolds', { held: verdict.register.held, waiting: verdict.register.waiting })}
        </p>
      )}
      <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void load(true))}>
        <label>
          {t('audit.kind')}
          <select value={kind} onChange={(e) => setKind(e.target.value as AuditKind | '')}>
            <option value="">{t('audit.kinds.all')}</option>
            {AUDIT_KINDS.map((k) => (
              <option key={k} value={k}>{t(`audit.kinds.${k}`)}</option>
            ))}
          </select>
        </label>
        <label>{t('audit.filter')}<input value={text} onChange={(e) => setText(e.target.value)} placeholder={t('audit.filterHint')} /></label>
        <button type="submit" className="ghost">{t('audit.show')}</button>
      </form>
      <ErrorNote error={error} />
      <table className="lines audit-lines" data-testid="audit" style={{ tableLayout: 'fixed', width: '100%' }}>
        <colgroup>
          <col style={{ width: '11em' }} />
          <col style={{ width: '14em' }} />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('audit.when')}</th>
            <th scope="col">{t('audit.who')}</th>
            <th scope="col">{t('audit.what')}</th>
          </tr>
        </thead>
        <tbody>
          {lines.map((l) => (
            <tr key={l.seq}>
              <td>{formatDateTime(l.at)}</td>
              <td style={{ overflowWrap: 'anywhere' }}>{l.user ?? '–'} <span className="muted">{l.station}</span></td>
              <td style={{ overflowWrap: 'anywhere' }}>
                <span data-testid="audit-sentence">{localized(l.says)}</span>
                <details>
                  <summary className="muted">{t('audit.detail')}</summary>
                  <dl className="audit-detail">
                    <dt>{t('audit.action')}</dt>
                    <dd className="code">{l.action}</dd>
                    <dt>{t('audit.entity')}</dt>
                    <dd className="code">{l.entity}{l.entityId ? ` ${l.entityId}` : ''}</dd>
                    {l.detail && (
                      <>
                        <dt>{t('audit.data')}</dt>
                        <dd>
                          <pre className="code" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', margin: 0 }}>{pretty(l.detail)}</pre>
                        </dd>
                      </>
                    )}
                  </dl>
                </details>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {loaded && lines.length === 0 && <p className="muted" data-testid="audit-none">{t('audit.none')}</p>}
      {more && lines.length > 0 && <button type="button" className="ghost" onClick={() => void load(false)}>{t('audit.more')}</button>}
    </main>
  );
}

/**
 * Users locked out by wrong PINs at this station and until when, each unlocked here by a
 * supervisor or an administrator. An administrator also lifts a user's locks at the site's other
 * stations from here (the unlock reaches them at their next sync).
 */
function LockedUsers() {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const { data } = useCall('auth.locked', {}, [tick]);
  const { data: me } = useCall('auth.me', {}, []);
  const admin = me?.role === 'admin';
  const { data: users } = useCall('auth.users', admin ? {} : null, [admin]);
  const [pick, setPick] = useState('');
  const [note, setNote] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const unlock = (userId: string) =>
    void call('auth.unlock', { userId }).then((r) => {
      setTick((n) => n + 1);
      setError(null);
      setNote(t(r.siteWide ? 'audit.unlockedSite' : 'audit.unlockedHere'));
    }, setError);
  if (!admin && (!data || data.length === 0)) return null;
  return (
    <section aria-labelledby="locked-h" className="card">
      <h2 id="locked-h">{t('audit.locked')}</h2>
      {data && data.length > 0 && (
        <ul data-testid="locked-users">
          {data.map((u) => (
            <li key={u.id}>
              {/* Rounded up to the minute, as the refusal at sign-in names it. */}
              {u.name} <span className="muted">{t('audit.lockedUntil', { at: formatDateTime(Math.ceil(u.lockedUntil / 60_000) * 60_000) })}</span>{' '}
              {/* A supervisor's or an administrator's lock is an administrator's to lift (the core refuses others). */}
              {admin || (u.role !== 'supervisor' && u.role !== 'admin') ? (
                <button type="button" className="ghost" onClick={() => unlock(u.id)}>
                  {t('audit.unlock')}
                </button>
              ) : (
                <span className="muted">{t('audit.unlockNeedsAdmin')}</span>
              )}
            </li>
          ))}
        </ul>
      )}
      {admin && (
        <form className="inline-form" onSubmit={(e) => (e.preventDefault(), pick && unlock(pick))}>
          <label>
            {t('audit.unlockElsewhere')}
            <select value={pick} onChange={(e) => setPick(e.target.value)}>
              <option value="">–</option>
              {(users ?? []).map((u) => (
                <option key={u.id} value={u.id}>{u.name}</option>
              ))}
            </select>
          </label>
          <button type="submit" className="ghost" disabled={!pick}>{t('audit.unlock')}</button>
        </form>
      )}
      {note && <p role="status">{note}</p>}
      <ErrorNote error={error} />
    </section>
  );
}

/** How long the station stays signed in without use. */
function IdleTime() {
  const { t } = useTranslation();
  const { data } = useCall('station.idle', {}, []);
  const [minutes, setMinutes] = useState<string | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  if (!data) return null;
  return (
    <form className="inline-form" onSubmit={(e) => (e.preventDefault(), void call('station.setIdle', { minutes: Number(minutes ?? data.minutes) }).then((r) => setSaved(t('audit.idleSaved', { count: r.minutes })), setError))}>
      <label>
        {t('audit.idle')}
        <input inputMode="numeric" size={4} value={minutes ?? String(data.minutes)} onChange={(e) => setMinutes(e.target.value)} />
      </label>
      <button type="submit" className="ghost">{t('audit.saveIdle')}</button>
      {saved && <span role="status">{saved}</span>}
      <ErrorNote error={error} />
    </form>
  );
}
