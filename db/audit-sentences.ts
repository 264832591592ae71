/**
 * The audit trail read as sentences, in Swedish and English: "Lena Nilsson flyttade I0100002 från
 * BOD-H-01-09-1 till BOD-H-02-01-1". Every kind of entry the station writes has its own sentence;
 * one of a kind not known here (a call that changed the record without an entry of its own) gets
 * a plain one naming who did what to what. The ids an entry names are read back as the numbers and
 * codes people know (an individual's number, a location's code, a count's number).
 */
import type { UserMessage } from '../vocabulary/errors';
import type { MovementReason } from '../vocabulary/domain';
import type { StationDb } from './open';
import { stmt } from './statements';

type Detail = Record<string, unknown>;
type Say = (sv: string, en: string) => UserMessage;
const say: Say = (sv, en) => ({ sv, en });

/** What an entry names, read back from the record (each id at most once per page). */
export interface Lookup {
  user(id: unknown): string | null;
  location(id: unknown): string | null;
  individual(id: unknown): string | null;
  article(id: unknown): string | null;
  count(id: unknown): string | null;
  pallet(id: unknown): string | null;
  site(id: unknown): string | null;
  deliveryPoint(id: unknown): string | null;
  movement(id: unknown): { reason: MovementReason; individual: string | null; article: string; quantity: number; from: string | null; to: string | null } | null;
}

export function lookup(store: StationDb): Lookup {
  const cached = <T>(sql: string) => {
    const seen = new Map<string, T | null>();
    return (id: unknown): T | null => {
      if (typeof id !== 'string' || !id) return null;
      if (!seen.has(id)) seen.set(id, stmt<T>(store, sql).get(id) ?? null);
      return seen.get(id)!;
    };
  };
  const one = (sql: string) => {
    const read = cached<{ v: string }>(sql);
    return (id: unknown) => read(id)?.v ?? null;
  };
  return {
    user: one('select name as v from users where id = ?'),
    location: one('select code as v from locations where id = ?'),
    individual: one('select individual_number as v from individuals where id = ?'),
    article: one("select article_number || ' ' || name as v from articles where id = ?"),
    count: one('select number as v from counts where id = ?'),
    pallet: one('select sscc as v from pallets where id = ?'),
    site: one('select name as v from sites where id = ?'),
    deliveryPoint: one('select name as v from delivery_points where id = ?'),
    movement: cached(
      `select m.reason, i.individual_number as individual, a.article_number || ' ' || a.name as article, m.quantity, f.code as "from", t.code as "to"
       from movements m join articles a on a.id = m.article_id left join individuals i on i.id = m.individual_id
         left join locations f on f.id = m.from_location_id left join locations t on t.id = m.to_location_id
       where m.id = ?`,
    ),
  };
}

export interface Entry {
  user: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  detail: string | null;
}

const text = (v: unknown): string | null => (typeof v === 'string' && v ? v : typeof v === 'number' ? String(v) : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const n = (v: number) => v.toLocaleString('sv-SE');
const nEn = (v: number) => v.toLocaleString('en-GB');
/** A count with its noun in the right number: "1 rad", "3 rader". */
const ns = (v: number, one: string, other: string) => `${n(v)} ${v === 1 ? one : other}`;
const nsEn = (v: number, one: string, other: string) => `${nEn(v)} ${v === 1 ? one : other}`;

/** Goods as people name them: an individual's number, or a quantity of an article. */
function goods(l: Lookup, i: Detail): UserMessage {
  const individual = l.individual(i.individualId);
  if (individual) return say(individual, individual);
  const article = l.article(i.articleId) ?? text(i.articleId) ?? '';
  const q = num(i.quantity);
  return q === null ? say(article, article) : say(`${n(q)} st ${article}`, `${nEn(q)} × ${article}`);
}

const REASON: Record<MovementReason, UserMessage> = {
  receipt: say('inleveransen', 'the receipt'),
  put_away: say('inlagringen', 'the put-away'),
  move: say('flytten', 'the move'),
  pick: say('plockningen', 'the pick'),
  dispatch: say('utskicket', 'the dispatch'),
  delivery: say('utlämningen', 'the delivery'),
  return: say('returen', 'the return'),
  to_cleaning: say('flytten till rengöring', 'the move to cleaning'),
  to_reconditioning: say('flytten till rekonditionering', 'the move to reconditioning'),
  ready: say('klarmarkeringen', 'the release'),
  scrap: say('skrotningen', 'the scrapping'),
  count_adjustment: say('inventeringsjusteringen', 'the count adjustment'),
  transfer: say('överföringen', 'the transfer'),
  spare_part: say('reservdelsuttaget', 'the spare part taken'),
  correction: say('rättelsen', 'the correction'),
};

const SERVICE: Record<string, UserMessage> = {
  inspect: say('besiktade', 'inspected'),
  start_repair: say('påbörjade reparation av', 'started repairing'),
  finish_repair: say('reparerade klart', 'finished repairing'),
  send_to_cleaning: say('skickade till rengöring', 'sent to cleaning'),
  clean: say('rengjorde', 'cleaned'),
  send_to_supplier: say('skickade till leverantören', 'sent to the supplier'),
  back_from_supplier: say('tog emot från leverantören', 'took back from the supplier'),
  release: say('klarmarkerade', 'released'),
  scrap: say('skrotade', 'scrapped'),
};

const WORKSHOP: Record<string, UserMessage> = {
  checklist: say('en checklista', 'a checklist'),
  maintenance_plan: say('en underhållsplan', 'a maintenance plan'),
  training: say('vem som är utbildad', 'who is trained'),
  components: say('en komponentlista', 'a component list'),
  preferred_location: say('en föredragen plats', 'a preferred location'),
};

/** Where it came from and went to, as far as the entry tells. */
function path(from: string | null, to: string | null): UserMessage {
  if (from && to) return say(` från ${from} till ${to}`, ` from ${from} to ${to}`);
  if (to) return say(` till ${to}`, ` to ${to}`);
  if (from) return say(` från ${from}`, ` from ${from}`);
  return say('', '');
}

/** The places a workflow step's goods moved between: from the movements it posted, else from what it was given. */
function moved(l: Lookup, d: Detail, i: Detail): { from: string | null; to: string | null } {
  const first = Array.isArray(d.movements) ? l.movement(d.movements[0]) : null;
  return { from: first?.from ?? l.location(i.fromLocationId), to: first?.to ?? l.location(i.toLocationId) };
}

type Sentence = (who: UserMessage, e: Entry, d: Detail, l: Lookup) => UserMessage;

const join = (...parts: (UserMessage | string)[]): UserMessage => ({
  sv: parts.map((p) => (typeof p === 'string' ? p : p.sv)).join(''),
  en: parts.map((p) => (typeof p === 'string' ? p : p.en)).join(''),
});

/** The input a workflow step was given. */
const input = (d: Detail): Detail => (d.input && typeof d.input === 'object' ? (d.input as Detail) : {});
const userNamed = (e: Entry, l: Lookup) => l.user(e.entityId) ?? e.entityId ?? '?';
const locationNamed = (e: Entry, d: Detail, l: Lookup) => l.location(e.entityId) ?? text(d.code) ?? e.entityId ?? '?';
const countNamed = (id: unknown, l: Lookup) => l.count(id) ?? text(id) ?? '?';

/** A sentence for every kind of entry the station writes. */
export const SENTENCES: Record<string, Sentence> = {
  sign_in: (w) => join(w, say(' loggade in', ' signed in')),
  // Written by the sign-out call itself (its session ends: a change with no entry of its own).
  'auth.signOut': (w) => join(w, say(' loggade ut', ' signed out')),
  sign_in_failed: (_w, e, _d, l) => say(`Inloggning nekad för ${userNamed(e, l)}: fel PIN`, `Sign-in refused for ${userNamed(e, l)}: wrong PIN`),
  sign_in_refused_locked: (_w, e, _d, l) => say(`Inloggning nekad för ${userNamed(e, l)}: spärrad efter för många fel PIN`, `Sign-in refused for ${userNamed(e, l)}: locked after too many wrong PINs`),
  sign_in_locked: (_w, e, d, l) => {
    const m = num(d.minutes);
    return m === null
      ? say(`${userNamed(e, l)} spärrades efter för många fel PIN`, `${userNamed(e, l)} was locked after too many wrong PINs`)
      : say(`${userNamed(e, l)} spärrades i ${n(m)} minuter efter för många fel PIN`, `${userNamed(e, l)} was locked for ${nEn(m)} minutes after too many wrong PINs`);
  },
  pin_set_with_code: (w) => join(w, say(' valde en ny PIN med en engångskod', ' chose a new PIN with a one-time code')),
  sign_in_unlocked: (w, e, d, l) =>
    join(w, say(` låste upp ${userNamed(e, l)}`, ` unlocked ${userNamed(e, l)}`), d.siteWide ? say(' på depåns alla stationer', " at all the site's stations") : say(' på den här stationen', ' at this station')),
  'user.create': (w, e, d, l) => join(w, say(` lade upp användaren ${l.user(e.entityId) ?? text(d.name) ?? '?'}`, ` added the user ${l.user(e.entityId) ?? text(d.name) ?? '?'}`)),
  'user.update': (w, e, d, l) =>
    join(w, d.active === false ? say(` stängde av användaren ${userNamed(e, l)}`, ` deactivated the user ${userNamed(e, l)}`) : say(` ändrade användaren ${userNamed(e, l)}`, ` changed the user ${userNamed(e, l)}`)),
  'user.pin_code': (w, e, _d, l) => join(w, say(` gav ${userNamed(e, l)} en engångskod för ny PIN`, ` gave ${userNamed(e, l)} a one-time code for a new PIN`)),
  'location.create': (w, e, d, l) => join(w, say(` skapade platsen ${locationNamed(e, d, l)}`, ` created the location ${locationNamed(e, d, l)}`)),
  'location.update': (w, e, d, l) => join(w, say(` ändrade platsen ${locationNamed(e, d, l)}`, ` changed the location ${locationNamed(e, d, l)}`)),
  'location.retire': (w, e, d, l) => {
    const under = (num(d.count) ?? 1) - 1;
    return join(
      w,
      say(` tog bort platsen ${locationNamed(e, d, l)}`, ` retired the location ${locationNamed(e, d, l)}`),
      under > 0 ? say(` och ${ns(under, 'plats', 'platser')} under den`, ` and ${nsEn(under, 'location', 'locations')} under it`) : '',
    );
  },
  'location.range': (w, e, d, l) => {
    const c = num(d.count) ?? 0;
    return join(w, say(` skapade ${ns(c, 'plats', 'platser')} i ${locationNamed(e, {}, l)}`, ` created ${nsEn(c, 'location', 'locations')} in ${locationNamed(e, {}, l)}`));
  },
  'location.moveAll': (w, e, d, l) => {
    const from = locationNamed(e, {}, l);
    const to = text(d.to) ?? '?';
    return join(w, say(` flyttade allt från ${from} till ${to}`, ` moved everything from ${from} to ${to}`), num(d.movements) ? say(` (${ns(num(d.movements)!, 'rad', 'rader')})`, ` (${nsEn(num(d.movements)!, 'line', 'lines')})`) : '');
  },
  'site.change': (w, e, d, l) => join(w, say(` ändrade depån ${l.site(e.entityId) ?? text(d.name) ?? '?'}`, ` changed the site ${l.site(e.entityId) ?? text(d.name) ?? '?'}`)),
  'delivery_point.create': (w, e, d, l) => join(w, say(` lade upp leveransstället ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`, ` added the delivery point ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`)),
  'delivery_point.change': (w, e, d, l) => join(w, say(` ändrade leveransstället ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`, ` changed the delivery point ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`)),
  'delivery_point.retire': (w, e, d, l) => join(w, say(` tog bort leveransstället ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`, ` retired the delivery point ${text(d.name) ?? l.deliveryPoint(e.entityId) ?? '?'}`)),
  'count.plan': (w, e, d, l) => {
    const c = num(d.locations);
    return join(w, say(` planerade inventering ${countNamed(e.entityId, l)}`, ` planned count ${countNamed(e.entityId, l)}`), c === null ? '' : say(` (${ns(c, 'plats', 'platser')})`, ` (${nsEn(c, 'location', 'locations')})`));
  },
  'count.approve': (w, e, d, l) => {
    const approved = num(d.approved) ?? 0;
    const all = approved + (num(d.declined) ?? 0);
    return join(w, say(` godkände inventering ${countNamed(e.entityId, l)}: ${n(approved)} av ${ns(all, 'avvikelse', 'avvikelser')}`, ` approved count ${countNamed(e.entityId, l)}: ${nEn(approved)} of ${nsEn(all, 'variance', 'variances')}`));
  },
  'count.cancel': (w, e, _d, l) => join(w, say(` avbröt inventering ${countNamed(e.entityId, l)}`, ` cancelled count ${countNamed(e.entityId, l)}`)),
  'gtin.link': (w, e, d, l) => {
    const article = l.article(e.entityId) ?? '?';
    return join(w, say(` kopplade GTIN ${text(d.gtin) ?? '?'} till ${article}`, ` linked GTIN ${text(d.gtin) ?? '?'} to ${article}`));
  },
  'article.create': (w, e, d, l) => join(w, say(` lade upp artikeln ${l.article(e.entityId) ?? text(d.articleNumber) ?? '?'}`, ` added the article ${l.article(e.entityId) ?? text(d.articleNumber) ?? '?'}`)),
  'article.change': (w, e, d, l) => join(w, say(` ändrade artikeln ${l.article(e.entityId) ?? text(d.articleNumber) ?? '?'}`, ` changed the article ${l.article(e.entityId) ?? text(d.articleNumber) ?? '?'}`)),
  'purchase.order': (w, _e, d) => {
    const lines = num(d.lines) ?? 0;
    return join(w, say(` skapade inköpsorder ${text(d.poNumber) ?? ''} (${ns(lines, 'rad', 'rader')})`, ` created purchase order ${text(d.poNumber) ?? ''} (${nsEn(lines, 'line', 'lines')})`));
  },
  'refill.order': (w, _e, d, l) => {
    const lines = num(d.lines) ?? 0;
    const site = l.site(d.siteId);
    return join(w, say(` beställde påfyllnad ${text(d.orderRef) ?? ''}${site ? ` till ${site}` : ''} (${ns(lines, 'rad', 'rader')})`, ` ordered a refill ${text(d.orderRef) ?? ''}${site ? ` for ${site}` : ''} (${nsEn(lines, 'line', 'lines')})`));
  },
  'kiosk.configure': (w) => join(w, say(' ställde in kiosken', ' set up the kiosk')),
  'scanners.save': (w) => join(w, say(' ändrade stationens skannrar', " changed the station's scanners")),
  'maintenance.margins': (w) => join(w, say(' ändrade marginalerna för förebyggande underhåll', ' changed the margins for preventive maintenance')),
  'station.setIdle': (w, _e, d) => {
    const m = num(d.minutes);
    return join(w, m === null ? say(' ändrade tiden till automatisk utloggning', ' changed the time before signing out') : say(` satte tiden till automatisk utloggning till ${n(m)} ${m === 1 ? 'minut' : 'minuter'}`, ` set the time before signing out to ${nEn(m)} ${m === 1 ? 'minute' : 'minutes'}`));
  },
  'settings.gs1': (w) => join(w, say(' ändrade GS1-inställningarna (företagsprefix för SSCC)', ' changed the GS1 settings (company prefix for SSCC)')),
  'sync.resolve': (w) => join(w, say(' löste en konflikt i synkroniseringen', ' resolved a synchronisation conflict')),
  'audit.chain_keyed': () => say('Granskningsloggens kedja fick stationens nyckel', "The audit trail's chain was keyed with the station's key"),
  undo: (w, e, _d, l) => {
    const m = l.movement(e.entityId);
    if (!m) return join(w, say(' ångrade en rörelse', ' undid a movement'));
    const what = m.individual ? say(m.individual, m.individual) : say(`${n(m.quantity)} st ${m.article}`, `${nEn(m.quantity)} × ${m.article}`);
    return join(w, say(' ångrade ', ' undid '), REASON[m.reason], say(' av ', ' of '), what, path(m.from, m.to));
  },
  // The workflows' steps.
  'receiving.receive': (w, _e, d, l) => {
    const i = input(d);
    return join(w, say(' tog emot ', ' received '), goods(l, i), text(i.poNumber) ? say(` på inköpsorder ${text(i.poNumber)}`, ` on purchase order ${text(i.poNumber)}`) : '');
  },
  'putaway.putAway': (w, _e, d, l) => {
    const i = input(d);
    const { to } = moved(l, d, i);
    return join(w, say(' lade in ', ' put away '), goods(l, i), to ? say(` på ${to}`, ` on ${to}`) : '');
  },
  'move.move': (w, _e, d, l) => {
    const i = input(d);
    const { from, to } = moved(l, d, i);
    return join(w, say(' flyttade ', ' moved '), goods(l, i), path(from, to));
  },
  'picking.pick': (w, _e, d, l) => {
    const i = input(d);
    const { from } = moved(l, d, i);
    return join(w, say(' plockade ', ' picked '), goods(l, i), from ? say(` från ${from}`, ` from ${from}`) : '', text(i.orderRef) ? say(` till order ${text(i.orderRef)}`, ` for order ${text(i.orderRef)}`) : '');
  },
  'returns.receive': (w, _e, d, l) => join(w, say(' tog emot ', ' took back '), goods(l, input(d)), say(' i retur', ' as a return')),
  'pallets.open': (w, _e, d) => {
    const point = text(input(d).deliveryPoint);
    return join(w, say(' öppnade en pall', ' opened a pallet'), point ? say(` till ${point}`, ` for ${point}`) : '');
  },
  'pallets.add': (w, _e, d, l) => {
    const i = input(d);
    const p = l.pallet(i.palletId);
    return join(w, say(' lade ', ' put '), goods(l, i), p ? say(` på pall ${p}`, ` on pallet ${p}`) : say(' på en pall', ' on a pallet'));
  },
  'pallets.remove': (w, _e, d, l) => {
    const p = l.pallet(input(d).palletId);
    return join(w, p ? say(` tog bort en rad från pall ${p}`, ` removed a line from pallet ${p}`) : say(' tog bort en rad från en pall', ' removed a line from a pallet'));
  },
  'pallets.close': (w, _e, d, l) => {
    const p = l.pallet(input(d).palletId);
    return join(w, p ? say(` stängde pall ${p}`, ` closed pallet ${p}`) : say(' stängde en pall', ' closed a pallet'));
  },
  'pallets.receive': (w, _e, d) => join(w, say(` tog emot pall ${text(input(d).sscc) ?? ''}`, ` received pallet ${text(input(d).sscc) ?? ''}`)),
  'pallets.reportMissing': (w, _e, d, l) => {
    const p = l.pallet(input(d).palletId);
    return join(w, say(' anmälde en rad som saknas', ' reported a line missing'), p ? say(` på pall ${p}`, ` on pallet ${p}`) : '');
  },
  'restock.scan': (w, _e, d, l) => {
    const i = input(d);
    const at = l.location(i.locationId);
    return join(w, say(' fyllde på ', ' restocked '), goods(l, i), at ? say(` på ${at}`, ` on ${at}`) : '', text(i.sscc) ? say(` från pall ${text(i.sscc)}`, ` from pallet ${text(i.sscc)}`) : '');
  },
  'restock.finish': (w, _e, d) => join(w, say(` fyllde klart från pall ${text(input(d).sscc) ?? ''}`, ` finished restocking from pallet ${text(input(d).sscc) ?? ''}`)),
  'count.start': (w, _e, d, l) => {
    const i = input(d);
    return join(w, say(` började räkna ${l.location(i.locationId) ?? '?'} i inventering ${countNamed(i.countId, l)}`, ` started counting ${l.location(i.locationId) ?? '?'} in count ${countNamed(i.countId, l)}`));
  },
  'count.individual': (w, _e, d, l) => {
    const i = input(d);
    return join(w, say(' räknade ', ' counted '), goods(l, i), say(` på ${l.location(i.locationId) ?? '?'}`, ` at ${l.location(i.locationId) ?? '?'}`));
  },
  'count.article': (w, _e, d, l) => {
    const i = input(d);
    return join(w, say(' räknade ', ' counted '), goods(l, i), say(` på ${l.location(i.locationId) ?? '?'}`, ` at ${l.location(i.locationId) ?? '?'}`));
  },
  'count.finish': (w, _e, d, l) => {
    const i = input(d);
    return join(w, say(` räknade klart ${l.location(i.locationId) ?? '?'} i inventering ${countNamed(i.countId, l)}`, ` finished counting ${l.location(i.locationId) ?? '?'} in count ${countNamed(i.countId, l)}`));
  },
  'count.undoScan': (w, _e, d, l) => join(w, say(` ångrade en räkning i inventering ${countNamed(input(d).countId, l)}`, ` undid a count scan in count ${countNamed(input(d).countId, l)}`)),
  'service.step': (w, _e, d, l) => {
    const i = input(d);
    const kind = i.action && typeof i.action === 'object' ? text((i.action as Detail).kind) : null;
    const verb = (kind && SERVICE[kind]) ?? say('förde vidare', 'moved on');
    return join(w, ' ', verb, ' ', goods(l, { individualId: i.individualId }));
  },
  'workorder.part': (w, _e, d, l) => join(w, say(' tog ', ' used '), goods(l, input(d)), say(' till en arbetsorder', ' in a work order')),
  'workorder.returnPart': (w) => join(w, say(' lämnade tillbaka en reservdel från en arbetsorder', ' returned a spare part from a work order')),
  'wash.open': (w, _e, d) => join(w, say(` startade en tvätt i ${text(input(d).cabinet) ?? '?'}`, ` started a wash in ${text(input(d).cabinet) ?? '?'}`)),
  'wash.add': (w, _e, d, l) => join(w, say(' lade ', ' put '), goods(l, { individualId: input(d).individualId }), say(' i tvätten', ' in the wash')),
  'wash.close': (w) => join(w, say(' avslutade en tvätt', ' finished a wash')),
  'kiosk.withdraw': (w, _e, d) => {
    const i = input(d);
    const lines = Array.isArray(i.lines) ? i.lines.length : 0;
    const ref = text(i.orderRef) ?? '';
    return i.direction === 'return'
      ? join(w, say(` lämnade tillbaka ${ns(lines, 'rad', 'rader')} i kiosken (${ref})`, ` returned ${nsEn(lines, 'line', 'lines')} at the kiosk (${ref})`))
      : join(w, say(` tog ut ${ns(lines, 'rad', 'rader')} i kiosken (${ref})`, ` took ${nsEn(lines, 'line', 'lines')} at the kiosk (${ref})`));
  },
  ...Object.fromEntries(
    Object.entries(WORKSHOP).map(([kind, what]) => [`workshop.${kind}`, (w: UserMessage) => join(w, say(' ändrade ', ' changed '), what)] as const),
  ),
};

const ENTITY: Record<string, UserMessage> = {
  user: say('användaren', 'the user'),
  location: say('platsen', 'the location'),
  article: say('artikeln', 'the article'),
  individual: say('individen', 'the individual'),
  count: say('inventeringen', 'the count'),
  station: say('stationen', 'the station'),
  setting: say('en inställning', 'a setting'),
  site: say('depån', 'the site'),
  movement: say('en rörelse', 'a movement'),
};

/** Who did it: the user's name, or the station itself. */
const whoOf = (e: Entry): UserMessage => (e.user ? say(e.user, e.user) : say('Stationen', 'The station'));

/** An entry as a sentence; one of a kind not known here names who, the action and what it was done to. */
export function sentence(e: Entry, l: Lookup): UserMessage {
  let detail: Detail = {};
  try {
    const parsed: unknown = e.detail ? JSON.parse(e.detail) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) detail = parsed as Detail;
  } catch {
    // A detail that is not JSON is shown as it is, beside the sentence.
  }
  const who = whoOf(e);
  const known = Object.hasOwn(SENTENCES, e.action) ? SENTENCES[e.action]! : null;
  if (known) return known(who, e, detail, l);
  const target =
    l.individual(e.entityId) ?? l.location(e.entityId) ?? l.article(e.entityId) ?? l.user(e.entityId) ?? l.count(e.entityId) ?? (e.entityId && e.entityId.length <= 24 ? e.entityId : null);
  if (e.entity === 'call') return join(who, say(` gjorde en ändring (${e.action})`, ` made a change (${e.action})`));
  const thing = ENTITY[e.entity];
  const on = thing ? join(say(' på ', ' on '), thing, target ? ` ${target}` : '') : target ? say(` på ${target}`, ` on ${target}`) : say('', '');
  return join(who, say(` utförde ”${e.action}”`, ` did “${e.action}”`), on);
}
