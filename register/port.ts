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
import type { EntityKind } from './entities';
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

/** One exchange with the region's system; resumes where the last one stopped. */
export async function exchangeWithRegion(register: Register, port: RegionRegisterPort, batch = 5_000): Promise<{ received: number; published: number }> {
  const [bookmark] = await register.db.all<{ value: string }>("select value from meta where key = 'region_bookmark'");
  const { changes, next } = await port.fetchChanges(bookmark?.value ?? null);
  const upserts = changes.filter((c) => c.data !== null) as (MasterDataChange & { data: Record<string, unknown> })[];
  if (upserts.length) await register.putEntities(upserts);
  for (const c of changes) if (c.data === null) await register.deleteEntity(c.kind, c.id);
  await register.db.run("insert into meta (key, value) values ('region_bookmark', $1) on conflict (key) do update set value = excluded.value", [next]);

  let published = 0;
  for (;;) {
    const [sent] = await register.db.all<{ value: string }>("select value from meta where key = 'region_published_rev'");
    const after = Number(sent?.value ?? 0);
    const rows = await register.db.all<Record<MovementField | 'rev', unknown>>(
      `select ${selectMovement()}, rev from movements where rev > $1 order by rev limit $2`,
      [after, batch],
    );
    if (rows.length === 0) break;
    await port.publishMovements(rows.map(encodeMovement));
    published += rows.length;
    await register.db.run("insert into meta (key, value) values ('region_published_rev', $1) on conflict (key) do update set value = excluded.value", [String(rows.at(-1)!.rev)]);
  }
  return { received: changes.length, published };
}
