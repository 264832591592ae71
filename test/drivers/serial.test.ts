import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { Framer, SUFFIX_BYTES, type Suffix } from '../../drivers/scanner/framing';
import type { Scan } from '../../vocabulary/codes/scan';
import { REOPEN_MS, SerialScanner, type DeviceStatus } from '../../drivers/scanner/serial';
import { tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';

describe('serial framing', () => {
  it('gives back exactly the scans sent, however the bytes are split into chunks', () => {
    const scan = fc.string({ unit: fc.constantFrom(...'0123456789ABCIDEFÅÄÖ-]\x1d'.split('')), minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(fc.constantFrom<Suffix>('CR', 'LF', 'CRLF', 'ETX'), fc.array(scan, { minLength: 1, maxLength: 8 }), fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1 }), (suffix, scans, cuts) => {
        const bytes = Buffer.concat(scans.map((s) => Buffer.concat([Buffer.from(s, 'utf8'), Buffer.from(SUFFIX_BYTES[suffix as Exclude<Suffix, 'none'>])])));
        const framer = new Framer({ suffix, prefix: '' });
        const out: string[] = [];
        for (let at = 0, i = 0; at < bytes.length; i++) {
          const n = cuts[i % cuts.length]!;
          out.push(...framer.push(bytes.subarray(at, at + n), i).scans);
          at += n;
        }
        expect(out).toEqual(scans);
      }),
    );
  });

  it('ends a scan after a pause when the scanner sends no suffix, and strips a prefix', () => {
    const f = new Framer({ suffix: 'none', prefix: '#', interByteTimeoutMs: 30 });
    expect(f.push(Buffer.from('#I01'), 0).scans).toEqual([]);
    expect(f.push(Buffer.from('00002'), 10).scans).toEqual([]);
    expect(f.flush(20).scans).toEqual([]);
    expect(f.flush(45).scans).toEqual(['I0100002']);
    expect(f.push(Buffer.from('#A100003'), 100).scans).toEqual([]);
    expect(f.push(Buffer.from('#BOD-H-01'), 200).scans).toEqual(['A100003']);
  });
});

describe('serial scanner on a real pty pair', () => {
  let pty: PtyPair | null = null;
  let scanner: SerialScanner | null = null;
  afterEach(async () => {
    await scanner?.stop();
    await pty?.unplug().catch(() => undefined);
    scanner = null;
    pty = null;
  });

  const collect = (s: SerialScanner) => {
    const scans: Scan[] = [];
    const statuses: DeviceStatus[] = [];
    s.on('scan', (x) => scans.push(x));
    s.on('status', (x) => statuses.push(x));
    return { scans, statuses };
  };
  const until = async (check: () => boolean, ms = 3000) => {
    const end = Date.now() + ms;
    while (!check()) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 10));
    }
  };

  it('turns bytes on the line into decoded scans, garbage into a typed error', async () => {
    pty = await ptyPair(tempDir());
    scanner = new SerialScanner({ path: pty.station, baudRate: 9600, framing: { suffix: 'CRLF' } });
    const { scans, statuses } = collect(scanner);
    scanner.start();
    await until(() => statuses.some((s) => s.state === 'open'));
    pty.write(']C1010735000000000910LOT1\x1d21SN7\r\n');
    pty.write('I01');
    pty.write('00002\r\n');
    pty.write('\x07\x08\xff\r\n');
    await until(() => scans.length === 3);
    expect(scans[0]).toMatchObject({ source: 'serial', symbology: 'gs1-128', decoded: { ok: true, value: { content: { kind: 'gs1', ai: { '01': '07350000000009', '10': 'LOT1', '21': 'SN7' } } } } });
    expect(scans[1]).toMatchObject({ text: 'I0100002', decoded: { ok: true, value: { content: { kind: 'individual', number: 'I0100002' } } } });
    expect(scans[2]).toMatchObject({ decoded: { ok: false, error: { code: 'scan.garbage' } } });
  });

  it('works again at its next try after the scanner is unplugged and plugged back in, trying every half second', async () => {
    pty = await ptyPair(tempDir());
    scanner = new SerialScanner({ path: pty.station, baudRate: 115200, framing: { suffix: 'CR' } });
    const { scans, statuses } = collect(scanner);
    scanner.start();
    await until(() => statuses.at(-1)?.state === 'open');
    pty.write('A100003\r');
    await until(() => scans.length === 1);

    await pty.unplug();
    // The unplug is seen when the line's end reports it; a deadline only keeps a broken driver from hanging here (a loaded machine runs late).
    await until(() => statuses.at(-1)?.state !== 'open', 20_000);
    await pty.plug();
    const plugged = statuses.length;
    // Not a stopwatch (a loaded machine runs late): the scanner tries again every REOPEN_MS, and the
    // first try that starts after the port is back opens it; at most one try begun before fails.
    expect(REOPEN_MS).toBeLessThanOrEqual(500);
    await until(() => statuses.at(-1)?.state === 'open', 20_000);
    expect(statuses.slice(plugged).filter((s) => s.state === 'disconnected').length).toBeLessThanOrEqual(1);
    pty.write('BOD-H-01-02-3\r');
    await until(() => scans.length === 2);
    expect(scans[1]).toMatchObject({ decoded: { ok: true, value: { content: { kind: 'location', code: 'BOD-H-01-02-3' } } } });
  });

  it('keeps trying, without crashing, when the port does not exist', async () => {
    scanner = new SerialScanner({ path: '/dev/does-not-exist', baudRate: 9600, framing: { suffix: 'CR' } });
    const { statuses } = collect(scanner);
    scanner.start();
    await until(() => statuses.filter((s) => s.state === 'disconnected').length >= 2);
    expect(statuses.at(-1)).toMatchObject({ state: expect.stringMatching(/disconnected|connecting/) });
  });
});
