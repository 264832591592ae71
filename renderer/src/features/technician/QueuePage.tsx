import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { VirtualList } from '../../components/VirtualList';
import { formatDateTime } from '../../i18n';
import { href } from '../../router';

type Item = CallOutput<'queue.reconditioning'>['items'][number];

/** Returned devices on their way through cleaning and reconditioning, oldest first. */
export function QueuePage() {
  const { t } = useTranslation();
  const [items, setItems] = useState<Item[]>([]);
  const [total, setTotal] = useState<number | null>(null);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const loading = useRef(false);

  const load = useCallback(() => {
    if (loading.current || done) return;
    loading.current = true;
    const last = items.at(-1);
    call('queue.reconditioning', { after: last ? { since: last.since, id: last.id } : null, limit: 200 })
      .then((r) => {
        setItems((xs) => [...xs, ...r.items]);
        setTotal(r.total);
        if (r.items.length < 200) setDone(true);
      }, setError)
      .finally(() => (loading.current = false));
  }, [items, done]);
  useEffect(load, []); // eslint-disable-line react-hooks/exhaustive-deps

  return (
    <main id="main" className="page">
      <h1>{t('queue.title')}</h1>
      <ErrorNote error={error} />
      <p className="muted" aria-live="polite">{total === null ? t('app.loading') : total === 0 ? t('queue.empty') : t('queue.count', { count: total })}</p>
      <VirtualList
        id="queue"
        role="list"
        label={t('queue.title')}
        count={items.length}
        onEndReached={load}
        renderRow={(i) => {
          const it = items[i]!;
          return (
            <a className="hit" href={href('individual', it.id)}>
              <span className={`chip status-${it.status}`}>{t(`status.${it.status}`)}</span>
              <span className="code">{it.individualNumber}</span>
              <span className="title">{it.articleName}</span>
              <span className="detail">{it.locationCode ?? ''} · {formatDateTime(it.since)}</span>
            </a>
          );
        }}
      />
    </main>
  );
}
