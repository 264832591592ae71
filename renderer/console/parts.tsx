/** What every console screen uses: loading from the register, and its refusals in words. */
import { useCallback, useEffect, useState } from 'react';
import { ConsoleFailed, get } from './client';
import { useWords } from './i18n';

/** A refusal or failure in the language on screen, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t, say } = useWords();
  if (!error) return null;
  return (
    <div className="note note-error" role="alert">
      <strong>{t('errors.title')}: </strong>
      {error instanceof ConsoleFailed ? say(error.userMessage) : String((error as Error).message ?? error)}
    </div>
  );
}

/** What `path` answers, loaded again by `reload()`. */
export function useLoad<T>(path: string | null): { data: T | null; error: unknown; reload: () => void } {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    let live = true;
    get<T>(path).then(
      (v) => live && (setData(v), setError(null)),
      (e: unknown) => live && setError(e),
    );
    return () => {
      live = false;
    };
  }, [path, tick]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { data, error, reload };
}

export function Loading() {
  const { t } = useWords();
  return <p className="muted">{t('app.loading')}</p>;
}
