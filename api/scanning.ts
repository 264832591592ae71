/**
 * Where scans meet the station: every scan, from a serial or HID scanner or from the keyboard
 * wedge in a screen, is decoded, resolved against the database and pushed to every screen as one
 * `scan` event. Also keeps the station's scanner settings and their live state.
 */
import type { Symbology } from '../drivers/scanner/aim';
import type { ScannerManager} from '../drivers/scanner/manager';
import { listDevices, type AvailableDevice, type ScannerSetting, type ScannerState } from '../drivers/scanner/manager';
import type { ScanError } from '../drivers/scanner/result';
import { toScan, type Scan, type ScanSource } from '../drivers/scanner/scan';
import type { Store } from '../db/open';
import { getSetting, putSetting } from '../db/settings';
import { resolveScan, type Resolution } from '../db/stock/resolve';
import type { EventHub } from './events';

/** A scan as the screens receive it. */
export interface ScanEvent {
  raw: string;
  symbology: Symbology;
  text: string;
  source: ScanSource;
  device: string;
  at: number;
  /** What it names, when it could be read. */
  resolution: Resolution | null;
  /** Why it could not be read. */
  error: ScanError | null;
}

export const SCANNERS_KEY = 'scanners';

export class ScanService {
  private lastScan: ScanEvent | null = null;

  constructor(
    private readonly store: Store,
    private readonly events: EventHub,
    private readonly manager: ScannerManager | null,
  ) {
    manager?.on('scan', (scan) => this.accept(scan));
    manager?.on('status', (status) => events.emit({ type: 'scanner.status', status }));
  }

  /** Starts the scanners saved for this station. */
  async start(): Promise<void> {
    await this.manager?.apply(this.settings());
  }

  settings(): ScannerSetting[] {
    return getSetting<ScannerSetting[]>(this.store, SCANNERS_KEY, []);
  }

  async save(settings: ScannerSetting[]): Promise<ScannerState[]> {
    putSetting(this.store, SCANNERS_KEY, settings);
    await this.manager?.apply(settings);
    return this.manager?.states() ?? [];
  }

  async overview(): Promise<{ configured: ScannerSetting[]; states: ScannerState[]; available: AvailableDevice[]; problems: string[]; lastScan: ScanEvent | null }> {
    const { devices, problems } = await listDevices();
    return { configured: this.settings(), states: this.manager?.states() ?? [], available: devices, problems, lastScan: this.lastScan };
  }

  /** A scan typed by a keyboard-wedge scanner into a screen. */
  submitFromKeyboard(raw: string): ScanEvent {
    return this.accept(toScan(raw, 'keyboard', 'keyboard'));
  }

  /** Decoded already by its driver; resolved here and sent to every screen. */
  accept(scan: Scan): ScanEvent {
    const event: ScanEvent = {
      raw: scan.raw,
      symbology: scan.symbology,
      text: scan.text,
      source: scan.source,
      device: scan.device,
      at: scan.at,
      resolution: scan.decoded.ok ? resolveScan(this.store, scan.decoded.value.content, scan.decoded.value.text) : null,
      error: scan.decoded.ok ? null : scan.decoded.error,
    };
    this.lastScan = event;
    this.events.emit({ type: 'scan', scan: event });
    return event;
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
  }
}
