/**
 * Filling an empty register from a station database: the demo data on a first start, the large
 * generated dataset for the benchmark. Master data becomes entities (articles with their GTINs,
 * orders with their lines), the ledger and its balances are copied as they are.
 */
import type { StationDb } from '../db/open';
import { MOVEMENT_COLUMNS } from '../db/sync/wire';
import type { EntityKind } from './entities';
import type { Register } from './register';
import { insertRows } from './sql';
import { getSetting } from '../db/settings';
import { DEFAULT_GS1, GS1_KEY, gs1Entity } from '../db/workflows/pallets';

type Row = Record<string, unknown>;

export async function importFromStation(register: Register, store: StationDb, onProgress?: (what: string, done: number) => void): Promise<void> {
  const sq = store.sqlite;
  const all = (text: string) => sq.prepare(text).all() as Row[];
  const grouped = (text: string, key: string) => {
    const map = new Map<string, Row[]>();
    for (const r of all(text)) {
      const k = r[key] as string;
      delete r[key];
      map.set(k, [...(map.get(k) ?? []), r]);
    }
    return map;
  };
  const gtins = grouped('select gtin, article_id from article_gtins order by gtin', 'article_id');
  const hibc = grouped('select code, article_id from article_hibc order by code', 'article_id');
  const poLines = grouped('select * from purchase_order_lines order by line_no', 'purchase_order_id');
  const coLines = grouped('select * from customer_order_lines order by line_no', 'customer_order_id');
  // The reconditioning queue as it stands, and the jobs of the last 90 days the workshop's figures are drawn from.
  const since = Date.now() - 90 * 86_400_000;
  const steps = grouped(`select * from service_events where job_id in (select id from service_jobs where closed_at is null or closed_at >= ${since}) order by at, id`, 'job_id');
  const washed = grouped('select batch_id, individual_id, added_at from wash_batch_items order by added_at, individual_id', 'batch_id');
  const sources: [EntityKind, string, (r: Row) => Row][] = [
    ['site', 'select * from sites', (r) => r],
    ['delivery_point', 'select * from delivery_points', (r) => r],
    // The region's GS1 prefix as the source has it (the demo's when it never set one).
    ['setting', "select 1 as id", () => gs1Entity(getSetting(store, GS1_KEY, DEFAULT_GS1), null, Date.now())],
    ['location', 'select * from locations', (r) => r],
    ['article', 'select * from articles', (r) => ({ ...r, gtins: (gtins.get(r.id as string) ?? []).map((g) => g.gtin), hibc: (hibc.get(r.id as string) ?? []).map((h) => h.code) })],
    ['lot', 'select * from lots', (r) => ({ ...r, id: `${r.article_id as string}|${r.lot as string}` })],
    ['user', 'select * from users', (r) => r],
    ['checklist', 'select * from inspection_checklists', (r) => r],
    ['maintenance_plan', 'select * from maintenance_plans', (r) => r],
    ['training', "select user_id as id, user_id, json_group_array(iso_prefix) as iso_prefixes from (select * from technician_training order by iso_prefix) group by user_id", (r) => ({ ...r, iso_prefixes: JSON.parse(r.iso_prefixes as string) as string[] })],
    ['components', "select article_id as id, article_id, json_group_array(json_object('name', name, 'quantity', quantity)) as components from (select * from article_components order by name) group by article_id", (r) => ({ ...r, components: JSON.parse(r.components as string) as Row[] })],
    ['preferred_location', "select article_id || '|' || site_id as id, article_id, site_id, location_id from preferred_locations", (r) => r],
    ['individual', 'select * from individuals', (r) => ({ ...r, last: null })],
    ['service_job', `select * from service_jobs where closed_at is null or closed_at >= ${since}`, (r) => ({ ...r, events: steps.get(r.id as string) ?? [] })],
    ['wash_batch', `select * from wash_batches where closed_at is null or closed_at >= ${since}`, (r) => ({ ...r, items: washed.get(r.id as string) ?? [] })],
    ['purchase_order', 'select * from purchase_orders', (r) => ({ ...r, lines: poLines.get(r.id as string) ?? [] })],
    ['customer_order', 'select * from customer_orders', (r) => ({ ...r, lines: coLines.get(r.id as string) ?? [] })],
    ['pickup_order', 'select * from pickup_orders', (r) => r],
    ['reorder_setting', 'select * from reorder_settings', (r) => ({ ...r, id: `${r.article_id as string}:${r.site_id as string}` })],
  ];
  await register.db.tx(async (q) => {
    const [row] = await q.all<{ value: number }>("select value from counters where name = 'rev'");
    let rev = Number(row!.value);
    for (const [kind, text, shape] of sources) {
      const rows = all(text).map((r) => {
        const data = shape(r);
        return [kind, data.id, JSON.stringify(data), ++rev, 0];
      });
      await insertRows(q, 'insert into entities (kind, id, data, rev, deleted)', 5, rows);
      onProgress?.(kind, rows.length);
    }
    const movements = sq.prepare(`select ${MOVEMENT_COLUMNS.join(', ')} from movements order by id`);
    const insertMovements = (rows: unknown[][]) => insertRows(q, `insert into movements (${MOVEMENT_COLUMNS.join(', ')}, rev)`, MOVEMENT_COLUMNS.length + 1, rows);
    let chunk: unknown[][] = [];
    let done = 0;
    for (const m of movements.raw().iterate() as Iterable<unknown[]>) {
      chunk.push([...m, ++rev]);
      if (chunk.length === 20_000) {
        await insertMovements(chunk);
        done += chunk.length;
        onProgress?.('movement', done);
        chunk = [];
      }
    }
    await insertMovements(chunk);
    await insertRows(q, 'insert into balances (article_id, location_id, lot, quantity)', 4, sq.prepare('select article_id, location_id, lot, quantity from balances').raw().all() as unknown[][]);
    await q.run("update counters set value = $1 where name = 'rev'", [rev]);
    // New individuals are numbered after the ones that exist, in blocks handed to stations at enrolment.
    const [max] = sq.prepare("select max(cast(substr(individual_number, 2) as integer)) as n from individuals where individual_number glob 'I[0-9]*'").all() as { n: number | null }[];
    const next = Math.ceil(((max?.n ?? 0) + 1) / 100_000) * 100_000 + 1;
    await q.run("update counters set value = $1 where name = 'individual_next' and value < $1", [next]);
  });
}
