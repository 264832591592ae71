/**
 * Review and approval. The supervisor sees every variance of the final round of every location,
 * largest value first, and approves all or some of them: each approved line posts a
 * count_adjustment movement (the count's number as reference) on top of whatever has moved since the
 * location was counted; a missing individual goes out of stock as missing, one found in the wrong
 * place is moved to where it was found (unless it has moved since: then it has turned up). The
 * decisions are recorded, the audit log says who approved, and the count can never change again.
 */
import { audit } from '../audit';
import { DepotError } from '../../vocabulary/errors';
import type { StationDb } from '../open';
import { postMovements, type MovementInput } from '../stock/ledger';
import { stmt } from '../statements';
import { uuidv7 } from '../ids';
import { countHead, zoneOf, type SiteActor } from './plan';

export interface VarianceLine {
  key: string;
  locationId: string;
  locationCode: string;
  zoneCode: string | null;
  articleId: string;
  articleNumber: string;
  articleName: string;
  lot: string;
  individualId: string | null;
  individualNumber: string | null;
  /** For an individual found here: where the ledger has it. */
  ledgerLocationCode: string | null;
  expected: number;
  counted: number;
  difference: number;
  /** The difference's value in öre. */
  value: number;
  kind: 'quantity' | 'missing' | 'found';
}

export interface Review {
  countId: string;
  number: string;
  /** Locations still to count (or recount): approval waits for them. */
  pending: number;
  lines: VarianceLine[];
  totals: { locations: number; lines: number; value: number; missing: number; found: number };
}

const lineKey = (l: { locationId: string; articleId: string; lot: string; individualId: string | null }) => `${l.locationId}|${l.articleId}|${l.lot}|${l.individualId ?? ''}`;

/** Every variance of the count's final rounds, largest value first. */
export function varianceReview(store: StationDb, countId: string): Review {
  const c = countHead(store, countId);
  // The lines written down when each location's final round ended.
  const rows = stmt<Omit<VarianceLine, 'key' | 'difference' | 'value' | 'kind'> & { price: number }>(
    store,
    `select v.location_id as locationId, l.code as locationCode, z.code as zoneCode, v.article_id as articleId, a.article_number as articleNumber, a.name as articleName,
       v.lot, v.individual_id as individualId, i.individual_number as individualNumber, il.code as ledgerLocationCode, v.expected, v.counted, a.purchase_price as price
     from count_locations cl join count_variances v on v.count_id = cl.count_id and v.location_id = cl.location_id and v.round = cl.round
       join locations l on l.id = v.location_id join articles a on a.id = v.article_id
       left join locations z on z.id = ${zoneOf('v.location_id')}
       left join individuals i on i.id = v.individual_id left join locations il on il.id = i.location_id
     where cl.count_id = $c and cl.state in ('counted', 'recounted')`,
  ).all({ c: c.id });
  const lines: VarianceLine[] = rows
    .map(({ price, ...r }) => {
      const difference = r.counted - r.expected;
      return { ...r, key: lineKey(r), difference, value: difference * price, kind: r.individualId === null ? ('quantity' as const) : difference < 0 ? ('missing' as const) : ('found' as const) };
    })
    .sort((a, b) => Math.abs(b.value) - Math.abs(a.value) || a.locationCode.localeCompare(b.locationCode));
  const pending = stmt<{ n: number }>(store, "select count(*) as n from count_locations where count_id = ? and state not in ('counted', 'recounted')").get(c.id)!.n;
  const counted = stmt<{ n: number }>(store, "select count(*) as n from count_locations where count_id = ? and state in ('counted', 'recounted')").get(c.id)!.n;
  return {
    countId: c.id,
    number: c.number,
    pending,
    lines,
    totals: {
      locations: counted,
      lines: lines.length,
      value: lines.reduce((n, l) => n + l.value, 0),
      missing: lines.filter((l) => l.kind === 'missing').length,
      found: lines.filter((l) => l.kind === 'found').length,
    },
  };
}

/**
 * Approves the count: the lines given (all when none given) post their adjustments; the others are
 * recorded as not approved. Refused while locations are still to count, and for lines whose stock
 * has since left the location (count that location again in a new count).
 */
export function approveCount(store: StationDb, actor: SiteActor, input: { countId: string; approve?: readonly string[] | 'all' }): { movements: number; approved: number; declined: number } {
  return store.sqlite.transaction(() => {
    const c = countHead(store, input.countId);
    if (c.state !== 'counting') throw new DepotError('count.closed', { sv: `${c.number} är redan avslutad.`, en: `${c.number} is already closed.` });
    const review = varianceReview(store, c.id);
    if (review.pending > 0)
      throw new DepotError('count.pending', {
        sv: `${review.pending === 1 ? '1 plats är inte färdigräknad' : `${review.pending} platser är inte färdigräknade`} än. Godkänn när alla är räknade.`,
        en: `${review.pending === 1 ? '1 location is not counted' : `${review.pending} locations are not counted`} yet. Approve when all are counted.`,
      });
    const chosen = input.approve === undefined || input.approve === 'all' ? new Set(review.lines.map((l) => l.key)) : new Set(input.approve);
    const endMark = new Map(
      stmt<{ locationId: string; m: number }>(store, 'select location_id as locationId, end_mark as m from count_locations where count_id = ?')
        .all(c.id)
        .map((r) => [r.locationId, r.m]),
    );
    const movements: { line: VarianceLine; input: MovementInput }[] = [];
    // A device missing where the ledger had it and found elsewhere is one fact: it is where it was found.
    const foundElsewhere = new Set(review.lines.filter((l) => l.kind === 'found' && chosen.has(l.key)).map((l) => l.individualId));
    for (const line of review.lines.filter((l) => chosen.has(l.key))) {
      if (line.kind === 'missing' && foundElsewhere.has(line.individualId)) continue;
      const base = { articleId: line.articleId, reason: 'count_adjustment' as const, orderRef: c.number };
      if (line.individualId === null) {
        const lot = line.lot || null;
        movements.push({ line, input: line.difference > 0 ? { ...base, lot, toLocationId: line.locationId, quantity: line.difference } : { ...base, lot, fromLocationId: line.locationId, quantity: -line.difference } });
        continue;
      }
      // An individual that has moved since its location was counted has turned up (or been dealt with): leave it be.
      const since = stmt(store, 'select 1 from movements where individual_id = ? and rowid > ? limit 1').get(line.individualId, endMark.get(line.locationId) ?? 0);
      if (since) continue;
      const now = stmt<{ locationId: string | null }>(store, 'select location_id as locationId from individuals where id = ?').get(line.individualId)!;
      if (line.kind === 'missing') movements.push({ line, input: { ...base, individualId: line.individualId, fromLocationId: line.locationId, quantity: 1 } });
      else if (now.locationId !== line.locationId) movements.push({ line, input: { ...base, individualId: line.individualId, fromLocationId: now.locationId, toLocationId: line.locationId, quantity: 1 } });
    }
    let posted;
    try {
      posted = postMovements(store, actor, movements.map((m) => m.input), 'counting');
    } catch (e) {
      if (e instanceof DepotError && (e.code === 'stock.insufficient' || e.code === 'stock.individual_elsewhere'))
        throw new DepotError('count.moved_since', {
          sv: `Lagret har ändrats sedan platsen räknades och justeringen går inte att boka (${e.userMessage.sv}) Räkna platsen igen i en ny inventering och godkänn resten utan den raden.`,
          en: `Stock has changed since the location was counted and the adjustment cannot be booked (${e.userMessage.en}) Count the location again in a new count and approve the rest without that line.`,
        });
      if (e instanceof DepotError && e.code === 'stock.not_ready')
        throw new DepotError('count.not_clean', {
          sv: `${e.userMessage.sv} Godkänn resten utan den raden och lämna enheten till rengöring.`,
          en: `${e.userMessage.en} Approve the rest without that line and take the device to be cleaned.`,
        });
      throw e;
    }
    const movementOf = new Map(movements.map((m, i) => [m.line.key, posted[i]!.id]));
    const ins = stmt(
      store,
      `insert into count_adjustments (id, count_id, location_id, article_id, lot, individual_id, expected, counted, value, approved, movement_id)
       values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    for (const l of review.lines)
      ins.run(uuidv7(), c.id, l.locationId, l.articleId, l.lot, l.individualId, l.expected, l.counted, l.value, chosen.has(l.key) ? 1 : 0, movementOf.get(l.key) ?? null);
    const at = Date.now();
    stmt(store, "update counts set state = 'approved', approved_at = ?, approved_by = ? where id = ?").run(at, actor.userId, c.id);
    const approved = review.lines.filter((l) => chosen.has(l.key)).length;
    audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'count.approve', entity: 'count', entityId: c.id, detail: { approved, declined: review.lines.length - approved, movements: posted.length } }, at);
    return { movements: posted.length, approved, declined: review.lines.length - approved };
  })();
}

/** Cancels a count that is not approved: nothing is posted; its locations are free to count again. */
export function cancelCount(store: StationDb, actor: SiteActor, countId: string): void {
  const c = countHead(store, countId);
  if (c.state !== 'counting') throw new DepotError('count.closed', { sv: `${c.number} är redan avslutad.`, en: `${c.number} is already closed.` });
  stmt(store, "update counts set state = 'cancelled' where id = ?").run(c.id);
  audit(store, { stationId: actor.stationId, userId: actor.userId, action: 'count.cancel', entity: 'count', entityId: c.id });
}
