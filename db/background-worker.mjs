// The background reader's thread (db/background.ts): one whole-database read on a read-only
// connection of its own, the integrity check or the nightly copy, then it closes and ends.
// Plain JavaScript so Node runs it as it is, from the sources and from the build alike.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';

const Database = createRequire(import.meta.url)(workerData.module);
let db;
try {
  db = new Database(workerData.file, workerData.options);
  for (const p of workerData.pragmas) db.pragma(p);
  if (workerData.task === 'quick_check') {
    parentPort.postMessage({ ok: true, value: db.pragma('quick_check').map((r) => r.quick_check) });
  } else {
    // The copy is written encrypted with the same key.
    db.prepare('vacuum into ?').run(workerData.target);
    parentPort.postMessage({ ok: true, value: [] });
  }
} catch (e) {
  parentPort.postMessage({ ok: false, value: String((e && e.message) || e) });
} finally {
  if (db) db.close();
}
