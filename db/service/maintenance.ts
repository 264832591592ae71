/**
 * Preventive maintenance: plans per article family (an ISO 9999 prefix) by interval in days and/or
 * operating hours; each individual's next due date from its last sign-off (or, never done, from when
 * it came into the register's care); a due list per site; a device due within the margin is not
 * offered for picking and says why; only a technician trained for the family may sign it off.
 */
import { DepotError } from '../errors';
import { uuidv7 } from '../ids';
import type { Store } from '../open';
import { getSetting } from '../settings';
import { stmt } from '../statements';
import { individualById } from '../workflows/common';

const DAY = 86_400_000;
export const DEFAULT_MARGIN_DAYS = 14;

export interface MaintenanceDue {
  individualId: string;
  individualNumber: string;
  articleName: string;
  planId: string;
  plan: string;
  /** When it falls due by days (null for an hours-only plan without a reading yet). */
  dueAt: number | null;
  locationCode: string | null;
}

const DUE_SQL = `
  select i.id as individualId, i.individual_number as individualNumber, a.name as articleName, p.id as planId, p.name as plan,
    coalesce((select max(r.done_at) from maintenance_records r where r.individual_id = i.id and r.plan_id = p.id),
             (select min(m.occurred_at) from movements m where m.individual_id = i.id)) + p.interval_days * ${DAY} as dueAt,
    l.code as locationCode
  from individuals i join articles a on a.id = i.article_id
    join maintenance_plans p on a.iso_code like p.iso_prefix || '%' and p.interval_days is not null
    left join locations l on l.id = i.location_id`;

/** Individuals at a site whose maintenance falls due before `until`, soonest first. */
export function maintenanceDueList(store: Store, siteId: string, until: number): MaintenanceDue[] {
  return stmt<MaintenanceDue>(
    store,
    `select * from (${DUE_SQL} where i.site_id = ? and i.status not in ('scrapped', 'cancelled')) where dueAt <= ? order by dueAt`,
  ).all(siteId, until);
}

/** Why an individual may not go out now, or null: maintenance due within the margin. */
export function maintenanceBlock(store: Store, individualId: string, now = Date.now()): { sv: string; en: string } | null {
  const margin = getSetting<number>(store, 'maintenance.marginDays', DEFAULT_MARGIN_DAYS);
  const due = stmt<MaintenanceDue>(store, `select * from (${DUE_SQL} where i.id = ?) where dueAt <= ? order by dueAt limit 1`).get(individualId, now + margin * DAY);
  if (!due) return null;
  const day = new Date(due.dueAt!).toISOString().slice(0, 10);
  return {
    sv: `${due.individualNumber}: ${due.plan} ska göras senast ${day}. Den lämnas inte ut förrän den är gjord; välj en annan.`,
    en: `${due.individualNumber}: ${due.plan} is due by ${day}. It does not go out until it is done; choose another.`,
  };
}

/** Signs a maintenance off, only by a technician trained for the article family. */
export function signOffMaintenance(store: Store, actor: { userId: string }, input: { individualId: string; planId: string; hours?: number | null; at?: number }): void {
  const ind = individualById(store, input.individualId);
  const plan = stmt<{ id: string; name: string; iso_prefix: string }>(store, 'select id, name, iso_prefix from maintenance_plans where id = ?').get(input.planId);
  if (!plan) throw new DepotError('maintenance.unknown_plan', { sv: 'Okänd underhållsplan.', en: 'Unknown maintenance plan.' });
  const iso = stmt<{ iso: string }>(store, 'select iso_code as iso from articles where id = ?').get(ind.articleId)!.iso;
  if (!iso.startsWith(plan.iso_prefix)) throw new DepotError('maintenance.wrong_plan', { sv: `${plan.name} gäller inte den här artikeln.`, en: `${plan.name} does not apply to this article.` });
  const trained = stmt(store, "select 1 from technician_training where user_id = ? and ? like iso_prefix || '%'").get(actor.userId, iso);
  if (!trained)
    throw new DepotError('maintenance.not_trained', {
      sv: `Du är inte utbildad för ${plan.name}. En utbildad tekniker måste signera.`,
      en: `You are not trained for ${plan.name}. A trained technician must sign it off.`,
    });
  stmt(store, 'insert into maintenance_records (id, plan_id, individual_id, done_at, user_id, hours) values (?, ?, ?, ?, ?, ?)').run(
    uuidv7(),
    plan.id,
    ind.id,
    input.at ?? Date.now(),
    actor.userId,
    input.hours ?? null,
  );
}
