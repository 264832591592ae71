import fc from 'fast-check';
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { HidScanner, type HidHandle } from '../../drivers/scanner/hid';
import { BootKeyboardDecoder, encodeBootKeyboard } from '../../drivers/scanner/hid-keyboard';
import { HID_POS_LAYOUTS, HidPosAssembler, encodeHidPos } from '../../drivers/scanner/hid-pos';
import type { Scan } from '../../vocabulary/codes/scan';

const hex = (s: string) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, '').padEnd(128, '0'), 'hex'));

/** A 64-byte HID POS report as a Honeywell-style scanner sends it for an EAN-13: id 2, length 13, `]E0`, data, flags 0. */
const EAN13_REPORT = hex('02 0d 5d4530 34303036333831333333393331');

/** A GS1 DataMatrix of 70 characters in two reports; the first has the continuation flag set in byte 63. */
const GS1_DM = `010735000000000917261231` + `10LOT-2026-11-23-A\x1d21SN-000000000000001`;
function twoReports(): Uint8Array[] {
  const data = Buffer.from(GS1_DM, 'latin1');
  const first = new Uint8Array(64);
  first.set([0x02, 56, 0x5d, 0x64, 0x32]);
  first.set(data.subarray(0, 56), 5);
  first[63] = 0x01;
  const second = new Uint8Array(64);
  second.set([0x02, data.length - 56, 0x5d, 0x64, 0x32]);
  second.set(data.subarray(56), 5);
  return [first, second];
}

class FakeDevice extends EventEmitter implements HidHandle {
  closed = false;
  close(): void {
    this.closed = true;
  }
}

function scannerWith(mode: 'pos' | 'keyboard', layout?: 'sv' | 'us') {
  const devices: FakeDevice[] = [];
  let fail = false;
  const s = new HidScanner({ path: '/dev/hidraw-test', mode, keyboardLayout: layout }, async () => {
    if (fail) throw new Error('no such device');
    const d = new FakeDevice();
    devices.push(d);
    return d;
  });
  const scans: Scan[] = [];
  const states: string[] = [];
  s.on('scan', (x) => scans.push(x));
  s.on('status', (x) => states.push(x.state));
  return { s, scans, states, devices, setFail: (f: boolean) => (fail = f) };
}

const until = async (check: () => boolean, ms = 3000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('HID POS reports', () => {
  it('reads a recorded EAN-13 report with its AIM identifier', () => {
    const a = new HidPosAssembler(HID_POS_LAYOUTS.standard!);
    const { scan } = a.push(EAN13_REPORT);
    expect(Buffer.from(scan!.data).toString('latin1')).toBe('4006381333931');
    expect(scan!.aim).toBe(']E0');
  });

  it('joins a scan that continues over several reports', () => {
    const a = new HidPosAssembler(HID_POS_LAYOUTS.standard!);
    const [r1, r2] = twoReports();
    expect(a.push(r1!).scan).toBeNull();
    const { scan } = a.push(r2!);
    expect(Buffer.from(scan!.data).toString('latin1')).toBe(GS1_DM);
    expect(scan!.aim).toBe(']d2');
  });

  it('ignores reports of another layout and survives any bytes', () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ minLength: 0, maxLength: 70 }), { maxLength: 10 }), (reports) => {
        const a = new HidPosAssembler(HID_POS_LAYOUTS.standard!);
        for (const r of reports) a.push(r);
      }),
    );
  });

  it('round-trips any data through the layouts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.constantFrom('standard', 'plain'), (data, name) => {
        const layout = HID_POS_LAYOUTS[name]!;
        const a = new HidPosAssembler(layout);
        const out = encodeHidPos(layout, data, ']C1').map((r) => a.push(r).scan).filter(Boolean);
        expect(out).toHaveLength(1);
        expect(out[0]!.data).toEqual(data);
      }),
    );
  });
});

describe('HID keyboard scanners', () => {
  it('decodes boot reports with the Swedish and the US layout', () => {
    for (const layout of ['sv', 'us'] as const) {
      const d = new BootKeyboardDecoder(layout);
      const text = layout === 'sv' ? 'BOD-H-01-02-3' : 'A100003';
      const out = encodeBootKeyboard(text, layout).map((r) => d.push(r)).filter((x) => x !== null);
      expect(out).toEqual([text]);
    }
    // The same key gives different characters: usage 0x38 is `-` in Sweden and `/` in the US.
    const sv = new BootKeyboardDecoder('sv');
    const us = new BootKeyboardDecoder('us');
    const reports = [Uint8Array.of(0, 0, 0x38, 0, 0, 0, 0, 0), new Uint8Array(8), Uint8Array.of(0, 0, 0x28, 0, 0, 0, 0, 0)];
    expect(reports.map((r) => sv.push(r)).at(-1)).toBe('-');
    expect(reports.map((r) => us.push(r)).at(-1)).toBe('/');
  });

  it('reads GS sent as Ctrl+] and Swedish letters', () => {
    const d = new BootKeyboardDecoder('sv');
    const text = '10LÅDA\x1d21ÖÄ';
    expect(encodeBootKeyboard(text, 'sv').map((r) => d.push(r)).filter((x) => x !== null)).toEqual([text]);
  });

  it('round-trips random scanner text on both layouts', () => {
    const chars = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-.';
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...chars.split('')), minLength: 1, maxLength: 40 }), fc.constantFrom('sv', 'us'), (text, layout) => {
        const d = new BootKeyboardDecoder(layout as 'sv' | 'us');
        expect(encodeBootKeyboard(text, layout as 'sv' | 'us').map((r) => d.push(r)).filter((x) => x !== null)).toEqual([text]);
      }),
    );
  });
});

describe('HID scanner device', () => {
  it('turns data events into decoded scans', async () => {
    const { s, scans, devices } = scannerWith('pos');
    s.start();
    await until(() => devices.length === 1);
    devices[0]!.emit('data', Buffer.from(EAN13_REPORT));
    for (const r of twoReports()) devices[0]!.emit('data', Buffer.from(r));
    expect(scans.map((x) => [x.source, x.symbology, x.decoded.ok && x.decoded.value.content.kind])).toEqual([
      ['hid-pos', 'ean13', 'gtin'],
      ['hid-pos', 'gs1-datamatrix', 'gs1'],
    ]);
    await s.stop();
  });

  it('reopens the device after an error, and keeps trying while it is gone', async () => {
    const { s, scans, states, devices, setFail } = scannerWith('keyboard', 'sv');
    s.start();
    await until(() => devices.length === 1);
    setFail(true);
    devices[0]!.emit('error', new Error('could not read from HID device'));
    expect(devices[0]!.closed).toBe(true);
    await until(() => states.filter((x) => x === 'disconnected').length >= 2);
    setFail(false);
    const back = Date.now();
    await until(() => devices.length === 2 && states.at(-1) === 'open', 2000);
    expect(Date.now() - back).toBeLessThan(2000);
    for (const r of encodeBootKeyboard('I0100002', 'sv')) devices[1]!.emit('data', Buffer.from(r));
    expect(scans.map((x) => x.text)).toEqual(['I0100002']);
    await s.stop();
  });
});
