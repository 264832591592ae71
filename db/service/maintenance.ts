/**
 * Preventive maintenance: plans per article family (an ISO 9999 prefix) by interval in days and/or
 * operating hours; each individual's next due date from its last sign-off (or, never done, from when
 * it came into the register's care); a due list per site; a device due within the margin is not
 * offered for picking and says why; only a technician trained for the family may sign it off.
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { getSetting } from '../settings';
import { stmt } from '../statements';
import { individualById } from '../workflows/common';
import { localDay } from '../../vocabulary/calendar';

const DAY = 86_400_000;
export const DEFAULT_MARGIN_DAYS = 14;

export const DEFAULT_MARGIN_HOURS = 25;

export interface MaintenanceDue {
  individualId: string;
  individualNumber: string;
  articleName: string;
  planId: string;
  plan: string;
  /** When it falls due by days (null for a plan by operating hours). */
  dueAt: number | null;
  /** Operating hours left before it falls due (null for a plan by days); negative when overdue. */
  hoursLeft: number | null;
  locationCode: string | null;
}

/**
 * Which individuals and plans to look at. One individual: from it to its plans. A whole site: from
 * the plans to the articles they cover to those articles' individuals (CROSS JOIN keeps SQLite to
 * that order; the other way round would test every individual of the region against every plan).
 */
const ONE = (interval: string) => `
  from individuals i join articles a on a.id = i.article_id
    join maintenance_plans p on a.iso_code like p.iso_prefix || '%' and p.${interval} is not null and p.retired_at is null
    left join locations l on l.id = i.location_id`;
const SITE = (interval: string) => `
  from maintenance_plans p cross join articles a on a.iso_code like p.iso_prefix || '%' and p.${interval} is not null and p.retired_at is null
    cross join individuals i on i.article_id = a.id
    left join locations l on l.id = i.location_id`;

// By days: from the last sign-off, or (never done) from the individual's first movement.
const byDays = (from: (interval: string) => string) => `
  select i.id as individualId, i.individual_number as individualNumber, a.name as articleName, p.id as planId, p.name as plan,
    coalesce((select max(r.done_at) from maintenance_records r where r.individual_id = i.id and r.plan_id = p.id),
             (select min(m.occurred_at) from movements m where m.individual_id = i.id)) + p.interval_days * ${DAY} as dueAt,
    null as hoursLeft, l.code as locationCode
  ${from('interval_days')}`;

// By operating hours: the meter's latest reading against the reading at the last sign-off (0 when never done).
const byHours = (from: (interval: string) => string) => `
  select i.id as individualId, i.individual_number as individualNumber, a.name as articleName, p.id as planId, p.name as plan,
    null as dueAt,
    p.interval_hours - ((select h.hours from hour_readings h where h.individual_id = i.id order by h.at desc limit 1)
      - coalesce((select r.hours from maintenance_records r where r.individual_id = i.id and r.plan_id = p.id order by r.done_at desc limit 1), 0)) as hoursLeft,
    l.code as locationCode
  ${from('interval_hours')}`;

/** How far ahead (days, operating hours) a device due for maintenance is held back from picking. */
export const maintenanceMargins = (store: StationDb) => ({
  days: getSetting<number>(store, 'maintenance.marginDays', DEFAULT_MARGIN_DAYS),
  hours: getSetting<number>(store, 'maintenance.marginHours', DEFAULT_MARGIN_HOURS),
});

/** Individuals at a site whose maintenance falls due before `until` (or within the hours margin), soonest first. */
export function maintenanceDueList(store: StationDb, siteId: string, until: number): MaintenanceDue[] {
  const live = "i.site_id = ? and i.status not in ('scrapped', 'cancelled')";
  return stmt<MaintenanceDue>(
    store,
    `select * from (
       select * from (${byDays(SITE)} where ${live}) where dueAt <= ?
       union all select * from (${byHours(SITE)} where ${live} and exists (select 1 from hour_readings h where h.individual_id = i.id)) where hoursLeft <= ?)
     order by dueAt is null, dueAt, hoursLeft`,
  ).all(siteId, until, siteId, maintenanceMargins(store).hours);
}

/** Why an individual may not go out now, or null: maintenance due within the margin (days or operating hours). */
export function maintenanceBlock(store: StationDb, individualId: string, now = Date.now()): { sv: string; en: string } | null {
  const m = maintenanceMargins(store);
  const due = stmt<MaintenanceDue>(
    store,
    `select * from (${byDays(ONE)} where i.id = ?) where dueAt <= ?
     union all select * from (${byHours(ONE)} where i.id = ?) where hoursLeft <= ? limit 1`,
  ).get(individualId, now + m.days * DAY, individualId, m.hours);
  if (!due) return null;
  if (due.dueAt === null)
    return {
      sv: `${due.individualNumber}: ${due.plan} ska göras inom ${Math.max(0, due.hoursLeft!)} drifttimmar. Den lämnas inte ut förrän den är gjord; välj en annan.`,
      en: `${due.individualNumber}: ${due.plan} is due within ${Math.max(0, due.hoursLeft!)} operating hours. It does not go out until it is done; choose another.`,
    };
  const day = localDay(due.dueAt);
  return {
    sv: `${due.individualNumber}: ${due.plan} ska göras senast ${day}. Den lämnas inte ut förrän den är gjord; välj en annan.`,
    en: `${due.individualNumber}: ${due.plan} is due by ${day}. It does not go out until it is done; choose another.`,
  };
}

/** Records an operating-hour meter reading; a meter never runs backwards. */
export function recordHours(store: StationDb, actor: { userId: string }, input: { individualId: string; hours: number; at?: number }): void {
  if (!Number.isInteger(input.hours) || input.hours < 0 || input.hours > 1_000_000)
    throw new DepotError('maintenance.hours', { sv: 'Ange timräknarens värde i hela timmar.', en: 'Give the hour meter reading in whole hours.' }, 'hours');
  const last = stmt<{ hours: number }>(store, 'select hours from hour_readings where individual_id = ? order by at desc limit 1').get(input.individualId);
  if (last && input.hours < last.hours)
    throw new DepotError('maintenance.hours_back', {
      sv: `Timräknaren visade ${last.hours} h förra gången. Läs av den igen.`,
      en: `The hour meter read ${last.hours} h last time. Read it again.`,
    }, 'hours');
  stmt(store, 'insert or replace into hour_readings (individual_id, at, hours, user_id) values (?, ?, ?, ?)').run(input.individualId, input.at ?? Date.now(), input.hours, actor.userId);
}

/** Signs a maintenance off, only by a technician trained for the article family. */
export function signOffMaintenance(store: StationDb, actor: { userId: string }, input: { individualId: string; planId: string; hours?: number | null; at?: number }): void {
  store.sqlite.transaction(() => {
    const ind = individualById(store, input.individualId);
    const plan = stmt<{ id: string; name: string; iso_prefix: string; interval_hours: number | null }>(store, 'select id, name, iso_prefix, interval_hours from maintenance_plans where id = ? and retired_at is null').get(input.planId);
    if (!plan) throw new DepotError('maintenance.unknown_plan', { sv: 'Okänd underhållsplan.', en: 'Unknown maintenance plan.' });
    const iso = stmt<{ iso: string }>(store, 'select iso_code as iso from articles where id = ?').get(ind.articleId)!.iso;
    if (!iso.startsWith(plan.iso_prefix)) throw new DepotError('maintenance.wrong_plan', { sv: `${plan.name} gäller inte den här artikeln.`, en: `${plan.name} does not apply to this article.` });
    const trained = stmt(store, "select 1 from technician_training where user_id = ? and ? like iso_prefix || '%'").get(actor.userId, iso);
    if (!trained)
      throw new DepotError('maintenance.not_trained', {
        sv: `Du är inte utbildad för ${plan.name}. En utbildad tekniker måste signera.`,
        en: `You are not trained for ${plan.name}. A trained technician must sign it off.`,
      });
    const at = input.at ?? Date.now();
    if (plan.interval_hours !== null) {
      if (input.hours === undefined || input.hours === null)
        throw new DepotError('maintenance.hours_needed', { sv: `Läs av timräknaren: ${plan.name} räknas i drifttimmar.`, en: `Read the hour meter: ${plan.name} is counted in operating hours.` }, 'hours');
      recordHours(store, actor, { individualId: ind.id, hours: input.hours, at });
    }
    stmt(store, 'insert into maintenance_records (id, plan_id, individual_id, done_at, user_id, hours) values (?, ?, ?, ?, ?, ?)').run(
      uuidv7(),
      plan.id,
      ind.id,
      at,
      actor.userId,
      input.hours ?? null,
    );
  })();
}
