/**
 * An import from the region's files, against the register: read the files, plan what would change
 * (`plan.ts`), and, when asked to, write it in one transaction. Every change is numbered like any
 * other master data, so every station pulls it. A device brought in as in stock is booked with a
 * receipt movement into its location (the site's goods-in when the file names none), so stock and
 * ledger agree at the register and at every station; the movement is the register's own
 * (`REGION_IMPORT`), never a station's.
 */
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { csv } from '../../db/csv';
import { uuidv7 } from '../../db/ids';
import { MOVEMENT_COLUMNS, MOVEMENT_FIELDS, type Movement } from '../../db/sync/wire';
import type { Register } from '../register';
import { INDIVIDUAL_BLOCK } from '../enrol';
import { insertRows, revs, type Revs } from '../sql';
import type { Sql } from '../store';
import { planImport, type Plan, type RegionState } from './plan';
import { readTables, type Encoding, type Table } from './read';

type Row = Record<string, unknown>;

/** Who books what an import brings: the register itself, on behalf of the region's system. */
export const REGION_IMPORT = 'region-import';

/** What the register holds that an import is checked against. */
export async function regionState(q: Sql): Promise<RegionState> {
  const read = async (kind: string) => (await q.all<{ data: string }>('select data from entities where kind = $1 and deleted = 0', [kind])).map((r) => JSON.parse(r.data) as Row);
  const by = (rows: Row[], key: string) => new Map(rows.map((r) => [String(r[key]), r]));
  const articleRows = await read('article');
  const individualRows = await read('individual');
  const codes = new Map<string, string>();
  for (const a of articleRows) for (const c of [...((a.gtins as string[] | undefined) ?? []), ...((a.hibc as string[] | undefined) ?? [])]) codes.set(c, a.id as string);
  const stocked = new Set((await q.all<{ a: string }>('select distinct article_id as a from balances where quantity <> 0')).map((r) => r.a));
  const serials = new Map<string, string>();
  for (const i of individualRows) {
    stocked.add(i.article_id as string);
    if (typeof i.serial_number === 'string' && i.serial_number) serials.set(`${String(i.article_id)}|${i.serial_number}`, i.id as string);
  }
  // Each enrolment handed its station the next block of individual numbers.
  const [next] = await q.all<{ value: number }>("select value from counters where name = 'individual_next'");
  const [enrolled] = await q.all<{ n: number }>('select count(*) as n from stations');
  const handedTo = Number(next?.value ?? 1);
  return {
    stationNumbers: [handedTo - INDIVIDUAL_BLOCK * Number(enrolled?.n ?? 0), handedTo],
    sites: by(await read('site'), 'code'),
    locations: by(await read('location'), 'code'),
    articles: by(articleRows, 'article_number'),
    stocked,
    individuals: by(individualRows, 'individual_number'),
    serials,
    orders: by(await read('customer_order'), 'order_ref'),
    picked: new Set((await q.all<{ r: string }>("select distinct order_ref as r from movements where reason = 'pick' and order_ref is not null")).map((r) => r.r)),
    codes,
  };
}

/** Ids for what a file brings: the same file gives the same ids, so a plan shown is the plan applied. */
const stableId = (kind: string, key: string) => {
  const h = createHash('sha256').update(`${kind}\u0000${key}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
};

export interface ImportResult extends Plan {
  applied: boolean;
  /** Where the rejected rows were written, when there were any. */
  report: string | null;
}

/** Reads the files and plans the import; with `apply`, writes it. The rejected rows go to `report` (CSV) when there are any. */
export async function importFiles(
  register: Register,
  files: readonly string[],
  options: { apply: boolean; report?: string; encoding?: Encoding; now?: number },
): Promise<ImportResult> {
  const tables: Table[] = [];
  for (const f of files) tables.push(...(await readTables(f, options.encoding)));
  const now = options.now ?? Date.now();
  const planned = async (q: Sql) => planImport(tables, await regionState(q), stableId, now);
  // On PostgreSQL, planned first without holding up any writer (other nodes go on meanwhile): files
  // that change nothing (the same files again) are done there. Applied, the import then takes the
  // counter that orders every writer before it reads what it checks the files against, so a place
  // withdrawn or a device moved by another writer (on another register node) is either in what it
  // reads or waits until the import is in. (A register on SQLite is one process, held up by the
  // planning either way: it plans once.)
  const first = !options.apply || register.db.dialect === 'postgres' ? await register.db.read(planned) : null;
  const plan =
    options.apply && (first === null || first.changes.length)
      ? await register.db.changes(async (q) => {
          const r = await revs(q);
          const p = await planned(q);
          if (p.changes.length) await write(q, p, now, r);
          return p;
        })
      : first!;
  let report: string | null = null;
  if (plan.rejected.length) {
    report = options.report ?? `${files[0]}.avvisade.csv`;
    writeFileSync(
      report,
      csv([
        ['fil', 'blad', 'rad', 'kolumn', 'värde', 'orsak', 'reason'],
        ...plan.rejected.map((r) => [r.file, r.sheet, r.row, r.column, r.value, r.sv, r.en]),
      ]),
    );
  }
  return { ...plan, applied: options.apply, report };
}

async function write(q: Sql, plan: Plan, now: number, r: Revs): Promise<void> {
  const [seqRow] = await q.all<{ value: string }>("select value from meta where key = 'region_import_seq'");
  let seq = Number(seqRow?.value ?? 0);
  const movements: unknown[][] = [];
  const balances = new Map<string, [string, string, string, number]>();
  // The movements' user: the region's register itself, a user no one signs in as (every station's ledger names who booked each movement).
  const importer = [
    'user',
    REGION_IMPORT,
    JSON.stringify({ id: REGION_IMPORT, name: 'Regionens register (inläsning)', role: 'admin', site_id: null, badge_code: null, active: 0, pin_hash: 'none', pin_code_hash: null, pin_code_expires: null, changed_by: null, changed_at: now }),
  ];
  const [hasImporter] = await q.all("select 1 from entities where kind = 'user' and id = $1", [REGION_IMPORT]);
  const entities = plan.changes.map((c) => {
    let data = c.data;
    // A device brought in as in stock is received into its place: a movement, so stock and ledger agree.
    if (c.kind === 'individual' && c.before === null && data.status === 'in_stock') {
      const m: Movement = {
        id: uuidv7(now),
        stationId: REGION_IMPORT,
        seq: ++seq,
        userId: REGION_IMPORT,
        occurredAt: now,
        recordedAt: now,
        articleId: data.article_id as string,
        individualId: c.id,
        lot: null,
        fromLocationId: null,
        toLocationId: data.location_id as string,
        quantity: 1,
        reason: 'receipt',
        orderRef: null,
        reverses: null,
      };
      movements.push([...MOVEMENT_FIELDS.map((f) => m[f]), r.next()]);
      const key = `${m.articleId}\u0000${m.toLocationId!}`;
      const b = balances.get(key);
      if (b) b[3]++;
      else balances.set(key, [m.articleId, m.toLocationId!, '', 1]);
      data = { ...data, last: [now, REGION_IMPORT, m.id, 'receipt'] };
    }
    return [c.kind, c.id, JSON.stringify(data), r.next(), 0];
  });
  if (!hasImporter && movements.length) entities.unshift([...importer, r.next(), 0]);
  await insertRows(q, 'insert into entities (kind, id, data, rev, deleted)', 5, entities, 'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = 0');
  await insertRows(q, `insert into movements (${MOVEMENT_COLUMNS.join(', ')}, rev)`, MOVEMENT_COLUMNS.length + 1, movements);
  await insertRows(q, 'insert into balances (article_id, location_id, lot, quantity)', 4, [...balances.values()], 'on conflict (article_id, location_id, lot) do update set quantity = balances.quantity + excluded.quantity');
  await r.save();
  await q.run("insert into meta (key, value) values ('region_import_seq', $1) on conflict (key) do update set value = excluded.value", [String(seq)]);
  // Devices numbered at stations come after the ones the region's system numbered.
  const numbers = plan.changes.filter((c) => c.kind === 'individual').map((c) => Number((c.data.individual_number as string).slice(1)));
  if (numbers.length) {
    const next = Math.ceil((numbers.reduce((a, b) => Math.max(a, b), 0) + 1) / 100_000) * 100_000 + 1;
    await q.run("update counters set value = $1 where name = 'individual_next' and value < $1", [next]);
  }
}

/** What an import did or would do, in Swedish and English, for the command line and the console. */
export function importSummary(r: ImportResult, ms: number): string {
  const n = (x: number) => x.toLocaleString('sv-SE');
  const line = (sv: string, en: string, k: 'article' | 'individual' | 'order') =>
    `  ${sv} / ${en}: ${n(r.created[k])} nya / new, ${n(r.updated[k])} ändrade / changed, ${n(r.unchanged[k])} oförändrade / unchanged`;
  return [
    r.applied ? `Inläst / Imported (${n(r.rows)} rader / rows, ${(ms / 1000).toFixed(1)} s):` : `Förhandsvisning, inget är ändrat / Preview, nothing changed (${n(r.rows)} rader / rows, ${(ms / 1000).toFixed(1)} s):`,
    line('Artiklar', 'articles', 'article'),
    line('Individer', 'individuals', 'individual'),
    line('Orderrader', 'order lines', 'order'),
    r.rejected.length
      ? `  Avvisade rader / rejected rows: ${n(r.rejected.length)}; orsakerna står i / the reasons are in ${r.report ?? ''}`
      : '  Inga avvisade rader / no rejected rows',
    r.applied ? '' : 'Kör igen med --apply för att läsa in / Run again with --apply to import.',
  ]
    .filter(Boolean)
    .join('\n');
}
