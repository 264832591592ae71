import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../../api/contract';
import { CallFailed } from '../bridge/client';
import { localized } from '../i18n';

/** A station error in the worker's language, announced to screen readers. */
export function ErrorNote({ error }: { error: unknown }) {
  const { t } = useTranslation();
  if (!error) return null;
  const e: ApiError | null = error instanceof CallFailed ? error.error : null;
  return (
    <div className="note note-error" role="alert">
      <strong>{t('errors.title')}: </strong>
      {e ? localized(e.message) : String((error as Error).message ?? error)}
    </div>
  );
}
