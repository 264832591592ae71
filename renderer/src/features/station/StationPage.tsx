import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { beep } from '../../feedback';
import { navigate } from '../../router';
import { hitHref } from '../search/SearchPage';

type Hit = CallOutput<'stock.lookup'>[number];

/** The scanning station's home: scan anything and it opens; a keyboard works the same way. */
export function StationPage() {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ code: string; hits: Hit[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const scanned = code.trim();
    setCode('');
    if (!scanned) return;
    try {
      const hits = await call('stock.lookup', { code: scanned });
      setError(null);
      setResult({ code: scanned, hits });
      if (hits.length === 1) {
        beep('ok');
        navigate(hitHref(hits[0]!));
      } else beep(hits.length ? 'ok' : 'error');
    } catch (err) {
      beep('error');
      setError(err);
    }
    input.current?.focus();
  };

  return (
    <main id="main" className="page">
      <h1>{t('station.title')}</h1>
      <form onSubmit={submit} className="scan-form">
        <label htmlFor="scan-input" className="field big">
          {t('station.label')}
        </label>
        <input
          id="scan-input"
          ref={input}
          className="big-input"
          autoFocus
          autoComplete="off"
          spellCheck={false}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          aria-describedby="scan-help"
        />
        <p id="scan-help" className="muted">
          {t('station.help')}
        </p>
      </form>
      <ErrorNote error={error} />
      <div aria-live="assertive">
        {result && result.hits.length === 0 && (
          <div className="note note-error flash-error">{t('station.unknown', { code: result.code })}</div>
        )}
        {result && result.hits.length > 1 && (
          <div className="note">
            <p>{t('station.several', { code: result.code })}</p>
            <ul className="plain">
              {result.hits.map((h) => (
                <li key={h.id}>
                  <a href={hitHref(h)}>
                    {t(`search.kinds.${h.kind}`)} {h.code}: {h.title}
                  </a>
                </li>
              ))}
            </ul>
          </div>
        )}
      </div>
    </main>
  );
}
