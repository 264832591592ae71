/**
 * `npm run bench`: measures the station on the large dataset and compares the ledger with raw
 * SQLite inserts measured in the same run. Prints a table and writes bench/results.json.
 * Options: --dir <path> (default bench/.data/large). `--load [--stations 200] [--seconds 60]` runs only
 * the load test of the register on PostgreSQL (bench/load.ts). `--scan-only` runs only scan to screen
 * (bench/scan-to-screen.ts); `--renderer <dir>` serves a renderer built elsewhere than out/renderer,
 * `--scans <n>` makes fewer or more than 500 scans. `--suggestions-only` runs only every site's
 * replenishment suggestions against reading the reorder settings, on a copy of the dataset.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createApi } from '../api/dispatch';
import { DEMO_USERS } from '../db/demo/catalogue';
import { ensureLargeDataset } from '../db/demo/large-cli';
import { prng } from '../db/demo/random';
import { seedReorderSettings } from '../db/demo/replenishment';
import { seedWorkshop } from '../db/demo/workshop';
import { refreshAggregates } from '../db/replenishment/aggregates';
import { computeSuggestions, reconditioningPipeline } from '../db/replenishment/suggestions';
import { expiryList } from '../db/stock/lots';
import { copyStation, openStationDb } from '../db/open';
import { uuidv7 } from '../db/ids';
import { postMovements, type MovementInput } from '../db/stock/ledger';
import { resolveScan } from '../db/stock/resolve';
import { MOVEMENT_COLUMNS, MOVEMENT_FIELDS, type Movement } from '../db/sync/wire';
import { decodeScan } from '../vocabulary/codes/decode';
import { describeRegressions, regressions, type BenchFigure } from './compare';
import { scanToScreen } from './scan-to-screen';
import { syncBench } from './sync';
import { copyBench } from './copy';
import { loadBench } from './load';
import { countBench } from './counts';
import { memoryBench } from './memory';
import { firstPaint } from './first-paint';
import { addToPallet, closePallet, deliverPallet, openPallet } from '../db/workflows/pallets';
import { pick as pickDevice } from '../db/workflows/picking';

const root = join(import.meta.dirname, '..');
const dirArg = process.argv.indexOf('--dir');
const dir = dirArg > 0 ? process.argv[dirArg + 1]! : join(root, 'bench', '.data', 'large');

interface Result {
  name: string;
  value: number;
  unit: string;
  target: string;
}
const results: Result[] = [];
const record = (name: string, value: number, unit: string, target = '') => {
  results.push({ name, value: Math.round(value * 1000) / 1000, unit, target });
  console.log(`  ${name}: ${value.toFixed(3)} ${unit}${target ? `  (target ${target})` : ''}`);
};
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!;
};
const time = (f: () => void) => {
  const t = performance.now();
  f();
  return performance.now() - t;
};

// The register under load: simulated stations against two register nodes on PostgreSQL (bench/load.ts).
if (process.argv.includes('--load')) {
  const option = (name: string, fallback: number) => (process.argv.includes(name) ? Number(process.argv[process.argv.indexOf(name) + 1]) : fallback);
  await loadBench(record, { stations: option('--stations', 200), seconds: option('--seconds', 60) });
  process.exit(0);
}

/** First paint of the built renderer in browser mode (bench/first-paint.ts), against a page without script from the same server. */
async function recordFirstPaint(): Promise<void> {
  const option = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  let rendererDir = option('--renderer');
  if (!rendererDir) {
    // Built as `npm start` builds it, when it is missing or older than its sources.
    (await import('../test/e2e/build-renderer')).default();
    rendererDir = join(root, 'out', 'renderer');
  }
  console.log('First paint in browser mode');
  const f = await firstPaint(rendererDir, { runs: option('--runs') ? Number(option('--runs')) : undefined });
  if (!f) return;
  record(`script loaded before the sign-in screen shows (${f.scriptFiles} files)`, f.scriptBytes / 1024, 'KiB', '≤ 450 KiB');
  record(`first contentful paint, browser mode, cold cache (median of ${f.runs})`, f.fcp, 'ms');
  record(`sign-in screen interactive, browser mode, cold cache (median of ${f.runs})`, f.interactive, 'ms');
  record('baseline: first contentful paint of the same HTML and stylesheet without script', f.baselineFcp, 'ms');
  record('first contentful paint against the baseline', f.fcp / f.baselineFcp, '×', '≤ 4×');
  record('sign-in screen interactive against the baseline', f.interactive / f.baselineFcp, '×', '≤ 5×');
}

if (process.argv.includes('--first-paint-only')) {
  await recordFirstPaint();
  process.exit(0);
}

console.log(`Large dataset in ${dir}`);
const gen = ensureLargeDataset(dir);
if (gen.generated) record('large dataset generation', gen.seconds, 's');

if (process.argv.includes('--memory-only')) {
  memoryBench(dir, record);
  process.exit(0);
}

if (process.argv.includes('--counts-only')) {
  await countBench(dir, record);
  process.exit(0);
}

/** Every suggestion for every site (the aggregates built first), against reading the reorder settings alone in the same run. */
function recordSuggestions(dataDir: string): void {
  console.log('Replenishment suggestions');
  const r = openStationDb({ dataDir, quickCheck: 'skip' });
  if (!r.sqlite.prepare('select 1 from reorder_settings limit 1').get()) seedReorderSettings(r);
  r.sqlite.prepare('update aggregates_state set built = 0').run();
  record('aggregates built from the whole ledger (once per station)', time(() => refreshAggregates(r)), 'ms');
  const runs: number[] = [];
  let lines = 0;
  for (let i = 0; i < 7; i++)
    runs.push(
      time(() => {
        const s = computeSuggestions(r);
        lines = s.purchase.reduce((n, g) => n + g.lines.length, 0) + s.refills.reduce((n, d) => n + d.lines.length, 0);
      }),
    );
  const settings = (r.sqlite.prepare('select count(*) as n from reorder_settings').get() as { n: number }).n;
  const all = pct(runs, 50);
  const alone = pct(Array.from({ length: 7 }, () => time(() => r.sqlite.prepare('select * from reorder_settings').raw().all())), 50);
  record(`all suggestions, all sites (${settings.toLocaleString('en')} settings, ${lines.toLocaleString('en')} lines; median of 7)`, all, 'ms', '≤ 200 ms');
  record('reading the reorder settings alone (baseline, median of 7)', alone, 'ms');
  record('all suggestions, ratio to reading the settings alone', all / alone, '×', '≤ 2×');
  const central = r.sqlite.prepare("select id from sites where kind = 'central_store'").get() as { id: string } | undefined;
  if (central) {
    const pipeline = pct(Array.from({ length: 7 }, () => time(() => reconditioningPipeline(r, central.id, Date.now(), 90))), 50);
    record('of which the reconditioning pipeline (queue and pace), ratio to reading the settings alone', pipeline / alone, '×');
  }
  r.close();
}

// Suggestions alone, on a copy of the dataset of its own (building the aggregates writes to it).
if (process.argv.includes('--suggestions-only')) {
  const copy = join(dir, '..', 'suggestions-copy');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  copyStation(dir, copy);
  try {
    recordSuggestions(copy);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  process.exit(0);
}

/** Scan to screen (bench/scan-to-screen.ts) on a copy of the dataset, with the figures taken in the page, by the test driver, and the baselines. */
async function recordScanToScreen(dataDir: string, numbers: string[]): Promise<void> {
  const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
  const s = await scanToScreen(dataDir, numbers, { rendererDir: arg('--renderer'), scans: arg('--scans') ? Number(arg('--scans')) : undefined });
  if (!s) return;
  const over = `${s.scans} scans over a pty`;
  record(`scan to screen in the page p50 (bytes written to the DOM showing it, painted in the frame after; ${over})`, s.dom.p50, 'ms');
  record(`scan to screen in the page p95 (bytes written to the DOM showing it, painted in the frame after; ${over})`, s.dom.p95, 'ms', '≤ 16 ms');
  record(`frames between the first the page began after a scan's bytes and the one that shows it, p95 (0: that first frame)`, s.framesLate.p95, 'frames', '≤ 1 frame');
  record(`scans shown in the first frame after their bytes or the next`, s.framesLate.withinOne * 100, '% of scans');
  console.log(`  (frames late: ${s.framesLate.counts.map((n, i) => `${i === 3 ? '3 or more' : i}: ${n}`).join(', ')})`);
  record(`scan to screen in the page p50 (bytes written to the frame that shows it, the display's wait for its frame included)`, s.page.p50, 'ms');
  record(`scan to screen in the page p95 (bytes written to the frame that shows it, the display's wait for its frame included)`, s.page.p95, 'ms');
  record(`of which bytes written to the scan event reaching the page, p95`, s.arrival.p95, 'ms');
  record(`of which the page's own work, the event's arrival to the DOM showing it, p95`, s.ownWork.p95, 'ms');
  record(`scan to screen as the test driver sees it (polling each frame) p50 (${over})`, s.driver.p50, 'ms');
  record(`scan to screen as the test driver sees it (polling each frame) p95 (${over})`, s.driver.p95, 'ms', '≤ 50 ms');
  record('baseline: bytes written to the core\'s scan event (pty, serial driver, decoding, resolution) p95', s.core.p95, 'ms');
  record('baseline: a bare DOM update in the same page to its frame p95', s.frame.p95, 'ms');
  record('scan to screen in the page p95 against both baselines\' p95 added', s.page.p95 / (s.core.p95 + s.frame.p95), '×');
  record('calls the page makes to the station before a scan shows (per scan)', s.callsBeforeShown, 'calls');
  record('calls the page makes to the station per scan (the screen\'s own loads included)', s.callsPerScan, 'calls');
  console.log(`  (the page's clock mapped to the writer's within ±${s.clockError.toFixed(2)} ms)`);
}

// Scan to screen alone, on a copy of the dataset of its own.
if (process.argv.includes('--scan-only')) {
  const copy = join(dir, '..', 'scan-copy');
  rmSync(copy, { recursive: true, force: true });
  mkdirSync(copy, { recursive: true });
  copyStation(dir, copy);
  const db = openStationDb({ dataDir: copy, quickCheck: 'skip' });
  const numbers = (db.sqlite.prepare('select individual_number n from individuals order by random() limit 600').all() as { n: string }[]).map((r) => r.n);
  db.close();
  try {
    await recordScanToScreen(copy, numbers);
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
  process.exit(0);
}

// A new station's first full copy alone (the register filled by --sync-only once).
if (process.argv.includes('--copy-only')) {
  await copyBench(dir, record);
  process.exit(0);
}

if (process.argv.includes('--sync-only')) {
  await syncBench(dir, record);
  process.exit(0);
}

// Cold start: a fresh process opens the database, checks it and answers its first call.
console.log('Cold start');
const coldRuns: number[] = [];
const openRuns: number[] = [];
const checkRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'cold-start.ts'), dir], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { readyMs: number; loadedMs: number; checkedMs: number; sound: boolean };
  if (!out.sound) throw new Error('the large dataset failed its integrity check');
  coldRuns.push(out.readyMs);
  openRuns.push(out.readyMs - out.loadedMs);
  checkRuns.push(out.checkedMs);
}
record('cold start to ready (median of 5)', pct(coldRuns, 50), 'ms', '≤ 2000 ms');
record('of which opening the database to the first answer, the code loaded', pct(openRuns, 50), 'ms');
record('integrity check verdict after start (background quick_check)', pct(checkRuns, 50), 'ms');

const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
const api = createApi(store);
const counts = store.sqlite
  .prepare(
    `select (select count(*) from articles) a, (select count(*) from individuals) i, (select max(rowid) from movements) m,
       (select count(*) from locations) l, (select count(*) from sites) s`,
  )
  .get() as { a: number; i: number; m: number; l: number; s: number };
console.log(`  dataset: ${counts.s} sites, ${counts.l} locations, ${counts.a} articles, ${counts.i} individuals, ${counts.m} movements`);
const users = await api.call({ name: 'auth.users', input: {} });
const lena = (users.ok ? (users.value as { id: string; name: string }[]) : []).find((u) => u.name === DEMO_USERS[0]!.name)!;
const signIn = await api.call({ name: 'auth.signIn', input: { userId: lena.id, pin: DEMO_USERS[0]!.pin } });
const session = signIn.ok ? (signIn.value as { session: string }).session : '';
const call = async (name: string, input: unknown) => {
  const r = await api.call({ name, input, session });
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.error)}`);
  return r.value;
};
const timeAsync = async (f: () => Promise<unknown>) => {
  const t = performance.now();
  await f();
  return performance.now() - t;
};

// Look-up by any code, through the API as a screen would call it.
console.log('Look-up by any code');
const rnd = prng(7);
const sample = <T>(sql: string, n: number): T[] => store.sqlite.prepare(`${sql} order by random() limit ${n}`).all() as T[];
const codes = [
  ...sample<{ c: string }>('select individual_number c from individuals', 800),
  ...sample<{ c: string }>('select serial_number c from individuals', 400),
  ...sample<{ c: string }>('select article_number c from articles', 300),
  ...sample<{ c: string }>('select gtin c from article_gtins', 300),
  ...sample<{ c: string }>('select code c from locations', 200),
].map((r) => r.c);
for (const c of codes.slice(0, 200)) await call('stock.resolve', { code: c }); // warm the cache
const lookups: number[] = [];
for (const code of codes) lookups.push(await timeAsync(() => call('stock.resolve', { code })));
record('lookup by code p50', pct(lookups, 50), 'ms');
record('lookup by code p99', pct(lookups, 99), 'ms', '≤ 2 ms');

// Search as you type: every keystroke of realistic queries asks for the first page.
console.log('Search as you type');
const names = sample<{ n: string }>('select name n from articles', 60).map((r) => r.n.split(' ')[0]!.toLowerCase());
const typed = [...names, ...codes.slice(0, 60), 'rollator', 'manuell rullstol', 'säng', 'taklyft', 'BOD-H-0', 'I01', 'A1'];
const keystrokes: number[] = [];
for (const q of typed) for (let k = 1; k <= q.length; k++) keystrokes.push(await timeAsync(() => call('stock.search', { text: q.slice(0, k) })));
record('search-as-you-type p50', pct(keystrokes, 50), 'ms');
record('search-as-you-type p95', pct(keystrokes, 95), 'ms', '≤ 50 ms');
record('search-as-you-type max', Math.max(...keystrokes), 'ms');

// Detail pages.
const indIds = sample<{ id: string }>('select id from individuals', 200).map((r) => r.id);
const indNumbers = sample<{ n: string }>('select individual_number n from individuals', 600).map((r) => r.n);
const indTimes: number[] = [];
for (const id of indIds) indTimes.push(await timeAsync(() => call('stock.individual', { id })));
record('individual page (detail + history) p95', pct(indTimes, 95), 'ms');
const artIds = sample<{ id: string }>('select id from articles', 200).map((r) => r.id);
const artTimes: number[] = [];
for (const id of artIds) artTimes.push(await timeAsync(() => call('stock.article', { id })));
record('article page (balances per site) p95', pct(artTimes, 95), 'ms');
// Resolving a scan: decode it and find what it names.
console.log('Resolving scans');
const scanCodes = [...codes, ...sample<{ c: string }>("select udi c from individuals where udi is not null", 300).map((r) => r.c)];
const resolveTimes = scanCodes.map((raw) =>
  time(() => {
    const d = decodeScan(raw);
    if (d.ok) resolveScan(store, d.value.content, d.value.text);
  }),
);
record('scan resolution p50', pct(resolveTimes, 50), 'ms');
record('scan resolution p99', pct(resolveTimes, 99), 'ms', '≤ 2 ms');
store.close();

// Writes run on a copy, so the dataset stays as generated.
console.log('Posting');
const work = join(dir, '..', 'write-copy');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
copyStation(dir, work);
const w = openStationDb({ dataDir: work, quickCheck: 'skip' });
const actor = {
  stationId: (w.sqlite.prepare('select id from station').get() as { id: string }).id,
  userId: lena.id,
};
const sold = w.sqlite.prepare("select id from articles where rentable = 0 and tracking = 'none' limit 200").all() as { id: string }[];
const bins = w.sqlite.prepare("select l.id from locations l join station s on s.site_id = l.site_id where l.level = 'bin' and l.kind = 'shelf' limit 2000").all() as { id: string }[];
const pick = <T>(xs: T[]) => xs[Math.floor(rnd() * xs.length)]!;
const receipts = (n: number): MovementInput[] =>
  Array.from({ length: n }, () => ({ articleId: pick(sold).id, toLocationId: pick(bins).id, quantity: 1 + Math.floor(rnd() * 20), reason: 'receipt' as const }));

// The baseline: the same rows as plain prepared INSERTs into the same movements table (same size,
// indexes, foreign keys and pragmas), with the ledger out of the way: no validation, no balance
// triggers, no guard for devices tracked one by one, no outbox. Those triggers are dropped in this
// throw-away copy while the baseline runs.
const triggers = w.sqlite
  .prepare("select name, sql from sqlite_master where type = 'trigger' and (name like 'movements_balance%' or name = 'movements_individual_required')")
  .all() as { name: string; sql: string }[];
const rawInsert = w.sqlite.prepare(`insert into movements (${MOVEMENT_COLUMNS.join(', ')}) values (${MOVEMENT_FIELDS.map((f) => `@${f}`).join(', ')})`);
const rawStation = uuidv7();
let rawSeq = 0;
const rawRow = (m: MovementInput, now: number) =>
  rawInsert.run({
    id: uuidv7(now),
    stationId: rawStation,
    seq: ++rawSeq,
    userId: actor.userId,
    occurredAt: now,
    recordedAt: now,
    articleId: m.articleId,
    individualId: null,
    lot: null,
    fromLocationId: null,
    toLocationId: m.toLocationId ?? null,
    quantity: m.quantity,
    reason: m.reason,
    orderRef: null,
    reverses: null,
  } satisfies Movement);
/** Times `f` with the balance triggers dropped (and puts them back). */
const withoutTriggers = (f: () => void): number => {
  for (const t of triggers) w.sqlite.exec(`drop trigger ${t.name}`);
  try {
    return time(f);
  } finally {
    for (const t of triggers) w.sqlite.exec(t.sql);
  }
};

const SINGLES = 1000;
const singleRows = receipts(SINGLES);
const rawSingles = withoutTriggers(() => singleRows.forEach((m) => w.sqlite.transaction(() => rawRow(m, Date.now()))()));
const ledgerSingles = time(() => singleRows.forEach((m) => postMovements(w, actor, [m], 'receiving')));
record('single-movement transactions (ledger)', (SINGLES / ledgerSingles) * 1000, 'movements/s');
record('single-movement transactions (raw inserts)', (SINGLES / rawSingles) * 1000, 'movements/s');
record('ledger cost vs raw, single transactions', ledgerSingles / rawSingles, '×', '≤ 3×');

const batchRuns = 4;
const ledgerBatch: number[] = [];
const rawBatch: number[] = [];
for (let i = 0; i < batchRuns; i++) {
  const rows = receipts(10_000);
  const rawRun = () => rawBatch.push(withoutTriggers(() => w.sqlite.transaction(() => rows.forEach((m) => rawRow(m, Date.now())))()));
  const ledgerRun = () => ledgerBatch.push(time(() => postMovements(w, actor, rows, 'receiving')));
  // Alternate which goes first, so neither gets the other's warm cache every time.
  for (const run of i % 2 === 0 ? [rawRun, ledgerRun] : [ledgerRun, rawRun]) run();
}
record('10,000-movement batch (ledger, median of 4)', pct(ledgerBatch, 50), 'ms', '≤ 1000 ms');
record('10,000-movement batch (raw inserts, median of 4)', pct(rawBatch, 50), 'ms');
record('ledger cost vs raw, 10,000 batch', pct(ledgerBatch, 50) / pct(rawBatch, 50), '×', '≤ 3×');

// Deliveries: a route's day of 40 devices, picked onto five customers' pallets and closed, confirmed delivered.
console.log('Delivery confirmation');
{
  const siteId = (w.sqlite.prepare('select site_id from station').get() as { site_id: string }).site_id;
  const at = { ...actor, siteId };
  const devices = w.sqlite
    .prepare("select i.id, i.article_id as articleId, i.location_id as locationId from individuals i join locations l on l.id = i.location_id where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'rack', 'floor') order by i.individual_number limit 40")
    .all(siteId) as { id: string; articleId: string; locationId: string }[];
  const day = new Date(Date.now() + 9 * 86_400_000).toISOString().slice(0, 10);
  const pallets: string[] = [];
  for (let p = 0; p < 5; p++) {
    const point = `Bänkleverans ${p + 1}`;
    const pallet = openPallet(w, at, { route: 'Rutt Bänk', deliveryDay: day, deliveryPoint: point, municipality: 'Boden' });
    for (const [n, d] of devices.slice(p * 8, p * 8 + 8).entries()) {
      const id = uuidv7();
      const ref = `KO-B${p}${n}${Date.now() % 100000}`;
      w.sqlite
        .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values (?, ?, 'PSN-B', ?, 'Boden', 'Rutt Bänk', ?, ?, ?)")
        .run(id, ref, point, day, Date.now() - 86_400_000, siteId);
      w.sqlite.prepare('insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values (?, ?, 1, ?, 1)').run(uuidv7(), id, d.articleId);
      pickDevice(w, at, { orderRef: ref, articleId: d.articleId, individualId: d.id, fromLocationId: d.locationId, quantity: 1 });
      addToPallet(w, at, { palletId: pallet.id, articleId: d.articleId, individualId: d.id, quantity: 1 });
    }
    closePallet(w, at, pallet.id);
    pallets.push(pallet.sscc);
  }
  const raw = withoutTriggers(() =>
    w.sqlite.transaction(() => devices.forEach((d) => rawRow({ articleId: d.articleId, toLocationId: d.locationId, quantity: 1, reason: 'receipt' }, Date.now())))(),
  );
  const delivered = time(() => pallets.forEach((sscc) => deliverPallet(w, at, sscc)));
  const onLoan = (w.sqlite.prepare(`select count(*) as n from individuals where status = 'on_loan' and id in (${devices.map(() => '?').join(', ')})`).get(...devices.map((d) => d.id)) as { n: number }).n;
  record(`delivery confirmation of a route's day (${onLoan} devices on 5 pallets, each on loan)`, delivered, 'ms', '≤ 200 ms');
  record('baseline: 40 movements as plain inserts in one transaction', raw, 'ms');
}
w.close();

await recordScanToScreen(work, indNumbers);
rmSync(work, { recursive: true, force: true });

// Replenishment: every suggestion for every site, from the ledger's aggregates.
recordSuggestions(dir);

// Lots: a site's expiry list (expired, and expiring within 30 days), against reading its lot balances alone.
console.log('Expiry list');
{
  const r = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  // A dataset made before lots carried their expiry: each lot of an article with a best-before date gets one from its name.
  if (!r.sqlite.prepare('select 1 from lots limit 1').get())
    r.sqlite.exec(`insert or ignore into lots (article_id, lot, expires_on)
      select distinct b.article_id, b.lot, case when a.tracking = 'lot_expiry'
        then date('2023-01-28', '+' || ((abs(cast(substr(b.lot, 2, 4) as integer)) % 48) + 36) || ' months') end
      from balances b join articles a on a.id = b.article_id where b.lot <> ''`);
  const site = (r.sqlite.prepare("select id from sites where kind = 'central_store'").get() as { id: string }).id;
  const runs: number[] = [];
  let lines = 0;
  for (let i = 0; i < 7; i++) runs.push(time(() => (lines = expiryList(r, site, 30).length)));
  const lots = (r.sqlite.prepare('select count(*) as n from lots where expires_on is not null').get() as { n: number }).n;
  record(`expiry list of the central store (${lots.toLocaleString('en')} lots with a date, ${lines.toLocaleString('en')} lines; median of 7)`, pct(runs, 50), 'ms', '≤ 100 ms');
  record(
    "baseline: reading the central store's lot balances alone",
    time(() => r.sqlite.prepare("select b.* from balances b join locations l on l.id = b.location_id where b.lot <> '' and l.site_id = ?").raw().all(site)),
    'ms',
  );
  r.close();
}

// The workshop: the technicians' board and the supervisors' figures, through the API as the screens open them.
console.log('Workshop board and figures');
{
  const r = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  const seeded = time(() => seedWorkshop(r));
  if (seeded > 50) record('workshop history built from the ledger (once, for an older dataset)', seeded, 'ms');
  const a = createApi(r);
  const who = (role: string) => DEMO_USERS.find((u) => u.role === role)!;
  const all = await a.call({ name: 'auth.users', input: {} });
  const callAs = async (role: string) => {
    const u = (all.ok ? (all.value as { id: string; name: string }[]) : []).find((x) => x.name === who(role).name)!;
    const s = await a.call({ name: 'auth.signIn', input: { userId: u.id, pin: who(role).pin } });
    const session = s.ok ? (s.value as { session: string }).session : '';
    return async (name: string, input: unknown) => {
      const out = await a.call({ name, input, session });
      if (!out.ok) throw new Error(`${name}: ${JSON.stringify(out.error)}`);
      return out.value;
    };
  };
  const tech = await callAs('technician');
  const boss = await callAs('supervisor');
  const jobs = r.sqlite.prepare('select (select count(*) from service_jobs) as all_, (select count(*) from service_jobs where closed_at is null) as open').get() as { all_: number; open: number };
  const boardRuns: number[] = [];
  const chartRuns: number[] = [];
  for (let i = 0; i < 7; i++) {
    boardRuns.push(await timeAsync(() => tech('service.board', {})));
    chartRuns.push(await timeAsync(() => boss('service.charts', { weeks: 26 })));
  }
  const station = r.sqlite.prepare('select site_id from station').get() as { site_id: string };
  record(
    'baseline: reading every open job\'s whole row at the site',
    time(() => r.sqlite.prepare('select * from service_jobs where site_id = ? and closed_at is null').raw().all(station.site_id)),
    'ms',
  );
  record(`technician board (${jobs.open.toLocaleString('en')} open jobs; median of 7)`, pct(boardRuns, 50), 'ms', '≤ 200 ms');
  record(`supervisor figures, 26 weeks (${jobs.all_.toLocaleString('en')} jobs; median of 7)`, pct(chartRuns, 50), 'ms', '≤ 200 ms');
  r.close();
}

console.log('Inventory count');
await countBench(dir, record);

console.log("The station's memory");
memoryBench(dir, record);

console.log('Sync with the register');
await syncBench(dir, record);

await recordFirstPaint();

const committed = spawnSync('git', ['show', 'HEAD:bench/results.json'], { cwd: root, encoding: 'utf8' });
const before: BenchFigure[] = committed.status === 0 ? (JSON.parse(committed.stdout) as BenchFigure[]) : [];
writeFileSync(join(root, 'bench', 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
console.log('\n| measure | value | unit | target |\n| --- | --- | --- | --- |');
for (const r of results) console.log(`| ${r.name} | ${r.value} | ${r.unit} | ${r.target} |`);
console.log('\nWritten to bench/results.json');
console.log(`\n${describeRegressions(regressions(before, results))}`);
