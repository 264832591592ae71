/**
 * The unmanned depot's kiosk: someone with a badge takes devices or supplies (or puts them back)
 * for an order or a cost centre. Each confirmation posts at once, offline or not; the depot's
 * stock drops, and the next suggestion in Boden refills it.
 *
 * A kiosk only handles its own depot's goods: it takes what stands ready on this depot's shelves,
 * and takes back only what was taken here. A device goes back only while it is out on loan from
 * this depot; supplies go back only up to what was taken here on the same order or cost centre
 * and not yet put back. Supplies put back go onto a shelf of this depot; a device put back has
 * been with a patient, so it goes to the depot's returns place and into the reconditioning queue,
 * never onto a shelf.
 */
import { KIOSK_LINE_QUANTITY, KIOSK_LINES, ORDER_REF_MAX } from '../../vocabulary/domain';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { deviceHistory, postMovements, type Actor, type MovementInput, type PostedMovement } from '../stock/ledger';
import { firstExpiryFirst } from '../stock/lots';
import { standing } from '../stock/status';
import { getSetting } from '../settings';
import { stmt } from '../statements';
import { openServiceJob } from '../service/jobs';
import { individualById, type IndividualRef } from './common';

export interface KioskSettings {
  enabled: boolean;
  /** Back to the start screen after this long without a scan or a touch. */
  idleSeconds: number;
}
export const KIOSK_DEFAULTS: KioskSettings = { enabled: false, idleSeconds: 60 };

export const kioskSettings = (store: StationDb) => getSetting<KioskSettings>(store, 'kiosk', KIOSK_DEFAULTS);

/**
 * A kiosk session ends when nobody has used it for the kiosk's idle time, or when the station is
 * no longer a kiosk: the next person at the kiosk starts again with their own badge.
 */
export function kioskSessionEnded(store: StationDb, idleMs: number): boolean {
  const k = kioskSettings(store);
  return !k.enabled || idleMs > k.idleSeconds * 1000;
}

export interface KioskLine {
  articleId: string;
  individualId?: string | null;
  lot?: string | null;
  quantity: number;
}

/** Where the depot keeps goods: its shelves, racks and floor. */
const SHELF_KIND_LIST: readonly string[] = ['shelf', 'rack', 'floor', 'goods_in'];
const SHELF_KINDS = `(${SHELF_KIND_LIST.map((k) => `'${k}'`).join(', ')})`;

/** Supplies' movements that an undo has reversed count as never having happened. */
const STANDING = "m.reason <> 'correction' and m.id not in (select entity_id from audit_log where entity = 'movement' and action = 'undo')";

export function kioskWithdraw(
  store: StationDb,
  actor: Actor & { siteId: string },
  input: { lines: KioskLine[]; direction: 'take' | 'return'; orderRef: string },
): PostedMovement[] {
  const orderRef = input.orderRef.normalize('NFC').trim();
  if (!orderRef)
    throw new DepotError('kiosk.no_order', { sv: 'Skanna ordern eller ange kostnadsställe först.', en: 'Scan the order or enter the cost centre first.' }, 'orderRef');
  // An order number or cost centre is a short line of visible text: nothing hidden in it travels to the register.
  if (orderRef.length > ORDER_REF_MAX || /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u.test(orderRef))
    throw new DepotError('kiosk.order_ref', {
      sv: `Ordern eller kostnadsstället ska vara högst ${ORDER_REF_MAX} vanliga tecken. Skanna ordern eller skriv kostnadsstället igen.`,
      en: `The order or cost centre must be at most ${ORDER_REF_MAX} ordinary characters. Scan the order or type the cost centre again.`,
    }, 'orderRef');
  if (input.lines.length === 0) throw new DepotError('kiosk.nothing', { sv: 'Skanna det du tar först.', en: 'Scan what you take first.' });
  if (input.lines.length > KIOSK_LINES)
    throw new DepotError('kiosk.too_many', { sv: `Högst ${KIOSK_LINES} rader åt gången: tryck Klar och börja en ny.`, en: `At most ${KIOSK_LINES} lines at a time: press Done and start a new one.` });
  if (input.lines.some((l) => !Number.isInteger(l.quantity) || l.quantity < 1 || l.quantity > KIOSK_LINE_QUANTITY))
    throw new DepotError('kiosk.quantity', {
      sv: `Antalet ska vara ett heltal från 1 till ${KIOSK_LINE_QUANTITY.toLocaleString('sv-SE')}.`,
      en: `The quantity must be a whole number from 1 to ${KIOSK_LINE_QUANTITY.toLocaleString('en-GB')}.`,
    }, 'quantity');
  const moves: MovementInput[] = [];
  /** Devices back from a patient: each opens a reconditioning job. */
  const backFromPatient: string[] = [];
  // What the lines before have already put back, per article and lot.
  const puttingBack = new Map<string, number>();
  for (const line of input.lines) {
    if (line.individualId) {
      const ind = individualById(store, line.individualId);
      if (input.direction === 'take') {
        requireReadyHere(store, actor.siteId, ind);
        moves.push({ articleId: ind.articleId, individualId: ind.id, fromLocationId: ind.locationId, quantity: 1, reason: 'delivery', orderRef });
      } else {
        requireOnLoanFromHere(store, actor.siteId, ind);
        moves.push({ articleId: ind.articleId, individualId: ind.id, fromLocationId: null, toLocationId: returnsPlace(store, actor.siteId), quantity: 1, reason: 'return', orderRef });
        backFromPatient.push(ind.id);
      }
      continue;
    }
    if (input.direction === 'return') {
      const lot = line.lot?.trim() || null;
      const key = `${line.articleId}\u0000${lot ?? ''}`;
      const before = puttingBack.get(key) ?? 0;
      const open = takenHere(store, actor.siteId, orderRef, line.articleId, lot) - before;
      if (line.quantity > open) throw notTakenHere(store, line.articleId, orderRef, Math.max(open, 0));
      puttingBack.set(key, before + line.quantity);
      moves.push({ articleId: line.articleId, lot, toLocationId: shelfFor(store, actor.siteId, line.articleId), quantity: line.quantity, reason: 'return', orderRef });
      continue;
    }
    // Taken from wherever the depot has it: the lot that expires first, then the fullest shelf (an expired lot never).
    let left = line.quantity;
    for (const b of firstExpiryFirst(store, actor.siteId, line.articleId, { kinds: SHELF_KIND_LIST, lot: line.lot ?? null })) {
      if (left === 0) break;
      const q = Math.min(left, b.quantity);
      moves.push({ articleId: line.articleId, lot: b.lot || null, fromLocationId: b.locationId, quantity: q, reason: 'delivery', orderRef });
      left -= q;
    }
    if (left > 0)
      throw new DepotError('kiosk.not_enough', {
        sv: `Förrådet har bara ${line.quantity - left} st enligt registret. Ta det som finns och ring Hjälpmedelscentralen om resten.`,
        en: `The depot has only ${line.quantity - left} according to the register. Take what there is and call the assistive-device centre about the rest.`,
      });
  }
  return store.sqlite.transaction(() => {
    const posted = postMovements(store, actor, moves, 'kiosk');
    for (const individualId of backFromPatient) openServiceJob(store, actor, { individualId, priority: 'normal' });
    return posted;
  })();
}

/** A device is taken only from this depot's shelves, and only while it stands ready there. */
function requireReadyHere(store: StationDb, siteId: string, ind: IndividualRef): void {
  const here = ind.locationId ? stmt<{ siteId: string; kind: string }>(store, 'select site_id as siteId, kind from locations where id = ?').get(ind.locationId) : undefined;
  if (!here || here.siteId !== siteId)
    throw new DepotError('kiosk.not_here', {
      sv: `${ind.individualNumber} står inte i det här förrådet enligt registret. Lägg den åt sidan och ring Hjälpmedelscentralen.`,
      en: `${ind.individualNumber} is not in this depot according to the register. Put it aside and call the assistive-device centre.`,
    });
  if (ind.status !== 'in_stock' || !SHELF_KIND_LIST.includes(here.kind))
    throw new DepotError('kiosk.not_ready', {
      sv: `${ind.individualNumber} är inte klar att lämna ut: den är reserverad eller väntar på rengöring eller översyn. Låt den stå och ring Hjälpmedelscentralen.`,
      en: `${ind.individualNumber} is not ready to hand out: it is reserved or waiting for cleaning or a check. Leave it where it is and call the assistive-device centre.`,
    });
}

/** A device is put back only while it is out on loan from this depot: its last step was being taken here. */
function requireOnLoanFromHere(store: StationDb, siteId: string, ind: IndividualRef): void {
  // Its latest movement still standing, as the shared rule for a device's state reads its history.
  const last = standing(deviceHistory(store, ind.id)).at(-1);
  const fromSite = last
    ? (stmt<{ siteId: string }>(store, 'select l.site_id as siteId from movements m join locations l on l.id = m.from_location_id where m.id = ?').get(last.id)?.siteId ?? null)
    : null;
  if (ind.status !== 'on_loan' || ind.locationId !== null || !last || last.reason !== 'delivery' || fromSite !== siteId)
    throw new DepotError('kiosk.not_taken_here', {
      sv: `${ind.individualNumber} är inte utlånad härifrån enligt registret och kan inte lämnas tillbaka här. Lägg den åt sidan och ring Hjälpmedelscentralen.`,
      en: `${ind.individualNumber} was not taken from this depot according to the register and cannot be put back here. Put it aside and call the assistive-device centre.`,
    });
}

/** How many of an article (of a lot, when one is given) were taken here on the order and are not yet put back. */
function takenHere(store: StationDb, siteId: string, orderRef: string, articleId: string, lot: string | null): number {
  return stmt<{ n: number }>(
    store,
    `select coalesce(sum(case when m.reason = 'delivery' and lf.site_id = @siteId then m.quantity
                              when m.reason = 'return' and lt.site_id = @siteId then -m.quantity else 0 end), 0) as n
     from movements m left join locations lf on lf.id = m.from_location_id left join locations lt on lt.id = m.to_location_id
     where m.order_ref = @orderRef collate nocase and m.article_id = @articleId and m.individual_id is null and m.reason in ('delivery', 'return')
       and (@lot is null or coalesce(m.lot, '') = @lot) and ${STANDING}`,
  ).get({ siteId, orderRef, articleId, lot })!.n;
}

function notTakenHere(store: StationDb, articleId: string, orderRef: string, open: number): DepotError {
  const a = stmt<{ number: string; name: string }>(store, 'select article_number as number, name from articles where id = ?').get(articleId);
  if (!a)
    return new DepotError('stock.unknown_article', { sv: 'Okänd artikel. Skanna artikelns streckkod igen.', en: 'Unknown article. Scan its barcode again.' }, 'articleId');
  const what = `${a.number} ${a.name}`;
  return new DepotError(
    'kiosk.not_taken_here',
    open === 0
      ? {
          sv: `Enligt registret har inget av ${what} tagits här på ${orderRef}. Kontrollera ordern eller kostnadsstället; lägg annars varorna åt sidan och ring Hjälpmedelscentralen.`,
          en: `According to the register, no ${what} was taken here on ${orderRef}. Check the order or cost centre; otherwise put the goods aside and call the assistive-device centre.`,
        }
      : {
          sv: `Enligt registret har bara ${open} st av ${what} tagits här på ${orderRef} och inte lämnats tillbaka. Lämna tillbaka högst så många; lägg resten åt sidan och ring Hjälpmedelscentralen.`,
          en: `According to the register, only ${open} of ${what} were taken here on ${orderRef} and not put back. Put back at most that many; put the rest aside and call the assistive-device centre.`,
        },
    'quantity',
  );
}

/** Where a device put back goes: the depot's returns place, to be washed and checked before anyone takes it again. */
function returnsPlace(store: StationDb, siteId: string): string {
  const l = stmt<{ id: string }>(store, "select id from locations where site_id = ? and kind = 'returns' and retired_at is null order by level = 'zone' desc, code limit 1").get(siteId);
  if (!l)
    throw new DepotError('kiosk.no_returns_place', {
      sv: 'Förrådet har ingen returplats, så hjälpmedel kan inte lämnas tillbaka här. Låt det stå vid dörren och ring Hjälpmedelscentralen.',
      en: 'The depot has no returns place, so devices cannot be put back here. Leave it by the door and call the assistive-device centre.',
    });
  return l.id;
}

/** Where supplies put back go: its preferred place here, else where it is already kept, else the first shelf. */
function shelfFor(store: StationDb, siteId: string, articleId: string): string {
  const row =
    stmt<{ id: string }>(
      store,
      `select p.location_id as id from preferred_locations p join locations l on l.id = p.location_id
       where p.article_id = ? and p.site_id = ? and l.site_id = p.site_id and l.kind in ${SHELF_KINDS} and l.retired_at is null`,
    ).get(articleId, siteId) ??
    stmt<{ id: string }>(
      store,
      `select b.location_id as id from balances b join locations l on l.id = b.location_id where b.article_id = ? and l.site_id = ? and l.kind in ${SHELF_KINDS} and l.retired_at is null order by b.quantity desc limit 1`,
    ).get(articleId, siteId) ??
    stmt<{ id: string }>(store, `select id from locations where site_id = ? and kind in ${SHELF_KINDS} and retired_at is null order by level = 'bin' desc, code limit 1`).get(siteId);
  if (!row) throw new DepotError('kiosk.no_shelf', { sv: 'Förrådet har ingen hyllplats registrerad.', en: 'The depot has no shelf registered.' });
  return row.id;
}
