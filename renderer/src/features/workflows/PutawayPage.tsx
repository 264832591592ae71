import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ScanField, WorkflowStatus, useWorkflow, useWorkflowScans } from './useWorkflow';

type Suggestion = CallOutput<'putaway.suggest'>;
interface Item {
  articleId: string;
  individualId: string | null;
  label: string;
  lot: string | null;
}

/** Putaway: scan the item, the station suggests where it goes, scan the location to confirm. */
export function PutawayPage({ move = false }: { move?: boolean }) {
  const { t } = useTranslation();
  const w = useWorkflow();
  const [item, setItem] = useState<Item | null>(null);
  const [from, setFrom] = useState<{ id: string; code: string } | null>(null);
  const [suggestion, setSuggestion] = useState<Suggestion>(null);
  const [pending, setPending] = useState<{ id: string; code: string } | null>(null);
  const [quantity, setQuantity] = useState(1);

  const place = async (to: { id: string; code: string }) => {
    if (!item) return;
    const input = { articleId: item.articleId, individualId: item.individualId, lot: item.lot, quantity: item.individualId ? 1 : quantity, fromLocationId: from?.id ?? null, toLocationId: to.id };
    const r = move ? await call('move.move', input) : await call('putaway.putAway', input);
    w.done(r.movementIds);
    w.ok(t(move ? 'move.moved' : 'putaway.placed', { item: item.label, code: to.code }));
    setItem(null);
    setFrom(null);
    setSuggestion(null);
    setPending(null);
  };

  useWorkflowScans(
    w,
    async (scan) => {
      const r = scan.resolution;
      if (r?.kind === 'individual') {
        setItem({ articleId: r.articleId, individualId: r.id, label: r.individualNumber, lot: null });
        setPending(null);
        if (!move) {
          const s = await call('putaway.suggest', { articleId: r.articleId });
          setSuggestion(s);
          return w.ok(s ? t('putaway.suggested', { item: r.individualNumber, code: s.code }) : t('putaway.noSuggestion', { item: r.individualNumber }));
        }
        return w.ok(t('move.scanTo', { item: r.individualNumber }));
      }
      if (r?.kind === 'article') {
        if (move && !from) return w.fail(new Error(t('move.scanFromFirst')));
        setItem({ articleId: r.id, individualId: null, label: r.articleNumber, lot: r.details.lot ?? null });
        if (r.details.quantity) setQuantity(r.details.quantity);
        setPending(null);
        if (!move) {
          const s = await call('putaway.suggest', { articleId: r.id });
          setSuggestion(s);
          return w.ok(s ? t('putaway.suggested', { item: r.articleNumber, code: s.code }) : t('putaway.noSuggestion', { item: r.articleNumber }));
        }
        return w.ok(t('move.scanTo', { item: r.articleNumber }));
      }
      if (r?.kind === 'location') {
        if (!item) {
          if (move) {
            setFrom({ id: r.id, code: r.code });
            return w.ok(t('move.fromSet', { code: r.code }));
          }
          return w.fail(new Error(t('putaway.scanItemFirst')));
        }
        if (!move && suggestion && suggestion.locationId !== r.id) {
          setPending({ id: r.id, code: r.code });
          return w.warn(t('putaway.notSuggested', { suggested: suggestion.code, code: r.code }));
        }
        return place({ id: r.id, code: r.code });
      }
      w.fail(new Error(t('putaway.scanItemOrLocation')));
    },
    (command) => {
      if (command === 'confirm' && pending) void place(pending).catch(w.fail);
      if (command === 'cancel' || command === 'done') {
        setItem(null);
        setFrom(null);
        setSuggestion(null);
        setPending(null);
        w.ok(t('workflow.cleared'));
      }
    },
  );

  const prompt = !item
    ? move
      ? from
        ? t('move.scanItemAt', { code: from.code })
        : t('move.scanItemOrFrom')
      : t('putaway.scanItem')
    : pending
      ? t('putaway.confirmOrRescan', { code: pending.code })
      : t('putaway.scanLocation', { item: item.label });

  return (
    <main id="main" className="page">
      <h1>{t(move ? 'move.title' : 'putaway.title')}</h1>
      <p className="prompt" data-testid="prompt">{prompt}</p>
      {suggestion && item && (
        <p className="suggestion" data-testid="suggestion">
          {t('putaway.suggestion')}: <strong className="code">{suggestion.code}</strong> ({t(`putaway.why.${suggestion.why}`)})
        </p>
      )}
      <ScanField label={t('workflow.typeCode')} />
      {!item?.individualId && (
        <label className="field inline">
          {t('receive.quantity')}
          <input type="number" min={1} max={10000} value={quantity} onChange={(e) => setQuantity(Math.max(1, Number(e.target.value) || 1))} />
        </label>
      )}
      {pending && (
        <button type="button" className="primary" onClick={() => void place(pending).catch(w.fail)}>
          {t('putaway.placeHere', { code: pending.code })}
        </button>
      )}
      <WorkflowStatus feedback={w.feedback} canUndo={w.canUndo} onUndo={() => void w.undo()} />
    </main>
  );
}
