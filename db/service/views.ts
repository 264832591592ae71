/**
 * What the workshop's screen shows of a device's job and of a work order, read the same way for
 * the single calls (`service.job`, `workorder.get`) and for the workshop's scanning session.
 */
import type { StationDb } from '../open';
import type { PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { selectMovement } from '../sync/wire';
import { individualById } from '../workflows/common';
import { checklistFor, type Checklist } from './checklists';
import { SERVICE_ACTIONS, transition, type ServiceAction } from './flow';
import { openJobFor, type ServiceJob } from './jobs';
import { openWorkOrderFor, workOrderById, workOrderParts, type WorkOrder, type WorkOrderPart } from './workorders';

/** A work order as the screen shows it: the order, and the parts taken out for it (those put back left out). */
export type WorkOrderView = WorkOrder & { parts: WorkOrderPart[] };

export function workOrderView(store: StationDb, workOrderId: string): WorkOrderView {
  const wo = workOrderById(store, workOrderId);
  return { ...wo, parts: workOrderParts(store, wo.id) };
}


/** A device in the workshop: its open job (or null), the steps that may come next, and what the next step needs. */
export interface ServiceJobView {
  individualNumber: string;
  job: ServiceJob | null;
  /** The steps that may come next, so the screen offers only those. */
  actions: ServiceAction[];
  /** The article's checklist, while the device is cleaned and waits for its inspection. */
  checklist: Checklist | null;
  /** Its repair, while one is open. */
  workOrder: WorkOrderView | null;
  /** The components that did not come back with it at its latest return, for the technician to replace. */
  missing: string[];
}

export function serviceJobView(store: StationDb, individualId: string): ServiceJobView {
  const ind = individualById(store, individualId);
  const job = openJobFor(store, ind.id) ?? null;
  const repair = openWorkOrderFor(store, ind.id);
  return {
    individualNumber: ind.individualNumber,
    job,
    actions: job ? SERVICE_ACTIONS.filter((a) => transition(job.state, a) !== null) : [],
    checklist: job?.state === 'cleaned' ? checklistFor(store, ind.articleId) : null,
    workOrder: repair ? workOrderView(store, repair.id) : null,
    missing: job ? missingAtReturn(store, job.id) : [],
  };
}

/** What its return check found missing: written on the job when it was opened (any station of the site reads it there). */
function missingAtReturn(store: StationDb, jobId: string): string[] {
  const row = stmt<{ detail: string | null }>(store, "select detail from service_events where job_id = ? and action = 'open' limit 1").get(jobId);
  const missing = row?.detail ? (JSON.parse(row.detail) as { missing?: unknown }).missing : undefined;
  return Array.isArray(missing) ? missing.filter((m): m is string => typeof m === 'string') : [];
}

/**
 * Runs `f` and hands back, with its result, the movements this station posted meanwhile: a
 * workshop step posts through the ledger inside its own operation, and the screens and the sync
 * hear of what it posted the same way as of any other step.
 */
export function postedDuring<T>(store: StationDb, stationId: string, f: () => T): { result: T; posted: PostedMovement[] } {
  const before = stmt<{ s: number }>(store, 'select coalesce(max(seq), 0) as s from movements where station_id = ?').get(stationId)!.s;
  const result = f();
  const posted = stmt<PostedMovement>(store, `select ${selectMovement()} from movements where station_id = ? and seq > ? order by seq`).all(stationId, before);
  return { result, posted };
}
