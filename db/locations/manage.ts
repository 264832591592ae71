/**
 * Managing a site's location tree: create, rename, move under another parent, change kind or
 * capacity, retire (never with stock on it or under it), create whole ranges at once, preferred
 * locations per article, and moving everything from one location to another. Locations are the
 * register's master data: every change goes to it with the next sync.
 */
import { audit } from '../audit';
import { normalizeCode } from '../../vocabulary/codes/station-codes';
import { DepotError } from '../../vocabulary/errors';
import { aisleProblem, LEVEL_WORDS, placeCodeProblem } from '../../vocabulary/place-code';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { LOCATION_KINDS, LOCATION_LEVELS, type LocationKind, type LocationLevel } from '../schema';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';

interface LocationRow {
  id: string;
  site_id: string;
  parent_id: string | null;
  code: string;
  name: string;
  level: LocationLevel;
  kind: LocationKind;
  capacity: number | null;
  retired_at: number | null;
}

const row = (store: StationDb, id: string): LocationRow => {
  const l = stmt<LocationRow>(store, 'select id, site_id, parent_id, code, name, level, kind, capacity, retired_at from locations where id = ?').get(id);
  if (!l) throw new DepotError('locations.unknown', { sv: 'Okänd lagerplats. Skanna platsens etikett igen.', en: 'Unknown location. Scan its label again.' });
  return l;
};
const depth = (level: LocationLevel) => LOCATION_LEVELS.indexOf(level);

/** A station keeps its own site's locations: another site's are kept at that site's stations (the register refuses them too). */
function ownSiteOnly(store: StationDb, siteId: string): void {
  const own = stmt<{ site_id: string }>(store, 'select site_id from station').get()?.site_id;
  if (own !== undefined && own !== siteId)
    throw new DepotError('locations.other_site', {
      sv: 'Platsen hör till ett annat förråd; dess platser ändras vid en station där.',
      en: "The location belongs to another site; its locations are changed at a station there.",
    }, 'siteId');
}

function checkParent(store: StationDb, siteId: string, level: LocationLevel, parentId: string | null, self?: string): void {
  if (parentId === null) {
    if (level !== 'zone') throw new DepotError('locations.needs_parent', { sv: 'Bara en zon kan ligga överst. Välj var platsen ska ligga.', en: 'Only a zone can be at the top. Choose where the location goes.' }, 'parentId');
    return;
  }
  const p = row(store, parentId);
  if (p.site_id !== siteId) throw new DepotError('locations.other_site', { sv: 'Den överordnade platsen hör till ett annat förråd.', en: 'The parent location belongs to another site.' }, 'parentId');
  if (p.retired_at !== null) throw new DepotError('locations.parent_retired', { sv: `${p.code} är avvecklad. Välj en annan plats.`, en: `${p.code} is retired. Choose another location.` }, 'parentId');
  if (depth(p.level) >= depth(level))
    throw new DepotError(
      'locations.level',
      {
        sv: `${capital(LEVEL_WORDS[level].sv)} kan inte ligga under ${LEVEL_WORDS[p.level].sv} (${p.code}). Välj en plats högre upp i ordningen zon, gång, hylla, fack.`,
        en: `${capital(LEVEL_WORDS[level].en)} cannot go under ${LEVEL_WORDS[p.level].en} (${p.code}). Choose a location higher up in the order zone, aisle, shelf, bin.`,
      },
      'parentId',
    );
  // Moving a location under itself (or under one of its own) would cut it off.
  for (let at: string | null = parentId; at !== null; at = row(store, at).parent_id)
    if (at === self) throw new DepotError('locations.cycle', { sv: 'En plats kan inte flyttas in under sig själv.', en: 'A location cannot be moved under itself.' }, 'parentId');
}

const capital = (words: string) => words.charAt(0).toLocaleUpperCase('sv-SE') + words.slice(1);

function uniqueCode(store: StationDb, code: string, field = 'code'): string {
  const c = normalizeCode(code);
  const wrong = placeCodeProblem(c);
  if (wrong) throw new DepotError('locations.bad_code', wrong, field);
  if (stmt(store, 'select 1 from locations where code = ?').get(c))
    throw new DepotError('locations.code_taken', { sv: `Platskoden ${c} finns redan.`, en: `The location code ${c} is already in use.` }, field);
  return c;
}

export interface NewLocation {
  siteId: string;
  parentId: string | null;
  code: string;
  name: string;
  level: LocationLevel;
  kind: LocationKind;
  capacity?: number | null;
}

function insert(store: StationDb, l: NewLocation): string {
  const id = uuidv7();
  stmt(store, 'insert into locations (id, site_id, parent_id, code, name, level, kind, capacity) values (?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    l.siteId,
    l.parentId,
    l.code,
    l.name.trim() || l.code,
    l.level,
    l.kind,
    l.capacity ?? null,
  );
  return id;
}

export function createLocation(store: StationDb, actor: Actor, input: NewLocation): string {
  return store.sqlite.transaction(() => {
    ownSiteOnly(store, input.siteId);
    checkParent(store, input.siteId, input.level, input.parentId);
    const id = insert(store, { ...input, code: uniqueCode(store, input.code) });
    audit(store, { ...actor, action: 'location.create', entity: 'location', entityId: id, detail: input });
    return id;
  })();
}

/** Renames, moves under another parent, or changes kind or capacity. */
export function updateLocation(store: StationDb, actor: Actor, id: string, input: { name?: string; parentId?: string | null; kind?: LocationKind; capacity?: number | null }): void {
  store.sqlite.transaction(() => {
    const l = row(store, id);
    ownSiteOnly(store, l.site_id);
    if (l.retired_at !== null) throw new DepotError('locations.retired', { sv: `${l.code} är avvecklad.`, en: `${l.code} is retired.` });
    if (input.parentId !== undefined) checkParent(store, l.site_id, l.level, input.parentId, id);
    if (input.kind !== undefined && !LOCATION_KINDS.includes(input.kind)) throw new DepotError('locations.kind', { sv: 'Okänd platstyp.', en: 'Unknown kind of location.' }, 'kind');
    stmt(store, 'update locations set name = ?, parent_id = ?, kind = ?, capacity = ? where id = ?').run(
      input.name?.trim() || l.name,
      input.parentId === undefined ? l.parent_id : input.parentId,
      input.kind ?? l.kind,
      input.capacity === undefined ? l.capacity : input.capacity,
      id,
    );
    audit(store, { ...actor, action: 'location.update', entity: 'location', entityId: id, detail: input });
  })();
}

/** Retires a location and everything under it, once nothing is stored there. */
export function retireLocation(store: StationDb, actor: Actor, id: string): number {
  return store.sqlite.transaction(() => {
    const l = row(store, id);
    ownSiteOnly(store, l.site_id);
    const subtree = stmt<{ id: string; code: string }>(
      store,
      `with recursive t(id) as (select ? union select l.id from locations l join t on l.parent_id = t.id)
       select l.id, l.code from t join locations l on l.id = t.id where l.retired_at is null`,
    ).all(id);
    const ids = JSON.stringify(subtree.map((x) => x.id));
    const stocked = stmt<{ code: string; q: number }>(
      store,
      'select l.code, sum(b.quantity) as q from balances b join locations l on l.id = b.location_id where b.location_id in (select value from json_each(?)) and b.quantity <> 0 group by l.code order by l.code limit 1',
    ).get(ids);
    const individual = stmt<{ code: string }>(store, 'select l.code from individuals i join locations l on l.id = i.location_id where i.location_id in (select value from json_each(?)) limit 1').get(ids);
    if (stocked || individual)
      throw new DepotError('locations.has_stock', {
        sv: `Det finns varor på ${(stocked ?? individual)!.code}. Flytta dem först.`,
        en: `There are goods at ${(stocked ?? individual)!.code}. Move them first.`,
      });
    const now = Date.now();
    for (const x of subtree) stmt(store, 'update locations set retired_at = ? where id = ?').run(now, x.id);
    audit(store, { ...actor, action: 'location.retire', entity: 'location', entityId: id, detail: { code: l.code, count: subtree.length } });
    return subtree.length;
  })();
}

/** A whole range at once: an aisle with shelves `from`–`to`, each with bins; codes follow the parent's. */
export function createRange(
  store: StationDb,
  actor: Actor,
  input: { parentId: string; aisle: string; shelves: [number, number]; bins: [number, number] | null; kind: LocationKind; capacity?: number | null },
): { ids: string[]; codes: string[] } {
  const [s0, s1] = input.shelves;
  const [b0, b1] = input.bins ?? [0, -1];
  const count = (s1 - s0 + 1) * (1 + Math.max(0, b1 - b0 + 1));
  if (s0 < 1 || s1 < s0 || s1 > 99 || (input.bins && (b0 < 1 || b1 < b0 || b1 > 99)) || count > 2000)
    throw new DepotError('locations.bad_range', { sv: 'Ange hyllor och fack som 1–99, högst 2 000 platser åt gången.', en: 'Give shelves and bins as 1–99, at most 2,000 locations at a time.' });
  return store.sqlite.transaction(() => {
    const zone = row(store, input.parentId);
    ownSiteOnly(store, zone.site_id);
    if (zone.level !== 'zone') throw new DepotError('locations.range_parent', { sv: 'En ny gång läggs under en zon.', en: 'A new aisle goes under a zone.' }, 'parentId');
    const wrongAisle = aisleProblem(input.aisle);
    if (wrongAisle) throw new DepotError('locations.bad_code', wrongAisle, 'aisle');
    const aisleCode = `${zone.code}-${normalizeCode(input.aisle)}`;
    const existing = stmt<{ id: string }>(store, 'select id from locations where code = ?').get(aisleCode);
    const ids: string[] = [];
    const codes: string[] = [];
    const aisleId = existing?.id ?? insert(store, { siteId: zone.site_id, parentId: zone.id, code: uniqueCode(store, aisleCode, 'aisle'), name: `Gång ${normalizeCode(input.aisle)}`, level: 'aisle', kind: input.kind });
    if (!existing) ids.push(aisleId);
    for (let s = s0; s <= s1; s++) {
      const shelfCode = uniqueCode(store, `${aisleCode}-${String(s).padStart(2, '0')}`, 'shelves');
      const shelfId = insert(store, { siteId: zone.site_id, parentId: aisleId, code: shelfCode, name: `Hylla ${shelfCode.slice(zone.code.length + 1)}`, level: 'shelf', kind: input.kind, capacity: input.bins ? null : input.capacity });
      ids.push(shelfId);
      codes.push(shelfCode);
      for (let b = b0; b <= b1; b++) {
        const binCode = uniqueCode(store, `${shelfCode}-${b}`, 'bins');
        ids.push(insert(store, { siteId: zone.site_id, parentId: shelfId, code: binCode, name: `Fack ${binCode.slice(zone.code.length + 1)}`, level: 'bin', kind: input.kind, capacity: input.capacity }));
        codes.push(binCode);
      }
    }
    audit(store, { ...actor, action: 'location.range', entity: 'location', entityId: aisleId, detail: { ...input, count: ids.length } });
    return { ids, codes };
  })();
}

/** Everything stored at one location moves to another: every article and lot, every individual. */
export function moveEverything(store: StationDb, actor: Actor, fromId: string, toId: string): PostedMovement[] {
  return store.sqlite.transaction(() => {
    const from = row(store, fromId);
    const to = row(store, toId);
    if (from.site_id !== to.site_id)
      throw new DepotError('locations.other_site', { sv: 'Platserna ligger i olika förråd. Flytta mellan förråd med en pall.', en: 'The locations are at different sites. Move between sites on a pallet.' }, 'toLocationId');
    const individuals = stmt<{ id: string; article_id: string }>(store, 'select id, article_id from individuals where location_id = ?').all(fromId);
    const counted = new Map<string, number>();
    for (const i of individuals) counted.set(i.article_id, (counted.get(i.article_id) ?? 0) + 1);
    const bulk = stmt<{ article_id: string; lot: string; quantity: number }>(store, 'select article_id, lot, quantity from balances where location_id = ? and quantity > 0').all(fromId);
    const moves = [
      ...individuals.map((i) => ({ articleId: i.article_id, individualId: i.id, fromLocationId: fromId, toLocationId: toId, quantity: 1, reason: 'move' as const })),
      ...bulk
        .map((b) => {
          // What individuals account for moves with them; the rest moves as a quantity.
          const own = b.lot === '' ? (counted.get(b.article_id) ?? 0) : 0;
          if (own) counted.set(b.article_id, 0);
          return { articleId: b.article_id, lot: b.lot || null, fromLocationId: fromId, toLocationId: toId, quantity: b.quantity - own, reason: 'move' as const };
        })
        .filter((m) => m.quantity > 0),
    ];
    if (moves.length === 0) throw new DepotError('locations.empty', { sv: `Det finns inget på ${from.code}.`, en: `There is nothing at ${from.code}.` });
    const posted = postMovements(store, actor, moves, 'locations');
    audit(store, { ...actor, action: 'location.moveAll', entity: 'location', entityId: fromId, detail: { to: to.code, movements: posted.length } });
    return posted;
  })();
}

export function siteLocations(store: StationDb, siteId: string): (Omit<LocationRow, 'site_id'> & { items: number })[] {
  return stmt<Omit<LocationRow, 'site_id'> & { items: number }>(
    store,
    `select l.id, l.parent_id, l.code, l.name, l.level, l.kind, l.capacity, l.retired_at,
       coalesce((select sum(b.quantity) from balances b where b.location_id = l.id), 0) as items
     from locations l where l.site_id = ? order by l.code`,
  ).all(siteId);
}
