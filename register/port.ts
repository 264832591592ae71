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
import { normalizeCode } from '../vocabulary/codes/station-codes';
import { PlaceRules, type EntityKind } from './entities';
import type { Register } from './register';

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

/** A change of the region's system the register did not take, and why, in Swedish and English. */
export interface ChangeNotTaken {
  change: MasterDataChange;
  reason: { sv: string; en: string };
}

const HELD = 'region_held';
const thing = (c: MasterDataChange) => `${c.kind}\u0000${c.id}`;

const placeInUse = (code: string) => ({
  sv: `Platsen ${code} tas bort i regionens system men har lager eller hjälpmedel kvar; borttagningen väntar tills platsen är tom.`,
  en: `Location ${code} is withdrawn in the region's system but still holds stock or devices; the withdrawal waits until it is empty.`,
});

/**
 * One exchange with the region's system; resumes where the last one stopped. The register's rules
 * for places (`PlaceRules`) hold for its changes too, a place's code taken as a scan reads it
 * (trimmed, in capitals): a place moved to another site, put under one not taken, or given a code
 * that would not scan as a place or that another place holds, is answered in `refused` and
 * dropped; a place withdrawn while stock or a
 * device is on it, and a place given the code of one whose withdrawal waits, are answered in `held`,
 * kept at the register and tried again before the new changes at every exchange. A later change of
 * the same thing from the region's system takes the place of one waiting, as of one earlier in the
 * same exchange. Exchanges take turns, however many register nodes run one at once.
 */
export function exchangeWithRegion(
  register: Register,
  port: RegionRegisterPort,
  batch = 5_000,
): Promise<{ received: number; published: number; refused: ChangeNotTaken[]; held: ChangeNotTaken[] }> {
  // Exchanges take turns across every register node on the database: two at once would each start
  // from the same bookmark and waiting list, and the one ending last would write its older ones over.
  return register.db.alone(() => exchange(register, port, batch));
}

async function exchange(
  register: Register,
  port: RegionRegisterPort,
  batch: number,
): Promise<{ received: number; published: number; refused: ChangeNotTaken[]; held: ChangeNotTaken[] }> {
  const meta = async (key: string) => (await register.db.all<{ value: string }>('select value from meta where key = $1', [key]))[0]?.value;
  const putMeta = (key: string, value: string) => register.db.run('insert into meta (key, value) values ($1, $2) on conflict (key) do update set value = excluded.value', [key, value]);
  const { changes, next } = await port.fetchChanges((await meta('region_bookmark')) ?? null);
  const latest = new Map<string, MasterDataChange>();
  for (const c of [...(JSON.parse((await meta(HELD)) ?? '[]') as MasterDataChange[]), ...changes]) {
    latest.delete(thing(c));
    latest.set(thing(c), c);
  }
  const refused: ChangeNotTaken[] = [];
  const held: ChangeNotTaken[] = [];
  const rules = await PlaceRules.read(register.db);
  // A place's code as a scan reads it (trimmed, in capitals), unless it is the code the register
  // holds for the place already (one from before the rule stays as it is).
  const places = [...latest.values()].flatMap((c) => {
    if (c.kind !== 'location') return [];
    if (c.data === null || c.data.code === rules.place(c.id)?.code) return [c];
    const normal = { ...c, data: { ...c.data, code: normalizeCode(String(c.data.code ?? '')) } };
    latest.set(thing(c), normal);
    return [normal];
  });
  // Places withdrawn first, each only once nothing is on it, so their codes are free for new ones.
  const leaving = new Set<string>();
  for (const c of places) {
    if (c.data !== null || rules.place(c.id)?.deleted !== false) continue;
    if (await register.withdrawPlaceIfEmpty(c.id)) rules.gone(c.id);
    else {
      leaving.add(c.id);
      held.push({ change: c, reason: placeInUse(String(rules.place(c.id)!.code ?? c.id)) });
    }
  }
  // Then the places written, judged together until none of those left to write is refused (one
  // refused keeps its code, which may be the code another of them was to take).
  let written = places.filter((c): c is MasterDataChange & { data: Record<string, unknown> } => c.data !== null);
  for (let wrong = rules.problems(written, leaving); wrong.size > 0; wrong = rules.problems(written, leaving)) {
    for (const c of written) {
      const w = wrong.get(c.id);
      if (w) (w.waits ? held : refused).push({ change: c, reason: w.words });
    }
    written = written.filter((c) => !wrong.has(c.id));
  }
  const notTaken = new Set([...refused, ...held].map((n) => thing(n.change)));
  const taken = [...latest.values()].filter((c) => !notTaken.has(thing(c)));
  const upserts = taken.filter((c) => c.data !== null) as (MasterDataChange & { data: Record<string, unknown> })[];
  if (upserts.length) await register.putEntities(upserts);
  for (const c of taken) if (c.data === null && c.kind !== 'location') await register.deleteEntity(c.kind, c.id);
  await putMeta(HELD, JSON.stringify(held.map((h) => h.change)));
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
  return { received: changes.length, published, refused, held };
}
