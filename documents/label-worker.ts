import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DepotError } from '../vocabulary/errors';
import type { Dpi, LabelSize } from '../vocabulary/zpl';

/**
 * The ZPL renderer (about 8 MB of WebAssembly) runs on a thread of its own. A render holds its
 * thread until it is done (a batch of location labels takes about 90 ms a label, a 300 dpi pallet
 * label half a second), so on the station's own thread a large preview would hold up every call
 * and every scan. Here one long-lived worker renders one label set at a time; the others wait in a
 * short queue, and a render that runs past its time is ended with its thread.
 */
/** The thread's module, beside this one in the sources and in the build (an entry of its own). */
const WORKER = new URL('./label-render-worker.mjs', import.meta.url);

export interface RenderLimits {
  /** Characters of ZPL in one preview. */
  maxChars: number;
  /** Labels (`^XA` … `^XZ` blocks) in one preview. */
  maxLabels: number;
  /** Previews that may wait while one renders; one more is refused. */
  queueLength: number;
  /** How long the render of this many labels may take, in milliseconds, before it is ended. */
  timeLimitMs: (labels: number) => number;
}

/**
 * A preview is normally one label (a pallet label before it prints, a print job in the queue); a
 * batch is at most a shelf's location labels. 100 labels of the station's largest label (the
 * 300 dpi pallet label, about 900 characters) fit in 100 000 characters. A render gets 10 s plus
 * 0.25 s a label: one label, even on the largest printer label, renders in a few seconds; 100
 * location labels take about 9 s on a two-core station.
 */
export const RENDER_LIMITS: RenderLimits = {
  maxChars: 100_000,
  maxLabels: 100,
  queueLength: 4,
  timeLimitMs: (labels) => 10_000 + 250 * labels,
};

/** The labels in a piece of ZPL: each starts with `^XA`. */
export const countLabels = (zpl: string): number => zpl.match(/\^XA/gi)?.length ?? 0;

/**
 * Barcode sizes beyond what a Zebra printer takes (ZPL II: a QR code's or an Aztec code's
 * magnification 1–10, a bar's module width 1–10 dots, a Data Matrix element at most 100 dots here),
 * which the renderer would still try to draw at a cost of hundreds of megabytes. The first found,
 * as the command it is in, or null.
 */
export function beyondPrinter(zpl: string): string | null {
  const checks: [RegExp, number, number][] = [
    [/\^BQ[A-Z]?,\d?,(\d+)/gi, 1, 10],
    [/\^B[O0][A-Z]?,(\d+)/gi, 1, 10],
    [/\^BY(\d+)/gi, 1, 10],
    [/\^BX[A-Z]?,(\d+)/gi, 1, 100],
  ];
  for (const [re, min, max] of checks)
    for (const m of zpl.matchAll(re)) {
      const n = Number(m[1]);
      if (!(n >= min && n <= max)) return m[0];
    }
  return null;
}

const outOfRange = (command: string) =>
  new DepotError('labels.beyond_printer', {
    sv: `Etiketten har en streckkod större än en etikettskrivare kan skriva ut (${command}), så den förhandsvisas inte. Rätta etikettmallen.`,
    en: `The label has a barcode larger than a label printer can print (${command}), so it is not previewed. Correct the label template.`,
  });

const tooManyLabels = (labels: number, max: number) =>
  new DepotError('labels.too_large', {
    sv: `Förhandsvisningen visar högst ${max.toLocaleString('sv-SE')} etiketter åt gången, och här är ${labels.toLocaleString('sv-SE')}. Skriv ut färre etiketter åt gången.`,
    en: `A preview shows at most ${max.toLocaleString('en-GB')} labels at a time, and this has ${labels.toLocaleString('en-GB')}. Print fewer labels at a time.`,
  });

const tooLarge = (chars: number, max: number) =>
  new DepotError('labels.too_large', {
    sv: `Etiketten är för stor för att förhandsvisas (${chars.toLocaleString('sv-SE')} tecken, högst ${max.toLocaleString('sv-SE')}). Skriv ut färre etiketter åt gången.`,
    en: `The label is too large to preview (${chars.toLocaleString('en-GB')} characters, at most ${max.toLocaleString('en-GB')}). Print fewer labels at a time.`,
  });

const timedOut = () =>
  new DepotError('labels.preview_timeout', {
    sv: 'Förhandsvisningen tog för lång tid och avbröts. Skriv ut färre etiketter åt gången.',
    en: 'The preview took too long and was stopped. Print fewer labels at a time.',
  });

const busy = () =>
  new DepotError('labels.preview_busy', {
    sv: 'Stationen ritar redan flera förhandsvisningar. Vänta en stund och försök igen.',
    en: 'The station is already drawing several previews. Wait a moment and try again.',
  });

const failed = () =>
  new DepotError('labels.preview_failed', {
    sv: 'Etiketten kunde inte ritas upp. Försök igen, och kontakta IT om felet kvarstår.',
    en: 'The label could not be drawn. Try again, and contact IT if it keeps happening.',
  });

const stopped = () =>
  new DepotError('labels.preview_stopped', {
    sv: 'Stationen stängs, och förhandsvisningen avbröts.',
    en: 'The station is closing, and the preview was stopped.',
  });

interface Job {
  zpl: string;
  widthMm: number;
  heightMm: number;
  dpmm: number;
  labels: number;
  resolve: (pngs: string[]) => void;
  reject: (e: Error) => void;
}

type Reply = { ok: true; pngs: string[] } | { ok: false; reason: string };

/** Renders ZPL to PNG images on a worker thread, one label set at a time. */
export class LabelRenderer {
  readonly limits: RenderLimits;
  private worker: Worker | null = null;
  private current: { job: Job; timer: NodeJS.Timeout } | null = null;
  private readonly waiting: Job[] = [];

  constructor(limits: Partial<RenderLimits> = {}) {
    this.limits = { ...RENDER_LIMITS, ...limits };
  }

  /** The thread that renders now, or null when none is running. */
  get threadId(): number | null {
    return this.worker?.threadId ?? null;
  }

  /** The labels in `zpl` as base64 PNG images, one per label. */
  render(zpl: string, size: LabelSize, dpi: Dpi): Promise<string[]> {
    const { maxChars, maxLabels, queueLength } = this.limits;
    if (zpl.length > maxChars) return Promise.reject(tooLarge(zpl.length, maxChars));
    const labels = countLabels(zpl);
    if (labels > maxLabels) return Promise.reject(tooManyLabels(labels, maxLabels));
    const beyond = beyondPrinter(zpl);
    if (beyond !== null) return Promise.reject(outOfRange(beyond.slice(0, 20)));
    if (this.current && this.waiting.length >= queueLength) return Promise.reject(busy());
    return new Promise((resolve, reject) => {
      this.waiting.push({ zpl, widthMm: size.widthMm, heightMm: size.heightMm, dpmm: Math.round(dpi / 25.4), labels, resolve, reject });
      this.next();
    });
  }

  /** Ends the worker; a render under way and those waiting are refused. The next render starts a new worker. */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = null;
    const jobs = [...(this.current ? [this.current.job] : []), ...this.waiting.splice(0)];
    if (this.current) clearTimeout(this.current.timer);
    this.current = null;
    for (const job of jobs) job.reject(stopped());
    if (worker) await worker.terminate();
  }

  private next(): void {
    if (this.current) return;
    const job = this.waiting.shift();
    if (!job) {
      // An idle worker does not keep the process alive.
      this.worker?.unref();
      return;
    }
    const worker = this.worker ?? this.start();
    worker.ref();
    const timer = setTimeout(() => this.end(worker, timedOut()), this.limits.timeLimitMs(job.labels));
    this.current = { job, timer };
    worker.postMessage({ zpl: job.zpl, widthMm: job.widthMm, heightMm: job.heightMm, dpmm: job.dpmm });
  }

  private start(): Worker {
    // Resolved here, on the station's side, so the path is right under tsx, vitest and the bundled Electron main alike.
    const module = createRequire(import.meta.url).resolve('zpl-renderer-js');
    const worker = new Worker(WORKER, { workerData: { module } });
    worker.on('message', (reply: Reply) => {
      if (this.worker !== worker || !this.current) return;
      if (!reply.ok) {
        console.warn(`label preview: the renderer failed: ${reply.reason}`);
        // A renderer that has failed once may be left broken: the next label gets a fresh one.
        this.end(worker, failed());
        return;
      }
      const { job, timer } = this.current;
      clearTimeout(timer);
      this.current = null;
      job.resolve(reply.pngs);
      this.next();
    });
    worker.on('error', (e) => {
      console.warn(`label preview: the renderer stopped: ${e.message}`);
      this.end(worker, failed());
    });
    worker.on('exit', () => this.end(worker, failed()));
    this.worker = worker;
    return worker;
  }

  /** Ends `worker` (if it is still the current one): its render fails with `error`, and the next waiting render gets a new worker. */
  private end(worker: Worker, error: DepotError): void {
    if (this.worker !== worker) return;
    this.worker = null;
    void worker.terminate();
    const current = this.current;
    this.current = null;
    if (current) {
      clearTimeout(current.timer);
      current.job.reject(error);
    }
    this.next();
  }
}

let shared: LabelRenderer | null = null;

/** The station's label renderer; its worker starts with the first preview. */
export function labelRenderer(): LabelRenderer {
  return (shared ??= new LabelRenderer());
}

/** Ends the station's label renderer, refusing any preview under way. */
export async function stopLabelRendering(): Promise<void> {
  const r = shared;
  shared = null;
  await r?.close();
}
