/**
 * Where scans meet the station: every scan, from a serial or HID scanner or from the keyboard
 * wedge in a screen, is decoded, resolved against the database and pushed to every screen as one
 * `scan` event. Also keeps the station's scanner settings and their live state.
 */
import type { ScannerManager} from '../drivers/scanner/manager';
import { listDevices, type AvailableDevice, type ScannerSetting, type ScannerState } from '../drivers/scanner/manager';
import type { ScanError } from '../vocabulary/codes/result';
import { toScan, type Scan } from '../vocabulary/codes/scan';
import type { Store } from '../db/open';
import { getSetting, putSetting } from '../db/settings';
import { resolveScan, type Resolution } from '../db/stock/resolve';
import type { EventHub } from './events';

/** A scan as the screens receive it: what was read, and what it names or why it could not be read. */
export interface ScanEvent extends Omit<Scan, 'decoded'> {
  resolution: Resolution | null;
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
    const { decoded, ...read } = scan;
    const event: ScanEvent = {
      ...read,
      resolution: decoded.ok ? resolveScan(this.store, decoded.value.content, decoded.value.text) : null,
      error: decoded.ok ? null : decoded.error,
    };
    this.lastScan = event;
    this.events.emit({ type: 'scan', scan: event });
    return event;
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
  }
}
