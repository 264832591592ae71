import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { currentLang, formatDateTime } from '../../i18n';

/** An individual's whole history (stock, reconditioning, repairs, maintenance), and the same as a PDF. */
export function Timeline({ individualId }: { individualId: string }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [pdf, setPdf] = useState<{ url: string; fileName: string; of: string } | null>(null);
  const [error, setError] = useState<unknown>(null);
  // Fetched a moment after the page shows: scanning device after device, the history waits for a pause.
  const [settled, setSettled] = useState<string | null>(null);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(individualId), 250);
    return () => clearTimeout(timer);
  }, [individualId]);
  const { data: loaded } = useCall('individual.timeline', settled === individualId ? { individualId } : null, [individualId, settled]);
  const data = loaded?.individualId === individualId ? loaded : null;
  return (
    <section aria-labelledby="timeline-h">
      <h2 id="timeline-h">{t('timeline.title')}</h2>
      <p>
        <button type="button" className="ghost" onClick={() => void call('individual.timelinePdf', { individualId, lang }).then((r) => setPdf({ url: r.pdf, fileName: r.fileName, of: individualId }), setError)}>
          {t('timeline.pdf')}
        </button>{' '}
        {pdf?.of === individualId && <a href={pdf.url} download={pdf.fileName} data-testid="timeline-pdf">{t('timeline.download')}</a>}
      </p>
      <ErrorNote error={error} />
      {data && data.entries.length === 0 && <p className="muted">{t('timeline.empty')}</p>}
      {data && data.entries.length > 0 && (
        <ol className="timeline" data-testid="timeline">
          {data.entries.map((e, n) => (
            <li key={n} className={`timeline-${e.kind}`}>
              <time dateTime={new Date(e.at).toISOString()}>{formatDateTime(e.at)}</time> <span className="chip">{t(`timeline.kinds.${e.kind}`)}</span> {e.text[lang]}
              {e.by && <span className="muted"> · {e.by}</span>}
              {e.details.length > 0 && (
                <ul>
                  {e.details.map((d, k) => <li key={k}>{d[lang]}</li>)}
                </ul>
              )}
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}
