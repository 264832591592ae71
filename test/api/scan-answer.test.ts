/**
 * A keyboard-wedge scan's answer: what the scan resolved, and, when the user's workflow session took
 * it, the session's new state, the same the event carries: the screen that sent it needs no second
 * call to show it.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { StationDb } from '../../db/open';
import { workerAtTinyStation } from '../helpers';

const stores: StationDb[] = [];
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

describe('the answer to a scan sent from a screen', () => {
  it("carries the new state of the session that took it, as the event does, and no session's state when none took it", async () => {
    const { store, events, worker } = await workerAtTinyStation(stores);
    const { po } = store.sqlite.prepare('select po_number as po from purchase_orders order by po_number limit 1').get() as { po: string };
    const individual = store.sqlite.prepare('select id, individual_number as n from individuals order by individual_number limit 1').get() as { id: string; n: string };

    // No workflow open: the scan names the device, and the answer carries no session's state.
    const loose = await worker.call('scan.submit', { raw: individual.n });
    expect(loose).toMatchObject({ ok: true, value: { taken: true, workflow: null, resolution: { kind: 'individual', id: individual.id } } });
    expect(loose.ok && 'view' in loose.value).toBe(false);

    // Goods receipt open: the order scanned goes to it, and the answer holds the state the event published.
    await worker.call('workflow.open', { workflow: 'receipt' });
    const taken = await worker.call('scan.submit', { raw: po });
    expect(taken).toMatchObject({ ok: true, value: { taken: true, workflow: 'receipt', resolution: { kind: 'order', ref: po }, view: { workflow: 'receipt', userId: worker.user.id, state: { order: { poNumber: po } } } } });
    const published = events.flatMap((e) => (e.type === 'workflow.state' ? [e.view] : [])).at(-1);
    expect(taken.ok && taken.value.view).toEqual(published);
    // The scan event every screen gets carries no one's session state.
    const scanEvent = events.flatMap((e) => (e.type === 'scan' ? [e.scan] : [])).at(-1);
    expect(scanEvent && 'view' in scanEvent).toBe(false);
  });

  it("says when a command card opened a workflow, so other screens follow a card and never a screen opening its own session", async () => {
    const { events, worker } = await workerAtTinyStation(stores);
    const opened = () => events.flatMap((e) => (e.type === 'workflow.state' && e.view.open ? [{ workflow: e.view.workflow, byCard: e.byCard ?? false }] : []));

    // A screen opening its own workflow (the pick screen, then the putaway screen after it): no one follows.
    await worker.call('workflow.open', { workflow: 'pick' });
    await worker.call('workflow.open', { workflow: 'putaway' });
    expect(opened()).toEqual([
      { workflow: 'pick', byCard: false },
      { workflow: 'putaway', byCard: false },
    ]);
    // The pick card scanned: the pick screen is where the scans go now, and the putaway screen follows it.
    events.length = 0;
    expect(await worker.call('scan.submit', { raw: 'CMD-PICK' })).toMatchObject({ ok: true, value: { workflow: 'pick' } });
    expect(opened()).toEqual([{ workflow: 'pick', byCard: true }]);
  });
});
