/** Printing end to end: a printer set up on screen, a label printed from a location, the queue and its preview. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queries, tempDir } from '../helpers';
import { PrinterEmulator } from '../printer-emulator';
import { browserStation, expectAccessible, signIn, type BrowserStation, openFromMenu } from './browser';

let at: BrowserStation;
let printer: PrinterEmulator;
let port: number;

beforeAll(async () => {
  printer = new PrinterEmulator();
  port = await printer.listen();
  at = await browserStation({ dataDir: tempDir('depot-e2e-print-') });
});
afterAll(async () => {
  await at?.close();
  await printer?.close();
});

describe('printing in browser mode', () => {
  it('sets up a network printer, prints a location label, and shows the job printed with its preview', async () => {
    const { page, web, station } = at;
    const loc = queries(station.store).one<{ id: string; code: string }>("select id, code from locations where level = 'bin' order by code limit 1");
    // Printers are set up by a supervisor.
    await signIn(page, web.openUrl, 'Karin Lundberg', '4441');
    await openFromMenu(page, 'Utskrifter');
    await expect.poll(() => page.getByRole('heading', { name: 'Utskrifter', level: 1 }).isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Lägg till skrivare' }).click();
    await page.getByLabel('Adress').fill('127.0.0.1');
    await page.getByLabel('Port', { exact: true }).fill(String(port));
    // A new printer has 50×25 mm labels: a location label (100×50 mm) cannot be asked of it until its labels are that size.
    const locationLabels = page.getByRole('checkbox', { name: /Platsetikett/ });
    expect(await locationLabels.isDisabled()).toBe(true);
    await page.getByLabel('Etikettbredd (mm)').fill('100');
    await page.getByLabel('Etiketthöjd (mm)').fill('50');
    await locationLabels.check();
    expect(await page.getByRole('checkbox', { name: /Pallettikett/ }).isDisabled()).toBe(true);
    await page.getByRole('button', { name: 'Spara', exact: true }).click();
    // The GS1 details pallet labels are made from, set here by the supervisor.
    await page.getByLabel('GS1-företagsprefix (7–10 siffror)').fill('73512345');
    await page.getByLabel('Utökningssiffra (0–9)').fill('5');
    await page.getByRole('button', { name: 'Spara GS1-uppgifterna' }).click();
    await expect.poll(() => page.getByTestId('gs1-saved').textContent()).toContain('prefix 73512345, utökningssiffra 5');
    expect(JSON.parse((station.store.sqlite.prepare("select value from station_settings where key = 'gs1'").get() as { value: string }).value)).toEqual({ companyPrefix: '73512345', extensionDigit: 5 });
    await page.getByRole('button', { name: 'Kontrollera status' }).click();
    await expect.poll(() => page.getByText('är redo').isVisible()).toBe(true);
    await expectAccessible(page, 'printing');

    await page.evaluate((id) => (location.hash = `#/location/${id}`), loc.id);
    await page.getByRole('button', { name: 'Skriv ut platsetikett' }).click();
    await expect.poll(() => page.getByText('ligger i utskriftskön').isVisible()).toBe(true);
    await expect.poll(() => printer.printed.length).toBe(1);
    expect(printer.printed[0]).toContain(`^FD${loc.code}^FS`);

    await openFromMenu(page, 'Utskrifter');
    await expect.poll(() => page.getByTestId('print-queue').locator('tbody tr').first().textContent()).toContain('Utskriven');
    await page.getByRole('button', { name: 'Förhandsvisning' }).first().click();
    await expect.poll(() => page.getByRole('img', { name: new RegExp(loc.code) }).isVisible()).toBe(true);
    await expectAccessible(page, 'printing with preview');
    expect(printer.printed).toHaveLength(1);
  });
});
