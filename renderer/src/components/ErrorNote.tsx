import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../api/contract';
import { CallFailed } from '../bridge/client';
import { localized } from '../i18n';

/**
 * Whether an error is one nobody expected: the station failing inside (`internal`), or the
 * screen's own code breaking (a TypeError, a rejected promise of something else). A refusal the
 * station explains (a wrong PIN, too little stock) and a screen's own message (`new Error(t(…))`)
 * are expected, and say only what they say.
 */
export function unexpected(error: unknown): boolean {
  if (error instanceof CallFailed) return error.error.code === 'internal';
  return !(error instanceof Error && error.constructor === Error);
}

/** A station error in the worker's language, announced to screen readers; "Något gick fel" only before the unexpected. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const e: ApiError | null = error instanceof CallFailed ? error.error : null;
  const surprise = unexpected(error);
  if (surprise && !e) console.error(error);
  return (
    <div className="note note-error" role="alert">
      {/* The station's own word for a failure inside it already begins "Något gick fel". */}
      {surprise && !e && <strong>{t('errors.title')}: </strong>}
      {e ? localized(e.message) : surprise ? t('errors.unexpected') : (error as Error).message}
    </div>
  );
}
