import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallInput, CallOutput } from '../../../../api/contract';
import { currentLang } from '../../i18n';

type Checklist = NonNullable<CallOutput<'service.job'>['checklist']>;
type Answers = NonNullable<CallInput<'service.step'>['answers']>;

/**
 * The inspection: every point of the article's checklist answered OK or Fel (with what is wrong),
 * the hour meter if the device has one. "Allt OK" answers and records it in one go; otherwise the
 * answers decide whether it passes or goes to repair.
 */
export function ChecklistForm({ checklist, onSubmit }: { checklist: Checklist; onSubmit: (answers: Answers, hours: number | null) => void }) {
  const { t } = useTranslation();
  const lang = currentLang();
  const [ok, setOk] = useState<Record<string, boolean>>({});
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [hours, setHours] = useState('');
  const answered = checklist.questions.every((q) => q.id in ok);
  const faults = checklist.questions.filter((q) => ok[q.id] === false).length;
  const meter = hours.trim() === '' ? null : Number(hours);
  const answers = (all?: boolean): Answers => checklist.questions.map((q) => ({ questionId: q.id, ok: all ?? ok[q.id]!, note: all ? null : notes[q.id]?.trim() || null }));
  return (
    <form
      className="checklist"
      aria-labelledby="checklist-h"
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit(answers(), meter);
      }}
    >
      <h3 id="checklist-h">{t('service.checklist', { name: checklist.name })}</h3>
      {checklist.questions.map((q) => (
        <fieldset key={q.id} className="question">
          <legend>{q[lang]}</legend>
          <label>
            <input type="radio" name={`q-${q.id}`} checked={ok[q.id] === true} onChange={() => setOk((a) => ({ ...a, [q.id]: true }))} /> {t('service.okLabel')}
          </label>
          <label>
            <input type="radio" name={`q-${q.id}`} checked={ok[q.id] === false} onChange={() => setOk((a) => ({ ...a, [q.id]: false }))} /> {t('service.faultLabel')}
          </label>
          {ok[q.id] === false && (
            <label className="note">
              {t('service.noteLabel', { question: q[lang] })}
              <input value={notes[q.id] ?? ''} onChange={(e) => setNotes((n) => ({ ...n, [q.id]: e.target.value }))} required />
            </label>
          )}
        </fieldset>
      ))}
      <label>
        {t('service.hoursLabel')}
        <input inputMode="numeric" pattern="[0-9]*" value={hours} onChange={(e) => setHours(e.target.value)} />
      </label>
      {answered && <p role="status">{faults === 0 ? t('service.willPass') : t('service.willFail', { count: faults })}</p>}
      <div className="actions">
        <button type="button" onClick={() => onSubmit(answers(true), meter)}>
          {t('service.allOk')}
        </button>
        <button type="submit" className="ghost" disabled={!answered}>
          {t('service.saveInspection')}
        </button>
      </div>
    </form>
  );
}
