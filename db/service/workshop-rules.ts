/**
 * The workshop's own data (inspection checklists, maintenance plans, who is trained for what, what
 * comes back with a device, where an article is put away): the rules a change must keep, judged the
 * same way at the station that writes it and at the register that takes it from any station. Pure:
 * the shapes are the register's entities, as the station's tables hold them.
 */
import type { Role } from '../../vocabulary/domain';

/** The kinds of workshop data, as register entities. */
export const WORKSHOP_KINDS = ['checklist', 'maintenance_plan', 'training', 'components', 'preferred_location'] as const;
export type WorkshopKind = (typeof WORKSHOP_KINDS)[number];
export const isWorkshopKind = (kind: string): kind is WorkshopKind => (WORKSHOP_KINDS as readonly string[]).includes(kind);

/** Who may change each kind: the workshop keeps its checklists, plans and component lists; only a supervisor says who is trained. */
export const CHANGED_BY: Record<WorkshopKind, readonly Role[]> = {
  checklist: ['technician', 'supervisor', 'admin'],
  maintenance_plan: ['technician', 'supervisor', 'admin'],
  components: ['technician', 'supervisor', 'admin'],
  training: ['supervisor', 'admin'],
  preferred_location: ['warehouse_worker', 'technician', 'supervisor', 'admin'],
};

type Row = Record<string, unknown>;

/** What is wrong with a change, in words for the person who made it; null when it holds. */
export type Wrong = { sv: string; en: string; field: string } | null;

const LIMITS = { name: 80, questions: 40, question: 200, prefixes: 50, components: 30, component: 60, quantity: 99, days: 3650, hours: 100_000 } as const;

/** An ISO 9999 class or subclass: 2, 4 or 6 digits. */
export const isIsoPrefix = (v: unknown): v is string => typeof v === 'string' && /^(\d{2}){1,3}$/.test(v);
const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max && v === v.trim();
const count = (v: unknown, max: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1 && v <= max;

export interface ChecklistQuestion {
  id: string;
  sv: string;
  en: string;
}

/** The questions of a stored checklist, or null when they are not a list of questions that holds. */
export function readQuestions(stored: unknown): ChecklistQuestion[] | null {
  let list: unknown;
  try {
    list = typeof stored === 'string' ? JSON.parse(stored) : null;
  } catch {
    return null;
  }
  if (!Array.isArray(list) || list.length === 0 || list.length > LIMITS.questions) return null;
  const ids = new Set<string>();
  for (const q of list as unknown[]) {
    if (typeof q !== 'object' || q === null || Array.isArray(q)) return null;
    const { id, sv, en, ...rest } = q as Row;
    if (Object.keys(rest).length || typeof id !== 'string' || !/^[A-Za-z0-9_-]{1,40}$/.test(id) || ids.has(id) || !text(sv, LIMITS.question) || !text(en, LIMITS.question)) return null;
    ids.add(id);
  }
  return list as ChecklistQuestion[];
}

const wrong = (field: string, sv: string, en: string): Wrong => ({ field, sv, en });

/** Whether a change of workshop data holds on its own (what it refers to is checked by whoever holds that). */
export function workshopDataWrong(kind: WorkshopKind, id: string, d: Row): Wrong {
  if (d.id !== id) return wrong('id', 'Ändringen är felaktig.', 'The change is malformed.');
  switch (kind) {
    case 'checklist': {
      if (!text(d.name, LIMITS.name)) return wrong('name', 'Ge kontrollistan ett namn (högst 80 tecken).', 'Give the checklist a name (at most 80 characters).');
      const forArticle = typeof d.article_id === 'string' && d.article_id.length > 0;
      if (forArticle ? d.iso_prefix !== null : !(d.iso_prefix === '' || isIsoPrefix(d.iso_prefix)))
        return wrong('isoPrefix', 'Välj vad kontrollistan gäller: en artikel, eller en ISO-klass (2, 4 eller 6 siffror).', 'Choose what the checklist is for: one article, or an ISO class (2, 4 or 6 digits).');
      if (!readQuestions(d.questions))
        return wrong('questions', 'Kontrollistan behöver 1–40 frågor, var och en med svensk och engelsk text (högst 200 tecken).', 'The checklist needs 1–40 questions, each with Swedish and English words (at most 200 characters).');
      return null;
    }
    case 'maintenance_plan': {
      if (!text(d.name, LIMITS.name)) return wrong('name', 'Ge planen ett namn (högst 80 tecken).', 'Give the plan a name (at most 80 characters).');
      if (!isIsoPrefix(d.iso_prefix)) return wrong('isoPrefix', 'Ange ISO-klassen planen gäller (2, 4 eller 6 siffror).', 'Give the ISO class the plan is for (2, 4 or 6 digits).');
      const days = d.interval_days ?? null;
      const hours = d.interval_hours ?? null;
      if ((days === null && hours === null) || (days !== null && !count(days, LIMITS.days)) || (hours !== null && !count(hours, LIMITS.hours)))
        return wrong('intervalDays', 'Ange hur ofta: var så många dagar (1–3650) eller drifttimmar (1–100 000).', 'Say how often: every so many days (1–3650) or operating hours (1–100,000).');
      return null;
    }
    case 'training': {
      const list = d.iso_prefixes;
      if (d.user_id !== id || !Array.isArray(list) || list.length > LIMITS.prefixes || !list.every(isIsoPrefix) || new Set(list).size !== list.length)
        return wrong('isoPrefixes', 'Ange ISO-klasserna teknikern är utbildad för (2, 4 eller 6 siffror, högst 50).', 'Give the ISO classes the technician is trained for (2, 4 or 6 digits, at most 50).');
      return null;
    }
    case 'components': {
      const list = d.components;
      const ok =
        d.article_id === id &&
        Array.isArray(list) &&
        list.length <= LIMITS.components &&
        list.every((c: unknown) => typeof c === 'object' && c !== null && text((c as Row).name, LIMITS.component) && count((c as Row).quantity, LIMITS.quantity)) &&
        new Set(list.map((c: Row) => (c.name as string).toLowerCase())).size === list.length;
      return ok ? null : wrong('components', 'Varje del en gång, med namn (högst 60 tecken) och antal 1–99; högst 30 delar.', 'Each part once, with a name (at most 60 characters) and a quantity of 1–99; at most 30 parts.');
    }
    case 'preferred_location':
      return typeof d.article_id === 'string' && typeof d.site_id === 'string' && id === `${d.article_id}|${d.site_id}` && (d.location_id === null || typeof d.location_id === 'string')
        ? null
        : wrong('locationId', 'Ändringen är felaktig.', 'The change is malformed.');
  }
}
