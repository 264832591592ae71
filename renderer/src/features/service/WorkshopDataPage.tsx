import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CallOutput } from '../../../../api/contract';
import { call } from '../../bridge/client';
import { ErrorNote } from '../../components/ErrorNote';
import { useCall } from '../../components/useCall';
import { formatDateTime } from '../../i18n';

type Data = CallOutput<'workshop.data'>;
type Checklist = Data['checklists'][number];
type Plan = Data['plans'][number];

/** Who changed it last, and when. */
function Changed({ by, at }: { by: string | null; at: number | null }) {
  const { t } = useTranslation();
  return <>{at ? t('workshopData.changed', { by: by ?? '–', at: formatDateTime(at) }) : t('workshopData.fromStart')}</>;
}

interface Kept {
  id: string;
  name: string;
  retiredAt: number | null;
  changedBy: string | null;
  changedAt: number | null;
}

/** Checklists or plans: the name (retired ones marked), what is particular to the kind, who changed it last, and its edit button. */
function KeptTable<T extends Kept>({ testId, columns, rows, onEdit }: { testId: string; columns: string[]; rows: { item: T; cells: string[] }[]; onEdit: (item: T) => void }) {
  const { t } = useTranslation();
  return (
    <table className="lines" data-testid={testId}>
      <thead>
        <tr>
          {[t('workshopData.name'), ...columns, t('workshopData.changedLabel')].map((c) => (
            <th key={c} scope="col">
              {c}
            </th>
          ))}
          <th scope="col">
            <span className="visually-hidden">{t('workshopData.actions')}</span>
          </th>
        </tr>
      </thead>
      <tbody>
        {rows.map(({ item, cells }) => (
          <tr key={item.id} className={item.retiredAt ? 'muted' : undefined}>
            <td>
              {item.name}
              {item.retiredAt ? ` (${t('workshopData.retired')})` : ''}
            </td>
            {cells.map((c, i) => (
              <td key={i}>{c}</td>
            ))}
            <td>
              <Changed by={item.changedBy} at={item.changedAt} />
            </td>
            <td>
              {!item.retiredAt && (
                <button type="button" className="ghost" onClick={() => onEdit(item)}>
                  {t('workshopData.edit')} <span className="visually-hidden">{item.name}</span>
                </button>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** ISO classes typed as a list: "1222, 1223 18". */
const prefixList = (text: string) => text.split(/[\s,;]+/).filter(Boolean);

/**
 * Verkstadsdata: the inspection checklists, maintenance plans and training the workshop keeps. A
 * change is saved at this station and reaches every station through the register; who made it and
 * when is shown beside it. Technicians keep checklists and plans; a supervisor says who is trained.
 */
export function WorkshopDataPage({ supervisor }: { supervisor: boolean }) {
  const { t } = useTranslation();
  const [tick, setTick] = useState(0);
  const { data, error } = useCall('workshop.data', {}, [tick]);
  const [note, setNote] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>(null);
  const [editing, setEditing] = useState<Checklist | 'new' | null>(null);
  const [plan, setPlan] = useState<Plan | 'new' | null>(null);
  const done = (text: string) => () => {
    setNote(text);
    setFailure(null);
    setTick((n) => n + 1);
  };
  const fail = (e: unknown) => (setFailure(e), setNote(null));
  const scope = (c: Checklist) => (c.articleName ? t('workshopData.forArticle', { name: c.articleName }) : c.isoPrefix ? t('workshopData.forIso', { iso: c.isoPrefix }) : t('workshopData.forAll'));
  return (
    <main id="main" className="page">
      <h1>{t('workshopData.title')}</h1>
      <p className="muted">{t('workshopData.help')}</p>
      <ErrorNote error={error ?? failure} />
      {note && (
        <p className="note note-ok" role="status" data-testid="workshop-note">
          {note}
        </p>
      )}
      {data && (
        <>
          <section aria-labelledby="cl-h">
            <h2 id="cl-h">{t('workshopData.checklists')}</h2>
            <KeptTable
              testId="checklists"
              columns={[t('workshopData.appliesTo'), t('workshopData.questions')]}
              rows={data.checklists.map((c) => ({ item: c, cells: [scope(c), String(c.questions.length)] }))}
              onEdit={setEditing}
            />
            {editing ? (
              <ChecklistEditor
                key={editing === 'new' ? 'new' : editing.id}
                checklist={editing === 'new' ? null : editing}
                onDone={(text) => (setEditing(null), done(text)())}
                onCancel={() => setEditing(null)}
                onFail={fail}
              />
            ) : (
              <button type="button" onClick={() => setEditing('new')}>
                {t('workshopData.newChecklist')}
              </button>
            )}
          </section>

          <section aria-labelledby="mp-h">
            <h2 id="mp-h">{t('workshopData.plans')}</h2>
            <KeptTable
              testId="plans"
              columns={[t('workshopData.iso'), t('workshopData.every')]}
              rows={data.plans.map((p) => ({
                item: p,
                cells: [p.isoPrefix, [p.intervalDays && t('workshopData.days', { count: p.intervalDays }), p.intervalHours && t('workshopData.hours', { count: p.intervalHours })].filter(Boolean).join(', ')],
              }))}
              onEdit={setPlan}
            />
            {plan ? (
              <PlanEditor key={plan === 'new' ? 'new' : plan.id} plan={plan === 'new' ? null : plan} onDone={(text) => (setPlan(null), done(text)())} onCancel={() => setPlan(null)} onFail={fail} />
            ) : (
              <button type="button" onClick={() => setPlan('new')}>
                {t('workshopData.newPlan')}
              </button>
            )}
          </section>

          <section aria-labelledby="tr-h">
            <h2 id="tr-h">{t('workshopData.training')}</h2>
            <p className="muted">{supervisor ? t('workshopData.trainingHelp') : t('workshopData.trainingBySupervisor')}</p>
            <table className="lines" data-testid="training">
              <thead>
                <tr>
                  <th scope="col">{t('roles.technician')}</th>
                  <th scope="col">{t('workshopData.trainedFor')}</th>
                </tr>
              </thead>
              <tbody>
                {data.technicians.map((u) => (
                  <tr key={u.id}>
                    <td>{u.name}</td>
                    <td>{supervisor ? <Training userId={u.id} name={u.name} prefixes={u.isoPrefixes} onDone={(text) => done(text)()} onFail={fail} /> : u.isoPrefixes.join(', ') || '–'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </main>
  );
}

function Training({ userId, name, prefixes, onDone, onFail }: { userId: string; name: string; prefixes: string[]; onDone: (text: string) => void; onFail: (e: unknown) => void }) {
  const { t } = useTranslation();
  const [text, setText] = useState(prefixes.join(', '));
  return (
    <form
      className="form-row"
      onSubmit={(e) => {
        e.preventDefault();
        call('workshop.setTraining', { userId, isoPrefixes: prefixList(text) }).then(() => onDone(t('workshopData.trainingSaved', { name })), onFail);
      }}
    >
      <label>
        <span className="visually-hidden">{t('workshopData.trainedForOf', { name })}</span>
        <input value={text} onChange={(e) => setText(e.target.value)} placeholder="1222, 1223" />
      </label>
      <button type="submit" className="ghost">
        {t('workshopData.save')} <span className="visually-hidden">{name}</span>
      </button>
    </form>
  );
}

/** Retiring asks first, beside the button: a retired checklist or plan applies nowhere any more. */
function Retire({ name, onRetire }: { name: string; onRetire: () => void }) {
  const { t } = useTranslation();
  const [asking, setAsking] = useState(false);
  return asking ? (
    <span role="group" aria-label={t('workshopData.retireQuestion', { name })}>
      {t('workshopData.retireQuestion', { name })}{' '}
      <button type="button" className="danger" onClick={onRetire}>
        {t('workshopData.retireYes')}
      </button>{' '}
      <button type="button" className="ghost" onClick={() => setAsking(false)}>
        {t('workshopData.retireNo')}
      </button>
    </span>
  ) : (
    <button type="button" className="ghost" onClick={() => setAsking(true)}>
      {t('workshopData.retire')}
    </button>
  );
}

/** An editor's buttons: save, cancel, and for one that exists, retire (asked first). */
function EditorActions({ onCancel, retire }: { onCancel: () => void; retire: { name: string; run: () => void } | null }) {
  const { t } = useTranslation();
  return (
    <div className="form-row">
      <button type="submit">{t('workshopData.save')}</button>
      <button type="button" className="ghost" onClick={onCancel}>
        {t('workshopData.cancel')}
      </button>
      {retire && <Retire name={retire.name} onRetire={retire.run} />}
    </div>
  );
}

interface EditorProps {
  onDone: (text: string) => void;
  onCancel: () => void;
  onFail: (e: unknown) => void;
}

function ChecklistEditor({ checklist, onDone, onCancel, onFail }: EditorProps & { checklist: Checklist | null }) {
  const { t } = useTranslation();
  const [name, setName] = useState(checklist?.name ?? '');
  const [iso, setIso] = useState(checklist?.isoPrefix ?? '');
  const [questions, setQuestions] = useState(checklist?.questions.map((q) => ({ ...q })) ?? [{ id: '', sv: '', en: '' }]);
  const set = (n: number, field: 'sv' | 'en', value: string) => setQuestions((qs) => qs.map((q, i) => (i === n ? { ...q, [field]: value } : q)));
  const save = () =>
    call('workshop.saveChecklist', { id: checklist?.id ?? null, name, articleId: checklist?.articleId ?? null, isoPrefix: checklist?.articleId ? null : iso.trim(), questions: questions.map((q) => ({ id: q.id || null, sv: q.sv, en: q.en })) }).then(
      () => onDone(t('workshopData.checklistSaved', { name: name.trim() })),
      onFail,
    );
  return (
    <form className="editor" aria-label={checklist ? t('workshopData.editChecklist', { name: checklist.name }) : t('workshopData.newChecklist')} onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        {t('workshopData.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      {checklist?.articleName ? (
        <p>{t('workshopData.forArticle', { name: checklist.articleName })}</p>
      ) : (
        <label>
          {t('workshopData.isoOrAll')}
          <input value={iso} onChange={(e) => setIso(e.target.value)} inputMode="numeric" maxLength={6} />
        </label>
      )}
      <fieldset>
        <legend>{t('workshopData.questions')}</legend>
        <ol className="questions">
          {questions.map((q, n) => (
            <li key={n}>
              <label>
                {t('workshopData.questionSv', { n: n + 1 })}
                <input value={q.sv} onChange={(e) => set(n, 'sv', e.target.value)} required maxLength={200} />
              </label>
              <label>
                {t('workshopData.questionEn', { n: n + 1 })}
                <input value={q.en} onChange={(e) => set(n, 'en', e.target.value)} required maxLength={200} />
              </label>
              <button type="button" className="ghost" onClick={() => setQuestions((qs) => qs.filter((_, i) => i !== n))} disabled={questions.length === 1}>
                {t('workshopData.removeQuestion', { n: n + 1 })}
              </button>
            </li>
          ))}
        </ol>
        <button type="button" className="ghost" onClick={() => setQuestions((qs) => [...qs, { id: '', sv: '', en: '' }])}>
          {t('workshopData.addQuestion')}
        </button>
      </fieldset>
      <EditorActions onCancel={onCancel} retire={checklist && { name: checklist.name, run: () => call('workshop.retireChecklist', { id: checklist.id }).then(() => onDone(t('workshopData.retiredDone', { name: checklist.name })), onFail) }} />
    </form>
  );
}

function PlanEditor({ plan, onDone, onCancel, onFail }: EditorProps & { plan: Plan | null }) {
  const { t } = useTranslation();
  const [name, setName] = useState(plan?.name ?? '');
  const [iso, setIso] = useState(plan?.isoPrefix ?? '');
  const [days, setDays] = useState(plan?.intervalDays?.toString() ?? '');
  const [hours, setHours] = useState(plan?.intervalHours?.toString() ?? '');
  const number = (v: string) => (v.trim() ? Number(v) : null);
  const save = () =>
    call('workshop.savePlan', { id: plan?.id ?? null, name, isoPrefix: iso, intervalDays: number(days), intervalHours: number(hours) }).then(() => onDone(t('workshopData.planSaved', { name: name.trim() })), onFail);
  return (
    <form className="editor" aria-label={plan ? t('workshopData.editPlan', { name: plan.name }) : t('workshopData.newPlan')} onSubmit={(e) => (e.preventDefault(), void save())}>
      <label>
        {t('workshopData.name')}
        <input value={name} onChange={(e) => setName(e.target.value)} required maxLength={80} />
      </label>
      <label>
        {t('workshopData.iso')}
        <input value={iso} onChange={(e) => setIso(e.target.value)} required inputMode="numeric" maxLength={6} />
      </label>
      <label>
        {t('workshopData.everyDays')}
        <input value={days} onChange={(e) => setDays(e.target.value.replace(/\D/g, ''))} inputMode="numeric" />
      </label>
      <label>
        {t('workshopData.everyHours')}
        <input value={hours} onChange={(e) => setHours(e.target.value.replace(/\D/g, ''))} inputMode="numeric" />
      </label>
      <EditorActions onCancel={onCancel} retire={plan && { name: plan.name, run: () => call('workshop.retirePlan', { id: plan.id }).then(() => onDone(t('workshopData.retiredDone', { name: plan.name })), onFail) }} />
    </form>
  );
}
