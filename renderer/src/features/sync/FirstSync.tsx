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
          <progress max={p.total || undefined} value={p.total > 0 && p.phase !== 'finish' ? Math.min(p.done, p.total) : undefined} aria-label={t('sync.firstTitle')} />
          <p data-testid="first-sync-count">
            {t(`sync.phase.${p.phase}`, { done: formatNumber(p.done), total: formatNumber(p.total) })}
            {typeof p.secondsLeft === 'number' && p.done < p.total && <>, {p.secondsLeft < 90 ? t('sync.left.seconds', { count: p.secondsLeft }) : t('sync.left.minutes', { count: Math.ceil(p.secondsLeft / 60) })}</>}
          </p>
        </>
      ) : (
        // After a failed attempt its error stands alone, through the next attempts too, until the
        // register answers one (the copy then has its progress): a bar that came and went with
        // each attempt would say, every few seconds, that something was coming.
        !status?.lastError && <progress aria-label={t('sync.firstTitle')} />
      )}
      {/* What stopped the last attempt, until the register answers. */}
      {status?.lastError && !p && (
        <div className="note note-error" role="alert">
          {localized(status.lastError)}
        </div>
      )}
    </main>
  );
}
