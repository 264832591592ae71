/**
 * Counting by scanning: scan a location, then what is there (each individual once; articles by
 * quantity, lots and expiry from their GS1 codes), then finish the location.
 *
 * Stock keeps moving during a count. The ledger's position is noted when a location's counting
 * starts and when it ends; what the ledger expects there is taken at the end, in the same
 * transaction. A movement at that location between the two means the count may have seen it or
 * not: the location is counted again. Approval adds (counted − expected) on top of whatever has
 * happened since, so no movement is counted twice or lost.
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { CountLocationState } from '../schema';
import { stmt } from '../statements';
import { individualById, locationById } from '../workflows/common';
import { countHead, type SiteActor } from './plan';

export interface CountLocation {
  countId: string;
  locationId: string;
  code: string;
  state: CountLocationState;
  round: number;
  assignee: string | null;
  countedBy: string | null;
  recountReason: string | null;
}

const ledgerMark = (store: StationDb) => stmt<{ m: number | null }>(store, 'select max(rowid) as m from movements').get()!.m ?? 0;

export function countLocation(store: StationDb, countId: string, locationId: string): CountLocation {
  const l = stmt<CountLocation>(
    store,
    `select cl.count_id as countId, cl.location_id as locationId, l.code, cl.state, cl.round, cl.assignee, cl.counted_by as countedBy, cl.recount_reason as recountReason
     from count_locations cl join locations l on l.id = cl.location_id where cl.count_id = ? and cl.location_id = ?`,
  ).get(countId, locationId);
  if (!l) {
    const code = locationById(store, locationId).code;
    throw new DepotError('count.not_in_count', { sv: `Plats ${code} ingår inte i den här inventeringen. Skanna en plats på din lista.`, en: `Location ${code} is not part of this count. Scan a location on your list.` });
  }
  return l;
}

function requireCounting(store: StationDb, countId: string) {
  const c = countHead(store, countId);
  if (c.state !== 'counting') throw new DepotError('count.closed', { sv: `${c.number} är avslutad och kan inte ändras.`, en: `${c.number} is closed and cannot be changed.` });
  return c;
}

/**
 * Why `userId` may not count this location now, or null when they may: a location is counted once
 * (and recounted once after a variance), by whoever it is given to (or anyone, when it is given to
 * nobody); one being counted is its counter's alone; and a recount is done by another counter than
 * the one who counted it first. The same rule for a scan, a tap on the list and a direct call.
 */
export function refusalToCount(l: Pick<CountLocation, 'code' | 'state' | 'countedBy' | 'assignee'>, userId: string): DepotError | null {
  if (l.state === 'counted' || l.state === 'recounted') return new DepotError('count.done', { sv: `Plats ${l.code} är redan räknad.`, en: `Location ${l.code} is already counted.` });
  if ((l.state === 'recount' || l.state === 'recounting') && l.countedBy === userId)
    return new DepotError('count.recount_other', {
      sv: `Plats ${l.code} ska räknas om av en annan räknare än du.`,
      en: `Location ${l.code} is to be recounted by another counter than you.`,
    });
  if (l.state === 'open' && l.assignee !== null && l.assignee !== userId)
    return new DepotError('count.assigned_other', {
      sv: `Plats ${l.code} är tilldelad en annan räknare. Skanna en plats på din lista.`,
      en: `Location ${l.code} is assigned to another counter. Scan a location on your list.`,
    });
  if ((l.state === 'counting' || l.state === 'recounting') && l.assignee !== userId)
    return new DepotError('count.busy', {
      sv: `Plats ${l.code} räknas av en annan räknare just nu. Skanna en plats på din lista.`,
      en: `Location ${l.code} is being counted by another counter right now. Scan a location on your list.`,
    });
  return null;
}

/**
 * On the counter's list: a location they may count now, assigned to them or to nobody; a recount
 * is every other counter's (the location stays assigned to whoever counted it first).
 */
export const onCountersList = (l: Pick<CountLocation, 'code' | 'state' | 'countedBy' | 'assignee'>, userId: string): boolean => refusalToCount(l, userId) === null;

/**
 * The counter scans a location: its counting (or recount) begins. A recount after a variance is
 * done by another counter than the one who counted it first.
 */
export function startLocation(store: StationDb, actor: SiteActor, countId: string, locationId: string): CountLocation {
  return store.sqlite.transaction(() => {
    requireCounting(store, countId);
    const l = countLocation(store, countId, locationId);
    const refusal = refusalToCount(l, actor.userId);
    if (refusal) throw refusal;
    if (l.state === 'counting' || l.state === 'recounting') return l; // carrying on where one left off
    // Whoever counts it now has it (a recount too: it is theirs until they finish it).
    const next: CountLocationState = l.state === 'recount' ? 'recounting' : 'counting';
    stmt(store, 'update count_locations set state = ?, start_mark = ?, assignee = ? where count_id = ? and location_id = ?').run(next, ledgerMark(store), actor.userId, countId, locationId);
    return countLocation(store, countId, locationId);
  })();
}

/** The location is being counted, by `userId`: only then do scans, undo and finishing apply to it. */
function requireOpenLocation(store: StationDb, countId: string, locationId: string, userId: string): CountLocation {
  requireCounting(store, countId);
  const l = countLocation(store, countId, locationId);
  if (l.state !== 'counting' && l.state !== 'recounting')
    throw new DepotError('count.scan_location', { sv: `Skanna plats ${l.code} först.`, en: `Scan location ${l.code} first.` });
  const refusal = refusalToCount(l, userId);
  if (refusal) throw refusal;
  return l;
}

export interface CountScan {
  id: string;
  articleId: string;
  articleName: string;
  lot: string;
  individualId: string | null;
  individualNumber: string | null;
  quantity: number;
}

/** An individual seen at the location; a second scan of it in the same count is refused. */
export function countIndividual(store: StationDb, actor: SiteActor, input: { countId: string; locationId: string; individualId: string; at?: number }): CountScan {
  return store.sqlite.transaction(() => {
    const l = requireOpenLocation(store, input.countId, input.locationId, actor.userId);
    const ind = individualById(store, input.individualId);
    const seen = stmt<{ code: string }>(
      store,
      `select l.code from count_scans s join count_locations cl on cl.count_id = s.count_id and cl.location_id = s.location_id and cl.round = s.round
       join locations l on l.id = s.location_id where s.count_id = ? and s.individual_id = ?`,
    ).get(input.countId, ind.id);
    if (seen)
      throw new DepotError('count.already_scanned', {
        sv: `${ind.individualNumber} är redan räknad (på ${seen.code}). Varje individ räknas en gång.`,
        en: `${ind.individualNumber} is already counted (at ${seen.code}). Each individual is counted once.`,
      });
    const id = insertScan(store, { countId: input.countId, locationId: input.locationId, round: l.round, articleId: ind.articleId, lot: '', expiry: null, individualId: ind.id, quantity: 1, at: input.at, userId: actor.userId });
    return scanById(store, id);
  })();
}

/** Articles seen at the location: scanned one by one or with a typed quantity; lot and expiry from the GS1 code. */
export function countArticle(
  store: StationDb,
  actor: SiteActor,
  input: { countId: string; locationId: string; articleId: string; quantity: number; lot?: string | null; expiry?: string | null; at?: number },
): CountScan {
  return store.sqlite.transaction(() => {
    const l = requireOpenLocation(store, input.countId, input.locationId, actor.userId);
    const a = stmt<{ id: string; name: string; rentable: number; tracking: string }>(store, 'select id, name, rentable, tracking from articles where id = ?').get(input.articleId);
    if (!a) throw new DepotError('stock.unknown_article', { sv: 'Okänd artikel. Skanna streckkoden igen.', en: 'Unknown article. Scan the barcode again.' });
    if (a.rentable)
      throw new DepotError('count.scan_individual', {
        sv: `${a.name} räknas per individ: skanna individmärkningen på varje.`,
        en: `${a.name} is counted by individual: scan the individual label on each.`,
      });
    if (!Number.isInteger(input.quantity) || input.quantity <= 0 || input.quantity > 100_000)
      throw new DepotError('count.quantity', { sv: 'Antalet måste vara ett heltal större än noll.', en: 'The quantity must be a whole number above zero.' }, 'quantity');
    if (a.tracking !== 'none' && !input.lot?.trim())
      throw new DepotError('count.lot', { sv: `${a.name} har batchnummer: skanna GS1-koden med batch, eller skriv batchen.`, en: `${a.name} has lots: scan the GS1 code with the lot, or type the lot.` }, 'lot');
    const id = insertScan(store, {
      countId: input.countId,
      locationId: input.locationId,
      round: l.round,
      articleId: a.id,
      lot: a.tracking === 'none' ? '' : input.lot!.trim(),
      expiry: input.expiry ?? null,
      individualId: null,
      quantity: input.quantity,
      at: input.at,
      userId: actor.userId,
    });
    return scanById(store, id);
  })();
}

function insertScan(
  store: StationDb,
  r: { countId: string; locationId: string; round: number; articleId: string; lot: string; expiry: string | null; individualId: string | null; quantity: number; at?: number; userId: string },
): string {
  const id = uuidv7();
  stmt(store, 'insert into count_scans (id, count_id, location_id, round, article_id, lot, expiry, individual_id, quantity, at, user_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
    id,
    r.countId,
    r.locationId,
    r.round,
    r.articleId,
    r.lot,
    r.expiry,
    r.individualId,
    r.quantity,
    r.at ?? Date.now(),
    r.userId,
  );
  return id;
}

function scanById(store: StationDb, id: string): CountScan {
  return stmt<CountScan>(
    store,
    `select s.id, s.article_id as articleId, a.name as articleName, s.lot, s.individual_id as individualId, i.individual_number as individualNumber, s.quantity
     from count_scans s join articles a on a.id = s.article_id left join individuals i on i.id = s.individual_id where s.id = ?`,
  ).get(id)!;
}

/** Takes back a scan while its location is still being counted (the counter's undo). */
export function undoCountScan(store: StationDb, actor: SiteActor, countId: string, scanId: string): void {
  store.sqlite.transaction(() => {
    const s = stmt<{ locationId: string }>(store, 'select location_id as locationId from count_scans where id = ? and count_id = ?').get(scanId, countId);
    if (!s) throw new DepotError('undo.unknown', { sv: 'Det finns inget att ångra.', en: 'There is nothing to undo.' });
    requireOpenLocation(store, countId, s.locationId, actor.userId);
    stmt(store, 'delete from count_scans where id = ?').run(scanId);
  })();
}

/** What was counted at a location in its current round. */
export function locationScans(store: StationDb, countId: string, locationId: string): CountScan[] {
  return stmt<CountScan>(
    store,
    `select s.id, s.article_id as articleId, a.name as articleName, s.lot, s.individual_id as individualId, i.individual_number as individualNumber, s.quantity
     from count_scans s join count_locations cl on cl.count_id = s.count_id and cl.location_id = s.location_id and cl.round = s.round
     join articles a on a.id = s.article_id left join individuals i on i.id = s.individual_id
     where s.count_id = ? and s.location_id = ? order by s.at, s.rowid`,
  ).all(countId, locationId);
}

export interface LocationVariance {
  locationId: string;
  articleId: string;
  lot: string;
  individualId: string | null;
  expected: number;
  counted: number;
  /** Purchase price in öre, per unit. */
  price: number;
}

/** Counted against expected at one location in one round: every line that differs. */
export function locationVariances(store: StationDb, countId: string, locationId: string, round: number): LocationVariance[] {
  return stmt<LocationVariance>(
    store,
    `with e as (select article_id, lot, individual_id, sum(quantity) as q from count_expected where count_id = $c and location_id = $l and round = $r group by article_id, lot, individual_id),
          s as (select article_id, lot, individual_id, sum(quantity) as q from count_scans where count_id = $c and location_id = $l and round = $r group by article_id, lot, individual_id),
          k as (select article_id, lot, individual_id from e union select article_id, lot, individual_id from s)
     select $l as locationId, k.article_id as articleId, k.lot, k.individual_id as individualId, coalesce(e.q, 0) as expected, coalesce(s.q, 0) as counted, a.purchase_price as price
     from k left join e on e.article_id = k.article_id and e.lot = k.lot and e.individual_id is k.individual_id
       left join s on s.article_id = k.article_id and s.lot = k.lot and s.individual_id is k.individual_id
       join articles a on a.id = k.article_id
     where coalesce(e.q, 0) <> coalesce(s.q, 0)`,
  ).all({ c: countId, l: locationId, r: round });
}

/**
 * The counter is done with the location. If stock moved there while it was counted, it is counted
 * again; otherwise the ledger's expectation is taken now, the lines that differ are written down
 * for the review, and a variance over the threshold (any individual found or missing counts)
 * sends it to a recount by another counter.
 */
export function finishLocation(store: StationDb, actor: SiteActor, input: { countId: string; locationId: string; at?: number }): CountLocation {
  return store.sqlite.transaction(() => {
    const c = requireCounting(store, input.countId);
    const l = requireOpenLocation(store, input.countId, input.locationId, actor.userId);
    const start = stmt<{ m: number }>(store, 'select start_mark as m from count_locations where count_id = ? and location_id = ?').get(c.id, l.locationId)!.m;
    const end = ledgerMark(store);
    const moved = stmt(store, 'select 1 from movements where rowid > ? and rowid <= ? and (from_location_id = ? or to_location_id = ?) limit 1').get(start, end, l.locationId, l.locationId);
    const at = input.at ?? Date.now();
    if (moved) {
      // It may or may not have been seen: count it again, in a new round (a recount stays a recount).
      const again: CountLocationState = l.state === 'recounting' ? 'recount' : 'open';
      stmt(store, "update count_locations set state = ?, round = round + 1, start_mark = null, recount_reason = 'moved' where count_id = ? and location_id = ?").run(again, c.id, l.locationId);
      return countLocation(store, c.id, l.locationId);
    }
    // What the ledger expects here now: articles by lot (those lent out by individual are counted by individual), and each individual.
    stmt(
      store,
      `insert into count_expected (count_id, location_id, round, article_id, lot, individual_id, quantity)
       select ?, b.location_id, ?, b.article_id, b.lot, null, b.quantity from balances b join articles a on a.id = b.article_id
       where b.location_id = ? and b.quantity <> 0 and a.rentable = 0`,
    ).run(c.id, l.round, l.locationId);
    stmt(
      store,
      `insert into count_expected (count_id, location_id, round, article_id, lot, individual_id, quantity)
       select ?, location_id, ?, article_id, '', id, 1 from individuals where location_id = ? and status not in ('cancelled', 'scrapped')`,
    ).run(c.id, l.round, l.locationId);
    const variances = locationVariances(store, c.id, l.locationId, l.round);
    const record = stmt(store, 'insert into count_variances (count_id, location_id, round, article_id, lot, individual_id, expected, counted) values (?, ?, ?, ?, ?, ?, ?, ?)');
    for (const v of variances) record.run(c.id, l.locationId, l.round, v.articleId, v.lot, v.individualId, v.expected, v.counted);
    const lines = stmt<{ n: number }>(
      store,
      `select count(*) as n from (select article_id, lot, individual_id from count_expected where count_id = $c and location_id = $l and round = $r
                                  union select article_id, lot, individual_id from count_scans where count_id = $c and location_id = $l and round = $r)`,
    ).get({ c: c.id, l: l.locationId, r: l.round })!.n;
    const over = variances.some(
      (v) => v.individualId !== null || Math.abs(v.counted - v.expected) > c.thresholdQuantity || Math.abs(v.counted - v.expected) * v.price > c.thresholdValue,
    );
    const next: CountLocationState = l.state === 'recounting' ? 'recounted' : over ? 'recount' : 'counted';
    stmt(
      store,
      `update count_locations set state = ?, end_mark = ?, counted_at = ?, counted_by = ?, recount_reason = ?, lines = ?, round = round + ? where count_id = ? and location_id = ?`,
    ).run(next, end, at, actor.userId, next === 'recount' ? 'variance' : null, lines, next === 'recount' ? 1 : 0, c.id, l.locationId);
    return countLocation(store, c.id, l.locationId);
  })();
}

/**
 * What the ledger has at a location now, for a count that is not blind: articles by lot, and the
 * individuals by number. A blind count never shows this.
 */
export function openExpectation(store: StationDb, countId: string, locationId: string): { articleName: string; lot: string; individualNumber: string | null; quantity: number }[] | null {
  if (countHead(store, countId).blind) return null;
  return stmt<{ articleName: string; lot: string; individualNumber: string | null; quantity: number }>(
    store,
    `select a.name as articleName, b.lot, null as individualNumber, b.quantity from balances b join articles a on a.id = b.article_id where b.location_id = $l and b.quantity <> 0 and a.rentable = 0
     union all
     select a.name, '', i.individual_number, 1 from individuals i join articles a on a.id = i.article_id where i.location_id = $l and i.status not in ('cancelled', 'scrapped')
     order by 1, 3`,
  ).all({ l: locationId });
}

/** A location of a count with what the counter has counted there, and (a count that is not blind) what the ledger has there. */
export interface CountAt extends CountLocation {
  scans: CountScan[];
  expected: ReturnType<typeof openExpectation>;
}

export function countAt(store: StationDb, countId: string, locationId: string): CountAt {
  return { ...countLocation(store, countId, locationId), scans: locationScans(store, countId, locationId), expected: openExpectation(store, countId, locationId) };
}
