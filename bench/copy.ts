/**
 * A new station's first full copy on the large dataset, alone (`npm run bench -- --copy-only`):
 * the register (a copy of bench/.data/register-large, filled by `--sync-only` once) reading the
 * copy without sending it (baseline) and reading and packing it as it would send it (baseline), then a station's first full pull over loopback HTTP through
 * a relay that counts the bytes, in the columns' second edition, from the register serving in a
 * process of its own as it does in the region (the station saves the copy as it arrives, so the
 * two work at once), with the time the station took after the last row and the CPU time each of the
 * two processes spent (against the floor it sets on this machine's cores), then the next new station's
 * pull given the copy the register made for that one (register/made-copies.ts); as baselines from the same run, the same pull in the columns' first edition and in the
 * earliest shape (JSON lines under gzip), as stations of earlier versions ask for them, and a new
 * station saving the same copy alone from its bytes at hand (its own share of the pull). Then a
 * depot's own copy against the register's read of it (alone: `--copy-only --copy-depot-only`).
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openStationDb } from '../db/open';
import { EventHub } from '../services/events';
import { enrolWithRegister, SyncEngine } from '../services/sync';
import { CopyEncoder, SNAPSHOT_COLUMNS_2_CONTENT_TYPE, SNAPSHOT_COLUMNS_CONTENT_TYPE } from '../db/sync/columns';
import { syncLink } from '../db/sync/link';
import { saveArrivingCopy } from '../services/register-copy';
import { Readable } from 'node:stream';
import { SNAPSHOT_CONTENT_TYPE } from '../db/sync/wire';
import type { Register } from '../register/register';
import { startFaultProxy } from '../test/fault-proxy';
import { openRegisterCopy, serveApart } from './sync';

type Record = (name: string, value: number, unit: string, target?: string) => void;

export async function copyBench(largeDir: string, record: Record): Promise<void> {
  const regDir = join(largeDir, '..', 'register-large');
  if (!existsSync(join(regDir, 'complete'))) {
    console.log('  no register filled from the large dataset yet: run `npm run bench -- --sync-only` once');
    return;
  }
  const runDir = join(largeDir, '..', 'register-copy-run');
  const register = await openRegisterCopy(regDir, runDir);
  const server = await serveApart(register, runDir);
  const relay = await startFaultProxy(server.port);
  const work = join(largeDir, '..', 'copy-station');
  rmSync(work, { recursive: true, force: true });
  try {
    // `--copy-depot-only`: a depot's own copy alone.
    if (process.argv.includes('--copy-depot-only')) return await depotCopy(register, relay, work, record);
    const [site] = await register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like '%\"code\":\"BOD\"%'");
    // The register reading the whole region's copy, nothing packed or sent.
    const bareRead = async () => {
      const t = performance.now();
      await register.snapshotBatches({ header: () => undefined, batch: () => undefined });
      return performance.now() - t;
    };
    const firstReadMs = await bareRead();
    record('full copy read by the register, not sent (baseline)', firstReadMs, 'ms');
    // What the register spends making the copy it sends (read, and packed in the columns' second
    // edition with brotli), still with no station: the least a pull of this size could take here.
    const encoder = new CopyEncoder(2);
    const packs: Promise<Buffer>[] = [];
    const t1 = performance.now();
    await register.snapshotBatches({ header: () => undefined, batch: (b) => void packs.push(...encoder.frames(b)) }, null, false, true);
    packs.push(...encoder.end());
    const packed = await Promise.all(packs);
    const packMs = performance.now() - t1;
    record("full copy read and packed by the register, not sent (baseline; columns' second edition)", packMs, 'ms');
    record("the register's read and packing vs its read alone", packMs / firstReadMs, '×');
    record('of which packed, bytes', packed.reduce((n, b) => n + b.length, 0) / 1024 / 1024, 'MiB');

    // The same copy in the columns' first edition and in the earliest shape (JSON lines under gzip),
    // through relays that ask as a station of an earlier version does, and in the second edition:
    // the columns twice each, in the order first, second, second, first; lines once (`--copy-lines`
    // for twice). The first edition's faster run is kept; of the second edition's, the first is read
    // and packed for its station and the second given the copy made for the first.
    const port = Number(new URL(relay.url).port);
    const urls = { lines: await relayAccepting(port, null), first: await relayAccepting(port, `${SNAPSHOT_COLUMNS_CONTENT_TYPE}, ${SNAPSHOT_CONTENT_TYPE}`), second: relay.url };
    const runs = { lines: [] as Pulled[], first: [] as Pulled[], second: [] as Pulled[] };
    const order = process.argv.includes('--copy-lines') ? (['lines', 'first', 'second', 'second', 'first', 'lines'] as const) : (['first', 'second', 'second', 'first', 'lines'] as const);
    for (const shape of order) runs[shape].push(await pullOnce(register, site!.id, join(work, `${shape}-${runs[shape].length}`), urls[shape], relay, server.pid));
    // The register's read once more, the pulls done: the faster of the two is the baseline the
    // pulls are told against (a read slowed by other work on the machine would flatter every ratio).
    const readAgainMs = await bareRead();
    record('full copy read by the register again, after the pulls (baseline)', readAgainMs, 'ms');
    const readMs = Math.min(firstReadMs, readAgainMs);
    const best = (list: Pulled[]) => list.reduce((a, b) => (b.ms < a.ms ? b : a));
    const lines = best(runs.lines);
    const first = best(runs.first);
    // The second edition's first pull is read and packed for its station; the next is given the copy made for it (register/made-copies.ts).
    const [columns, given] = runs.second as [Pulled, Pulled];
    record(`first full pull in the earliest shape (JSON lines, gzip; baseline${runs.lines.length > 1 ? '; the faster of two' : ''})`, lines.ms / 1000, 's');
    record('first full pull in the earliest shape, bytes on the wire', lines.bytes / 1024 / 1024, 'MiB');
    record("first full pull in the columns' first edition (baseline; the faster of two)", first.ms / 1000, 's');
    record("first full pull in the columns' first edition, bytes on the wire", first.bytes / 1024 / 1024, 'MiB');
    record(`first full pull of the large dataset (${columns.rows.toLocaleString('en')} rows, columnar frames, second edition, over HTTP, applied; the copy read and packed for it)`, columns.ms / 1000, 's');
    if (columns.applyMs) record('of which the station finishing after the last row (indexes, commit)', columns.applyMs / 1000, 's');
    record('first full pull, bytes on the wire', columns.bytes / 1024 / 1024, 'MiB', '≤ 30 MiB');
    record("first full pull vs the register's read", columns.ms / readMs, '×');
    record(`first full pull given the copy the register made for the station before (${given.rows.toLocaleString('en')} rows, second edition, applied)`, given.ms / 1000, 's');
    record('of which the station finishing after the last row, given the made copy', given.applyMs / 1000, 's');
    record("first full pull given the made copy vs the register's read", given.ms / readMs, '×', '≤ 1.5×');
    if (given.cpu) record("of the pull given the made copy, CPU time the register's process spent", given.cpu.register, 's');
    // What the way and the station add to what the register spends making the copy (reported beside the target, not instead of it).
    record("first full pull vs the register's read and packing", columns.ms / packMs, '×');
    if (columns.cpu) {
      // What the two processes spent (each on its threads), and how soon this machine's cores could
      // have done it all with no core ever idle: the pull comes no lower than that floor here.
      const cores = availableParallelism();
      const floor = (columns.cpu.register + columns.cpu.station) / cores;
      record("of the pull, CPU time the register's process spent", columns.cpu.register, 's');
      record("of the pull, CPU time the station's process spent (the counting relay included)", columns.cpu.station, 's');
      record(`the pull's floor on this machine's ${cores} cores (their CPU time shared over the cores, no waiting) vs the register's read`, (floor * 1000) / readMs, '×');
      record("first full pull vs its floor on this machine's cores", columns.ms / 1000 / floor, '×');
    }
    // The station's own share: the same copy saved by a new station from its bytes at hand, with no
    // register reading meanwhile. The pull comes no lower than that, however fast the register.
    const alone = await savedAlone(register, site!.id, join(work, 'alone'), relay.url);
    record('a new station saving the full copy alone, from its bytes at hand (baseline; no register reading meanwhile)', alone.ms / 1000, 's');
    record('of which the station finishing after the last row (indexes, references, commit)', alone.finishMs / 1000, 's');
    record("the station saving the copy alone vs the register's read", alone.ms / readMs, '×');
    record('first full pull vs the station saving the copy alone', columns.ms / alone.ms, '×');
    record('first full pull given the made copy vs the station saving the copy alone', given.ms / alone.ms, '×');
    record("bytes on the wire, second edition vs first", columns.bytes / first.bytes, '×');
    record('first full pull in columns vs in the earliest shape', columns.ms / lines.ms, '×');
    await depotCopy(register, relay, work, record);
  } finally {
    await relay.close();
    await server.close();
    await register.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  }
}

type Relay = Awaited<ReturnType<typeof startFaultProxy>>;
type Pulled = Awaited<ReturnType<typeof pullOnce>>;

/** CPU seconds a process of this machine has used so far (user and system), from /proc; null where there is none. */
function cpuSeconds(pid: number): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

/** A new station of the site in `dir`, enrolled through `url`, holding nothing yet. */
async function newStation(register: Register, siteId: string, dir: string, url: string) {
  const store = openStationDb({ dataDir: dir, quickCheck: 'skip' });
  await enrolWithRegister(store, url, await register.createEnrolmentCode({ stationName: `bench-${dir.slice(-8)}`, siteId }));
  return store;
}

/**
 * A new station enrolled through `url` and filled by its first sync: how long it took, its apply,
 * the bytes the relay counted, the rows it holds, and the CPU time the register's process
 * (`registerPid`) and the station's (this one, the relay included) spent meanwhile.
 */
async function pullOnce(register: Register, siteId: string, dir: string, url: string, relay: Relay, registerPid = 0) {
  const store = await newStation(register, siteId, dir, url);
  const events = new EventHub();
  let applyFrom = 0;
  events.subscribe((e) => {
    // Saving a stored copy (earliest shape), or finishing one saved as it came (columns).
    if (e.type === 'sync.status' && (e.status.progress?.phase === 'apply' || e.status.progress?.phase === 'finish') && applyFrom === 0) applyFrom = performance.now();
  });
  const engine = new SyncEngine(store, events, {});
  const before = relay.stats.bytesDown;
  const registerCpu = cpuSeconds(registerPid);
  const stationCpu = process.cpuUsage();
  const t = performance.now();
  await engine.syncNow();
  const end = performance.now();
  const registerAfter = cpuSeconds(registerPid);
  const stationUsed = process.cpuUsage(stationCpu);
  const cpu = registerCpu !== null && registerAfter !== null ? { register: registerAfter - registerCpu, station: (stationUsed.user + stationUsed.system) / 1e6 } : null;
  const failed = engine.status().lastError;
  const rows = (store.sqlite.prepare('select (select count(*) from movements) + (select count(*) from balances) + (select count(*) from individuals) as n').get() as { n: number }).n;
  await engine.stop();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  // A pull that failed is no figure.
  if (failed) throw new Error(`the station's first pull failed: ${JSON.stringify(failed)}`);
  return { ms: end - t, applyMs: applyFrom ? end - applyFrom : 0, bytes: relay.stats.bytesDown - before, rows, cpu };
}

/**
 * A new station's first copy saved from its bytes held in memory, as they would arrive (in pieces of
 * 64 KiB), with nothing else running: the bytes asked of the register first by another new station.
 */
async function savedAlone(register: Register, siteId: string, dir: string, url: string) {
  const asking = await newStation(register, siteId, `${dir}-asking`, url);
  const res = await fetch(`${url}/sync/snapshot`, { headers: { Authorization: `Bearer ${syncLink(asking)!.token}`, Accept: SNAPSHOT_COLUMNS_2_CONTENT_TYPE } });
  const bytes = Buffer.from(await res.arrayBuffer());
  asking.close();
  rmSync(`${dir}-asking`, { recursive: true, force: true });
  const store = await newStation(register, siteId, dir, url);
  const pieces = function* () {
    for (let at = 0; at < bytes.length; at += 64 * 1024) yield bytes.subarray(at, at + 64 * 1024);
  };
  let finishFrom = 0;
  const t = performance.now();
  await saveArrivingCopy(store, Readable.from(pieces()), (_done, _total, finishing) => {
    if (finishing && finishFrom === 0) finishFrom = performance.now();
  });
  const end = performance.now();
  store.close();
  rmSync(dir, { recursive: true, force: true });
  return { ms: end - t, finishMs: finishFrom ? end - finishFrom : 0 };
}

/** A relay in front of `port` that asks with `accept` instead of the station's (null: none), as a station of an earlier version asks. */
async function relayAccepting(port: number, accept: string | null): Promise<string> {
  const server = createServer((req, res) => {
    const headers = { ...req.headers };
    if (accept === null) delete headers.accept;
    else headers.accept = accept;
    const up = request({ host: '127.0.0.1', port, path: req.url, method: req.method, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
    });
    req.pipe(up);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  server.unref();
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/**
 * A depot station's first copy, its own site's (Sunderby's, the largest staffed depot): the
 * register's read of that copy without sending it (baseline), then a new station of the site
 * filled by its first sync over the counting relay.
 */
async function depotCopy(register: Register, relay: Relay, work: string, record: Record): Promise<void> {
  const [site] = await register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like '%\"code\":\"LUL\"%'");
  if (!site) return;
  const station = { id: 'bench-depot', name: 'bench-depot', siteId: site.id, lastApplied: 0, revokedAt: null };
  let rows = 0;
  const t0 = performance.now();
  await register.snapshotBatches({ header: () => undefined, batch: (b) => void (rows += b.k === 'e' ? b.ids.length : b.rows.length) }, station, true);
  const readMs = performance.now() - t0;
  record(`a depot's own copy read by the register, not sent (baseline; ${rows.toLocaleString('en')} rows)`, readMs, 'ms');
  // The first read and packed for its station, the second given the copy made for the first.
  const depot = await pullOnce(register, site.id, join(work, 'depot-0'), relay.url, relay);
  const given = await pullOnce(register, site.id, join(work, 'depot-1'), relay.url, relay);
  record("a depot station's first pull of its own copy (read and packed for it)", depot.ms / 1000, 's');
  record("a depot station's first pull, bytes on the wire", depot.bytes / 1024 / 1024, 'MiB', '≤ 5 MiB');
  record("a depot station's first pull vs the register's read of it", depot.ms / readMs, '×', '≤ 2×');
  record("a depot station's first pull given the copy made for the station before", given.ms / 1000, 's');
  record("a depot station's first pull given the made copy vs the register's read of it", given.ms / readMs, '×');
}
