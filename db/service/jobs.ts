/**
 * Service jobs: the reconditioning flow (flow.ts) applied to real individuals. Each step is one
 * transaction: the job's new state, its event (who, which station, when, what), and the movement
 * that puts the individual where that state says (returns → cleaning → workshop → a shelf, or out:
 * to the supplier, scrapped). So the queues and the ledger always tell the same story.
 */
import { STORAGE_KINDS } from '../../vocabulary/domain';
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { WorkOrderOrigin } from '../schema';
import { postMovements, type Actor, type MovementInput } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById, locationById, requireAtSite, siteZone } from '../workflows/common';
import { answerChecklist, checklistFor, type Answer, type InspectionRecord } from './checklists';
import { step, type ServiceAction, type ServiceState } from './flow';
import { serviceClock, type ClockState, type Priority } from './levels';
import { recordHours } from './maintenance';
import { closeWorkOrder, openWorkOrder, openWorkOrderFor } from './workorders';

export interface ServiceJob {
  id: string;
  individualId: string;
  siteId: string;
  state: ServiceState;
  priority: Priority;
  arrivedAt: number;
  dueAt: number;
  startedAt: number | null;
  doneAt: number | null;
  takenBy: string | null;
  closedAt: number | null;
}

const JOB_COLUMNS =
  'id, individual_id as individualId, site_id as siteId, state, priority, arrived_at as arrivedAt, due_at as dueAt, started_at as startedAt, done_at as doneAt, taken_by as takenBy, closed_at as closedAt';

export function openJobFor(store: StationDb, individualId: string): ServiceJob | undefined {
  return stmt<ServiceJob>(store, `select ${JOB_COLUMNS} from service_jobs where individual_id = ? and closed_at is null`).get(individualId);
}

/**
 * One step of a job: its event, then the job's row as the step leaves it. The row is written after
 * the event, so the job goes to the register (by trigger) together with the step that moved it.
 */
function event(
  store: StationDb,
  actor: Actor,
  job: ServiceJob,
  action: string,
  to: ServiceState,
  detail: unknown,
  at: number,
  row: Pick<ServiceJob, 'startedAt' | 'doneAt' | 'closedAt'> = job,
): void {
  stmt(store, 'insert into service_events (id, job_id, at, station_id, user_id, action, from_state, to_state, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    uuidv7(at),
    job.id,
    at,
    actor.stationId,
    actor.userId,
    action,
    job.state,
    to,
    detail === undefined ? null : JSON.stringify(detail),
  );
  stmt(store, 'update service_jobs set state = ?, started_at = ?, done_at = ?, closed_at = ? where id = ?').run(to, row.startedAt, row.doneAt, row.closedAt, job.id);
}

/**
 * Closes the job a return opened when that return is undone (taken in by mistake) before anything
 * was done in the workshop; its trail keeps both.
 */
export function withdrawJob(store: StationDb, actor: Actor, individualId: string, at = Date.now()): void {
  const job = openJobFor(store, individualId);
  if (!job || job.state !== 'returned') return;
  event(store, actor, job, 'withdrawn', 'returned', undefined, at, { ...job, closedAt: at });
}

/** Opens a job for an individual that has come back (or come in for repair); its clock starts now. */
export function openServiceJob(store: StationDb, actor: Actor & { siteId: string }, input: { individualId: string; priority: Priority; at?: number; missing?: readonly string[] }): ServiceJob {
  return store.sqlite.transaction(() => {
    const ind = individualById(store, input.individualId);
    const existing = openJobFor(store, ind.id);
    if (existing) return existing;
    const at = input.at ?? Date.now();
    const job: ServiceJob = {
      id: uuidv7(at),
      individualId: ind.id,
      siteId: actor.siteId,
      state: 'returned',
      priority: input.priority,
      arrivedAt: at,
      dueAt: serviceClock(input.priority, at).due,
      startedAt: null,
      doneAt: null,
      takenBy: null,
      closedAt: null,
    };
    stmt(store, 'insert into service_jobs (id, individual_id, article_id, site_id, state, priority, arrived_at, due_at) values (?, ?, ?, ?, ?, ?, ?, ?)').run(
      job.id,
      job.individualId,
      ind.articleId,
      job.siteId,
      job.state,
      job.priority,
      job.arrivedAt,
      job.dueAt,
    );
    event(store, actor, job, 'open', 'returned', { priority: input.priority, ...(input.missing?.length ? { missing: input.missing } : {}) }, at);
    return job;
  })();
}

/** How a scrapped device is taken care of, as the centre's environmental routine names it. */
export const DISPOSALS = ['metal_recycling', 'electronics_recycling', 'plastics_recycling', 'combustible', 'hazardous_waste', 'back_to_supplier'] as const;
export type Disposal = (typeof DISPOSALS)[number];

export interface StepInput {
  individualId: string;
  action: ServiceAction;
  /** The shelf a released individual is put away on. */
  toLocationId?: string | null;
  /** An inspection's answers to the article's checklist (they decide whether it passed). */
  answers?: readonly Answer[];
  /** The operating-hour meter read at inspection, for devices that have one. */
  hours?: number | null;
  /** The fault, when a repair starts (else the failed checklist points are the fault). */
  fault?: string | null;
  /** What the repair did, when it finishes. */
  actions?: string | null;
  /** Why a device is scrapped and how it is disposed of (both needed to scrap). */
  scrap?: { reason: string; disposal: Disposal } | null;
  /** The supplier's warranty claim reference, when it is sent to them. */
  claim?: string | null;
  detail?: Record<string, unknown>;
  at?: number;
}

/** The failed points of the individual's latest inspection, as a fault description. */
function lastInspectionFault(store: StationDb, jobId: string): string | null {
  const last = stmt<{ detail: string | null }>(store, "select detail from service_events where job_id = ? and action = 'inspect' order by at desc, rowid desc limit 1").get(jobId);
  const record = last?.detail ? (JSON.parse(last.detail) as Partial<InspectionRecord>) : null;
  const failed = (record?.answers ?? []).filter((a) => !a.ok).map((a) => `${a.question}: ${a.note ?? ''}`.trim());
  return failed.length ? failed.join('; ') : null;
}

/**
 * One step of the flow for the individual scanned: refused when out of order (saying what must
 * happen first); otherwise the job moves on and the individual moves with it. An inspection answers
 * the article's checklist; a repair is a work order (opened by starting it, closed by finishing it
 * with what was done; cancelled if the device goes to the supplier or is scrapped instead).
 */
export function serviceStep(store: StationDb, actor: Actor & { siteId: string }, input: StepInput): ServiceJob {
  return store.sqlite.transaction(() => {
    const ind = individualById(store, input.individualId);
    const job = openJobFor(store, ind.id);
    if (!job)
      throw new DepotError('service.no_job', {
        sv: `${ind.individualNumber} är inte inne för rekonditionering. Ta emot den som retur först.`,
        en: `${ind.individualNumber} is not in for reconditioning. Take it in as a return first.`,
      });
    let action = input.action;
    let inspection: InspectionRecord | null = null;
    if (action.kind === 'inspect') {
      step(job.state, action, ind.individualNumber); // out of order is said before anything about the checklist
      const checklist = checklistFor(store, ind.articleId);
      if (checklist) {
        inspection = answerChecklist(checklist, input.answers ?? [], ind.individualNumber);
        action = { kind: 'inspect', passed: inspection.passed };
      }
    }
    const to = step(job.state, action, ind.individualNumber);
    const at = input.at ?? Date.now();
    const move = (m: Omit<MovementInput, 'articleId' | 'individualId' | 'quantity' | 'fromLocationId'>) =>
      postMovements(store, actor, [{ articleId: ind.articleId, individualId: ind.id, quantity: 1, fromLocationId: ind.locationId, orderRef: job.id, occurredAt: at, ...m }], 'service');
    const repair = openWorkOrderFor(store, ind.id);
    let workOrder: string | undefined;
    switch (action.kind) {
      case 'send_to_cleaning':
        move({ toLocationId: siteZone(store, actor.siteId, 'cleaning').id, reason: 'to_cleaning' });
        break;
      case 'clean':
        move({ toLocationId: siteZone(store, actor.siteId, 'workshop').id, reason: 'to_reconditioning' });
        break;
      case 'inspect':
        if (input.hours !== undefined && input.hours !== null) recordHours(store, actor, { individualId: ind.id, hours: input.hours, at });
        break;
      case 'start_repair': {
        const fault = input.fault?.trim() || lastInspectionFault(store, job.id);
        if (!fault) throw new DepotError('workorder.fault', { sv: 'Skriv vad som är fel innan reparationen startar.', en: 'Write what is wrong before the repair starts.' }, 'fault');
        workOrder = openWorkOrder(store, actor, { origin: 'reconditioning', individualId: ind.id, jobId: job.id, priority: job.priority, fault, at }).number;
        break;
      }
      case 'finish_repair':
        if (repair) workOrder = closeWorkOrder(store, actor, { workOrderId: repair.id, outcome: 'done', actions: input.actions, at }).number;
        break;
      case 'send_to_supplier':
        if (repair) closeWorkOrder(store, actor, { workOrderId: repair.id, outcome: 'cancelled', reason: 'supplier', at });
        move({ toLocationId: null, reason: 'dispatch' });
        break;
      case 'back_from_supplier':
        postMovements(store, actor, [{ articleId: ind.articleId, individualId: ind.id, quantity: 1, toLocationId: siteZone(store, actor.siteId, 'workshop').id, reason: 'return', orderRef: job.id, occurredAt: at }], 'service');
        break;
      case 'release': {
        if (!input.toLocationId)
          throw new DepotError('service.shelf', { sv: 'Skanna hyllplatsen den ställs på.', en: 'Scan the shelf it goes on.' }, 'toLocationId');
        const shelf = locationById(store, input.toLocationId);
        requireAtSite(shelf, actor.siteId);
        // Ready means on a shelf: a zone's code (returns, cleaning, dispatch…) scanned instead would make the device that zone's.
        if (!STORAGE_KINDS.includes(shelf.kind))
          throw new DepotError('service.not_shelf', {
            sv: `${shelf.code} är ingen hyllplats. Skanna hyllan där ${ind.individualNumber} ställs.`,
            en: `${shelf.code} is not a shelf. Scan the shelf where ${ind.individualNumber} goes.`,
          }, 'toLocationId');
        move({ toLocationId: shelf.id, reason: 'ready' });
        break;
      }
      case 'scrap':
        if (!input.scrap?.reason.trim() || !DISPOSALS.includes(input.scrap.disposal))
          throw new DepotError('service.scrap_reason', {
            sv: `Ange varför ${ind.individualNumber} kasseras och hur den tas om hand (återvinning).`,
            en: `Say why ${ind.individualNumber} is scrapped and how it is disposed of (recycling).`,
          }, 'scrap');
        if (repair) closeWorkOrder(store, actor, { workOrderId: repair.id, outcome: 'cancelled', reason: 'scrapped', at });
        move({ toLocationId: null, reason: 'scrap' });
        break;
    }
    // Work starts with the first step after queueing for the wash; it is done when ready or scrapped.
    const startedAt = job.startedAt ?? (action.kind === 'send_to_cleaning' ? null : at);
    const done = to === 'ready' || to === 'scrapped' ? at : null;
    event(store, actor, job, action.kind, to, {
      ...input.detail,
      ...(action.kind === 'inspect' ? { passed: action.passed, ...inspection, hours: input.hours ?? undefined } : {}),
      ...(workOrder ? { workOrder } : {}),
      ...(action.kind === 'scrap' ? { reason: input.scrap!.reason.trim(), disposal: input.scrap!.disposal } : {}),
      ...(action.kind === 'send_to_supplier' && input.claim?.trim() ? { claim: input.claim.trim() } : {}),
    }, at, { startedAt, doneAt: done, closedAt: done });
    return openJobFor(store, ind.id) ?? { ...job, state: to, doneAt: done, closedAt: done };
  })();
}

/**
 * The clock of an open line in SQL, the same as clockState() (a test holds them equal): normal
 * priority measures the start, the others the finish; due soon in the last fifth of the window, at
 * most the last 8 hours. `arrived` names the column the clock started from.
 */
const clockSql = (arrived: string) => `case
  when priority = 'normal' and started_at is not null then case when started_at <= due_at then 'met' else 'breached' end
  when $now > due_at then 'breached'
  when due_at - $now <= min(${8 * 3_600_000}, (due_at - ${arrived}) / 5.0) then 'due_soon'
  else 'ok' end`;

/** Records, once, every open job and field work order at the site whose service level has been missed. */
export function recordBreaches(store: StationDb, siteId: string, now = Date.now()): number {
  return store.sqlite.transaction(() => {
    // Only what is past its due time can have missed it: the index's range on due_at finds those.
    const jobs = stmt(
      store,
      `update service_jobs set breached_at = $now
       where site_id = $site and closed_at is null and breached_at is null and due_at < $now and (${clockSql('arrived_at')}) = 'breached'`,
    ).run({ site: siteId, now }).changes;
    const orders = stmt(
      store,
      `update work_orders set breached_at = $now
       where site_id = $site and state = 'open' and job_id is null and breached_at is null and (${clockSql('opened_at')}) = 'breached'`,
    ).run({ site: siteId, now }).changes;
    return jobs + orders;
  })();
}

/** One line of the technicians' board: a reconditioning job, or a repair of a device out with a patient or a municipality's. */
export interface BoardLine {
  kind: 'job' | 'work_order';
  id: string;
  individualId: string | null;
  individualNumber: string | null;
  /** The article's name, or a municipality device's description. */
  label: string;
  /** The job's state in the flow; a field work order is 'field_repair'. */
  state: ServiceState | 'field_repair';
  priority: Priority;
  arrivedAt: number;
  dueAt: number;
  takenByName: string | null;
  clock: ClockState;
  workOrder: { id: string; number: string; origin: WorkOrderOrigin; place: string | null } | null;
}

export interface Board {
  lines: BoardLine[];
  /** All open work at the site by clock, however many lines are shown. */
  counts: Record<ClockState, number>;
  total: number;
}

// Open work, narrow, with its clock: what the order needs (the details are joined for the lines shown only).
const OPEN_WORK = `
  select 'job' as kind, id, priority, due_at, ${clockSql('arrived_at')} as clock from service_jobs where site_id = $site and closed_at is null
  union all
  select 'work_order', id, priority, due_at, ${clockSql('opened_at')} from work_orders where site_id = $site and state = 'open' and job_id is null`;

const pressingFirst = (t = '') =>
  `case ${t}clock when 'breached' then 0 when 'due_soon' then 1 when 'ok' then 2 else 3 end, case ${t}priority when 'acute' then 0 when 'urgent' then 1 else 2 end, ${t}due_at`;

/**
 * A site's open work, the most pressing first: breached, then about to breach, then by priority and
 * due time; at most `limit` lines, with the counts of all of it.
 */
export function technicianBoard(store: StationDb, siteId: string, now = Date.now(), limit = 300): Board {
  const lines = stmt<{
    kind: BoardLine['kind'];
    id: string;
    individualId: string | null;
    individualNumber: string | null;
    label: string | null;
    state: BoardLine['state'];
    priority: Priority;
    arrivedAt: number;
    dueAt: number;
    takenByName: string | null;
    clock: ClockState;
    woId: string | null;
    woNumber: string | null;
    woOrigin: WorkOrderOrigin;
    woPlace: string | null;
  }>(
    store,
    `with top as (select * from (${OPEN_WORK}) order by ${pressingFirst()} limit $limit)
     select top.kind, top.id, coalesce(j.individual_id, fw.individual_id) as individualId, i.individual_number as individualNumber, coalesce(a.name, fw.device) as label,
       coalesce(j.state, 'field_repair') as state, top.priority, coalesce(j.arrived_at, fw.opened_at) as arrivedAt, top.due_at as dueAt, u.name as takenByName, top.clock,
       coalesce(jw.id, fw.id) as woId, coalesce(jw.number, fw.number) as woNumber, coalesce(jw.origin, fw.origin) as woOrigin, fw.place as woPlace
     from top
       left join service_jobs j on top.kind = 'job' and j.id = top.id
       left join work_orders jw on top.kind = 'job' and jw.job_id = top.id and jw.state = 'open'
       left join work_orders fw on top.kind = 'work_order' and fw.id = top.id
       left join individuals i on i.id = coalesce(j.individual_id, fw.individual_id) left join articles a on a.id = i.article_id
       left join users u on u.id = coalesce(j.taken_by, fw.taken_by)
     order by ${pressingFirst('top.')}`,
  ).all({ site: siteId, now, limit });
  const counts: Record<ClockState, number> = { breached: 0, due_soon: 0, ok: 0, met: 0 };
  for (const c of stmt<{ clock: ClockState; n: number }>(store, `select clock, count(*) as n from (${OPEN_WORK}) group by clock`).all({ site: siteId, now }))
    counts[c.clock] = c.n;
  return {
    lines: lines.map(({ woId, woNumber, woOrigin, woPlace, label, ...l }) => ({
      ...l,
      label: label ?? '',
      workOrder: woId ? { id: woId, number: woNumber!, origin: woOrigin, place: woPlace } : null,
    })),
    counts,
    total: counts.breached + counts.due_soon + counts.ok + counts.met,
  };
}

/**
 * A technician takes the job (or gives it back to the queue with null). A job someone else has
 * taken is theirs until they give it back; across the site's stations the register decides who
 * took it first (register/queue.ts).
 */
export function takeJob(store: StationDb, jobId: string, userId: string | null): void {
  const holder = stmt<{ taken_by: string | null; name: string | null; number: string }>(
    store,
    'select j.taken_by, u.name, i.individual_number as number from service_jobs j join individuals i on i.id = j.individual_id left join users u on u.id = j.taken_by where j.id = ?',
  ).get(jobId);
  if (userId !== null && holder?.taken_by && holder.taken_by !== userId)
    throw new DepotError('service.taken', {
      sv: `${holder.name ?? 'En annan tekniker'} har redan tagit jobbet för ${holder.number}. Ta ett annat, eller be ${holder.name ?? 'teknikern'} lämna tillbaka det.`,
      en: `${holder.name ?? 'Another technician'} has already taken the job for ${holder.number}. Take another, or ask ${holder.name ?? 'them'} to give it back.`,
    });
  stmt(store, 'update service_jobs set taken_by = ? where id = ?').run(userId, jobId);
}
