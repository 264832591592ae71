/** Reconditioning by scanning: a returned device through a wash batch, a failed inspection, a repair, release onto a shelf. */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../api/station';
import type { WebServer } from '../../api/web';
import { signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn } from './browser';

let station: Station;
let web: WebServer;
let page: Page;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ station, web, page, close } = await browserStation({ dataDir: tempDir('depot-e2e-service-') }));
});
afterAll(() => close?.());

describe('reconditioning in browser mode', () => {
  it('takes a returned device through washing, inspection and repair to a shelf, by scanning', async () => {
    const q = <T>(sql: string, ...p: unknown[]) => station.store.sqlite.prepare(sql).get(...p) as T;
    const ind = q<{ id: string; n: string }>("select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and i.location_id is null limit 1");
    const worker = await signedIn(station.api, 'warehouse_worker');
    expect((await worker.call('returns.receive', { individualId: ind.id, missing: [], priority: 'urgent' })).ok).toBe(true);
    const shelf = q<{ code: string }>("select l.code from locations l join station s on s.site_id = l.site_id where l.kind = 'shelf' and l.level = 'bin' order by l.code limit 1");

    await signIn(page, web.openUrl, 'Anders Björk', '3331');
    await page.getByRole('link', { name: 'Rekond', exact: true }).click();
    await expect.poll(() => page.getByTestId('service-board').textContent()).toContain(ind.n);
    const scan = async (code: string) => {
      const field = page.getByLabel(/Skriv en kod/);
      await field.fill(code);
      await field.press('Enter');
    };
    await scan(ind.n);
    await page.getByRole('button', { name: 'Till disk' }).click();
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('Väntar på disk');
    // Out of order is refused with what must happen first.
    expect(await station.api.call({ name: 'service.step', input: { individualId: ind.id, action: { kind: 'release' } }, session: (await signedIn(station.api, 'technician')).session })).toMatchObject({
      ok: false,
      error: { code: 'service.out_of_order', message: { sv: expect.stringContaining('Den ska rengöras först.') } },
    });

    await page.getByRole('button', { name: 'Starta diskomgång' }).click();
    await expect.poll(() => page.getByTestId('prompt').textContent()).toContain('Disk 1');
    await scan(ind.n);
    await expect.poll(() => page.getByTestId('wash-items').textContent()).toContain(ind.n);
    await expectAccessible(page, 'wash batch');
    await page.getByRole('button', { name: /Stäng diskomgången/ }).click();
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('1 individ rengjord');

    await scan(ind.n);
    await page.getByRole('button', { name: 'Kontroll underkänd' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Starta reparation' }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Starta reparation' }).click();
    await page.getByRole('button', { name: 'Reparation klar' }).click();
    await page.getByRole('button', { name: 'Friklassa och ställ på hylla' }).click();
    await expect.poll(() => page.getByTestId('prompt').textContent()).toBe('Skanna hyllplatsen den ställs på.');
    await scan(shelf.code);
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('Klar');
    await expectAccessible(page, 'service');
    expect(q('select l.code, i.status from individuals i join locations l on l.id = i.location_id where i.id = ?', ind.id)).toEqual({ code: shelf.code, status: 'in_stock' });
    const events = station.store.sqlite.prepare("select e.action from service_events e join service_jobs j on j.id = e.job_id where j.individual_id = ? order by e.at, e.rowid").all(ind.id) as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(['open', 'send_to_cleaning', 'clean', 'inspect', 'start_repair', 'finish_repair', 'release']);
    await expect.poll(() => page.getByTestId('service-board').textContent()).not.toContain(ind.n);
  });
});
