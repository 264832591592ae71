/**
 * How the demo writes its ledger: each site's own station posts what happened there, numbering its
 * movements 1, 2, 3…, by a user of the role that does such a move at such a site.
 */
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { MovementReason } from '../schema';
import { INSERT_MOVEMENT, type Movement } from '../sync/wire';
import type { Random } from './random';
import type { Loc, SiteLocs } from './sites';
import type { StaffMember } from './users';

export interface DemoLedger {
  /** Posts one movement at `at`; a delivery or a return gets an order number of its own. */
  post(articleId: string, individualId: string | null, lot: string | null, from: Loc | null, to: Loc | null, quantity: number, reason: MovementReason, at: number): void;
  /** Movements posted so far. */
  readonly count: number;
}

/** A ledger writer over the sites (the first is the central store) and the users who sign in. */
export function demoLedger(sq: StationDb['sqlite'], siteLocs: SiteLocs[], staff: StaffMember[], random: Random): DemoLedger {
  const { pick, between } = random;
  const stations = new Map(siteLocs.map((s) => [s.site.id, { id: uuidv7(), seq: 0 }]));
  const central = siteLocs[0]!;
  const byRole = (role: string) => staff.filter((u) => u.role === role).map((u) => u.id);
  const workers = byRole('warehouse_worker');
  const depotStaff = byRole('depot_staff');
  const technicians = byRole('technician');
  const insMove = sq.prepare(INSERT_MOVEMENT);
  let movementCount = 0;
  let orderSerial = 0;
  return {
    post(articleId, individualId, lot, from, to, quantity, reason, at) {
      const siteId = (to ?? from)!.siteId;
      const st = stations.get(siteId)!;
      const user =
        reason === 'to_reconditioning' || reason === 'ready' || reason === 'scrap'
          ? pick(technicians)
          : siteId === central.site.id
            ? pick(workers)
            : pick(depotStaff.length ? depotStaff : workers);
      const orderRef = reason === 'delivery' ? `KO-${String(++orderSerial).padStart(7, '0')}` : reason === 'return' ? `HO-${String(++orderSerial).padStart(7, '0')}` : null;
      const m: Movement = {
        id: uuidv7(),
        stationId: st.id,
        seq: ++st.seq,
        userId: user,
        occurredAt: at,
        recordedAt: at + between(0, 120_000),
        articleId,
        individualId,
        lot,
        fromLocationId: from?.id ?? null,
        toLocationId: to?.id ?? null,
        quantity,
        reason,
        orderRef,
        reverses: null,
      };
      insMove.run(m);
      movementCount++;
    },
    get count() {
      return movementCount;
    },
  };
}
