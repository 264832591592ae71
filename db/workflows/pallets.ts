/**
 * Pallets for deliveries: picked goods at dispatch are scanned onto a pallet with its own SSCC;
 * closing the pallet ships what is on it (out of stock here, in transit); a depot receiving it by
 * its SSCC takes everything in at once, then confirms or reports differences item by item.
 */
import { makeSscc } from '../../drivers/printer/sscc';
import { enqueueEntities, palletChange } from '../sync/station';
import { DepotError } from '../errors';
import { uuidv7 } from '../ids';
import type { Store } from '../open';
import { getSetting } from '../settings';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { arrivalZone, individualById, siteZone } from './common';

export interface Gs1Settings {
  companyPrefix: string;
  extensionDigit: number;
}

/** A demo company prefix; each region sets its own GS1 prefix in the station settings. */
export const DEFAULT_GS1: Gs1Settings = { companyPrefix: '7350000', extensionDigit: 3 };
export const GS1_KEY = 'gs1';

/** The next SSCC from a counter that never goes back, so no two pallets ever share one. */
export function nextSscc(store: Store): string {
  const gs1 = getSetting<Gs1Settings>(store, GS1_KEY, DEFAULT_GS1);
  return store.sqlite.transaction(() => {
    let row = stmt<{ next: number }>(store, "select next from number_series where name = 'sscc'").get();
    if (!row) {
      stmt(store, "insert into number_series (name, next, last) values ('sscc', 1, ?)").run(10 ** (16 - gs1.companyPrefix.length) - 1);
      row = { next: 1 };
    }
    stmt(store, "update number_series set next = next + 1 where name = 'sscc'").run();
    return makeSscc(gs1.extensionDigit, gs1.companyPrefix, row.next);
  })();
}

export interface PalletView {
  id: string;
  sscc: string;
  route: string;
  deliveryDay: string;
  deliveryPoint: string;
  municipality: string;
  toSiteId: string | null;
  state: 'open' | 'closed' | 'received';
  items: { id: string; articleId: string; articleNumber: string; name: string; individualNumber: string | null; quantity: number; orderRef: string | null; receivedState: string }[];
}

export function pallet(store: Store, idOrSscc: string): PalletView {
  const p = stmt<Omit<PalletView, 'items'>>(
    store,
    `select id, sscc, route, delivery_day as deliveryDay, delivery_point as deliveryPoint, municipality, to_site_id as toSiteId, state
     from pallets where id = @k or sscc = @k`,
  ).get({ k: idOrSscc });
  if (!p) throw new DepotError('pallets.unknown', { sv: `Pallen ${idOrSscc} finns inte.`, en: `Pallet ${idOrSscc} does not exist.` });
  const items = stmt<PalletView['items'][number]>(
    store,
    `select pi.id, a.id as articleId, a.article_number as articleNumber, a.name, i.individual_number as individualNumber, pi.quantity,
       pi.order_ref as orderRef, pi.received_state as receivedState
     from pallet_items pi join articles a on a.id = pi.article_id left join individuals i on i.id = pi.individual_id
     where pi.pallet_id = ? order by pi.added_at`,
  ).all(p.id);
  return { ...p, items };
}

export function openPallet(
  store: Store,
  actor: Actor & { siteId: string },
  input: { route: string; deliveryDay: string; deliveryPoint: string; municipality: string; toSiteId?: string | null },
): PalletView {
  const id = uuidv7();
  // A pallet for a depot (a refill) goes to that site: it is received there by its SSCC.
  const toSiteId = input.toSiteId ?? stmt<{ id: string }>(store, 'select id from sites where name = ? and id <> ?').get(input.deliveryPoint, actor.siteId)?.id ?? null;
  stmt(
    store,
    `insert into pallets (id, sscc, site_id, route, delivery_day, delivery_point, municipality, to_site_id, state, created_at)
     values (?, ?, ?, ?, ?, ?, ?, ?, 'open', ?)`,
  ).run(id, nextSscc(store), actor.siteId, input.route, input.deliveryDay, input.deliveryPoint, input.municipality, toSiteId, Date.now());
  return pallet(store, id);
}

const notOpen = (sscc: string) =>
  new DepotError('pallets.not_open', { sv: `Pall ${sscc} är redan stängd. Öppna en ny pall.`, en: `Pallet ${sscc} is already closed. Open a new pallet.` });

/** Puts picked goods (at dispatch) on an open pallet. */
export function addToPallet(
  store: Store,
  actor: Actor & { siteId: string },
  input: { palletId: string; articleId: string; individualId?: string | null; lot?: string | null; quantity: number; orderRef?: string | null },
): PalletView {
  return store.sqlite.transaction(() => {
    const p = pallet(store, input.palletId);
    if (p.state !== 'open') throw notOpen(p.sscc);
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    if (input.individualId) {
      const ind = individualById(store, input.individualId);
      if (ind.locationId !== dispatch.id)
        throw new DepotError('pallets.not_picked', {
          sv: `${ind.individualNumber} är inte plockad till utlastningen. Plocka den först.`,
          en: `${ind.individualNumber} has not been picked to dispatch. Pick it first.`,
        });
      const on = stmt<{ sscc: string }>(
        store,
        "select p.sscc from pallet_items pi join pallets p on p.id = pi.pallet_id where pi.individual_id = ? and p.state = 'open'",
      ).get(ind.id);
      if (on) throw new DepotError('pallets.already_on', { sv: `${ind.individualNumber} ligger redan på pall ${on.sscc}.`, en: `${ind.individualNumber} is already on pallet ${on.sscc}.` });
      if (input.quantity !== 1) throw new DepotError('stock.individual_quantity', { sv: 'En individ flyttas alltid en i taget.', en: 'An individual always moves one at a time.' });
    } else {
      const have = stmt<{ q: number }>(store, "select coalesce(sum(quantity), 0) as q from balances where article_id = ? and location_id = ? and lot = coalesce(?, '')").get(input.articleId, dispatch.id, input.lot ?? null)!.q;
      const onPallets = stmt<{ q: number }>(
        store,
        "select coalesce(sum(pi.quantity), 0) as q from pallet_items pi join pallets p on p.id = pi.pallet_id where pi.article_id = ? and pi.individual_id is null and p.state = 'open' and p.site_id = ?",
      ).get(input.articleId, actor.siteId)!.q;
      if (have - onPallets < input.quantity)
        throw new DepotError('pallets.not_picked', {
          sv: `Det finns bara ${Math.max(0, have - onPallets)} plockade vid utlastningen.`,
          en: `There are only ${Math.max(0, have - onPallets)} picked at dispatch.`,
        });
    }
    stmt(store, 'insert into pallet_items (id, pallet_id, article_id, individual_id, lot, quantity, order_ref, added_at) values (?, ?, ?, ?, ?, ?, ?, ?)').run(
      uuidv7(),
      p.id,
      input.articleId,
      input.individualId ?? null,
      input.lot ?? null,
      input.quantity,
      input.orderRef ?? null,
      Date.now(),
    );
    return pallet(store, p.id);
  })();
}

export function removeFromPallet(store: Store, palletId: string, itemId: string): PalletView {
  const p = pallet(store, palletId);
  if (p.state !== 'open') throw notOpen(p.sscc);
  stmt(store, 'delete from pallet_items where id = ? and pallet_id = ?').run(itemId, p.id);
  return pallet(store, p.id);
}

/** Closes the pallet: what is on it leaves stock here and is in transit, under the pallet's SSCC. */
export function closePallet(store: Store, actor: Actor & { siteId: string }, palletId: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, palletId);
    if (p.state !== 'open') throw notOpen(p.sscc);
    if (p.items.length === 0) throw new DepotError('pallets.empty', { sv: 'Pallen är tom. Skanna varor till den först.', en: 'The pallet is empty. Scan goods onto it first.' });
    const dispatch = siteZone(store, actor.siteId, 'dispatch');
    const rows = stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number }>(
      store,
      'select article_id as articleId, individual_id as individualId, lot, quantity from pallet_items where pallet_id = ?',
    ).all(p.id);
    const movements = postMovements(
      store,
      actor,
      rows.map((r) => ({ ...r, fromLocationId: dispatch.id, toLocationId: null, reason: 'dispatch' as const, orderRef: p.sscc })),
    );
    stmt(store, "update pallets set state = 'closed', closed_at = ? where id = ?").run(Date.now(), p.id);
    // In transit now: the receiving site learns of it through the register.
    enqueueEntities(store, [palletChange(store, p.id)]);
    return { pallet: pallet(store, p.id), movements };
  })();
}

/** At a depot: everything on the pallet comes in at once, to this site's goods-in. */
export function receivePallet(store: Store, actor: Actor & { siteId: string }, sscc: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, sscc);
    if (p.state === 'received') throw new DepotError('pallets.already_received', { sv: `Pall ${p.sscc} är redan mottagen.`, en: `Pallet ${p.sscc} is already received.` });
    if (p.state !== 'closed') throw new DepotError('pallets.not_closed', { sv: `Pall ${p.sscc} är inte stängd och skickad än.`, en: `Pallet ${p.sscc} has not been closed and sent yet.` });
    const goodsIn = arrivalZone(store, actor.siteId);
    const rows = stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number }>(
      store,
      'select article_id as articleId, individual_id as individualId, lot, quantity from pallet_items where pallet_id = ?',
    ).all(p.id);
    const movements = postMovements(store, actor, rows.map((r) => ({ ...r, fromLocationId: null, toLocationId: goodsIn.id, reason: 'transfer' as const, orderRef: p.sscc })));
    stmt(store, "update pallet_items set received_state = 'received' where pallet_id = ?").run(p.id);
    stmt(store, "update pallets set state = 'received', received_at = ? where id = ?").run(Date.now(), p.id);
    enqueueEntities(store, [palletChange(store, p.id)]);
    return { pallet: pallet(store, p.id), movements };
  })();
}

/** An item that was on the manifest but not on the pallet: it leaves this depot's stock again, and the difference is recorded. */
export function reportMissing(store: Store, actor: Actor & { siteId: string }, palletId: string, itemId: string): { pallet: PalletView; movements: PostedMovement[] } {
  return store.sqlite.transaction(() => {
    const p = pallet(store, palletId);
    const item = stmt<{ articleId: string; individualId: string | null; lot: string | null; quantity: number; receivedState: string }>(
      store,
      'select article_id as articleId, individual_id as individualId, lot, quantity, received_state as receivedState from pallet_items where id = ? and pallet_id = ?',
    ).get(itemId, p.id);
    if (!item || item.receivedState !== 'received')
      throw new DepotError('pallets.not_received_item', { sv: 'Den raden är inte mottagen.', en: 'That line has not been received.' });
    const goodsIn = arrivalZone(store, actor.siteId);
    const movements = postMovements(store, actor, [
      { articleId: item.articleId, individualId: item.individualId, lot: item.lot, quantity: item.quantity, fromLocationId: goodsIn.id, toLocationId: null, reason: 'correction', orderRef: p.sscc },
    ]);
    stmt(store, "update pallet_items set received_state = 'missing' where id = ?").run(itemId);
    enqueueEntities(store, [palletChange(store, p.id)]);
    return { pallet: pallet(store, p.id), movements };
  })();
}

/** The load list: the pallets of a route and day. */
export function loadList(store: Store, siteId: string, route: string, deliveryDay: string): { sscc: string; deliveryPoint: string; municipality: string; state: string; items: number }[] {
  return stmt<{ sscc: string; deliveryPoint: string; municipality: string; state: string; items: number }>(
    store,
    `select p.sscc, p.delivery_point as deliveryPoint, p.municipality, p.state, (select coalesce(sum(quantity), 0) from pallet_items where pallet_id = p.id) as items
     from pallets p where p.site_id = ? and p.route = ? and p.delivery_day = ? order by p.created_at`,
  ).all(siteId, route, deliveryDay);
}
