/**
 * Wash-cabinet batches: devices waiting for cleaning are scanned into an open batch; closing the
 * batch cleans each of them (one flow step each, the batch's cabinet and method on the record).
 */
import { DepotError } from '../../vocabulary/errors';
import { uuidv7 } from '../ids';
import type { StationDb } from '../open';
import type { Actor } from '../stock/ledger';
import { stmt } from '../statements';
import { individualById } from '../workflows/common';
import { openJobFor, serviceStep } from './jobs';

export interface WashBatch {
  id: string;
  cabinet: string;
  method: string;
  openedAt: number;
  closedAt: number | null;
  items: { individualId: string; individualNumber: string; articleName: string }[];
}

export function washBatch(store: StationDb, id: string): WashBatch {
  const b = stmt<Omit<WashBatch, 'items'>>(store, 'select id, cabinet, method, opened_at as openedAt, closed_at as closedAt from wash_batches where id = ?').get(id);
  if (!b) throw new DepotError('wash.unknown', { sv: 'Okänd diskomgång.', en: 'Unknown wash batch.' });
  const items = stmt<WashBatch['items'][number]>(
    store,
    `select w.individual_id as individualId, i.individual_number as individualNumber, a.name as articleName
     from wash_batch_items w join individuals i on i.id = w.individual_id join articles a on a.id = i.article_id where w.batch_id = ? order by w.added_at`,
  ).all(id);
  return { ...b, items };
}

export function openWashBatch(store: StationDb, actor: Actor & { siteId: string }, input: { cabinet: string; method: string }): WashBatch {
  const id = uuidv7();
  stmt(store, 'insert into wash_batches (id, site_id, cabinet, method, opened_at, opened_by) values (?, ?, ?, ?, ?, ?)').run(id, actor.siteId, input.cabinet.trim(), input.method.trim(), Date.now(), actor.userId);
  return washBatch(store, id);
}

export function addToWashBatch(store: StationDb, batchId: string, individualId: string): WashBatch {
  return store.sqlite.transaction(() => {
    const b = washBatch(store, batchId);
    if (b.closedAt !== null) throw new DepotError('wash.closed', { sv: 'Diskomgången är redan stängd. Öppna en ny.', en: 'The wash batch is already closed. Open a new one.' });
    const ind = individualById(store, individualId);
    const job = openJobFor(store, ind.id);
    if (!job || job.state !== 'awaiting_cleaning')
      throw new DepotError('wash.not_waiting', {
        sv: `${ind.individualNumber} väntar inte på rengöring. Skicka den till disken först.`,
        en: `${ind.individualNumber} is not waiting for cleaning. Send it to washing first.`,
      });
    const elsewhere = stmt<{ cabinet: string }>(
      store,
      'select b.cabinet from wash_batch_items w join wash_batches b on b.id = w.batch_id where w.individual_id = ? and b.closed_at is null and b.id <> ?',
    ).get(ind.id, b.id);
    if (elsewhere) throw new DepotError('wash.in_other', { sv: `${ind.individualNumber} ligger redan i disk ${elsewhere.cabinet}.`, en: `${ind.individualNumber} is already in cabinet ${elsewhere.cabinet}.` });
    stmt(store, 'insert or ignore into wash_batch_items (batch_id, individual_id, added_at) values (?, ?, ?)').run(b.id, ind.id, Date.now());
    return washBatch(store, b.id);
  })();
}

/** Closes the batch: every device in it has been cleaned, by this cabinet and method. */
export function closeWashBatch(store: StationDb, actor: Actor & { siteId: string }, batchId: string): WashBatch {
  return store.sqlite.transaction(() => {
    const b = washBatch(store, batchId);
    if (b.closedAt !== null) throw new DepotError('wash.closed', { sv: 'Diskomgången är redan stängd.', en: 'The wash batch is already closed.' });
    if (b.items.length === 0) throw new DepotError('wash.empty', { sv: 'Skanna in något i diskomgången först.', en: 'Scan something into the batch first.' });
    const at = Date.now();
    for (const item of b.items)
      serviceStep(store, actor, { individualId: item.individualId, action: { kind: 'clean' }, detail: { batchId: b.id, cabinet: b.cabinet, method: b.method }, at });
    stmt(store, 'update wash_batches set closed_at = ? where id = ?').run(at, b.id);
    return washBatch(store, b.id);
  })();
}
