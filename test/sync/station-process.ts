/**
 * A station as its own process, for the kill -9 test: `post` keeps posting small stock moves
 * (printing `P <lastSeq>` after each commit) while its sync engine pushes and pulls in the
 * background; `drain` syncs until nothing waits, prints `drained` and exits; `copy` takes an
 * enrolled station's first copy and, once the first rows are saved (the copy's transaction open),
 * prints `saving` and stands still there to be killed.
 */
import { existsSync, readFileSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { EventHub } from '../../services/events';
import { SyncEngine } from '../../services/sync';
import { openStationDb } from '../../db/open';
import { postMovements } from '../../db/stock/ledger';

const [dataDir, mode] = process.argv.slice(2) as [string, 'post' | 'drain' | 'copy'];
const store = openStationDb({ dataDir, quickCheck: 'skip' });
const events = new EventHub();
const engine = new SyncEngine(store, events, { intervalMs: 50, minDelayMs: 20, maxDelayMs: 200, batchMovements: 50, requestTimeoutMs: 5_000 });

if (mode === 'copy') {
  events.subscribe((e) => {
    if (e.type !== 'sync.status' || e.status.progress?.phase !== 'download' || e.status.progress.done === 0 || store.sqlite.prepare('select count(*) as n from users').pluck().get() === 0) return;
    // Written and held right here, inside the copy's transaction.
    writeSync(1, 'saving\n');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60_000);
  });
  await engine.syncNow();
  console.log('copied');
  process.exit(0);
}
const me = store.sqlite.prepare('select id from station').get() as { id: string };
const user = store.sqlite.prepare('select id from users where active = 1 order by id limit 1').get() as { id: string };

if (mode === 'drain') {
  for (let i = 0; i < 200 && (engine.status().waiting > 0 || i === 0); i++) await engine.syncNow();
  console.log(engine.status().waiting === 0 ? 'drained' : 'stuck');
  await engine.stop();
  store.close();
  process.exit(0);
}

type Work = { articleId: string; lot: string | null; a: string; b: string };
const file = join(dataDir, 'workload.json');
if (!existsSync(file)) {
  const line = store.sqlite
    .prepare(
      `select b.article_id as articleId, nullif(b.lot, '') as lot, b.location_id as a from balances b join locations l on l.id = b.location_id
       where b.quantity >= 1 and l.kind in ('rack', 'shelf') and not exists (select 1 from individuals i where i.article_id = b.article_id) order by b.quantity desc limit 1`,
    )
    .get() as Omit<Work, 'b'>;
  const b = (store.sqlite.prepare("select id from locations where kind = 'rack' and id <> ? and retired_at is null order by code limit 1").get(line.a) as { id: string }).id;
  writeFileSync(file, JSON.stringify({ ...line, b }));
}
const work = JSON.parse(readFileSync(file, 'utf8')) as Work;
const at = (loc: string) =>
  (store.sqlite.prepare('select quantity from balances where article_id = ? and location_id = ? and lot = ?').get(work.articleId, loc, work.lot ?? '') as { quantity: number } | undefined)?.quantity ?? 0;

engine.start();
console.log('ready');
for (;;) {
  const n = 1 + Math.floor(Math.random() * 4);
  const inputs = [];
  let onA = at(work.a);
  for (let k = 0; k < n; k++) {
    const fromA = onA > 0;
    inputs.push({ articleId: work.articleId, lot: work.lot, fromLocationId: fromA ? work.a : work.b, toLocationId: fromA ? work.b : work.a, quantity: 1, reason: 'move' as const });
    onA += fromA ? -1 : 1;
  }
  const posted = postMovements(store, { userId: user.id, stationId: me.id }, inputs, 'moving');
  process.stdout.write(`P ${posted.at(-1)!.seq}\n`);
  events.emit({ type: 'stock.changed', articleIds: [], movementCount: n });
  await new Promise((r) => setTimeout(r, 2));
}
