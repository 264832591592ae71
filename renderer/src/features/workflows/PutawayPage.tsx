import { useTranslation } from 'react-i18next';
import { ScanField } from './useWorkflow';
import { Prompt, QuantityField, SessionStatus, useSession } from './useSession';

/** Putaway (scan the item, the station suggests where, scan the location) or a stock move. The workflow runs in the core. */
export function PutawayPage({ move = false }: { move?: boolean }) {
  const { t } = useTranslation();
  const { view, state, send, problem, undo } = useSession(move ? 'move' : 'putaway');
  const item = state?.item ?? null;
  const suggestion = state?.suggestion ?? null;
  const pending = state?.pending ?? null;

  return (
    <main id="main" className="page">
      <h1>{t(move ? 'move.title' : 'putaway.title')}</h1>
      <Prompt view={view} />
      {suggestion && item && (
        <p className="suggestion" data-testid="suggestion">
          {t('putaway.suggestion')}: <strong className="code">{suggestion.code}</strong> ({t(`putaway.why.${suggestion.why}`)})
        </p>
      )}
      <ScanField label={t('workflow.typeCode')} />
      {!item?.individualId && <QuantityField value={state?.quantity ?? 1} onChange={(quantity) => send({ kind: 'quantity', quantity })} />}
      {pending && (
        <button type="button" className="primary" onClick={() => send({ kind: 'command', command: 'confirm' })}>
          {t('putaway.placeHere', { code: pending.code })}
        </button>
      )}
      <SessionStatus view={view} problem={problem} onUndo={undo} />
    </main>
  );
}
