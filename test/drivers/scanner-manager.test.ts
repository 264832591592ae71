/**
 * The station's scanners follow their settings: a scanner whose settings change is stopped and
 * started again with the new ones, one left as it was keeps running, one removed is stopped.
 * Each scanner is on a real serial line (a socat pty pair).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { deviceLabel, ScannerManager, type ScannerSetting, type ScannerState } from '../../drivers/scanner/manager';
import { tempDir } from '../helpers';
import { ptyPair, type PtyPair } from '../pty';

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
};

let manager: ScannerManager | null = null;
const lines: PtyPair[] = [];
afterEach(async () => {
  await manager?.stop();
  manager = null;
  for (const l of lines.splice(0)) await l.unplug().catch(() => undefined);
});

type SerialSetting = Extract<ScannerSetting, { kind: 'serial' }>;

const serial = (id: string, line: PtyPair, framing: SerialSetting['framing']): SerialSetting => ({
  id,
  name: `Skanner ${id}`,
  kind: 'serial',
  path: line.station,
  baudRate: 9600,
  framing,
  enabled: true,
});

describe('the station’s scanners when their settings change', () => {
  it('restarts a changed scanner with its new settings, keeps an unchanged one running, and stops a removed one', async () => {
    const [a, b, c] = await Promise.all([ptyPair(tempDir()), ptyPair(tempDir()), ptyPair(tempDir())]);
    lines.push(a!, b!, c!);
    manager = new ScannerManager();
    const scans: { scannerId: string; text: string }[] = [];
    const statuses: ScannerState[] = [];
    manager.on('scan', (s) => scans.push({ scannerId: s.scannerId, text: s.text }));
    manager.on('status', (s) => statuses.push(s));
    const stateOf = (id: string) => manager!.states().find((s) => s.id === id)?.state;
    const seen = (id: string) => statuses.filter((s) => s.id === id).map((s) => s.state);
    const scanned = (scannerId: string, text: string) => scans.some((s) => s.scannerId === scannerId && s.text === text);

    const changed = serial('changed', a!, { suffix: 'CRLF' });
    const kept = serial('kept', b!, { suffix: 'CR' });
    const removed = serial('removed', c!, { suffix: 'CR' });
    await manager.apply([changed, kept, removed]);
    await until(() => ['changed', 'kept', 'removed'].every((id) => stateOf(id) === 'open'));
    a!.write('A100001\r\n');
    b!.write('A100002\r');
    c!.write('A100003\r');
    await until(() => scanned('changed', 'A100001') && scanned('kept', 'A100002') && scanned('removed', 'A100003'));
    const before = { kept: seen('kept').length, removed: seen('removed').length, changed: seen('changed').length };

    // The first scanner now sends a prefix and ends each scan with ETX; the third is taken away.
    await manager.apply([{ ...changed, framing: { suffix: 'ETX', prefix: '#' } }, kept]);
    expect(seen('removed').slice(before.removed)).toEqual(['stopped']);
    expect(manager.states().map((s) => s.id).sort()).toEqual(['changed', 'kept']);
    await until(() => stateOf('changed') === 'open');
    // Stopped, then started again: the new framing is the one that reads the line.
    expect(seen('changed').slice(before.changed)).toEqual(['stopped', 'connecting', 'open']);
    a!.write('#A100004\x03');
    await until(() => scanned('changed', 'A100004'));
    // The unchanged scanner was never touched, and reads on.
    b!.write('A100005\r');
    await until(() => scanned('kept', 'A100005'));
    expect(seen('kept').slice(before.kept)).toEqual([]);
    expect(stateOf('kept')).toBe('open');
    // Nothing reads the removed scanner's line any more.
    c!.write('A100006\r');
    b!.write('A100007\r');
    await until(() => scanned('kept', 'A100007'));
    expect(scans.filter((s) => s.scannerId === 'removed').map((s) => s.text)).toEqual(['A100003']);
  });
});

describe('a device plugged in, as the scanner settings list it', () => {
  it('is named by what it says of itself, and by its path alone when it says nothing more', () => {
    expect(deviceLabel('/dev/ttyUSB0', 'Zebra', 'S123')).toBe('Zebra S123');
    expect(deviceLabel('/dev/ttyS0', undefined, undefined)).toBeNull();
    expect(deviceLabel('/dev/ttyS0', '', '  ')).toBeNull();
    expect(deviceLabel('/dev/ttyS0', '/dev/ttyS0')).toBeNull();
  });
});
