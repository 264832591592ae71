/**
 * One cold start of the station core on an existing database, in a fresh process: open,
 * integrity check, migration check, API ready, first answer. Prints the time since process start.
 */
import { startStation } from '../api/station';

const dir = process.argv[2]!;
const station = startStation({ dataDir: dir });
const r = station.api.call({ name: 'station.info', input: {} });
const ready = performance.now();
if (!r.ok) throw new Error(JSON.stringify(r.error));
console.log(JSON.stringify({ readyMs: ready }));
station.close();
