/**
 * Master data, of which the register is the authority: each change is numbered by the `rev`
 * counter and pulled by every station.
 */
import { uuidv7 } from '../db/ids';
import { RegisterError, type RegisterContext } from './context';
import { insertRows, revs, selectIn } from './sql';
import type { Sql } from './store';

/** Master data kinds, in the order a full copy lists them (what refers comes after what it refers to). */
export const ENTITY_KINDS = ['site', 'setting', 'delivery_point', 'location', 'article', 'lot', 'user', 'checklist', 'maintenance_plan', 'training', 'components', 'preferred_location', 'gtin_link', 'individual', 'service_job', 'wash_batch', 'purchase_order', 'customer_order', 'pickup_order', 'reorder_setting', 'pallet', 'work_order', 'sign_in_unlock', 'conflict', 'rejection'] as const;
export type EntityKind = (typeof ENTITY_KINDS)[number];

/** Creates or replaces master data (the register is its authority); each change is pulled by every station. */
export async function putEntities({ db }: RegisterContext, list: readonly { kind: EntityKind; id: string; data: Record<string, unknown> }[]): Promise<void> {
  await db.changes((q) => writeEntities(q, list));
}

/** `putEntities` inside a transaction the caller holds (one that read what it checks first). */
export async function writeEntities(q: Sql, list: readonly { kind: EntityKind; id: string; data: Record<string, unknown> }[]): Promise<void> {
  await placesStay(q, list);
  const r = await revs(q);
  await insertRows(
    q,
    'insert into entities (kind, id, data, rev, deleted)',
    5,
    list.map((e) => [e.kind, e.id, JSON.stringify(e.data), r.next(), 0]),
    'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = 0',
  );
  await r.save();
}

/** Why a place moved to another site is not taken (`placesStay`). */
export const placeMoved = (code: string): { sv: string; en: string } => ({
  sv: `Platsen ${code} flyttas till ett annat förråd, men en plats byter aldrig förråd: dess lager och historik hör till förrådet där den är. Ta bort platsen när den är tom och lägg upp en ny i det andra förrådet (koden får återanvändas).`,
  en: `Location ${code} is moved to another site, but a location never changes site: its stock and history belong to the site it is at. Withdraw it once it is empty and create a new one at the other site (the code may be reused).`,
});

/**
 * A place stays at the site it was made at: its stock, the devices on it and the movements of its
 * history are that site's, and a depot's station holds its own site's alone, so a place moved would
 * take stock and history it never counted (or count movements made before it came as its own).
 * Every way of writing master data holds to it; the region's system withdraws a place and makes a
 * new one at the other site instead.
 */
async function placesStay(q: Sql, list: readonly { kind: EntityKind; id: string; data: Record<string, unknown> }[]): Promise<void> {
  const places = list.filter((e) => e.kind === 'location');
  if (places.length === 0) return;
  const was = new Map((await selectIn<{ id: string; data: string }>(q, (m) => `select id, data from entities where kind = 'location' and id in (${m})`, places.map((e) => e.id))).map((r) => [r.id, JSON.parse(r.data) as { code?: unknown; site_id?: unknown }]));
  for (const e of places) {
    const before = was.get(e.id);
    if (before !== undefined && e.data.site_id !== before.site_id) throw new RegisterError('register.place_moved', placeMoved(String(before.code ?? e.id)));
  }
}

export async function deleteEntity({ db }: RegisterContext, kind: EntityKind, id: string): Promise<void> {
  await db.changes(async (q) => {
    const r = await revs(q);
    await q.run('update entities set deleted = 1, rev = $1 where kind = $2 and id = $3', [r.next(), kind, id]);
    await r.save();
  });
}

/**
 * Lifts a user's sign-in locks at every station of the user's site (`npm run register -- unlock`):
 * an unlock every station pulls, where a lock that began before it counts as lifted.
 */
export async function unlockSignIn(ctx: RegisterContext, userId: string): Promise<{ id: string; siteId: string }> {
  const [row] = await ctx.db.all<{ data: string }>("select data from entities where kind = 'user' and id = $1 and deleted = 0", [userId]);
  if (!row) throw new RegisterError('register.unknown_user', { sv: 'Okänd användare.', en: 'Unknown user.' }, 404);
  const siteId = (JSON.parse(row.data) as { site_id?: unknown }).site_id;
  if (typeof siteId !== 'string')
    throw new RegisterError('register.user_without_site', {
      sv: 'Användaren hör inte till något förråd; låset hävs på stationen där det sitter.',
      en: 'The user belongs to no site; the lock is lifted at the station where it is.',
    });
  const at = ctx.options.now();
  const id = uuidv7(at);
  await putEntities(ctx, [{ kind: 'sign_in_unlock', id, data: { id, user_id: userId, site_id: siteId, at, by_user_id: null } }]);
  return { id, siteId };
}
