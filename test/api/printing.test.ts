import { SerialPort } from 'serialport';
import { afterEach, describe, expect, it } from 'vitest';
import { EventHub } from '../../services/events';
import { PrintService, type PrinterProfile } from '../../services/printing';
import { askStatus } from '../../drivers/printer/transport';
import type { StationDb } from '../../db/open';
import { tempDir, tinyStore } from '../helpers';
import { PrinterEmulator } from '../printer-emulator';
import { ptyPair, type PtyPair } from '../pty';

let store: StationDb | null = null;
let service: PrintService | null = null;
let emulator: PrinterEmulator | null = null;
let pty: PtyPair | null = null;
afterEach(async () => {
  await service?.stop();
  await emulator?.close();
  await pty?.unplug().catch(() => undefined);
  store?.close();
  store = service = emulator = pty = null;
});

const until = async (check: () => boolean, ms = 8000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
};

async function setUp(): Promise<{ s: PrintService; e: PrinterEmulator; printer: PrinterProfile }> {
  store = tinyStore();
  emulator = new PrinterEmulator();
  const port = await emulator.listen();
  service = new PrintService(store, new EventHub(), { backoffMs: 50, maxBackoffMs: 200, timeoutMs: 400 });
  const printer: PrinterProfile = { id: 'p1', name: 'Zebra lager', connection: { kind: 'tcp', host: '127.0.0.1', port }, dpi: 203, labelSize: { widthMm: 50, heightMm: 25 }, kinds: ['individual'] };
  service.savePrinters([printer]);
  return { s: service, e: emulator, printer };
}

const LABEL = '^XA^CI28^FO10,10^A0N,30,30^FDI0100002 åäö^FS^XZ';

describe('print queue', () => {
  it('sends a label only to a printer whose labels it fits on: a pallet label never goes to a 50×25 mm printer', async () => {
    const { s, printer } = await setUp();
    const pallets: PrinterProfile = { ...printer, id: 'p2', name: 'Zebra utlastning', labelSize: { widthMm: 100, heightMm: 150 }, kinds: ['pallet', 'location'] };
    // Saying the small printer takes pallet labels is refused, and nothing is saved.
    expect(() => s.savePrinters([{ ...printer, kinds: ['individual', 'pallet'] }])).toThrow(expect.objectContaining({ code: 'print.stock_too_small', field: 'kinds' }));
    expect(s.printers()).toEqual([printer]);
    // With only the small printer, nothing takes a pallet or location label: asked for, it is refused with both sizes; asked on the way, it waits.
    expect(s.printerTaking('pallet')).toBeNull();
    expect(() => s.printerFor('location')).toThrow(expect.objectContaining({ code: 'print.no_printer', userMessage: expect.objectContaining({ sv: expect.stringContaining('platsetikett (100×50 mm)') }) }));
    expect(() => s.printerFor('pallet', printer.id)).toThrow(expect.objectContaining({ code: 'print.stock_too_small' }));
    expect(() => s.enqueue({ printerId: printer.id, kind: 'pallet', title: 'Pall', zpl: LABEL })).toThrow(expect.objectContaining({ code: 'print.stock_too_small' }));
    s.savePrinters([printer, pallets]);
    expect(s.printerFor('pallet').id).toBe('p2');
    expect(s.printerFor('location').id).toBe('p2');
    expect(s.printerFor('individual').id).toBe('p1');
    // A printer's labels changed to smaller ones: a reprint of a pallet label on it is refused too.
    const job = s.enqueue({ printerId: 'p2', kind: 'pallet', title: 'Pall', zpl: LABEL });
    s.savePrinters([printer, { ...pallets, labelSize: { widthMm: 50, heightMm: 25 }, kinds: ['individual'] }]);
    expect(() => s.reprint(job.id, null)).toThrow(expect.objectContaining({ code: 'print.stock_too_small' }));
    expect(s.jobs()).toHaveLength(1);
  });

  it('prints a job once, in order, and keeps a reprint as a new job', async () => {
    const { s, e } = await setUp();
    const a = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'A', zpl: LABEL.replace('I0100002', 'A') });
    const b = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'B', zpl: LABEL.replace('I0100002', 'B') });
    await until(() => s.job(b.id).state === 'printed');
    expect(s.job(a.id).state).toBe('printed');
    expect(e.printed.map((p) => /FD(\w)/.exec(p)![1])).toEqual(['A', 'B']);
    s.reprint(a.id, null);
    await until(() => e.printed.length === 3);
    expect(s.jobs().filter((j) => j.reprintOf === a.id)).toHaveLength(1);
  });

  it('a printer that drops the connection mid-job: the job waits, is retried, and prints exactly once', async () => {
    const { s, e } = await setUp();
    e.dropAfterBytes = 10;
    const j = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'drop', zpl: LABEL });
    await until(() => s.job(j.id).state === 'printed');
    expect(s.job(j.id).attempts).toBeGreaterThanOrEqual(2);
    expect(e.printed).toEqual([LABEL]);
  });

  it('a printer that never answers ~HS is a fault: nothing is sent until it answers, then once', async () => {
    const { s, e } = await setUp();
    e.silent = true;
    const j = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'silent', zpl: LABEL });
    await until(() => s.job(j.id).attempts >= 2);
    expect(s.job(j.id)).toMatchObject({ state: expect.stringMatching(/waiting|printing/), lastError: expect.stringContaining('no_answer') });
    expect(e.printed).toEqual([]);
    e.silent = false;
    await until(() => s.job(j.id).state === 'printed');
    expect(e.printed).toEqual([LABEL]);
  });

  it('paper out: the job waits with the reason, and prints once when paper is back', async () => {
    const { s, e } = await setUp();
    e.status = { paperOut: true };
    const j = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'paper', zpl: LABEL });
    await until(() => (s.job(j.id).lastError ?? '').includes('paper_out'));
    expect(e.printed).toEqual([]);
    e.status = {};
    await until(() => s.job(j.id).state === 'printed');
    expect(e.printed).toEqual([LABEL]);
  });

  it('a job queued while the printer is off survives a restart of the station and prints once', async () => {
    const { s, e, printer } = await setUp();
    s.savePrinters([{ ...printer, connection: { kind: 'tcp', host: '127.0.0.1', port: 1 } }]);
    const j = s.enqueue({ printerId: 'p1', kind: 'individual', title: 'off', zpl: LABEL });
    await until(() => (s.job(j.id).lastError ?? '').includes('unreachable'));
    await s.stop();
    // A new station process on the same database, with the printer back.
    service = new PrintService(store!, new EventHub(), { backoffMs: 50, maxBackoffMs: 200, timeoutMs: 400 });
    service.savePrinters([printer]);
    await until(() => service!.job(j.id).state === 'printed');
    expect(e.printed).toEqual([LABEL]);
  });

  it('prints over a serial line (a socat pty pair), answering ~HS on the same line', async () => {
    store = tinyStore();
    pty = await ptyPair(tempDir());
    const emu = new PrinterEmulator();
    emulator = emu;
    // The printer's end of the line.
    const line = new SerialPort({ path: pty.scanner, baudRate: 9600 });
    const state = { buffer: '', jobBytes: 0 };
    line.on('data', (b: Buffer) => {
      const answer = emu.receive(state, b.toString('utf8'), () => undefined);
      if (answer) line.write(answer);
    });
    await new Promise((r) => line.once('open', r));
    service = new PrintService(store, new EventHub(), { backoffMs: 50, timeoutMs: 1000 });
    service.savePrinters([{ id: 'serial', name: 'Seriell', connection: { kind: 'serial', path: pty.station, baudRate: 9600 }, dpi: 203, labelSize: { widthMm: 50, heightMm: 25 }, kinds: ['individual'] }]);
    const j = service.enqueue({ printerId: 'serial', kind: 'individual', title: 'serial', zpl: LABEL });
    await until(() => service!.job(j.id).state === 'printed');
    expect(emu.printed).toEqual([LABEL]);
    await new Promise((r) => line.close(r));
  });

  it('asks a printer for its status', async () => {
    const { e, printer } = await setUp();
    expect(await askStatus(printer.connection)).toMatchObject({ ok: true });
    e.status = { headOpen: true };
    expect(await askStatus(printer.connection)).toMatchObject({ ok: false, fault: 'head_open' });
  });
});
