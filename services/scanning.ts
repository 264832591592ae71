/**
 * Where scans meet the station: every scan, from a serial or HID scanner or from the keyboard
 * wedge in a screen, is decoded, resolved against the database, handed to the workflow session it
 * belongs to (services/workflows.ts), and pushed to every screen as one `scan` event. Also keeps
 * the station's scanner settings and their live state.
 */
import type { ScannerManager} from '../drivers/scanner/manager';
import { listDevices, type AvailableDevice, type ScannerSetting, type ScannerState } from '../drivers/scanner/manager';
import type { ScanError } from '../vocabulary/codes/result';
import { toScan, type Scan } from '../vocabulary/codes/scan';
import type { StationDb } from '../db/open';
import { getSetting, putSetting } from '../db/settings';
import { resolveScan, type Resolution } from '../db/stock/resolve';
import type { AnyWorkflowView, WorkflowName } from '../db/workflows/machines/table';
import type { EventHub } from './events';
import type { WorkflowSessions, WorkflowUser } from './workflows';

/** A scan as the screens receive it: what was read, and what it names or why it could not be read. */
export interface ScanEvent extends Omit<Scan, 'decoded'> {
  resolution: Resolution | null;
  error: ScanError | null;
  /** The workflow session that took the scan, when one did. */
  workflow?: WorkflowName | null;
}

export const SCANNERS_KEY = 'scanners';

/**
 * How much a scan says: 2, it names something the station knows (a command card included); 1, a
 * code no article has yet (a valid GTIN) or one a scanner marked with its symbology but that could
 * not be read; 0, text that names nothing.
 */
export function meaning(e: ScanEvent): 0 | 1 | 2 {
  if (e.error) return e.raw.startsWith(']') ? 1 : 0;
  const r = e.resolution;
  if (!r) return 0;
  if (r.kind !== 'unknown') return 2;
  return r.gtin ? 1 : 0;
}

export class ScanService {
  private lastScan: ScanEvent | null = null;

  constructor(
    private readonly store: StationDb,
    private readonly events: EventHub,
    private readonly manager: ScannerManager | null,
    private readonly workflows: WorkflowSessions | null = null,
    /** Takes in a device a depot's own copy does not hold, from the register (services/sync.ts): true when it did. */
    private readonly fetchDevice: ((code: string) => Promise<boolean>) | null = null,
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

  /**
   * A scan typed by a keyboard-wedge scanner into a screen: it goes to the open workflow of the
   * user signed in there, if they have one. `lead`: a key that came alone just before the burst,
   * perhaps its first (some scanners send it late): the scan is read with it when that names more.
   * `ifKnown`: the burst came into a text field, and is a scan only if it is a code the station
   * knows (else it was something typed there, and is not taken: `taken` false). When the user's
   * workflow session took it, the answer carries the session's new state (`view`), so the screen
   * that sent it shows it with no second call.
   */
  submitFromKeyboard(raw: string, user?: WorkflowUser, { lead, ifKnown = false }: { lead?: string; ifKnown?: boolean } = {}): ScanEvent & { taken: boolean; view?: AnyWorkflowView } {
    let event = this.resolve(toScan(raw, 'keyboard', 'keyboard'));
    if (lead) {
      const whole = this.resolve(toScan(lead + raw, 'keyboard', 'keyboard'));
      if (meaning(whole) >= meaning(event)) event = whole;
    }
    if (ifKnown && meaning(event) === 0) return { ...event, taken: false };
    if (user && this.workflows) event.workflow = this.workflows.scanFromScreen(user, event);
    const answer = { ...this.publish(event), taken: true };
    this.whenNotHeld(event, () => this.submitFromKeyboard(raw, user, { lead, ifKnown }));
    return user && this.workflows && event.workflow ? { ...answer, view: this.workflows.view(user.userId, event.workflow) } : answer;
  }

  /**
   * Decoded already by its driver; resolved here, handed to the open workflow of the user active
   * at this station (if any), and sent to every screen.
   */
  accept(scan: Scan): ScanEvent {
    const event = this.resolve(scan);
    if (this.workflows) event.workflow = this.workflows.scanFromScanner(event);
    this.publish(event);
    this.whenNotHeld(event, () => this.accept(scan));
    return event;
  }

  /** Scans that a depot's copy fetched a device for, being taken again (a promise per scan). */
  readonly fetching = new Set<Promise<void>>();
  /** True while a scan is being taken again after its device was fetched. */
  private retaking = false;

  /**
   * A device a depot's own copy does not hold: the station asks the register for it and, once it
   * has it, takes the same scan again, unless another scan came meanwhile (then that one stands and
   * this one is scanned again by hand).
   */
  private whenNotHeld(event: ScanEvent, again: () => unknown): void {
    const r = event.resolution;
    // A scan taken again is not fetched for again: the register may know the code as another device's
    // serial number or UDI, which the copy then holds, yet the code still names no device here.
    if (!this.fetchDevice || r?.kind !== 'unknown' || !r.notHeld || this.retaking) return;
    const p = this.fetchDevice(r.notHeld)
      .then((got) => {
        if (!got || this.lastScan !== event) return;
        this.retaking = true;
        try {
          again();
        } finally {
          this.retaking = false;
        }
      })
      .catch(() => undefined)
      .finally(() => this.fetching.delete(p));
    this.fetching.add(p);
  }

  private resolve(scan: Scan): ScanEvent {
    const { decoded, ...read } = scan;
    return {
      ...read,
      resolution: decoded.ok ? resolveScan(this.store, decoded.value.content, decoded.value.text) : null,
      error: decoded.ok ? null : decoded.error,
      workflow: null,
    };
  }

  private publish(event: ScanEvent): ScanEvent {
    this.lastScan = event;
    this.events.emit({ type: 'scan', scan: event });
    return event;
  }

  async stop(): Promise<void> {
    await this.manager?.stop();
  }
}
