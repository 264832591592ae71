/**
 * The station's print queue. Jobs live in SQLite; one worker per printer sends them in order.
 * A printer that is off, out of paper, paused, silent or drops the connection leaves the job
 * waiting, tried again with growing pauses, and printed once.
 */
import type { LabelKind, Dpi, LabelSize } from '../drivers/printer/zpl';
import { printOnce, type AttemptResult, type PrinterConnection } from '../drivers/printer/transport';
import { testLabel } from '../drivers/printer/zpl';
import { uuidv7 } from '../db/ids';
import type { Store } from '../db/open';
import type { PrintJobState } from '../db/schema';
import { getSetting, putSetting } from '../db/settings';
import { stmt } from '../db/statements';
import { DepotError } from '../db/errors';
import type { EventHub } from './events';

export interface PrinterProfile {
  id: string;
  name: string;
  connection: PrinterConnection;
  dpi: Dpi;
  labelSize: LabelSize;
  /** Which labels go to this printer. */
  kinds: (LabelKind | 'test')[];
}

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

export const PRINTERS_KEY = 'printers';

export interface PrintOptions {
  /** The first pause after a failed attempt; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

const JOB_COLUMNS = `id, printer_id as printerId, kind, title, state, attempts, next_attempt_at as nextAttemptAt, last_error as lastError,
  created_at as createdAt, printed_at as printedAt, reprint_of as reprintOf`;

export class PrintService {
  private timers = new Map<string, NodeJS.Timeout>();
  private busy = new Set<string>();
  private running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly events: EventHub,
    private readonly options: PrintOptions = {},
  ) {
    // A job that was being sent when the station stopped has not been confirmed: it waits again.
    stmt(store, "update print_jobs set state = 'waiting', last_error = 'the station stopped while sending' where state = 'printing'").run();
  }

  printers(): PrinterProfile[] {
    return getSetting<PrinterProfile[]>(this.store, PRINTERS_KEY, []);
  }

  savePrinters(printers: PrinterProfile[]): void {
    putSetting(this.store, PRINTERS_KEY, printers);
    this.start();
  }

  /** Starts a worker for every printer with jobs due. */
  start(): void {
    this.stopped = false;
    for (const p of this.printers()) this.schedule(p.id, 0);
  }

  /** Stops the workers; an attempt already under way finishes and is recorded first. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    await Promise.all([...this.running]);
  }

  printerFor(kind: LabelKind | 'test', printerId?: string | null): PrinterProfile {
    const printers = this.printers();
    const p = printerId ? printers.find((x) => x.id === printerId) : (printers.find((x) => x.kinds.includes(kind)) ?? printers[0]);
    if (!p)
      throw new DepotError('print.no_printer', {
        sv: 'Ingen skrivare är uppsatt för den här etiketten. Lägg till en under Skrivare.',
        en: 'No printer is set up for this label. Add one under Printers.',
      });
    return p;
  }

  /** Queues a job; it is sent as soon as its printer is free. */
  enqueue(job: { printerId: string; kind: string; title: string; zpl: string; userId?: string | null; reprintOf?: string | null }): PrintJob {
    const now = Date.now();
    const id = uuidv7(now);
    stmt(
      this.store,
      `insert into print_jobs (id, printer_id, kind, title, zpl, state, attempts, next_attempt_at, created_at, reprint_of, user_id)
       values (?, ?, ?, ?, ?, 'queued', 0, ?, ?, ?, ?)`,
    ).run(id, job.printerId, job.kind, job.title, job.zpl, now, now, job.reprintOf ?? null, job.userId ?? null);
    const created = this.job(id);
    this.changed(created);
    this.schedule(job.printerId, 0);
    return created;
  }

  testPrint(printerId: string, userId: string | null): PrintJob {
    const p = this.printerFor('test', printerId);
    return this.enqueue({ printerId: p.id, kind: 'test', title: `Testutskrift ${p.name}`, zpl: testLabel(p.name, p.dpi, p.labelSize), userId });
  }

  /** Prints a job again, as a new job: the only way a label is printed twice. */
  reprint(jobId: string, userId: string | null): PrintJob {
    const j = stmt<{ printerId: string; kind: string; title: string; zpl: string }>(
      this.store,
      'select printer_id as printerId, kind, title, zpl from print_jobs where id = ?',
    ).get(jobId);
    if (!j) throw new DepotError('print.unknown_job', { sv: 'Utskriften finns inte.', en: 'The print job does not exist.' });
    return this.enqueue({ ...j, userId, reprintOf: jobId });
  }

  cancel(jobId: string): PrintJob {
    const r = stmt(this.store, "update print_jobs set state = 'cancelled' where id = ? and state in ('queued', 'waiting')").run(jobId);
    if (r.changes === 0)
      throw new DepotError('print.cannot_cancel', { sv: 'Utskriften är redan utskriven eller skickas just nu.', en: 'The job is already printed or being sent right now.' });
    const j = this.job(jobId);
    this.changed(j);
    return j;
  }

  job(id: string): PrintJob {
    return stmt<PrintJob>(this.store, `select ${JOB_COLUMNS} from print_jobs where id = ?`).get(id)!;
  }

  jobs(limit = 200): PrintJob[] {
    return stmt<PrintJob>(
      this.store,
      `select ${JOB_COLUMNS} from print_jobs order by state in ('printed', 'cancelled'), created_at desc limit ?`,
    ).all(limit);
  }

  zplOf(jobId: string): string | null {
    return stmt<{ zpl: string }>(this.store, 'select zpl from print_jobs where id = ?').get(jobId)?.zpl ?? null;
  }

  private changed(job: PrintJob): void {
    this.events.emit({ type: 'print.job', job });
  }

  private schedule(printerId: string, delayMs: number): void {
    if (this.stopped) return;
    const existing = this.timers.get(printerId);
    if (existing) clearTimeout(existing);
    this.timers.set(
      printerId,
      setTimeout(() => {
        this.timers.delete(printerId);
        const run = this.work(printerId).catch((e: unknown) => console.error(`print worker for ${printerId} failed`, e));
        this.running.add(run);
        void run.finally(() => this.running.delete(run));
      }, Math.max(0, delayMs)),
    );
  }

  /** Sends this printer's due jobs, oldest first, one at a time. */
  private async work(printerId: string): Promise<void> {
    if (this.busy.has(printerId) || this.stopped) return;
    this.busy.add(printerId);
    try {
      for (;;) {
        if (this.stopped) return;
        const now = Date.now();
        const next = stmt<{ id: string; zpl: string; attempts: number; nextAttemptAt: number }>(
          this.store,
          `select id, zpl, attempts, next_attempt_at as nextAttemptAt from print_jobs
           where printer_id = ? and state in ('queued', 'waiting') order by created_at limit 1`,
        ).get(printerId);
        if (!next) return;
        // Jobs print in order: a waiting job holds back the ones behind it.
        if (next.nextAttemptAt > now) return this.schedule(printerId, next.nextAttemptAt - now);
        const printer = this.printers().find((p) => p.id === printerId);
        if (!printer) return;
        stmt(this.store, "update print_jobs set state = 'printing', attempts = attempts + 1 where id = ?").run(next.id);
        this.changed(this.job(next.id));
        const result: AttemptResult = await printOnce(printer.connection, next.zpl, { timeoutMs: this.options.timeoutMs ?? 3000 });
        if (result.ok) {
          stmt(this.store, "update print_jobs set state = 'printed', printed_at = ?, last_error = null where id = ?").run(Date.now(), next.id);
          this.changed(this.job(next.id));
          continue;
        }
        const base = this.options.backoffMs ?? 2000;
        const wait = Math.min(this.options.maxBackoffMs ?? 60_000, base * 2 ** Math.min(10, next.attempts));
        stmt(this.store, "update print_jobs set state = 'waiting', last_error = ?, next_attempt_at = ? where id = ?").run(
          `${result.fault}: ${result.detail}`,
          Date.now() + wait,
          next.id,
        );
        this.changed(this.job(next.id));
        return this.schedule(printerId, wait);
      }
    } finally {
      this.busy.delete(printerId);
    }
  }
}
