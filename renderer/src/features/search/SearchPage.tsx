import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { VirtualList, optionId } from '../../components/VirtualList';
import { beep } from '../../feedback';
import { formatNumber } from '../../i18n';
import { href, navigate } from '../../router';

type Page = CallOutput<'stock.search'>;
type Hit = Page['hits'][number];

export const hitHref = (h: Pick<Hit, 'kind' | 'id'>): string => href(h.kind, h.id);

/**
 * Search as you type over everything the station knows, with a scanner or a keyboard.
 * Enter on an exact code (what a scanner sends) opens it at once.
 */
export function SearchPage({ initial }: { initial: string }) {
  const { t } = useTranslation();
  const [text, setText] = useState(initial);
  const [hits, setHits] = useState<Hit[]>([]);
  const [next, setNext] = useState<Page['next']>(null);
  const [total, setTotal] = useState<{ n: number; capped: boolean; heldSite: string | null } | null>(null);
  const [active, setActive] = useState(-1);
  const [error, setError] = useState<unknown>(null);
  const generation = useRef(0);
  const loadingMore = useRef(false);

  useEffect(() => {
    const gen = ++generation.current;
    navigate(`#/search${text ? `?q=${encodeURIComponent(text)}` : ''}`, true);
    if (!text.trim()) {
      setHits([]);
      setNext(null);
      setTotal(null);
      return;
    }
    const timer = setTimeout(() => {
      call('stock.search', { text }).then(
        (p) => {
          if (gen !== generation.current) return; // a newer keystroke won
          setHits(p.hits);
          setNext(p.next);
          setTotal({ n: p.total, capped: p.totalCapped, heldSite: p.heldSite });
          setActive(p.hits.length ? 0 : -1);
          setError(null);
        },
        (e: unknown) => {
          if (gen !== generation.current) return;
          // A search the core refuses (too long…) gets its answer, not a wait that never ends, and no hits of an earlier search.
          setHits([]);
          setNext(null);
          setTotal(null);
          setActive(-1);
          setError(e);
        },
      );
    }, 40);
    return () => clearTimeout(timer);
  }, [text]);

  const loadMore = useCallback(() => {
    if (!next || loadingMore.current) return;
    loadingMore.current = true;
    const gen = generation.current;
    call('stock.search', { text, cursor: next })
      .then((p) => {
        if (gen !== generation.current) return;
        setHits((h) => [...h, ...p.hits]);
        setNext(p.next);
      }, setError)
      .finally(() => (loadingMore.current = false));
  }, [next, text]);

  const open = (h: Hit | undefined) => h && navigate(hitHref(h));

  const onKeyDown = async (e: React.KeyboardEvent) => {
    if (e.key === 'ArrowDown') {
      e.preventDefault();
      setActive((a) => Math.min(hits.length - 1, a + 1));
    } else if (e.key === 'ArrowUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 1));
    } else if (e.key === 'PageDown') {
      e.preventDefault();
      setActive((a) => Math.min(hits.length - 1, a + 10));
    } else if (e.key === 'PageUp') {
      e.preventDefault();
      setActive((a) => Math.max(0, a - 10));
    } else if (e.key === 'Enter') {
      e.preventDefault();
      try {
        const exact = await call('stock.resolve', { code: text });
        if (exact.kind === 'article' || exact.kind === 'individual' || exact.kind === 'location') {
          beep('ok');
          return navigate(hitHref({ kind: exact.kind, id: exact.id }));
        }
      } catch (err) {
        return setError(err);
      }
      if (active >= 0) open(hits[active]);
      else beep('error');
    }
  };

  return (
    <main id="main" className="page search">
      <h1>{t('search.title')}</h1>
      <label className="field big" htmlFor="search-input">
        {t('search.label')}
      </label>
      <input
        id="search-input"
        className="big-input"
        type="search"
        role="combobox"
        aria-expanded={hits.length > 0}
        aria-controls="search-results"
        aria-autocomplete="list"
        aria-activedescendant={active >= 0 ? optionId('search-results', active) : undefined}
        autoFocus
        autoComplete="off"
        spellCheck={false}
        placeholder={t('search.placeholder')}
        value={text}
        onChange={(e) => setText(e.target.value)}
        onKeyDown={onKeyDown}
      />
      <p className="muted" aria-live="polite">
        {!text.trim()
          ? t('search.hint')
          : error !== null
            ? null
            : total === null
            ? t('app.loading')
            : total.n === 0
              ? total.heldSite
                ? t('search.noneHere', { text, site: total.heldSite })
                : t('search.none', { text })
              : total.capped
                ? t('search.countCapped', { count: total.n, formatted: formatNumber(total.n) })
                : t('search.count', { count: total.n })}
      </p>
      <ErrorNote error={error} />
      <VirtualList
        id="search-results"
        role="listbox"
        label={t('search.results')}
        count={hits.length}
        active={active}
        onEndReached={loadMore}
        onKeyDown={onKeyDown}
        onOpen={(i) => open(hits[i])}
        renderRow={(i) => {
          const h = hits[i]!;
          return (
            <span className="hit">
              <span className={`kind kind-${h.kind}`}>{t(`search.kinds.${h.kind}`)}</span>
              <span className="code">{h.code}</span>
              <span className="title">{h.title}</span>
              <span className="detail">{h.detail}</span>
            </span>
          );
        }}
      />
    </main>
  );
}
