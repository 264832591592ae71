import { useTranslation } from 'react-i18next';
import { ErrorNote, unexpected } from './ErrorNote';

/** What a detail page shows before its data is there: the error, or that it is loading. */
export function PageState({ error }: { error: unknown }) {
  const { t } = useTranslation();
  return error ? (
    <main id="main" className="page">
      <h1>{unexpected(error) ? t('errors.title') : t('errors.notShown')}</h1>
      <ErrorNote error={error} />
    </main>
  ) : (
    <main id="main" className="page" aria-busy="true">
      <p>{t('app.loading')}</p>
    </main>
  );
}
