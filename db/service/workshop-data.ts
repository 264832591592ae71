/**
 * The workshop's own data, kept by the workshop at any station: inspection checklists, maintenance
 * plans, the technicians trained for each article family, the parts that come back with a device,
 * and where an article is put away at a site. Each change is checked by the rules the register
 * applies too (`workshop-rules.ts`), written here, audited with who and when, and queued for the
 * register, which hands it to every station (a preferred location to the stations of its site).
 */
import { DepotError } from '../../vocabulary/errors';
import { audit } from '../audit';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { stmt } from '../statements';
import type { Actor } from '../stock/ledger';
import { queueChanges } from '../sync/outbox';
import { requireRole } from '../users/users';
import { CHANGED_BY, isIsoPrefix, readQuestions, workshopDataWrong, type ChecklistQuestion, type WorkshopKind } from './workshop-rules';

type Row = Record<string, unknown>;

/** Checks a change by the shared rules and by who makes it, writes it with `write`, audits it and queues it for the register. */
function change(store: StationDb, actor: Actor, kind: WorkshopKind, id: string, data: Row, write: (full: Row) => void): Row {
  requireRole(store, actor.userId, CHANGED_BY[kind], { sv: 'Din roll får inte ändra det här. Be en arbetsledare om hjälp.', en: 'Your role may not change this. Ask a supervisor for help.' });
  const full = { ...data, changed_by: actor.userId, changed_at: Date.now() };
  const problem = workshopDataWrong(kind, id, full);
  if (problem) throw new DepotError('workshop.invalid', { sv: problem.sv, en: problem.en }, problem.field);
  store.sqlite.transaction(() => {
    write(full);
    audit(store, { ...actor, action: `workshop.${kind}`, entity: kind, entityId: id, detail: full });
    queueChanges(store, [[kind, id, full]]);
  })();
  return full;
}

const unknownArticle = () => new DepotError('workshop.unknown_article', { sv: 'Artikeln finns inte. Sök upp den igen.', en: 'The article does not exist. Look it up again.' }, 'articleId');

function articleExists(store: StationDb, id: string): void {
  if (!stmt(store, 'select 1 from articles where id = ?').get(id)) throw unknownArticle();
}

export interface ChecklistInput {
  id?: string | null;
  name: string;
  /** One article, or else an ISO 9999 class ('' for every article). */
  articleId?: string | null;
  isoPrefix?: string | null;
  questions: { id?: string | null; sv: string; en: string }[];
}

/** Checklists and plans: each a row of its table, written whole, retired rather than deleted. */
const KEPT = {
  checklist: {
    table: 'inspection_checklists',
    columns: ['id', 'name', 'article_id', 'iso_prefix', 'questions', 'retired_at', 'changed_by', 'changed_at'],
    gone: { sv: 'Kontrollistan finns inte längre. Läs in sidan igen.', en: 'The checklist no longer exists. Reload the page.' },
  },
  maintenance_plan: {
    table: 'maintenance_plans',
    columns: ['id', 'name', 'iso_prefix', 'interval_days', 'interval_hours', 'retired_at', 'changed_by', 'changed_at'],
    gone: { sv: 'Planen finns inte längre. Läs in sidan igen.', en: 'The plan no longer exists. Reload the page.' },
  },
} as const;
type KeptKind = keyof typeof KEPT;

/** The row as it stands (its own fields, not who changed it), or null for a new one; one asked for by id that is gone is refused. */
function standing(store: StationDb, kind: KeptKind, id: string | null | undefined): Row | null {
  if (!id) return null;
  const { table, columns, gone } = KEPT[kind];
  const row = stmt<Row>(store, `select ${columns.filter((c) => !c.startsWith('changed_')).join(', ')} from ${table} where id = ?`).get(id);
  if (!row) throw new DepotError('workshop.unknown', gone);
  return row;
}

function write(store: StationDb, kind: KeptKind, d: Row): void {
  const { table, columns } = KEPT[kind];
  stmt(
    store,
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})
     on conflict (id) do update set ${columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
  ).run(...columns.map((c) => d[c] ?? null));
}

const keep = (store: StationDb, actor: Actor, kind: KeptKind, data: Row) => change(store, actor, kind, data.id as string, data, (full) => write(store, kind, full));

/** Writes a checklist (new, or a new version of one); questions without an id get one. */
export function saveChecklist(store: StationDb, actor: Actor, input: ChecklistInput): { id: string } {
  const before = standing(store, 'checklist', input.id);
  const id = input.id ?? uuidv7();
  const articleId = input.articleId || null;
  if (articleId) articleExists(store, articleId);
  const questions: ChecklistQuestion[] = input.questions.map((q, n) => ({ id: q.id || `q${n + 1}-${uuidv7().slice(-6)}`, sv: q.sv.trim(), en: q.en.trim() }));
  keep(store, actor, 'checklist', { id, name: input.name.trim(), article_id: articleId, iso_prefix: articleId ? null : (input.isoPrefix ?? '').trim(), questions: JSON.stringify(questions), retired_at: before?.retired_at ?? null });
  return { id };
}

export interface PlanInput {
  id?: string | null;
  name: string;
  isoPrefix: string;
  intervalDays?: number | null;
  intervalHours?: number | null;
}

/** Writes a maintenance plan: an article family serviced every so many days and/or operating hours. */
export function savePlan(store: StationDb, actor: Actor, input: PlanInput): { id: string } {
  const before = standing(store, 'maintenance_plan', input.id);
  const id = input.id ?? uuidv7();
  keep(store, actor, 'maintenance_plan', { id, name: input.name.trim(), iso_prefix: input.isoPrefix.trim(), interval_days: input.intervalDays ?? null, interval_hours: input.intervalHours ?? null, retired_at: before?.retired_at ?? null });
  return { id };
}

/** Retires a checklist (inspections made by it keep their questions' words) or a plan (nothing falls due by it any more; its sign-offs stay on each device's record). */
function retire(store: StationDb, actor: Actor, kind: KeptKind, id: string): void {
  const row = standing(store, kind, id)!;
  keep(store, actor, kind, { ...row, retired_at: (row.retired_at as number | null) ?? Date.now() });
}

export const retireChecklist = (store: StationDb, actor: Actor, id: string): void => retire(store, actor, 'checklist', id);
export const retirePlan = (store: StationDb, actor: Actor, id: string): void => retire(store, actor, 'maintenance_plan', id);

/** Says which article families (ISO 9999 classes) a technician is trained for: the whole list, replacing the one before. */
export function setTraining(store: StationDb, actor: Actor, input: { userId: string; isoPrefixes: string[] }): void {
  const user = stmt<{ role: string; active: number; name: string }>(store, 'select role, active, name from users where id = ?').get(input.userId);
  if (!user || user.role !== 'technician' || !user.active)
    throw new DepotError('workshop.not_technician', { sv: 'Bara aktiva tekniker kan vara utbildade för underhåll.', en: 'Only active technicians can be trained for maintenance.' }, 'userId');
  const prefixes = [...new Set(input.isoPrefixes.map((p) => p.trim()))].sort();
  const data = { id: input.userId, user_id: input.userId, iso_prefixes: prefixes };
  change(store, actor, 'training', input.userId, data, (full) => writeTraining(store, input.userId, full.iso_prefixes as string[]));
}

export function writeTraining(store: StationDb, userId: string, prefixes: readonly unknown[]): void {
  stmt(store, 'delete from technician_training where user_id = ?').run(userId);
  for (const p of prefixes) if (isIsoPrefix(p)) stmt(store, 'insert or ignore into technician_training (user_id, iso_prefix) values (?, ?)').run(userId, p);
}

/** Says what comes back with a returned device of an article (its return checklist): the whole list, replacing the one before. */
export function setComponents(store: StationDb, actor: Actor, input: { articleId: string; components: { name: string; quantity: number }[] }): void {
  articleExists(store, input.articleId);
  const components = input.components.map((c) => ({ name: c.name.trim(), quantity: c.quantity }));
  const data = { id: input.articleId, article_id: input.articleId, components };
  change(store, actor, 'components', input.articleId, data, (full) => writeComponents(store, input.articleId, full.components as unknown[]));
}

export function writeComponents(store: StationDb, articleId: string, components: readonly unknown[]): void {
  stmt(store, 'delete from article_components where article_id = ?').run(articleId);
  for (const c of components)
    if (typeof c === 'object' && c !== null) stmt(store, 'insert or ignore into article_components (article_id, name, quantity) values (?, ?, ?)').run(articleId, (c as Row).name, (c as Row).quantity);
}

/** Where an article is put away at a site by preference (null: nowhere in particular); the site's stations all follow it. */
export function setPreferred(store: StationDb, actor: Actor, input: { articleId: string; siteId: string; locationId: string | null }): void {
  articleExists(store, input.articleId);
  if (input.locationId !== null) {
    const l = stmt<{ site_id: string; retired_at: number | null }>(store, 'select site_id, retired_at from locations where id = ?').get(input.locationId);
    if (!l || l.retired_at !== null) throw new DepotError('locations.unknown', { sv: 'Platsen finns inte (eller är avvecklad).', en: 'The location does not exist (or is retired).' }, 'locationId');
    if (l.site_id !== input.siteId) throw new DepotError('locations.other_site', { sv: 'Platsen hör till ett annat förråd.', en: 'The location belongs to another site.' }, 'locationId');
  }
  const id = `${input.articleId}|${input.siteId}`;
  const data = { id, article_id: input.articleId, site_id: input.siteId, location_id: input.locationId };
  change(store, actor, 'preferred_location', id, data, (full) => writePreferred(store, full));
}

export function writePreferred(store: StationDb, d: Row): void {
  if (d.location_id === null || d.location_id === undefined) stmt(store, 'delete from preferred_locations where article_id = ? and site_id = ?').run(d.article_id, d.site_id);
  else stmt(store, 'insert or replace into preferred_locations (article_id, site_id, location_id) values (?, ?, ?)').run(d.article_id, d.site_id, d.location_id);
}

/** The workshop's data as the screen shows it: checklists and plans in use (retired ones last), technicians with their training, articles with component lists. */
export function workshopData(store: StationDb) {
  const checklists = stmt<{ id: string; name: string; articleId: string | null; articleName: string | null; isoPrefix: string | null; questions: string; retiredAt: number | null; changedBy: string | null; changedAt: number | null }>(
    store,
    `select c.id, c.name, c.article_id as articleId, a.name as articleName, c.iso_prefix as isoPrefix, c.questions, c.retired_at as retiredAt, u.name as changedBy, c.changed_at as changedAt
     from inspection_checklists c left join articles a on a.id = c.article_id left join users u on u.id = c.changed_by
     order by c.retired_at is not null, coalesce(c.iso_prefix, ''), sv_order(c.name)`,
  )
    .all()
    .map((c) => ({ ...c, questions: readQuestions(c.questions) ?? [] }));
  const plans = stmt<{ id: string; name: string; isoPrefix: string; intervalDays: number | null; intervalHours: number | null; retiredAt: number | null; changedBy: string | null; changedAt: number | null }>(
    store,
    `select p.id, p.name, p.iso_prefix as isoPrefix, p.interval_days as intervalDays, p.interval_hours as intervalHours, p.retired_at as retiredAt, u.name as changedBy, p.changed_at as changedAt
     from maintenance_plans p left join users u on u.id = p.changed_by order by p.retired_at is not null, p.iso_prefix, sv_order(p.name)`,
  ).all();
  const technicians = stmt<{ id: string; name: string; prefixes: string | null }>(
    store,
    `select u.id, u.name, (select group_concat(t.iso_prefix, ' ') from (select iso_prefix from technician_training where user_id = u.id order by iso_prefix) t) as prefixes
     from users u where u.role = 'technician' and u.active = 1 order by sv_order(u.name)`,
  )
    .all()
    .map((t) => ({ id: t.id, name: t.name, isoPrefixes: t.prefixes ? t.prefixes.split(' ') : [] }));
  return { checklists, plans, technicians };
}
