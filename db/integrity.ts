import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * `PRAGMA quick_check` on its own read-only connection in a worker thread. On a large station
 * database it takes seconds; run this way it does not hold up the station's start, and its verdict
 * still arrives before anyone has signed in and scanned.
 */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.module);
let db;
try {
  db = new Database(workerData.file, workerData.nativeBinding ? { readonly: true, nativeBinding: workerData.nativeBinding } : { readonly: true });
  const rows = db.pragma('quick_check');
  parentPort.postMessage(rows.map((r) => r.quick_check));
} catch (e) {
  parentPort.postMessage([String(e && e.message || e)]);
} finally {
  if (db) db.close();
}
`;

/** Resolves with [] when the database is sound, or with SQLite's findings when it is not. */
export function checkIntegrityInBackground(file: string, nativeBinding?: string): Promise<string[]> {
  const module = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file, module, nativeBinding } });
    worker.once('message', (findings: string[]) => resolve(findings.length === 1 && findings[0] === 'ok' ? [] : findings));
    worker.once('error', (e) => resolve([`integrity check could not run: ${e.message}`]));
  });
}
