import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../services/sync';
import { formatNumber, localized } from '../../i18n';

/** A newly enrolled station fetching its first full copy from the register: a progress bar with counts. */
export function FirstSync({ status }: { status: SyncStatus | null }) {
  const { t } = useTranslation();
  const p = status?.progress ?? null;
  return (
    <main id="main" className="page first-sync">
      <h1>{t('sync.firstTitle')}</h1>
      <p>{t('sync.firstIntro')}</p>
      {p ? (
        <>
          {/* While the copy is put in order every row is in, but the station is not done: the bar moves rather than stands full. */}
          <progress max={p.total || undefined} value={p.total && p.phase !== 'finish' ? Math.min(p.done, p.total) : undefined} aria-label={t('sync.firstTitle')} />
          <p data-testid="first-sync-count">
            {t(`sync.phase.${p.phase}`, { done: formatNumber(p.done), total: formatNumber(p.total) })}
            {typeof p.secondsLeft === 'number' && p.done < p.total && <>, {p.secondsLeft < 90 ? t('sync.left.seconds', { count: p.secondsLeft }) : t('sync.left.minutes', { count: Math.ceil(p.secondsLeft / 60) })}</>}
          </p>
        </>
      ) : (
        // An attempt under way moves the bar; waiting to try again after a failed one does not.
        (status?.syncing || !status?.lastError) && <progress aria-label={t('sync.firstTitle')} />
      )}
      {/* What stopped the last attempt, until the next one is under way. */}
      {status?.lastError && !p && (
        <div className="note note-error" role="alert">
          {localized(status.lastError)}
        </div>
      )}
    </main>
  );
}
