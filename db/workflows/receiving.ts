/**
 * Goods receipt against a purchase order: the expected lines, what has arrived (read from the
 * ledger), over and under receipt, lots and expiry dates from GS1 codes, and new individuals
 * numbered on the spot with their labels queued.
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import { postMovements, type Actor, type PostedMovement } from '../stock/ledger';
import { stmt } from '../statements';
import { nextIndividualNumber, siteZone } from './common';

export interface ReceiptLine {
  lineNo: number;
  articleId: string;
  articleNumber: string;
  name: string;
  rentable: boolean;
  tracking: string;
  ordered: number;
  received: number;
}

export interface PurchaseOrderView {
  id: string;
  poNumber: string;
  supplier: string;
  expectedOn: string;
  lines: ReceiptLine[];
}

export function purchaseOrder(store: StationDb, poNumber: string): PurchaseOrderView {
  const po = stmt<{ id: string; poNumber: string; supplier: string; expectedOn: string }>(
    store,
    'select id, po_number as poNumber, supplier, expected_on as expectedOn from purchase_orders where po_number = ?',
  ).get(poNumber);
  if (!po)
    throw new DepotError('receiving.unknown_order', {
      sv: `Inköpsorder ${poNumber} finns inte. Kontrollera följesedeln.`,
      en: `Purchase order ${poNumber} does not exist. Check the delivery note.`,
    });
  const lines = stmt<Omit<ReceiptLine, 'rentable'> & { rentable: number }>(
    store,
    `select l.line_no as lineNo, a.id as articleId, a.article_number as articleNumber, a.name, a.rentable, a.tracking,
       l.quantity as ordered,
       coalesce((select sum(m.quantity) from movements m where m.order_ref = ? and m.article_id = l.article_id and m.reason = 'receipt'), 0)
       - coalesce((select sum(m.quantity) from movements m where m.order_ref = ? and m.article_id = l.article_id and m.reason = 'correction' and m.to_location_id is null), 0)
       as received
     from purchase_order_lines l join articles a on a.id = l.article_id where l.purchase_order_id = ? order by l.line_no`,
  ).all(poNumber, poNumber, po.id);
  return { ...po, lines: lines.map((l) => ({ ...l, rentable: l.rentable === 1 })) };
}

export interface ReceiveInput {
  poNumber: string;
  articleId: string;
  quantity: number;
  lot?: string | null;
  expiresOn?: string | null;
  serialNumber?: string | null;
  udi?: string | null;
}

export interface ReceiveResult {
  movements: PostedMovement[];
  individuals: { id: string; individualNumber: string }[];
  line: ReceiptLine;
  /** More has now arrived than was ordered. */
  over: boolean;
}

/** The longest lot, manufacturer serial number and UDI a receipt keeps, whichever way it arrives (a call, a scan). */
export const RECEIPT_TEXT_LIMITS = { lot: 20, serialNumber: 30, udi: 120 } as const;

export function receive(store: StationDb, actor: Actor & { siteId: string }, input: ReceiveInput): ReceiveResult {
  return store.sqlite.transaction(() => {
    for (const [field, max] of Object.entries(RECEIPT_TEXT_LIMITS) as [keyof typeof RECEIPT_TEXT_LIMITS, number][]) {
      const value = input[field];
      if (value && value.length > max)
        throw new DepotError('receiving.code_too_long', {
          sv: `Koden bär ${{ lot: 'ett batchnummer', serialNumber: 'ett serienummer', udi: 'en UDI' }[field]} längre än ${max} tecken. Skanna en annan kod på förpackningen eller kontakta inköp.`,
          en: `The code carries a ${{ lot: 'lot number', serialNumber: 'serial number', udi: 'UDI' }[field]} longer than ${max} characters. Scan another code on the package or contact purchasing.`,
        });
    }
    const po = purchaseOrder(store, input.poNumber);
    const line = po.lines.find((l) => l.articleId === input.articleId);
    if (!line)
      throw new DepotError('receiving.not_on_order', {
        sv: `Artikeln finns inte på order ${input.poNumber}. Lägg den åt sidan och kontakta inköp.`,
        en: `The article is not on order ${input.poNumber}. Put it aside and contact purchasing.`,
      });
    const goodsIn = siteZone(store, actor.siteId, 'goods_in');
    const now = Date.now();
    const individuals: { id: string; individualNumber: string }[] = [];
    if (line.rentable) {
      if (input.serialNumber) {
        const dup = stmt<{ n: string }>(store, 'select individual_number as n from individuals where article_id = ? and serial_number = ?').get(line.articleId, input.serialNumber);
        if (dup)
          throw new DepotError('receiving.serial_known', {
            sv: `Serienummer ${input.serialNumber} är redan registrerat som individ ${dup.n}.`,
            en: `Serial number ${input.serialNumber} is already registered as individual ${dup.n}.`,
          });
      }
      // A new device is nothing until its receipt is booked below (an undone receipt leaves it so).
      for (let i = 0; i < input.quantity; i++) {
        const id = uuidv7(now);
        const individualNumber = nextIndividualNumber(store);
        stmt(
          store,
          `insert into individuals (id, individual_number, article_id, serial_number, udi, status, site_id, location_id, updated_at)
           values (?, ?, ?, ?, ?, 'cancelled', null, null, ?)`,
        ).run(id, individualNumber, line.articleId, input.quantity === 1 ? (input.serialNumber ?? null) : null, input.quantity === 1 ? (input.udi ?? null) : null, now);
        stmt(store, "insert into label_jobs (id, kind, entity_id, created_at, status) values (?, 'individual', ?, ?, 'queued')").run(uuidv7(now), id, now);
        individuals.push({ id, individualNumber });
      }
    }
    if (input.lot)
      stmt(
        store,
        `insert into lots (article_id, lot, expires_on) values (?, ?, ?)
         on conflict (article_id, lot) do update set expires_on = coalesce(excluded.expires_on, expires_on)`,
      ).run(line.articleId, input.lot, input.expiresOn ?? null);
    const movements = postMovements(
      store,
      actor,
      individuals.length
        ? individuals.map((ind) => ({ articleId: line.articleId, individualId: ind.id, toLocationId: goodsIn.id, quantity: 1, reason: 'receipt' as const, orderRef: input.poNumber }))
        : [{ articleId: line.articleId, lot: input.lot ?? null, toLocationId: goodsIn.id, quantity: input.quantity, reason: 'receipt' as const, orderRef: input.poNumber }],
      'receiving',
    );
    const after = purchaseOrder(store, input.poNumber).lines.find((l) => l.articleId === input.articleId)!;
    return { movements, individuals, line: after, over: after.received > after.ordered };
  })();
}
