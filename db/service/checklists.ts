/**
 * Inspection checklists: what a technician checks on a cleaned device before it may go out again.
 * One checklist per article, or per article family (an ISO 9999 code prefix; '' for all); the most
 * specific one applies. Every question is answered OK or not (with a note); the inspection passes
 * only when every answer is OK.
 */
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { stmt } from '../statements';

export interface ChecklistQuestion {
  id: string;
  sv: string;
  en: string;
}

export interface Checklist {
  id: string;
  name: string;
  questions: ChecklistQuestion[];
}

export interface Answer {
  questionId: string;
  ok: boolean;
  note?: string | null;
}

/** The checklist for an individual's article, or null when none applies. */
export function checklistFor(store: StationDb, articleId: string): Checklist | null {
  const row = stmt<{ id: string; name: string; questions: string }>(
    store,
    `select c.id, c.name, c.questions from inspection_checklists c, articles a
     where a.id = ? and c.retired_at is null and (c.article_id = a.id or (c.article_id is null and a.iso_code like coalesce(c.iso_prefix, '') || '%'))
     order by c.article_id is null, length(coalesce(c.iso_prefix, '')) desc limit 1`,
  ).get(articleId);
  return row ? { id: row.id, name: row.name, questions: JSON.parse(row.questions) as ChecklistQuestion[] } : null;
}

export interface InspectionRecord {
  checklist: string;
  answers: { question: string; ok: boolean; note: string | null }[];
  passed: boolean;
}

/**
 * Checks the answers against the checklist: every question answered once, nothing else. Returns
 * what goes on the record (the questions' words as they were, so a later edit of the checklist does
 * not change history) and whether the inspection passed.
 */
export function answerChecklist(checklist: Checklist, answers: readonly Answer[], individualNumber: string): InspectionRecord {
  const byId = new Map(answers.map((a) => [a.questionId, a]));
  const unknown = answers.find((a) => !checklist.questions.some((q) => q.id === a.questionId));
  if (unknown || byId.size !== answers.length)
    throw new DepotError('inspection.bad_answers', {
      sv: `Svaren hör inte till kontrollistan ${checklist.name}. Öppna individen igen och svara på nytt.`,
      en: `The answers do not belong to checklist ${checklist.name}. Open the individual again and answer anew.`,
    });
  const missing = checklist.questions.filter((q) => !byId.has(q.id));
  if (missing.length)
    throw new DepotError('inspection.unanswered', {
      sv: `${individualNumber}: svara på alla punkter i kontrollistan först (${missing.map((q) => q.sv).join(', ')}).`,
      en: `${individualNumber}: answer every point of the checklist first (${missing.map((q) => q.en).join(', ')}).`,
    });
  const record = checklist.questions.map((q) => {
    const a = byId.get(q.id)!;
    return { question: q.sv, ok: a.ok, note: a.note?.trim() || null };
  });
  const failedWithoutNote = record.find((r) => !r.ok && !r.note);
  if (failedWithoutNote)
    throw new DepotError('inspection.note_needed', {
      sv: `Skriv vad som är fel: ${failedWithoutNote.question}.`,
      en: `Write what is wrong: ${failedWithoutNote.question}.`,
    });
  return { checklist: checklist.name, answers: record, passed: record.every((r) => r.ok) };
}
