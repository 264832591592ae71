/**
 * What the workflow machines ask for, carried out through the ledger's own operations (the same
 * ones the single calls use), so a step taken by a session and a step taken by a call are the
 * same record. A refusal comes back as data for the machine; nothing of a refused step is kept.
 */
import { audit } from '../audit';
import { countArticle, countAt, countIndividual, finishLocation, startLocation, undoCountScan } from '../counts/counting';
import { countHead } from '../counts/plan';
import { DepotError, isDepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import type { Actor, PostedMovement } from '../stock/ledger';
import { moveEverything } from '../locations/manage';
import { serviceStep } from '../service/jobs';
import { postedDuring, serviceJobView, workOrderView } from '../service/views';
import { addToWashBatch, closeWashBatch, openWashBatch, washBatch } from '../service/wash';
import { returnSparePart, useSparePart } from '../service/workorders';
import { individualById, locationById, requireAtSite, siteZone } from './common';
import type { EffectKind, EffectMap, EffectOf, Effect, Settled } from './machines/machine';
import { moveStock } from './moving';
import { orderRoute, pick, pickList, routesAndDays } from './picking';
import { suggestLocation } from './putaway';
import { purchaseOrder, receive } from './receiving';
import { addToPallet, closePallet, loading, loadList, openPallet, pallet, palletLabelZpl, receivePallet, removeFromPallet, reportMissing } from './pallets';
import { kioskWithdraw } from './kiosk';
import { restockFinish, restockReport, restockScan, restockStart } from './restock';
import { componentsOf, requireReturnable, returnIndividual } from './returns';
import { undoMovements } from './undo';
import { stmt } from '../statements';

export type WorkflowActor = Actor & { siteId: string };

/** A label for a printer, queued by the print service once the step is committed. */
export interface PrintRequest {
  printerId: string;
  kind: 'pallet';
  title: string;
  zpl: string;
}

/** What the station around the ledger offers an effect: its label printers. */
export interface EffectEnv {
  /** The printer a kind of label goes to, or null when none is set up. */
  labelPrinter(kind: 'pallet'): { id: string; dpi: 203 | 300 } | null;
}

export const NO_PRINTERS: EffectEnv = { labelPrinter: () => null };

/** Where the goods are now: the location given, the individual's own, or (for putaway) goods in. */
export function fromLocation(store: StationDb, siteId: string, i: { individualId?: string | null; fromLocationId?: string | null }, fallback: 'goods_in' | null): string {
  if (i.fromLocationId) return i.fromLocationId;
  if (i.individualId) {
    const at = individualById(store, i.individualId).locationId;
    if (at) return at;
  }
  if (fallback) return siteZone(store, siteId, fallback).id;
  throw new DepotError('workflow.from_unknown', { sv: 'Skanna platsen varan står på först.', en: 'Scan the location the goods are at first.' }, 'fromLocationId');
}

interface Done<K extends EffectKind> {
  value: EffectMap[K]['output'];
  posted?: PostedMovement[];
  /** Individuals that came into being (their labels are to print). */
  newIndividuals?: string[];
  prints?: PrintRequest[];
  /** Counts whose progress changed (every screen showing one reads it again). */
  changedCounts?: string[];
}

interface Operation<K extends EffectKind> {
  run(store: StationDb, actor: WorkflowActor, effect: EffectOf<K>, env: EffectEnv): Done<K>;
  /** The audit entry's action for a step that changes the record and writes none of its own (the call it stands for). */
  audit?: string;
}

const ids = (posted: PostedMovement[]) => posted.map((m) => m.id);

const OPERATIONS: { [K in EffectKind]: Operation<K> } = {
  purchaseOrder: { run: (store, _a, e) => ({ value: purchaseOrder(store, e.poNumber) }) },
  receive: {
    audit: 'receiving.receive',
    run(store, actor, e) {
      const r = receive(store, actor, e);
      return {
        value: { movementIds: ids(r.movements), individuals: r.individuals, over: r.over, order: purchaseOrder(store, e.poNumber) },
        posted: r.movements,
        newIndividuals: r.individuals.map((i) => i.id),
      };
    },
  },
  suggest: { run: (store, actor, e) => ({ value: suggestLocation(store, actor.siteId, e.articleId) }) },
  place: {
    run(store, actor, e) {
      const l = locationById(store, e.locationId);
      requireAtSite(l, actor.siteId);
      return { value: { id: l.id, code: l.code } };
    },
  },
  putAway: {
    audit: 'putaway.putAway',
    run(store, actor, e) {
      const posted = moveStock(store, actor, { ...moveOf(e), fromLocationId: fromLocation(store, actor.siteId, e, 'goods_in') }, 'put_away');
      return { value: { movementIds: ids(posted) }, posted };
    },
  },
  move: {
    audit: 'move.move',
    run(store, actor, e) {
      const posted = moveStock(store, actor, { ...moveOf(e), fromLocationId: fromLocation(store, actor.siteId, e, null) }, 'move');
      return { value: { movementIds: ids(posted) }, posted };
    },
  },
  pickList: {
    run(store, actor, e) {
      const routes = routesAndDays(store, actor.siteId);
      const chosen = e.orderRef ? orderRoute(store, actor.siteId, e.orderRef) : e.route && e.deliveryDay ? { route: e.route, deliveryDay: e.deliveryDay } : (routes[0] ?? null);
      return { value: { route: chosen?.route ?? null, deliveryDay: chosen?.deliveryDay ?? null, routes, orders: chosen ? pickList(store, actor.siteId, chosen.route, chosen.deliveryDay) : [] } };
    },
  },
  pick: {
    audit: 'picking.pick',
    run(store, actor, e) {
      const r = pick(store, actor, {
        orderRef: e.orderRef,
        articleId: e.articleId,
        individualId: e.individualId,
        lot: e.lot,
        quantity: e.quantity,
        fromLocationId: fromLocation(store, actor.siteId, e, null),
      });
      return { value: { movementIds: ids(r.movements), notProposed: r.notProposed, orders: pickList(store, actor.siteId, e.route, e.deliveryDay) }, posted: r.movements };
    },
  },
  // A device that cannot be taken in as a return is refused at its first scan, before its components are asked for.
  components: { run: (store, _a, e) => ({ value: componentsOf(store, requireReturnable(store, e.individualId).articleId) }) },
  returnIndividual: {
    audit: 'returns.receive',
    run(store, actor, e) {
      const { movement, orderRef, pickup } = returnIndividual(store, actor, { individualId: e.individualId, missing: e.missing, returnedOn: e.returnedOn, orderRef: e.orderRef, priority: e.priority });
      return { value: { movementIds: [movement.id], orderRef, pickup }, posted: [movement] };
    },
  },
  palletRoute: {
    run(store, actor, e) {
      const routes = routesAndDays(store, actor.siteId);
      const chosen = e.route && e.deliveryDay ? { route: e.route, deliveryDay: e.deliveryDay } : (routes[0] ?? null);
      const orders = chosen ? pickList(store, actor.siteId, chosen.route, chosen.deliveryDay) : [];
      const points = [...new Map(orders.map((o) => [`${o.deliveryPoint}|${o.municipality}`, { deliveryPoint: o.deliveryPoint, municipality: o.municipality }])).values()];
      return {
        value: {
          route: chosen?.route ?? null,
          deliveryDay: chosen?.deliveryDay ?? null,
          routes,
          points,
          loads: chosen ? loadList(store, actor.siteId, chosen.route, chosen.deliveryDay) : [],
          pallet: e.palletId ? pallet(store, e.palletId) : null,
          loading: chosen ? loading(store, actor.siteId, chosen.route, chosen.deliveryDay) : [],
        },
      };
    },
  },
  openPallet: {
    audit: 'pallets.open',
    run: (store, actor, e) => ({ value: openPallet(store, actor, { route: e.route, deliveryDay: e.deliveryDay, deliveryPoint: e.deliveryPoint, municipality: e.municipality }) }),
  },
  palletAdd: {
    audit: 'pallets.add',
    run(store, actor, e) {
      const p = addToPallet(store, actor, { palletId: e.palletId, articleId: e.articleId, individualId: e.individualId, lot: e.lot, quantity: e.quantity });
      // How far the article is for this delivery point: on pallets against picked.
      const articleId = e.individualId ? individualById(store, e.individualId).articleId : e.articleId;
      const rows = loading(store, actor.siteId, p.route, p.deliveryDay);
      const row = rows.find((r) => r.deliveryPoint === p.deliveryPoint && r.municipality === p.municipality && r.articleId === articleId);
      return { value: { ...p, count: row ? { loaded: row.loaded, picked: row.picked } : null, loading: rows } };
    },
  },
  palletRemove: { audit: 'pallets.remove', run: (store, actor, e) => ({ value: removeFromPallet(store, actor.siteId, e.palletId, e.itemId, e.itemIds ?? []) }) },
  closePallet: {
    audit: 'pallets.close',
    run(store, actor, e, env) {
      const r = closePallet(store, actor, e.palletId, { leaveBehind: e.leaveBehind === true });
      const printer = env.labelPrinter('pallet');
      const labelZpl = palletLabelZpl(store, r.pallet, printer?.dpi ?? 203);
      const { route, deliveryDay } = r.pallet;
      return {
        value: {
          pallet: r.pallet,
          movementIds: ids(r.movements),
          loads: loadList(store, actor.siteId, route, deliveryDay),
          loading: loading(store, actor.siteId, route, deliveryDay),
          labelZpl,
          printed: printer !== null,
        },
        posted: r.movements,
        prints: printer ? [{ printerId: printer.id, kind: 'pallet', title: `Pall ${r.pallet.sscc}`, zpl: labelZpl }] : [],
      };
    },
  },
  pallet: { run: (store, _a, e) => ({ value: pallet(store, e.sscc) }) },
  receivePallet: {
    audit: 'pallets.receive',
    run(store, actor, e) {
      const r = receivePallet(store, actor, e.sscc);
      return { value: { pallet: r.pallet, movementIds: ids(r.movements) }, posted: r.movements };
    },
  },
  reportMissing: {
    audit: 'pallets.reportMissing',
    run(store, actor, e) {
      const r = reportMissing(store, actor, e.palletId, e.itemId);
      return { value: { pallet: r.pallet, movementIds: ids(r.movements) }, posted: r.movements };
    },
  },
  restockReport: { run: (store, actor, e) => ({ value: e.start ? restockStart(store, actor.siteId, e.sscc) : restockReport(store, actor.siteId, e.sscc) }) },
  restockScan: {
    audit: 'restock.scan',
    run(store, actor, e) {
      const posted = restockScan(store, actor, { sscc: e.sscc, locationId: e.locationId, articleId: e.articleId, individualId: e.individualId, lot: e.lot, quantity: e.quantity });
      return { value: { movementIds: ids(posted), report: restockReport(store, actor.siteId, e.sscc) }, posted };
    },
  },
  restockFinish: { audit: 'restock.finish', run: (store, actor, e) => ({ value: restockFinish(store, actor, e.sscc) }) },
  countOpen: {
    run(store, _a, e) {
      const c = countHead(store, e.countId);
      return { value: { id: c.id, number: c.number } };
    },
  },
  countAt: { run: (store, _a, e) => ({ value: countAt(store, e.countId, e.locationId) }) },
  countStart: {
    audit: 'count.start',
    run(store, actor, e) {
      startLocation(store, actor, e.countId, e.locationId);
      return { value: countAt(store, e.countId, e.locationId), changedCounts: [e.countId] };
    },
  },
  countIndividual: {
    audit: 'count.individual',
    run(store, actor, e) {
      const scan = countIndividual(store, actor, { countId: e.countId, locationId: e.locationId, individualId: e.individualId });
      return { value: { scan, at: countAt(store, e.countId, e.locationId) } };
    },
  },
  countArticle: {
    audit: 'count.article',
    run(store, actor, e) {
      const scan = countArticle(store, actor, { countId: e.countId, locationId: e.locationId, articleId: e.articleId, quantity: e.quantity, lot: e.lot, expiry: e.expiry });
      return { value: { scan, at: countAt(store, e.countId, e.locationId) } };
    },
  },
  countFinish: {
    audit: 'count.finish',
    run: (store, actor, e) => ({ value: finishLocation(store, actor, { countId: e.countId, locationId: e.locationId }), changedCounts: [e.countId] }),
  },
  countUndoScan: {
    audit: 'count.undoScan',
    run(store, actor, e) {
      undoCountScan(store, actor, e.countId, e.scanId);
      return { value: { undone: true } };
    },
  },
  serviceJob: { run: (store, _a, e) => ({ value: serviceJobView(store, e.individualId) }) },
  serviceStep: {
    audit: 'service.step',
    run(store, actor, e) {
      const { kind: _kind, ...step } = e;
      const { result: job, posted } = postedDuring(store, actor.stationId, () => serviceStep(store, actor, step));
      return { value: { job, view: serviceJobView(store, e.individualId) }, posted };
    },
  },
  workOrder: { run: (store, _a, e) => ({ value: workOrderView(store, e.workOrderId) }) },
  usePart: {
    audit: 'workorder.part',
    run(store, actor, e) {
      const { result: part, posted } = postedDuring(store, actor.stationId, () =>
        useSparePart(store, actor, { workOrderId: e.workOrderId, articleId: e.articleId, quantity: e.quantity, lot: e.lot }),
      );
      return { value: { part, order: workOrderView(store, e.workOrderId) }, posted };
    },
  },
  returnPart: {
    audit: 'workorder.returnPart',
    run(store, actor, e) {
      const { result: wo, posted } = postedDuring(store, actor.stationId, () => returnSparePart(store, actor, { workOrderId: e.workOrderId, movementId: e.movementId }));
      return { value: workOrderView(store, wo.id), posted };
    },
  },
  washOpen: { audit: 'wash.open', run: (store, actor, e) => ({ value: openWashBatch(store, actor, { cabinet: e.cabinet, method: e.method }) }) },
  washAdd: { audit: 'wash.add', run: (store, _a, e) => ({ value: addToWashBatch(store, e.batchId, e.individualId) }) },
  washClose: {
    audit: 'wash.close',
    run(store, actor, e) {
      const { result, posted } = postedDuring(store, actor.stationId, () => closeWashBatch(store, actor, e.batchId));
      return { value: result, posted };
    },
  },
  serviceViews: {
    run: (store, _a, e) => ({
      value: {
        job: e.individualId ? serviceJobView(store, e.individualId) : null,
        batch: e.batchId ? washBatch(store, e.batchId) : null,
        workOrder: e.workOrderId ? workOrderView(store, e.workOrderId) : null,
      },
    }),
  },
  kioskWithdraw: {
    audit: 'kiosk.withdraw',
    run(store, actor, e) {
      const posted = kioskWithdraw(store, actor, { direction: e.direction, orderRef: e.orderRef, lines: e.lines });
      return { value: { movementIds: ids(posted) }, posted };
    },
  },
  // Both write their own audit entries.
  moveEverything: {
    run(store, actor, e) {
      const posted = moveEverything(store, actor, e.fromLocationId, e.toLocationId);
      return { value: { movementIds: ids(posted) }, posted };
    },
  },
  undo: {
    run(store, actor, e) {
      const posted = undoMovements(store, actor, e.movementIds);
      const gone = posted.filter((m) => m.individualId && m.toLocationId === null).map((m) => individualById(store, m.individualId!).individualNumber);
      return { value: { movementIds: ids(posted), said: undoneSaid(store, posted), gone }, posted };
    },
  },
};

/** What an undo took back, in words: "I0100002 tillbaka till BOD-H-01-09-1", "3 st 123456 ut ur lagret". */
function undoneSaid(store: StationDb, posted: readonly PostedMovement[]): { sv: string; en: string } | null {
  if (posted.length === 0) return null;
  const code = stmt<{ code: string }>(store, 'select code from locations where id = ?');
  const number = stmt<{ n: string }>(store, 'select article_number as n from articles where id = ?');
  const reason = stmt<{ reason: string }>(store, 'select reason from movements where id = ?');
  const each = posted.slice(0, 3).map((m) => {
    const what = m.individualId
      ? { sv: individualById(store, m.individualId).individualNumber, en: individualById(store, m.individualId).individualNumber }
      : { sv: `${m.quantity} st ${number.get(m.articleId)?.n ?? ''}`, en: `${m.quantity} × ${number.get(m.articleId)?.n ?? ''}` };
    const to = m.toLocationId ? code.get(m.toLocationId)?.code : null;
    if (to) return { sv: `${what.sv} tillbaka till ${to}`, en: `${what.en} back to ${to}` };
    // Out of stock again: a return taken back is on loan again, a shelved line from a pallet back on it.
    const undid = m.reverses ? reason.get(m.reverses)?.reason : undefined;
    if (undid === 'return') return { sv: `${what.sv} utlånad igen`, en: `${what.en} on loan again` };
    if (undid === 'transfer') return { sv: `${what.sv} tillbaka på pallen`, en: `${what.en} back on the pallet` };
    return { sv: `${what.sv} ut ur lagret`, en: `${what.en} out of stock` };
  });
  const more = posted.length - each.length;
  return {
    sv: each.map((x) => x.sv).join(', ') + (more > 0 ? ` och ${more} till` : ''),
    en: each.map((x) => x.en).join(', ') + (more > 0 ? ` and ${more} more` : ''),
  };
}

function moveOf(e: EffectMap['move']['input']) {
  return { articleId: e.articleId, individualId: e.individualId, lot: e.lot, quantity: e.quantity, toLocationId: e.toLocationId };
}

export interface Carried {
  settled: Settled;
  posted: PostedMovement[];
  newIndividuals: string[];
  prints: PrintRequest[];
  changedCounts: string[];
}

/**
 * Carries one effect out in a transaction of its own: all of it, with its audit entry, or (when
 * the core refuses it) nothing, and the refusal for the machine. Anything else is a fault of the
 * station and is thrown.
 */
/**
 * What a step may post at most, as the direct calls allow: a count read from a code (GS1 AI 30
 * or 37 reaches 99,999,999) or a quantity in a session's state is refused above it.
 */
export const MAX_STEP_QUANTITY = 100_000;

function checkQuantity(effect: Effect): void {
  if (!('quantity' in effect)) return;
  const q = (effect as { quantity: unknown }).quantity;
  if (typeof q !== 'number' || !Number.isInteger(q) || q < 1 || q > MAX_STEP_QUANTITY)
    throw new DepotError('workflow.quantity', {
      sv: `Antalet ska vara ett heltal från 1 till ${MAX_STEP_QUANTITY.toLocaleString('sv-SE')}. Dela upp större mängder.`,
      en: `The quantity must be a whole number from 1 to ${MAX_STEP_QUANTITY.toLocaleString('en-GB')}. Split larger amounts.`,
    });
}

export function carryOut(store: StationDb, actor: WorkflowActor, effect: Effect, workflow: string, env: EffectEnv = NO_PRINTERS): Carried {
  const op = OPERATIONS[effect.kind] as Operation<EffectKind>;
  try {
    const done = store.sqlite.transaction(() => {
      checkQuantity(effect);
      const d = op.run(store, actor, effect as never, env);
      if (op.audit) {
        const { kind: _kind, ...input } = effect;
        // The movements it posted, so the trail can say where the goods went from and to (the first ones of a large step).
        const movements = (d.posted ?? []).slice(0, 20).map((m) => m.id);
        audit(store, { stationId: actor.stationId, userId: actor.userId, action: op.audit, entity: 'workflow', entityId: workflow, detail: movements.length ? { input, movements } : { input } });
      }
      return d;
    })();
    return {
      settled: { kind: effect.kind, effect, ok: true, value: done.value } as Settled,
      posted: done.posted ?? [],
      newIndividuals: done.newIndividuals ?? [],
      prints: done.prints ?? [],
      changedCounts: done.changedCounts ?? [],
    };
  } catch (e) {
    if (!isDepotError(e)) throw e;
    return { settled: { kind: effect.kind, effect, ok: false, error: { code: e.code, message: e.userMessage } }, posted: [], newIndividuals: [], prints: [], changedCounts: [] };
  }
}
