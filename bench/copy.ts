/**
 * A new station's first full copy on the large dataset, alone (`npm run bench -- --copy-only`):
 * the register (a copy of bench/.data/register-large, filled by `--sync-only` once) reading the
 * copy without sending it (baseline), then a station's first full pull over loopback HTTP through
 * a relay that counts the bytes, split into its download and its apply.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { openStationDb } from '../db/open';
import { EventHub } from '../services/events';
import { enrolWithRegister, SyncEngine } from '../services/sync';
import { serveRegister } from '../register/http';
import { Register } from '../register/register';
import { openRegisterDb } from '../register/store';
import { startFaultProxy } from '../test/fault-proxy';

type Record = (name: string, value: number, unit: string, target?: string) => void;

export async function copyBench(largeDir: string, record: Record): Promise<void> {
  const regDir = join(largeDir, '..', 'register-large');
  if (!existsSync(join(regDir, 'complete'))) {
    console.log('  no register filled from the large dataset yet: run `npm run bench -- --sync-only` once');
    return;
  }
  const runDir = join(largeDir, '..', 'register-copy-run');
  rmSync(runDir, { recursive: true, force: true });
  mkdirSync(runDir, { recursive: true, mode: 0o700 });
  for (const f of ['register.sqlite', 'register.key'])
    if (existsSync(join(regDir, f))) {
      copyFileSync(join(regDir, f), join(runDir, f));
      chmodSync(join(runDir, f), 0o600);
    }
  const register = await Register.open(await openRegisterDb({ dataDir: runDir }), { historyDays: 90 });
  const server = await serveRegister(register);
  const relay = await startFaultProxy(server.port);
  const work = join(largeDir, '..', 'copy-station');
  rmSync(work, { recursive: true, force: true });
  try {
    const [site] = await register.db.all<{ id: string }>("select id from entities where kind = 'site' and data like '%\"code\":\"BOD\"%'");
    let rows = 0;
    const t0 = performance.now();
    await register.snapshotBatches({ header: () => undefined, batch: (b) => void (rows += b.k === 'e' ? b.ids.length : b.rows.length) });
    const readMs = performance.now() - t0;
    record('full copy read by the register, not sent (baseline)', readMs, 'ms');

    const store = openStationDb({ dataDir: join(work, 'station'), quickCheck: 'skip' });
    await enrolWithRegister(store, relay.url, await register.createEnrolmentCode({ stationName: 'bench-copy', siteId: site!.id }));
    const events = new EventHub();
    let applyFrom = 0;
    events.subscribe((e) => {
      if (e.type === 'sync.status' && e.status.progress?.phase === 'apply' && applyFrom === 0) applyFrom = performance.now();
    });
    const engine = new SyncEngine(store, events, {});
    const before = relay.stats.bytesDown;
    const t1 = performance.now();
    await engine.syncNow();
    const fullMs = performance.now() - t1;
    const n = (store.sqlite.prepare('select (select count(*) from movements) + (select count(*) from balances) as n').get() as { n: number }).n;
    record(`first full pull of the large dataset (${n.toLocaleString('en')} movements and balances at the station, over HTTP, applied)`, fullMs / 1000, 's');
    if (applyFrom) record('of which the apply at the station', (t1 + fullMs - applyFrom) / 1000, 's');
    record('first full pull, bytes on the wire', (relay.stats.bytesDown - before) / 1024 / 1024, 'MiB', '≤ 30 MiB');
    record("first full pull vs the register's read", fullMs / readMs, '×', '≤ 1.5×');
    await engine.stop();
    store.close();
  } finally {
    await relay.close();
    await server.close();
    await register.close();
    rmSync(work, { recursive: true, force: true });
    rmSync(runDir, { recursive: true, force: true });
  }
}
