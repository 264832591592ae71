/**
 * Master data, of which the register is the authority: each change is numbered by the `rev`
 * counter and pulled by every station.
 */
import { uuidv7 } from '../db/ids';
import { LOCATION_CODE } from '../vocabulary/codes/station-codes';
import { PLACE_CODE_RULE, placeCodeProblem } from '../vocabulary/place-code';
import { RegisterError, type RegisterContext } from './context';
import { entityField, insertRows, revs } from './sql';
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
  // The counter first: it orders writers, so what the places' rules read is what the write follows.
  const r = await revs(q);
  const places = list.filter((e) => e.kind === 'location');
  if (places.length > 0) {
    const wrong = (await PlaceRules.read(q)).problems(places).values().next();
    if (!wrong.done) throw new RegisterError(wrong.value.code, wrong.value.words);
  }
  await insertRows(
    q,
    'insert into entities (kind, id, data, rev, deleted)',
    5,
    list.map((e) => [e.kind, e.id, JSON.stringify(e.data), r.next(), 0]),
    'on conflict (kind, id) do update set data = excluded.data, rev = excluded.rev, deleted = 0',
  );
  await r.save();
}

type Words = { sv: string; en: string };
type StoredPlace = { code?: unknown; site_id?: unknown; parent_id?: unknown; deleted: boolean };
/** What the register's rules for places find wrong with one. */
export interface PlaceWrong {
  code: 'register.place_moved' | 'register.place_code_taken' | 'register.place_code_form' | 'register.place_parent';
  words: Words;
  /** The code is held by a place whose withdrawal waits, or the place goes under one that waits: not wrong for good. */
  waits?: true;
}

/**
 * The register's rules for places, over the places as the register holds them:
 * - a place stays at the site it was made at (withdrawn or not): its stock, the devices on it and the
 *   movements of its history are that site's, and a depot's station holds its own site's alone, so a
 *   place moved would bring stock and history it never counted, or count movements made before it
 *   came as its own; the region withdraws a place and makes a new one at the other site instead;
 * - a code names one live place: scanned, it must find the same place at every station. Only a code
 *   given (a new place, a changed code, a withdrawn place brought back) is judged, so two places that
 *   shared one before the rule can still be kept;
 * - a code given is one a scan of its label reads as a place (`LOCATION_CODE`);
 * - a place goes under a place of its own site that the register holds (a parent refused or never
 *   made would leave every station unable to take the place into its copy).
 * Every way of writing master data holds to them (`writeEntities`, a station's push, the region's
 * exchange), each judging what it writes in order and telling the rules what it wrote (`written`).
 */
export class PlaceRules {
  private constructor(
    private readonly stored: Map<string, StoredPlace>,
    /** The live place holding each code. */
    private readonly codes: Map<string, string>,
  ) {}

  /** The rules over the register's places as they stand, withdrawn ones too (the codes and sites take one scan). */
  static async read(q: Sql): Promise<PlaceRules> {
    const rows = await q.all<{ id: string; data: string; deleted: unknown }>("select id, data, deleted from entities where kind = 'location'");
    const stored = new Map(rows.map((r) => [r.id, { ...(JSON.parse(r.data) as { code?: unknown; site_id?: unknown; parent_id?: unknown }), deleted: Number(r.deleted) === 1 }]));
    return new PlaceRules(stored, new Map([...stored].filter(([, p]) => !p.deleted).map(([id, p]) => [String(p.code), id])));
  }

  /** The place as the register holds it, withdrawn too. */
  place(id: string): StoredPlace | undefined {
    return this.stored.get(id);
  }

  /**
   * What is wrong with these places written together, by id: a place moved, given a code another
   * place holds once they are written (one whose withdrawal waits, in `leaving`: `waits`) or a code
   * that would not scan as a place, or put under a place the register does not hold at its site
   * (nor written with it and taken), which no station's copy could take.
   */
  problems(places: readonly { id: string; data: Record<string, unknown> }[], leaving: ReadonlySet<string> = new Set()): Map<string, PlaceWrong> {
    const wrong = new Map<string, PlaceWrong>();
    const listed = new Map(places.map((e) => [e.id, e]));
    const held = new Map([...this.codes].filter(([, id]) => !listed.has(id)));
    for (const e of places) {
      const before = this.stored.get(e.id);
      const code = String(e.data.code);
      const holder = held.get(code);
      const given = before === undefined || before.deleted || String(before.code) !== code;
      if (before !== undefined && e.data.site_id !== before.site_id) wrong.set(e.id, { code: 'register.place_moved', words: placeMoved(String(before.code ?? code)) });
      else if (given && !(typeof e.data.code === 'string' && LOCATION_CODE.test(code))) wrong.set(e.id, { code: 'register.place_code_form', words: placeCodeForm(code) });
      else if (given && holder !== undefined && holder !== e.id) wrong.set(e.id, { code: 'register.place_code_taken', words: placeCodeTaken(code), ...(leaving.has(holder) ? { waits: true as const } : {}) });
      else held.set(code, e.id);
    }
    // A place goes under one of its own site that the register holds (withdrawn too: a station keeps
    // those), or one written with it and not wrong; judged until no more follow from a parent found wrong.
    for (let more = true; more; ) {
      more = false;
      for (const e of places) {
        const parent = e.data.parent_id;
        const before = this.stored.get(e.id);
        if (wrong.has(e.id) || parent === null || parent === undefined) continue;
        if (before !== undefined && !before.deleted && before.parent_id === parent) continue;
        const under = listed.get(String(parent))?.data ?? this.stored.get(String(parent));
        const parentWrong = wrong.get(String(parent));
        if (under !== undefined && !parentWrong && under.site_id === e.data.site_id && !this.above(e.id, String(parent), listed)) continue;
        wrong.set(e.id, { code: 'register.place_parent', words: placeParent(String(e.data.code)), ...(parentWrong?.waits ? { waits: true as const } : {}) });
        more = true;
      }
    }
    return wrong;
  }

  /** Whether `id` is `from` or above it, going up from `from` through the places written now and then those held: a place put under itself. */
  private above(id: string, from: string, listed: ReadonlyMap<string, { data: Record<string, unknown> }>): boolean {
    const seen = new Set<string>();
    for (let at: unknown = from; at !== null && at !== undefined && !seen.has(String(at)); at = (listed.get(String(at))?.data ?? this.stored.get(String(at)))?.parent_id) {
      if (at === id) return true;
      seen.add(String(at));
    }
    return false;
  }

  /** These places were written: their codes are theirs from now on, and the codes they had free. */
  written(places: readonly { id: string; data: Record<string, unknown> }[]): void {
    for (const e of places) {
      this.gone(e.id);
      this.codes.set(String(e.data.code), e.id);
      this.stored.set(e.id, { ...e.data, deleted: false });
    }
  }

  /** The place was withdrawn: its code is free. */
  gone(id: string): void {
    const before = this.stored.get(id);
    if (!before) return;
    if (this.codes.get(String(before.code)) === id) this.codes.delete(String(before.code));
    this.stored.set(id, { ...before, deleted: true });
  }
}

/** Why a place moved to another site is not taken. */
const placeMoved = (code: string): Words => ({
  sv: `Platsen ${code} flyttas till ett annat förråd, men en plats byter aldrig förråd: dess lager och historik hör till förrådet där den är. Ta bort platsen när den är tom och lägg upp en ny i det andra förrådet (koden får återanvändas).`,
  en: `Location ${code} is moved to another site, but a location never changes site: its stock and history belong to the site it is at. Withdraw it once it is empty and create a new one at the other site (the code may be reused).`,
});

/** Why a place whose code would not scan as a place is not taken. */
export const placeCodeForm = (code: string): Words => {
  const why = placeCodeProblem(code) ?? PLACE_CODE_RULE;
  return {
    sv: `Platskoden ${JSON.stringify(code)} går inte att skanna som en plats. ${why.sv}`,
    en: `Location code ${JSON.stringify(code)} cannot be scanned as a location. ${why.en}`,
  };
};

/** Why a place under one the register does not hold is not taken. */
const placeParent = (code: string): Words => ({
  sv: `Platsen ${code} ligger under en plats som registret inte har i samma förråd (den togs inte emot, finns inte, eller ligger själv under ${code}). Lägg upp platsen den ligger under först.`,
  en: `Location ${code} goes under a location the register does not hold at the same site (it was not taken, does not exist, or is itself under ${code}). Create the location it goes under first.`,
});

/** Why a place whose code another place holds is not taken. */
const placeCodeTaken = (code: string): Words => ({
  sv: `Platskoden ${code} hör redan till en annan plats; en kod ska hitta samma plats på varje station. Ge platsen en annan kod, eller ta bort den andra platsen först.`,
  en: `Location code ${code} is already another location's; a code must find the same location at every station. Give the location another code, or withdraw the other location first.`,
});

/**
 * Withdraws a place unless stock or a device is on it, checked in the same transaction after the
 * counter that orders writers (so no push puts anything on it in between); answers whether it did.
 * The station refuses to take down a place holding anything too.
 */
export async function withdrawPlaceIfEmpty({ db }: RegisterContext, id: string): Promise<boolean> {
  return db.changes(async (q) => {
    const r = await revs(q);
    const [stock] = await q.all('select 1 as one from balances where location_id = $1 and quantity <> 0 limit 1', [id]);
    const [device] = stock ? [] : await q.all(`select 1 as one from entities where kind = 'individual' and deleted = 0 and ${entityField(db.dialect, 'location_id')} = $1 limit 1`, [id]);
    if (stock || device) return false;
    await q.run("update entities set deleted = 1, rev = $1 where kind = 'location' and id = $2", [r.next(), id]);
    await r.save();
    return true;
  });
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
