import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, SessionStatus, useSession } from './useSession';

/** Empties one location into another by scanning both: everything stored there moves, individuals and all. The workflow runs in the core. */
export function MoveAllPage() {
  const { t } = useTranslation();
  const { view, problem, undo } = useSession('move-all');

  return (
    <main id="main" className="page">
      <h1>{t('moveAll.title')}</h1>
      <Prompt view={view} />
      <ScanField label={t('workflow.typeCode')} />
      <SessionStatus view={view} problem={problem} onUndo={undo} />
    </main>
  );
}
