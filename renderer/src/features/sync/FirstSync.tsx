import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../services/sync';
import { formatNumber, localized } from '../../i18n';

/**
 * The time left `elapsed` seconds after the station's last estimate: the estimate comes with each
 * piece of the copy, and on a slow line pieces come many seconds apart. Null once the estimate has
 * run out before the next piece came (the screen then says nothing it does not know).
 */
export function leftAfter(secondsLeft: number, elapsed: number): number | null {
  const left = Math.ceil(secondsLeft - elapsed);
  return left > 0 ? left : null;
}

/** Seconds left in the words the screen uses: seconds under a minute and a half, minutes under two hours, then hours. */
function timeLeftWords(seconds: number): { key: 'sync.left.seconds' | 'sync.left.minutes' | 'sync.left.hours'; count: number } {
  if (seconds < 90) return { key: 'sync.left.seconds', count: seconds };
  if (seconds < 120 * 60) return { key: 'sync.left.minutes', count: Math.ceil(seconds / 60) };
  return { key: 'sync.left.hours', count: Math.round(seconds / 3600) };
}

/** The station's last estimate of the time left, counted down a second at a time until the next one comes (a new one is a new element). */
function TimeLeft({ secondsLeft }: { secondsLeft: number }) {
  const { t } = useTranslation();
  const [elapsed, setElapsed] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setElapsed((n) => n + 1), 1_000);
    return () => clearInterval(timer);
  }, []);
  const left = leftAfter(secondsLeft, elapsed);
  if (left === null) return null;
  const words = timeLeftWords(left);
  return <>, {t(words.key, { count: words.count })}</>;
}

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
            {typeof p.secondsLeft === 'number' && p.done < p.total && <TimeLeft key={`${p.phase}:${p.done}:${p.secondsLeft}`} secondsLeft={p.secondsLeft} />}
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
