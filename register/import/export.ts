/**
 * The export the region's system takes in, in the same spirit as the import: CSV files as Swedish
 * spreadsheets open them (semicolons, UTF-8 with a byte-order mark), with the region's words and
 * numbers rather than the register's ids. `lager.csv` is the stock per site, location, article and
 * lot with the devices in it; `rorelser.csv` every movement (from a day, with `--since`);
 * `hyresperioder.csv` every rental period (a delivery until its return), read from the movements
 * still standing, so an undone delivery or return counts as never made.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { csv } from '../../db/csv';
import { selectMovement, type MovementField } from '../../db/sync/wire';
import type { Register } from '../register';

type Row = Record<string, unknown>;

export async function exportFiles(register: Register, dir: string, options: { since?: string } = {}): Promise<{ file: string; rows: number }[]> {
  const q = register.db;
  const read = async (kind: string) => (await q.all<{ id: string; data: string }>('select id, data from entities where kind = $1 and deleted = 0', [kind])).map((r) => JSON.parse(r.data) as Row);
  const byId = (rows: Row[]) => new Map(rows.map((r) => [r.id as string, r]));
  const sites = byId(await read('site'));
  const locations = byId(await read('location'));
  const articles = byId(await read('article'));
  const individuals = byId(await read('individual'));
  const orders = new Map((await read('customer_order')).map((o) => [o.order_ref as string, o]));
  const code = (id: unknown) => (typeof id === 'string' ? ((locations.get(id)?.code as string | undefined) ?? id) : null);
  const siteOf = (locationId: unknown) => (typeof locationId === 'string' ? ((sites.get(locations.get(locationId)?.site_id as string)?.code as string | undefined) ?? null) : null);
  const number = (id: unknown) => (typeof id === 'string' ? ((articles.get(id)?.article_number as string | undefined) ?? id) : null);
  const device = (id: unknown) => (typeof id === 'string' ? ((individuals.get(id)?.individual_number as string | undefined) ?? id) : null);
  const time = (ms: unknown) => new Date(Number(ms)).toISOString().replace('T', ' ').slice(0, 16);
  mkdirSync(dir, { recursive: true });
  const written: { file: string; rows: number }[] = [];
  const save = (name: string, header: string[], rows: (string | number | null)[][]) => {
    const file = join(dir, name);
    writeFileSync(file, csv([header, ...rows]));
    written.push({ file, rows: rows.length });
  };

  const stock = await q.all<{ article_id: string; location_id: string; lot: string; quantity: number }>('select article_id, location_id, lot, quantity from balances where quantity <> 0');
  const inPlace = new Map<string, string[]>();
  for (const i of individuals.values())
    if (i.status === 'in_stock' && typeof i.location_id === 'string') {
      const key = `${String(i.article_id)}|${i.location_id}`;
      inPlace.set(key, [...(inPlace.get(key) ?? []), i.individual_number as string]);
    }
  save(
    'lager.csv',
    ['förråd', 'plats', 'artikelnummer', 'benämning', 'batch', 'antal', 'individer'],
    stock
      .map((b) => [siteOf(b.location_id), code(b.location_id), number(b.article_id), (articles.get(b.article_id)?.name as string | undefined) ?? '', b.lot || null, Number(b.quantity), (inPlace.get(`${b.article_id}|${b.location_id}`) ?? []).sort().join(' ') || null])
      .sort((a, b) => String(a[0]).localeCompare(String(b[0])) || String(a[1]).localeCompare(String(b[1])) || String(a[2]).localeCompare(String(b[2]))),
  );

  const since = options.since ? Date.parse(`${options.since}T00:00:00`) : 0;
  const movements = await q.all<Record<MovementField, unknown>>(`select ${selectMovement()} from movements where occurred_at >= $1 order by recorded_at, station_id, seq`, [Number.isNaN(since) ? 0 : since]);
  save(
    'rorelser.csv',
    ['id', 'tid', 'förråd', 'artikelnummer', 'individnummer', 'batch', 'från', 'till', 'antal', 'orsak', 'order', 'ångrar'],
    movements.map((m) => [m.id as string, time(m.occurredAt), siteOf(m.fromLocationId) ?? siteOf(m.toLocationId), number(m.articleId), device(m.individualId), (m.lot as string | null) || null, code(m.fromLocationId), code(m.toLocationId), Number(m.quantity), m.reason as string, (m.orderRef as string | null) ?? null, (m.reverses as string | null) ?? null]),
  );

  // Rental periods: each delivery still standing, until the first return after it.
  const undone = new Set(movements.map((m) => m.reverses).filter((x): x is string => typeof x === 'string'));
  const open = new Map<string, { orderRef: string | null; from: number; site: string | null }>();
  const periods: (string | number | null)[][] = [];
  const day = (ms: number) => new Date(ms).toLocaleDateString('sv-SE');
  const period = (individualId: string, p: { orderRef: string | null; from: number; site: string | null }, to: number | null) => {
    const o = p.orderRef ? orders.get(p.orderRef) : undefined;
    periods.push([device(individualId), number(individuals.get(individualId)?.article_id), p.orderRef, (o?.customer_ref as string | undefined) ?? null, (o?.municipality as string | undefined) ?? p.site, day(p.from), to === null ? null : day(to)]);
  };
  for (const m of movements) {
    if (typeof m.individualId !== 'string' || undone.has(m.id as string)) continue;
    if (m.reason === 'delivery' && m.toLocationId === null) open.set(m.individualId, { orderRef: (m.orderRef as string | null) ?? null, from: Number(m.occurredAt), site: siteOf(m.fromLocationId) });
    else if (m.reason === 'return' && open.has(m.individualId)) {
      period(m.individualId, open.get(m.individualId)!, Number(m.occurredAt));
      open.delete(m.individualId);
    }
  }
  for (const [id, p] of open) period(id, p, null);
  save('hyresperioder.csv', ['individnummer', 'artikelnummer', 'order', 'kundreferens', 'kommun', 'från', 'till'], periods);
  return written;
}
