/**
 * The print queue as stored: one row per label job, sent in order per printer by the print
 * service (services/printing.ts), which owns the timing and the printers.
 */
import type { StationDb } from '../open';
import type { PrintJobState } from '../schema';
import { stmt } from '../statements';

export interface PrintJob {
  id: string;
  printerId: string;
  kind: string;
  title: string;
  state: PrintJobState;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  createdAt: number;
  printedAt: number | null;
  reprintOf: string | null;
}

export interface NewPrintJob {
  id: string;
  printerId: string;
  kind: string;
  title: string;
  zpl: string;
  at: number;
  userId: string | null;
  reprintOf: string | null;
}

const JOB_COLUMNS = `id, printer_id as printerId, kind, title, state, attempts, next_attempt_at as nextAttemptAt, last_error as lastError,
  created_at as createdAt, printed_at as printedAt, reprint_of as reprintOf`;

/** A job that was being sent when the station stopped has not been confirmed: it waits again. */
export function requeueUnconfirmed(store: StationDb): void {
  stmt(store, "update print_jobs set state = 'waiting', last_error = 'the station stopped while sending' where state = 'printing'").run();
}

export function insertJob(store: StationDb, job: NewPrintJob): void {
  stmt(
    store,
    `insert into print_jobs (id, printer_id, kind, title, zpl, state, attempts, next_attempt_at, created_at, reprint_of, user_id)
     values (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
  ).run(job.id, job.printerId, job.kind, job.title, job.zpl, job.at, job.at, job.reprintOf, job.userId);
}

export function jobById(store: StationDb, id: string): PrintJob | undefined {
  return stmt<PrintJob>(store, `select ${JOB_COLUMNS} from print_jobs where id = ?`).get(id);
}

/** Open jobs first, newest first. */
export function recentJobs(store: StationDb, limit: number): PrintJob[] {
  return stmt<PrintJob>(store, `select ${JOB_COLUMNS} from print_jobs order by state in ('printed', 'cancelled'), created_at desc limit ?`).all(limit);
}

/** What a reprint copies. */
export function jobContent(store: StationDb, id: string): { printerId: string; kind: string; title: string; zpl: string } | undefined {
  return stmt<{ printerId: string; kind: string; title: string; zpl: string }>(store, 'select printer_id as printerId, kind, title, zpl from print_jobs where id = ?').get(id);
}

/** Cancels a job not yet sent; false when it is printed, cancelled or being sent. */
export function cancelJob(store: StationDb, id: string): boolean {
  return stmt(store, "update print_jobs set state = 'cancelled' where id = ? and state in ('queued', 'waiting')").run(id).changes > 0;
}

/** The printer's oldest job still to send. */
export function nextJob(store: StationDb, printerId: string): { id: string; zpl: string; attempts: number; nextAttemptAt: number } | undefined {
  return stmt<{ id: string; zpl: string; attempts: number; nextAttemptAt: number }>(
    store,
    `select id, zpl, attempts, next_attempt_at as nextAttemptAt from print_jobs
     where printer_id = ? and state in ('queued', 'waiting') order by created_at limit 1`,
  ).get(printerId);
}

export function markSending(store: StationDb, id: string): void {
  stmt(store, "update print_jobs set state = 'printing', attempts = attempts + 1 where id = ?").run(id);
}

export function markPrinted(store: StationDb, id: string, at: number): void {
  stmt(store, "update print_jobs set state = 'printed', printed_at = ?, last_error = null where id = ?").run(at, id);
}

export function markWaiting(store: StationDb, id: string, error: string, nextAttemptAt: number): void {
  stmt(store, "update print_jobs set state = 'waiting', last_error = ?, next_attempt_at = ? where id = ?").run(error, nextAttemptAt, id);
}
