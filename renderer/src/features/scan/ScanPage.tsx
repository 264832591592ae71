import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { href } from '../../router';
import type { Screen } from '../../screens';

/**
 * The scanning station's home. A scanner works here without touching anything; the field is for
 * typing a code by hand (Enter sends it). Either way the scan takes the one path every scan takes.
 * Below it, the workflows the screen table offers here.
 */
export function ScanPage({ workflows }: { workflows: readonly Pick<Screen, 'route' | 'title'>[] }) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [error, setError] = useState<unknown>(null);
  const input = useRef<HTMLInputElement>(null);

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    const raw = code.trim();
    setCode('');
    if (!raw) return;
    try {
      await call('scan.submit', { raw });
      setError(null);
    } catch (err) {
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
          data-scan-field
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
      <nav aria-labelledby="workflows-h" className="workflows">
        <h2 id="workflows-h">{t('hub.workflows')}</h2>
        <ul>
          {workflows.map(({ route, title }) => (
            <li key={route}>
              <a className="workflow-link" href={href(route)}>
                {t(title)}
              </a>
            </li>
          ))}
        </ul>
      </nav>
    </main>
  );
}
