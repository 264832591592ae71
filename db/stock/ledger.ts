/**
 * Posting to the stock ledger. Every change of stock is a movement: `quantity` of an article
 * (and lot) leaves `from` and arrives at `to`. No `from` means it enters stock (a receipt, a
 * return from a patient); no `to` means it leaves (a delivery, a scrapping). Balances follow in
 * the same statement (a trigger); the outbox entry that carries the postings to the register is
 * written in the same transaction.
 */
import { refuseExpired } from './lots';
import { localDay } from '../../vocabulary/calendar';
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { IndividualStatus, LocationKind, MovementReason } from '../schema';
import { maintenanceBlock } from '../service/maintenance';
import { stmt } from '../statements';
import { INSERT_MOVEMENT, type Movement } from '../sync/wire';
import { badOccurredAt, MAX_QUANTITY, notReadyMessage, REASONS_OF, skipsReconditioning, type Workflow } from './rules';
import { stateAfter, stateFromHistory, type DeviceState, type HistoryMovement } from './status';


export interface MovementInput {
  articleId: string;
  individualId?: string | null;
  lot?: string | null;
  fromLocationId?: string | null;
  toLocationId?: string | null;
  quantity: number;
  reason: MovementReason;
  orderRef?: string | null;
  /** When it happened on the floor; defaults to when it is recorded. */
  occurredAt?: number;
  /** For a correction: the movement it reverses. */
  reverses?: string | null;
}

export interface Actor {
  userId: string;
  stationId: string;
}

export interface PostedMovement extends Required<Omit<MovementInput, 'occurredAt' | 'reverses'>> {
  reverses: string | null;
  id: string;
  stationId: string;
  seq: number;
  userId: string;
  occurredAt: number;
  recordedAt: number;
}

interface ArticleRow {
  id: string;
  article_number: string;
  tracking: string;
  rentable: number;
}
interface LocationRow {
  id: string;
  code: string;
  site_id: string;
  kind: LocationKind;
  retired_at: number | null;
}
interface IndividualRow {
  id: string;
  individual_number: string;
  article_id: string;
  location_id: string | null;
  status: IndividualStatus;
  ready_since: number | null;
}

/**
 * Where someone chooses a device to go to a patient: picking it for an order, or taking it at a
 * kiosk (a pallet is checked as the device goes onto it). What has already left, a pallet closed
 * or delivered, is recorded whatever falls due meanwhile: the record says where the device is.
 */
const choosesForAPatient = (reason: MovementReason, workflow: Workflow) => reason === 'pick' || (reason === 'delivery' && workflow === 'kiosk');

const notHere = (code: string) =>
  new DepotError(
    'stock.other_site',
    { sv: `Lagerplats ${code} hör till ett annat förråd. Här bokas bara det egna förrådets platser.`, en: `Location ${code} belongs to another site. Only this site's locations are booked here.` },
    'locationId',
  );

/**
 * Posts movements as one all-or-nothing transaction, for the workflow that owns their reason.
 * Any movement that cannot be posted (a reason its workflow does not own, unknown article or
 * location, a retired location or one at another site, a device tracked one by one moved without
 * its individual, too little stock, an individual that is somewhere else, a date outside the
 * window) refuses the whole batch with a message a warehouse worker can act on.
 */
export function postMovements(store: StationDb, actor: Actor, inputs: readonly MovementInput[], workflow: Workflow): PostedMovement[] {
  if (inputs.length === 0) return [];
  return store.sqlite.transaction(() => {
    const recordedAt = Date.now();
    const site = stmt<{ site_id: string }>(store, 'select site_id from station').get()?.site_id ?? null;
    const articles = new Map<string, ArticleRow>();
    const locations = new Map<string, LocationRow>();
    const getArticle = stmt<ArticleRow>(store, 'select id, article_number, tracking, rentable from articles where id = ?');
    const getLocation = stmt<LocationRow>(store, 'select id, code, site_id, kind, retired_at from locations where id = ?');
    const getIndividual = stmt<IndividualRow>(
      store,
      'select id, individual_number, article_id, location_id, status, ready_since from individuals where id = ?',
    );
    const getBalance = stmt<{ quantity: number }>(
      store,
      'select quantity from balances where article_id = ? and location_id = ? and lot = ?',
    );
    const insert = stmt(store, INSERT_MOVEMENT);
    const moveIndividual = stmt(
      store,
      'update individuals set location_id = ?, site_id = ?, status = ?, ready_since = ?, updated_at = ? where id = ?',
    );
    const lastSeq = stmt<{ s: number }>(store, 'select coalesce(max(seq), 0) as s from movements where station_id = ?');
    const lend = stmt(store, 'update individuals set loan_order_ref = ?, loan_since = ? where id = ?');

    const article = (id: string): ArticleRow => {
      let a = articles.get(id);
      if (!a) {
        a = getArticle.get(id);
        if (!a)
          throw new DepotError(
            'stock.unknown_article',
            { sv: 'Okänd artikel. Skanna artikelns streckkod igen eller sök fram den.', en: 'Unknown article. Scan its barcode again or search for it.' },
            'articleId',
          );
        articles.set(id, a);
      }
      return a;
    };
    const location = (id: string, field: string): LocationRow => {
      let l = locations.get(id);
      if (!l) {
        l = getLocation.get(id);
        if (!l)
          throw new DepotError(
            'stock.unknown_location',
            { sv: 'Okänd lagerplats. Skanna platsens etikett igen.', en: 'Unknown storage location. Scan the location label again.' },
            field,
          );
        locations.set(id, l);
      }
      if (l.retired_at !== null)
        throw new DepotError(
          'stock.location_retired',
          { sv: `Lagerplats ${l.code} är avvecklad. Välj en annan plats.`, en: `Location ${l.code} is retired. Choose another location.` },
          field,
        );
      if (site !== null && l.site_id !== site) throw notHere(l.code);
      return l;
    };

    let seq = lastSeq.get(actor.stationId)!.s;
    const corrected = new Set<string>();
    const rememberBefore = stmt(store, 'insert into device_before (movement_id, status, ready_since) values (?, ?, ?)');
    const recalled = stmt<{ status: IndividualStatus; readySince: number | null }>(store, 'select status, ready_since as readySince from device_before where movement_id = ?');
    const posted: PostedMovement[] = [];
    for (const m of inputs) {
      if (!REASONS_OF[workflow].includes(m.reason))
        throw new DepotError('stock.reason_not_allowed', {
          sv: 'Den här sortens lagerrörelse bokas bara i sitt eget arbetsflöde (inleverans, inventering, service…). Använd det.',
          en: 'This kind of stock movement is booked only in its own workflow (goods receipt, count, service…). Use that.',
        });
      if (!Number.isInteger(m.quantity) || m.quantity <= 0 || m.quantity > MAX_QUANTITY)
        throw new DepotError(
          'stock.bad_quantity',
          { sv: 'Antalet måste vara ett heltal större än noll.', en: 'The quantity must be a whole number above zero.' },
          'quantity',
        );
      const fromId = m.fromLocationId ?? null;
      const toId = m.toLocationId ?? null;
      if (fromId === null && toId === null)
        throw new DepotError('stock.no_location', {
          sv: 'Ange varifrån eller vart varan flyttas.',
          en: 'Say where the goods come from or go to.',
        });
      if (fromId === toId)
        throw new DepotError(
          'stock.same_location',
          { sv: 'Från- och till-plats är samma. Skanna den nya platsen.', en: 'From and to are the same location. Scan the new location.' },
          'toLocationId',
        );
      const a = article(m.articleId);
      const from = fromId === null ? null : location(fromId, 'fromLocationId');
      const to = toId === null ? null : location(toId, 'toLocationId');
      const lot = m.lot?.trim() || null;
      const occurredAt = m.occurredAt ?? recordedAt;
      const badTime = badOccurredAt(occurredAt, recordedAt);
      if (badTime) throw new DepotError('stock.bad_date', badTime, 'occurredAt');
      // An expired lot never goes out to a patient: picking, a kiosk, whoever posts it.
      if (lot && choosesForAPatient(m.reason, workflow)) refuseExpired(store, a.id, a.article_number, lot, localDay(recordedAt));
      if (a.tracking !== 'none' && !lot)
        throw new DepotError(
          'stock.lot_required',
          { sv: `Artikel ${a.article_number} följs per batch. Skanna batchnumret.`, en: `Article ${a.article_number} is tracked by lot. Scan the lot number.` },
          'lot',
        );
      const individualId = m.individualId ?? null;
      let before: DeviceState | null = null;
      if (individualId === null && a.rentable === 1)
        throw new DepotError(
          'stock.individual_required',
          {
            sv: `${a.article_number} följs per individ. Skanna individens egen etikett (I…), inte artikelns streckkod.`,
            en: `${a.article_number} is tracked one by one. Scan the device's own label (I…), not the article barcode.`,
          },
          'individualId',
        );
      if (individualId !== null) {
        const ind = getIndividual.get(individualId);
        if (!ind)
          throw new DepotError(
            'stock.unknown_individual',
            { sv: 'Okänd individ. Skanna individmärkningen igen.', en: 'Unknown individual. Scan the individual label again.' },
            'individualId',
          );
        if (ind.article_id !== a.id)
          throw new DepotError('stock.individual_article_mismatch', {
            sv: `Individ ${ind.individual_number} hör inte till artikel ${a.article_number}.`,
            en: `Individual ${ind.individual_number} does not belong to article ${a.article_number}.`,
          });
        if (m.quantity !== 1)
          throw new DepotError(
            'stock.individual_quantity',
            { sv: 'En individ flyttas alltid en i taget.', en: 'An individual always moves one at a time.' },
            'quantity',
          );
        if (ind.location_id !== fromId) {
          const where = ind.location_id
            ? (getLocation.get(ind.location_id)?.code ?? '?')
            : null;
          throw new DepotError(
            'stock.individual_elsewhere',
            where
              ? {
                  sv: `Individ ${ind.individual_number} står på ${where}, inte där du angav. Skanna platsen den står på.`,
                  en: `Individual ${ind.individual_number} is at ${where}, not where you said. Scan the location it is at.`,
                }
              : {
                  sv: `Individ ${ind.individual_number} finns inte i lager. Registrera den som retur eller inleverans först.`,
                  en: `Individual ${ind.individual_number} is not in stock. Register it as a return or a receipt first.`,
                },
            'fromLocationId',
          );
        }
        const state = m.reason === 'correction' ? null : stateAfter({ status: ind.status, readySince: ind.ready_since }, m.reason, to, occurredAt);
        // Only the workshop's last step makes a device ready: a move onto a shelf does not, and
        // nothing takes a device back from a patient to a shelf or out again but reconditioning.
        if (
          state &&
          (((m.reason === 'move' || m.reason === 'put_away') && state.status === 'in_stock' && ind.status !== 'in_stock') ||
            skipsReconditioning(ind.status, m.reason, state.status))
        )
          throw new DepotError('stock.not_ready', notReadyMessage(ind.individual_number), 'individualId');
        // Preventive maintenance due keeps a device from being chosen to go out: picking, a kiosk, whoever posts it.
        if (choosesForAPatient(m.reason, workflow)) {
          const due = maintenanceBlock(store, individualId);
          if (due) throw new DepotError('maintenance.due', due, 'individualId');
        }
        if (state) {
          moveIndividual.run(toId, to?.site_id ?? null, state.status, state.readySince, recordedAt, individualId);
          // Out to a patient: the loan it is on, kept with the device whatever its age (an undo of its return finds it again).
          if (state.status === 'on_loan') lend.run(m.orderRef ?? null, occurredAt, individualId);
          before = { status: ind.status, readySince: ind.ready_since };
        } else corrected.add(individualId);
      }
      if (from) {
        const have = getBalance.get(a.id, from.id, lot ?? '')?.quantity ?? 0;
        if (have < m.quantity)
          throw new DepotError(
            'stock.insufficient',
            {
              sv: `Det finns bara ${have} st av ${a.article_number} på ${from.code}. Kontrollera antalet eller platsen.`,
              en: `There are only ${have} of ${a.article_number} at ${from.code}. Check the quantity or the location.`,
            },
            'quantity',
          );
      }
      seq++;
      const row: PostedMovement = {
        id: uuidv7(recordedAt),
        stationId: actor.stationId,
        seq,
        userId: actor.userId,
        occurredAt,
        recordedAt,
        articleId: a.id,
        individualId,
        lot,
        fromLocationId: fromId,
        toLocationId: toId,
        quantity: m.quantity,
        reason: m.reason,
        orderRef: m.orderRef ?? null,
        reverses: m.reverses ?? null,
      };
      insert.run(row satisfies Movement);
      posted.push(row);
      if (before) rememberBefore.run(row.id, before.status, before.readySince);
      if (corrected.has(individualId ?? '')) {
        // An undo: the device is back as it was before the step it reverses (as its movements still standing say, where this
        // station did not make that step), where the correction put it.
        const saved = row.reverses ? recalled.get(row.reverses) : undefined;
        const state: DeviceState = saved ? { status: saved.status, readySince: saved.readySince } : deviceState(store, individualId!);
        moveIndividual.run(toId, to?.site_id ?? null, state.status, state.readySince, recordedAt, individualId);
      }
    }
    enqueue(store, 'movements', { stationId: actor.stationId, firstSeq: posted[0]!.seq, lastSeq: seq }, recordedAt);
    return posted;
  })();
}

/** Adds an entry to the sync outbox. Call it inside the transaction that makes the change. */
export function enqueue(store: StationDb, kind: string, payload: unknown, at = Date.now()): void {
  if (!store.sqlite.inTransaction) throw new Error('outbox entries are written in the transaction of their change');
  stmt(store, 'insert into outbox (kind, payload, created_at) values (?, ?, ?)').run(kind, JSON.stringify(payload), at);
}

/** A device's movements this station holds, in the order they were recorded. */
export function deviceHistory(store: StationDb, individualId: string): HistoryMovement[] {
  return stmt<HistoryMovement>(
    store,
    `select m.id, m.reason, l.kind as toKind, m.occurred_at as occurredAt, m.reverses from movements m left join locations l on l.id = m.to_location_id
     where m.individual_id = ? order by m.recorded_at, m.station_id, m.seq`,
  ).all(individualId);
}

/** A device's state from its history on this station. */
export function deviceState(store: StationDb, individualId: string): DeviceState {
  return stateFromHistory(deviceHistory(store, individualId));
}
