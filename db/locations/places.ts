/**
 * The region's places as master data: its sites (name, municipality, address, the route and
 * weekday that deliver to a depot), kept by administrators, and each site's delivery points (where
 * its routes deliver and collect, with their addresses, route and weekday), kept by the site's
 * supervisors. A change is checked by the rules the register applies too (`placeWrong`), written
 * here, audited, and queued for the register, which hands it to every station.
 */
import { DepotError } from '../../vocabulary/errors';
import { SUPERVISOR_ROLES, type Role } from '../../vocabulary/domain';
import { audit } from '../audit';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { Wrong } from '../service/workshop-rules';
import { stmt } from '../statements';
import type { Actor } from '../stock/ledger';
import { queueChanges } from '../sync/outbox';
import { requireRole } from '../users/users';

/** Who keeps what: sites are the administrators'; a site's delivery points its supervisors'. */
export const KEEPS_PLACES: Record<'site' | 'delivery_point', readonly Role[]> = { site: ['admin'], delivery_point: SUPERVISOR_ROLES };

type Row = Record<string, unknown>;

const text = (v: unknown, max: number): v is string => typeof v === 'string' && v.trim().length > 0 && v.length <= max && v === v.trim();
const optional = (v: unknown, max: number) => v === null || v === undefined || text(v, max);
const wrong = (field: string, sv: string, en: string): Wrong => ({ field, sv, en });
const POSTCODE = /^\d{3} ?\d{2}$/;

/** Whether a site or a delivery point holds on its own (what it refers to is checked by whoever holds that). */
export function placeWrong(kind: 'site' | 'delivery_point', id: string, d: Row): Wrong {
  if (d.id !== id) return wrong('id', 'Ändringen är felaktig.', 'The change is malformed.');
  if (!text(d.name, 80)) return wrong('name', 'Ge platsen ett namn (högst 80 tecken).', 'Give the place a name (at most 80 characters).');
  if (!text(d.municipality, 60)) return wrong('municipality', 'Ange kommunen.', 'Give the municipality.');
  const addressed = kind === 'delivery_point' ? text(d.address, 120) && text(d.town, 60) : optional(d.address, 120) && optional(d.town, 60);
  if (!addressed) return wrong('address', 'Ange gatuadress och ort (högst 120 och 60 tecken).', 'Give the street address and town (at most 120 and 60 characters).');
  const postcode = d.postcode;
  if (kind === 'delivery_point' ? !(typeof postcode === 'string' && POSTCODE.test(postcode)) : !(postcode === null || postcode === undefined || (typeof postcode === 'string' && POSTCODE.test(postcode))))
    return wrong('postcode', 'Postnumret har fem siffror, t.ex. 961 85.', 'The postcode has five digits, e.g. 961 85.');
  if (kind === 'delivery_point') {
    if (!text(d.route, 60)) return wrong('route', 'Ange rutten som kör dit.', 'Give the route that goes there.');
    if (!Number.isInteger(d.weekday) || (d.weekday as number) < 1 || (d.weekday as number) > 5) return wrong('weekday', 'Välj veckodag måndag–fredag.', 'Choose a weekday, Monday to Friday.');
    if (typeof d.site_id !== 'string' || !d.site_id) return wrong('siteId', 'Ändringen är felaktig.', 'The change is malformed.');
  } else {
    const routed = d.route === null || d.route === undefined ? d.delivery_weekday === null || d.delivery_weekday === undefined : text(d.route, 60) && Number.isInteger(d.delivery_weekday) && (d.delivery_weekday as number) >= 1 && (d.delivery_weekday as number) <= 5;
    if (!routed) return wrong('route', 'En rutt behöver sin veckodag (måndag–fredag).', 'A route needs its weekday (Monday to Friday).');
  }
  return null;
}

const SITE_COLUMNS = ['id', 'code', 'name', 'kind', 'municipality', 'route', 'delivery_weekday', 'address', 'postcode', 'town', 'changed_by', 'changed_at'] as const;
const POINT_COLUMNS = ['id', 'site_id', 'name', 'address', 'postcode', 'town', 'municipality', 'route', 'weekday', 'retired_at', 'changed_by', 'changed_at'] as const;

function upsert(store: StationDb, table: string, columns: readonly string[], d: Row): void {
  stmt(
    store,
    `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})
     on conflict (id) do update set ${columns.filter((c) => c !== 'id').map((c) => `${c} = excluded.${c}`).join(', ')}`,
  ).run(...columns.map((c) => d[c] ?? null));
}

const clean = (v: string | null | undefined) => (typeof v === 'string' && v.trim() ? v.trim() : null);

export interface SiteInput {
  id: string;
  name: string;
  municipality: string;
  address?: string | null;
  postcode?: string | null;
  town?: string | null;
  route?: string | null;
  deliveryWeekday?: number | null;
}

/** Changes a site (its code and kind stay: locations and labels are named by the code). An administrator's. */
export function saveSite(store: StationDb, actor: Actor, input: SiteInput): Row {
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, KEEPS_PLACES.site, { sv: 'Bara en administratör kan ändra förråden.', en: 'Only an administrator can change the sites.' });
    const before = stmt<Row>(store, `select ${SITE_COLUMNS.join(', ')} from sites where id = ?`).get(input.id);
    if (!before) throw new DepotError('places.unknown', { sv: 'Förrådet finns inte. Läs in sidan igen.', en: 'The site does not exist. Reload the page.' });
    const route = clean(input.route);
    const data: Row = {
      ...before,
      name: input.name.trim(),
      municipality: input.municipality.trim(),
      address: clean(input.address),
      postcode: clean(input.postcode),
      town: clean(input.town),
      route,
      delivery_weekday: route ? (input.deliveryWeekday ?? null) : null,
      changed_by: actor.userId,
      changed_at: Date.now(),
    };
    const problem = placeWrong('site', input.id, data);
    if (problem) throw new DepotError('places.invalid', { sv: problem.sv, en: problem.en }, problem.field);
    upsert(store, 'sites', SITE_COLUMNS, data);
    audit(store, { ...actor, action: 'site.change', entity: 'site', entityId: input.id, detail: data });
    queueChanges(store, [['site', input.id, data]]);
    return data;
  })();
}

export interface DeliveryPointInput {
  id?: string | null;
  name: string;
  address: string;
  postcode: string;
  town: string;
  municipality: string;
  route: string;
  weekday: number;
}

/** Creates or changes one of this site's delivery points; a supervisor's. */
export function saveDeliveryPoint(store: StationDb, actor: Actor & { siteId: string }, input: DeliveryPointInput): Row {
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, KEEPS_PLACES.delivery_point, { sv: 'Bara en arbetsledare kan ändra leveransställena.', en: 'Only a supervisor can change the delivery points.' });
    const id = input.id ?? uuidv7();
    const before = input.id ? stmt<Row>(store, `select ${POINT_COLUMNS.join(', ')} from delivery_points where id = ?`).get(input.id) : undefined;
    if (input.id && !before) throw new DepotError('places.unknown', { sv: 'Leveransstället finns inte. Läs in sidan igen.', en: 'The delivery point does not exist. Reload the page.' });
    if (before && before.site_id !== actor.siteId) throw new DepotError('places.other_site', { sv: 'Leveransstället hör till ett annat förråd.', en: 'The delivery point belongs to another site.' });
    const postcode = input.postcode.replace(/\s/g, '');
    const data: Row = {
      id,
      site_id: actor.siteId,
      name: input.name.trim(),
      address: input.address.trim(),
      postcode: postcode.length === 5 ? `${postcode.slice(0, 3)} ${postcode.slice(3)}` : input.postcode.trim(),
      town: input.town.trim(),
      municipality: input.municipality.trim(),
      route: input.route.trim(),
      weekday: input.weekday,
      retired_at: before?.retired_at ?? null,
      changed_by: actor.userId,
      changed_at: Date.now(),
    };
    const problem = placeWrong('delivery_point', id, data);
    if (problem) throw new DepotError('places.invalid', { sv: problem.sv, en: problem.en }, problem.field);
    const same = stmt<{ id: string }>(store, 'select id from delivery_points where site_id = ? and lower(name) = lower(?) and retired_at is null and id <> ?').get(actor.siteId, data.name, id);
    if (same) throw new DepotError('places.name_taken', { sv: `Det finns redan ett leveransställe som heter ${data.name as string}.`, en: `There is already a delivery point called ${data.name as string}.` }, 'name');
    upsert(store, 'delivery_points', POINT_COLUMNS, data);
    audit(store, { ...actor, action: before ? 'delivery_point.change' : 'delivery_point.create', entity: 'delivery_point', entityId: id, detail: data });
    queueChanges(store, [['delivery_point', id, data]]);
    return data;
  })();
}

/** A delivery point no longer served; orders and pallets that name it keep its name. */
export function retireDeliveryPoint(store: StationDb, actor: Actor & { siteId: string }, id: string): Row {
  const p = stmt<Row>(store, `select ${POINT_COLUMNS.join(', ')} from delivery_points where id = ?`).get(id);
  if (!p) throw new DepotError('places.unknown', { sv: 'Leveransstället finns inte. Läs in sidan igen.', en: 'The delivery point does not exist. Reload the page.' });
  return store.sqlite.transaction(() => {
    requireRole(store, actor.userId, KEEPS_PLACES.delivery_point, { sv: 'Bara en arbetsledare kan ändra leveransställena.', en: 'Only a supervisor can change the delivery points.' });
    if (p.site_id !== actor.siteId) throw new DepotError('places.other_site', { sv: 'Leveransstället hör till ett annat förråd.', en: 'The delivery point belongs to another site.' });
    const data = { ...p, retired_at: p.retired_at ?? Date.now(), changed_by: actor.userId, changed_at: Date.now() };
    upsert(store, 'delivery_points', POINT_COLUMNS, data);
    audit(store, { ...actor, action: 'delivery_point.retire', entity: 'delivery_point', entityId: id, detail: data });
    queueChanges(store, [['delivery_point', id, data]]);
    return data;
  })();
}

export interface PlacesView {
  sites: { id: string; code: string; name: string; kind: string; municipality: string; route: string | null; deliveryWeekday: number | null; address: string | null; postcode: string | null; town: string | null; changedBy: string | null; changedAt: number | null }[];
  points: { id: string; name: string; address: string; postcode: string; town: string; municipality: string; route: string; weekday: number; retiredAt: number | null; changedBy: string | null; changedAt: number | null }[];
}

/** The region's sites, and this site's delivery points by route and name (those in use first). */
export function places(store: StationDb, siteId: string): PlacesView {
  return {
    sites: stmt<PlacesView['sites'][number]>(
      store,
      `select s.id, s.code, s.name, s.kind, s.municipality, s.route, s.delivery_weekday as deliveryWeekday, s.address, s.postcode, s.town,
         u.name as changedBy, s.changed_at as changedAt
       from sites s left join users u on u.id = s.changed_by order by s.kind = 'central_store' desc, sv_order(s.name)`,
    ).all(),
    points: stmt<PlacesView['points'][number]>(
      store,
      `select p.id, p.name, p.address, p.postcode, p.town, p.municipality, p.route, p.weekday, p.retired_at as retiredAt, u.name as changedBy, p.changed_at as changedAt
       from delivery_points p left join users u on u.id = p.changed_by where p.site_id = ? order by p.retired_at is not null, sv_order(p.route), sv_order(p.name)`,
    ).all(siteId),
  };
}
