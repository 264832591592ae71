/**
 * Reconditioning by scanning: a returned device through a wash batch, an inspection by checklist
 * that finds a fault, a repair with a spare part and time, release onto a shelf; then a preventive
 * maintenance falling due keeps that device from being picked.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Station } from '../../hosts/station';
import type { WebServer } from '../../hosts/web';
import { queries, signedIn, tempDir } from '../helpers';
import { browserStation, expectAccessible, signIn, openFromMenu } from './browser';

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
    const { one } = queries(station.store);
    const ind = one<{ id: string; n: string }>("select i.id, i.individual_number as n from individuals i where i.status = 'on_loan' and i.location_id is null limit 1");
    const worker = await signedIn(station.api, 'warehouse_worker');
    expect((await worker.call('returns.receive', { individualId: ind.id, missing: [], priority: 'urgent' })).ok).toBe(true);
    const shelf = one<{ code: string }>("select l.code from locations l join station s on s.site_id = l.site_id where l.kind = 'shelf' and l.level = 'bin' order by l.code limit 1");

    await signIn(page, web.openUrl, 'Anders Björk', '3331');
    await openFromMenu(page, 'Rekond');
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

    // The inspection: the article's checklist, one point at fault with what is wrong.
    await scan(ind.n);
    await expect.poll(() => page.getByRole('heading', { name: /^Kontroll: / }).isVisible()).toBe(true);
    const points = page.locator('fieldset.question');
    const count = await points.count();
    for (let i = 0; i < count; i++) await points.nth(i).getByLabel(i === 1 ? 'Fel' : 'OK', { exact: true }).check();
    await points.nth(1).getByRole('textbox').fill('Etiketten avskavd');
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'reparation' }).isVisible()).toBe(true);
    await expectAccessible(page, 'checklist');
    await page.getByRole('button', { name: 'Registrera kontrollen' }).click();
    await expect.poll(() => page.getByRole('button', { name: 'Starta reparation' }).isVisible()).toBe(true);

    // The repair: a work order from the fault, a spare part scanned out of the spare-parts store, time, what was done.
    await page.getByRole('button', { name: 'Starta reparation' }).click();
    await expect.poll(() => page.getByTestId('work-order').textContent()).toContain('Etiketten avskavd');
    const part = one<{ id: string; gtin: string; location_id: string; quantity: number }>(
      "select a.id, g.gtin, b.location_id, b.quantity from articles a join article_gtins g on g.article_id = a.id join balances b on b.article_id = a.id join locations l on l.id = b.location_id where l.kind = 'spare_parts' order by b.quantity desc limit 1",
    );
    await expect.poll(() => page.getByTestId('prompt').textContent()).toContain('reservdelens streckkod');
    await scan(part.gtin);
    await expect.poll(() => page.getByTestId('work-order-parts').textContent()).toContain('1 ×');
    // One scan too many: undo puts that part back.
    await scan(part.gtin);
    await expect.poll(() => page.getByTestId('work-order-parts').locator('li').count()).toBe(2);
    await page.getByRole('button', { name: 'Ångra senaste' }).click();
    await expect.poll(() => page.getByTestId('work-order-parts').locator('li').count()).toBe(1);
    expect(one<{ quantity: number }>('select quantity from balances where article_id = ? and location_id = ?', part.id, part.location_id).quantity).toBe(part.quantity - 1);
    await page.getByLabel('Minuter').fill('20');
    await page.getByRole('button', { name: 'Lägg till tid' }).click();
    await expect.poll(() => page.getByTestId('work-order').textContent()).toContain('Tid: 20 min');
    await page.getByLabel('Åtgärd: vad gjordes?').fill('Ny individetikett');
    await page.getByRole('button', { name: 'Reparation klar' }).click();
    await page.getByRole('button', { name: 'Friklassa och ställ på hylla' }).click();
    await expect.poll(() => page.getByTestId('prompt').textContent()).toBe('Skanna hyllplatsen den ställs på.');
    await scan(shelf.code);
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain('Klar');
    await expectAccessible(page, 'service');
    expect(one('select l.code, i.status from individuals i join locations l on l.id = i.location_id where i.id = ?', ind.id)).toEqual({ code: shelf.code, status: 'in_stock' });
    const events = station.store.sqlite.prepare("select e.action from service_events e join service_jobs j on j.id = e.job_id where j.individual_id = ? order by e.at, e.rowid").all(ind.id) as { action: string }[];
    expect(events.map((e) => e.action)).toEqual(['open', 'send_to_cleaning', 'clean', 'inspect', 'start_repair', 'finish_repair', 'release']);
    await expect.poll(() => page.getByTestId('service-board').textContent()).not.toContain(ind.n);
    const wo = one<{ number: string; state: string; minutes: number; actions: string }>('select number, state, minutes, actions from work_orders where individual_id = ?', ind.id);
    expect(wo).toMatchObject({ state: 'done', minutes: 20, actions: 'Ny individetikett' });
    // Two parts out, one put back by the undo: one part net, all under the order's number.
    expect(one("select sum(case reason when 'spare_part' then 1 when 'correction' then -1 end) as net, min(order_ref) as ref from movements where article_id = ? and order_ref = ?", part.id, wo.number)).toEqual({ net: 1, ref: wo.number });

    // Its whole history, on its page: the inspection's answers, the part, the time, the action; and as a PDF.
    await page.evaluate((h) => (location.hash = h), `#/individual/${ind.id}`);
    await expect.poll(() => page.getByTestId('timeline').textContent()).toContain('Etiketten avskavd');
    const story = (await page.getByTestId('timeline').textContent())!;
    for (const words of ['Kontroll underkänd', `Arbetsorder ${wo.number} öppnad`, 'reservdel 1 ×', '20 min arbete', 'åtgärd – Ny individetikett', 'Friklassad']) expect(story).toContain(words);
    await page.getByRole('button', { name: 'Spara som PDF' }).click();
    expect(await page.getByTestId('timeline-pdf').getAttribute('href')).toMatch(/^data:application\/pdf;base64,JVBER/);
    await expectAccessible(page, 'timeline');
  });

  it('keeps a device whose preventive maintenance falls due from being picked, and says why', async () => {
    const { one } = queries(station.store);
    const siteId = one<{ site_id: string }>('select site_id from station').site_id;
    // A device on a shelf here whose yearly check is now due: a plan of its family it has never had.
    const ind = one<{ id: string; n: string; article_id: string; iso: string }>(
      `select i.id, i.individual_number as n, i.article_id, a.iso_code as iso from individuals i join articles a on a.id = i.article_id join locations l on l.id = i.location_id
       where i.site_id = ? and i.status = 'in_stock' and l.kind in ('shelf', 'floor') order by i.individual_number limit 1`,
      siteId,
    );
    station.store.sqlite.prepare("insert into maintenance_plans (id, name, iso_prefix, interval_days) values ('e2e-plan', 'Årlig besiktning', ?, 1)").run(ind.iso);
    const day = new Date(Date.now() + 3 * 86_400_000).toISOString().slice(0, 10);
    station.store.sqlite
      .prepare("insert into customer_orders (id, order_ref, customer_ref, delivery_point, municipality, route, delivery_day, placed_at, site_id) values ('e2e-o', 'KO-0088001', 'KST-1', 'Bodens vårdcentral', 'Boden', 'Rutt Underhåll', ?, ?, ?)")
      .run(day, Date.parse(`${day}T08:00:00`) - 10 * 86_400_000, siteId);
    station.store.sqlite.prepare("insert into customer_order_lines (id, customer_order_id, line_no, article_id, quantity) values ('e2e-l', 'e2e-o', 1, ?, 1)").run(ind.article_id);

    await page.evaluate(() => (location.hash = '#/pick'));
    const field = page.getByLabel(/Skriv en kod/);
    await field.fill('KO-0088001');
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('pick-lines-KO-0088001').isVisible()).toBe(true);
    await field.fill(ind.n);
    await field.press('Enter');
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain(`${ind.n}: Årlig besiktning ska göras senast`);
    expect(one('select status from individuals where id = ?', ind.id)).toEqual({ status: 'in_stock' });
  });

  it('takes in a repair of a municipality-owned device and closes it; supervisors see the workshop in figures', async () => {
    const { one } = queries(station.store);
    await page.evaluate(() => (location.hash = '#/service'));
    await page.getByText('Ny arbetsorder (hjälpmedel ute)').first().click();
    await page.getByLabel('Kommunens eget hjälpmedel').check();
    await page.getByLabel('Hjälpmedel (typ, fabrikat, serienummer)').fill('Duschpall, kommunens, serienr K-118');
    await page.getByLabel('Ägare', { exact: true }).fill('Luleå kommun');
    await page.getByLabel('Vad är fel?').fill('Ett ben glappar');
    await page.getByRole('button', { name: 'Skapa arbetsorder' }).click();
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toMatch(/Arbetsorder AO-\w+-\d+ skapad/);
    await expect.poll(() => page.getByTestId('service-board').textContent()).toContain('Duschpall, kommunens');
    await page.getByLabel('Åtgärd: vad gjordes?').fill('Bytt benfäste');
    await page.getByRole('button', { name: 'Avsluta arbetsordern' }).click();
    await expect.poll(() => page.getByTestId('service-board').textContent()).not.toContain('Duschpall, kommunens');
    expect(one("select state, owner, actions from work_orders where device like 'Duschpall, kommunens%'")).toEqual({ state: 'done', owner: 'Luleå kommun', actions: 'Bytt benfäste' });

    // A worn-out device is scrapped: why, and how it is disposed of.
    const worn = one<{ id: string; n: string }>(
      "select i.id, i.individual_number as n from service_jobs j join individuals i on i.id = j.individual_id where j.closed_at is null and j.state = 'cleaned' order by i.individual_number limit 1",
    );
    const field = page.getByLabel(/Skriv en kod/);
    await field.fill(worn.n);
    await field.press('Enter');
    await page.getByRole('button', { name: 'Kassera', exact: true }).click();
    await page.getByLabel('Varför kasseras den?').fill('Ramen sprucken');
    await page.getByLabel('Omhändertagande').selectOption({ label: 'Metallåtervinning' });
    await expectAccessible(page, 'scrap');
    await page.getByRole('button', { name: 'Kassera', exact: true }).last().click();
    await expect.poll(() => page.getByTestId('workflow-feedback').textContent()).toContain(`${worn.n}: nu Kasserad`);
    expect(one('select status from individuals where id = ?', worn.id)).toEqual({ status: 'scrapped' });

    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Verkstadens nyckeltal');
    await expect.poll(() => page.getByTestId('chart-throughput').isVisible()).toBe(true);
    await expect.poll(() => page.getByTestId('chart-throughput').locator('.recharts-bar-rectangle').count()).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('queue-figures').textContent()).toContain('Rengjord');
    await expect.poll(() => page.getByTestId('scrap-rate').locator('tbody tr').count()).toBeGreaterThan(0);
    await expectAccessible(page, 'workshop figures');
  });

  it('keeps the workshop’s checklists, plans and training, saying who changed them, and queues each change for the register', async () => {
    const { one } = queries(station.store);
    const queued = (kind: string) => one<{ n: number }>("select count(*) as n from outbox where kind = 'entities' and payload like ?", `%["${kind}",%`).n;
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Anders Björk', '3331');
    await page.evaluate(() => (location.hash = '#/workshop-data'));
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Verkstadsdata');

    // A technician writes a checklist for an ISO class, question by question.
    await page.getByRole('button', { name: 'Ny kontrollista' }).click();
    const form = page.getByRole('form', { name: 'Ny kontrollista' });
    await form.getByLabel('Namn').fill('Duschstolar');
    await form.getByLabel(/ISO-klass/).fill('0933');
    await form.getByLabel('Fråga 1 på svenska').fill('Benen låser');
    await form.getByLabel('Fråga 1 på engelska').fill('The legs lock');
    await form.getByRole('button', { name: 'Lägg till fråga' }).click();
    await form.getByLabel('Fråga 2 på svenska').fill('Sitsen är hel');
    await form.getByLabel('Fråga 2 på engelska').fill('The seat is whole');
    await expectAccessible(page, 'workshop data, a new checklist');
    await form.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('workshop-note').textContent()).toBe('Kontrollistan Duschstolar är sparad.');
    const row = page.getByTestId('checklists').getByRole('row', { name: /Duschstolar/ });
    await expect.poll(() => row.textContent()).toMatch(/ISO-klass 0933.*2.*Anders Björk/);
    expect(JSON.parse(one<{ q: string }>("select questions as q from inspection_checklists where name = 'Duschstolar'").q)).toMatchObject([{ sv: 'Benen låser', en: 'The legs lock' }, { sv: 'Sitsen är hel' }]);
    expect(queued('checklist')).toBe(1);

    // A plan without an interval is refused in words the technician can act on; with one, it is saved, then retired after asking.
    await page.getByRole('button', { name: 'Ny underhållsplan' }).click();
    const plan = page.getByRole('form', { name: 'Ny underhållsplan' });
    await plan.getByLabel('Namn').fill('Duschstol, årlig kontroll');
    await plan.getByLabel('ISO-klass').fill('0933');
    await plan.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('Ange hur ofta');
    expect(one("select count(*) as n from maintenance_plans where name = 'Duschstol, årlig kontroll'")).toEqual({ n: 0 });
    await plan.getByLabel('Var så många dagar').fill('365');
    await plan.getByRole('button', { name: 'Spara' }).click();
    await expect.poll(() => page.getByTestId('plans').textContent()).toContain('var 365:e dag');
    await page.getByRole('button', { name: 'Ändra Duschstol, årlig kontroll' }).click();
    await page.getByRole('button', { name: 'Avveckla' }).click();
    await page.getByRole('button', { name: 'Ja, avveckla' }).click();
    await expect.poll(() => page.getByTestId('plans').textContent()).toContain('Duschstol, årlig kontroll (avvecklad)');
    expect(queued('maintenance_plan')).toBe(2);

    // Who is trained for what is a supervisor's to say: the technician only reads it.
    await expect.poll(() => page.getByText('En arbetsledare anger vem som är utbildad för vad.').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Logga ut' }).click();
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await page.evaluate(() => (location.hash = '#/workshop-data'));
    const trained = page.getByLabel('ISO-klasser som Anders Björk är utbildad för');
    await trained.fill('1223, 0933');
    await page.getByRole('button', { name: 'Spara Anders Björk' }).click();
    await expect.poll(() => page.getByTestId('workshop-note').textContent()).toBe('Sparat: vad Anders Björk är utbildad för.');
    const tech = one<{ id: string }>("select id from users where name = 'Anders Björk'").id;
    expect(station.store.sqlite.prepare('select iso_prefix as p from technician_training where user_id = ? order by p').all(tech)).toEqual([{ p: '0933' }, { p: '1223' }]);
    await expectAccessible(page, 'workshop data, supervisor');
  });
});
