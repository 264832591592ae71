/**
 * Service jobs: the reconditioning flow (flow.ts) applied to real individuals. Each step is one
 * transaction: the job's new state, its event (who, which station, when, what), and the movement
 * that puts the individual where that state says (returns → cleaning → workshop → a shelf, or out:
 * to the supplier, scrapped). So the queues and the ledger always tell the same story.
 */
import { DepotError } from '../errors';
import { uuidv7 } from '../ids';
import type { Store } from '../open';
import { postMovements, type Actor, type MovementInput } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById, locationById, requireAtSite, siteZone } from '../workflows/common';
import { step, type ServiceAction, type ServiceState } from './flow';
import { clockState, serviceClock, type ClockState, type Priority } from './levels';

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

export function openJobFor(store: Store, individualId: string): ServiceJob | undefined {
  return stmt<ServiceJob>(store, `select ${JOB_COLUMNS} from service_jobs where individual_id = ? and closed_at is null`).get(individualId);
}

function event(store: Store, actor: Actor, job: ServiceJob, action: string, to: ServiceState, detail: unknown, at: number): void {
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
}

/** Opens a job for an individual that has come back (or come in for repair); its clock starts now. */
export function openServiceJob(store: Store, actor: Actor & { siteId: string }, input: { individualId: string; priority: Priority; at?: number }): ServiceJob {
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
    stmt(store, 'insert into service_jobs (id, individual_id, site_id, state, priority, arrived_at, due_at) values (?, ?, ?, ?, ?, ?, ?)').run(
      job.id,
      job.individualId,
      job.siteId,
      job.state,
      job.priority,
      job.arrivedAt,
      job.dueAt,
    );
    event(store, actor, job, 'open', 'returned', { priority: input.priority }, at);
    return job;
  })();
}

/**
 * One step of the flow for the individual scanned: refused when out of order (saying what must
 * happen first); otherwise the job moves on and the individual moves with it. `toLocationId` is the
 * shelf a released individual is put away on.
 */
export function serviceStep(
  store: Store,
  actor: Actor & { siteId: string },
  input: { individualId: string; action: ServiceAction; toLocationId?: string | null; detail?: Record<string, unknown>; at?: number },
): ServiceJob {
  return store.sqlite.transaction(() => {
    const ind = individualById(store, input.individualId);
    const job = openJobFor(store, ind.id);
    if (!job)
      throw new DepotError('service.no_job', {
        sv: `${ind.individualNumber} är inte inne för rekonditionering. Ta emot den som retur först.`,
        en: `${ind.individualNumber} is not in for reconditioning. Take it in as a return first.`,
      });
    const to = step(job.state, input.action, ind.individualNumber);
    const at = input.at ?? Date.now();
    const move = (m: Omit<MovementInput, 'articleId' | 'individualId' | 'quantity' | 'fromLocationId'>) =>
      postMovements(store, actor, [{ articleId: ind.articleId, individualId: ind.id, quantity: 1, fromLocationId: ind.locationId, orderRef: job.id, occurredAt: at, ...m }]);
    switch (input.action.kind) {
      case 'send_to_cleaning':
        move({ toLocationId: siteZone(store, actor.siteId, 'cleaning').id, reason: 'to_cleaning' });
        break;
      case 'clean':
        move({ toLocationId: siteZone(store, actor.siteId, 'workshop').id, reason: 'to_reconditioning' });
        break;
      case 'send_to_supplier':
        move({ toLocationId: null, reason: 'dispatch' });
        break;
      case 'back_from_supplier':
        postMovements(store, actor, [{ articleId: ind.articleId, individualId: ind.id, quantity: 1, toLocationId: siteZone(store, actor.siteId, 'workshop').id, reason: 'return', orderRef: job.id, occurredAt: at }]);
        break;
      case 'release': {
        if (!input.toLocationId)
          throw new DepotError('service.shelf', { sv: 'Skanna hyllplatsen den ställs på.', en: 'Scan the shelf it goes on.' }, 'toLocationId');
        const shelf = locationById(store, input.toLocationId);
        requireAtSite(shelf, actor.siteId);
        move({ toLocationId: shelf.id, reason: 'ready' });
        break;
      }
      case 'scrap':
        move({ toLocationId: null, reason: 'scrap' });
        break;
      default:
        break;
    }
    // Work starts with the first step after queueing for the wash; it is done when ready or scrapped.
    const startedAt = job.startedAt ?? (input.action.kind === 'send_to_cleaning' ? null : at);
    const done = to === 'ready' || to === 'scrapped' ? at : null;
    stmt(store, 'update service_jobs set state = ?, started_at = ?, done_at = ?, closed_at = ? where id = ?').run(to, startedAt, done, done, job.id);
    event(store, actor, job, input.action.kind, to, { ...input.detail, ...(input.action.kind === 'inspect' ? { passed: input.action.passed } : {}) }, at);
    return openJobFor(store, ind.id) ?? { ...job, state: to, doneAt: done, closedAt: done };
  })();
}

export interface BoardLine extends ServiceJob {
  individualNumber: string;
  articleName: string;
  takenByName: string | null;
  clock: ClockState;
}

/** Records, once, every open job at the site whose service level has been missed. */
export function recordBreaches(store: Store, siteId: string, now = Date.now()): number {
  return store.sqlite.transaction(() => {
    let n = 0;
    for (const j of stmt<ServiceJob>(store, `select ${JOB_COLUMNS} from service_jobs where site_id = ? and closed_at is null and breached_at is null`).all(siteId))
      if (clockState(j.priority, j.arrivedAt, now, j) === 'breached') {
        stmt(store, 'update service_jobs set breached_at = ? where id = ?').run(now, j.id);
        n++;
      }
    return n;
  })();
}

const SEVERITY: Record<ClockState, number> = { breached: 0, due_soon: 1, ok: 2, met: 3 };
const PRIORITY: Record<Priority, number> = { acute: 0, urgent: 1, normal: 2 };

/** A site's open jobs, the most pressing first: breached, then about to breach, then by priority and due time. */
export function technicianBoard(store: Store, siteId: string, now = Date.now()): BoardLine[] {
  return stmt<ServiceJob & { individualNumber: string; articleName: string; takenByName: string | null }>(
    store,
    `select j.id, j.individual_id as individualId, j.site_id as siteId, j.state, j.priority, j.arrived_at as arrivedAt, j.due_at as dueAt,
       j.started_at as startedAt, j.done_at as doneAt, j.taken_by as takenBy, j.closed_at as closedAt,
       i.individual_number as individualNumber, a.name as articleName, u.name as takenByName
     from service_jobs j join individuals i on i.id = j.individual_id join articles a on a.id = i.article_id left join users u on u.id = j.taken_by
     where j.site_id = ? and j.closed_at is null`,
  )
    .all(siteId)
    .map((j) => ({ ...j, clock: clockState(j.priority, j.arrivedAt, now, j) }))
    .sort((a, b) => SEVERITY[a.clock] - SEVERITY[b.clock] || PRIORITY[a.priority] - PRIORITY[b.priority] || a.dueAt - b.dueAt);
}
