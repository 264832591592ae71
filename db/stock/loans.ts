/**
 * Each device's latest loan (the order it went out on, the day it went), kept with the device so a
 * station knows it whatever its age: the ledger writes it as a device goes out to a patient, and
 * this finds it for devices whose movements were written another way (demo data, an import).
 */
import type { StationDb } from '../open';

/** Fills in the loan of every device on loan from its latest standing movement out. */
export function recordLoans(store: StationDb): void {
  store.sqlite.exec(`
    update individuals set (loan_order_ref, loan_since) = (
      select m.order_ref, m.occurred_at from movements m
      where m.individual_id = individuals.id and m.to_location_id is null and m.reason not in ('scrap', 'count_adjustment', 'transfer', 'dispatch', 'correction')
        and not exists (select 1 from movements c where c.individual_id = m.individual_id and c.reverses = m.id)
      order by m.recorded_at desc, m.seq desc limit 1)
    where status = 'on_loan'`);
}
