/**
 * The station's print queue. Jobs live in SQLite; one worker per printer sends them in order.
 * A printer that is off, out of paper, paused, silent or drops the connection leaves the job
 * waiting, tried again with growing pauses, and printed once.
 */
import { LABEL_NAMES, LABEL_SIZES, stockTakes, type Dpi, type LabelKind, type LabelSize } from '../vocabulary/zpl';
import { printOnce, type AttemptResult, type PrinterConnection } from '../drivers/printer/transport';
import { testLabel } from '../vocabulary/zpl';
import { uuidv7 } from '../db/ids';
import type { StationDb } from '../db/open';
import { cancelJob, insertJob, jobById, jobContent, markPrinted, markSending, markWaiting, nextJob, recentJobs, requeueUnconfirmed, type PrintJob } from '../db/printing/queue';
import { getSetting, putSetting } from '../db/settings';
import { DepotError } from '../vocabulary/errors';
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

export type { PrintJob };

export const PRINTERS_KEY = 'printers';

export interface PrintOptions {
  /** The first pause after a failed attempt; it doubles up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
  timeoutMs?: number;
}

export class PrintService {
  private timers = new Map<string, NodeJS.Timeout>();
  private busy = new Set<string>();
  private running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly store: StationDb,
    private readonly events: EventHub,
    private readonly options: PrintOptions = {},
  ) {
    requeueUnconfirmed(store);
  }

  printers(): PrinterProfile[] {
    return getSetting<PrinterProfile[]>(this.store, PRINTERS_KEY, []);
  }

  /** Saves the station's printers; a printer said to take a label its stock is too small for is refused. */
  savePrinters(printers: PrinterProfile[]): void {
    for (const p of printers)
      for (const kind of p.kinds)
        if (kind !== 'test' && !stockTakes(p.labelSize, kind)) {
          const { sv, en } = tooSmall(p, kind);
          throw new DepotError('print.stock_too_small', { sv: `${sv} Ta bort den etiketten från skrivaren, eller ange etiketterna den har.`, en: `${en} Take that label off the printer, or give the labels it has.` }, 'kinds');
        }
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

  /** The printer that takes a kind of label (its stock fits it), or null: the label then waits, or is shown for printing by hand. */
  printerTaking(kind: LabelKind): PrinterProfile | null {
    return this.printers().find((p) => p.kinds.includes(kind) && stockTakes(p.labelSize, kind)) ?? null;
  }

  /** The printer a label is asked for on (one named, or the one that takes it); refused when none has labels it fits on. */
  printerFor(kind: LabelKind | 'test', printerId?: string | null): PrinterProfile {
    const printers = this.printers();
    const p = printerId ? printers.find((x) => x.id === printerId) : kind === 'test' ? printers[0] : this.printerTaking(kind);
    if (!p) {
      const label = kind === 'test' ? null : LABEL_NAMES[kind];
      const size = kind === 'test' ? '' : ` (${LABEL_SIZES[kind].widthMm}×${LABEL_SIZES[kind].heightMm} mm)`;
      throw new DepotError('print.no_printer', {
        sv: label ? `Ingen skrivare tar ${label.sv}${size}. Ange under Utskrifter vilken skrivare som har de etiketterna.` : 'Ingen skrivare är uppsatt. Lägg till en under Utskrifter.',
        en: label ? `No printer takes the ${label.en}${size}. Say under Printing which printer has those labels.` : 'No printer is set up. Add one under Printing.',
      });
    }
    // The one that takes it fits by its choosing; one named must have labels the label fits on.
    if (printerId && kind !== 'test') this.checkStock(p, kind);
    return p;
  }

  /** A label never goes to a printer whose labels it does not fit on (a 100×150 mm pallet label on a 50×25 mm printer). */
  private checkStock(p: PrinterProfile, kind: LabelKind): void {
    if (!stockTakes(p.labelSize, kind)) throw new DepotError('print.stock_too_small', tooSmall(p, kind));
  }

  /** Queues a job; it is sent as soon as its printer is free. */
  enqueue(job: { printerId: string; kind: string; title: string; zpl: string; userId?: string | null; reprintOf?: string | null }): PrintJob {
    const printer = this.printers().find((p) => p.id === job.printerId);
    if (!printer) throw new DepotError('print.no_printer', { sv: 'Skrivaren finns inte längre. Välj en annan under Utskrifter.', en: 'The printer no longer exists. Choose another under Printing.' });
    if (Object.hasOwn(LABEL_SIZES, job.kind)) this.checkStock(printer, job.kind as LabelKind);
    const now = Date.now();
    const id = uuidv7(now);
    insertJob(this.store, { id, printerId: job.printerId, kind: job.kind, title: job.title, zpl: job.zpl, at: now, userId: job.userId ?? null, reprintOf: job.reprintOf ?? null });
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
    const j = jobContent(this.store, jobId);
    if (!j) throw new DepotError('print.unknown_job', { sv: 'Utskriften finns inte.', en: 'The print job does not exist.' });
    return this.enqueue({ ...j, userId, reprintOf: jobId });
  }

  cancel(jobId: string): PrintJob {
    if (!cancelJob(this.store, jobId))
      throw new DepotError('print.cannot_cancel', { sv: 'Utskriften är redan utskriven eller skickas just nu.', en: 'The job is already printed or being sent right now.' });
    const j = this.job(jobId);
    this.changed(j);
    return j;
  }

  job(id: string): PrintJob {
    return jobById(this.store, id)!;
  }

  jobs(limit = 200): PrintJob[] {
    return recentJobs(this.store, limit);
  }

  zplOf(jobId: string): string | null {
    return jobContent(this.store, jobId)?.zpl ?? null;
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
        const next = nextJob(this.store, printerId);
        if (!next) return;
        // Jobs print in order: a waiting job holds back the ones behind it.
        if (next.nextAttemptAt > now) return this.schedule(printerId, next.nextAttemptAt - now);
        const printer = this.printers().find((p) => p.id === printerId);
        if (!printer) return;
        markSending(this.store, next.id);
        this.changed(this.job(next.id));
        const result: AttemptResult = await printOnce(printer.connection, next.zpl, { timeoutMs: this.options.timeoutMs ?? 3000 });
        if (result.ok) {
          markPrinted(this.store, next.id, Date.now());
          this.changed(this.job(next.id));
          continue;
        }
        const base = this.options.backoffMs ?? 2000;
        const wait = Math.min(this.options.maxBackoffMs ?? 60_000, base * 2 ** Math.min(10, next.attempts));
        markWaiting(this.store, next.id, `${result.fault}: ${result.detail}`, Date.now() + wait);
        this.changed(this.job(next.id));
        return this.schedule(printerId, wait);
      }
    } finally {
      this.busy.delete(printerId);
    }
  }
}

/** Why a printer does not take a label, with both sizes. */
function tooSmall(p: PrinterProfile, kind: LabelKind): { sv: string; en: string } {
  const { widthMm: w, heightMm: h } = LABEL_SIZES[kind];
  const stock = `${p.labelSize.widthMm}×${p.labelSize.heightMm} mm`;
  return {
    sv: `${p.name} har etiketter på ${stock}; en ${LABEL_NAMES[kind].sv} är ${w}×${h} mm och skrivs inte ut där.`,
    en: `${p.name} has ${stock} labels; a ${LABEL_NAMES[kind].en} is ${w}×${h} mm and is not printed there.`,
  };
}
