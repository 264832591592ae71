/**
 * One cold start of the station core on an existing database, in a fresh process: open,
 * migration check, API ready, first answer. Prints the time since process start, when the
 * station's code had loaded (here through tsx, file by file; the desktop app loads one bundle),
 * and when the background integrity check (quick_check) delivered its verdict.
 */
const { startStation } = await import('../hosts/station');
const loadedMs = performance.now();

const dir = process.argv[2]!;
const station = startStation({ dataDir: dir });
const r = await station.api.call({ name: 'station.info', input: {} });
const readyMs = performance.now();
if (!r.ok) throw new Error(JSON.stringify(r.error));
const sound = await station.api.checked;
const checkedMs = performance.now();
console.log(JSON.stringify({ readyMs, loadedMs, checkedMs, sound }));
await station.close();

export {};
