/**
 * The station's scanners: starts the configured ones, lists what is plugged in, and passes every
 * scan and every change of device state on to one listener. Nothing a device does can throw out
 * of here.
 */
import { EventEmitter } from 'node:events';
import type { Framing } from './framing';
import { HidScanner, openWithNodeHid, type OpenHid } from './hid';
import type { KeyboardLayout } from './hid-keyboard';
import type { Scan } from '../../vocabulary/codes/scan';
import { SerialScanner, type DeviceStatus } from './serial';

export type ScannerSetting =
  | { id: string; name: string; kind: 'serial'; path: string; baudRate: number; framing: Framing; enabled: boolean }
  | {
      id: string;
      name: string;
      kind: 'hid';
      path: string;
      mode: 'pos' | 'keyboard';
      posLayout?: 'standard' | 'plain';
      keyboardLayout?: KeyboardLayout;
      enabled: boolean;
    };

export interface AvailableDevice {
  kind: 'serial' | 'hid';
  path: string;
  /** Manufacturer and product, as the device names itself; null when it names nothing but its path. */
  label: string | null;
  /** For HID: a HID POS scanner (usage page 0x8C) or a keyboard. */
  hidMode?: 'pos' | 'keyboard';
}

export interface ScannerState extends DeviceStatus {
  id: string;
  name: string;
}

interface Events {
  scan: [Scan & { scannerId: string }];
  status: [ScannerState];
}

type Running = { setting: ScannerSetting; device: SerialScanner | HidScanner };

export class ScannerManager extends EventEmitter<Events> {
  private running = new Map<string, Running>();

  constructor(private readonly openHid: OpenHid = openWithNodeHid) {
    super();
  }

  /** Starts, stops and restarts scanners so that exactly the enabled settings run. */
  async apply(settings: readonly ScannerSetting[]): Promise<void> {
    const wanted = new Map(settings.filter((s) => s.enabled).map((s) => [s.id, s]));
    for (const [id, r] of this.running) {
      const next = wanted.get(id);
      if (!next || JSON.stringify(next) !== JSON.stringify(r.setting)) {
        this.running.delete(id);
        await r.device.stop();
      }
    }
    for (const [id, setting] of wanted) {
      if (this.running.has(id)) continue;
      const device =
        setting.kind === 'serial'
          ? new SerialScanner({ path: setting.path, baudRate: setting.baudRate, framing: setting.framing })
          : new HidScanner(
              { path: setting.path, mode: setting.mode, posLayout: setting.posLayout, keyboardLayout: setting.keyboardLayout },
              this.openHid,
            );
      device.on('scan', (scan) => this.emit('scan', { ...scan, scannerId: id }));
      device.on('status', (status) => this.emit('status', { ...status, id, name: setting.name }));
      this.running.set(id, { setting, device });
      device.start();
    }
  }

  states(): ScannerState[] {
    return [...this.running.values()].map(({ setting, device }) => ({ ...device.status, id: setting.id, name: setting.name }));
  }

  async stop(): Promise<void> {
    await this.apply([]);
  }
}

/** A device's own name from its parts, or null when it has none beyond its path (a port listed as "/dev/ttyS0 /dev/ttyS0"). */
export function deviceLabel(path: string, ...parts: (string | undefined)[]): string | null {
  const label = parts.map((p) => p?.trim()).filter(Boolean).join(' ');
  return label && label !== path ? label : null;
}

/** What is plugged in: serial ports and HID scanners. A failure to look is an empty list and a reason. */
export async function listDevices(): Promise<{ devices: AvailableDevice[]; problems: string[] }> {
  const devices: AvailableDevice[] = [];
  const problems: string[] = [];
  try {
    const { SerialPort } = await import('serialport');
    for (const p of await SerialPort.list())
      devices.push({ kind: 'serial', path: p.path, label: deviceLabel(p.path, p.manufacturer, p.serialNumber) });
  } catch (e) {
    problems.push(`serial: ${(e as Error).message}`);
  }
  try {
    const HID = await import('node-hid');
    for (const d of await HID.devicesAsync()) {
      const pos = d.usagePage === 0x8c;
      const keyboard = d.usagePage === 0x01 && d.usage === 0x06;
      if (!d.path || (!pos && !keyboard)) continue;
      devices.push({ kind: 'hid', path: d.path, label: deviceLabel(d.path, d.manufacturer, d.product), hidMode: pos ? 'pos' : 'keyboard' });
    }
  } catch (e) {
    problems.push(`hid: ${(e as Error).message}`);
  }
  return { devices, problems };
}
