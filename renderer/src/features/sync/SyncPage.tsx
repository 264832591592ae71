import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import type { Role } from '../../../../db/schema';
import { call, subscribe } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { formatDateTime, formatNumber, localized } from '../../i18n';
import { useSyncStatus } from './useSyncStatus';

type Issue = CallOutput<'sync.issues'>[number];

/** The link to the central register: its state, a sync on demand, and for supervisors what the register flagged. */
export function SyncPage({ role }: { role: Role }) {
  const { t } = useTranslation();
  const status = useSyncStatus();
  const supervisor = role === 'supervisor' || role === 'admin';
  const [issues, setIssues] = useState<Issue[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!supervisor) return;
    const load = () => call('sync.issues', { resolved: false }).then(setIssues, setError);
    void load();
    return subscribe((e) => e.type === 'sync.status' && void load());
  }, [supervisor]);

  const syncNow = async () => {
    setBusy(true);
    setError(null);
    await call('sync.now', {}).catch(setError);
    setBusy(false);
  };
  const resolve = async (id: string) => {
    await call('sync.resolveIssue', { id }).then(() => setIssues((is) => is.filter((i) => i.id !== id)), setError);
  };

  if (!status) return <main id="main" className="page" aria-busy="true"><p>{t('app.loading')}</p></main>;
  return (
    <main id="main" className="page" tabIndex={-1}>
      <h1>{t('sync.title')}</h1>
      {!status.enrolled ? (
        <p>{t('sync.standalone')}</p>
      ) : (
        <>
          <dl className="facts">
            <div><dt>{t('sync.register')}</dt><dd className="code">{status.registerUrl}</dd></div>
            <div><dt>{t('sync.copy')}</dt><dd data-testid="held-copy">{status.heldSite ? t('sync.copySite', { site: status.heldSite }) : t('sync.copyRegion')}</dd></div>
            <div><dt>{t('sync.state')}</dt><dd data-testid="sync-state">{t(status.online ? 'sync.online' : 'sync.offline')}</dd></div>
            <div><dt>{t('sync.lastSuccess')}</dt><dd>{status.lastSuccessAt ? formatDateTime(status.lastSuccessAt) : t('sync.never')}</dd></div>
            <div><dt>{t('sync.waiting')}</dt><dd data-testid="sync-waiting">{t('sync.waitingLong', { entries: formatNumber(status.waiting), movements: formatNumber(status.waitingMovements) })}</dd></div>
            <div><dt>{t('sync.rejected')}</dt><dd>{formatNumber(status.rejected)}</dd></div>
            <div><dt>{t('sync.conflicts')}</dt><dd>{formatNumber(status.conflicts)}</dd></div>
          </dl>
          {status.lastError && <div className="note note-error" role="alert">{localized(status.lastError)}</div>}
          <button type="button" onClick={syncNow} disabled={busy}>{t(busy ? 'sync.syncing' : 'sync.now')}</button>
          <p className="muted">{t('sync.offlineNote')}</p>
        </>
      )}
      <ErrorNote error={error} />
      {supervisor && status.enrolled && (
        <section aria-labelledby="sync-issues">
          <h2 id="sync-issues">{t('sync.issuesTitle')}</h2>
          {issues.length === 0 ? (
            <p>{t('sync.noIssues')}</p>
          ) : (
            <ul className="issues" data-testid="sync-issues">
              {issues.map((i) => (
                <li key={i.id}>
                  <strong>{t(`sync.kind.${i.kind}`)}</strong> <small>{formatDateTime(i.at)}</small>
                  <p>{localized(i.message)}</p>
                  <button type="button" onClick={() => void resolve(i.id)}>{t('sync.resolve')}</button>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}
    </main>
  );
}
