import { useTranslation } from 'react-i18next';
import type { SyncStatus } from '../../../../services/sync';
import { formatDateTime } from '../../i18n';
import { href } from '../../router';

/** In the top bar: whether the register is reachable, when the station last synced, and what waits. */
export function SyncIndicator({ status, link }: { status: SyncStatus | null; link: boolean }) {
  const { t } = useTranslation();
  if (!status?.enrolled) return null;
  const state = status.online ? 'online' : 'offline';
  const text = [
    t(`sync.${state}`),
    status.waiting > 0 ? t('sync.waitingShort', { count: status.waitingMovements }) : status.lastSuccessAt ? t('sync.syncedAt', { at: formatDateTime(status.lastSuccessAt) }) : null,
    status.rejected + status.conflicts > 0 ? t('sync.attention', { count: status.rejected + status.conflicts }) : null,
  ]
    .filter(Boolean)
    .join(' · ');
  const body = (
    <>
      <span className={`dot dot-${state}`} aria-hidden="true" />
      {text}
    </>
  );
  return link ? (
    <a className="sync-indicator" href={href('sync')} data-testid="sync-indicator" data-state={state}>
      {body}
    </a>
  ) : (
    <span className="sync-indicator" data-testid="sync-indicator" data-state={state} role="status">
      {body}
    </span>
  );
}
