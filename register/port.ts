/**
 * Where the region's existing device register (today Sesam) plugs in over an online interface. An
 * adapter implements `RegionRegisterPort` over what that system offers (a web service, a database
 * view); `exchangeWithRegion` runs one exchange: master data in, movements out. The exchange by
 * files that such systems use today is `register/import/` (`npm run register -- import` and
 * `export`), which also books the devices a file brings into the ledger. The depot
 * register stays the stations' only counterpart, so the stations never depend on the region's
 * system being up.
 */
import { encodeMovement, selectMovement, type MovementField, type MovementTuple } from '../db/sync/wire';
import { placeMoved, type EntityKind } from './entities';
import type { Register } from './register';
import { entityField, selectIn } from './sql';

/** Master data as the region's system has it, in the stations' field names (see db/schema.ts). */
export interface MasterDataChange {
  kind: Exclude<EntityKind, 'individual' | 'service_job' | 'wash_batch' | 'conflict' | 'rejection'>;
  id: string;
  /** null: withdrawn in the region's system. */
  data: Record<string, unknown> | null;
}

export interface RegionRegisterPort {
  /**
   * Master data changed since `since` (the adapter's own bookmark, null the first time):
   * sites, locations, articles, users with roles and PIN hashes, purchase and customer orders
   * (customers by pseudonymous reference only, never a personal identity number).
   */
  fetchChanges(since: string | null): Promise<{ changes: MasterDataChange[]; next: string }>;
  /**
   * Movements the depots posted, oldest first, for the region's system to record (a delivery
   * starts a rental, a return ends it). Called again with the same movements if it throws, so it
   * must accept a movement it has already seen (its id is unique).
   */
  publishMovements(movements: readonly MovementTuple[]): Promise<void>;
}

/** Words for IT and the region's adapter, in Swedish and English. */
type Words = { sv: string; en: string };

/** A change of the region's system the register did not take, and why. */
export interface ChangeNotTaken {
  change: MasterDataChange;
  reason: Words;
}

const HELD = 'region_held';
const thing = (c: MasterDataChange) => `${c.kind}\u0000${c.id}`;

/**
 * The region's changes of places the register does not take now: one that moves a place to another
 * site is refused for good (`placeMoved`); one that withdraws a place while stock or a device is on
 * it waits (`held`) and is taken once the place is empty, since the station refuses to take down a
 * place that holds anything too.
 */
async function placesNotTaken(register: Register, changes: readonly MasterDataChange[]): Promise<{ refused: Map<string, Words>; held: Map<string, Words> }> {
  const refused = new Map<string, Words>();
  const held = new Map<string, Words>();
  const places = changes.filter((c) => c.kind === 'location');
  if (places.length === 0) return { refused, held };
  const before = new Map(
    (await selectIn<{ id: string; data: string; deleted: unknown }>(register.db, (m) => `select id, data, deleted from entities where kind = 'location' and id in (${m})`, places.map((c) => c.id))).map((r) => [
      r.id,
      { ...(JSON.parse(r.data) as { code?: unknown; site_id?: unknown }), deleted: Number(r.deleted) === 1 },
    ]),
  );
  const code = (c: MasterDataChange) => String(before.get(c.id)?.code ?? c.id);
  for (const c of places) if (c.data !== null && before.has(c.id) && c.data.site_id !== before.get(c.id)!.site_id) refused.set(thing(c), placeMoved(code(c)));
  const withdrawn = places.filter((c) => c.data === null && before.get(c.id)?.deleted === false).map((c) => c.id);
  const at = (column: string) => entityField(register.db.dialect, column);
  const used = new Set([
    ...(await selectIn<{ id: string }>(register.db, (m) => `select distinct location_id as id from balances where quantity <> 0 and location_id in (${m})`, withdrawn)).map((r) => r.id),
    ...(await selectIn<{ id: string }>(register.db, (m) => `select distinct ${at('location_id')} as id from entities where kind = 'individual' and deleted = 0 and ${at('location_id')} in (${m})`, withdrawn)).map((r) => r.id),
  ]);
  for (const c of places)
    if (c.data === null && used.has(c.id))
      held.set(thing(c), {
        sv: `Platsen ${code(c)} tas bort i regionens system men har lager eller hjälpmedel kvar; borttagningen väntar tills platsen är tom.`,
        en: `Location ${code(c)} is withdrawn in the region's system but still holds stock or devices; the withdrawal waits until it is empty.`,
      });
  return { refused, held };
}

/**
 * One exchange with the region's system; resumes where the last one stopped. Of its changes, those
 * `placesNotTaken` refuses are answered in `refused` and dropped; those that must wait are answered in
 * `held`, kept at the register and tried again before the new ones at every exchange. A later change
 * of the same thing from the region's system takes the place of one waiting, as of one earlier in
 * the same exchange.
 */
export async function exchangeWithRegion(
  register: Register,
  port: RegionRegisterPort,
  batch = 5_000,
): Promise<{ received: number; published: number; refused: ChangeNotTaken[]; held: ChangeNotTaken[] }> {
  const meta = async (key: string) => (await register.db.all<{ value: string }>('select value from meta where key = $1', [key]))[0]?.value;
  const putMeta = (key: string, value: string) => register.db.run('insert into meta (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value', [key, value]);
  const { changes, next } = await port.fetchChanges((await meta('region_bookmark')) ?? null);
  const latest = new Map<string, MasterDataChange>();
  for (const c of [...(JSON.parse((await meta(HELD)) ?? '[]') as MasterDataChange[]), ...changes]) {
    latest.delete(thing(c));
    latest.set(thing(c), c);
  }
  const { refused, held } = await placesNotTaken(register, [...latest.values()]);
  const taken = [...latest.values()].filter((c) => !refused.has(thing(c)) && !held.has(thing(c)));
  const upserts = taken.filter((c) => c.data !== null) as (MasterDataChange & { data: Record<string, unknown> })[];
  if (upserts.length) await register.putEntities(upserts);
  for (const c of taken) if (c.data === null) await register.deleteEntity(c.kind, c.id);
  const answer = (words: Map<string, Words>) => [...latest.values()].filter((c) => words.has(thing(c))).map((change) => ({ change, reason: words.get(thing(change))! }));
  await putMeta(HELD, JSON.stringify(answer(held).map((h) => h.change)));
  await putMeta('region_bookmark', next);

  let published = 0;
  for (;;) {
    const after = Number((await meta('region_published_rev')) ?? 0);
    const rows = await register.db.all<Record<MovementField | 'rev', unknown>>(
      `select ${selectMovement()}, rev from movements where rev > $1 order by rev limit $2`,
      [after, batch],
    );
    if (rows.length === 0) break;
    await port.publishMovements(rows.map(encodeMovement));
    published += rows.length;
    await putMeta('region_published_rev', String(rows.at(-1)!.rev));
  }
  return { received: changes.length, published, refused: answer(refused), held: answer(held) };
}
