/**
 * The station's memory on the large dataset, in a process of its own (as the desktop app's main
 * process holds the core): started as the app starts it (with its background integrity check),
 * then a day's mix of calls by a worker and a supervisor. Prints, as JSON, the peak resident set
 * after each phase and what holds it at the end: the JavaScript heap, memory outside it (buffers,
 * native code's allocations: SQLite's page caches among them), and SQLite's own cache limits.
 */
import { DEMO_USERS } from '../db/demo/catalogue';
import { startStation } from '../hosts/station';

const dir = process.argv[2]!;
const mib = (bytes: number) => Math.round((bytes / 1048576) * 10) / 10;
const peak = () => mib(process.resourceUsage().maxRSS * 1024);
const phases: { phase: string; peakRssMiB: number }[] = [];
const mark = (phase: string) => phases.push({ phase, peakRssMiB: peak() });

mark('node and the station code loaded');
const station = startStation({ dataDir: dir });
const api = station.api;
const call = async <T,>(name: string, input: unknown, session?: string): Promise<T> => {
  const r = await api.call({ name, input, ...(session ? { session } : {}) } as Parameters<typeof api.call>[0]);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value as T;
};
await call('station.info', {});
mark('database open, first answer');
await api.checked;
mark('background integrity check done');

const users = await call<{ id: string; name: string }[]>('auth.users', {});
const signIn = async (role: string) => {
  const u = DEMO_USERS.find((d) => d.role === role)!;
  const id = users.find((x) => x.name === u.name)!.id;
  return (await call<{ session: string }>('auth.signIn', { userId: id, pin: u.pin })).session;
};
const worker = await signIn('warehouse_worker');
const boss = await signIn('supervisor');

const numbers = station.store.sqlite.prepare('select individual_number as n from individuals order by rowid desc limit 300').pluck().all() as string[];
for (const n of numbers) await call('scan.submit', { raw: n }, worker);
for (const q of ['rullstol', 'säng', 'A10', 'BOD-H', 'lyft', 'rollator', 'I01']) await call('stock.search', { text: q }, worker);
mark('300 scans and searches');

const articles = station.store.sqlite.prepare('select id from articles order by rowid limit 50').pluck().all() as string[];
for (const id of articles) await call('stock.article', { id }, worker);
mark('50 article pages');

await call('replenishment.suggestions', { windowDays: 90 }, boss);
mark('replenishment suggestions, all sites');
await call('replenishment.dashboard', { windowDays: 90 }, boss);
mark('replenishment dashboard');
await call('supervisor.overview', {}, boss);
mark('supervisor overview');
await call('service.board', {}, boss);
await call('service.charts', { weeks: 26 }, boss);
mark('workshop board and figures');

await call('audit.list', {}, boss);
mark('audit log');

const m = process.memoryUsage();
const cachePages = station.store.sqlite.pragma('cache_size', { simple: true }) as number;
console.log(
  JSON.stringify({
    phases,
    peakRssMiB: peak(),
    atEnd: { rssMiB: mib(m.rss), heapUsedMiB: mib(m.heapUsed), heapTotalMiB: mib(m.heapTotal), externalMiB: mib(m.external), arrayBuffersMiB: mib(m.arrayBuffers) },
    sqliteCacheLimitMiB: cachePages < 0 ? mib(-cachePages * 1024) : mib(cachePages * 4096),
  }),
);
await station.close();
