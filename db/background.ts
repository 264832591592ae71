import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { bindingOptions, keyPragmas } from './cipher';

/**
 * Reads of the whole database on their own read-only connection in a worker thread: the
 * integrity check at start and the nightly copy. On a large station database each takes seconds;
 * run this way neither holds up a scan (WAL lets them read while the station writes).
 */
/** The thread's module, beside this one in the sources and in the build (an entry of its own). */
const WORKER = new URL('./background-worker.mjs', import.meta.url);

interface Job {
  file: string;
  key: Buffer;
  nativeBinding?: string | undefined;
}

/** Workers still running, each settling when its thread has closed its connection and exited. */
const running = new Set<Promise<void>>();

/**
 * Resolves once every background read has finished and its connection is closed. A worker
 * cannot be stopped mid-statement, so closing the station waits here first: the writer is then
 * the last connection and folds the write-ahead log in, and the folder holds the database alone.
 */
export async function backgroundSettled(): Promise<void> {
  while (running.size > 0) await Promise.all([...running]);
}

function run(job: Job, task: 'quick_check' | 'vacuum_into', target?: string): Promise<{ ok: boolean; value: string[] | string }> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  const workerData = { file: job.file, options: { ...bindingOptions(job.nativeBinding), readonly: true }, pragmas: keyPragmas(job.key), module, task, target };
  return new Promise((resolve) => {
    const worker = new Worker(WORKER, { workerData });
    const exited = new Promise<void>((done) => worker.once('exit', () => done()));
    running.add(exited);
    void exited.then(() => running.delete(exited));
    worker.once('message', resolve);
    worker.once('error', (e) => resolve({ ok: false, value: e.message }));
  });
}

/** What `quick_check` found wrong: [] when its one line says the file is sound. */
export const integrityFindings = (lines: string[]): string[] => (lines.length === 1 && lines[0] === 'ok' ? [] : lines);

/**
 * Resolves with [] when the database is sound, or with SQLite's findings when it is not. A check
 * that could not run at all (the machine out of file handles or memory for a moment) says nothing
 * about the file: it is tried again, and never taken for damage.
 */
export async function checkIntegrityInBackground(job: Job, tries = 3, pauseMs = 2_000): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const r = await run(job, 'quick_check');
    if (r.ok) return integrityFindings(r.value as string[]);
    if (attempt >= tries) {
      console.error(`the integrity check of ${job.file} could not run (${r.value as string}); it runs again at the next start`);
      return [];
    }
    await new Promise((resolve) => setTimeout(resolve, pauseMs).unref());
  }
}

/** Writes a compact, consistent, encrypted copy of the database to `target` (which must not exist). */
export async function copyInBackground(job: Job, target: string): Promise<void> {
  const r = await run(job, 'vacuum_into', target);
  if (!r.ok) throw new Error(`the copy could not be made: ${r.value as string}`);
}
