import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

/** Empties one location into another by scanning both: everything stored there moves, individuals and all. */
export function MoveAllPage() {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [from, setFrom] = useState<{ id: string; code: string } | null>(null);

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (r?.kind !== 'location') return w.fail(new Error(t('moveAll.scanLocation')));
      if (!from || from.id === r.id) {
        setFrom({ id: r.id, code: r.code });
        return w.ok(t('moveAll.from', { code: r.code }));
      }
      const got = await call('locations.moveEverything', { fromLocationId: from.id, toLocationId: r.id });
      w.done(got.movementIds);
      w.ok(t('moveAll.moved', { from: from.code, to: r.code, count: got.movementIds.length }));
      setFrom(null);
    },
    (command) => {
      if (command === 'cancel') {
        setFrom(null);
        w.warn(t('moveAll.cancelled'));
      }
    },
  );

  return (
    <main id="main" className="page">
      <h1>{t('moveAll.title')}</h1>
      <p className="prompt" data-testid="prompt">{from ? t('moveAll.scanTo', { code: from.code }) : t('moveAll.scanFrom')}</p>
      <ScanField label={t('workflow.typeCode')} />
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
    </main>
  );
}
